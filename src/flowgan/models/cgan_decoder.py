"""Decode the generator's outputs straight onto each class's training marginals (sampling's hot path).

The generator emits, per column, a categorical choice among the column's atoms (such as the
point mass at zero) and "other", and a normal score for the continuous remainder. After
training, the distribution of these outputs is measured once per class on ``n_probe``
generated rows, and every later output is mapped through the monotone map (one-dimensional
optimal transport) from the generated to the class's training marginal of the column:

* a continuous row with score ``s`` gets probability ``U(s) = p_other * C(s) + sum of p_a over
  the atoms a below s`` (``C``: the generated scores' CDF, ``p``: generated choice shares);
* an atom row gets a probability drawn uniformly from the atom's own range of ``U``;
* the value is the class's training quantile at that probability (interpolated on a log scale).

The first map is tabulated on a uniform grid of scores, the second is a quantile table on a
uniform grid of probabilities, so decoding is index arithmetic without searches. Atom shares
and the continuous remainder are matched together: exact zeros come out with the training
share of the class, and values fall between real ones rather than copying them. Ranks (the
dependence the GAN learned) are kept. The maps are fixed after fit, so rows do not depend on
how many are sampled at once.
"""

from __future__ import annotations

import numpy as np
import torch

from flowgan.transforms import TableTransformer
from flowgan.transforms.quantile import signed_log, to_normal

_SERIAL_PIECE = 32_768
"""Elements per torch call that stay on the calling thread (torch's parallel grain size)."""

SCORE_LIMIT = 5.0
"""Scores are clamped to [-5, 5] (the transformer's normal scores stay within +-4.75)."""


