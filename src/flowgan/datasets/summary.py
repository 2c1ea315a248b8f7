"""A factual summary of a loaded flow table: size, classes, imbalance, degenerate columns."""

from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np
import pandas as pd

from flowgan.datasets.schema import HIKARI_SPEC, DatasetSpec


@dataclass(frozen=True)
class DatasetSummary:
    """What ``flowgan info`` reports.

    Attributes
    ----------
    n_rows, n_columns : int
        Size of the table.
    class_column : str
        The class column summarised.
    class_counts : dict of str to int
        Rows per class, largest first (classes of a categorical with no rows included, as 0).
    class_shares : dict of str to float
        ``class_counts`` divided by ``n_rows``.
    imbalance_ratio : float
        Rows of the largest class over rows of the smallest class that has any rows.
    constant_columns : dict of str to object
        Columns holding one value only, with that value.
    zero_shares : dict of str to float
        For numeric columns holding zeros: the share of rows that are zero.
    memory_bytes : int
        Memory the table uses (deep: strings included).
    dtypes : dict of str to int
        How many columns have each dtype.
    """

    n_rows: int
    n_columns: int
    class_column: str
    class_counts: dict[str, int]
    class_shares: dict[str, float]
    imbalance_ratio: float
    constant_columns: dict[str, object]
    zero_shares: dict[str, float]
    memory_bytes: int
    dtypes: dict[str, int]

    def to_dict(self) -> dict:
        """Plain dictionary (non-finite numbers become None), ready for JSON."""
        return _finite_or_none(asdict(self))


def _finite_or_none(obj):
    if isinstance(obj, dict):
        return {k: _finite_or_none(v) for k, v in obj.items()}
    if isinstance(obj, float) and not np.isfinite(obj):
        return None
    return obj


def summarize_dataset(df: pd.DataFrame, spec: DatasetSpec = HIKARI_SPEC) -> DatasetSummary:
    """Summarise ``df``: rows, columns, class counts and shares, imbalance ratio, constant
    columns, zero shares of numeric columns, memory used.

    Parameters
    ----------
    df : pandas.DataFrame
        A loaded table (see :func:`flowgan.datasets.load_dataset`).
    spec : DatasetSpec
        Names the class column.
    """
    counts = df[spec.class_col].value_counts(sort=True, dropna=False)
    class_counts = {str(k): int(v) for k, v in counts.items()}
    n_rows = len(df)
    present = [v for v in class_counts.values() if v > 0]
    imbalance = float(max(present) / min(present)) if present else float("nan")
    constant: dict[str, object] = {}
    zero_shares: dict[str, float] = {}
    for name in df.columns:
        column = df[name]
        if n_rows and column.nunique(dropna=False) == 1:
            value = column.iloc[0]
            constant[name] = value.item() if isinstance(value, np.generic) else value
        if pd.api.types.is_numeric_dtype(column) and not pd.api.types.is_bool_dtype(column):
            zeros = int((column.to_numpy() == 0).sum())
            if zeros:
                zero_shares[name] = zeros / n_rows
    return DatasetSummary(
        n_rows=n_rows,
        n_columns=df.shape[1],
        class_column=spec.class_col,
        class_counts=class_counts,
        class_shares={k: (v / n_rows if n_rows else 0.0) for k, v in class_counts.items()},
        imbalance_ratio=imbalance,
        constant_columns=constant,
        zero_shares=zero_shares,
        memory_bytes=int(df.memory_usage(deep=True).sum()),
        dtypes={str(k): int(v) for k, v in df.dtypes.astype(str).value_counts().items()},
    )
