"""Shared reading machinery for flow tables: open a CSV (plain or inside a zip), peek at its
header, parse it with pyarrow, and turn pyarrow's terse errors into messages that name the
file, column, row and value.

Row numbers in messages count data rows from 0 (the row's position in the returned frame);
the file line is given beside them (the header is line 1).
"""

from __future__ import annotations

import contextlib
import csv
import logging
import re
import zipfile
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import BinaryIO

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pa_csv

from flowgan.errors import DataValidationError

logger = logging.getLogger(__name__)

BLOCK_SIZE = 1 << 20
"""Bytes pyarrow parses per block (its default). Measured on the 555,278-row benchmark file:
8 MiB blocks cost about 2.5x the CPU time of 1 MiB blocks (88 columns per row)."""
_HEADER_LIMIT = 1 << 20
_CONVERSION_ERROR = re.compile(r"In CSV column #(\d+): .*CSV conversion error to (\w+): invalid value '(.*)'", re.S)


def row_place(row: int) -> str:
    """Describe a 0-based data row for a message: ``row 5 (file line 7)``."""
    return f"row {row} (file line {row + 2})"


def check_file(path: Path) -> None:
    """Raise a clear error if ``path`` is missing, not a file, or empty."""
    if not path.exists():
        raise DataValidationError(f"{path}: no such file; check the path (or run `flowgan fetch hikari`)")
    if not path.is_file():
        raise DataValidationError(f"{path}: is not a file")
    if path.stat().st_size == 0:
        raise DataValidationError(f"{path}: the file is empty (0 bytes); download or export it again")


def is_parquet(path: Path) -> bool:
    """True when ``path`` starts with Parquet's magic bytes."""
    with path.open("rb") as handle:
        return handle.read(4) == b"PAR1"


def _zip_csv_member(archive: zipfile.ZipFile, path: Path) -> str:
    members = [
        info.filename
        for info in archive.infolist()
        if not info.is_dir() and info.filename.lower().endswith(".csv") and "__MACOSX" not in info.filename
    ]
    if not members:
        names = ", ".join(archive.namelist()[:5]) or "nothing"
        raise DataValidationError(f"{path}: the zip archive holds no .csv file (it holds {names})")
    if len(members) > 1:
        raise DataValidationError(f"{path}: the zip archive holds several CSV files ({', '.join(members)}); unpack the one you want")
    return members[0]


@contextlib.contextmanager
def open_csv_bytes(path: Path) -> Iterator[BinaryIO]:
    """Yield a binary stream of the CSV at ``path``, or of the single CSV inside a zip."""
    check_file(path)
    if zipfile.is_zipfile(path):
        try:
            with zipfile.ZipFile(path) as archive:
                member = _zip_csv_member(archive, path)
                with archive.open(member) as stream:
                    yield stream
        except zipfile.BadZipFile as exc:
            raise DataValidationError(f"{path}: the zip archive is damaged ({exc}); download it again") from exc
        return
    if path.suffix.lower() == ".zip":
        raise DataValidationError(f"{path}: is named .zip but is not a zip archive; download it again")
    with path.open("rb") as stream:
        yield stream


def read_header(path: Path) -> list[str]:
    """Return the header names of the CSV at ``path`` (or of the CSV inside a zip)."""
    with open_csv_bytes(path) as stream:
        first = stream.readline(_HEADER_LIMIT)
    if first.startswith(b"PAR1"):
        raise DataValidationError(f"{path}: is a Parquet file, not a CSV; use load_flows or `flowgan info`")
    try:
        text = first.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DataValidationError(f"{path}: is not a CSV file (its first line is not UTF-8 text)") from exc
    if "\x00" in text or not text.strip():
        raise DataValidationError(f"{path}: is not a CSV file (no header line of comma-separated names)")
    names = next(csv.reader([text.rstrip("\r\n")]))
    if len(names) < 2:
        raise DataValidationError(f"{path}: is not a CSV file (the header has a single field {names[0][:60]!r}, no commas)")
    duplicates = sorted({n for n in names if names.count(n) > 1})
    if duplicates:
        raise DataValidationError(f"{path}: the header repeats column names {duplicates}; every column needs its own name")
    return names


