"""Flow features from packets, as ALLFLOWMETER reports them in HIKARI-2021.

:func:`compute_flow_features` turns the packets of many flows at once into the 79 feature
columns of :data:`flowgan.datasets.schema.FEATURE_COLUMNS`. Packets arrive in flat arrays,
flow after flow (:class:`PacketTable`); every statistic is a numpy segment reduction
(``np.bincount`` with weights, ``np.minimum.reduceat``, ``np.maximum.reduceat``), so there is
no Python loop per packet or per flow.

Conventions (checked against the 24 real rows where they can be):

- "forward" is the direction of the flow's first packet (the originator); "backward" the other.
- Times are in seconds in, microseconds out for every ``*_iat.*``, ``active.*`` and ``idle.*``
  column; ``flow_duration`` stays in seconds, so ``flow_iat.tot == flow_duration * 1e6``.
- Every statistic of an empty set (no backward packet, no inter-arrival time, no idle
  period) is 0, as are rates of zero-duration flows and the ``std`` of a single value.
- ``min <= avg <= max`` is enforced exactly (the average is clipped into the range, which
  moves it by at most one rounding step).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from flowgan.datasets.schema import FEATURE_COLUMNS, INT_FEATURES, WINDOW_FEATURES
from flowgan.errors import FlowganError

FIN, SYN, RST, PSH, ACK, URG, ECE, CWR = 0x01, 0x02, 0x04, 0x08, 0x10, 0x20, 0x40, 0x80
"""TCP flag bits, in the order of the TCP header's flags byte."""

_STAT_NAMES = ("min", "max", "tot", "avg", "std")


@dataclass(frozen=True)
class PacketTable:
    """Packets of many flows in flat arrays: flow after flow, each flow in time order.

    Parameters
    ----------
    offsets : ndarray of int64, shape (n_flows + 1,)
        Packets of flow ``i`` are ``offsets[i]:offsets[i + 1]``; ``offsets[0] == 0`` and every
        flow has at least one packet.
    time : ndarray of float64
        Capture time of each packet in seconds (any origin), non-decreasing within a flow.
    forward : ndarray of bool
        True for originator -> responder packets; the first packet of a flow is forward.
    header : ndarray of int64
        Transport header bytes (e.g. 20-60 for TCP).
    payload : ndarray of int64
        Transport payload bytes.
    flags : ndarray of uint8
        TCP flag bits (:data:`FIN` ... :data:`CWR`); 0 for UDP.
    window : ndarray of int64
        TCP window field; 0 for UDP.
    """

    offsets: np.ndarray
    time: np.ndarray
    forward: np.ndarray
    header: np.ndarray
    payload: np.ndarray
    flags: np.ndarray
    window: np.ndarray

    @property
    def n_flows(self) -> int:
        """Number of flows."""
        return len(self.offsets) - 1

    @property
    def n_packets(self) -> int:
        """Number of packets over all flows."""
        return len(self.time)

    def flow_index(self) -> np.ndarray:
        """Flow number of every packet (0 .. n_flows - 1)."""
        return np.repeat(np.arange(self.n_flows), np.diff(self.offsets))

    def validate(self) -> None:
        """Raise :class:`~flowgan.errors.FlowganError` if the arrays do not describe flows."""
        n = self.n_packets
        for name in ("forward", "header", "payload", "flags", "window"):
            if len(getattr(self, name)) != n:
                raise FlowganError(f"packet column {name!r} has {len(getattr(self, name))} values, time has {n}")
        offsets = np.asarray(self.offsets)
        if offsets.ndim != 1 or len(offsets) < 1 or offsets[0] != 0 or offsets[-1] != n:
            raise FlowganError(f"flow offsets must start at 0 and end at the packet count {n}")
        if np.any(np.diff(offsets) < 1):
            raise FlowganError("every flow needs at least one packet (flow offsets must increase)")
        if self.n_flows and not np.all(self.forward[offsets[:-1]]):
            raise FlowganError("the first packet of every flow must be forward (it defines the originator)")
        same_flow = np.diff(self.flow_index()) == 0
        if np.any(np.diff(self.time)[same_flow] < 0):
            raise FlowganError("packet times must be non-decreasing within each flow")
        if np.any(self.header < 0) or np.any(self.payload < 0) or np.any(self.window < 0):
            raise FlowganError("header, payload and window sizes must be non-negative")


