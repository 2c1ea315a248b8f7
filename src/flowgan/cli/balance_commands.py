"""CLI commands of the balance area (see flowgan.cli): ``flowgan balance``."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.console import Console

from flowgan.cli.options import ClassColumn, DropColumns, LabelColumn, dataset_spec, split_names
from flowgan.errors import FlowganError

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
) -> None:
    """Write DATA plus synthetic rows for under-represented classes, marked by an is_synthetic column."""
    from flowgan.datasets import load_dataset
    from flowgan.io import refuse_overwrite, write_table
    from flowgan.models.conditional_gan import ConditionalFlowGAN
    from flowgan.models.registry import load_generator
    from flowgan.sampling import parse_strategy
    from flowgan.sampling.balance import balance_frame

    refuse_overwrite(out, [data])
    if Path(out).suffix.lower() not in (".csv", ".parquet"):
        raise FlowganError(f"{out}: output must end in .csv or .parquet")
    spec = dataset_spec(class_col, label_col, split_names(drop))
    frame = load_dataset(data, spec, progress=True)
    if model_dir is not None:
        generator = load_generator(model_dir)
    else:
        params = {"random_state": seed, "verbose": True}
        if epochs is not None:
            params["epochs"] = epochs
        generator = ConditionalFlowGAN(**params)
    result, added = balance_frame(frame, sampling_strategy=parse_strategy(strategy), generator=generator, spec=spec)
    write_table(result, out)
    summary = ", ".join(f"{k} +{v:,}" for k, v in added.items()) or "nothing to add"
    console.print(f"wrote {len(result):,} rows to [bold]{out}[/] ({summary})", highlight=False)


def register(app: typer.Typer) -> None:
    """Add this area's commands to ``app``."""
    app.command(name="balance", help="Write DATA plus synthetic rows for under-represented classes.")(balance)
