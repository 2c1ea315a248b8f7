"""Metrics of one cell against hand-computed values, the t interval and the Wilcoxon test."""

from __future__ import annotations

import math

import numpy as np
import pytest
from imblearn.metrics import geometric_mean_score
from scipy import stats
from sklearn.metrics import balanced_accuracy_score, f1_score, matthews_corrcoef, precision_recall_fscore_support

from flowgan.evaluation.metrics import cell_metrics, confusion_counts
from flowgan.evaluation.result import OVERALL
from flowgan.evaluation.stats import compare, paired_wilcoxon, summarize, t_interval

CLASSES = ("Benign", "Probing", "Scan")
# true Benign: 5 right, 1 -> Probing; true Probing: 2 -> Benign, 3 right, 1 -> Scan; true Scan: 4 right
PAIRS = [("Benign", "Benign")] * 5 + [("Benign", "Probing")] + [("Probing", "Benign")] * 2 + \
        [("Probing", "Probing")] * 3 + [("Probing", "Scan")] + [("Scan", "Scan")] * 4  # fmt: skip


def toy():
    y_true = np.array([t for t, _ in PAIRS])
    y_pred = np.array([p for _, p in PAIRS])
    proba = np.array([[float(p == k) for k in CLASSES] for p in y_pred])
    rows, matrix = cell_metrics(y_true, y_pred, proba, np.array(CLASSES), CLASSES, ("Benign",))
    return y_true, y_pred, {(k, m): v for k, m, v in rows}, matrix


def test_confusion_matrix_of_the_toy():
    _, _, _, matrix = toy()
    assert matrix.tolist() == [[5, 1, 0], [2, 3, 1], [0, 0, 4]]


def test_per_class_metrics_match_hand_computed_values():
    _, _, m, _ = toy()
    assert m["Benign", "precision"] == pytest.approx(5 / 7)
    assert m["Probing", "precision"] == pytest.approx(3 / 4)
    assert m["Scan", "precision"] == pytest.approx(4 / 5)
    assert [m[k, "recall"] for k in CLASSES] == pytest.approx([5 / 6, 1 / 2, 1.0])
    assert [m[k, "f1"] for k in CLASSES] == pytest.approx([10 / 13, 6 / 10, 8 / 9])
    assert [m[k, "support"] for k in CLASSES] == [6, 6, 4]


def test_overall_metrics_match_hand_computed_values_and_libraries():
    y_true, y_pred, m, _ = toy()
    assert m[OVERALL, "macro_f1"] == pytest.approx((10 / 13 + 6 / 10 + 8 / 9) / 3)
    assert m[OVERALL, "balanced_accuracy"] == pytest.approx((5 / 6 + 1 / 2 + 1) / 3)
    assert m[OVERALL, "g_mean"] == pytest.approx((5 / 12) ** (1 / 3))
    assert m[OVERALL, "mcc"] == pytest.approx(106 / math.sqrt(166 * 168))
    assert m[OVERALL, "benign_fpr"] == pytest.approx(1 / 6)
    # the same numbers from scikit-learn and imbalanced-learn
    assert m[OVERALL, "macro_f1"] == pytest.approx(f1_score(y_true, y_pred, average="macro"))
    assert m[OVERALL, "balanced_accuracy"] == pytest.approx(balanced_accuracy_score(y_true, y_pred))
    assert m[OVERALL, "g_mean"] == pytest.approx(geometric_mean_score(y_true, y_pred, average="multiclass"))
    assert m[OVERALL, "mcc"] == pytest.approx(matthews_corrcoef(y_true, y_pred))
    p, r, f, _ = precision_recall_fscore_support(y_true, y_pred, labels=list(CLASSES), zero_division=0)
    assert [m[k, "f1"] for k in CLASSES] == pytest.approx(f)


def test_benign_fpr_ignores_confusion_between_benign_classes():
    classes = ("Background", "Benign", "Probing")
    y_true = np.array(["Benign", "Benign", "Background", "Background", "Probing"])
    y_pred = np.array(["Background", "Benign", "Benign", "Probing", "Probing"])
    proba = np.array([[float(p == k) for k in classes] for p in y_pred])
    rows, _ = cell_metrics(y_true, y_pred, proba, np.array(classes), classes, ("Background", "Benign"))
    assert dict(((k, m), v) for k, m, v in rows)[OVERALL, "benign_fpr"] == pytest.approx(1 / 4)


