"""Reversible per-column transforms and the table transformer that publishes the networks' layout."""

from flowgan.transforms.columns import Block, ColumnTransform, fit_column
from flowgan.transforms.table import TableTransformer

__all__ = ["Block", "ColumnTransform", "TableTransformer", "fit_column"]
