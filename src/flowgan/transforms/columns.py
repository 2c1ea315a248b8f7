"""How one column is represented to the networks, chosen from its training values.

A column is split into *atoms* (values held by many rows, such as the point mass at zero, or
every value of a low-cardinality column such as a flag count) and a *continuous remainder*
(everything else, mapped to a standard normal by :mod:`flowgan.transforms.quantile`):

=====================  ===========================================  ==================
atoms / remainder      blocks the networks see                      example
=====================  ===========================================  ==================
1 atom, no remainder   none (a constant, passed through)            a window size
k >= 2, no remainder   softmax over the k atoms                     a flag count
k >= 1 and remainder   softmax over k atoms + "other", then linear  a zero-inflated IAT
no atom, remainder     linear                                       a duration
=====================  ===========================================  ==================
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from flowgan.transforms.quantile import fit_references, from_normal, to_normal

MIN_ATOM_ROWS = 3


@dataclass(frozen=True)
class Block:
    """One slice of the networks' output: ``width`` units with one ``activation``.

    ``activation`` is ``"softmax"`` (a one-hot choice), ``"linear"`` (a normal score) or
    ``"tanh"``; ``column`` names the feature the block belongs to.
    """

    width: int
    activation: str
    column: str


@dataclass
class ColumnTransform:
    """The fitted representation of one column (see the module docstring)."""

    name: str
    dtype: str
    integer: bool
    atoms: list[float]
    references: np.ndarray | None = field(default=None, repr=False)

    @property
    def is_constant(self) -> bool:
        return self.references is None and len(self.atoms) == 1

    @property
    def n_choices(self) -> int:
        """Width of the softmax block (0 when there is none)."""
        n = len(self.atoms) + (1 if self.references is not None and self.atoms else 0)
        return n if n >= 2 else 0

    def blocks(self) -> list[Block]:
        out = []
        if self.n_choices:
            out.append(Block(self.n_choices, "softmax", self.name))
        if self.references is not None:
            out.append(Block(1, "linear", self.name))
        return out

    @property
    def width(self) -> int:
        return sum(b.width for b in self.blocks())

    def encode(self, values: np.ndarray) -> np.ndarray:
        """Rows of ``values`` as this column's slice of the network input, shape (n, width)."""
        values = np.asarray(values, dtype=float)
        out = np.zeros((values.size, self.width))
        atom_index = _atom_index(values, self.atoms)
        if self.n_choices:
            choice = np.where(atom_index >= 0, atom_index, len(self.atoms))
            out[np.arange(values.size), choice] = 1.0
        if self.references is not None:
            rest = atom_index < 0
            out[rest, -1] = to_normal(values[rest], self.references)
        return out

    def decode(self, block: np.ndarray) -> np.ndarray:
        """Values from this column's slice (one-hot parts are read by argmax), as float64."""
        choice = np.argmax(block[:, : self.n_choices], axis=1) if self.n_choices else None
        score = block[:, -1] if self.references is not None else None
        return self.decode_parts(block.shape[0], choice, score)

    def decode_parts(self, n: int, choice: np.ndarray | None, score: np.ndarray | None) -> np.ndarray:
        """Values from the chosen softmax index and the normal score (either may be absent)."""
        if self.is_constant:
            return np.full(n, self.atoms[0])
        values = np.zeros(n) if score is None else from_normal(score, self.references)
        if self.integer and score is not None:
            values = np.round(values)
        return self.apply_atoms(values, choice)

    def apply_atoms(self, values: np.ndarray, choice: np.ndarray | None) -> np.ndarray:
        """Overwrite ``values`` with the atom where ``choice`` picked one."""
        if choice is not None:
            is_atom = choice < len(self.atoms)
            values[is_atom] = np.asarray(self.atoms)[choice[is_atom]]
        return values

    def config(self) -> dict[str, Any]:
        """JSON-safe description (the references travel separately, as a tensor)."""
        return {"name": self.name, "dtype": self.dtype, "integer": self.integer, "atoms": list(self.atoms)}


def fit_column(
    name: str,
    values: np.ndarray,
    dtype: str,
    *,
    max_categories: int,
    atom_share: float,
    max_atoms: int,
    n_quantiles: int,
) -> ColumnTransform:
    """Choose atoms and a remainder model for one column from its training ``values``."""
    values = np.asarray(values, dtype=float)
    uniques, counts = np.unique(values, return_counts=True)
    integer = bool(np.all(values == np.round(values)))
    if uniques.size <= max_categories:
        return ColumnTransform(name, dtype, integer, uniques.tolist())
    shares = counts / values.size
    heavy = np.argsort(-shares, kind="stable")[:max_atoms]
    # An atom is a value many rows share: at least atom_share of them, and never a one-off.
    heavy = heavy[(shares[heavy] >= atom_share) & (counts[heavy] >= MIN_ATOM_ROWS)]
    atoms = np.sort(uniques[heavy])
    remainder = values[_atom_index(values, atoms.tolist()) < 0]
    if np.unique(remainder).size < 2:
        # One leftover value (or none) is better kept exactly, as another atom.
        return ColumnTransform(name, dtype, integer, np.unique(np.concatenate([atoms, remainder])).tolist())
    return ColumnTransform(name, dtype, integer, atoms.tolist(), fit_references(remainder, n_quantiles))


def _atom_index(values: np.ndarray, atoms: list[float]) -> np.ndarray:
    """Index of each value in the sorted ``atoms``, or -1 when it is not an atom."""
    if not atoms:
        return np.full(values.size, -1)
    atoms_arr = np.asarray(atoms, dtype=float)
    pos = np.clip(np.searchsorted(atoms_arr, values), 0, atoms_arr.size - 1)
    return np.where(atoms_arr[pos] == values, pos, -1)
