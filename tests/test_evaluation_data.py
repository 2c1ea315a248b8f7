"""Leak-prone columns dropped first, the leakage audit, and the splits."""

from __future__ import annotations

import time

import numpy as np
import pandas as pd
import pytest
from _paper_standin import hikari_standin
from sklearn.metrics import roc_auc_score

from flowgan.datasets.schema import HIKARI_SPEC, IDENTIFIER_COLUMNS, INDEX_COLUMNS, PORT_COLUMNS
from flowgan.errors import FlowganError
from flowgan.evaluation.data import prepare_data
from flowgan.evaluation.leakage import audit_leakage, single_feature_auc
from flowgan.evaluation.split import make_replicates


def test_index_identifier_port_and_other_target_columns_are_dropped():
    data = prepare_data(hikari_standin(10), HIKARI_SPEC, "class")
    dropped = set(data.dropped)
    assert {*INDEX_COLUMNS, *IDENTIFIER_COLUMNS, *PORT_COLUMNS, "Label"} <= dropped
    assert not dropped & set(data.X.columns)
    assert "traffic_category" not in data.X.columns and data.X.shape[1] == 79
    assert data.benign_classes == ("Background", "Benign") and len(data.classes) == 6
    kept = prepare_data(hikari_standin(10), HIKARI_SPEC, "class", keep_ports=True)
    assert set(PORT_COLUMNS) <= set(kept.X.columns)


def test_binary_target_drops_the_class_column():
    data = prepare_data(hikari_standin(10), HIKARI_SPEC, "label")
    assert data.classes == ("0", "1") and data.benign_classes == ("0",)
    assert "traffic_category" in data.dropped and "traffic_category" not in data.X.columns


def test_missing_target_column_is_an_error():
    with pytest.raises(FlowganError, match="Label"):
        prepare_data(hikari_standin(10).drop(columns=["Label"]), HIKARI_SPEC, "label")
    with pytest.raises(FlowganError, match="unknown target"):
        prepare_data(hikari_standin(10), HIKARI_SPEC, "kind")


def test_rank_auc_matches_sklearn_one_vs_rest():
    rng = np.random.default_rng(0)
    y = rng.choice(["a", "b", "c"], 300)
    X = pd.DataFrame({"x": rng.normal(size=300) + (y == "b"), "ties": rng.integers(0, 3, 300).astype(float)})
    auc = single_feature_auc(X, y)
    for col in X.columns:
        expected = max(max(s, 1 - s) for s in (roc_auc_score(y == k, X[col]) for k in "abc"))
        assert auc[col] == pytest.approx(expected)


def test_planted_leak_is_flagged_and_nothing_else():
    data = prepare_data(hikari_standin({"Benign": 60, "Background": 40, "Probing": 30, "Bruteforce": 20,
                                        "Bruteforce-XML": 20, "XMRIGCC CryptoMiner": 15}), HIKARI_SPEC, "class")  # fmt: skip
    rng = np.random.default_rng(1)
    X = data.X.copy()
    X["planted"] = pd.Series(data.y).astype("category").cat.codes.to_numpy() + rng.normal(0, 0.05, len(X))
    table = audit_leakage(X, data.y)
    assert list(table.columns) == ["column", "auc", "leak"]
    assert table.iloc[0]["column"] == "planted" and table.iloc[0]["auc"] >= 0.99
    assert table["leak"].sum() == 1
    assert table["auc"].is_monotonic_decreasing


def test_audit_is_fast_on_hikari_sized_input():
    rng = np.random.default_rng(0)
    X = pd.DataFrame(rng.lognormal(size=(55_000, 80)))
    y = rng.choice(list("abcdef"), 55_000)
    start = time.perf_counter()
    audit_leakage(X, y)
    assert time.perf_counter() - start < 10


def test_replicates_are_stratified_disjoint_and_seeded():
    y = np.array(["a"] * 50 + ["b"] * 10)
    reps = make_replicates(y, 2, test_size=0.2)
    assert [r.replicate for r in reps] == [0, 1]
    for r in reps:
        assert not set(r.train) & set(r.test) and len(r.train) + len(r.test) == 60
        assert (y[r.test] == "b").sum() == 2
    assert not np.array_equal(reps[0].test, reps[1].test)
    assert reps[0].derived_seed("cgan") != reps[1].derived_seed("cgan") != reps[0].derived_seed("smote")
    assert reps[0].derived_seed("cgan") == make_replicates(y, 1)[0].derived_seed("cgan")
    folds = make_replicates(y, 2, folds=5)
    assert [r.replicate for r in folds] == list(range(10)) and folds[7].seed == 1 and folds[7].fold == 2
    with pytest.raises(FlowganError, match="'b' has 10 row"):
        make_replicates(y, 1, folds=11)
