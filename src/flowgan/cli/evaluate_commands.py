"""CLI commands of the evaluate area: ``flowgan evaluate`` (see flowgan.cli)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import typer
from rich.console import Console
from rich.table import Table

from flowgan.cli.options import (
    ClassColumn,
    DropColumns,
    IdentitiesFile,
    LabelColumn,
    TorchThreads,
    dataset_spec,
    set_torch_threads,
    split_column_names,
    split_names,
)
from flowgan.errors import FlowganError

console = Console(soft_wrap=True)

def check_names(kind: str, names: Sequence[str] | None, known: Sequence[str]) -> list[str] | None:
    """``names`` unchanged, or a :class:`FlowganError` naming the unknown ones and the known ones."""
    if names is None:
        return None
    unknown = [n for n in names if n not in known]
    if unknown:
        raise FlowganError(f"unknown {kind} {', '.join(map(repr, unknown))}: choose from {', '.join(known)}")
    return list(names)


def check_settings(*, target: str, seeds: int, test_size: float, folds: int | None, n_jobs: int, scale: float, epochs: int | None) -> None:
    """Refuse impossible settings before any data is read."""
    from flowgan.evaluation.data import TARGETS

    if target not in TARGETS:
        raise FlowganError(f"--target must be one of {', '.join(TARGETS)}, got {target!r}")
    if seeds < 1:
        raise FlowganError(f"--seeds must be at least 1, got {seeds}")
    if not 0 < test_size < 1:
        raise FlowganError(f"--test-size must be between 0 and 1, got {test_size}")
    if folds is not None and folds < 2:
        raise FlowganError(f"--folds must be at least 2, got {folds}")
    if n_jobs == 0:
        raise FlowganError("--n-jobs must be positive or negative (all cores), not 0")
    if scale <= 0:
        raise FlowganError(f"--scale must be positive, got {scale}")
    if epochs is not None and epochs < 1:
        raise FlowganError(f"--epochs must be a positive integer, got {epochs}")


def generator_params(epochs: int | None) -> dict[str, dict[str, Any]] | None:
    """Per-generator constructor parameters from ``--epochs`` (``None``: each method's default)."""
    from flowgan.evaluation import GENERATOR_METHODS

    return None if epochs is None else {name: {"epochs": epochs} for name in GENERATOR_METHODS}


def load_frame(data: Path | None, spec, *, scale: float, seed: int):
    """The table to evaluate and a description of its source (the simulated stand-in without DATA)."""
    from flowgan.pipeline import load_stage

    loaded = load_stage(data, scale=scale, seed=seed, spec=spec, progress=True)
    return loaded.frame, loaded.source


def summary_table(result) -> Table:
    """Macro-F1 mean [95% CI] per method (rows) and classifier (columns)."""
    from flowgan.report.evaluation_section import ci_table

    frame = ci_table(result, "macro_f1")
    table = Table(title="macro-F1, mean [95% CI] over seeds")
    for column in frame.columns:
        table.add_column(str(column), justify="left" if column == "method" else "right")
    for row in frame.itertuples(index=False):
        table.add_row(*map(str, row))
    return table


def evaluate(
    data: Path | None = typer.Argument(None, help="Flow table (.csv or .parquet); omit to evaluate on simulated data."),
    out: Path = typer.Option(Path("runs/evaluate"), "--out", "-o", help="Output folder (replaced if an earlier evaluation wrote it)."),
    target: str = typer.Option("class", "--target", help="class (multi-class) or label (binary)."),
    methods: list[str] | None = typer.Option(None, "--methods", help="Balancing methods (repeat or comma-separate); default: all available."),
    classifiers: list[str] | None = typer.Option(None, "--classifiers", help="Classifiers (repeat or comma-separate): rf, hgb, logreg, mlp."),
    seeds: int = typer.Option(5, "--seeds", help="Seeds (splits x classifier x generator seeds)."),
    test_size: float = typer.Option(0.2, "--test-size", help="Share of rows held out per seed, stratified."),
    folds: int | None = typer.Option(None, "--folds", help="Stratified k-fold instead of one split per seed."),
    strategy: str | None = typer.Option(None, "--strategy", help='auto, a ratio such as 0.5, or JSON {"class": total rows}.'),
    keep_ports: bool = typer.Option(False, "--keep-ports", help="Keep the port columns (suspected leaks) as features."),
    n_jobs: int = typer.Option(1, "--n-jobs", help="Parallel jobs (-1: all cores)."),
    scheduler: str | None = typer.Option(None, "--scheduler", help="Dask scheduler address, e.g. tcp://host:8786."),
    epochs: int | None = typer.Option(None, "--epochs", help="Training epochs of the GAN methods (default: their own)."),
    no_tstr: bool = typer.Option(False, "--no-tstr", help="Skip train-on-synthetic, test-on-real runs of the generators."),
    scale: float = typer.Option(0.1, "--scale", help="Size of the simulated data as a share of HIKARI-2021 (without DATA)."),
    seed: int = typer.Option(0, "--seed", help="Seed of the simulated data (without DATA)."),
    threads: TorchThreads = 1,
    class_col: ClassColumn = "traffic_category",
    label_col: LabelColumn = "Label",
    drop: DropColumns = None,
    identities: IdentitiesFile = None,
) -> None:
    """Measure what balancing does to intrusion detectors: methods x classifiers x seeds, with CIs."""
    from flowgan import evaluation
    from flowgan.report.evaluation_output import check_output_dir, write_evaluation
    from flowgan.sampling import parse_strategy

    check_settings(target=target, seeds=seeds, test_size=test_size, folds=folds, n_jobs=n_jobs, scale=scale, epochs=epochs)
    method_names = check_names("method(s)", split_names(methods), evaluation.METHODS)
    classifier_names = check_names("classifier(s)", split_names(classifiers), evaluation.CLASSIFIERS)
    parsed_strategy = parse_strategy(strategy) if strategy is not None else None
    check_output_dir(out)
    set_torch_threads(threads)
    spec = dataset_spec(class_col, label_col, split_column_names(drop))
    frame, source = load_frame(data, spec, scale=scale, seed=seed)
    result = _run(evaluation.evaluate, frame, spec=spec, target=target, methods=method_names, classifiers=classifier_names,
                  seeds=seeds, test_size=test_size, folds=folds, strategy=parsed_strategy, keep_ports=keep_ports,
                  generator_params=generator_params(epochs), tstr=not no_tstr, n_jobs=n_jobs, scheduler=scheduler,
                  source=source, identities=identities)  # fmt: skip
    paths = write_evaluation(result, out)
    console.print(summary_table(result))
    for notice in result.notices:
        console.print(f"[yellow]note:[/] {notice}", highlight=False)
    console.print(f"finished in {result.seconds:.0f} s")
    console.print(f"report: [bold]{paths['report']}[/]")


def _run(evaluate_fn, frame, **kwargs):
    """Call the experiment with a rich progress bar fed by its ``progress(done, total)`` callback."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    with Progress(TextColumn("evaluating"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(), console=console) as bar:
        task = bar.add_task("evaluate", total=None)

        def progress(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        return evaluate_fn(frame, progress=progress, **kwargs)


def register(app: typer.Typer) -> None:
    """Add this area's commands to ``app``."""
    app.command(name="evaluate", help="Measure what balancing does to intrusion detectors (see the report).")(evaluate)