def group_stats(values: np.ndarray, group: np.ndarray, n_groups: int, *, ddof: int = 1) -> dict[str, np.ndarray]:
    """Count, min, max, tot, avg and std of ``values`` per group, 0 for empty groups.

    Parameters
    ----------
    values : ndarray of float64
        The values, grouped contiguously: ``group`` must be non-decreasing.
    group : ndarray of int64
        Group number of each value, in ``0 .. n_groups - 1``.
    n_groups : int
        Number of groups (groups with no value get 0 everywhere).
    ddof : int, default 1
        Delta degrees of freedom of the standard deviation; groups with at most ``ddof``
        values get std 0.

    Returns
    -------
    dict
        Arrays of length ``n_groups`` under ``count``, ``min``, ``max``, ``tot``, ``avg``, ``std``.
    """
    values = np.asarray(values, dtype=np.float64)
    count = np.bincount(group, minlength=n_groups)
    tot = np.bincount(group, weights=values, minlength=n_groups)
    low = np.zeros(n_groups)
    high = np.zeros(n_groups)
    if values.size:
        starts = np.flatnonzero(np.r_[True, group[1:] != group[:-1]])
        present = group[starts]
        low[present] = np.minimum.reduceat(values, starts)
        high[present] = np.maximum.reduceat(values, starts)
    avg = np.clip(_safe_divide(tot, count), low, high)
    deviation = values - avg[group]
    squares = np.bincount(group, weights=deviation * deviation, minlength=n_groups)
    std = np.sqrt(_safe_divide(squares, count - ddof, where=count > ddof))
    return {"count": count, "min": low, "max": high, "tot": tot, "avg": avg, "std": std}


def _safe_divide(numerator, denominator, where=None) -> np.ndarray:
    """``numerator / denominator`` where ``where`` (default: denominator > 0), else 0."""
    numerator = np.asarray(numerator, dtype=np.float64)
    denominator = np.asarray(denominator, dtype=np.float64)
    if where is None:
        where = denominator > 0
    return np.divide(numerator, denominator, out=np.zeros(np.broadcast(numerator, denominator).shape), where=where)


