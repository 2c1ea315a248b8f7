"""Input checks of a validation: read the two tables, keep one class, agree on the features."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from flowgan.errors import DataValidationError

TableInput = str | os.PathLike | pd.DataFrame


def read_table_input(source: TableInput, *, role: str) -> pd.DataFrame:
    """A DataFrame as given, or read from a .csv/.parquet path; ``role`` names it in errors."""
    if isinstance(source, pd.DataFrame):
        return source
    path = Path(source)
    if not path.is_file():
        raise DataValidationError(f"{role} data file {path} does not exist")
    try:
        frame = pd.read_parquet(path) if path.suffix.lower() == ".parquet" else pd.read_csv(path)
    except Exception as exc:  # pandas raises many parser errors
        raise DataValidationError(f"cannot read {role} data file {path}: {exc}") from exc
    if frame.empty:
        raise DataValidationError(f"{role} data file {path} has no rows")
    return frame


def select_class_rows(frame: pd.DataFrame, klass: Any, class_col: str, *, role: str) -> pd.DataFrame:
    """Rows of ``frame`` whose ``class_col`` equals ``klass`` (all rows when ``klass`` is None)."""
    if klass is None:
        return frame
    if class_col not in frame.columns:
        raise DataValidationError(f"{role} data has no class column {class_col!r}; pass the right class column")
    labels = frame[class_col].astype(str)
    rows = frame[labels == str(klass)]
    if rows.empty:
        known = ", ".join(sorted(labels.unique()))
        raise DataValidationError(f"class {klass!r} has no rows in the {role} data; its classes are: {known}")
    return rows.reset_index(drop=True)


def resolve_features(
    real: pd.DataFrame,
    synthetic: pd.DataFrame,
    features: Sequence[str] | None,
    *,
    ignore: Sequence[str] = (),
) -> list[str]:
    """The features to compare, in the real file's order.

    With ``features`` given, every name must be in both tables. Otherwise the numeric columns
    of the two tables (minus ``ignore``: class and label columns) must match exactly; the
    error names the missing and the extra synthetic columns.
    """
    if features is not None:
        features = list(features)
        absent = {role: [f for f in features if f not in frame.columns] for role, frame in (("real", real), ("synthetic", synthetic))}
        if absent["real"] or absent["synthetic"] or not features:
            parts = [f"not in the {role} data: {', '.join(map(repr, names))}" for role, names in absent.items() if names]
            raise DataValidationError(f"unknown feature name(s); {'; '.join(parts) or 'no features given'}")
        _check_numeric(real, features, "real")
        _check_numeric(synthetic, features, "synthetic")
        return features
    skip = set(ignore)
    real_cols = [c for c in real.columns if c not in skip and pd.api.types.is_numeric_dtype(real[c])]
    syn_cols = [c for c in synthetic.columns if c not in skip]
    missing = [c for c in real_cols if c not in syn_cols]
    extra = [c for c in syn_cols if c not in real_cols]
    if missing or extra:
        parts = []
        if missing:
            parts.append(f"missing from the synthetic data: {', '.join(map(repr, missing))}")
        if extra:
            parts.append(f"in the synthetic data but not numeric columns of the real data: {', '.join(map(repr, extra))}")
        raise DataValidationError(
            "synthetic columns do not match the real ones (" + "; ".join(parts) + "); "
            "pass the feature list to compare a subset"
        )
    _check_numeric(synthetic, real_cols, "synthetic")
    return real_cols


def _check_numeric(frame: pd.DataFrame, columns: Sequence[str], role: str) -> None:
    bad = [c for c in columns if not (pd.api.types.is_numeric_dtype(frame[c]) or pd.api.types.is_bool_dtype(frame[c]))]
    if bad:
        raise DataValidationError(f"{role} data column(s) {', '.join(map(repr, bad))} are not numeric")
