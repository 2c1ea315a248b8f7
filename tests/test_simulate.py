"""simulate_hikari: schema, counts, realism of a mid-size sample, determinism, writing."""

import ipaddress

import numpy as np
import pandas as pd
import pytest

from flowgan.datasets import schema
from flowgan.datasets.simulate import class_row_counts, simulate_hikari
from flowgan.datasets.writer import write_hikari
from flowgan.errors import FlowganError

DOC_NETS = [ipaddress.ip_network(n) for n in ("192.0.2.0/24", "198.51.100.0/24", "203.0.113.0/24")]


@pytest.fixture(scope="module")
def sim():
    return simulate_hikari(n_rows=8000, seed=7)


def test_columns_dtypes_and_labels(sim):
    assert tuple(sim.columns) == schema.COLUMNS
    for col, dtype in schema.DTYPES.items():
        if dtype == "object":
            assert pd.api.types.is_string_dtype(sim[col]) or col == schema.CLASS_COLUMN, col
        else:
            assert sim[col].dtype == dtype, col
    cat = sim[schema.CLASS_COLUMN]
    assert isinstance(cat.dtype, pd.CategoricalDtype) and list(cat.cat.categories) == list(schema.CLASSES)
    assert (sim[schema.LABEL_COLUMN] == cat.astype(str).map(schema.CLASS_LABELS)).all()
    assert sim["Unnamed: 0.1"].tolist() == list(range(len(sim)))
    for klass, rows in sim.groupby(schema.CLASS_COLUMN, observed=True):
        assert rows["Unnamed: 0"].tolist() == list(range(len(rows))), klass
    assert sim[schema.CLASS_COLUMN].cat.codes.is_monotonic_increasing  # sorted by class


def test_class_counts_follow_the_real_shares():
    counts = class_row_counts(scale=0.1)
    assert sum(counts.values()) == 55_528
    assert counts["Benign"] == 34_743 and counts["XMRIGCC CryptoMiner"] == 328
    assert sum(class_row_counts(scale=1.0).values()) == 555_278
    assert class_row_counts(scale=1.0) == schema.CLASS_COUNTS
    small = class_row_counts(n_rows=7)
    assert sum(small.values()) == 7 and min(small.values()) == 1
    for n in (6, 101, 999, 12_345):
        assert sum(class_row_counts(n_rows=n).values()) == n


def test_explicit_class_counts():
    df = simulate_hikari(class_counts={"Probing": 30, "Benign": 20}, seed=1)
    assert df[schema.CLASS_COLUMN].value_counts().to_dict() == {
        "Benign": 20, "Probing": 30, "Background": 0, "Bruteforce": 0, "Bruteforce-XML": 0, "XMRIGCC CryptoMiner": 0,
    }  # fmt: skip


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"class_counts": {"Benign": 0}}, "positive integer"),
        ({"class_counts": {"Benign": 2.5}}, "positive integer"),
        ({"class_counts": {"Malware": 3}}, "unknown class 'Malware'"),
        ({"class_counts": {}}, "empty"),
        ({"n_rows": 3}, "at least 6"),
        ({"scale": 0.0}, "positive"),
        ({"scale": float("nan")}, "positive"),
    ],
)
def test_bad_counts_are_refused(kwargs, message):
    with pytest.raises(FlowganError, match=message):
        class_row_counts(**kwargs)


def test_nothing_negative_and_integers_integral(sim):
    numeric = sim[[*schema.PORT_COLUMNS, *schema.FEATURE_COLUMNS]]
    assert (numeric.to_numpy() >= 0).all()
    assert np.isfinite(numeric.to_numpy()).all()
    ints = sim[[*schema.INT_FEATURES, *schema.WINDOW_FEATURES]].to_numpy()
    assert (ints == np.round(ints)).all()


def test_heavy_tails(sim):
    iat = sim["flow_iat.tot"]
    assert iat.std() / iat.mean() > 3
    assert iat.max() > 1e8  # some flows last minutes
    assert iat.max() <= 300e6  # the flow timeout


def test_zero_inflation(sim):
    def zero_share(col):
        return (sim[col] == 0).mean()

    assert zero_share("fwd_iat.min") > 0.1
    assert zero_share("bwd_iat.tot") > 0.1
    assert zero_share("idle.tot") > 0.5
    assert zero_share("active.max") > 0.02
    assert zero_share("fwd_bulk_bytes") > 0.8 and zero_share("bwd_bulk_bytes") > 0.4
    assert zero_share("flow_RST_flag_count") > 0.5 and zero_share("flow_ECE_flag_count") > 0.9
    assert 0 < zero_share("bwd_pkts_tot") < 0.5


def test_identifiers_look_real_but_simulated(sim):
    assert sim["uid"].str.startswith("SIM").all() and sim["uid"].str.len().eq(17).all()
    assert sim["uid"].is_unique
    for col in ("originh", "responh"):
        for address in sim[col].unique():
            assert any(ipaddress.ip_address(address) in net for net in DOC_NETS), address
    assert sim[[*schema.PORT_COLUMNS]].to_numpy().max() <= 65535


