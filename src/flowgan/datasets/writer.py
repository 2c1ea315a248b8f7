"""Write HIKARI-shaped frames to disk, as the real file looks."""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd

from flowgan.datasets import schema
from flowgan.errors import FlowganError
from flowgan.io import write_table

RAW_INDEX_NAMES: tuple[str, str] = ("", "Unnamed: 0")
"""How the real CSV header names the two index columns (the first name is empty)."""


def write_hikari(df: pd.DataFrame, path: str | os.PathLike) -> Path:
    """Write ``df`` (columns :data:`~flowgan.datasets.schema.COLUMNS`) as CSV or Parquet, atomically.

    A ``.csv`` gets the real file's raw header: the first name empty, the second
    ``Unnamed: 0``, then ``uid`` ... ``Label``; floats are written with Python's shortest
    round-tripping repr, so reading the file back gives the same values. A ``.parquet`` keeps
    flowgan's column names and dtypes (``traffic_category`` stays categorical).

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
    if Path(path).suffix.lower() == ".csv":
        df = df.rename(columns=dict(zip(schema.INDEX_COLUMNS, RAW_INDEX_NAMES)), copy=False)
    return write_table(df, path, index=False)
