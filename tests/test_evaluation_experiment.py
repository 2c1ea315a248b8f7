"""evaluate() end to end on tiny data: a well-formed result, no leak of test rows into any
resampler, clear errors before the grid starts, and the same records on a Dask cluster."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd
import pytest
from _paper_standin import hikari_standin

from flowgan.datasets.schema import HIKARI_SPEC
from flowgan.errors import FlowganError
from flowgan.evaluation import CLASSIFIERS, DEFAULT_CLASSIFIERS, DEFAULT_METHODS, METHODS, evaluate
from flowgan.evaluation.data import prepare_data
from flowgan.evaluation.grid import TIMING_METRICS, GridSettings, plan_resampling
from flowgan.evaluation.methods import resolve_targets
from flowgan.evaluation.result import (
    CLASS_METRICS,
    COMPARISON_COLUMNS,
    CONFUSION_COLUMNS,
    OVERALL,
    OVERALL_METRICS,
    RECORD_COLUMNS,
    SUMMARY_COLUMNS,
)
from flowgan.evaluation.split import make_replicates

COUNTS = {"Benign": 90, "Background": 50, "Probing": 30, "Bruteforce": 20, "Bruteforce-XML": 20, "XMRIGCC CryptoMiner": 15}
TINY_GAN = {"cgan": {"epochs": 1, "batch_size": 64, "calibrate_marginals": False}, "paper": {"epochs": 1}}


@pytest.fixture(scope="module")
def frame():
    return hikari_standin(COUNTS, seed=3)


@pytest.fixture(scope="module")
def result(frame):
    calls = []
    out = evaluate(frame, methods=["none", "smote", "cgan"], classifiers=["rf"], seeds=2, generator_params=TINY_GAN,
                   progress=lambda done, total: calls.append((done, total)), source="standin")  # fmt: skip
    return out, calls


def test_constants():
    assert METHODS[:2] == ("none", "class_weight") and "ctgan" in METHODS
    assert DEFAULT_CLASSIFIERS == ("rf", "hgb") and set(DEFAULT_CLASSIFIERS) <= set(CLASSIFIERS)
    assert set(DEFAULT_METHODS) <= set(METHODS) and "cgan" in DEFAULT_METHODS


def test_result_is_well_formed(result):
    res, calls = result
    assert list(res.records.columns) == list(RECORD_COLUMNS)
    assert list(res.summary.columns) == list(SUMMARY_COLUMNS)
    assert list(res.comparisons.columns) == list(COMPARISON_COLUMNS)
    assert list(res.confusion.columns) == list(CONFUSION_COLUMNS)
    records = res.records
    assert set(records["method"]) == {"none", "smote", "cgan", "cgan-tstr"}
    assert set(records["seed"]) == {0, 1} and set(records["classifier"]) == {"rf"}
    assert set(records.loc[records["class"] == OVERALL, "metric"]) == set(OVERALL_METRICS)
    assert set(records.loc[records["class"] != OVERALL, "metric"]) == set(CLASS_METRICS)
    assert res.classes == tuple(sorted(COUNTS)) and res.benign_class == "Benign"
    macro = records[records["metric"] == "macro_f1"]["value"]
    assert macro.between(0, 1).all() and len(macro) == 8
    rows = records[records["metric"] == "train_rows"].set_index(["seed", "method"])["value"]
    assert (rows.xs("smote", level=1) > rows.xs("none", level=1)).all()
    assert (rows.xs("cgan-tstr", level=1) == rows.xs("none", level=1)).all()
    assert (res.summary["n"] <= 2).all()
    assert {"macro_f1", "f1[Probing]"} <= set(res.comparisons["metric"])
    assert set(res.comparisons["versus"]) == {"none", "smote"}
    support = records[(records["metric"] == "support")].groupby(["seed", "method"])["value"].sum()
    assert (support == res.confusion.groupby(["seed", "method"])["count"].sum()).all()
    assert not any("failed" in n for n in res.notices)
    assert "Label" in res.dropped_columns and "uid" in res.dropped_columns
    assert res.config["source"] == "standin" and res.config["targets_replicate_0"]
    assert calls[-1][0] == calls[-1][1] and len(calls) == calls[-1][1]


def test_unknown_names_missing_target_and_small_classes_fail_before_the_grid(frame):
    with pytest.raises(FlowganError, match="unknown method.*choose from"):
        evaluate(frame, methods=["none", "gan"], seeds=1)
    with pytest.raises(FlowganError, match="unknown classifier.*rf"):
        evaluate(frame, methods=["none"], classifiers=["svm"], seeds=1)
    with pytest.raises(FlowganError, match="traffic_category"):
        evaluate(frame.drop(columns=["traffic_category"]), methods=["none"], seeds=1)
    small = hikari_standin({**COUNTS, "XMRIGCC CryptoMiner": 6}, seed=0)
    with pytest.raises(FlowganError, match=r"'XMRIGCC CryptoMiner' has 5 row.*'smote' needs at least 6"):
        evaluate(small, methods=["none", "smote"], classifiers=["rf"], seeds=1)
    with pytest.raises(FlowganError, match="needs at least 8 per class"):
        evaluate(small, methods=["none"], classifiers=["rf"], seeds=1, folds=8)


def test_ctgan_missing_is_skipped_with_a_notice(frame, monkeypatch):
    import flowgan.evaluation.experiment as experiment

    monkeypatch.setattr(experiment, "available_methods", lambda: tuple(m for m in METHODS if m != "ctgan"))
    res = evaluate(frame, methods=["none", "ctgan"], classifiers=["logreg"], seeds=1)
    assert set(res.records["method"]) == {"none"}
    assert any("pip install flowgan[ctgan]" in n for n in res.notices)


def _training_sets(data, replicate, settings):
    out = {}
    for _, task in plan_resampling(data, replicate, settings):
        func, args, kwargs = task
        status, sets = func(*args, **kwargs)
        assert status == "ok", sets
        out.update(sets)
    return out


def test_test_rows_never_reach_a_resampler(frame):
    data = prepare_data(frame, HIKARI_SPEC, "class")
    replicate = make_replicates(data.y, 1)[0]
    targets = {0: resolve_targets(None, data.y[replicate.train], data.attack_classes)}
    settings = GridSettings(["ros", "smote", "borderline", "cgan"], ["rf"], targets, TINY_GAN, tstr=True)
    rng = np.random.default_rng(0)
    perturbed_X = data.X.copy()
    perturbed_X.iloc[replicate.test] *= rng.uniform(0.1, 10, size=(len(replicate.test), data.X.shape[1]))
    original = _training_sets(data, replicate, settings)
    perturbed = _training_sets(replace(data, X=perturbed_X), replicate, settings)
    assert set(original) == {"ros", "smote", "borderline", "cgan", "cgan-tstr"}
    for name in original:  # identical training sets: every classifier fitted on them is identical too
        np.testing.assert_array_equal(original[name].X, perturbed[name].X)
        np.testing.assert_array_equal(original[name].y, perturbed[name].y)
    # the check can fail: perturbing training rows does change what SMOTE produces
    train_perturbed = data.X.copy()
    train_perturbed.iloc[replicate.train] *= 1.5
    changed = _training_sets(replace(data, X=train_perturbed), replicate, replace(settings, methods=["smote"]))
    assert not np.array_equal(changed["smote"].X, original["smote"].X)


def test_class_weight_and_folds_and_binary_target(frame):
    res = evaluate(frame, target="label", methods=["none", "class_weight", "ros"], classifiers=["logreg", "mlp"],
                   seeds=1, folds=2)  # fmt: skip
    assert res.classes == ("0", "1") and res.benign_class == "0"
    assert set(res.records["seed"]) == {0, 1} and res.config["folds"] == 2
    assert any("2-fold" in n for n in res.notices) and not any("failed" in n for n in res.notices)


def _without_timing(records):
    return records[~records["metric"].isin(TIMING_METRICS)].reset_index(drop=True)


@pytest.mark.slow
def test_dask_cluster_gives_the_same_records(frame, result):
    distributed = pytest.importorskip("distributed")
    # two workers: with one, joblib would run the tasks here, one after the other
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=False, dashboard_address=None) as cluster:
        res = evaluate(frame, methods=["none", "smote", "cgan"], classifiers=["rf"], seeds=2,
                       generator_params=TINY_GAN, scheduler=cluster.scheduler_address, source="standin")  # fmt: skip
        assert cluster.scheduler.task_prefixes  # the cells did run on the cluster
    local, _ = result
    assert not any("failed" in n for n in res.notices)
    assert _without_timing(res.records).equals(_without_timing(local.records))
    assert res.confusion.equals(local.confusion)


def test_planted_leak_is_reported_by_evaluate(frame):
    leaky = frame.copy()
    codes = leaky["traffic_category"].astype("category").cat.codes.to_numpy()
    leaky["leaky"] = codes + np.random.default_rng(0).normal(0, 0.05, len(leaky))
    res = evaluate(leaky, methods=["none"], classifiers=["logreg"], seeds=1)
    assert res.leakage.iloc[0]["column"] == "leaky" and bool(res.leakage.iloc[0]["leak"])
    assert res.leakage["leak"].sum() == 1
    assert any("'leaky'" in n and "leak" in n for n in res.notices)


class _FakeCTGAN:
    """Stands in for ctgan.CTGAN (not installed in the test environment): a per-column normal."""

    def __init__(self, epochs, batch_size, pac):
        assert batch_size % pac == 0
        self.seed = None

    def set_random_state(self, seed):
        self.seed = seed

    def fit(self, frame):
        self.mean, self.std, self.columns = frame.mean(), frame.std(), list(frame.columns)

    def sample(self, n):
        rng = np.random.default_rng(self.seed)
        return pd.DataFrame(rng.normal(self.mean, self.std.fillna(0), size=(n, len(self.columns))), columns=self.columns)


def test_ctgan_adapter_runs_when_ctgan_imports(frame, monkeypatch):
    import importlib.machinery
    import sys
    import types

    fake = types.ModuleType("ctgan")
    fake.__spec__ = importlib.machinery.ModuleSpec("ctgan", None)
    fake.CTGAN = _FakeCTGAN
    monkeypatch.setitem(sys.modules, "ctgan", fake)
    res = evaluate(frame, methods=["none", "ctgan"], classifiers=["logreg"], seeds=1)
    assert set(res.records["method"]) == {"none", "ctgan", "ctgan-tstr"}
    assert not any("failed" in n or "skipped" in n for n in res.notices)
