"""Where a bounded value sits between its ordering bounds, and how to put it back there.

A free column with ordering bounds (``idle.min <= idle.avg``, ``fwd_iat.max <= fwd_iat.tot``)
is described relative to its bounds by one *coordinate*:

=========  ==================  ===============================  ==========================
mode       bounds              coordinate                       value from coordinate
=========  ==================  ===============================  ==========================
span       low and high        ``(x - low) / (high - low)``     ``low + c * (high - low)``
excess     low only            ``x - low``                      ``low + c``
deficit    high only           ``high - x``                     ``high - c``
=========  ==================  ===============================  ==========================

``low`` is the largest lower bound (and 0 for a non-negative column), ``high`` the smallest
upper bound, both rounded inwards for integral columns. Clipping a value onto its bound piles
every out-of-range row onto the bound (a column ``min <= avg`` clipped this way gains a large
share of rows with ``min == avg``, and of zeros); placing a calibrated coordinate between the
bounds instead keeps the column's marginal close to the training one. The coordinate is
undefined (NaN) where the span is empty.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
from scipy.stats import ks_2samp


def column_bounds(enforcer, name: str, cols: Mapping[str, np.ndarray]) -> tuple[np.ndarray | None, np.ndarray | None]:
    """``(low, high)`` of a free column of ``enforcer`` on the rows of ``cols`` (None: unbounded)."""
    integral = name in enforcer.integral
    lows = [cols[r] for r in enforcer.lower_bounds.get(name, ())]
    highs = [cols[r] for r in enforcer.upper_bounds.get(name, ())]
    low = np.maximum.reduce(lows) if lows else None
    if name in enforcer.nonneg:
        low = np.zeros(len(cols[name])) if low is None else np.maximum(low, 0.0)
    high = np.minimum.reduce(highs) if highs else None
    if integral:
        low = None if low is None else np.ceil(low)
        high = None if high is None else np.floor(high)
    return low, high


def interior_atom_share(x: np.ndarray, low: np.ndarray | None, high: np.ndarray | None) -> float:
    """Share of all rows held by the most common value strictly between the bounds.

    A column such as an initial window size (one value on most rows, whatever its bounds) is
    better generated as itself: its coordinate would smear that atom over the bounds' range.
    """
    inside = np.ones(x.shape, dtype=bool)
    if low is not None:
        inside &= x > low
    if high is not None:
        inside &= x < high
    if not inside.any():
        return 0.0
    return float(np.unique(x[inside], return_counts=True)[1].max() / x.size)


def coordinate_helps(x: np.ndarray, low: np.ndarray | None, high: np.ndarray | None, order: np.ndarray) -> bool:
    """Whether ``x`` keeps its marginal better as a coordinate between its bounds than as itself.

    Both are tried under the error a generator makes when it gets a row's other columns wrong:
    values (or coordinates) shuffled by ``order`` (within each class), then clipped (or placed)
    between each row's own bounds; the one whose result is closer to ``x`` (KS statistic, on the
    rows where the span is not empty) wins. A flow's largest payload, far from both its average
    and its total, keeps its marginal as itself; ``idle.min`` against ``idle.avg`` as a coordinate.
    """
    open_ = np.ones(x.shape, dtype=bool) if low is None or high is None else high > low
    if open_.sum() < 2:
        return False
    c = coordinate(x, low, high)
    itself = x[order]
    if low is not None:
        itself = np.maximum(itself, low)
    if high is not None:
        itself = np.minimum(itself, high)
    shuffled = c[order]
    shuffled = np.where(np.isnan(shuffled), np.nanmedian(c) if np.isfinite(c).any() else 0.0, shuffled)
    placed = place(shuffled, low, high, False, itself)
    ks_itself = ks_2samp(itself[open_], x[open_], method="asymp").statistic
    ks_placed = ks_2samp(placed[open_], x[open_], method="asymp").statistic
    return bool(ks_placed < ks_itself)


def coordinate(x: np.ndarray, low: np.ndarray | None, high: np.ndarray | None) -> np.ndarray:
    """The coordinate of ``x`` between its bounds (see the module table); NaN for an empty span."""
    if low is not None and high is not None:
        span = high - low
        ok = span > 0
        out = np.full(x.shape, np.nan)
        out[ok] = np.clip((x[ok] - low[ok]) / span[ok], 0.0, 1.0)
        return out
    if low is not None:
        return np.maximum(x - low, 0.0)
    return np.maximum(high - x, 0.0)


def place(c: np.ndarray, low: np.ndarray | None, high: np.ndarray | None, integral: bool, fallback: np.ndarray) -> np.ndarray:
    """Values at coordinate ``c`` between the bounds; ``fallback`` (already clipped) where ``c`` is NaN."""
    if low is not None and high is not None:
        x = low + c * (high - low)
    elif low is not None:
        x = low + c
    else:
        x = high - c
    if integral:
        x = np.round(x)
    if low is not None:
        x = np.maximum(x, low)
    if high is not None:
        x = np.minimum(x, high)
    return np.where(np.isnan(c), fallback, x)


def fill_undefined(coords: np.ndarray, groups: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """``coords`` (rows x columns) with each NaN drawn from the defined values of its column and group.

    Where the span is empty the coordinate does not matter; drawing it from the same group's
    defined coordinates keeps it from adding an artificial atom (0 where a group has none).
    """
    out = coords.copy()
    for group in np.unique(groups):
        rows = groups == group
        for i in range(out.shape[1]):
            column = out[rows, i]
            missing = np.isnan(column)
            if missing.any():
                pool = column[~missing]
                column[missing] = rng.choice(pool, int(missing.sum())) if pool.size else 0.0
                out[rows, i] = column
    return out
