"""Fidelity and novelty of synthetic rows against real rows of the same class.

Small stateless functions; each returns a number or a tidy table. :func:`compare_rows`
gathers them into one tidy table (``metric``, ``value``) for one class, and
:func:`fidelity_table` does it per class, adding the real-data floor: the same scores for an
equal-size sample of real training rows, i.e. what the best possible generator would get.

A column that cannot be scored (absent from one side, empty) yields NaN, not an exception.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
from scipy.stats import ks_2samp


def _shared_numeric_columns(real: pd.DataFrame, synthetic: pd.DataFrame) -> list[str]:
    return [c for c in real.columns if c in synthetic.columns and pd.api.types.is_numeric_dtype(real[c])]


def ks_table(real: pd.DataFrame, synthetic: pd.DataFrame) -> pd.DataFrame:
    """Two-sample Kolmogorov-Smirnov statistic per column: ``column``, ``ks``."""
    rows = []
    for col in _shared_numeric_columns(real, synthetic):
        a, b = real[col].to_numpy(dtype=float), synthetic[col].to_numpy(dtype=float)
        ks = float(ks_2samp(a, b, method="asymp").statistic) if a.size and b.size else np.nan
        rows.append({"column": col, "ks": ks})
    return pd.DataFrame(rows, columns=["column", "ks"])


def zero_share_table(real: pd.DataFrame, synthetic: pd.DataFrame) -> pd.DataFrame:
    """Share of exact zeros per column: ``column``, ``real``, ``synthetic``, ``abs_diff``."""
    rows = []
    for col in _shared_numeric_columns(real, synthetic):
        r = float((real[col] == 0).mean()) if len(real) else np.nan
        s = float((synthetic[col] == 0).mean()) if len(synthetic) else np.nan
        rows.append({"column": col, "real": r, "synthetic": s, "abs_diff": abs(r - s)})
    return pd.DataFrame(rows, columns=["column", "real", "synthetic", "abs_diff"])


def correlation_difference(real: pd.DataFrame, synthetic: pd.DataFrame, method: str = "pearson") -> float:
    """Mean absolute difference of the off-diagonal correlation coefficients.

    A coefficient that is undefined (a constant column) counts as 0 on that side.
    """
    cols = _shared_numeric_columns(real, synthetic)
    if len(cols) < 2:
        return float("nan")
    a = real[cols].astype(float).corr(method=method).fillna(0.0).to_numpy()
    b = synthetic[cols].astype(float).corr(method=method).fillna(0.0).to_numpy()
    off = ~np.eye(len(cols), dtype=bool)
    return float(np.abs(a - b)[off].mean())


def exact_copy_share(rows: pd.DataFrame, reference: pd.DataFrame) -> float:
    """Share of ``rows`` identical (all shared columns equal) to some row of ``reference``."""
    cols = [c for c in rows.columns if c in reference.columns]
    if not len(rows) or not cols:
        return float("nan")
    ref = pd.util.hash_pandas_object(reference[cols].astype(float), index=False)
    mine = pd.util.hash_pandas_object(rows[cols].astype(float), index=False)
    return float(np.isin(mine.to_numpy(), ref.to_numpy()).mean())


def _scaled(frame: pd.DataFrame, cols: list[str], center: np.ndarray, scale: np.ndarray) -> np.ndarray:
    values = frame[cols].to_numpy(dtype=float)
    return (np.sign(values) * np.log1p(np.abs(values)) - center) / scale


def distance_to_closest_record(rows: pd.DataFrame, reference: pd.DataFrame, *, max_rows: int = 5000, random_state: Any = 0) -> np.ndarray:
    """Euclidean distance from each of (up to ``max_rows`` of) ``rows`` to its nearest ``reference`` row.

    Features are compressed with a signed log1p and standardised by the reference's spread, so
    that heavy-tailed columns do not dominate.
    """
    from sklearn.neighbors import NearestNeighbors

    cols = [c for c in rows.columns if c in reference.columns]
    rng = np.random.default_rng(random_state)
    if len(rows) > max_rows:
        rows = rows.iloc[np.sort(rng.choice(len(rows), max_rows, replace=False))]
    ref_values = reference[cols].to_numpy(dtype=float)
    logged = np.sign(ref_values) * np.log1p(np.abs(ref_values))
    center, scale = logged.mean(axis=0), logged.std(axis=0)
    scale = np.where(scale > 0, scale, 1.0)
    index = NearestNeighbors(n_neighbors=1).fit((logged - center) / scale)
    distances, _ = index.kneighbors(_scaled(rows, cols, center, scale))
    return distances[:, 0]


def detection_auc(real: pd.DataFrame, synthetic: pd.DataFrame, *, max_rows: int = 5000, random_state: Any = 0) -> float:
    """ROC AUC of a classifier telling real from synthetic rows (3-fold CV): 0.5 is ideal."""
    from sklearn.ensemble import HistGradientBoostingClassifier
    from sklearn.model_selection import cross_val_score

    cols = _shared_numeric_columns(real, synthetic)
    rng = np.random.default_rng(random_state)
    n = min(len(real), len(synthetic), max_rows)
    if n < 6 or not cols:
        return float("nan")
    a = real[cols].iloc[rng.choice(len(real), n, replace=False)].to_numpy(dtype=float)
    b = synthetic[cols].iloc[rng.choice(len(synthetic), n, replace=False)].to_numpy(dtype=float)
    X, y = np.vstack([a, b]), np.r_[np.zeros(n), np.ones(n)]
    model = HistGradientBoostingClassifier(max_iter=100, random_state=0)
    return float(cross_val_score(model, X, y, cv=3, scoring="roc_auc").mean())


def compare_rows(
    real: pd.DataFrame,
    synthetic: pd.DataFrame,
    *,
    train: pd.DataFrame | None = None,
    identities: Sequence | None = None,
    detection: bool = False,
    random_state: Any = 0,
) -> pd.DataFrame:
    """All fidelity scores of ``synthetic`` against held-out ``real`` rows of one class.

    Returns a tidy table with columns ``metric`` and ``value``: ``ks_mean``, ``ks_max``,
    ``ks_max_column`` (as NaN value; see :func:`ks_table`), ``zero_share_max_diff``,
    ``corr_diff``, and with ``train``: ``copy_share`` (rows equal to a training row),
    ``dcr_median`` (median distance to the closest training row); with ``identities``:
    ``identity_violation_rate``; with ``detection``: ``detection_auc``.
    """
    ks = ks_table(real, synthetic)
    zeros = zero_share_table(real, synthetic)
    out = {
        "ks_mean": float(ks["ks"].mean()),
        "ks_max": float(ks["ks"].max()),
        "zero_share_max_diff": float(zeros["abs_diff"].max()),
        "corr_diff": correlation_difference(real, synthetic),
    }
    if train is not None:
        out["copy_share"] = exact_copy_share(synthetic, train)
        out["dcr_median"] = float(np.median(distance_to_closest_record(synthetic, train, random_state=random_state)))
    if identities is not None:
        from flowgan.constraints import violation_rate

        out["identity_violation_rate"] = violation_rate(synthetic, list(identities))
    if detection:
        out["detection_auc"] = detection_auc(real, synthetic, random_state=random_state)
    return pd.DataFrame({"metric": list(out), "value": list(out.values())})


def fidelity_table(
    holdout: pd.DataFrame,
    y_holdout: Any,
    train: pd.DataFrame,
    y_train: Any,
    synthetic: dict[Any, pd.DataFrame],
    *,
    n_rows: int | None = None,
    floor_draws: int = 1,
    identities: Sequence | None = None,
    detection: bool = False,
    random_state: Any = 0,
) -> pd.DataFrame:
    """Per-class scores of each synthetic frame and of the real-data floor, as one tidy table.

    Parameters
    ----------
    holdout, y_holdout : held-out real rows and their classes (the reference).
    train, y_train : the generator's training rows (for the floor and for novelty).
    synthetic : dict
        ``{class: synthetic rows of that class}``.
    n_rows : int, optional
        Rows compared per class (default: as many as the class has held-out rows); the floor
        is an equal-size sample of real training rows of the class.
    floor_draws : int, default=1
        Samples of training rows the floor is averaged over: one sample of a small class is
        noisy (a lucky draw makes the floor strict, an unlucky one lax).

    Returns
    -------
    DataFrame with columns ``class``, ``source`` (``synthetic`` or ``floor``), ``metric``,
    ``value``. The floor's ``copy_share`` is the share of held-out rows identical to a
    training row, the bar that synthetic rows' copy share is judged against.
    """
    rng = np.random.default_rng(random_state)
    y_holdout, y_train = np.asarray(y_holdout), np.asarray(y_train)
    parts = []
    for klass, rows in synthetic.items():
        real = holdout[y_holdout == klass]
        train_k = train[y_train == klass]
        n = min(n_rows or len(real), len(real), len(rows), len(train_k))
        ours = rows.iloc[rng.choice(len(rows), n, replace=False)] if len(rows) > n else rows
        scored = compare_rows(real, ours, train=train_k, identities=identities, detection=detection, random_state=random_state)
        draws = [compare_rows(real, train_k.iloc[rng.choice(len(train_k), n, replace=False)], identities=identities,
                              detection=detection, random_state=random_state) for _ in range(max(1, floor_draws))]  # fmt: skip
        base = pd.concat(draws).groupby("metric", sort=False, as_index=False)["value"].mean()
        # The floor's novelty: how often a real held-out row equals a training row.
        base = pd.concat([base, pd.DataFrame({"metric": ["copy_share", "dcr_median"], "value": [
            exact_copy_share(real, train_k),
            float(np.median(distance_to_closest_record(real, train_k, random_state=random_state))),
        ]})], ignore_index=True)  # fmt: skip
        parts += [scored.assign(**{"class": klass, "source": "synthetic"}), base.assign(**{"class": klass, "source": "floor"})]
    table = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=["metric", "value"])
    return table[["class", "source", "metric", "value"]]
