"""The flowmeter on hand-made packet sequences, against hand-computed features."""

import math

import numpy as np
import pandas as pd
import pytest

from flowgan.datasets.flowmeter import ACK, FIN, PSH, RST, SYN, PacketTable, compute_flow_features, group_stats
from flowgan.datasets.schema import FEATURE_COLUMNS
from flowgan.errors import FlowganError


def make_packets(flows):
    """flows: list of flows, each a list of (time, forward, header, payload, flags, window)."""
    rows = [p for flow in flows for p in flow]
    cols = list(zip(*rows))
    return PacketTable(
        offsets=np.r_[0, np.cumsum([len(f) for f in flows])].astype(np.int64),
        time=np.array(cols[0], dtype=float),
        forward=np.array(cols[1], dtype=bool),
        header=np.array(cols[2], dtype=np.int64),
        payload=np.array(cols[3], dtype=np.int64),
        flags=np.array(cols[4], dtype=np.uint8),
        window=np.array(cols[5], dtype=np.int64),
    )


def features(flows, **kwargs):
    return compute_flow_features(make_packets(flows), **kwargs)


SINGLE = [(100.0, True, 20, 10, SYN, 29200)]
TWO = [(100.0, True, 32, 100, PSH | ACK, 500), (100.5, False, 40, 300, ACK, 1000)]
IDLE = [
    (0.0, True, 32, 0, SYN, 64240),
    (0.1, False, 32, 0, SYN | ACK, 65160),
    (0.2, True, 32, 50, PSH | ACK, 501),
    (10.2, True, 32, 0, FIN | ACK, 502),
    (10.5, False, 32, 0, FIN | ACK, 300),
]


def test_columns_and_dtypes_follow_the_schema():
    out = features([SINGLE, TWO])
    assert tuple(out.columns) == FEATURE_COLUMNS
    assert out["fwd_pkts_tot"].dtype == np.int64 and out["fwd_init_window_size"].dtype == np.int64
    assert out["flow_duration"].dtype == np.float64 and out["fwd_subflow_pkts"].dtype == np.float64


def test_single_packet_flow():
    row = features([SINGLE]).iloc[0]
    expected_nonzero = {
        "fwd_pkts_tot": 1, "fwd_data_pkts_tot": 1, "fwd_header_size_tot": 20, "fwd_header_size_min": 20,
        "fwd_header_size_max": 20, "flow_SYN_flag_count": 1,
        "fwd_pkts_payload.min": 10, "fwd_pkts_payload.max": 10, "fwd_pkts_payload.tot": 10, "fwd_pkts_payload.avg": 10,
        "flow_pkts_payload.min": 10, "flow_pkts_payload.max": 10, "flow_pkts_payload.tot": 10, "flow_pkts_payload.avg": 10,
        "fwd_subflow_pkts": 0.5, "fwd_subflow_bytes": 5.0,
        "fwd_init_window_size": 29200, "fwd_last_window_size": 29200,
    }  # fmt: skip
    for col in FEATURE_COLUMNS:
        assert row[col] == expected_nonzero.get(col, 0), col


def test_two_packet_flow():
    row = features([TWO]).iloc[0]
    assert row["flow_duration"] == pytest.approx(0.5)
    assert (row["fwd_pkts_tot"], row["bwd_pkts_tot"]) == (1, 1)
    assert row["fwd_pkts_per_sec"] == pytest.approx(2.0)
    assert row["flow_pkts_per_sec"] == pytest.approx(4.0)
    assert row["down_up_ratio"] == 1.0
    assert row["flow_pkts_payload.avg"] == 200.0
    assert row["flow_pkts_payload.std"] == pytest.approx(math.sqrt(2 * 100**2 / 1))  # n - 1
    assert row["payload_bytes_per_second"] == pytest.approx(800.0)
    for stat in ("min", "max", "tot", "avg"):
        assert row[f"flow_iat.{stat}"] == pytest.approx(500_000.0)
        assert row[f"active.{stat}"] == pytest.approx(500_000.0)
        assert row[f"fwd_iat.{stat}"] == 0 and row[f"idle.{stat}"] == 0
    assert row["flow_iat.std"] == 0 and row["active.std"] == 0
    assert (row["fwd_PSH_flag_count"], row["bwd_PSH_flag_count"], row["flow_ACK_flag_count"]) == (1, 0, 2)
    assert (row["bwd_header_size_tot"], row["bwd_header_size_min"]) == (40, 40)
    assert (row["fwd_init_window_size"], row["bwd_init_window_size"], row["fwd_last_window_size"]) == (500, 1000, 500)
    assert (row["bwd_subflow_pkts"], row["bwd_subflow_bytes"]) == (0.5, 150.0)


