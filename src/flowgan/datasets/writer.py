"""Write HIKARI-shaped frames to disk, as the real file looks."""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd

from flowgan.datasets import schema
from flowgan.errors import FlowganError
from flowgan.io import atomic_path, write_table

RAW_INDEX_NAMES: tuple[str, str] = ("", "Unnamed: 0")
"""How the real CSV header names the two index columns (the first name is empty)."""


def write_hikari(df: pd.DataFrame, path: str | os.PathLike) -> Path:
    """Write ``df`` (columns :data:`~flowgan.datasets.schema.COLUMNS`) as CSV or Parquet, atomically.

    A ``.csv`` gets the real file's raw header: the first name empty, the second
    ``Unnamed: 0``, then ``uid`` ... ``Label``. It is written by Arrow's CSV writer (ten times
    faster than pandas), which prints floats in their shortest round-tripping form (so a
    float that holds an integer prints without a decimal point, as in parts of the real file)
    and leaves strings unquoted; reading the file back gives the same values. A ``.parquet``
    keeps flowgan's column names and dtypes (``traffic_category`` stays categorical).

    Parameters
    ----------
    df : pandas.DataFrame
        A frame with exactly the 88 HIKARI columns in order (e.g. from
        :func:`flowgan.datasets.simulate.simulate_hikari`).
    path : str or path-like
        Output file; its extension (``.csv`` or ``.parquet``) picks the format.

    Returns
    -------
    pathlib.Path
        The written path.
    """
    if tuple(df.columns) != schema.COLUMNS:
        missing = [c for c in schema.COLUMNS if c not in df.columns]
        detail = f"missing {missing[:3]}" if missing else "columns out of order or extra columns"
        raise FlowganError(f"cannot write {path}: the frame does not have the 88 HIKARI columns ({detail})")
    if Path(path).suffix.lower() != ".csv":
        return write_table(df, path, index=False)
    return _write_csv(df, Path(path))


def _write_csv(df: pd.DataFrame, path: Path) -> Path:
    import pyarrow as pa
    import pyarrow.csv as pa_csv

    text_columns = [*schema.IDENTIFIER_COLUMNS, schema.CLASS_COLUMN]
    bad = [c for c in text_columns if df[c].astype(str).str.contains('[,"\n\r]', regex=True).any()]
    if bad:
        raise FlowganError(f"cannot write {path}: column {bad[0]!r} holds commas, quotes or line breaks")
    table = pa.Table.from_pandas(df.astype({schema.CLASS_COLUMN: str}), preserve_index=False)
    header = ",".join((*RAW_INDEX_NAMES, *schema.COLUMNS[2:])) + "\n"
    options = pa_csv.WriteOptions(include_header=False, quoting_style="none")
    with atomic_path(path) as tmp:
        with pa.OSFile(str(tmp), "wb") as sink:
            sink.write(header.encode())
            pa_csv.write_csv(table, sink, options)
    return path
