"""A packet-level stand-in for HIKARI-2021: simulated flows with the real file's 88 columns.

:func:`simulate_hikari` draws flows of each class from its traffic profile
(:mod:`flowgan.datasets.simulate_profiles`), builds their packets
(:mod:`flowgan.datasets.simulate_traffic`), and measures them with the flowmeter
(:mod:`flowgan.datasets.flowmeter`), so that every identity of the real file holds by
construction. Work proceeds in chunks of flows, each with its own random stream derived from
``(seed, class, chunk)``: the same arguments give the same frame, byte for byte.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping

import numpy as np
import pandas as pd

from flowgan.datasets import schema
from flowgan.datasets.flowmeter import compute_flow_features
from flowgan.datasets.simulate_behaviours import draw_behaviour
from flowgan.datasets.simulate_profiles import BEHAVIOURS, CLASS_MIXTURES
from flowgan.datasets.simulate_traffic import PacketBuilder
from flowgan.errors import FlowganError

logger = logging.getLogger(__name__)

FLOW_TIMEOUT_S = 300.0
"""Longest simulated flow in seconds; longer sessions continue in a new (mid-stream) flow.
The real file's longest ``flow_iat.tot`` is 299.8 s."""
CAPTURE_START = 1_614_556_800.0
"""Epoch seconds of the first simulated flow (2021-03-01); times keep the real file's
microsecond grain of epoch timestamps stored as float64."""
CHUNK_FLOWS = 20_000
"""Flows simulated together (bounds memory; also part of the random stream layout)."""
_CLASS_SPACING_S = 0.5
_UID_ALPHABET = np.frombuffer(b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz", dtype=np.uint8)


def class_row_counts(
    *, scale: float = 0.1, n_rows: int | None = None, class_counts: Mapping[str, int] | None = None
) -> dict[str, int]:
    """Rows per class: explicit ``class_counts``, or the real shares scaled to ``n_rows`` rows
    (default ``scale`` times the real 555,278), by largest remainder, at least one per class.

    Raises
    ------
    FlowganError
        For a non-positive scale or row count, an unknown class or a non-positive class count.
    """
    if class_counts is not None:
        unknown = [c for c in class_counts if c not in schema.CLASSES]
        if unknown:
            raise FlowganError(f"unknown class {unknown[0]!r} in class counts: use one of {', '.join(schema.CLASSES)}")
        counts = {}
        for name, value in class_counts.items():
            if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
                raise FlowganError(f"class count for {name!r} must be a positive integer, not {value!r}")
            counts[name] = int(value)
        if not counts:
            raise FlowganError("class counts are empty: give at least one class with a positive count")
        return {c: counts[c] for c in schema.CLASSES if c in counts}
    real_total = sum(schema.CLASS_COUNTS.values())
    if n_rows is None:
        if not np.isfinite(scale) or scale <= 0:
            raise FlowganError(f"scale must be a positive number, not {scale!r}")
        n_rows = int(round(real_total * scale))
    if isinstance(n_rows, bool) or int(n_rows) != n_rows or n_rows < len(schema.CLASSES):
        raise FlowganError(f"the number of rows must be an integer of at least {len(schema.CLASSES)} (one per class), not {n_rows!r}")
    return _largest_remainder(int(n_rows), np.array([schema.CLASS_COUNTS[c] for c in schema.CLASSES], dtype=float))


def _largest_remainder(total: int, weights: np.ndarray) -> dict[str, int]:
    quota = total * weights / weights.sum()
    counts = np.floor(quota).astype(np.int64)
    short = total - int(counts.sum())  # fewer than len(weights)
    counts[np.argsort(-(quota - counts), kind="stable")[:short]] += 1
    for empty in np.flatnonzero(counts == 0):  # one row at least, taken from the largest class
        counts[empty] = 1
        counts[np.argmax(counts)] -= 1
    return dict(zip(schema.CLASSES, counts.tolist()))


def simulate_hikari(
    *,
    scale: float = 0.1,
    n_rows: int | None = None,
    class_counts: Mapping[str, int] | None = None,
    seed: int = 0,
    progress: bool = False,
) -> pd.DataFrame:
    """Simulate HIKARI-2021-like flows with the real file's 88 columns.

    Parameters
    ----------
    scale : float, default 0.1
        Fraction of the real file's 555,278 rows (0.1 gives 55,528), split by the real class
        shares. Ignored when ``n_rows`` or ``class_counts`` is given.
    n_rows : int, optional
        Total rows, split by the real class shares (at least one row per class).
    class_counts : mapping of str to int, optional
        Rows of each named class (classes left out get none).
    seed : int, default 0
        Seed of every random draw; the same arguments give the same frame.
    progress : bool, default False
        Show a progress bar over chunks of flows.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`~flowgan.datasets.schema.COLUMNS` in order, sorted by class (in
        :data:`~flowgan.datasets.schema.CLASSES` order) and by start time within a class.
        ``traffic_category`` is a Categorical over all six classes; ``Label`` follows
        :data:`~flowgan.datasets.schema.CLASS_LABELS`; the first index column counts rows,
        the second counts rows within the class; ``uid`` starts with ``SIM``.
    """
    counts = class_row_counts(scale=scale, n_rows=n_rows, class_counts=class_counts)
    jobs = [(c, start, min(CHUNK_FLOWS, n - start)) for c, n in counts.items() for start in range(0, n, CHUNK_FLOWS)]
    logger.info("simulating %d rows in %d chunks", sum(counts.values()), len(jobs))
    bar = None
    if progress:
        from tqdm.auto import tqdm

        bar = tqdm(total=sum(counts.values()), unit="flow", desc="simulate")
    parts = []
    for klass, start, size in jobs:
        parts.append(_simulate_chunk(klass, start, size, seed))
        if bar is not None:
            bar.update(size)
    if bar is not None:
        bar.close()
    return _assemble(parts)


def _chunk_rng(seed: int, klass: str, start: int) -> np.random.Generator:
    return np.random.default_rng(np.random.SeedSequence([int(seed), schema.CLASSES.index(klass), start // CHUNK_FLOWS]))


def _simulate_chunk(klass: str, start: int, size: int, seed: int) -> pd.DataFrame:
    """Simulate rows ``start .. start + size - 1`` of class ``klass``."""
    rng = _chunk_rng(seed, klass, start)
    mixture = CLASS_MIXTURES[klass]
    names = list(mixture)
    weights = np.array([mixture[k] for k in names], dtype=float)
    behaviour_of_flow = rng.choice(len(names), size=size, p=weights / weights.sum())
    row_index = start + np.arange(size)
    builder = PacketBuilder(size)
    ids = {col: np.empty(size, dtype=object if col.endswith("h") else np.int64) for col in schema.COLUMNS[3:7]}
    for i, name in enumerate(names):
        flows = np.flatnonzero(behaviour_of_flow == i)
        if flows.size:
            endpoints = draw_behaviour(BEHAVIOURS[name], flows, row_index[flows], builder, rng)
            for col, values in endpoints.items():
                ids[col][flows] = values
    class_no = schema.CLASSES.index(klass)
    offset = CAPTURE_START + class_no * 86_400.0 + start * _CLASS_SPACING_S
    start_time = offset + np.sort(rng.random(size)) * size * _CLASS_SPACING_S
    features = compute_flow_features(builder.build(start_time, FLOW_TIMEOUT_S), validate=False)
    frame = pd.DataFrame({"uid": _draw_uids(rng, size), **ids})
    frame = pd.concat([frame, features], axis=1)
    frame[schema.CLASS_COLUMN] = klass
    frame[schema.LABEL_COLUMN] = schema.CLASS_LABELS[klass]
    frame["Unnamed: 0"] = row_index
    return frame


def _draw_uids(rng: np.random.Generator, n: int) -> np.ndarray:
    """Zeek-like 17-character connection ids that start with ``SIM``."""
    codes = np.empty((n, 17), dtype=np.uint8)
    codes[:, :3] = np.frombuffer(b"SIM", dtype=np.uint8)
    codes[:, 3:] = _UID_ALPHABET[rng.integers(0, len(_UID_ALPHABET), (n, 14))]
    return codes.view("S17").ravel().astype(str)


def _assemble(parts: list[pd.DataFrame]) -> pd.DataFrame:
    frame = pd.concat(parts, ignore_index=True)
    frame["Unnamed: 0.1"] = np.arange(len(frame), dtype=np.int64)
    frame = frame[list(schema.COLUMNS)]
    for col in schema.COLUMNS:
        if schema.DTYPES[col] == "int64":
            frame[col] = frame[col].astype(np.int64)
        elif schema.DTYPES[col] == "float64":
            frame[col] = frame[col].astype(np.float64)
    for col in ("uid", "originh", "responh"):
        frame[col] = frame[col].astype("str")
    frame[schema.CLASS_COLUMN] = pd.Categorical(frame[schema.CLASS_COLUMN], categories=list(schema.CLASSES))
    return frame
