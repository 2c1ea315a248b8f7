"""CLI commands of the validate area: ``validate`` (see flowgan.cli)."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.console import Console

from flowgan.cli.options import split_names

console = Console(soft_wrap=True)


def validate(
    real: Path = typer.Option(..., "--real", help="Real flow table (.csv or .parquet)."),
    synthetic: Path = typer.Option(..., "--synthetic", help="Synthetic table to check."),
    out: Path = typer.Option(..., "--out", help="Output directory (text report, JSON, CSV, HTML)."),
    klass: str | None = typer.Option(None, "--class", help="Compare with real rows of this class only."),
    mode: str = typer.Option("default", "--mode", help="default, or paper: compare with all real rows as the seed did."),
    features: list[str] | None = typer.Option(None, "--features", help="Features to compare (repeat or comma-separate); default: all shared numeric columns."),
    class_col: str = typer.Option("traffic_category", "--class-col", help="Column holding the class."),
    label_col: str = typer.Option("Label", "--label-col", help="Binary label column, not compared ('' for none)."),
) -> None:
    """Compare synthetic rows with real rows: statistics, KS test, correlations."""
    from flowgan.validation.outputs import validate_files

    result = validate_files(real, synthetic, out, klass=klass, mode=mode, class_col=class_col,
                            label_col=label_col or None, features=split_names(features))  # fmt: skip
    worst = result.table.head(5)
    console.print("worst features by KS statistic: " + ", ".join(f"{f} {k:.3f}" for f, k in zip(worst["feature"], worst["ks_statistic"], strict=True)))
    console.print(f"mean KS statistic {result.table['ks_statistic'].mean():.4f} over {len(result.table)} features")
    console.print(f"report: [bold]{result.report_path}[/]  text: {result.text_path}")


def register(app: typer.Typer) -> None:
    """Add this area's commands to ``app``."""
    app.command(name="validate")(validate)
