"""Figures of a validation (matplotlib, Agg backend, imported lazily).

Each ``plot_*`` function draws on a new figure and returns it; callers save or embed it
(:func:`flowgan.report.html.figure_html` closes it). Distributions are drawn as ECDFs on a
symmetric-log axis, so that heavy-tailed, zero-inflated columns stay readable, and each
legend gives the share of exact zeros.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from flowgan.validation.statistics import zero_share

REAL_COLOR = "#1f77b4"
SYNTHETIC_COLOR = "#d62728"


def _pyplot():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def _ecdf(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    x = np.sort(values)
    return x, np.arange(1, x.size + 1) / x.size


def symlog_threshold(*arrays: np.ndarray) -> float:
    """Linear range of the symlog axis: the power of ten at or below the smallest non-zero |value|."""
    smallest = [np.min(np.abs(a[a != 0])) for a in arrays if np.any(a != 0)]
    if not smallest:
        return 1.0
    return float(10 ** math.floor(math.log10(min(smallest))))


def draw_ecdf(ax: Any, real: Any, synthetic: Any, feature: str, ks_statistic: float | None = None) -> None:
    """Draw the real and synthetic ECDFs of one feature on ``ax`` (symlog x axis)."""
    a = np.asarray(real, dtype=float)
    b = np.asarray(synthetic, dtype=float)
    a, b = a[~np.isnan(a)], b[~np.isnan(b)]
    for values, label, color, style in ((a, "real", REAL_COLOR, "-"), (b, "synthetic", SYNTHETIC_COLOR, "--")):
        if values.size:
            x, y = _ecdf(values)
            ax.step(x, y, where="post", color=color, linestyle=style,
                    label=f"{label} (n={values.size:,}, zeros {zero_share(values):.1%})")  # fmt: skip
    ax.set_xscale("symlog", linthresh=symlog_threshold(a, b))
    ax.set_ylim(0, 1.02)
    ax.set_ylabel("share of rows <= x")
    ax.set_xlabel(f"{feature} (symlog)")
    title = feature if ks_statistic is None or np.isnan(ks_statistic) else f"{feature}  (KS {ks_statistic:.3f})"
    ax.set_title(title, fontsize=10)
    ax.legend(fontsize=7, loc="lower right")
    ax.grid(alpha=0.3)


def plot_distribution(real: Any, synthetic: Any, feature: str, ks_statistic: float | None = None):
    """One feature's real-vs-synthetic ECDF; returns the figure."""
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(6, 4))
    draw_ecdf(ax, real, synthetic, feature, ks_statistic)
    fig.tight_layout()
    return fig


def plot_distributions(
    real: pd.DataFrame, synthetic: pd.DataFrame, features: Sequence[str], ks: Mapping[str, float] | None = None, *, ncols: int = 2
):
    """A grid of ECDFs, one panel per feature; returns the figure."""
    plt = _pyplot()
    n = max(len(features), 1)
    ncols = min(ncols, n)
    nrows = math.ceil(n / ncols)
    fig, axes = plt.subplots(nrows, ncols, figsize=(6 * ncols, 3.8 * nrows), squeeze=False)
    for ax, feature in zip(axes.flat, features, strict=False):
        draw_ecdf(ax, real[feature], synthetic[feature], feature, (ks or {}).get(feature))
    for ax in list(axes.flat)[len(features) :]:
        ax.set_visible(False)
    fig.tight_layout()
    return fig


def plot_correlation_heatmaps(correlations: Mapping[str, pd.DataFrame], *, title: str = ""):
    """Real, synthetic and difference (synthetic - real) correlation heatmaps side by side."""
    plt = _pyplot()
    fig, axes = plt.subplots(1, 3, figsize=(18, 6))
    labels = list(correlations["real"].columns)
    cmap = plt.get_cmap("coolwarm").with_extremes(bad="#bbbbbb")
    show_labels = len(labels) <= 30
    for ax, key in zip(axes, ("real", "synthetic", "difference"), strict=True):
        matrix = correlations[key].to_numpy(dtype=float)
        limit = 2.0 if key == "difference" else 1.0
        image = ax.imshow(np.ma.masked_invalid(matrix), cmap=cmap, vmin=-limit, vmax=limit)
        ax.set_title(f"{key} correlations" if key != "difference" else "difference (synthetic - real)", fontsize=10)
        if show_labels:
            ax.set_xticks(range(len(labels)), labels, rotation=90, fontsize=6)
            ax.set_yticks(range(len(labels)), labels, fontsize=6)
        else:
            ax.set_xticks([])
            ax.set_yticks([])
            ax.set_xlabel(f"{len(labels)} features (file order); grey = undefined")
        fig.colorbar(image, ax=ax, fraction=0.046, pad=0.04)
    if title:
        fig.suptitle(title)
    fig.tight_layout()
    return fig


def plot_loss_curves(history: Sequence[Mapping[str, Any]], *, title: str = "training losses"):
    """Mean discriminator and generator loss per epoch, one colour per class (or network)."""
    plt = _pyplot()
    frame = pd.DataFrame(list(history))
    fig, ax = plt.subplots(figsize=(8, 4.5))
    if frame.empty:
        ax.text(0.5, 0.5, "no training history", ha="center", va="center")
        return fig
    if "class" not in frame:
        frame["class"] = ""  # one unnamed group (None would be dropped by groupby as missing)
    loss_columns = [c for c in frame.columns if c.endswith("loss")]
    groups = frame.groupby(frame["class"].astype(str), sort=False)
    for index, (klass, rows) in enumerate(groups):
        color = plt.get_cmap("tab10")(index % 10)
        for column, style in zip(loss_columns, ("-", "--", ":", "-."), strict=False):
            label = f"{klass}: {column}" if klass else column
            ax.plot(rows["epoch"], rows[column], linestyle=style, color=color, label=label)
    ax.set_xlabel("epoch")
    ax.set_ylabel("mean loss over the epoch's batches")
    ax.set_title(title)
    ax.grid(alpha=0.3)
    ax.legend(fontsize=7, ncol=2)
    fig.tight_layout()
    return fig


def plot_class_counts(before: Mapping[Any, int], after: Mapping[Any, int], *, title: str = "rows per class"):
    """Bar chart of class counts before and after adding synthetic rows (log scale)."""
    plt = _pyplot()
    classes = list(dict.fromkeys([*before, *after]))
    x = np.arange(len(classes))
    fig, ax = plt.subplots(figsize=(max(6, 1.3 * len(classes)), 4))
    ax.bar(x - 0.2, [before.get(k, 0) for k in classes], width=0.4, label="before", color=REAL_COLOR)
    ax.bar(x + 0.2, [after.get(k, 0) for k in classes], width=0.4, label="after", color=SYNTHETIC_COLOR)
    ax.set_xticks(x, [str(k) for k in classes], rotation=20, fontsize=8)
    ax.set_yscale("log")
    ax.set_title(title)
    ax.legend()
    fig.tight_layout()
    return fig
