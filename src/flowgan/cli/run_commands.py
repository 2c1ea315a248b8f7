"""CLI commands of the run area: ``run`` (see flowgan.cli)."""

from __future__ import annotations

import logging
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


def run(
    data: Path | None = typer.Argument(None, help="Flow table (.csv or .parquet); omit to run on simulated data."),
    name: str = typer.Option("run", "--name", help="Run name: outputs go to OUT_ROOT/NAME."),
    out_root: Path = typer.Option(Path("runs"), "--out-root", help="Folder holding the runs."),
    epochs: int | None = typer.Option(None, "--epochs", help="Training epochs of every model (default: sized per model for a few minutes)."),
    scale: float = typer.Option(0.02, "--scale", help="Size of the simulated data as a share of HIKARI-2021 (without DATA)."),
    seed: int = typer.Option(0, "--seed", help="Seed of the split, the models and the simulation."),
    model: list[str] | None = typer.Option(None, "--model", help="Generator(s) to run (repeat or comma-separate); default: cgan,paper."),
    device: Device = "auto",
    n_per_class: int | None = typer.Option(None, "--n-per-class", help="Rows to generate per class (default: balance the generated classes)."),
    classes: list[str] | None = typer.Option(None, "--classes", help="Classes to generate (default: attack classes)."),
    threads: TorchThreads = 1,
    all_classes: bool = typer.Option(False, "--all-classes", help="Generate every class."),
    class_col: ClassColumn = "traffic_category",
    label_col: LabelColumn = "Label",
    drop: DropColumns = None,
    identities: IdentitiesFile = None,
    no_evaluate: bool = typer.Option(False, "--no-evaluate", help="Skip the short IDS evaluation (see flowgan evaluate)."),
    eval_seeds: int = typer.Option(2, "--eval-seeds", help="Seeds of the short IDS evaluation."),
) -> None:
    """Run load -> preprocess -> train -> generate -> validate -> report into OUT_ROOT/NAME."""
    set_torch_threads(threads)
    from flowgan.pipeline import DEFAULT_MODELS, run_pipeline

    logging.getLogger("flowgan.pipeline").setLevel(logging.INFO)
    models = split_names(model) or list(DEFAULT_MODELS)
    result = run_pipeline(data, name=name, out_root=out_root, models=models, epochs=epochs, scale=scale, seed=seed,
                          device=device, classes=split_names(classes), all_classes=all_classes,
                          n_per_class=n_per_class, spec=dataset_spec(class_col, label_col, split_column_names(drop)),
                          progress=True, evaluate=not no_evaluate, evaluation_seeds=eval_seeds, identities=identities,
                          model_params={"cgan": {"threads": threads}})  # fmt: skip
    for model_name, info in result.results["models"].items():
        for klass, ks in info["key_features_ks"].items():
            shown = ", ".join(f"{f} {v:.4f}" for f, v in ks.items() if v is not None)
            console.print(f"{model_name} / {klass}: KS {shown}")
    evaluation = result.results.get("evaluation")
    if evaluation:
        for clf, by_method in evaluation["macro_f1"].items():
            shown = ", ".join(f"{m} {v['mean']:.3f}" for m, v in by_method.items() if v["mean"] is not None and v["mean"] == v["mean"])
            console.print(f"evaluation, {clf} macro-F1: {shown}")
    console.print(f"finished in {result.results['wall_time_s']:.0f} s")
    console.print(f"report: [bold]{result.report_path}[/]")


def register(app: typer.Typer) -> None:
    """Add this area's commands to ``app``."""
    app.command(name="run")(run)
