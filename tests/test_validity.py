import numpy as np
import pandas as pd

from flowgan.validation.validity import integer_columns, training_identities, validity_table


def _flows(n, rng):
    fwd = rng.integers(0, 50, n)
    bwd = rng.integers(0, 50, n)
    dur = rng.exponential(2.0, n)
    return pd.DataFrame({"fwd": fwd, "bwd": bwd, "tot": fwd + bwd, "dur": dur, "k": ["a"] * n})


def test_identities_found_on_training_rows_and_counted_per_source():
    rng = np.random.default_rng(0)
    train = _flows(500, rng)
    features = ["fwd", "bwd", "tot", "dur"]
    identities = training_identities(train, features)
    assert any(i.kind == "sum" and set(i.columns) == {"fwd", "bwd", "tot"} for i in identities)
    assert integer_columns(train, features) == ["fwd", "bwd", "tot"]
    good = _flows(100, rng)
    bad = good.copy()
    bad.loc[:49, "tot"] = bad.loc[:49, "tot"] + 3  # breaks tot = fwd + bwd on half the rows
    bad.loc[0, "dur"] = -1.0
    bad["fwd"] = bad["fwd"].astype(float)
    bad.loc[1, "fwd"] = 0.5
    table = validity_table({"good": good, "bad": bad}, identities=identities, features=features,
                           int_columns=["fwd", "bwd", "tot"], class_col="k", classes=["a"])  # fmt: skip
    rows = table.set_index("source")
    assert rows.loc["good", "identity_violation_rate"] == 0 and rows.loc["good", "negative_values"] == 0
    assert rows.loc["bad", "identity_violation_rate"] >= 0.5
    assert rows.loc["bad", "negative_values"] == 1 and rows.loc["bad", "non_integral_values"] == 1
