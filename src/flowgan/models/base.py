"""What every flowgan generator offers, and the input checks they share.

A generator is a scikit-learn style estimator (``__init__`` stores keyword arguments only, so
:func:`sklearn.base.clone` works) with::

    fit(X, y=None) -> self            X: numeric DataFrame, y: class of each row (or None)
    sample(n_samples, klass=None)     exactly n_samples rows (of class ``klass``), a DataFrame
                                      with X's columns and dtypes
    save(path) / load(path)           a model directory (see flowgan.models.persistence)

Learned attributes end in ``_``: ``classes_``, ``feature_names_in_``, ``dtypes_``, ``history_``
(one dict of losses per epoch).
"""

from __future__ import annotations

import os
from abc import ABC, abstractmethod
from pathlib import Path
from typing import Any, ClassVar

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator

from flowgan.errors import FlowganError


class BaseFlowGenerator(BaseEstimator, ABC):
    """Abstract base of flowgan's generators; see the module docstring for the contract."""

    model_type: ClassVar[str] = ""
    min_rows_per_class: ClassVar[int] = 2

    @abstractmethod
    def fit(self, X: pd.DataFrame, y: Any = None) -> BaseFlowGenerator:
        """Learn to generate rows like ``X`` (per class of ``y`` when given)."""

    @abstractmethod
    def sample(self, n_samples: int, klass: Any = None) -> pd.DataFrame:
        """Return exactly ``n_samples`` synthetic rows (of class ``klass``)."""

    @abstractmethod
    def save(self, path: str | os.PathLike) -> Path:
        """Write the fitted model to directory ``path``."""

    @classmethod
    @abstractmethod
    def load(cls, path: str | os.PathLike) -> BaseFlowGenerator:
        """Rebuild a fitted model from directory ``path`` (on the CPU unless told otherwise)."""


def check_feature_frame(X: Any, *, name: str = "X") -> pd.DataFrame:
    """Return ``X`` as a DataFrame of finite numbers, or raise a FlowganError naming the column."""
    frame = X if isinstance(X, pd.DataFrame) else pd.DataFrame(np.asarray(X))
    frame = frame.rename(columns=str)
    if frame.shape[0] == 0 or frame.shape[1] == 0:
        raise FlowganError(f"{name} is empty ({frame.shape[0]} rows, {frame.shape[1]} columns)")
    for col in frame.columns:
        series = frame[col]
        if isinstance(series.dtype, pd.CategoricalDtype) or not (
            pd.api.types.is_numeric_dtype(series) or pd.api.types.is_bool_dtype(series)
        ):
            raise FlowganError(
                f"{name} column {col!r} is not numeric (dtype {series.dtype}); drop it or encode it first"
            )
        values = series.to_numpy(dtype=float, na_value=np.nan)
        bad = ~np.isfinite(values)
        if bad.any():
            first = int(np.flatnonzero(bad)[0])
            raise FlowganError(
                f"{name} column {col!r} has {int(bad.sum())} NaN or infinite value(s), first at row {first}"
            )
    return frame


def check_class_counts(y: Any, min_rows: int, *, model: str) -> pd.Series:
    """Return ``y`` as a Series; raise if any class has fewer than ``min_rows`` rows."""
    labels = pd.Series(np.asarray(y)).reset_index(drop=True)
    counts = labels.value_counts()
    small = counts[counts < min_rows]
    if not small.empty:
        listing = ", ".join(f"{k!r} has {v}" for k, v in small.items())
        raise FlowganError(f"too few rows to train the {model} model: {listing}; it needs at least {min_rows} per class")
    return labels


def check_n_samples(n_samples: Any) -> int:
    """``n_samples`` as a positive int, or a FlowganError."""
    if isinstance(n_samples, bool) or not isinstance(n_samples, (int, np.integer)) or n_samples <= 0:
        raise FlowganError(f"n_samples must be a positive integer, got {n_samples!r}")
    return int(n_samples)


def check_known_class(klass: Any, classes: Any) -> Any:
    """Return ``klass`` if it is one of ``classes``; otherwise raise naming the known ones."""
    known = list(classes)
    if klass not in known:
        raise FlowganError(f"unknown class {klass!r}: the model was trained on {', '.join(map(repr, known))}")
    return klass
