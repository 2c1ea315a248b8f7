"""Load ``ALLFLOWMETER_HIKARI2021.csv`` (or the official ``.zip``) fast and checked.

pyarrow parses the file with an explicit type for each of the 88 columns, so nothing is
guessed and a bad value is caught at once; the zip is read as a stream, never unpacked.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa

from flowgan.datasets import _cache, _reader
from flowgan.datasets.schema import CLASS_COLUMN, CLASS_LABELS, CLASSES, COLUMNS, DTYPES, INDEX_COLUMNS, LABEL_COLUMN
from flowgan.errors import DataValidationError

logger = logging.getLogger(__name__)

_INDEX_HEADER_VARIANTS: tuple[tuple[str, str], ...] = (
    ("", "Unnamed: 0"),  # the raw file
    ("Unnamed: 0.1", "Unnamed: 0"),
    ("Unnamed: 0", "Unnamed: 0.1"),
)
"""How the two index columns appear: raw, or renamed by either pandas version."""

NUMERIC_COLUMNS: tuple[str, ...] = tuple(c for c in COLUMNS if DTYPES[c] in ("int64", "float64"))


def _arrow_types() -> dict[str, pa.DataType]:
    types: dict[str, pa.DataType] = {}
    for name in COLUMNS:
        kind = DTYPES[name]
        if name == CLASS_COLUMN:
            types[name] = pa.dictionary(pa.int32(), pa.string())
        else:
            types[name] = {"int64": pa.int64(), "float64": pa.float64()}.get(kind, pa.string())
    return types


def normalise_header(names: list[str]) -> list[str]:
    """Rename the two leading index columns to flowgan's names, whichever variant is used.

    The raw file's first name is empty and its second ``Unnamed: 0``; pandas renames them
    ``Unnamed: 0.1, Unnamed: 0`` or ``Unnamed: 0, Unnamed: 0.1`` depending on its version.
    Position decides: the first is always ``Unnamed: 0.1``, the second ``Unnamed: 0``.
    """
    if len(names) >= 2 and tuple(names[:2]) in _INDEX_HEADER_VARIANTS:
        return [*INDEX_COLUMNS, *names[2:]]
    return list(names)


def is_hikari_header(names: list[str]) -> bool:
    """True when ``names`` (a raw CSV header) holds exactly HIKARI-2021's 88 columns."""
    return sorted(normalise_header(names)) == sorted(COLUMNS)


def _check_columns(path: Path, names: list[str]) -> None:
    missing = [c for c in COLUMNS if c not in names]
    extra = [c for c in names if c not in COLUMNS]
    problems = []
    if missing:
        problems.append(f"missing column(s) {missing}")
    if extra:
        problems.append(f"unexpected column(s) {extra}")
    if problems:
        raise DataValidationError(
            f"{path}: does not have HIKARI-2021's 88 columns: {'; '.join(problems)}. "
            "For another flow dataset use load_flows (CLI: --class-col/--label-col/--drop)."
        )


def _check_classes(path: Path, df: pd.DataFrame, kept: np.ndarray | None) -> None:
    column = df[CLASS_COLUMN]
    unknown = [c for c in column.cat.categories if c not in CLASSES]
    if unknown:
        first = int(np.flatnonzero(column.isin(unknown).to_numpy())[0])
        raise DataValidationError(
            f"{path}: column {CLASS_COLUMN!r} holds unknown class name(s) {unknown} "
            f"(first at {_reader.row_place(_reader.original_row(first, kept))}); "
            f"HIKARI-2021's classes are {list(CLASSES)}"
        )
    df[CLASS_COLUMN] = column.cat.set_categories(CLASSES)


def _check_labels(path: Path, df: pd.DataFrame, kept: np.ndarray | None) -> None:
    expected = np.array([CLASS_LABELS[c] for c in CLASSES], dtype=np.int64)[df[CLASS_COLUMN].cat.codes.to_numpy()]
    wrong = np.flatnonzero(expected != df[LABEL_COLUMN].to_numpy())
    if wrong.size:
        first = int(wrong[0])
        raise DataValidationError(
            f"{path}: column {LABEL_COLUMN!r} disagrees with {CLASS_COLUMN!r} in {wrong.size} row(s); the first is "
            f"{_reader.row_place(_reader.original_row(first, kept))}: {df[CLASS_COLUMN].iloc[first]!r} with "
            f"Label {df[LABEL_COLUMN].iloc[first]} (Benign and Background are 0, attacks are 1)"
        )


def load_hikari(
    path: str | os.PathLike, *, drop_invalid: bool = False, progress: bool = False, cache: bool | None = None
) -> pd.DataFrame:
    """Load HIKARI-2021's ``ALLFLOWMETER_HIKARI2021.csv``, or the official ``.csv.zip`` as is.

    Parameters
    ----------
    path : str or path-like
        The CSV, or a zip archive holding it (read as a stream, never unpacked to disk).
    drop_invalid : bool, default False
        Drop rows with a missing, NaN or infinite number instead of raising (logs how many).
    progress : bool, default False
        Show a progress bar over the bytes read.
    cache : bool or None, default None
        Keep the checked table in a parsed cache (Arrow IPC, under ``$FLOWGAN_DATA/parsed`` or
        the user cache) and reuse it while the source is unchanged. None: only for files of
        64 MiB or more, and not when the environment variable ``FLOWGAN_NO_CACHE`` is set.

    Returns
    -------
    pandas.DataFrame
        The 88 columns of :data:`flowgan.datasets.schema.COLUMNS` in order: numbers as
        int64/float64, ``uid``/``originh``/``responh`` as strings, ``traffic_category`` as a
        Categorical whose categories are :data:`~flowgan.datasets.schema.CLASSES` in order.

    Raises
    ------
    DataValidationError
        Missing, empty or non-CSV file; missing or extra columns; non-numeric, missing, NaN or
        infinite numbers; unknown class names; ``Label`` inconsistent with the class. The
        message names the file, column and first row at fault.

    Examples
    --------
    >>> from flowgan.datasets import load_hikari
    >>> df = load_hikari("tests/fixtures/hikari2021-real-24rows.csv")
    >>> df.shape
    (24, 88)
    >>> df["traffic_category"].value_counts()["Bruteforce-XML"]
    np.int64(24)
    """
    path = Path(path)
    names = normalise_header(_reader.read_header(path))
    _check_columns(path, names)
    use_cache = _cache.wants_cache(path, cache)
    options = f"hikari:drop_invalid={drop_invalid}"
    table = _cache.read_cached(path, options) if use_cache else None
    from_cache, kept = table is not None, None
    if table is None:
        table = _reader.read_csv_table(path, names, _arrow_types(), progress=progress)
        if table.num_rows == 0:
            raise DataValidationError(f"{path}: has a header but no data rows")
        table = table.select(list(COLUMNS))
        table, kept = _reader.handle_invalid_values(table, NUMERIC_COLUMNS, path, drop_invalid=drop_invalid)
    df = table.to_pandas(split_blocks=True)
    _check_classes(path, df, kept)
    _check_labels(path, df, kept)
    if use_cache and not from_cache:
        _cache.write_cached(path, options, table)
    logger.info("loaded %s: %d rows, %d columns", path, len(df), df.shape[1])
    return df
