"""The table transformer: a DataFrame of flow features <-> the networks' float matrix."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import torch

from flowgan.errors import FlowganError
from flowgan.transforms.columns import Block, ColumnTransform, fit_column
from flowgan.transforms.quantile import from_normal_many, stack_references


class TableTransformer:
    """Reversible per-column transforms, fitted on training rows only.

    Each column gets its own representation (see :mod:`flowgan.transforms.columns`): heavy atoms
    such as the point mass at zero become a one-hot choice, the rest is mapped to a standard
    normal through its log-scale quantiles, low-cardinality columns are categories, constant
    columns are passed through. The transformer publishes :attr:`layout_`, the list of output
    blocks the networks read. When classes are given, :meth:`inverse_transform` clips every
    value to the range that class showed in training.

    Parameters
    ----------
    max_categories : int, default=10
        Columns with at most this many distinct values are treated as categories.
    atom_share : float, default=0.005
        A value held by at least this share of rows is kept exactly, as an atom.
    max_atoms : int, default=12
        At most this many atoms per continuous column (the most frequent ones).
    n_quantiles : int, default=1000
        Reference points of the quantile map of the continuous remainder.

    Attributes
    ----------
    columns_ : list of ColumnTransform
    layout_ : list of Block
    output_width_ : int
    class_min_, class_max_ : ndarray of shape (n_classes, n_columns)
        Per-class range of every column in the training rows.
    """

    def __init__(self, max_categories: int = 10, atom_share: float = 0.005, max_atoms: int = 12, n_quantiles: int = 1000):
        self.max_categories = max_categories
        self.atom_share = atom_share
        self.max_atoms = max_atoms
        self.n_quantiles = n_quantiles

    def fit(self, X: pd.DataFrame, class_index: np.ndarray | None = None) -> TableTransformer:
        """Choose every column's representation from ``X``; ``class_index`` codes 0..K-1 per row."""
        self.columns_ = [
            fit_column(
                str(name),
                X[name].to_numpy(dtype=float),
                str(X[name].dtype),
                max_categories=self.max_categories,
                atom_share=self.atom_share,
                max_atoms=self.max_atoms,
                n_quantiles=self.n_quantiles,
            )
            for name in X.columns
        ]
        values = X.to_numpy(dtype=float)
        codes = np.zeros(len(X), dtype=int) if class_index is None else np.asarray(class_index)
        n_classes = int(codes.max()) + 1
        self.class_min_ = np.vstack([values[codes == k].min(axis=0) for k in range(n_classes)])
        self.class_max_ = np.vstack([values[codes == k].max(axis=0) for k in range(n_classes)])
        self._publish_layout()
        return self

    def _publish_layout(self) -> None:
        self.layout_: list[Block] = [b for col in self.columns_ for b in col.blocks()]
        self.output_width_ = sum(b.width for b in self.layout_)
        # Which columns own a softmax block / a linear block, in layout order.
        self._choice_columns = [j for j, c in enumerate(self.columns_) if c.n_choices]
        self._score_columns = [j for j, c in enumerate(self.columns_) if c.references is not None]
        refs = [self.columns_[j].references for j in self._score_columns]
        self._refs, self._ref_sizes = stack_references(refs) if refs else (np.zeros((0, 2)), np.zeros(0, dtype=np.int64))

    @property
    def feature_names_(self) -> list[str]:
        return [c.name for c in self.columns_]

    def transform(self, X: pd.DataFrame) -> np.ndarray:
        """Encode ``X`` (same columns as in fit) as a float64 matrix laid out as :attr:`layout_`."""
        missing = [c.name for c in self.columns_ if c.name not in X.columns]
        if missing:
            raise FlowganError(f"columns missing from the data to transform: {', '.join(missing)}")
        parts = [c.encode(X[c.name].to_numpy(dtype=float)) for c in self.columns_ if c.width]
        if not parts:
            return np.zeros((len(X), 0))
        return np.hstack(parts)

    def split_layout(self, data: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """A layout matrix as ``(choices, scores)``: argmax of each softmax block, linear values."""
        choices, scores, start = [], [], 0
        for block in self.layout_:
            part = data[:, start : start + block.width]
            if block.activation == "softmax":
                choices.append(np.argmax(part, axis=1))
            else:
                scores.append(part[:, 0])
            start += block.width
        n = data.shape[0]
        return (np.column_stack(choices) if choices else np.zeros((n, 0), dtype=np.int64),
                np.column_stack(scores) if scores else np.zeros((n, 0)))  # fmt: skip

    def inverse_parts(self, choices: np.ndarray, scores: np.ndarray, class_index: np.ndarray | None = None) -> np.ndarray:
        """Float64 column values from softmax choices and normal scores (see :meth:`split_layout`).

        Values are clipped to the training range of their class when ``class_index`` is given.
        """
        n = choices.shape[0]
        out = np.zeros((n, len(self.columns_)))
        if self._score_columns:
            out[:, self._score_columns] = from_normal_many(scores, self._refs, self._ref_sizes)
        for j, col in enumerate(self.columns_):
            if col.is_constant:
                out[:, j] = col.atoms[0]
            elif col.integer and col.references is not None:
                out[:, j] = np.round(out[:, j])
        for i, j in enumerate(self._choice_columns):
            self.columns_[j].apply_atoms(out[:, j], choices[:, i])
        if class_index is not None:
            codes = np.asarray(class_index)
            out = np.clip(out, self.class_min_[codes], self.class_max_[codes])
        return out

    def inverse_values(self, data: np.ndarray, class_index: np.ndarray | None = None) -> np.ndarray:
        """Decode a layout matrix into float64 column values, clipped to the class range."""
        choices, scores = self.split_layout(np.asarray(data, dtype=float))
        return self.inverse_parts(choices, scores, class_index)

    def to_frame(self, values: np.ndarray) -> pd.DataFrame:
        """Float64 column values as a DataFrame with the training columns and dtypes."""
        frame = {}
        for j, col in enumerate(self.columns_):
            column = values[:, j]
            if col.integer or np.dtype(col.dtype).kind in "iub":
                column = np.round(column)
            frame[col.name] = column.astype(col.dtype)
        return pd.DataFrame(frame)

    def inverse_transform(self, data: np.ndarray, class_index: np.ndarray | None = None) -> pd.DataFrame:
        """Decode a layout matrix into a DataFrame with the training columns and dtypes."""
        return self.to_frame(self.inverse_values(data, class_index))

    def get_state(self) -> tuple[dict[str, Any], dict[str, torch.Tensor]]:
        """``(config, tensors)``: JSON-safe settings and the fitted arrays, for a model directory."""
        config = {
            "params": {k: getattr(self, k) for k in ("max_categories", "atom_share", "max_atoms", "n_quantiles")},
            "columns": [c.config() for c in self.columns_],
        }
        tensors = {
            "class_min": torch.from_numpy(self.class_min_),
            "class_max": torch.from_numpy(self.class_max_),
        }
        for j, col in enumerate(self.columns_):
            if col.references is not None:
                tensors[f"references.{j}"] = torch.from_numpy(np.ascontiguousarray(col.references))
        return config, tensors

    @classmethod
    def from_state(cls, config: dict[str, Any], tensors: dict[str, torch.Tensor]) -> TableTransformer:
        """Rebuild a fitted transformer from :meth:`get_state`'s output."""
        self = cls(**config["params"])
        self.columns_ = []
        for j, spec in enumerate(config["columns"]):
            refs = tensors.get(f"references.{j}")
            self.columns_.append(
                ColumnTransform(spec["name"], spec["dtype"], spec["integer"], [float(a) for a in spec["atoms"]],
                                None if refs is None else refs.numpy().astype(float))
            )  # fmt: skip
        self.class_min_ = tensors["class_min"].numpy().astype(float)
        self.class_max_ = tensors["class_max"].numpy().astype(float)
        self._publish_layout()
        return self
