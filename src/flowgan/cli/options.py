"""Small parsing helpers shared by the CLI modules."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Annotated

import typer

from flowgan.datasets.flows import split_column_names
from flowgan.datasets.schema import HIKARI_SPEC, DatasetSpec

__all__ = ["ClassColumn", "Device", "DropColumns", "IdentitiesFile", "LabelColumn", "TorchThreads", "dataset_spec",
           "set_torch_threads", "split_column_names", "split_names"]  # fmt: skip

# Options several commands share; each command gives the default, e.g. ``class_col: ClassColumn = "traffic_category"``.
ClassColumn = Annotated[str, typer.Option("--class-col", help="Column holding the class.")]
LabelColumn = Annotated[str, typer.Option("--label-col", help="Binary attack label column ('' for none).")]
DropColumns = Annotated[
    list[str] | None,
    typer.Option("--drop", help="Extra non-feature columns to drop (repeat or comma-separate; 'Source IP' also finds ' Source IP')."),
]
IdentitiesFile = Annotated[
    Path | None,
    typer.Option("--identities", metavar="FILE",
                 help="Identities file: one relation a line (see README); obeyed by the cgan model's rows (the paper model ignores it)."),
]  # fmt: skip
TorchThreads = Annotated[int, typer.Option("--threads", help="CPU threads for torch (batches of 32 train fastest on one).")]
Device = Annotated[str, typer.Option("--device", help="auto, cpu or cuda.")]


def split_names(values: Sequence[str] | None) -> list[str] | None:
    """Names given as repeated options and/or comma-separated, spaces stripped; ``None`` when none.

    Column names keep their spaces: use :func:`split_column_names` for them."""
    if not values:
        return None
    names = [part.strip() for value in values for part in value.split(",") if part.strip()]
    return names or None


def dataset_spec(class_col: str, label_col: str, drop: Sequence[str] | None) -> DatasetSpec:
    """HIKARI's spec with another class/label column and extra columns to drop."""
    return DatasetSpec(
        class_col=class_col,
        label_col=label_col or None,
        drop=(*HIKARI_SPEC.drop, *(drop or ())),
        port_cols=HIKARI_SPEC.port_cols,
        name=HIKARI_SPEC.name if class_col == HIKARI_SPEC.class_col else "custom",
    )


def set_torch_threads(threads: int) -> None:
    """Set torch's CPU thread count for this process (the CLI's choice, not the library's)."""
    from flowgan.errors import FlowganError

    if threads <= 0:
        raise FlowganError(f"--threads must be positive, got {threads}")
    import torch

    torch.set_num_threads(threads)
