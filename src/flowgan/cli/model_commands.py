"""CLI commands of the model area: ``train`` and ``generate`` (see flowgan.cli)."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.console import Console

from flowgan.cli.options import (
    ClassColumn,
    Device,
    DropColumns,
    IdentitiesFile,
    LabelColumn,
    TorchThreads,
    dataset_spec,
    set_torch_threads,
    split_column_names,
    split_names,
)

console = Console(soft_wrap=True)


def train(
    data: Path = typer.Argument(..., help="Flow table (.csv or .parquet) with a class column."),
    out: Path = typer.Option(..., "--out", help="Model directory to write."),
    model: str = typer.Option("cgan", "--model", help="Generator: cgan (flowgan's conditional GAN) or paper (the seed's GAN)."),
    epochs: int | None = typer.Option(None, "--epochs", help="Training epochs (default: the model's own; the paper model's is the seed's 500)."),
    seed: int | None = typer.Option(None, "--seed", help="Random seed; the same seed repeats a CPU run exactly."),
    device: Device = "auto",
    classes: list[str] | None = typer.Option(None, "--classes", help="Classes to train on (repeat or comma-separate); default: attack classes."),
    threads: TorchThreads = 1,
    all_classes: bool = typer.Option(False, "--all-classes", help="Train on every class."),
    class_col: ClassColumn = "traffic_category",
    label_col: LabelColumn = "Label",
    drop: DropColumns = None,
    identities: IdentitiesFile = None,
) -> None:
    """Train a generator on a flow table and save it as a model directory."""
    set_torch_threads(threads)
    from flowgan.models.files import train_from_file

    result = train_from_file(
        data, out, model=model, epochs=epochs, seed=seed, device=device, classes=split_names(classes),
        all_classes=all_classes, spec=dataset_spec(class_col, label_col, split_column_names(drop)), progress=True,
        identities=identities, threads=threads,
    )  # fmt: skip
    counts = ", ".join(f"{k}: {v:,}" for k, v in result.class_counts.items())
    losses = ", ".join(f"{k} {v:.4f}" for k, v in result.final_losses.items())
    console.print(f"trained [bold]{result.model}[/] on {len(result.features)} features ({counts}); last epoch {losses}")
    console.print(f"model saved to [bold]{result.model_dir}[/]")


def generate(
    model_dir: Path = typer.Option(..., "--model-dir", help="Model directory written by flowgan train."),
    n_samples: int = typer.Option(..., "-n", "--n-samples", help="Number of rows to generate."),
    out: Path = typer.Option(..., "--out", help="Output table (.csv or .parquet)."),
    klass: str | None = typer.Option(None, "--class", help="Class to generate (needed when the model has several)."),
    class_col: str = typer.Option("traffic_category", "--class-col", help="Column to hold the class in the output."),
) -> None:
    """Generate synthetic rows from a saved model."""
    from flowgan.models.files import generate_to_file

    rows = generate_to_file(model_dir, n_samples, out, klass=klass, class_col=class_col)
    console.print(f"wrote {len(rows):,} rows to [bold]{out}[/]")


def register(app: typer.Typer) -> None:
    """Add this area's commands to ``app``."""
    app.command(name="train")(train)
    app.command(name="generate")(generate)
