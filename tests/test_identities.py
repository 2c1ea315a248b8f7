"""The identity checker on the 24 real rows, on simulated rows, and on rows broken on purpose."""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from flowgan.datasets import hikari_identities, schema
from flowgan.datasets.hikari_identities import check_identities
from flowgan.datasets.simulate import simulate_hikari
from flowgan.errors import FlowganError

REAL = Path(__file__).parent / "fixtures" / "hikari2021-real-24rows.csv"


@pytest.fixture(scope="module")
def real_rows():
    df = pd.read_csv(REAL)
    # pandas names the empty first header column "Unnamed: 0" and renames the second to
    # "Unnamed: 0.1", or the other way round, depending on the version: both are row counters here.
    return df.set_axis(list(schema.COLUMNS), axis=1)


@pytest.fixture(scope="module")
def simulated_rows():
    return simulate_hikari(n_rows=1500, seed=11)


def test_every_identity_holds_on_the_real_rows(real_rows):
    table = check_identities(real_rows)
    assert table["violations"].sum() == 0, table[table.violations > 0]
    assert (table["rows_checked"] == 24).all()
    assert len(table) >= 30
    assert table["first_violation"].isna().all()


def test_the_duration_allowance_is_what_lets_the_real_rows_pass(real_rows, monkeypatch):
    monkeypatch.setattr(hikari_identities, "DURATION_ATOL_US", 0.0)
    table = check_identities(real_rows).set_index("identity")
    row = table.loc["flow_iat.tot = flow_duration * 1e6"]
    assert row["violations"] == 1 and row["first_violation"] == 13  # 25.8 us over 2.2 s


def test_every_identity_holds_on_simulated_rows(simulated_rows):
    table = check_identities(simulated_rows)
    assert table["violations"].sum() == 0, table[table.violations > 0]
    by_name = table.set_index("identity")["rows_checked"]
    assert by_name["fwd_iat.avg = tot / (packets - 1)"] < len(simulated_rows)  # single-packet flows excluded


@pytest.mark.parametrize(
    "column, change, identity",
    [
        ("fwd_pkts_per_sec", lambda v: v * 2 + 1, "fwd_pkts_per_sec = fwd packets / flow_duration"),
        ("idle.tot", lambda v: v + 1e6, "active.tot + idle.tot = flow_iat.tot"),
        ("bwd_pkts_payload.avg", lambda v: v + 10_000, "bwd_pkts_payload.min <= avg <= max"),
        ("fwd_header_size_tot", lambda v: 1, "fwd_header_size_min <= max <= tot"),
        ("fwd_subflow_pkts", lambda v: v + 1, "fwd_subflow_pkts = fwd_pkts_tot / 2"),
        ("flow_duration", lambda v: v * 3 + 1, "flow_iat.tot = flow_duration * 1e6"),
        ("active.std", lambda v: -1.0, "every count, size, time and rate >= 0"),
        ("fwd_pkts_tot", lambda v: v + 0.5, "integer columns hold integers"),
        ("Label", lambda v: 1 - v, "Label = CLASS_LABELS[traffic_category]"),
    ],
)
def test_a_broken_row_is_caught(real_rows, column, change, identity):
    broken = real_rows.copy()
    if broken[column].dtype == np.int64 and column == "fwd_pkts_tot":
        broken[column] = broken[column].astype(float)
    broken.loc[7, column] = change(broken.loc[7, column])
    table = check_identities(broken).set_index("identity")
    assert table.loc[identity, "violations"] == 1
    assert table.loc[identity, "first_violation"] == 7


def test_missing_column_is_named(real_rows):
    with pytest.raises(FlowganError, match="idle.std"):
        check_identities(real_rows.drop(columns=["idle.std"]))
