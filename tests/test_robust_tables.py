"""The independent robustness tables of flowgan.testing: schema, counts, identities, hard cases."""

import numpy as np
import pandas as pd
import pytest

from flowgan.datasets import schema
from flowgan.datasets.hikari_identities import check_identities
from flowgan.testing.tables import TABLES, RobustTable, cic_violations, make_table

SCALE = 0.02
HIKARI_TABLES = ("mixture", "copula", "adversarial")


@pytest.fixture(scope="module")
def tables() -> dict[str, RobustTable]:
    return {name: make_table(name, SCALE, seed=0) for name in TABLES}


@pytest.mark.parametrize("name", HIKARI_TABLES)
def test_hikari_schema_and_dtypes(tables, name):
    table = tables[name]
    frame = table.frame
    assert table.name == name
    assert list(frame.columns) == list(schema.COLUMNS)
    assert {c: str(frame[c].dtype) for c in frame.columns} == schema.DTYPES
    assert (table.class_col, table.label_col, table.identities) == (schema.CLASS_COLUMN, schema.LABEL_COLUMN, None)
    assert set(table.drop) == {*schema.INDEX_COLUMNS, *schema.IDENTIFIER_COLUMNS}
    assert table.benign == ("Benign", "Background")
    assert sorted(frame["Unnamed: 0"]) == list(range(len(frame)))
    assert frame["originh"].str.startswith("198.51.100.").all()


@pytest.mark.parametrize("name", HIKARI_TABLES)
def test_hikari_class_counts(tables, name):
    counts = tables[name].frame[schema.CLASS_COLUMN].value_counts().to_dict()
    expected = {c: max(2, round(n * SCALE)) for c, n in schema.CLASS_COUNTS.items()}
    if name == "adversarial":
        expected["XMRIGCC CryptoMiner"] = 20
    assert counts == expected
    labels = tables[name].frame[schema.LABEL_COLUMN]
    assert (labels == tables[name].frame[schema.CLASS_COLUMN].map(schema.CLASS_LABELS)).all()


@pytest.mark.parametrize("name", HIKARI_TABLES)
def test_hikari_identities_hold_on_every_row(tables, name):
    report = check_identities(tables[name].frame)
    assert report["violations"].sum() == 0, report[report["violations"] > 0]


@pytest.mark.parametrize("name", HIKARI_TABLES)
def test_physical_sense(tables, name):
    f = tables[name].frame
    single = (f["fwd_pkts_tot"] + f["bwd_pkts_tot"]) == 1
    assert (f.loc[single, ["flow_duration", "flow_iat.tot", "fwd_iat.max", "idle.tot"]] == 0).all().all()
    assert (f["fwd_iat.tot"] <= f["flow_iat.tot"]).all()
    assert (f["fwd_pkts_tot"] >= 1).all()
    stds = [c for c in f.columns if c.endswith(".std")]
    assert (f[stds] >= 0).all().all()
    assert (f.loc[f["fwd_pkts_tot"] <= 1, "fwd_pkts_payload.std"] == 0).all()


@pytest.mark.parametrize("name", TABLES)
def test_same_seed_same_frame_other_seed_differs(tables, name):
    pd.testing.assert_frame_equal(make_table(name, SCALE, seed=0).frame, tables[name].frame)
    other = make_table(name, SCALE, seed=1).frame
    assert not other.equals(tables[name].frame)


def test_generators_differ(tables):
    durations = [tables[n].frame["flow_duration"].median() for n in HIKARI_TABLES]
    assert len(set(durations)) == 3


def test_adversarial_hard_cases(tables):
    f = tables["adversarial"].frame
    timing = [c for c in f.columns if c.startswith(("flow_iat.", "idle.", "active."))]
    assert f[timing].to_numpy().max() >= 1e11
    brute = f.loc[f[schema.CLASS_COLUMN] == "Bruteforce", list(schema.FEATURE_COLUMNS)]
    assert brute.duplicated(keep=False).mean() >= 0.2
    assert (f["fwd_init_window_size"] == 65535).mean() >= 0.99
    probing = f.loc[f[schema.CLASS_COLUMN] == "Probing"]
    assert (probing["fwd_bulk_bytes"] == 0).all() and (f["fwd_bulk_bytes"] > 0).any()


def test_cic_table(tables):
    table = tables["cic"]
    f = table.frame
    assert cic_violations(f) == 0
    assert (table.class_col, table.label_col, table.benign) == (" Label", None, ("BENIGN",))
    for name in (" Flow Duration", " Total Fwd Packets", " Source IP", " Label", "Total Length of Fwd Packets"):
        assert name in f.columns
    assert set(table.drop) <= set(f.columns)
    assert set(f[" Label"]) == {"BENIGN", "DoS Hulk", "PortScan", "DDoS", "Bot"}
    assert 0.75 <= (f[" Label"] == "BENIGN").mean() <= 0.85
    assert abs(len(f) - 50_000 * SCALE / 0.1) <= 5
    assert set(f[" Protocol"]) <= {6, 17}
    assert f[" Flow Duration"].dtype == np.int64 and f[" Source IP"].dtype == object
    zero = f[" Flow Duration"] == 0
    assert (f.loc[zero, ["Flow Bytes/s", " Flow Packets/s", " Flow IAT Mean"]] == 0).all().all()


def test_cic_identities_text(tables):
    lines = [line for line in tables["cic"].identities.splitlines() if line.strip() and not line.startswith("#")]
    assert 15 <= len(lines) <= 30
    assert "` Fwd Packet Length Mean` = `Total Length of Fwd Packets` / ` Total Fwd Packets`" in lines
    names = {part for line in lines for part in line.split("`")[1::2]}
    assert names <= set(tables["cic"].frame.columns)


def test_cic_violations_catch_a_broken_row(tables):
    f = tables["cic"].frame.copy()
    f.loc[f.index[0], " Fwd Packet Length Mean"] += 1.0
    f.loc[f.index[1], " Flow IAT Min"] = f.loc[f.index[1], " Flow IAT Max"] + 5
    assert cic_violations(f) == 2


def test_unknown_table_is_an_error():
    with pytest.raises(ValueError, match="unknown table"):
        make_table("nope")


@pytest.mark.parametrize("name", ["mixture", "adversarial"])
def test_cgan_rows_pass_the_independent_checker_on_tables_flowgan_did_not_make(name):
    """A small cgan fitted on a robustness table's attack rows: every sampled row passes
    ``check_identities`` (written from SCHEMA.md, not the model's own list)."""
    from flowgan.datasets.hikari_identities import broken_rows
    from flowgan.models.conditional_gan import ConditionalFlowGAN

    table = make_table(name, scale=0.02, seed=3)
    attack = table.frame[~table.frame[schema.CLASS_COLUMN].isin(table.benign)]
    X, y = attack[list(schema.FEATURE_COLUMNS)], attack[schema.CLASS_COLUMN].to_numpy()
    model = ConditionalFlowGAN(epochs=2, batch_size=128, latent_dim=8, generator_dims=(32,), critic_dims=(32,),
                               device="cpu", random_state=0).fit(X, y)  # fmt: skip
    for klass in model.classes_:
        rows = model.sample(3000, klass)
        full = rows.assign(**{c: 0 for c in (*schema.INDEX_COLUMNS, *schema.PORT_COLUMNS)}, uid="u", originh="h",
                           responh="h", **{schema.CLASS_COLUMN: klass, schema.LABEL_COLUMN: 1})  # fmt: skip
        assert len(rows) == 3000
        assert not broken_rows(full).any(), check_identities(full).query("violations > 0")