class _ProgressStream:
    """A read-only stream that advances a tqdm bar by the bytes it hands out."""

    def __init__(self, stream: BinaryIO, bar) -> None:
        self._stream = stream
        self._bar = bar
        self.closed = False

    def read(self, size: int = -1) -> bytes:
        data = self._stream.read(size)
        self._bar.update(len(data))
        return data

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return False

    def close(self) -> None:
        self.closed = True


def _source_size(path: Path) -> int:
    if zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as archive:
            return archive.getinfo(_zip_csv_member(archive, path)).file_size
    return path.stat().st_size


def parse_csv(
    path: Path,
    column_names: Sequence[str],
    column_types: Mapping[str, pa.DataType],
    *,
    progress: bool = False,
) -> pa.Table:
    """Parse the CSV at ``path`` with the given names (header skipped); pyarrow errors pass through."""
    read_options = pa_csv.ReadOptions(column_names=list(column_names), skip_rows=1, block_size=BLOCK_SIZE)
    convert_options = pa_csv.ConvertOptions(column_types=dict(column_types))
    with open_csv_bytes(path) as stream:
        if not progress:
            return pa_csv.read_csv(stream, read_options=read_options, convert_options=convert_options)
        from tqdm.auto import tqdm

        with tqdm(total=_source_size(path), unit="B", unit_scale=True, desc=f"reading {path.name}", delay=0.5) as bar:
            return pa_csv.read_csv(_ProgressStream(stream, bar), read_options=read_options, convert_options=convert_options)


def conversion_error(exc: pa.ArrowInvalid, column_names: Sequence[str]) -> tuple[str, str] | None:
    """(column, value) of a pyarrow CSV conversion error, or None for other errors."""
    match = _CONVERSION_ERROR.search(str(exc))
    return (column_names[int(match.group(1))], match.group(3)) if match else None


def malformed_csv(path: Path, exc: Exception) -> DataValidationError:
    """The error for a file pyarrow cannot parse as CSV."""
    return DataValidationError(f"{path}: is not a well-formed CSV file: {_first_line(exc)}")


def read_csv_table(
    path: Path,
    column_names: Sequence[str],
    column_types: Mapping[str, pa.DataType],
    *,
    progress: bool = False,
) -> pa.Table:
    """Parse the CSV at ``path`` with the given names (header skipped) and column types.

    A value that does not convert raises :class:`DataValidationError` naming the column,
    the first bad row and value, and how many values are bad.
    """
    try:
        return parse_csv(path, column_names, column_types, progress=progress)
    except pa.ArrowInvalid as exc:
        clash = conversion_error(exc, column_names)
        if clash:
            raise locate_bad_values(path, column_names, clash[0], column_types[clash[0]]) from exc
        raise malformed_csv(path, exc) from exc


def _first_line(exc: Exception) -> str:
    return str(exc).strip().splitlines()[0][:300]


def locate_bad_values(path: Path, column_names: Sequence[str], column: str, arrow_type: pa.DataType) -> DataValidationError:
    """Re-read one column as text and describe its values that are not ``arrow_type`` numbers."""
    read_options = pa_csv.ReadOptions(column_names=list(column_names), skip_rows=1, block_size=BLOCK_SIZE)
    convert_options = pa_csv.ConvertOptions(column_types={column: pa.string()}, include_columns=[column])
    with open_csv_bytes(path) as stream:
        text = pa_csv.read_csv(stream, read_options=read_options, convert_options=convert_options).column(0).to_pandas()
    numbers = pd.to_numeric(text, errors="coerce")
    bad = numbers.isna().to_numpy() & ~text.isna().to_numpy()
    kind = "non-numeric"
    if pa.types.is_integer(arrow_type):
        whole = np.isfinite(numbers.to_numpy(dtype=float, na_value=np.nan)) & (numbers.to_numpy(dtype=float, na_value=0.0) % 1 == 0)
        bad |= ~whole & ~text.isna().to_numpy()
        kind = "non-integer"
    rows = np.flatnonzero(bad)
    if rows.size == 0:  # pyarrow rejected something pandas accepts: report pyarrow's view
        return DataValidationError(f"{path}: column {column!r} holds values that are not {arrow_type} numbers")
    first = int(rows[0])
    return DataValidationError(
        f"{path}: column {column!r} must be numeric ({arrow_type}) but holds {rows.size} {kind} value(s); "
        f"the first is {text.iloc[first]!r} at {row_place(first)}. Fix or remove those rows."
    )


