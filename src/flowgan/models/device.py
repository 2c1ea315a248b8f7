"""Device selection shared by every model: ``auto`` picks CUDA when available."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import torch

from flowgan.errors import FlowganError

DEVICE_CHOICES = ("auto", "cpu", "cuda")


def resolve_device(device: str | torch.device = "auto") -> torch.device:
    """Return the torch device for ``auto``, ``cpu`` or ``cuda`` (``cuda:N`` too)."""
    if isinstance(device, torch.device):
        return device
    name = str(device).lower()
    if name == "auto":
        return torch.device("cuda" if torch.cuda.is_available() else "cpu")
    if name == "cpu":
        return torch.device("cpu")
    if name.startswith("cuda"):
        if not torch.cuda.is_available():
            raise FlowganError(f"device {device!r} was asked for, but CUDA is not available here; use --device cpu")
        return torch.device(name)
    raise FlowganError(f"unknown device {device!r}: choose one of {', '.join(DEVICE_CHOICES)}")


@contextmanager
def torch_threads(threads: int | None) -> Iterator[None]:
    """Run the block with ``threads`` torch threads (None: leave torch's setting), then restore."""
    before = torch.get_num_threads()
    if threads is not None and threads != before:
        torch.set_num_threads(int(threads))
    try:
        yield
    finally:
        if torch.get_num_threads() != before:
            torch.set_num_threads(before)