def _first_and_last(mask: np.ndarray, flow: np.ndarray, n_flows: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Packet index of the first and last packet of each flow among ``mask``, and whether any."""
    idx = np.flatnonzero(mask)
    g = flow[idx]
    has = np.zeros(n_flows, dtype=bool)
    first = np.zeros(n_flows, dtype=np.int64)
    last = np.zeros(n_flows, dtype=np.int64)
    if idx.size:
        starts = np.r_[True, g[1:] != g[:-1]]
        ends = np.r_[g[1:] != g[:-1], True]
        has[g[starts]] = True
        first[g[starts]] = idx[starts]
        last[g[ends]] = idx[ends]
    return first, last, has


def _iat_us(idx: np.ndarray, time: np.ndarray, flow: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Inter-arrival times (microseconds) between consecutive packets ``idx`` of the same flow."""
    g = flow[idx]
    same = g[1:] == g[:-1]
    t = time[idx]
    return (np.diff(t)[same] * 1e6), g[1:][same]


def compute_flow_features(
    packets: PacketTable,
    *,
    std_ddof: int = 1,
    activity_timeout_s: float = 5.0,
    bulk_min_packets: int = 4,
    bulk_max_gap_s: float = 1.0,
    subflow_divisor: float = 2.0,
    validate: bool = True,
) -> pd.DataFrame:
    """Compute the 79 HIKARI-2021 flow features of every flow in ``packets``.

    Parameters
    ----------
    packets : PacketTable
        The packets of all flows.
    std_ddof : int, default 1
        Delta degrees of freedom of every ``*.std`` column. The real rows fix it: two active
        periods of 28,837.9 and 252,438.1 us are reported with std 158,109.2 = |a - b| / sqrt(2),
        the sample (n - 1) standard deviation.
    activity_timeout_s : float, default 5.0
        An inter-arrival gap longer than this ends an active period and counts as idle time
        (CICFlowMeter's default; the real rows have no idle period up to gaps of 4.9 s and
        one from 6.7 s). An active period is the span from its first to its last packet;
        periods of zero length are not counted (as in CICFlowMeter). Hence
        ``active.tot + idle.tot == flow_iat.tot``.
    bulk_min_packets : int, default 4
        A bulk is a run of at least this many payload-carrying packets in one direction with no
        payload-carrying packet of the other direction in between and no gap above
        ``bulk_max_gap_s`` (CICFlowMeter's rule). ``*_bulk_bytes`` and ``*_bulk_packets`` are
        averages per bulk, ``*_bulk_rate`` is bulk bytes per second of bulk time (0 when the
        bulks took no time).
    bulk_max_gap_s : float, default 1.0
        Longest gap (seconds) between two packets of one bulk.
    subflow_divisor : float, default 2.0
        ``*_subflow_pkts`` and ``*_subflow_bytes`` are the direction's packet and payload totals
        divided by this. The real rows all show a divisor of 2 (ALLFLOWMETER's subflow rule is
        not public).
    validate : bool, default True
        Check ``packets`` first (:meth:`PacketTable.validate`).

    Returns
    -------
    pandas.DataFrame
        One row per flow, columns :data:`~flowgan.datasets.schema.FEATURE_COLUMNS` in order,
        int64 for counts, sizes and windows, float64 elsewhere.
    """
    if validate:
        packets.validate()
    n = packets.n_flows
    flow = packets.flow_index()
    fwd = np.asarray(packets.forward, dtype=bool)
    out: dict[str, np.ndarray] = {}

    first, last = packets.offsets[:-1], packets.offsets[1:] - 1
    duration = packets.time[last] - packets.time[first]
    out["flow_duration"] = duration
    out.update(_count_features(packets, flow, fwd, n, duration))
    out.update(_header_and_flag_features(packets, flow, fwd, n))
    out.update(_payload_features(packets, flow, fwd, n, duration, std_ddof))
    flow_iat, flow_iat_group = _iat_us(np.arange(packets.n_packets), packets.time, flow)
    for prefix, mask in (("fwd", fwd), ("bwd", ~fwd)):
        stats = group_stats(*_iat_us(np.flatnonzero(mask), packets.time, flow), n, ddof=std_ddof)
        out.update({f"{prefix}_iat.{s}": stats[s] for s in _STAT_NAMES})
    stats = group_stats(flow_iat, flow_iat_group, n, ddof=std_ddof)
    out.update({f"flow_iat.{s}": stats[s] for s in _STAT_NAMES})
    out["payload_bytes_per_second"] = _safe_divide(out["flow_pkts_payload.tot"], duration)
    out["fwd_subflow_pkts"] = out["fwd_pkts_tot"] / subflow_divisor
    out["bwd_subflow_pkts"] = out["bwd_pkts_tot"] / subflow_divisor
    out["fwd_subflow_bytes"] = out["fwd_pkts_payload.tot"] / subflow_divisor
    out["bwd_subflow_bytes"] = out["bwd_pkts_payload.tot"] / subflow_divisor
    out.update(_bulk_features(packets, flow, fwd, n, bulk_min_packets, bulk_max_gap_s))
    out.update(_active_idle_features(packets, flow, flow_iat, flow_iat_group, n, activity_timeout_s, std_ddof))
    out.update(_window_features(packets, flow, fwd, n))

    frame = pd.DataFrame({c: out[c] for c in FEATURE_COLUMNS})
    ints = [*INT_FEATURES, *WINDOW_FEATURES]
    frame[ints] = frame[ints].astype(np.int64)
    return frame


def _count_features(packets, flow, fwd, n, duration) -> dict[str, np.ndarray]:
    data = packets.payload > 0
    fwd_pkts = np.bincount(flow, weights=fwd, minlength=n).astype(np.int64)
    bwd_pkts = np.bincount(flow, weights=~fwd, minlength=n).astype(np.int64)
    return {
        "fwd_pkts_tot": fwd_pkts,
        "bwd_pkts_tot": bwd_pkts,
        "fwd_data_pkts_tot": np.bincount(flow, weights=fwd & data, minlength=n).astype(np.int64),
        "bwd_data_pkts_tot": np.bincount(flow, weights=~fwd & data, minlength=n).astype(np.int64),
        "fwd_pkts_per_sec": _safe_divide(fwd_pkts, duration),
        "bwd_pkts_per_sec": _safe_divide(bwd_pkts, duration),
        "flow_pkts_per_sec": _safe_divide(fwd_pkts + bwd_pkts, duration),
        "down_up_ratio": _safe_divide(bwd_pkts, fwd_pkts),
    }


def _header_and_flag_features(packets, flow, fwd, n) -> dict[str, np.ndarray]:
    out = {}
    for prefix, mask in (("fwd", fwd), ("bwd", ~fwd)):
        stats = group_stats(packets.header[mask], flow[mask], n)
        for s in ("tot", "min", "max"):
            out[f"{prefix}_header_size_{s}"] = stats[s]
    flags = np.asarray(packets.flags, dtype=np.uint8)

    def count(bit, mask=None):
        hit = (flags & bit) != 0
        return np.bincount(flow, weights=hit if mask is None else hit & mask, minlength=n)

    out.update(
        {
            "flow_FIN_flag_count": count(FIN),
            "flow_SYN_flag_count": count(SYN),
            "flow_RST_flag_count": count(RST),
            "fwd_PSH_flag_count": count(PSH, fwd),
            "bwd_PSH_flag_count": count(PSH, ~fwd),
            "flow_ACK_flag_count": count(ACK),
            "fwd_URG_flag_count": count(URG, fwd),
            "bwd_URG_flag_count": count(URG, ~fwd),
            "flow_CWR_flag_count": count(CWR),
            "flow_ECE_flag_count": count(ECE),
        }
    )
    return out


def _payload_features(packets, flow, fwd, n, duration, ddof) -> dict[str, np.ndarray]:
    out = {}
    for prefix, mask in (("fwd", fwd), ("bwd", ~fwd), ("flow", None)):
        values = packets.payload if mask is None else packets.payload[mask]
        groups = flow if mask is None else flow[mask]
        stats = group_stats(values, groups, n, ddof=ddof)
        out.update({f"{prefix}_pkts_payload.{s}": stats[s] for s in _STAT_NAMES})
    return out


def _bulk_features(packets, flow, fwd, n, min_packets, max_gap_s) -> dict[str, np.ndarray]:
    """Bulk transfers: runs of payload packets in one direction (see compute_flow_features)."""
    idx = np.flatnonzero(packets.payload > 0)
    zeros = np.zeros(n)
    out = {f"{p}_bulk_{s}": zeros for p in ("fwd", "bwd") for s in ("bytes", "packets", "rate")}
    if not idx.size:
        return out
    g, d, t = flow[idx], fwd[idx], packets.time[idx]
    new_run = np.r_[True, (g[1:] != g[:-1]) | (d[1:] != d[:-1]) | (np.diff(t) > max_gap_s)]
    starts = np.flatnonzero(new_run)
    ends = np.r_[starts[1:] - 1, len(idx) - 1]
    run = np.cumsum(new_run) - 1
    size = np.bincount(run, minlength=len(starts))
    nbytes = np.bincount(run, weights=packets.payload[idx], minlength=len(starts))
    span = t[ends] - t[starts]
    is_bulk = size >= min_packets
    for prefix, direction in (("fwd", True), ("bwd", False)):
        keep = is_bulk & (d[starts] == direction)
        owner = g[starts][keep]
        bulks = np.bincount(owner, minlength=n)
        total_bytes = np.bincount(owner, weights=nbytes[keep], minlength=n)
        total_packets = np.bincount(owner, weights=size[keep], minlength=n)
        total_time = np.bincount(owner, weights=span[keep], minlength=n)
        out[f"{prefix}_bulk_bytes"] = _safe_divide(total_bytes, bulks)
        out[f"{prefix}_bulk_packets"] = _safe_divide(total_packets, bulks)
        out[f"{prefix}_bulk_rate"] = _safe_divide(total_bytes, total_time)
    return out


def _active_idle_features(packets, flow, iat, iat_group, n, timeout_s, ddof) -> dict[str, np.ndarray]:
    """Active periods (spans between idle gaps, zero-length ones dropped) and idle gaps."""
    idle_gap = iat > timeout_s * 1e6
    # A new period starts at each flow's first packet and after each idle gap.
    new_period = np.ones(packets.n_packets, dtype=bool)
    same_flow = flow[1:] == flow[:-1]
    new_period[1:][same_flow] = idle_gap
    period = np.cumsum(new_period) - 1
    n_periods = int(period[-1]) + 1 if packets.n_packets else 0
    # The gap before packet i (i > 0, same flow) belongs to the period of packet i - 1.
    gap_period = period[:-1][same_flow]
    span = np.bincount(gap_period[~idle_gap], weights=iat[~idle_gap], minlength=n_periods)
    period_flow = flow[np.flatnonzero(new_period)]
    active = span > 0
    out = {}
    stats = group_stats(span[active], period_flow[active], n, ddof=ddof)
    out.update({f"active.{s}": stats[s] for s in _STAT_NAMES})
    stats = group_stats(iat[idle_gap], iat_group[idle_gap], n, ddof=ddof)
    out.update({f"idle.{s}": stats[s] for s in _STAT_NAMES})
    return out


def _window_features(packets, flow, fwd, n) -> dict[str, np.ndarray]:
    first_fwd, last_fwd, _ = _first_and_last(fwd, flow, n)
    first_bwd, _, has_bwd = _first_and_last(~fwd, flow, n)
    window = np.asarray(packets.window, dtype=np.int64)
    return {
        "fwd_init_window_size": window[first_fwd],
        "bwd_init_window_size": np.where(has_bwd, window[first_bwd], 0),
        "fwd_last_window_size": window[last_fwd],
    }
