"""Summaries over replicates: mean with a Student-t 95% interval, and paired Wilcoxon tests.

Replicates are the ``seed`` column of the records. With k-fold splits each (seed, fold) is a
replicate; the folds of one seed share most of their training rows, so they are not
independent and the t interval over them is somewhat too narrow (the evaluation says so in its
notices).
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
from scipy import stats

from flowgan.evaluation.result import COMPARISON_COLUMNS, OVERALL, SUMMARY_COLUMNS

CONFIDENCE = 0.95
BASELINES = ("none", "smote")
"""The methods every other method is compared with."""


def t_interval(values) -> tuple[float, float, float, int]:
    """``(mean, low, high, n)`` of the finite ``values``: mean +- t(0.975, n - 1) * sd / sqrt(n).

    With one value the interval is the value itself (no spread can be estimated), with none
    all three are NaN; a zero standard deviation gives a zero-width interval.
    """
    data = np.asarray(values, dtype=float)
    data = data[np.isfinite(data)]
    n = len(data)
    if n == 0:
        return float("nan"), float("nan"), float("nan"), 0
    mean = float(data.mean())
    if n == 1:
        return mean, mean, mean, 1
    half = float(stats.t.ppf(0.5 + CONFIDENCE / 2, n - 1) * data.std(ddof=1) / np.sqrt(n))
    return mean, mean - half, mean + half, n


def summarize(records: pd.DataFrame) -> pd.DataFrame:
    """:data:`~flowgan.evaluation.result.SUMMARY_COLUMNS` for every method x classifier x class x metric."""
    keys = ["method", "classifier", "class", "metric"]
    if records.empty:
        return pd.DataFrame(columns=list(SUMMARY_COLUMNS))
    rows = []
    for key, group in records.groupby(keys, sort=False, observed=True):
        mean, low, high, n = t_interval(group["value"])
        rows.append((*key, mean, low, high, n))
    return pd.DataFrame(rows, columns=list(SUMMARY_COLUMNS))


def paired_wilcoxon(a, b) -> tuple[float, float, int]:
    """``(mean of a - b, two-sided p-value, n pairs)`` of the paired Wilcoxon signed-rank test.

    Pairs with a NaN are dropped. Fewer than two pairs: p is NaN (no test possible). All
    differences zero: p is 1.0 (no evidence of a difference). Otherwise :func:`scipy.stats.wilcoxon`
    (zero differences dropped, exact distribution for small samples without ties; scipy's
    notes about switching to the normal approximation are silenced).
    """
    a = np.asarray(a, dtype=float)
    b = np.asarray(b, dtype=float)
    keep = np.isfinite(a) & np.isfinite(b)
    diff = a[keep] - b[keep]
    n = len(diff)
    if n == 0:
        return float("nan"), float("nan"), 0
    mean_diff = float(diff.mean())
    if n < 2:
        return mean_diff, float("nan"), n
    if np.all(diff == 0):
        return mean_diff, 1.0, n
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        p = float(stats.wilcoxon(a[keep], b[keep]).pvalue)
    return mean_diff, p, n


def comparison_metrics(records: pd.DataFrame) -> list[tuple[str, str | None]]:
    """``[(metric string, class or None)]``: ``macro_f1`` and ``f1[<class>]`` for every class."""
    classes = [k for k in pd.unique(records["class"]) if k != OVERALL]
    return [("macro_f1", None), *((f"f1[{k}]", k) for k in classes)]


def compare(records: pd.DataFrame, baselines: tuple[str, ...] = BASELINES) -> pd.DataFrame:
    """:data:`~flowgan.evaluation.result.COMPARISON_COLUMNS`: each method against each baseline
    (per classifier, paired by seed) on macro-F1 and per-class F1."""
    if records.empty:
        return pd.DataFrame(columns=list(COMPARISON_COLUMNS))
    rows = []
    methods = list(pd.unique(records["method"]))
    for label, klass in comparison_metrics(records):
        if klass is None:
            part = records[(records["class"] == OVERALL) & (records["metric"] == "macro_f1")]
        else:
            part = records[(records["class"] == klass) & (records["metric"] == "f1")]
        table = part.pivot_table(index=["classifier", "seed"], columns="method", values="value", aggfunc="first")
        for classifier in pd.unique(records["classifier"]):
            if classifier not in table.index.get_level_values(0):
                continue
            block = table.loc[classifier]
            for versus in baselines:
                if versus not in block.columns:
                    continue
                for method in methods:
                    if method == versus or method not in block.columns:
                        continue
                    mean_diff, p, n = paired_wilcoxon(block[method], block[versus])
                    rows.append((method, classifier, label, versus, mean_diff, p, n))
    return pd.DataFrame(rows, columns=list(COMPARISON_COLUMNS))
