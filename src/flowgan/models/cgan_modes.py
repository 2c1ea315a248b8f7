"""Flow modes: per class, the common patterns of which columns are exactly zero.

Flows of one class fall into a few kinds that differ in which fields are empty: one-packet
probes have no inter-arrival times, flows without payload have zero payload columns, flows
that never went idle have zero idle times. On the simulated stand-in of HIKARI-2021 the
attack classes show 11 to 46 such zero patterns, and a dozen cover 95-99% of a class's rows.
On other tables zeros of unrelated columns (a flag here, a bulk counter there) multiply the
patterns: on independently generated HIKARI-shaped tables a class showed 460 to 4,000 patterns,
and the common ones covered only 4-74% of its rows. So each class's pattern is taken over the
*key* columns only: blocks of columns that are zero together (and single columns whose zeros
go with another's) are added to the key one by one (largest blocks first, then the most evenly
split) as long as patterns shared by ``min_rows``
rows still cover :data:`MIN_COVERAGE` of the class; the other columns' zeros are left to the
per-column atoms.

A column-wise generator gets each column's share of zeros right but not which zeros go
together, and derived columns (``flow = fwd + bwd`` is zero only when both are) then come out
with the wrong share. So the conditional GAN is conditioned on the *mode*: a zero pattern that
at least ``min_rows`` training rows of the class share. Rows with a rarer pattern join the mode
whose pattern is nearest (fewest columns differ), so no mode describes fewer than ``min_rows``
real rows (a mode copies no individual flow). A class with no pattern that common is one mode.
At sampling time each row's mode is drawn with the mode's training share within the class.
"""

from __future__ import annotations

from typing import Any

import numpy as np

MIN_COVERAGE = 0.95
"""Share of a class's rows whose key pattern must be a mode's (the rest join the nearest mode)."""
MIN_LINK = 0.2
"""A single column enters the key only when its zeros go with another column's (|phi| at least
this): a column zero independently of the rest (a flag) is left to its own atom."""


