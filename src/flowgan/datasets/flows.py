"""Load any flow table (CSV, zipped CSV or Parquet) described by a :class:`DatasetSpec`.

CIC-IDS2017 or UNSW-NB15 exports work as long as they have a class column; every other
column that the spec does not drop must be numeric and finite.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterable
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from flowgan.datasets import _reader
from flowgan.datasets.hikari import is_hikari_header, load_hikari, normalise_header
from flowgan.datasets.schema import CLASS_COLUMN, HIKARI_SPEC, LABEL_COLUMN, DatasetSpec
from flowgan.errors import DataValidationError

logger = logging.getLogger(__name__)

_MAX_TYPE_RETRIES = 20


def spec_from_options(
    class_col: str | None = None, label_col: str | None = None, drop: Iterable[str] | None = None
) -> DatasetSpec | None:
    """Build a spec from the CLI's ``--class-col/--label-col/--drop`` (None when none is given).

    ``drop`` items may be comma-separated; names are kept as written (spaces too) and matched
    to the file's columns when it is read (:meth:`DatasetSpec.resolve`). Without ``--class-col``
    the HIKARI names are kept; with it, there is no label column unless ``--label-col`` names
    one (``none`` means none).
    """
    drop_names = tuple(split_column_names(drop) or ())
    if class_col is None and label_col is None and not drop_names:
        return None
    label = label_col if label_col is not None else (LABEL_COLUMN if class_col is None else None)
    if label is not None and label.lower() == "none":
        label = None
    return DatasetSpec(
        class_col=class_col or CLASS_COLUMN,
        label_col=label,
        drop=drop_names if drop_names else HIKARI_SPEC.drop,
        name="custom",
    )


def split_column_names(values: Iterable[str] | None) -> list[str] | None:
    """Column names given one by one and/or comma-separated, spaces kept (``" Source IP"``
    is a name of its own in CIC-IDS2017); ``None`` when none."""
    names = [part for value in (values or ()) for part in value.split(",") if part.strip()]
    return names or None


def _read_csv_flexibly(path: Path, names: list[str], spec: DatasetSpec, progress: bool) -> pa.Table:
    """Read with inferred types; widen a column to float64 (or string, for non-features)
    when a later block disagrees with the type guessed from the first block."""
    non_features = {*spec.drop, spec.class_col}
    types: dict[str, pa.DataType] = {spec.class_col: pa.string()} if spec.class_col in names else {}
    for _ in range(_MAX_TYPE_RETRIES):
        try:
            return _read_with(path, names, types, progress)
        except _TypeClash as clash:
            if clash.column in non_features:
                types[clash.column] = pa.string()
            elif clash.numeric and types.get(clash.column) != pa.float64():
                types[clash.column] = pa.float64()
            else:
                raise _reader.locate_bad_values(path, names, clash.column, pa.float64()) from None
    raise DataValidationError(f"{path}: could not settle the column types; check the file's numeric columns")


class _TypeClash(Exception):
    def __init__(self, column: str, value: str) -> None:
        super().__init__(column)
        self.column = column
        self.numeric = _is_number(value)


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _read_with(path: Path, names: list[str], types: dict[str, pa.DataType], progress: bool) -> pa.Table:
    try:
        return _reader.parse_csv(path, names, types, progress=progress)
    except pa.ArrowInvalid as exc:
        clash = _reader.conversion_error(exc, names)
        if clash:
            raise _TypeClash(*clash) from exc
        raise _reader.malformed_csv(path, exc) from exc


def _read_table(path: Path, spec: DatasetSpec, progress: bool) -> pa.Table:
    _reader.check_file(path)
    if _reader.is_parquet(path):
        try:
            return pq.read_table(path)
        except (pa.ArrowInvalid, OSError) as exc:
            raise DataValidationError(f"{path}: is not a readable Parquet file: {exc}") from exc
    names = normalise_header(_reader.read_header(path))
    return _read_csv_flexibly(path, names, spec.resolve(names, str(path)), progress)


def _check_feature_types(path: Path, table: pa.Table, features: list[str]) -> None:
    for name in features:
        kind = table.schema.field(name).type
        if pa.types.is_integer(kind) or pa.types.is_floating(kind) or pa.types.is_null(kind):
            continue
        column = table.column(name)
        if pa.types.is_string(kind) or pa.types.is_large_string(kind):
            text = column.to_pandas()
            bad = np.flatnonzero(pd.to_numeric(text, errors="coerce").isna().to_numpy() & text.notna().to_numpy())
            first = f"; the first is {text.iloc[int(bad[0])]!r} at {_reader.row_place(int(bad[0]))}" if bad.size else ""
            raise DataValidationError(
                f"{path}: feature column {name!r} is not numeric ({bad.size} non-numeric value(s){first}). "
                f"Fix it, or leave it out with --drop {name!r}."
            )
        raise DataValidationError(f"{path}: feature column {name!r} has type {kind}, not a number; leave it out with --drop {name!r}")


def _check_class_and_label(path: Path, df: pd.DataFrame, spec: DatasetSpec) -> None:
    klass = df[spec.class_col]
    if klass.isna().any():
        first = int(np.flatnonzero(klass.isna().to_numpy())[0])
        raise DataValidationError(
            f"{path}: class column {spec.class_col!r} has {int(klass.isna().sum())} empty value(s), first at {_reader.row_place(first)}"
        )
    if spec.label_col is None:
        return
    label = df[spec.label_col]
    values = set(pd.unique(label).tolist())
    if not values <= {0, 1}:
        others = sorted(values - {0, 1}, key=str)[:5]
        raise DataValidationError(f"{path}: label column {spec.label_col!r} must hold 0/1 only, it also holds {others}")
    mixed = label.groupby(klass, observed=True).nunique()
    mixed = list(mixed[mixed > 1].index)
    if mixed:
        raise DataValidationError(f"{path}: label column {spec.label_col!r} is not constant within class(es) {mixed}")


def load_flows(
    path: str | os.PathLike, spec: DatasetSpec = HIKARI_SPEC, *, drop_invalid: bool = False, progress: bool = False
) -> pd.DataFrame:
    """Load a flow table (CSV, zipped CSV or Parquet) with a class column.

    Parameters
    ----------
    path : str or path-like
        The file.
    spec : DatasetSpec, default HIKARI_SPEC
        Names the class column, the optional binary label column and the non-feature columns
        (``spec.drop``) that may hold text. Its names are matched to the file's header by
        :meth:`DatasetSpec.resolve` (exactly, else ignoring surrounding spaces); a column to
        drop that the file lacks is an error.
    drop_invalid : bool, default False
        Drop rows with a missing, NaN or infinite feature value instead of raising.
    progress : bool, default False
        Show a progress bar over the bytes read (CSV only).

    Returns
    -------
    pandas.DataFrame
        Every column of the file; the class column is a Categorical (categories sorted).

    Raises
    ------
    DataValidationError
        Missing/empty/non-CSV file, no class column, a label column that is missing or not
        0/1, non-numeric features (named, with the first bad row and value), missing, NaN or
        infinite feature values (counts per column).
    """
    path = Path(path)
    table = _read_table(path, spec, progress)
    names = table.column_names
    spec = spec.resolve(names, str(path))
    if spec.class_col not in names:
        raise DataValidationError(f"{path}: has no class column {spec.class_col!r}; name it with --class-col (columns: {names[:12]}...)")
    if spec.label_col is not None and spec.label_col not in names:
        raise DataValidationError(f"{path}: has no label column {spec.label_col!r}; name it with --label-col, or pass --label-col none")
    features = spec.feature_columns(names, keep_ports=True)
    _check_feature_types(path, table, features)
    numeric = [*features, *([spec.label_col] if spec.label_col else [])]
    table, _kept = _reader.handle_invalid_values(table, numeric, path, drop_invalid=drop_invalid)
    df = _reader.to_pandas(table)
    _check_class_and_label(path, df, spec)
    if not isinstance(df[spec.class_col].dtype, pd.CategoricalDtype):
        df[spec.class_col] = df[spec.class_col].astype("category")
    logger.info("loaded %s: %d rows, %d columns, class column %r", path, len(df), df.shape[1], spec.class_col)
    return df


def load_dataset(
    path: str | os.PathLike, spec: DatasetSpec | None = None, *, drop_invalid: bool = False, progress: bool = False
) -> pd.DataFrame:
    """Load ``path`` with :func:`load_hikari` when its header is HIKARI-2021's, else :func:`load_flows`.

    A ``spec`` naming a class column other than HIKARI's always goes to :func:`load_flows`.
    """
    path = Path(path)
    _reader.check_file(path)
    hikari_like = spec is None or spec.class_col == CLASS_COLUMN
    if hikari_like and not _reader.is_parquet(path) and is_hikari_header(_reader.read_header(path)):
        return load_hikari(path, drop_invalid=drop_invalid, progress=progress)
    return load_flows(path, spec or HIKARI_SPEC, drop_invalid=drop_invalid, progress=progress)
