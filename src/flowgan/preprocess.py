"""Turn a loaded flow table into training input, the seed paper's way or flowgan's way.

``paper`` mode repeats the seed system's steps exactly, including its defect: with pandas
>= 2 the one-hot class columns are ``bool`` and the seed's dtype filter drops them again, so
its GAN never saw the class. ``default`` mode keeps the class as the class column and drops
the columns that identify or leak it (row indexes, uid, IPs and, unless asked, ports).
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from flowgan.datasets.schema import HIKARI_SPEC, IDENTIFIER_COLUMNS, INDEX_COLUMNS, DatasetSpec
from flowgan.errors import FlowganError
from flowgan.io import refuse_overwrite, write_table

logger = logging.getLogger(__name__)

MODES = ("paper", "default")
PAPER_OUTPUT_NAME = "raw_data_preprocessed.csv"
DEFAULT_OUTPUT_NAME = "preprocessed.csv"
PAPER_DROPPED = (*INDEX_COLUMNS, *IDENTIFIER_COLUMNS)
"""The columns the seed drops by name (its step 2)."""
_KEPT_DTYPES = ("float64", "int64")

PORTS_NOTE = (
    "dropped the port columns {ports}: ports can leak the label (they name hosts and services "
    "rather than describe the flow, and in HIKARI-2021 every attack comes from one attacker "
    "host), so a detector could learn the ports instead of the traffic; pass --keep-ports "
    "(keep_ports=True) to keep them"
)


@dataclass(frozen=True)
class PreprocessResult:
    """What :func:`preprocess` produced.

    Attributes
    ----------
    frame : pandas.DataFrame
        The preprocessed table.
    dropped : dict of str to str
        Every column that was removed, with the reason.
    notes : list of str
        Plain-language remarks for the user (warnings included).
    """

    frame: pd.DataFrame
    dropped: dict[str, str] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


def preprocess(
    df: pd.DataFrame, mode: str = "default", spec: DatasetSpec = HIKARI_SPEC, keep_ports: bool = False
) -> PreprocessResult:
    """Preprocess a loaded flow table.

    Parameters
    ----------
    df : pandas.DataFrame
        A table from :func:`flowgan.datasets.load_hikari` or :func:`~flowgan.datasets.load_flows`.
    mode : {"default", "paper"}
        ``paper``: the seed's steps (drop index/uid/IP columns, one-hot the class, drop every
        column that is not float64/int64), defect included. ``default``: drop the spec's
        non-feature columns and the ports, keep the class (categorical) and the label.
    spec : DatasetSpec, default HIKARI_SPEC
        Which columns are the class, the label, the ports and the non-features.
    keep_ports : bool, default False
        ``default`` mode only: keep the port columns as features.

    Returns
    -------
    PreprocessResult
    """
    if mode not in MODES:
        raise FlowganError(f"unknown preprocessing mode {mode!r}; choose one of {list(MODES)}")
    if spec.class_col not in df.columns:
        raise FlowganError(f"the table has no class column {spec.class_col!r}; name it with --class-col")
    if mode == "paper":
        return _preprocess_paper(df, spec)
    return _preprocess_default(df, spec, keep_ports)


def _preprocess_paper(df: pd.DataFrame, spec: DatasetSpec) -> PreprocessResult:
    dropped: dict[str, str] = {}
    notes: list[str] = []
    by_name = [c for c in PAPER_DROPPED if c in df.columns]
    for name in by_name:
        dropped[name] = "dropped by name (seed step 2)"
    frame = df.drop(columns=by_name)
    # The seed read the class as text, so its one-hot has a column per class present.
    frame[spec.class_col] = frame[spec.class_col].astype(str)
    frame = pd.get_dummies(frame, columns=[spec.class_col])
    for name in frame.columns:
        dtype = str(frame[name].dtype)
        if dtype not in _KEPT_DTYPES:
            dropped[name] = f"dtype {dtype} is not float64/int64 (seed step 4)"
    one_hot = [c for c in frame.columns if c.startswith(f"{spec.class_col}_") and c in dropped]
    frame = frame.drop(columns=[c for c in frame.columns if c in dropped])
    if one_hot:
        warning = (
            f"paper mode reproduces the seed's defect: the one-hot class columns {one_hot} are bool "
            "(pandas >= 2), so the seed's float64/int64 filter dropped them again; the output has NO "
            "class column and a GAN trained on it never sees the class. Use --mode default to keep it."
        )
        logger.warning(warning)
        notes.append(warning)
    kept_as_features = [c for c in (*spec.port_cols, spec.label_col) if c and c in frame.columns]
    if kept_as_features:
        notes.append(f"as in the seed, {kept_as_features} stay in as ordinary features")
    return PreprocessResult(frame=frame, dropped=dropped, notes=notes)


def _preprocess_default(df: pd.DataFrame, spec: DatasetSpec, keep_ports: bool) -> PreprocessResult:
    dropped: dict[str, str] = {}
    notes: list[str] = []
    for name in spec.drop:
        if name in df.columns and name not in (spec.class_col, spec.label_col):
            kind = "row index: leaks the label (the file is sorted by class)" if name in INDEX_COLUMNS else "identifier, not a feature"
            dropped[name] = kind
    ports = [c for c in spec.port_cols if c in df.columns and c not in dropped]
    if ports and not keep_ports:
        for name in ports:
            dropped[name] = "port: can leak the label (see --keep-ports)"
        notes.append(PORTS_NOTE.format(ports=ports))
    frame = df.drop(columns=list(dropped))
    if not isinstance(frame[spec.class_col].dtype, pd.CategoricalDtype):
        frame[spec.class_col] = frame[spec.class_col].astype("category")
    return PreprocessResult(frame=frame, dropped=dropped, notes=notes)


def resolve_output_path(out: str | os.PathLike, mode: str) -> Path:
    """The file to write: ``out`` itself, or a standard name inside ``out`` when it is a directory.

    A path that exists as a directory, ends with a separator, or has no suffix counts as a
    directory (paper mode writes ``raw_data_preprocessed.csv`` there, like the seed).
    """
    text = os.fspath(out)
    path = Path(text)
    if path.is_dir() or text.endswith(("/", os.sep)) or not path.suffix:
        return path / (PAPER_OUTPUT_NAME if mode == "paper" else DEFAULT_OUTPUT_NAME)
    return path


def write_preprocessed(result: PreprocessResult, out: str | os.PathLike, mode: str, *, inputs: tuple = ()) -> Path:
    """Write ``result.frame`` as CSV or Parquet (by extension), atomically, never over an input."""
    target = resolve_output_path(out, mode)
    refuse_overwrite(target, inputs)
    return write_table(result.frame, target)