class FlowModes:
    """Zero-pattern modes of each class, learnt from training rows.

    Parameters
    ----------
    min_rows : int
        Rows of a class that must share a zero pattern for it to become a mode; 0 turns modes
        off (one mode per class).

    Attributes
    ----------
    zero_columns_ : ndarray of int
        Columns that are zero on some but not all training rows (the pattern's columns).
    mode_class_ : ndarray of int, shape (n_modes,)
        Class code of each mode; modes of a class are consecutive.
    mode_share_ : ndarray of float, shape (n_modes,)
        Share of its class's training rows in each mode.
    patterns_ : ndarray of bool, shape (n_modes, n_zero_columns)
        Which pattern columns are zero in each mode (all False for a class's only mode when
        it has no common pattern, and for columns outside the class's key).
    keys_ : ndarray of bool, shape (n_modes, n_zero_columns)
        Which pattern columns each mode's pattern fixes (its class's key columns).
    """

    def __init__(self, min_rows: int = 50):
        self.min_rows = min_rows

    @property
    def n_modes(self) -> int:
        return int(self.mode_class_.size)

    def fit(self, values: np.ndarray, codes: np.ndarray, n_classes: int) -> np.ndarray:
        """Learn the modes of ``values`` (rows of class ``codes``); return each row's mode."""
        zero = values == 0
        share = zero.mean(axis=0)
        self.zero_columns_ = np.flatnonzero((share > 0) & (share < 1)) if self.min_rows > 0 else np.zeros(0, dtype=np.int64)
        rows_zero = zero[:, self.zero_columns_]
        row_modes = np.zeros(len(values), dtype=np.int64)
        classes, shares, patterns, keys = [], [], [], []
        for k in range(n_classes):
            rows = np.flatnonzero(codes == k)
            key = self._key(rows_zero[rows])
            common, assigned = self._class_modes(rows_zero[rows][:, key])
            row_modes[rows] = assigned + len(classes)
            counts = np.bincount(assigned, minlength=len(common))
            classes += [k] * len(common)
            shares += list(counts / max(1, rows.size))
            full = np.zeros((len(common), self.zero_columns_.size), dtype=bool)
            full[:, key] = common
            patterns += list(full)
            keys += [key] * len(common)
        self.mode_class_ = np.asarray(classes, dtype=np.int64)
        self.mode_share_ = np.asarray(shares, dtype=float)
        self.patterns_ = np.asarray(patterns, dtype=bool).reshape(len(classes), self.zero_columns_.size)
        self.keys_ = np.asarray(keys, dtype=bool).reshape(len(classes), self.zero_columns_.size)
        return row_modes

    def _key(self, zero: np.ndarray) -> np.ndarray:
        """Mask of the pattern columns whose zeros define the class's modes (see the module docstring)."""
        key = np.zeros(zero.shape[1], dtype=bool)
        if self.min_rows <= 0 or len(zero) == 0:
            return key
        varying = np.flatnonzero(zero.any(axis=0) & ~zero.all(axis=0))
        if varying.size == 0:
            return key
        blocks, inverse = np.unique(zero[:, varying].T, axis=0, return_inverse=True)
        inverse = inverse.reshape(-1)
        sizes = np.bincount(inverse, minlength=len(blocks))
        balance = np.minimum(blocks.mean(axis=1), 1 - blocks.mean(axis=1))
        linked = _linked(blocks)
        for b in np.lexsort((-balance, -sizes)):
            if sizes[b] == 1 and not linked[b]:
                continue
            trial = key.copy()
            trial[varying[inverse == b]] = True
            _, counts = np.unique(zero[:, trial], axis=0, return_counts=True)
            if counts[counts >= self.min_rows].sum() >= MIN_COVERAGE * len(zero):
                key = trial
        return key

    def _class_modes(self, zero: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """``(patterns of the class's modes, mode of each row)``: common patterns, rare rows to the nearest."""
        if self.min_rows <= 0 or zero.shape[1] == 0 or len(zero) == 0:
            return np.zeros((1, zero.shape[1]), dtype=bool), np.zeros(len(zero), dtype=np.int64)
        unique, inverse, counts = np.unique(zero, axis=0, return_inverse=True, return_counts=True)
        inverse = inverse.reshape(-1)
        # Most common first (ties by pattern order), so that the first mode is the class's usual flow.
        order = np.lexsort((np.arange(len(counts)), -counts))
        common = order[counts[order] >= self.min_rows]
        if common.size == 0:
            return np.zeros((1, zero.shape[1]), dtype=bool), np.zeros(len(zero), dtype=np.int64)
        # Each distinct pattern goes to the nearest common one (itself when common); ties: the more common.
        distance = (unique[:, None, :] != unique[common][None, :, :]).sum(axis=2)
        nearest = np.argmin(distance, axis=1)
        return unique[common], nearest[inverse]

    def modes_of(self, klass: int) -> tuple[np.ndarray, np.ndarray]:
        """``(mode indices, their shares)`` of class code ``klass``."""
        modes = np.flatnonzero(self.mode_class_ == klass)
        return modes, self.mode_share_[modes]

    def draw(self, n: int, klass: int, rng: np.random.Generator) -> np.ndarray:
        """A mode for each of ``n`` rows of class ``klass``, drawn with the training shares."""
        modes, shares = self.modes_of(klass)
        if modes.size == 1:
            return np.full(n, modes[0], dtype=np.int64)
        return modes[rng.choice(modes.size, size=n, p=shares / shares.sum())]

    def to_dict(self) -> dict[str, Any]:
        return {
            "min_rows": self.min_rows,
            "zero_columns": self.zero_columns_.tolist(),
            "mode_class": self.mode_class_.tolist(),
            "mode_share": self.mode_share_.tolist(),
            "patterns": self.patterns_.astype(int).tolist(),
            "keys": self.keys_.astype(int).tolist(),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> FlowModes:
        self = cls(int(data["min_rows"]))
        self.zero_columns_ = np.asarray(data["zero_columns"], dtype=np.int64)
        self.mode_class_ = np.asarray(data["mode_class"], dtype=np.int64)
        self.mode_share_ = np.asarray(data["mode_share"], dtype=float)
        shape = (self.mode_class_.size, self.zero_columns_.size)
        self.patterns_ = np.asarray(data["patterns"], dtype=bool).reshape(shape)
        # Models saved before keys existed took every pattern column into each mode's pattern.
        self.keys_ = np.asarray(data["keys"], dtype=bool).reshape(shape) if "keys" in data else np.ones(shape, dtype=bool)
        return self

    @classmethod
    def one_per_class(cls, n_classes: int) -> FlowModes:
        """Modes off: mode k is class k (models saved before modes existed)."""
        return cls.from_dict({"min_rows": 0, "zero_columns": [], "mode_class": list(range(n_classes)),
                              "mode_share": [1.0] * n_classes, "patterns": []})  # fmt: skip


def _linked(blocks: np.ndarray) -> np.ndarray:
    """Whether each block's zeros go with another block's (|phi| >= :data:`MIN_LINK`); ``blocks``
    holds one zero indicator per block (blocks x rows). A lone block counts as linked."""
    if len(blocks) < 2:
        return np.ones(len(blocks), dtype=bool)
    with np.errstate(invalid="ignore", divide="ignore"):
        phi = np.nan_to_num(np.corrcoef(blocks.astype(float)))
    np.fill_diagonal(phi, 0.0)
    return np.abs(phi).max(axis=1) >= MIN_LINK
