"""Training-loop parts shared by flowgan's GANs.

A GAN here is trained by :func:`run_epochs`, which knows nothing about losses: it shuffles the
data with a local ``torch.Generator``, calls a *discriminator step* on every mini-batch and a
*generator step* after every ``generator_every``-th one, averages whatever losses the steps
return per epoch, and shows a progress bar when asked.

Step callables::

    d_step(real_batch) -> (losses: dict[str, float], carry)
    g_step(real_batch, carry) -> losses: dict[str, float]

``carry`` is whatever the discriminator step wants to hand on (the seed's GAN passes its fake
batch, so the generator step reuses it; a WGAN-GP may pass ``None``).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator
from typing import Any

import numpy as np
import torch

from flowgan.errors import FlowganError

logger = logging.getLogger(__name__)

DiscriminatorStep = Callable[[torch.Tensor], tuple[dict[str, float], Any]]
GeneratorStep = Callable[[torch.Tensor, Any], dict[str, float]]

SEED_NAMES = ("init", "shuffle", "noise", "sample")
"""The independent random streams a GAN needs, each seeded from one ``random_state``."""


def check_epochs(epochs: Any) -> int:
    """``epochs`` as a positive int, or a FlowganError."""
    if isinstance(epochs, bool) or not isinstance(epochs, (int, np.integer)) or epochs <= 0:
        raise FlowganError(f"epochs must be a positive integer, got {epochs!r}")
    return int(epochs)


def derive_seeds(random_state: Any) -> dict[str, int]:
    """Integer seeds for each stream in :data:`SEED_NAMES`, from ``random_state``.

    ``random_state`` may be ``None`` (fresh entropy), an int or a ``numpy.random.Generator``.
    """
    if isinstance(random_state, np.random.RandomState):
        random_state = int(random_state.randint(np.iinfo(np.int32).max))
    try:
        rng = np.random.default_rng(random_state)
    except (TypeError, ValueError) as exc:
        raise FlowganError(f"random_state must be None, an integer or a numpy Generator, got {random_state!r}") from exc
    values = rng.integers(0, 2**62, size=len(SEED_NAMES))
    return {name: int(v) for name, v in zip(SEED_NAMES, values, strict=True)}


def make_torch_generator(seed: int, device: torch.device | str = "cpu") -> torch.Generator:
    """A ``torch.Generator`` on ``device`` seeded with ``seed``."""
    gen = torch.Generator(device=torch.device(device))
    gen.manual_seed(int(seed))
    return gen


def iterate_minibatches(
    data: torch.Tensor, batch_size: int, generator: torch.Generator, *, drop_singleton: bool = True
) -> Iterator[torch.Tensor]:
    """Yield shuffled mini-batches of ``data`` (rows), like ``DataLoader(shuffle=True)``.

    A trailing batch of exactly one row is dropped when ``drop_singleton`` (BatchNorm cannot
    train on one row; the seed's DataLoader would crash there).
    """
    n_rows = data.shape[0]
    order = torch.randperm(n_rows, generator=generator)
    for start in range(0, n_rows, batch_size):
        index = order[start : start + batch_size]
        if drop_singleton and index.numel() == 1 and n_rows > 1:
            continue
        yield data[index.to(data.device)]


def run_epochs(
    data: torch.Tensor,
    d_step: DiscriminatorStep,
    g_step: GeneratorStep,
    *,
    epochs: int,
    batch_size: int,
    shuffle_generator: torch.Generator,
    generator_every: int = 1,
    verbose: bool = False,
    desc: str = "training",
) -> list[dict[str, float]]:
    """Train for ``epochs`` epochs; return one dict of mean losses per epoch.

    Parameters
    ----------
    data : torch.Tensor
        Training rows, already scaled and on the training device.
    d_step, g_step : callable
        The discriminator and generator steps (see the module docstring).
    epochs, batch_size : int
        Number of passes over ``data`` and rows per mini-batch.
    shuffle_generator : torch.Generator
        CPU generator for the row order of each epoch.
    generator_every : int, default=1
        Run the generator step after every ``generator_every``-th discriminator step.
    verbose : bool, default=False
        Show a progress bar (epoch, d_loss, g_loss, ETA).
    desc : str
        Label of the progress bar and log lines.

    Returns
    -------
    list of dict
        ``{"epoch": i, <loss name>: mean over the epoch's batches, ...}`` per epoch.
    """
    epochs = check_epochs(epochs)
    if batch_size <= 0 or generator_every <= 0:
        raise FlowganError(f"batch_size and generator_every must be positive, got {batch_size} and {generator_every}")
    history: list[dict[str, float]] = []
    started = time.perf_counter()
    with _progress(epochs, desc, verbose) as bar:
        for epoch in range(1, epochs + 1):
            sums: dict[str, float] = {}
            counts: dict[str, int] = {}
            batches = iterate_minibatches(data, batch_size, shuffle_generator)
            for step, real in enumerate(batches, start=1):
                d_losses, carry = d_step(real)
                _accumulate(sums, counts, d_losses)
                if step % generator_every == 0:
                    _accumulate(sums, counts, g_step(real, carry))
            record = {"epoch": epoch, **{k: sums[k] / counts[k] for k in sums}}
            history.append(record)
            _report_epoch(bar, record, desc)
    logger.info("%s: %d epochs in %.1f s", desc, epochs, time.perf_counter() - started)
    return history


def _accumulate(sums: dict[str, float], counts: dict[str, int], losses: dict[str, float]) -> None:
    for key, value in losses.items():
        sums[key] = sums.get(key, 0.0) + float(value)
        counts[key] = counts.get(key, 0) + 1


def _report_epoch(bar: Any, record: dict[str, float], desc: str) -> None:
    losses = {k: v for k, v in record.items() if k != "epoch"}
    if bar is not None:
        bar.set_postfix({k: f"{v:.4f}" for k, v in losses.items()}, refresh=False)
        bar.update(1)
    logger.debug("%s epoch %d: %s", desc, record["epoch"], ", ".join(f"{k}={v:.4f}" for k, v in losses.items()))


class _progress:
    """A tqdm bar over epochs when ``verbose``; ``None`` otherwise."""

    def __init__(self, total: int, desc: str, verbose: bool) -> None:
        self.total, self.desc, self.verbose, self.bar = total, desc, verbose, None

    def __enter__(self) -> Any:
        if self.verbose:
            from tqdm import tqdm

            self.bar = tqdm(total=self.total, desc=self.desc, unit="epoch", leave=True)
        return self.bar

    def __exit__(self, *exc: object) -> None:
        if self.bar is not None:
            self.bar.close()
