"""Fidelity metrics: bounds, identical inputs, and sensitivity to the differences they measure."""

from __future__ import annotations

import numpy as np
import pandas as pd
from _cgan_data import make_flow_frame

from flowgan.validation.fidelity import (
    compare_rows,
    correlation_difference,
    detection_auc,
    distance_to_closest_record,
    exact_copy_share,
    fidelity_table,
    ks_table,
    zero_share_table,
)


def test_identical_frames_score_perfectly():
    X, _ = make_flow_frame(300)
    assert ks_table(X, X)["ks"].max() == 0.0
    assert zero_share_table(X, X)["abs_diff"].max() == 0.0
    assert correlation_difference(X, X) == 0.0
    assert exact_copy_share(X, X) == 1.0
    assert distance_to_closest_record(X, X).max() == 0.0


def test_scores_see_shifted_zero_inflated_and_decorrelated_data():
    X, _ = make_flow_frame(1000, seed=0)
    other, _ = make_flow_frame(1000, seed=1)
    shifted = other.assign(duration=other["duration"] * 10, bwd_bytes=other["bwd_bytes"] + 1)
    ks = ks_table(X, shifted).set_index("column")["ks"]
    assert ks["duration"] > 0.3 and ks["fwd_pkts"] < 0.1
    zeros = zero_share_table(X, shifted).set_index("column")
    assert zeros.loc["bwd_bytes", "abs_diff"] > 0.4
    rng = np.random.default_rng(0)
    shuffled = pd.DataFrame({c: rng.permutation(other[c].to_numpy()) for c in other.columns})
    assert correlation_difference(X, shuffled) > correlation_difference(X, other) + 0.05
    assert exact_copy_share(other, X) < 0.2  # single-packet flows coincide, as in real data


def test_detection_auc_is_near_half_for_same_distribution_and_high_otherwise():
    X, _ = make_flow_frame(1200, seed=0)
    same, _ = make_flow_frame(1200, seed=1)
    assert detection_auc(X, same) < 0.62
    assert detection_auc(X, same.assign(duration=same["duration"] + 100)) > 0.95


def test_fidelity_table_is_tidy_with_floor_rows():
    X, y = make_flow_frame(900, seed=0)
    train, holdout = X.iloc[:600], X.iloc[600:]
    ytr, yho = y.iloc[:600].to_numpy(), y.iloc[600:].to_numpy()
    synthetic = {k: train[ytr == k] for k in ("scan", "brute")}  # a copying "generator"
    table = fidelity_table(holdout, yho, train, ytr, synthetic)
    assert list(table.columns) == ["class", "source", "metric", "value"]
    wide = table.pivot_table(index=["class", "metric"], columns="source", values="value")
    assert (wide.xs("copy_share", level="metric")["synthetic"] == 1.0).all()
    assert (wide.xs("copy_share", level="metric")["floor"] < 0.2).all()
    metrics = set(compare_rows(holdout, train, train=train)["metric"])
    assert {"ks_mean", "ks_max", "zero_share_max_diff", "corr_diff", "copy_share", "dcr_median"} <= metrics


def test_floor_averaged_over_draws_is_steadier_than_one_draw():
    X, y = make_flow_frame(900, seed=0)
    train, holdout = X.iloc[:700], X.iloc[700:]
    ytr, yho = y.iloc[:700].to_numpy(), y.iloc[700:].to_numpy()
    synthetic = {"scan": holdout[yho == "scan"]}

    def floor_ks(draws, seed):
        table = fidelity_table(holdout, yho, train, ytr, synthetic, floor_draws=draws, random_state=seed)
        return table.query("source == 'floor' and metric == 'ks_mean'")["value"].item()

    one = [floor_ks(1, seed) for seed in range(6)]
    many = [floor_ks(10, seed) for seed in range(6)]
    assert np.std(many) < 0.6 * np.std(one)
    assert abs(np.mean(many) - np.mean(one)) < 2 * np.std(one)
