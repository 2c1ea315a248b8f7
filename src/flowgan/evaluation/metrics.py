"""Metrics of one cell (replicate x method x classifier), from the confusion matrix.

Everything is computed from the confusion matrix over the target classes, so nothing divides
by zero silently or warns: a ratio with an empty denominator is 0 (scikit-learn's
``zero_division=0``), and PR-AUC of a class absent from the test rows is NaN.
"""

from __future__ import annotations

import numpy as np
from sklearn.metrics import average_precision_score

from flowgan.evaluation.result import OVERALL


def confusion_counts(y_true: np.ndarray, y_pred: np.ndarray, classes: tuple[str, ...]) -> np.ndarray:
    """Confusion matrix (rows: true class, columns: predicted class) in ``classes`` order."""
    index = {k: i for i, k in enumerate(classes)}
    true = np.array([index[k] for k in np.asarray(y_true)], dtype=np.int64)
    pred = np.array([index.get(k, -1) for k in np.asarray(y_pred)], dtype=np.int64)
    keep = pred >= 0
    matrix = np.zeros((len(classes), len(classes)), dtype=np.int64)
    np.add.at(matrix, (true[keep], pred[keep]), 1)
    return matrix


def _ratio(num: np.ndarray, den: np.ndarray) -> np.ndarray:
    num = np.asarray(num, dtype=float)
    den = np.asarray(den, dtype=float)
    out = np.zeros_like(num)
    np.divide(num, den, out=out, where=den > 0)
    return out


def class_scores(matrix: np.ndarray) -> dict[str, np.ndarray]:
    """Per-class precision, recall, F1 and support from a confusion matrix."""
    tp = np.diag(matrix).astype(float)
    support = matrix.sum(axis=1).astype(float)
    predicted = matrix.sum(axis=0).astype(float)
    precision = _ratio(tp, predicted)
    recall = _ratio(tp, support)
    f1 = _ratio(2 * tp, support + predicted)
    return {"precision": precision, "recall": recall, "f1": f1, "support": support}


def mcc_from_confusion(matrix: np.ndarray) -> float:
    """Matthews correlation coefficient (multi-class, Gorodkin's R_K); 0 when undefined."""
    c = matrix.astype(float)
    n = c.sum()
    correct = np.trace(c)
    t = c.sum(axis=1)
    p = c.sum(axis=0)
    cov_ytyp = correct * n - t @ p
    cov_ypyp = n * n - p @ p
    cov_ytyt = n * n - t @ t
    den = np.sqrt(cov_ytyt * cov_ypyp)
    return float(cov_ytyp / den) if den > 0 else 0.0


def overall_scores(matrix: np.ndarray, classes: tuple[str, ...], benign_classes: tuple[str, ...]) -> dict[str, float]:
    """macro-F1, G-mean, balanced accuracy, MCC and the benign false-positive rate.

    Classes absent from the test rows are left out of the macro-F1, balanced accuracy and
    G-mean averages (as in :func:`imblearn.metrics.geometric_mean_score` with
    ``average="multiclass"``). ``benign_fpr`` is the share of truly benign test rows (all
    ``benign_classes``) predicted as any non-benign class; a benign row predicted as another
    benign class is no false positive.
    """
    scores = class_scores(matrix)
    present = scores["support"] > 0
    recall = scores["recall"][present]
    benign = np.array([k in benign_classes for k in classes])
    benign_rows = matrix[benign].sum()
    alarms = matrix[np.ix_(benign, ~benign)].sum()
    return {
        "macro_f1": float(scores["f1"][present].mean()) if present.any() else 0.0,
        "g_mean": float(np.prod(recall) ** (1.0 / len(recall))) if len(recall) else 0.0,
        "balanced_accuracy": float(recall.mean()) if len(recall) else 0.0,
        "mcc": mcc_from_confusion(matrix),
        "benign_fpr": float(alarms / benign_rows) if benign_rows > 0 else float("nan"),
    }


def pr_auc_scores(y_true: np.ndarray, proba: np.ndarray, proba_classes: np.ndarray, classes: tuple[str, ...]) -> np.ndarray:
    """One-vs-rest average precision of each class (NaN for a class without test rows).

    A class the classifier never saw in training has no probability column; its score is
    then all zeros, so its PR-AUC is its prevalence.
    """
    y_true = np.asarray(y_true)
    column = {k: i for i, k in enumerate(np.asarray(proba_classes))}
    out = np.full(len(classes), np.nan)
    for i, klass in enumerate(classes):
        positive = y_true == klass
        if not positive.any():
            continue
        score = proba[:, column[klass]] if klass in column else np.zeros(len(y_true))
        out[i] = float(average_precision_score(positive, score)) if not positive.all() else 1.0
    return out


def cell_metrics(
    y_true: np.ndarray,
    y_pred: np.ndarray,
    proba: np.ndarray,
    proba_classes: np.ndarray,
    classes: tuple[str, ...],
    benign_classes: tuple[str, ...],
) -> tuple[list[tuple[str, str, float]], np.ndarray]:
    """``[(class, metric, value), ...]`` of one cell (timings excluded) and its confusion matrix."""
    matrix = confusion_counts(y_true, y_pred, classes)
    scores = class_scores(matrix)
    scores["pr_auc"] = pr_auc_scores(y_true, proba, proba_classes, classes)
    rows = [(klass, metric, float(scores[metric][i])) for i, klass in enumerate(classes)
            for metric in ("precision", "recall", "f1", "pr_auc", "support")]  # fmt: skip
    overall = overall_scores(matrix, classes, benign_classes)
    pr = scores["pr_auc"][~np.isnan(scores["pr_auc"])]
    overall["pr_auc_macro"] = float(pr.mean()) if len(pr) else float("nan")
    rows += [(OVERALL, metric, value) for metric, value in overall.items()]
    return rows, matrix
