"""Figures of an evaluation (matplotlib, Agg backend, imported lazily).

Each ``plot_*`` function draws a new figure from an :class:`EvaluationResult`'s tables and
returns it; callers save or embed it (:func:`flowgan.report.html.figure_html` closes it).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from flowgan.evaluation.result import OVERALL


def _pyplot():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def _bars(ax, table: pd.DataFrame, groups: Sequence[str], series: Sequence[str], group_col: str, series_col: str) -> None:
    """Grouped bars of ``mean`` with CI error bars: one group per ``groups`` entry, one bar per ``series``."""
    width = 0.8 / max(len(series), 1)
    x = np.arange(len(groups))
    for i, name in enumerate(series):
        rows = table[table[series_col] == name].set_index(group_col).reindex(groups)
        mean = rows["mean"].to_numpy(dtype=float)
        err = np.vstack([mean - rows["ci_low"].to_numpy(dtype=float), rows["ci_high"].to_numpy(dtype=float) - mean])
        err = np.where(np.isfinite(err), np.clip(err, 0, None), 0)
        ax.bar(x + (i - (len(series) - 1) / 2) * width, np.nan_to_num(mean), width, yerr=err, capsize=2, label=name)
    ax.set_xticks(x, [str(g) for g in groups])
    ax.set_ylim(0, 1.05)
    ax.grid(axis="y", alpha=0.3)


def plot_macro_f1(summary: pd.DataFrame, methods: Sequence[str], classifiers: Sequence[str]):
    """Macro-F1 mean and 95% CI per method, one group of bars per classifier."""
    plt = _pyplot()
    table = summary[(summary["class"] == OVERALL) & (summary["metric"] == "macro_f1")]
    fig, ax = plt.subplots(figsize=(min(12.0, 2.0 + 0.3 * len(classifiers) * max(len(methods), 1)), 3.6))
    _bars(ax, table, classifiers, methods, "classifier", "method")
    ax.set_ylabel("macro-F1 (mean, 95% CI)")
    ax.set_title("Macro-F1 on the real test split by balancing method")
    ax.legend(fontsize="small", loc="upper left", bbox_to_anchor=(1.0, 1.0))
    return fig


def plot_class_f1(summary: pd.DataFrame, methods: Sequence[str], classifiers: Sequence[str], classes: Sequence[str]):
    """Per-class F1 mean and 95% CI of ``classes``, one panel per classifier, bars per method."""
    plt = _pyplot()
    table = summary[summary["metric"] == "f1"]
    fig, axes = plt.subplots(len(classifiers), 1, figsize=(min(12.0, 3.0 + 0.25 * len(classes) * max(len(methods), 1)), 3.0 * len(classifiers)), squeeze=False)
    for ax, clf in zip(axes[:, 0], classifiers):
        _bars(ax, table[table["classifier"] == clf], classes, methods, "class", "method")
        ax.set_ylabel("F1 (mean, 95% CI)")
        ax.set_title(f"{clf}: F1 per attack class")
    axes[0, 0].legend(fontsize="small", loc="upper left", bbox_to_anchor=(1.0, 1.0))
    fig.tight_layout()
    return fig


def mean_confusion(confusion: pd.DataFrame, method: str, classifier: str, classes: Sequence[str]) -> pd.DataFrame:
    """Row-normalised confusion matrix of ``method`` x ``classifier``, counts summed over seeds."""
    rows = confusion[(confusion["method"] == method) & (confusion["classifier"] == classifier)]
    counts = rows.pivot_table(index="true", columns="predicted", values="count", aggfunc="sum", fill_value=0)
    counts = counts.reindex(index=list(classes), columns=list(classes), fill_value=0).astype(float)
    totals = counts.sum(axis=1).replace(0, np.nan)
    return counts.div(totals, axis=0)


def plot_confusions(matrices: dict[str, pd.DataFrame]):
    """Heatmaps of row-normalised confusion matrices, one panel per title in ``matrices``."""
    plt = _pyplot()
    n = len(matrices)
    size = max(len(m) for m in matrices.values()) if matrices else 1
    fig, axes = plt.subplots(1, n, figsize=((0.45 * size + 1.8) * n, 0.45 * size + 1.8), squeeze=False)
    for ax, (title, m) in zip(axes[0], matrices.items()):
        values = m.to_numpy(dtype=float)
        ax.imshow(np.nan_to_num(values), vmin=0, vmax=1, cmap="Blues")
        for (i, j), v in np.ndenumerate(values):
            if np.isfinite(v) and v >= 0.005:
                ax.text(j, i, f"{v:.2f}", ha="center", va="center", fontsize=7, color="white" if v > 0.6 else "black")
        ax.set_xticks(range(len(m.columns)), [str(c) for c in m.columns], rotation=45, ha="right", fontsize=7)
        ax.set_yticks(range(len(m.index)), [str(c) for c in m.index], fontsize=7)
        ax.set_xlabel("predicted")
        ax.set_ylabel("true")
        ax.set_title(title, fontsize=9)
    fig.tight_layout()
    return fig
