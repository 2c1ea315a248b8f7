"""CLI commands of the data area: fetch, info, preprocess (see flowgan.cli)."""

from __future__ import annotations

import enum
import json
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from flowgan.datasets import HIKARI_SPEC, load_dataset, spec_from_options
from flowgan.datasets.fetch import HIKARI_MD5, HIKARI_URL, default_data_dir, fetch_hikari
from flowgan.datasets.summary import DatasetSummary, summarize_dataset
from flowgan.preprocess import preprocess, write_preprocessed

console = Console()

ClassCol = Annotated[str | None, typer.Option("--class-col", help="Class column (default: HIKARI's traffic_category).")]
LabelCol = Annotated[str | None, typer.Option("--label-col", help="Binary 0/1 label column, or 'none' (default: HIKARI's Label).")]
Drop = Annotated[
    list[str] | None,
    typer.Option("--drop", help="Non-feature columns (ids, addresses, timestamps); comma-separated or repeated."),
]
DropInvalid = Annotated[bool, typer.Option("--drop-invalid", help="Drop rows with missing, NaN or infinite numbers instead of failing.")]


class PreprocessMode(str, enum.Enum):
    """Preprocessing modes (see flowgan.preprocess)."""

    paper = "paper"
    default = "default"


class FetchableDataset(str, enum.Enum):
    """Datasets ``flowgan fetch`` knows."""

    hikari = "hikari"


def fetch(
    dataset: Annotated[FetchableDataset, typer.Argument(help="Dataset to download (hikari: HIKARI-2021 from Zenodo).")],
    dest: Annotated[Path | None, typer.Option("--dest", help="Directory to store it in (default: $FLOWGAN_DATA or the user cache).")] = None,
    url: Annotated[str, typer.Option("--url", help="Download from this URL instead (a mirror).")] = HIKARI_URL,
    md5: Annotated[str, typer.Option("--md5", help="Expected MD5 of the file.")] = HIKARI_MD5,
) -> None:
    """Download a public dataset into the local cache, verified by its MD5."""
    path = fetch_hikari(dest if dest is not None else default_data_dir(), url=url, md5=md5, progress=True)
    console.print(f"[green]verified[/] {path}")


def info(
    path: Annotated[Path, typer.Argument(help="Flow table: CSV, HIKARI's .csv.zip, or Parquet.")],
    class_col: ClassCol = None,
    label_col: LabelCol = None,
    drop: Drop = None,
    drop_invalid: DropInvalid = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print the summary as JSON instead of tables.")] = False,
) -> None:
    """Summarise a flow table: rows, columns, classes, imbalance, degenerate columns, memory."""
    spec = spec_from_options(class_col, label_col, drop)
    df = load_dataset(path, spec, drop_invalid=drop_invalid, progress=not as_json)
    summary = summarize_dataset(df, (spec or HIKARI_SPEC).resolve(df.columns, str(path)))
    if as_json:
        typer.echo(json.dumps(summary.to_dict(), indent=2, default=str))
        return
    _render_summary(path, summary)


def _render_summary(path: Path, summary: DatasetSummary) -> None:
    overview = Table(title=f"{path.name}", show_header=False)
    overview.add_row("rows", f"{summary.n_rows:,}")
    overview.add_row("columns", f"{summary.n_columns}")
    overview.add_row("dtypes", ", ".join(f"{k}: {v}" for k, v in summary.dtypes.items()))
    overview.add_row("memory", f"{summary.memory_bytes / 2**20:,.1f} MiB")
    overview.add_row("imbalance ratio", f"{summary.imbalance_ratio:,.1f} (largest / smallest class with rows)")
    console.print(overview)
    classes = Table(title=f"classes ({summary.class_column})")
    classes.add_column("class")
    classes.add_column("rows", justify="right")
    classes.add_column("share", justify="right")
    for name, count in summary.class_counts.items():
        classes.add_row(name, f"{count:,}", f"{summary.class_shares[name]:.2%}")
    console.print(classes)
    if summary.constant_columns:
        constant = Table(title=f"constant columns ({len(summary.constant_columns)})")
        constant.add_column("column")
        constant.add_column("value", justify="right")
        for name, value in summary.constant_columns.items():
            constant.add_row(name, str(value))
        console.print(constant)
    if summary.zero_shares:
        zeros = Table(title=f"numeric columns holding zeros ({len(summary.zero_shares)})")
        zeros.add_column("column")
        zeros.add_column("zero share", justify="right")
        for name, share in sorted(summary.zero_shares.items(), key=lambda item: -item[1]):
            zeros.add_row(name, f"{share:.1%}")
        console.print(zeros)


def preprocess_command(
    input_path: Annotated[Path, typer.Argument(metavar="INPUT", help="Flow table: CSV, HIKARI's .csv.zip, or Parquet.")],
    out: Annotated[Path, typer.Option("--out", help="Output .csv/.parquet file, or a directory.")],
    mode: Annotated[PreprocessMode, typer.Option("--mode", help="paper: the seed's steps, defect included; default: flowgan's.")] = PreprocessMode.default,
    keep_ports: Annotated[bool, typer.Option("--keep-ports", help="default mode: keep the port columns as features.")] = False,
    class_col: ClassCol = None,
    label_col: LabelCol = None,
    drop: Drop = None,
    drop_invalid: DropInvalid = False,
) -> None:
    """Preprocess a flow table the seed paper's way (paper) or flowgan's way (default)."""
    spec = spec_from_options(class_col, label_col, drop)
    df = load_dataset(input_path, spec, drop_invalid=drop_invalid, progress=True)
    result = preprocess(df, mode=mode.value, spec=(spec or HIKARI_SPEC).resolve(df.columns, str(input_path)), keep_ports=keep_ports)
    target = write_preprocessed(result, out, mode.value, inputs=(input_path,))
    dropped = Table(title=f"dropped columns ({len(result.dropped)})")
    dropped.add_column("column")
    dropped.add_column("why")
    for name, reason in result.dropped.items():
        dropped.add_row(name, reason)
    console.print(dropped)
    for note in result.notes:
        console.print(f"[yellow]note:[/] {note}", soft_wrap=True)
    rows, columns = result.frame.shape
    console.print(f"[green]wrote[/] {target} ({rows:,} rows, {columns} columns)")


def register(app: typer.Typer) -> None:
    """Add this area's commands to ``app``."""
    app.command(name="fetch")(fetch)
    app.command(name="info")(info)
    app.command(name="preprocess")(preprocess_command)
