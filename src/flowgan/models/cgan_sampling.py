"""The sampling path of :class:`~flowgan.models.conditional_gan.ConditionalFlowGAN` (its hot path).

Rows of each flow mode are made in chunks small enough to stay in cache, each chunk end to end: noise ->
generator (batch norm folded into its linear layers, outputs laid out one unit per row) ->
categorical draws -> calibrated decoding -> identity enforcement -> check of the identities
the enforcement does not guarantee. Values stay column-major (``(n, columns)`` arrays whose
columns are contiguous, i.e. the transpose of a C-ordered ``(columns, n)`` array) until the
DataFrame is built from them without a copy, so every per-column step reads and writes
contiguous memory.

Only the generator's matrix products use torch's threads; everything else runs on the calling
thread (NumPy, or torch in pieces below its parallel grain): on a 2-core machine with another
busy process, each small parallel region can wait milliseconds for its second thread.
"""

from __future__ import annotations

import logging
import mmap

import numpy as np
import pandas as pd
import torch

from flowgan.models.cgan_networks import Workspace, folded_layers, forward_t, read_grouped

logger = logging.getLogger(__name__)

Layers = list[tuple[torch.Tensor, torch.Tensor]]


def column_major(n_rows: int, n_cols: int) -> np.ndarray:
    """An uninitialised float64 ``(n_rows, n_cols)`` array whose columns are contiguous.

    Large ones live in an anonymous memory map of their own rather than ``np.empty``: NumPy asks
    the kernel for huge pages for arrays of 4 MiB and more, and where transparent huge pages are
    set to 'madvise' with direct compaction (as on the 2-core VMs this was measured on), first
    writing 63 MB (100k rows) took 0.8 s against 0.06 s with ordinary pages.
    """
    if n_rows * n_cols * 8 < 1 << 22:
        return np.empty((n_cols, n_rows)).T
    return np.frombuffer(mmap.mmap(-1, n_rows * n_cols * 8), dtype=np.float64).reshape(n_cols, n_rows).T


def sampling_layers(model, code: int) -> Layers | None:
    """The generator folded for flow mode ``code``; None while it is in training mode (batch norm
    then normalises by the batch, so the module itself is run)."""
    if model.generator_net_.training:
        return None
    return folded_layers(model.generator_net_, code, model.latent_dim, model.layout_index_.order)


def draw_outputs(model, n: int, code: int, layers: Layers | None, rng: np.random.Generator,
                 work: Workspace | None = None) -> tuple[np.ndarray, np.ndarray]:  # fmt: skip
    """``(choices, scores)`` of ``n`` generated rows of flow mode ``code``, laid out
    ``(blocks, n)`` (int64) and ``(score columns, n)`` (float32); tensors in ``work``'s buffers."""
    generator, device, index = model.sampling_generator_, model.device_, model.layout_index_
    with torch.no_grad():
        noise_t = None if work is None else work.take("noise", model.latent_dim, n)
        noise_t = torch.randn((model.latent_dim, n), generator=generator, device=device, out=noise_t)
        if layers is None:
            condition = torch.zeros((n, model.modes_.n_modes), device=device)
            condition[:, code] = 1.0
            grouped = model.generator_net_(noise_t.T, condition).T[index.order].contiguous().cpu().numpy()
        else:
            grouped = forward_t(layers, noise_t, work)
    return read_grouped(grouped, index, rng)


def generate_modes(model, modes: np.ndarray, chunk: int) -> tuple[np.ndarray, np.ndarray | None]:
    """:func:`generate` for rows of the flow modes ``modes`` (one per row), in that row order.

    Each mode's rows are made as one block of a single buffer, then every column is permuted so
    that row ``i`` is a row of mode ``modes[i]`` (cheaper than scattering each block's rows).
    """
    unique, counts = np.unique(modes, return_counts=True)
    if unique.size == 1:
        return generate(model, modes.size, int(unique[0]), chunk)
    values = column_major(modes.size, len(model.feature_names_in_))
    broken = np.zeros(modes.size, dtype=bool) if model.enforce_identities else None
    start, work = 0, Workspace(model.device_)
    for mode, count in zip(unique, counts):
        _, suspect = generate(model, int(count), int(mode), chunk, out=values[start : start + count], work=work)
        if broken is not None:
            broken[start : start + count] = suspect
        start += count
    # Block position p holds a row of mode modes[order[p]]: row i takes block position inverse[i].
    order = np.argsort(modes, kind="stable")
    inverse = np.empty_like(order)
    inverse[order] = np.arange(order.size)
    columns, scratch = values.T, np.empty(modes.size)
    for column in columns:
        np.take(column, inverse, out=scratch)
        column[:] = scratch
    return values, None if broken is None else broken[inverse]