class CalibratedDecoder:
    """Per-class maps from the generator's (choices, scores) to calibrated float64 column values.

    Parameters
    ----------
    n_quantiles : int
        Points of each class's training quantile function per column.
    n_grid : int
        Points of the score grid on which ``U(s)`` is tabulated.
    """

    def __init__(self, n_quantiles: int = 512, n_grid: int = 1024):
        self.n_quantiles = n_quantiles
        self.n_grid = n_grid

    def fit(self, transformer: TableTransformer, real_by_class: list[np.ndarray], generated_by_class: list[tuple[np.ndarray, np.ndarray]]) -> CalibratedDecoder:
        """Measure generated outputs (``(choices, scores)`` per class) against real values per class."""
        self._bind(transformer)
        probs = np.linspace(0.0, 1.0, self.n_quantiles)
        # Quantiles on the log scale (for interpolation) and as values (exact where they are flat:
        # an atom such as 835.08369 must come out as itself, not as its log round trip).
        self.real_q_ = np.stack([np.quantile(signed_log(r), probs, axis=0).T for r in real_by_class])
        self.real_v_ = np.stack([np.quantile(r, probs, axis=0).T for r in real_by_class])
        grid = self._grid()
        n_classes, n_scores, n_choices = len(real_by_class), len(self._score_cols), len(self._choice_cols)
        self.score_table_ = np.zeros((n_classes, n_scores, self.n_grid))
        self.score_values_ = np.zeros((n_classes, n_scores, self.n_grid))
        width = max([len(transformer.columns_[j].atoms) for j in self._choice_cols], default=0) + 1
        self.atom_low_ = np.zeros((n_classes, n_choices, width))
        self.atom_width_ = np.zeros((n_classes, n_choices, width))
        for k, (choices, scores) in enumerate(generated_by_class):
            for j in sorted(self._score_pos.keys() | self._choice_pos.keys()):
                u_grid, low, share = self._column_cdf(j, choices, scores, grid)
                if j in self._score_pos:
                    i = self._score_pos[j]
                    self.score_table_[k, i] = _quantile_at(self.real_q_[k, j], u_grid)
                    self.score_values_[k, i] = _quantile_at(self.real_v_[k, j], u_grid)
                if j in self._choice_pos:
                    b = self._choice_pos[j]
                    self.atom_low_[k, b, : low.size], self.atom_width_[k, b, : share.size] = low, share
        return self

    def _bind(self, transformer: TableTransformer) -> None:
        columns = transformer.columns_
        self._columns = columns
        self._score_cols = [j for j, c in enumerate(columns) if c.references is not None]
        self._choice_cols = [j for j, c in enumerate(columns) if c.n_choices]
        self._score_pos = {j: i for i, j in enumerate(self._score_cols)}
        self._choice_pos = {j: b for b, j in enumerate(self._choice_cols)}
        self._constants = [(j, c.atoms[0]) for j, c in enumerate(columns) if c.is_constant]
        self._integers = [j for j, c in enumerate(columns) if c.integer]
        covered = set(self._score_cols) | set(self._choice_cols) | {j for j, _ in self._constants}
        self._uncovered = [j for j in range(len(columns)) if j not in covered]
        self._table_cache = {}
        self._n_atoms = np.array([len(columns[j].atoms) for j in self._choice_cols], dtype=np.int64)

    def _grid(self) -> np.ndarray:
        return np.linspace(-SCORE_LIMIT, SCORE_LIMIT, self.n_grid)

    def _column_cdf(self, j: int, choices: np.ndarray, scores: np.ndarray, grid: np.ndarray):
        """``(U on the score grid, low end of each atom's U range, atom shares)`` of column ``j``."""
        col = self._columns[j]
        n_rows = choices.shape[0]
        atoms = np.asarray(col.atoms, dtype=float)
        if j in self._choice_pos:
            picked = choices[:, self._choice_pos[j]]
            shares = np.bincount(picked, minlength=col.n_choices)[: col.n_choices] / n_rows
        else:
            picked, shares = None, np.zeros(1)
        if col.references is None:
            atom_shares = shares[: atoms.size]
            return None, np.concatenate([[0.0], np.cumsum(atom_shares)[:-1]]), atom_shares
        rest = scores[:, self._score_pos[j]] if picked is None else scores[picked == atoms.size, self._score_pos[j]]
        p_rest = rest.size / n_rows
        rest = np.sort(np.clip(rest, -SCORE_LIMIT, SCORE_LIMIT))
        cdf = (lambda s: np.searchsorted(rest, s, side="right") / rest.size) if rest.size else (lambda s: np.zeros(np.shape(s)))
        atom_shares = shares[: atoms.size]
        atom_scores = to_normal(atoms, col.references) if atoms.size else atoms
        # Atoms below the remainder get a score at the bottom (to_normal clamps), above at the top.
        below_grid = (atom_scores[:, None] < grid[None, :]) if atoms.size else np.zeros((0, grid.size), dtype=bool)
        u_grid = p_rest * cdf(grid) + (atom_shares[:, None] * below_grid).sum(axis=0)
        order = np.argsort(atom_scores, kind="stable")
        before = np.zeros(atoms.size)
        before[order] = np.concatenate([[0.0], np.cumsum(atom_shares[order])[:-1]]) if atoms.size else before
        low = p_rest * cdf(atom_scores) + before
        return u_grid, low, atom_shares

    def decode(self, choices: np.ndarray, scores: np.ndarray, code: int, rng: np.random.Generator,
               out: np.ndarray | None = None) -> np.ndarray:  # fmt: skip
        """Float64 values (n, n_columns) of class (or flow mode) ``code`` from generated choices and scores.

        Works column by column: pass ``choices``, ``scores`` and ``out`` as transposes of
        C-contiguous arrays (column-major, as sampling does) to keep every read contiguous.
        """
        n = choices.shape[0]
        out = np.empty((len(self._columns), n)).T if out is None else out
        out_t = out.T
        if self._score_cols:
            varying, constant, tables = self._score_plan(code)
            if varying.size:
                pos = scores.T.take(varying, axis=0).astype(float)
                np.clip(pos, -SCORE_LIMIT, SCORE_LIMIT, out=pos)
                pos += SCORE_LIMIT
                pos *= (self.n_grid - 1) / (2 * SCORE_LIMIT)
                out_t[np.asarray(self._score_cols)[varying]] = _read_dense(tables, pos)
            for j, value in constant:
                out_t[j] = value
        if self._choice_cols:
            self._decode_atoms(np.asarray(choices.T), code, rng, out_t)
        for j in self._uncovered:
            out_t[j] = 0.0
        for j, value in self._constants:
            out_t[j] = value
        for j in self._integers:
            np.round(out_t[j], out=out_t[j])
        return out

    def _decode_atoms(self, choices_t: np.ndarray, code: int, rng: np.random.Generator, out_t: np.ndarray) -> None:
        """Write the value of every atom choice into ``out_t`` (columns x rows), in place.

        An atom whose whole range of probabilities falls on a flat stretch of the quantile
        table (the usual case: a point mass) has one value, read from a table; the others get
        a probability drawn from their range, read through the quantile table.
        """
        fixed, slow = self._atom_tables(code)
        cells = choices_t + (np.arange(choices_t.shape[0]) * fixed.shape[1])[:, None]
        values = fixed.ravel().take(cells)
        known = ~np.isnan(values)
        for b, j in enumerate(self._choice_cols):
            np.copyto(out_t[j], values[b], where=known[b])
        flat = np.flatnonzero(slow.ravel().take(cells))
        if flat.size:
            block, row = np.divmod(flat, choices_t.shape[1])
            cell = cells.ravel()[flat]
            u = self.atom_low_[code].ravel()[cell] + rng.random(flat.size) * self.atom_width_[code].ravel()[cell]
            u *= self.n_quantiles - 1
            out_t[np.asarray(self._choice_cols)[block], row] = _read(self._atom_reader(code), u, block)

    def _atom_tables(self, code: int) -> tuple[np.ndarray, np.ndarray]:
        """``(fixed, slow)``, (choice columns, choices): the value of each atom whose probability
        range reads one flat stretch of the quantile table (NaN otherwise, and for "other"), and
        which atoms need the quantile table read at a drawn probability. Cached per class."""
        if ("fixed", code) not in self._table_cache:
            top = self.n_quantiles - 1
            fixed = np.full(self.atom_low_.shape[1:], np.nan)
            slow = np.zeros(fixed.shape, dtype=bool)
            for b, j in enumerate(self._choice_cols):
                logs, values = self.real_q_[code, j], self.real_v_[code, j]
                for a in range(self._n_atoms[b]):
                    low, high = self.atom_low_[code, b, a], self.atom_low_[code, b, a] + self.atom_width_[code, b, a]
                    # cells `left` that positions in [low, high] * top read (see _read), widened by rounding
                    first = int(np.clip(np.floor(low * top - 1e-9), 0, top - 1))
                    last = int(np.clip(np.floor(high * top + 1e-9), first, top - 1))
                    if np.all(logs[first : last + 2] == logs[first]) and np.all(values[first : last + 1] == values[first]):
                        fixed[b, a] = values[first]
                    else:
                        slow[b, a] = True
            self._table_cache["fixed", code] = (fixed, slow)
        return self._table_cache["fixed", code]

    def _score_plan(self, code: int) -> tuple[np.ndarray, list[tuple[int, float]], tuple]:
        """``(varying, constant, tables)`` of one class (or flow mode): the score columns (positions
        in the score list) whose table takes several values, ``(column, value)`` of those whose
        table is flat (a column that is always zero in a flow mode: nothing to read), and the
        :func:`_reader_tables` of the varying ones. Cached."""
        if ("plan", code) not in self._table_cache:
            logs, values = self.score_table_[code], self.score_values_[code]
            flat = (logs == logs[:, :1]).all(axis=1) & (values == values[:, :1]).all(axis=1)
            varying = np.flatnonzero(~flat)
            constant = [(self._score_cols[i], float(values[i, 0])) for i in np.flatnonzero(flat)]
            self._table_cache["plan", code] = (varying, constant, _reader_tables(logs[varying], values[varying]))
        return self._table_cache["plan", code]

    def _atom_reader(self, code: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, bool]:
        """The choice columns' :func:`_reader_tables` of one class (or flow mode), cached."""
        if ("atom", code) not in self._table_cache:
            cols = self._choice_cols
            self._table_cache["atom", code] = _reader_tables(self.real_q_[code][cols], self.real_v_[code][cols])
        return self._table_cache["atom", code]

    def get_state(self) -> tuple[dict, dict[str, torch.Tensor]]:
        config = {"n_quantiles": self.n_quantiles, "n_grid": self.n_grid}
        names = ("real_q_", "real_v_", "score_table_", "score_values_", "atom_low_", "atom_width_")
        return config, {name.rstrip("_"): torch.from_numpy(np.ascontiguousarray(getattr(self, name))) for name in names}

    @classmethod
    def from_state(cls, config: dict, tensors: dict[str, torch.Tensor], transformer: TableTransformer) -> CalibratedDecoder:
        self = cls(config["n_quantiles"], config["n_grid"])
        for name in ("real_q", "real_v", "score_table", "score_values", "atom_low", "atom_width"):
            setattr(self, name + "_", tensors[name].numpy().astype(float))
        self._bind(transformer)
        return self


