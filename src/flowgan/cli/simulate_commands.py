"""CLI commands of the simulate area (see flowgan.cli)."""

from __future__ import annotations

import json
from pathlib import Path

import typer
from rich.console import Console

from flowgan.errors import FlowganError

console = Console()


def _parse_class_counts(text: str | None) -> dict[str, int] | None:
    """Parse ``--class-counts``: a JSON object of class name -> positive row count."""
    if text is None:
        return None
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        raise FlowganError(
            f"--class-counts is not valid JSON ({exc.msg} at character {exc.pos}): "
            'write an object such as \'{"Benign": 1000, "Probing": 50}\''
        ) from None
    if not isinstance(value, dict):
        raise FlowganError('--class-counts must be a JSON object such as \'{"Benign": 1000, "Probing": 50}\'')
    return value


def simulate(
    out: Path = typer.Option(..., "--out", "-o", help="Output file (.csv with the real raw header, or .parquet)."),
    scale: float = typer.Option(0.1, "--scale", help="Fraction of the real 555,278 rows (0.1 gives 55,528)."),
    rows: int | None = typer.Option(None, "--rows", help="Total rows instead of --scale, split by the real class shares."),
    class_counts: str | None = typer.Option(
        None, "--class-counts", help='Rows per class as JSON, e.g. \'{"Benign": 1000, "Probing": 50}\'.'
    ),
    seed: int = typer.Option(0, "--seed", help="Random seed: the same seed writes the same bytes."),
) -> None:
    """Write a simulated HIKARI-2021 stand-in (same 88 columns) built from simulated packets."""
    from flowgan.datasets.simulate import class_row_counts, simulate_hikari
    from flowgan.datasets.writer import write_hikari

    counts = _parse_class_counts(class_counts)
    if Path(out).suffix.lower() not in (".csv", ".parquet"):
        raise FlowganError(f"{out}: output must end in .csv or .parquet")
    planned = class_row_counts(scale=scale, n_rows=rows, class_counts=counts)
    frame = simulate_hikari(scale=scale, n_rows=rows, class_counts=counts, seed=seed, progress=sum(planned.values()) >= 20_000)
    path = write_hikari(frame, out)
    summary = ", ".join(f"{k} {v:,}" for k, v in planned.items())
    console.print(f"wrote {len(frame):,} simulated rows to [bold]{path}[/] ({summary})", highlight=False)


def register(app: typer.Typer) -> None:
    """Add this area's commands to ``app``."""
    app.command(name="simulate", help="Write a simulated HIKARI-2021 stand-in built from simulated packets.")(simulate)