def generate(model, n: int, code: int, chunk: int, out: np.ndarray | None = None,
             work: Workspace | None = None) -> tuple[np.ndarray, np.ndarray | None]:  # fmt: skip
    """``(values, broken)``: ``n`` rows of flow mode ``code`` (float64, column-major), decoded and
    enforced (or only placed), and which rows break an identity (None when not enforcing).
    ``out``: a column-major ``(n, columns)`` view to write the rows into; ``work``: buffers to reuse."""
    work = Workspace(model.device_) if work is None else work
    rng = model._numpy_rng()
    layers = sampling_layers(model, code)
    values = column_major(n, len(model.feature_names_in_)) if out is None else out
    broken = np.zeros(n, dtype=bool) if model.enforce_identities else None
    relative = [int(np.flatnonzero(model.feature_names_in_ == name)[0]) for name in model.relative_columns_]
    for start in range(0, n, chunk):
        part = values[start : start + chunk]
        suspect = _fill(model, part, code, rng, layers, relative, work)
        if broken is not None:
            broken[start : start + chunk] = suspect
    return values, broken


def _fill(model, part: np.ndarray, code: int, rng: np.random.Generator, layers: Layers | None,
          relative: list[int], work: Workspace) -> np.ndarray | None:  # fmt: skip
    """Write generated, decoded and enforced rows into ``part`` (a column-major view); return
    the rows that may break an identity (None when identities are not enforced)."""
    choices_t, scores_t = draw_outputs(model, part.shape[0], code, layers, rng, work)
    if model.decoder_ is not None:
        model.decoder_.decode(choices_t.T, scores_t.T, code, rng, out=part)
    else:
        codes = np.full(part.shape[0], model.modes_.mode_class_[code], dtype=np.int64)
        part[:] = model.transformer_.inverse_parts(choices_t.T, scores_t.T.astype(float), codes)
    coordinates = {model.feature_names_in_[j]: part[:, j].copy() for j in relative}
    if model.enforce_identities:
        return model.enforcer_.enforce_checked(part, coordinates)
    if coordinates:
        model.enforcer_.place_inplace(part, coordinates)
    return None


def repair(model, values: np.ndarray, broken: np.ndarray, modes: np.ndarray, rounds: int, chunk: int) -> np.ndarray:
    """Redraw the ``broken`` rows of ``values`` (rows of flow modes ``modes``) at most ``rounds`` times, in place.

    Rows still broken after that are replaced by other valid rows of the same call, so the
    count stays exact and no loop is unbounded.
    """
    for _ in range(rounds):
        if not broken.any():
            return values
        redrawn = np.flatnonzero(broken)
        values[redrawn], broken[redrawn] = generate_modes(model, modes[redrawn], chunk)
    valid = np.flatnonzero(~broken)
    if broken.any() and valid.size:
        logger.info("%d rows still broke an identity after %d redraws; replaced by valid rows", broken.sum(), rounds)
        values[broken] = values[model._numpy_rng().choice(valid, int(broken.sum()))]
    return values


def to_frame(values: np.ndarray, names: np.ndarray, dtypes: dict[str, str]) -> pd.DataFrame:
    """Values as a DataFrame with columns ``names`` and their ``dtypes`` (whole numbers rounded first).

    ``values`` is consumed: the frame's columns are its columns (column-major ``values``: no
    copy), 64-bit integer columns converted in place.
    """
    frame = {}
    for j, name in enumerate(names):
        dtype, column = np.dtype(dtypes[name]), values[:, j]
        if dtype.kind in "iub":
            np.round(column, out=column)
        if dtype == column.dtype:
            frame[name] = column
        elif dtype.itemsize == column.itemsize and dtype.kind in "iu" and column.flags.c_contiguous:
            frame[name] = column.view(dtype)
            np.copyto(frame[name], column, casting="unsafe")
        else:
            frame[name] = column.astype(dtype)
    return pd.DataFrame(frame, copy=False)
