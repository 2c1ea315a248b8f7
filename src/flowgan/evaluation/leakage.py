"""Leakage audit: how well does each feature alone separate the target?

A column whose single-feature ROC-AUC is (nearly) 1 names the class rather than describes the
flow (a row index in a file sorted by class, a port, an address...). Such a column makes any
classifier look perfect and any oversampler look useless, so it is reported before the grid.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.stats import rankdata

from flowgan.evaluation.result import LEAK_AUC, LEAKAGE_COLUMNS


def single_feature_auc(X: pd.DataFrame, y: np.ndarray) -> pd.Series:
    """ROC-AUC of every column of ``X`` used alone as a score for ``y``.

    Binary and multi-class alike: for every class the one-vs-rest AUC is computed from ranks
    (Mann-Whitney U, ties as average ranks), folded as ``max(auc, 1 - auc)`` so that a feature
    that separates by small values counts too, and the largest over the classes is kept. With
    two classes both one-vs-rest AUCs are the same number.

    Vectorised: one rank per column, then a class-indicator matrix times the ranks, so 80
    columns x 6 classes on 55k rows takes well under a second.

    Returns
    -------
    Series
        AUC in [0.5, 1] per column, indexed by column name.
    """
    values = X.to_numpy(dtype=float)
    n = values.shape[0]
    labels = np.asarray(y)
    classes, codes = np.unique(labels, return_inverse=True)
    ranks = rankdata(values, axis=0, method="average")
    indicator = np.zeros((len(classes), n))
    indicator[codes, np.arange(n)] = 1.0
    n_pos = indicator.sum(axis=1)[:, None]
    n_neg = n - n_pos
    rank_sums = indicator @ ranks
    with np.errstate(divide="ignore", invalid="ignore"):
        auc = (rank_sums - n_pos * (n_pos + 1) / 2) / (n_pos * n_neg)
    auc = np.where(np.isfinite(auc), auc, 0.5)
    folded = np.maximum(auc, 1.0 - auc)
    return pd.Series(folded.max(axis=0), index=X.columns, name="auc")


def audit_leakage(X: pd.DataFrame, y: np.ndarray, threshold: float = LEAK_AUC) -> pd.DataFrame:
    """The leakage table (:data:`~flowgan.evaluation.result.LEAKAGE_COLUMNS`), largest AUC first.

    ``leak`` is True for a column with ``auc >= threshold``.
    """
    auc = single_feature_auc(X, y)
    table = pd.DataFrame({"column": auc.index.astype(str), "auc": auc.to_numpy(dtype=float)})
    table["leak"] = table["auc"] >= threshold
    table = table.sort_values(["auc", "column"], ascending=[False, True], kind="mergesort").reset_index(drop=True)
    return table[list(LEAKAGE_COLUMNS)]


def flagged_columns(table: pd.DataFrame) -> list[str]:
    """Names of the columns an audit table marks as leaks, in its order (largest AUC first)."""
    return [str(c) for c in table.loc[table["leak"].astype(bool), "column"]]


def leak_notices(table: pd.DataFrame, target_column: str) -> list[str]:
    """One plain-language warning per leaking column of an audit table."""
    return [
        f"column {row.column!r} alone separates {target_column!r} with ROC-AUC {row.auc:.3f} "
        f"(>= {LEAK_AUC}): a likely label leak; results that use it are not credible"
        for row in table.itertuples()
        if row.leak
    ]
