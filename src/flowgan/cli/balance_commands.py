"""CLI commands of the balance area (see flowgan.cli): ``flowgan balance``."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.console import Console

from flowgan.cli.options import ClassColumn, DropColumns, IdentitiesFile, LabelColumn, dataset_spec, split_column_names

console = Console()


def balance(
    data: Path = typer.Argument(..., help="Flow table to balance (.csv or .parquet)."),
    out: Path = typer.Option(..., "--out", "-o", help="Output table (.csv or .parquet); never the input."),
    strategy: str = typer.Option("auto", "--strategy", help='auto|minority|not minority|all, a ratio such as 0.5, or JSON {"class": total rows}.'),
    model_dir: Path | None = typer.Option(None, "--model-dir", help="Use this trained generator instead of training one."),
    epochs: int | None = typer.Option(None, "--epochs", help="Training epochs of the conditional GAN (default: its default)."),
    seed: int = typer.Option(0, "--seed", help="Random seed of training and sampling."),
    class_col: ClassColumn = "traffic_category",
    label_col: LabelColumn = "Label",
    drop: DropColumns = None,
    identities: IdentitiesFile = None,
) -> None:
    """Write DATA plus synthetic rows for under-represented classes, marked by an is_synthetic column."""
    from flowgan.sampling import parse_strategy
    from flowgan.sampling.balance import balance_file

    result, added = balance_file(data, out, sampling_strategy=parse_strategy(strategy), model_dir=model_dir, epochs=epochs,
                                 seed=seed, spec=dataset_spec(class_col, label_col, split_column_names(drop)),
                                 identities=identities, progress=True)  # fmt: skip
    summary = ", ".join(f"{k} +{v:,}" for k, v in added.items()) or "nothing to add"
    console.print(f"wrote {len(result):,} rows to [bold]{out}[/] ({summary})", highlight=False)


def register(app: typer.Typer) -> None:
    """Add this area's commands to ``app``."""
    app.command(name="balance", help="Write DATA plus synthetic rows for under-represented classes.")(balance)
