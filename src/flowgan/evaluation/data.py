"""Features and target of an evaluation: the leak-prone columns removed before anything else."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from flowgan.datasets.schema import DatasetSpec
from flowgan.errors import FlowganError
from flowgan.preprocess import preprocess

TARGETS = ("class", "label")
"""``class``: the spec's class column (HIKARI: six classes); ``label``: its binary label column."""


@dataclass(frozen=True)
class EvaluationData:
    """The table an evaluation works on.

    Attributes
    ----------
    X : DataFrame
        Numeric features only, float64, finite; index 0..n-1.
    y : ndarray of str
        Target value of each row, as text (``"0"``/``"1"`` for a binary label).
    classes : tuple of str
        Target classes, sorted.
    benign_classes : tuple of str
        Classes of benign traffic: the negatives of the benign false-positive rate.
    attack_classes : tuple of str
        The other classes.
    benign_class : str
        The largest benign class (the ``benign_class`` of the result).
    dropped : dict of str to str
        Every column removed, with the reason.
    notices : tuple of str
    """

    X: pd.DataFrame
    y: np.ndarray
    classes: tuple[str, ...]
    benign_classes: tuple[str, ...]
    attack_classes: tuple[str, ...]
    benign_class: str
    dropped: dict[str, str]
    notices: tuple[str, ...]


def target_column(spec: DatasetSpec, target: str) -> str:
    """The column that ``target`` names under ``spec``."""
    if target not in TARGETS:
        raise FlowganError(f"unknown target {target!r}: choose one of {', '.join(TARGETS)}")
    if target == "label":
        if not spec.label_col:
            raise FlowganError("target 'label' needs a label column, but the dataset spec has none")
        return spec.label_col
    return spec.class_col


def prepare_data(frame: pd.DataFrame, spec: DatasetSpec, target: str, keep_ports: bool = False) -> EvaluationData:
    """Drop index, identifier and (unless ``keep_ports``) port columns and the other target.

    Uses :func:`flowgan.preprocess.preprocess` in ``default`` mode, then removes the target
    column and the other target column (``Label`` when the target is the class and the class
    when it is the label) from the features, and any remaining non-numeric column.

    Raises
    ------
    FlowganError
        When the target column is missing, a feature has NaN/infinite values, or the target
        has fewer than two classes.
    """
    column = target_column(spec, target)
    if column not in frame.columns:
        raise FlowganError(f"the table has no target column {column!r} (target {target!r}); columns: {list(frame.columns)[:8]}...")
    result = preprocess(frame, "default", spec, keep_ports=keep_ports)
    table = result.frame
    dropped = dict(result.dropped)
    notices = list(result.notes)
    y = _target_values(table[column], column)
    other = [c for c in (spec.class_col, spec.label_col) if c and c != column and c in table.columns]
    for name in other:
        dropped[name] = "the other target column: it would leak the target"
    features = table.drop(columns=[column, *other])
    non_numeric = [c for c in features.columns if not _is_numeric(features[c])]
    for name in non_numeric:
        dropped[name] = f"not numeric (dtype {features[name].dtype})"
    if non_numeric:
        notices.append(f"dropped non-numeric column(s) {non_numeric}: the classifiers need numbers")
    X = features.drop(columns=non_numeric).astype(float).reset_index(drop=True)
    _check_finite(X)
    counts = pd.Series(y).value_counts()
    classes = tuple(sorted(counts.index))
    if len(classes) < 2:
        raise FlowganError(f"the target column {column!r} has only {len(classes)} class(es); an evaluation needs two or more")
    benign = _benign_classes(table, y, classes, counts, spec, target)
    benign_class = max(benign, key=lambda k: (counts[k], k))
    attack = tuple(k for k in classes if k not in benign)
    return EvaluationData(X, y, classes, benign, attack, benign_class, dropped, tuple(notices))


def _target_values(series: pd.Series, column: str) -> np.ndarray:
    if series.isna().any():
        raise FlowganError(f"the target column {column!r} has {int(series.isna().sum())} missing value(s)")
    return series.astype(str).to_numpy(dtype=object).astype(str)


def _is_numeric(series: pd.Series) -> bool:
    if isinstance(series.dtype, pd.CategoricalDtype):
        return False
    return pd.api.types.is_numeric_dtype(series) or pd.api.types.is_bool_dtype(series)


def _check_finite(X: pd.DataFrame) -> None:
    values = X.to_numpy(dtype=float)
    bad = ~np.isfinite(values)
    if bad.any():
        col = X.columns[int(np.flatnonzero(bad.any(axis=0))[0])]
        raise FlowganError(f"feature column {col!r} has {int(bad[:, X.columns.get_loc(col)].sum())} NaN or infinite value(s)")


def _benign_classes(table: pd.DataFrame, y: np.ndarray, classes: tuple[str, ...], counts: pd.Series, spec: DatasetSpec,
                    target: str) -> tuple[str, ...]:  # fmt: skip
    """Classes of benign traffic: label 0 (by the label column when there is one), else the majority.

    ``counts``: rows per class of ``y``, largest first (``value_counts``).
    """
    if target == "label":
        zero = [k for k in classes if k in ("0", "0.0", "False", "false")]
        if zero:
            return tuple(zero)
    elif spec.label_col and spec.label_col in table.columns:
        labels = pd.to_numeric(table[spec.label_col], errors="coerce")
        share = labels.groupby(y).mean()
        benign = tuple(k for k in classes if share.get(k, 1.0) < 0.5)
        if benign:
            return benign
    return (str(counts.index[0]),)