def test_ports_follow_the_service(sim):
    by_class = sim.groupby(schema.CLASS_COLUMN, observed=True)["responp"]
    for klass in ("Bruteforce", "Bruteforce-XML"):
        assert set(by_class.get_group(klass)) == {443}
    assert set(by_class.get_group("Benign")) <= {443, 8443}
    background = sim[sim[schema.CLASS_COLUMN] == "Background"]
    dns = background[background["responp"] == 53]
    assert len(dns) > 50 and (dns["fwd_init_window_size"] == 0).all()  # UDP
    assert (dns["fwd_header_size_min"] == 8).all()


def test_attacker_uses_sequential_source_ports(sim):
    xml = sim[sim[schema.CLASS_COLUMN] == "Bruteforce-XML"]
    assert xml["originh"].nunique() == 1
    assert (np.diff(xml["originp"].to_numpy()) == 2).mean() > 0.95
    assert xml["originp"].iloc[0] == 13316


def test_xmlrpc_rows_look_like_the_real_ones(sim):
    xml = sim[(sim[schema.CLASS_COLUMN] == "Bruteforce-XML") & (sim["bwd_pkts_payload.tot"] == 5025)]
    assert len(xml) > 20
    assert xml["fwd_pkts_tot"].between(14, 15).all() and xml["bwd_pkts_tot"].between(11, 14).all()
    assert (xml["fwd_data_pkts_tot"] == 6).all() and xml["bwd_data_pkts_tot"].between(5, 6).all()
    assert (xml[["fwd_header_size_min", "bwd_header_size_min"]] == [20, 32]).all().all()
    assert (xml[["fwd_init_window_size", "bwd_init_window_size", "fwd_last_window_size"]] == [29200, 65160, 0]).all().all()
    assert (xml[["flow_FIN_flag_count", "flow_SYN_flag_count", "flow_RST_flag_count"]] == 2).all().all()
    assert xml["flow_duration"].between(1.5, 20).all()
    assert xml["fwd_pkts_payload.max"].between(741, 747).all()


def test_crypto_broadcasts_are_identical_single_packet_rows(sim):
    features = list(schema.FEATURE_COLUMNS)
    crypto = sim.loc[sim[schema.CLASS_COLUMN] == "XMRIGCC CryptoMiner", features]
    single = crypto[crypto["fwd_pkts_tot"] == 1]
    assert len(single) > 0
    expected = pd.Series(0, index=features, dtype=float)
    expected["fwd_pkts_tot"] = 1
    expected["fwd_subflow_pkts"] = 0.5
    broadcast_rows = single[(single.astype(float) == expected).all(axis=1)]
    assert len(broadcast_rows) > 0.2 * len(crypto)
    background = sim.loc[sim[schema.CLASS_COLUMN] == "Background", features].astype(float)
    assert (background == expected).all(axis=1).any()  # the same rows occur in Background


def test_same_seed_same_frame_other_seed_other_frame():
    a = simulate_hikari(n_rows=400, seed=3)
    b = simulate_hikari(n_rows=400, seed=3)
    pd.testing.assert_frame_equal(a, b)
    c = simulate_hikari(n_rows=400, seed=4)
    assert not a["flow_duration"].equals(c["flow_duration"])


def test_same_seed_same_bytes(tmp_path):
    paths = [tmp_path / "a.csv", tmp_path / "b.csv"]
    for path in paths:
        write_hikari(simulate_hikari(n_rows=300, seed=5), path)
    assert paths[0].read_bytes() == paths[1].read_bytes()


def test_csv_has_the_real_raw_header_and_round_trips(tmp_path, sim):
    path = write_hikari(sim, tmp_path / "sim.csv")
    header = path.read_text().splitlines()[0].split(",")
    assert header[:3] == ["", "Unnamed: 0", "uid"] and header[-1] == "Label" and len(header) == 88
    back = pd.read_csv(path)
    assert back.shape == sim.shape
    back = back.set_axis(list(schema.COLUMNS), axis=1)
    for col in schema.FEATURE_COLUMNS:
        np.testing.assert_array_equal(back[col].to_numpy(dtype=float), sim[col].to_numpy(dtype=float), err_msg=col)
    assert back["uid"].tolist() == sim["uid"].tolist()
    assert back[schema.CLASS_COLUMN].tolist() == sim[schema.CLASS_COLUMN].astype(str).tolist()


def test_parquet_round_trips(tmp_path):
    df = simulate_hikari(n_rows=200, seed=2)
    back = pd.read_parquet(write_hikari(df, tmp_path / "sim.parquet"))
    pd.testing.assert_frame_equal(back, df, check_dtype=False)
    assert list(back[schema.CLASS_COLUMN].cat.categories) == list(schema.CLASSES)


def test_writer_refuses_frames_without_the_schema(tmp_path):
    with pytest.raises(FlowganError, match="88 HIKARI columns"):
        write_hikari(pd.DataFrame({"a": [1]}), tmp_path / "x.csv")
    with pytest.raises(FlowganError, match=".csv or .parquet"):
        write_hikari(simulate_hikari(n_rows=10), tmp_path / "x.txt")