def test_zero_division_gives_zero_and_absent_class_gives_nan_pr_auc():
    classes = ("A", "B", "C")
    y_true = np.array(["A", "A", "B", "B"])
    y_pred = np.array(["A", "A", "A", "A"])
    proba = np.array([[1.0, 0.0], [0.9, 0.1], [0.8, 0.2], [0.6, 0.4]])
    rows, matrix = cell_metrics(y_true, y_pred, proba, np.array(["A", "B"]), classes, ("A",))
    m = {(k, n): v for k, n, v in rows}
    assert m["B", "precision"] == 0 and m["B", "f1"] == 0 and m["C", "f1"] == 0
    assert np.isnan(m["C", "pr_auc"]) and m["B", "pr_auc"] == pytest.approx(1.0)
    assert m[OVERALL, "macro_f1"] == pytest.approx((2 * 2 / 6 + 0) / 2)  # C has no test rows
    assert confusion_counts(y_true, y_pred, classes).sum() == 4


def test_t_interval_matches_hand_computed_interval():
    mean, low, high, n = t_interval([0.5, 0.6, 0.7])
    half = 4.302652729911275 * 0.1 / math.sqrt(3)  # t(0.975, 2) * sd / sqrt(n)
    assert (mean, n) == (pytest.approx(0.6), 3)
    assert (low, high) == (pytest.approx(0.6 - half), pytest.approx(0.6 + half))
    assert t_interval([0.7]) == (0.7, 0.7, 0.7, 1)
    assert t_interval([0.4, np.nan, 0.4])[1:3] == (0.4, 0.4)


def test_paired_wilcoxon_matches_scipy_and_edge_cases():
    a = [0.61, 0.65, 0.70, 0.58, 0.72, 0.69]
    b = [0.60, 0.62, 0.66, 0.60, 0.65, 0.61]
    mean_diff, p, n = paired_wilcoxon(a, b)
    assert n == 6 and mean_diff == pytest.approx(np.mean(np.subtract(a, b)))
    assert p == pytest.approx(stats.wilcoxon(a, b).pvalue)
    # five positive distinct differences: exact two-sided p = 2 / 2**5
    assert paired_wilcoxon([1, 2, 3, 4, 5], [0.5, 1.4, 2.3, 3.2, 4.1])[1] == pytest.approx(2 / 32)
    assert paired_wilcoxon([0.5, 0.6], [0.5, 0.6])[1] == 1.0
    assert np.isnan(paired_wilcoxon([0.5], [0.4])[1])


def test_summary_and_comparisons_from_records():
    import pandas as pd

    rows = []
    for seed, (none, smote) in enumerate([(0.5, 0.6), (0.55, 0.62), (0.52, 0.7)]):
        for method, value in (("none", none), ("smote", smote)):
            rows.append((seed, method, "rf", OVERALL, "macro_f1", value))
            rows.append((seed, method, "rf", "Probing", "f1", value / 2))
    records = pd.DataFrame(rows, columns=["seed", "method", "classifier", "class", "metric", "value"])
    summary = summarize(records)
    row = summary[(summary["method"] == "smote") & (summary["metric"] == "macro_f1")].iloc[0]
    assert row["mean"] == pytest.approx(np.mean([0.6, 0.62, 0.7])) and row["n"] == 3
    comparisons = compare(records)
    assert set(comparisons["metric"]) == {"macro_f1", "f1[Probing]"}
    smote = comparisons[(comparisons["method"] == "smote") & (comparisons["metric"] == "macro_f1")].iloc[0]
    assert smote["versus"] == "none" and smote["mean_diff"] == pytest.approx(np.mean([0.1, 0.07, 0.18]))
    assert smote["p_value"] == pytest.approx(stats.wilcoxon([0.6, 0.62, 0.7], [0.5, 0.55, 0.52]).pvalue)
