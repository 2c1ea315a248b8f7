"""Discovery of flow identities, their enforcement on rows built to break them, and reporting."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from _cgan_data import make_flow_frame

from flowgan.constraints import Identity, IdentityEnforcer, discover_identities, violation_rate, violation_table
from flowgan.datasets.schema import FEATURE_COLUMNS

FIXTURE = Path(__file__).parent / "fixtures" / "hikari2021-real-24rows.csv"


@pytest.fixture(scope="module")
def flows():
    X, _ = make_flow_frame(2000, seed=3)
    return X, discover_identities(X.to_numpy(dtype=float), list(X.columns))


def _formulas(identities):
    return {i.describe() for i in identities}


def test_discovers_sums_scalings_ratios_orderings_and_column_facts(flows):
    _, identities = flows
    found = _formulas(identities)
    expected = {
        "bytes_tot = fwd_bytes + bwd_bytes",
        "iat_tot = 1e+06 * duration",
        "subflow_pkts = 0.5 * fwd_pkts",
        "fwd_avg = fwd_bytes / fwd_pkts",
        "fwd_min <= fwd_avg",
        "fwd_avg <= fwd_max",
        "version = 4",
        "fwd_pkts is integral",
        "duration >= 0",
    }
    assert expected <= found
    # the rate identity, in one of its two orientations (t = a / d or d = a / t)
    assert {"pkts_per_sec = fwd_pkts / duration", "duration = fwd_pkts / pkts_per_sec"} & found
    assert "fwd_avg is integral" not in found


def test_a_negligible_term_does_not_make_a_sum():
    n = 500
    rng = np.random.default_rng(0)
    big = rng.lognormal(15, 1, n)
    small = rng.integers(1, 5, n).astype(float)
    values = np.column_stack([big, small, big + small * 1e-9 * big])
    identities = discover_identities(values, ["big", "small", "big2"])
    assert not [i for i in identities if i.kind == "sum"]


def test_ratio_with_offset_divisor_and_zero_divisor():
    rng = np.random.default_rng(0)
    pkts = rng.integers(1, 20, 1000).astype(float)
    tot = np.where(pkts > 1, rng.lognormal(5, 2, 1000), 0.0)
    avg = np.where(pkts > 1, tot / np.where(pkts > 1, pkts - 1, 1), 0.0)
    identities = discover_identities(np.column_stack([pkts, tot, avg]), ["pkts", "iat_tot", "iat_avg"])
    assert "iat_avg = iat_tot / (pkts - 1)" in _formulas(identities)


def test_identities_of_the_real_hikari_rows():
    frame = pd.read_csv(FIXTURE)[list(FEATURE_COLUMNS)]
    identities = discover_identities(frame.to_numpy(dtype=float), list(frame.columns), min_support=3)
    found = _formulas(identities)
    assert "fwd_iat.avg = fwd_iat.tot / (fwd_pkts_tot - 1)" in found
    assert "down_up_ratio = bwd_pkts_tot / fwd_pkts_tot" in found
    assert "fwd_subflow_pkts = 0.5 * fwd_pkts_tot" in found
    assert "flow_pkts_payload.avg = flow_pkts_payload.tot / (fwd_pkts_tot + bwd_pkts_tot)" in found
    assert violation_rate(frame, identities) <= 1 / 24


def test_enforcement_repairs_rows_built_to_violate_every_identity(flows):
    X, identities = flows
    rng = np.random.default_rng(1)
    broken = pd.DataFrame({c: rng.permutation(X[c].to_numpy()) for c in X.columns}).astype(X.dtypes.to_dict())
    broken["version"] = 6
    broken.loc[:10, "fwd_bytes"] = -5.0
    assert violation_rate(broken, identities) > 0.9
    fixed = IdentityEnforcer(identities, list(X.columns)).enforce_frame(broken)
    assert violation_rate(fixed, identities) == 0.0
    assert (fixed["version"] == 4).all() and (fixed.to_numpy() >= 0).all()
    assert fixed.dtypes.equals(X.dtypes)
    np.testing.assert_allclose(fixed["bytes_tot"], fixed["fwd_bytes"] + fixed["bwd_bytes"])


def test_enforcement_leaves_valid_rows_unchanged(flows):
    X, identities = flows
    holds = np.ones(len(X), dtype=bool)
    cols = {c: X[c].to_numpy(dtype=float) for c in X.columns}
    for ident in identities:
        holds &= ident.holds(cols)
    clean = X[holds]
    fixed = IdentityEnforcer(identities, list(X.columns)).enforce_frame(clean)
    pd.testing.assert_frame_equal(fixed, clean, check_exact=False, rtol=1e-6)


def test_plan_derives_each_column_at_most_once_and_keeps_integers_integral(flows):
    X, identities = flows
    enforcer = IdentityEnforcer(identities, list(X.columns))
    assert sorted(enforcer.order_) == sorted(X.columns)
    for target, ident in enforcer.derived.items():
        if target in enforcer.integral:
            assert all(c in enforcer.integral for c in ident.inputs_for(target))
    plan = enforcer.describe_plan()
    assert set(plan["column"]) == set(X.columns)


def test_violation_table_is_tidy_and_tolerates_missing_columns(flows):
    X, identities = flows
    table = violation_table(X.drop(columns=["iat_tot"]), identities)
    assert list(table.columns) == ["identity", "kind", "violations", "rate"]
    assert table.loc[table["identity"] == "iat_tot = 1e+06 * duration", "violations"].isna().all()
    assert (table["rate"].dropna() <= 0.001).all()


def test_identity_dict_round_trip():
    ident = Identity("ratio", ("t", "a", "d1", "d2"), offset=-1.0)
    assert Identity.from_dict(ident.to_dict()) == ident
    assert ident.describe() == "t = a / (d1 + d2 - 1)"


def test_broken_rows_agrees_with_checking_every_identity(flows):
    X, identities = flows
    rng = np.random.default_rng(0)
    values = X.to_numpy(dtype=float) * np.where(rng.random(X.shape) < 0.02, rng.normal(1, 0.5, X.shape), 1)
    cols = {name: values[:, j] for j, name in enumerate(X.columns)}
    expected = np.zeros(len(values), dtype=bool)
    for ident in identities:
        expected |= ~ident.holds(cols)
    assert 0.05 < expected.mean() < 0.95
    np.testing.assert_array_equal(IdentityEnforcer(identities, list(X.columns)).broken_rows(values), expected)


def test_coordinates_place_bounded_columns_back_between_their_bounds(flows):
    X, identities = flows
    enforcer = IdentityEnforcer(identities, list(X.columns))
    assert "fwd_min" in enforcer.bounded or "fwd_max" in enforcer.bounded
    values = enforcer.enforce(X.to_numpy(dtype=float))
    coords = enforcer.coordinates(values)
    # Valid rows keep their values when placed back at their own coordinates.
    own = {name: coords[:, i] for i, name in enumerate(enforcer.bounded)}
    np.testing.assert_allclose(enforcer.enforce(values, own), values, rtol=1e-9, atol=1e-9)
    # Rows with scrambled coordinates are placed inside their bounds, never onto a pile at a bound.
    rng = np.random.default_rng(1)
    scrambled = np.where(np.isnan(coords), np.nan, rng.permutation(coords))
    fixed = enforcer.enforce(values, {name: scrambled[:, i] for i, name in enumerate(enforcer.bounded)})
    frame = pd.DataFrame(fixed, columns=X.columns)
    moved = [X.columns.get_loc(n) for n in enforcer.bounded]
    assert (fixed[:, moved] != values[:, moved]).any(axis=1).mean() > 0.2
    assert violation_rate(frame, identities) == 0.0
    for name in enforcer.bounded:
        real_zero, fixed_zero = (values[:, X.columns.get_loc(name)] == 0).mean(), (frame[name] == 0).mean()
        assert abs(real_zero - fixed_zero) < 0.05, name


def test_fill_undefined_draws_from_the_same_group():
    from flowgan.constraints.coordinates import fill_undefined

    coords = np.array([[0.2], [np.nan], [0.9], [np.nan], [np.nan]])
    groups = np.array([0, 0, 1, 1, 2])
    filled = fill_undefined(coords, groups, np.random.default_rng(0))
    assert filled[1, 0] == 0.2 and filled[3, 0] == 0.9 and filled[4, 0] == 0.0
    assert np.isnan(coords[1, 0])  # the input is left as it was


def _enforced_and_broken(enforcer, values, coordinates=None):
    values = np.asfortranarray(values)
    suspect = enforcer.enforce_checked(values, coordinates)
    return suspect, enforcer.broken_rows(values)


def test_enforce_checked_flags_every_row_left_broken_when_bounds_contradict():
    # x is clipped between the derived a = r + s and d = p + q: rows with a > d stay broken.
    columns = ["p", "q", "d", "r", "s", "a", "x"]
    identities = [Identity("sum", ("d", "p", "q")), Identity("sum", ("a", "r", "s"))]
    identities += [Identity("order", ("a", "x")), Identity("order", ("x", "d"))]
    identities += [Identity("nonneg", (c,)) for c in ("p", "q", "r", "s", "x")]
    enforcer = IdentityEnforcer(identities, columns)
    assert enforcer.lower_bounds["x"] == ["a"] and enforcer.upper_bounds["x"] == ["d"]
    values = np.random.default_rng(0).normal(size=(2000, 7))
    values[:20, 1] = np.nan
    suspect, broken = _enforced_and_broken(enforcer, values)
    assert 0.05 < broken.mean() < 0.95
    assert not (broken & ~suspect).any()
    assert (suspect & ~broken).mean() < 0.01


def test_enforce_checked_skips_guaranteed_identities_and_still_flags_every_broken_row(flows):
    from flowgan.constraints.checks import unguaranteed

    X, identities = flows
    enforcer = IdentityEnforcer(identities, list(X.columns))
    assert len(unguaranteed(enforcer)) < len(identities) / 2
    rng = np.random.default_rng(4)
    values = np.column_stack([rng.permutation(X[c].to_numpy(dtype=float)) for c in X.columns])
    values[:300] *= rng.normal(1, 2, (300, X.shape[1]))
    values[300:310, 5] = np.nan
    coords = enforcer.coordinates(values)
    scrambled = {name: rng.permutation(coords[:, i]) for i, name in enumerate(enforcer.bounded)}
    suspect, broken = _enforced_and_broken(enforcer, values, scrambled)
    assert broken[300:310].all()
    assert not (broken & ~suspect).any()
    assert (suspect & ~broken).mean() < 0.01


def test_coordinate_helps_a_column_tied_to_its_bound_but_not_one_far_from_it():
    from flowgan.constraints.coordinates import coordinate_helps

    rng = np.random.default_rng(0)
    n = 4000
    avg = rng.lognormal(3, 2, n)  # spans orders of magnitude
    low_part = avg * rng.uniform(0, 1, n)  # min <= avg, tied to it
    order = rng.permutation(n)
    assert coordinate_helps(low_part, np.zeros(n), avg, order)
    # A largest payload near 550 between a small average and a large total: far from both.
    mean = rng.uniform(50, 150, n)
    total = mean * rng.integers(20, 60, n)
    largest = rng.normal(550, 20, n)
    assert not coordinate_helps(largest, mean, total, order)
