"""Flow modes: per class, the common patterns of which columns are exactly zero.

Flows of one class fall into a few kinds that differ in which fields are empty: one-packet
probes have no inter-arrival times, flows without payload have zero payload columns, flows
that never went idle have zero idle times. On the simulated stand-in of HIKARI-2021 the
attack classes show 11 to 46 such zero patterns, and a dozen cover 95-99% of a class's rows.

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
        it has no common pattern).
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
        classes, shares, patterns = [], [], []
        for k in range(n_classes):
            rows = np.flatnonzero(codes == k)
            common, assigned = self._class_modes(rows_zero[rows])
            row_modes[rows] = assigned + len(classes)
            counts = np.bincount(assigned, minlength=len(common))
            classes += [k] * len(common)
            shares += list(counts / max(1, rows.size))
            patterns += list(common)
        self.mode_class_ = np.asarray(classes, dtype=np.int64)
        self.mode_share_ = np.asarray(shares, dtype=float)
        self.patterns_ = np.asarray(patterns, dtype=bool).reshape(len(classes), self.zero_columns_.size)
        return row_modes

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
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> FlowModes:
        self = cls(int(data["min_rows"]))
        self.zero_columns_ = np.asarray(data["zero_columns"], dtype=np.int64)
        self.mode_class_ = np.asarray(data["mode_class"], dtype=np.int64)
        self.mode_share_ = np.asarray(data["mode_share"], dtype=float)
        self.patterns_ = np.asarray(data["patterns"], dtype=bool).reshape(self.mode_class_.size, self.zero_columns_.size)
        return self

    @classmethod
    def one_per_class(cls, n_classes: int) -> FlowModes:
        """Modes off: mode k is class k (models saved before modes existed)."""
        return cls.from_dict({"min_rows": 0, "zero_columns": [], "mode_class": list(range(n_classes)),
                              "mode_share": [1.0] * n_classes, "patterns": []})  # fmt: skip