def _quantile_at(quantiles: np.ndarray, u: np.ndarray) -> np.ndarray:
    """Interpolate a quantile table (uniform probabilities) at probabilities ``u``."""
    return np.interp(np.clip(u, 0.0, 1.0) * (quantiles.size - 1), np.arange(quantiles.size), quantiles)


def _reader_tables(logs: np.ndarray, values: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, bool]:
    """``(log table, slope table, value table, signed)`` for :func:`_read` and :func:`_read_dense`
    from sorted log-scale and value tables ``(columns, points)``."""
    slopes = np.zeros_like(logs)
    slopes[:, :-1] = np.diff(logs, axis=1)
    signed = logs.size > 0 and logs[:, 0].min() < 0  # tables are sorted
    return np.ascontiguousarray(logs), slopes, np.ascontiguousarray(values), signed


def _cells(pos: np.ndarray, g: int, offsets: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``(cell, fraction)`` of fractional positions ``pos`` (overwritten by the fractions) in
    tables of ``g`` points: the flat index of the cell's left point (``offsets`` added: each
    position's table row times ``g``) and the position's fraction of the way to the next point."""
    np.clip(pos, 0.0, g - 1, out=pos)
    left = pos.astype(np.int64)
    np.minimum(left, g - 2, out=left)
    frac = np.subtract(pos, left, out=pos)
    left += offsets
    return left, frac


def _read(tables: tuple[np.ndarray, np.ndarray, np.ndarray, bool], pos: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """Values of table rows ``rows`` at fractional positions ``pos`` (1-D, overwritten):
    interpolated on the log scale, exact table values where the table is flat.

    For positions mostly on flat stretches (atoms): the exact values are read for all, the
    interpolation computed for the others only.
    """
    logs, slopes, values, signed = tables
    left, frac = _cells(pos, logs.shape[1], rows * logs.shape[1])
    slope = slopes.ravel().take(left)
    out = values.ravel().take(left)
    loose = np.flatnonzero(slope)
    logged = logs.ravel().take(left[loose]) + frac[loose] * slope[loose]
    out[loose] = _signed_exp(logged) if signed else _expm1(logged)
    return out


def _read_dense(tables: tuple[np.ndarray, np.ndarray, np.ndarray, bool], pos: np.ndarray) -> np.ndarray:
    """Values of the tables at positions ``pos`` (m, n), row i of the tables at ``pos[i]``
    (overwritten): interpolated on the log scale, exact table values where the table is flat."""
    logs, slopes, values, signed = tables
    left, frac = _cells(pos, logs.shape[1], (np.arange(logs.shape[0]) * logs.shape[1])[:, None])
    slope = slopes.ravel().take(left)
    logged = logs.ravel().take(left)
    logged += frac * slope
    out = _signed_exp(logged) if signed else _expm1(logged)
    tied = np.flatnonzero(slope == 0)
    out.ravel()[tied] = values.ravel().take(left.ravel()[tied])
    return out


def _expm1(x: np.ndarray) -> np.ndarray:
    """``np.expm1(x)`` in place, with torch's vectorised kernel (several times faster than NumPy's).

    In pieces below torch's parallel grain, so that it runs on the calling thread: on a busy
    2-core machine a parallel region can wait milliseconds for its second thread.
    """
    if not x.flags.c_contiguous:
        return np.expm1(x, out=x)
    flat = torch.from_numpy(x.reshape(-1))
    for piece in flat.split(_SERIAL_PIECE):
        torch.expm1(piece, out=piece)
    return x


def _signed_exp(x: np.ndarray) -> np.ndarray:
    """:func:`~flowgan.transforms.quantile.signed_exp`, with :func:`_expm1`."""
    return np.sign(x) * _expm1(np.abs(x))