def invalid_value_counts(table: pa.Table, columns: Sequence[str]) -> dict[str, tuple[int, int, int]]:
    """Per numeric column with missing/NaN or infinite values: (missing, infinite, first row)."""
    found: dict[str, tuple[int, int, int]] = {}
    for name in columns:
        column = table.column(name)
        mask = column.is_null()
        missing = column.null_count
        infinite = 0
        if pa.types.is_floating(column.type):
            nan_or_inf = pc.or_(pc.is_nan(column), pc.is_inf(column))
            infinite = int(pc.sum(pc.is_inf(column)).as_py() or 0)
            missing += int(pc.sum(pc.is_nan(column)).as_py() or 0)
            mask = pc.or_kleene(mask, nan_or_inf)
        if missing or infinite:
            first = int(np.flatnonzero(pc.fill_null(mask, True).to_numpy(zero_copy_only=False))[0])
            found[name] = (missing, infinite, first)
    return found


def invalid_row_mask(table: pa.Table, columns: Sequence[str]) -> np.ndarray:
    """Boolean array, True for rows with a missing, NaN or infinite value in ``columns``."""
    mask = np.zeros(table.num_rows, dtype=bool)
    for name in columns:
        column = table.column(name)
        bad = column.is_null()
        if pa.types.is_floating(column.type):
            bad = pc.or_kleene(bad, pc.or_(pc.is_nan(column), pc.is_inf(column)))
        mask |= pc.fill_null(bad, True).to_numpy(zero_copy_only=False)
    return mask


def handle_invalid_values(table: pa.Table, columns: Sequence[str], path: Path, *, drop_invalid: bool) -> tuple[pa.Table, np.ndarray | None]:
    """Raise on missing/NaN/inf values in ``columns``, or drop those rows when ``drop_invalid``.

    Returns the (possibly filtered) table and the original positions of the kept rows
    (None when nothing was dropped), so that later messages can name original rows.
    """
    found = invalid_value_counts(table, columns)
    if not found:
        return table, None
    if not drop_invalid:
        parts = [
            f"{name}: {missing} missing/NaN, {infinite} infinite (first at {row_place(first)})"
            for name, (missing, infinite, first) in found.items()
        ]
        raise DataValidationError(
            f"{path}: {len(found)} numeric column(s) hold missing, NaN or infinite values: "
            + "; ".join(parts)
            + ". Fix the file, or drop those rows (drop_invalid=True, or --drop-invalid)."
        )
    mask = invalid_row_mask(table, columns)
    logger.warning("%s: dropped %d of %d rows with missing, NaN or infinite values in %s", path, int(mask.sum()), table.num_rows, ", ".join(found))
    kept = np.flatnonzero(~mask)
    return table.filter(pa.array(~mask)), kept


def original_row(row: int, kept: np.ndarray | None) -> int:
    """Map a row position after dropping invalid rows back to the file's data row."""
    return int(row) if kept is None else int(kept[row])


def to_pandas(table: pa.Table) -> pd.DataFrame:
    """Convert to pandas without consolidating blocks (no extra copy of the numbers)."""
    return table.to_pandas(split_blocks=True, self_destruct=True)