def test_flow_with_an_idle_gap():
    row = features([IDLE]).iloc[0]
    assert row["flow_iat.tot"] == pytest.approx(10.5e6)
    assert row["flow_iat.tot"] == pytest.approx(row["flow_duration"] * 1e6, rel=1e-12)
    assert (row["idle.min"], row["idle.max"], row["idle.tot"], row["idle.std"]) == pytest.approx((10e6, 10e6, 10e6, 0))
    assert row["active.min"] == pytest.approx(200_000)
    assert row["active.max"] == pytest.approx(300_000)
    assert row["active.tot"] == pytest.approx(500_000)
    assert row["active.std"] == pytest.approx(100_000 / math.sqrt(2))
    assert row["active.tot"] + row["idle.tot"] == pytest.approx(row["flow_iat.tot"], rel=1e-12)
    assert (row["fwd_iat.min"], row["fwd_iat.max"], row["fwd_iat.tot"]) == pytest.approx((2e5, 1e7, 1.02e7))
    assert row["fwd_iat.avg"] == pytest.approx(1.02e7 / 2)
    assert row["fwd_iat.std"] == pytest.approx((1e7 - 2e5) / math.sqrt(2))
    assert (row["bwd_iat.tot"], row["bwd_iat.std"]) == pytest.approx((1.04e7, 0))
    assert (row["flow_FIN_flag_count"], row["flow_SYN_flag_count"], row["flow_ACK_flag_count"]) == (2, 2, 4)
    assert row["fwd_last_window_size"] == 502


def test_activity_timeout_is_a_parameter():
    row = features([IDLE], activity_timeout_s=20.0).iloc[0]
    assert row["idle.tot"] == 0
    assert row["active.tot"] == pytest.approx(10.5e6)


def test_zero_length_active_periods_are_not_counted():
    row = features([[(0.0, True, 20, 0, ACK, 1), (10.0, True, 20, 0, RST, 0)]]).iloc[0]
    assert row["active.max"] == 0 and row["active.tot"] == 0
    assert row["idle.tot"] == pytest.approx(10e6) == pytest.approx(row["flow_iat.tot"])


def test_flow_with_bulk_transfers():
    seg = [(0.010 + 0.001 * i, False, 32, 1000, ACK, 300) for i in range(4)]
    ack_in_between = [(0.0115, True, 32, 0, ACK, 500)]  # no payload: does not break a bulk
    second = [(0.030 + 0.001 * i, False, 32, 500, ACK, 300) for i in range(6)]
    flow = sorted(
        [(0.0, True, 32, 100, PSH | ACK, 500), *seg, *ack_in_between, (0.020, True, 32, 50, PSH | ACK, 500), *second],
        key=lambda p: p[0],
    )
    row = features([flow]).iloc[0]
    assert row["bwd_bulk_bytes"] == pytest.approx((4000 + 3000) / 2)
    assert row["bwd_bulk_packets"] == pytest.approx(5.0)
    assert row["bwd_bulk_rate"] == pytest.approx(7000 / (0.003 + 0.005))
    assert (row["fwd_bulk_bytes"], row["fwd_bulk_packets"], row["fwd_bulk_rate"]) == (0, 0, 0)


def test_bulk_needs_enough_packets_without_long_gaps():
    slow = [(0.0, True, 32, 100, PSH, 1)] + [(t, False, 32, 1000, ACK, 1) for t in (0.1, 0.2, 0.3, 1.5, 1.6, 1.7)]
    row = features([slow]).iloc[0]
    assert row["bwd_bulk_bytes"] == 0  # runs of 3 and 3, split by a 1.2 s gap
    assert features([slow], bulk_max_gap_s=2.0).iloc[0]["bwd_bulk_packets"] == 6


def test_many_flows_at_once_equal_one_by_one():
    flows = [SINGLE, TWO, IDLE, TWO, SINGLE]
    together = features(flows)
    apart = pd.concat([features([f]) for f in flows], ignore_index=True)
    pd.testing.assert_frame_equal(together, apart)


def test_std_ddof_is_a_parameter():
    assert features([TWO], std_ddof=0).iloc[0]["flow_pkts_payload.std"] == pytest.approx(100.0)


def test_group_stats_of_empty_groups_are_zero():
    stats = group_stats(np.array([1.0, 3.0]), np.array([1, 1]), 3)
    assert stats["count"].tolist() == [0, 2, 0]
    assert stats["avg"].tolist() == [0, 2, 0]
    assert stats["std"][1] == pytest.approx(math.sqrt(2))


@pytest.mark.parametrize(
    "flows, message",
    [
        ([[(0.0, False, 20, 0, ACK, 1)]], "first packet"),
        ([[(1.0, True, 20, 0, ACK, 1), (0.5, False, 20, 0, ACK, 1)]], "non-decreasing"),
        ([[(0.0, True, -1, 0, ACK, 1)]], "non-negative"),
    ],
)
def test_bad_packets_are_refused(flows, message):
    with pytest.raises(FlowganError, match=message):
        features(flows)


def test_empty_flow_is_refused():
    packets = make_packets([SINGLE])
    broken = PacketTable(np.array([0, 0, 1]), *(getattr(packets, f) for f in ("time", "forward", "header", "payload", "flags", "window")))
    with pytest.raises(FlowganError, match="at least one packet"):
        broken.validate()
