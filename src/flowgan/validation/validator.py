"""The seed's ``GANValidator``: a thin facade over :mod:`flowgan.validation.statistics`
and :mod:`flowgan.validation.figures`.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from flowgan.datasets.schema import CLASS_COLUMN, LABEL_COLUMN
from flowgan.errors import DataValidationError
from flowgan.io import write_json, write_text
from flowgan.validation import figures, statistics
from flowgan.validation.columns import TableInput, read_table_input, resolve_features, select_class_rows
from flowgan.validation.text_report import render_validation_text

logger = logging.getLogger(__name__)


class GANValidator:
    """Compare synthetic rows with real rows, feature by feature, as the seed paper did.

    Parameters
    ----------
    original_data_path, synthetic_data_path : str, PathLike or DataFrame
        The real and the synthetic table (.csv or .parquet, or a DataFrame).
    klass : str or None, default=None
        Compare with the real rows of this class only (and the synthetic rows of this class
        when the synthetic table has a class column). ``None`` is the seed's behaviour: all
        real rows.
    class_col : str, default="traffic_category"
        Column holding the class; never compared as a feature.
    label_col : str or None, default="Label"
        Binary label column; never compared as a feature.
    features : list of str or None, default=None
        Features to compare. ``None``: the numeric columns, which must be the same in both
        tables (the error names missing and extra columns).
    """

    def __init__(
        self,
        original_data_path: TableInput,
        synthetic_data_path: TableInput,
        *,
        klass: Any = None,
        class_col: str = CLASS_COLUMN,
        label_col: str | None = LABEL_COLUMN,
        features: Sequence[str] | None = None,
    ) -> None:
        real = read_table_input(original_data_path, role="real")
        synthetic = read_table_input(synthetic_data_path, role="synthetic")
        self.klass = klass
        real = select_class_rows(real, klass, class_col, role="real")
        if klass is not None and class_col in synthetic.columns:
            synthetic = select_class_rows(synthetic, klass, class_col, role="synthetic")
        ignore = [c for c in (class_col, label_col) if c]
        self.features = resolve_features(real, synthetic, features, ignore=ignore)
        self.original_df = real[self.features].reset_index(drop=True)
        self.synthetic_df = synthetic[self.features].reset_index(drop=True)
        self.results_: dict[str, dict[str, Any]] = {}
        self.correlations_: dict[str, pd.DataFrame] = {}

    def _check_feature(self, feature: str) -> str:
        if feature not in self.features:
            shown = ", ".join(self.features[:10]) + (" ..." if len(self.features) > 10 else "")
            raise DataValidationError(f"unknown feature {feature!r}; the compared features are: {shown}")
        return feature

    def compare_distributions(self, feature: str):
        """Figure of the real and synthetic distribution of ``feature`` (ECDF, symlog axis)."""
        self._check_feature(feature)
        ks = self.ks_test(feature)["ks_statistic"]
        return figures.plot_distribution(self.original_df[feature], self.synthetic_df[feature], feature, ks)

    def calculate_statistics(self, feature: str) -> pd.DataFrame:
        """``describe()`` of both columns and "Difference %" (NaN for 0/0, inf for x/0)."""
        self._check_feature(feature)
        return statistics.compare_statistics(self.original_df[feature], self.synthetic_df[feature])

    def correlation_comparison(self):
        """Heatmaps of the real, synthetic and difference correlation matrices (a figure).

        The matrices are kept in ``correlations_``.
        """
        self.correlations_ = statistics.correlation_matrices(self.original_df, self.synthetic_df)
        return figures.plot_correlation_heatmaps(self.correlations_)

    def ks_test(self, feature: str) -> dict[str, Any]:
        """Two-sample Kolmogorov-Smirnov test: ``{"feature", "ks_statistic", "p_value"}``."""
        self._check_feature(feature)
        return {"feature": feature, **statistics.ks_test(self.original_df[feature], self.synthetic_df[feature])}

    def validate_all_features(self) -> dict[str, dict[str, Any]]:
        """Statistics and KS test of every feature, and the correlation matrices.

        Returns ``{feature: {"statistics": DataFrame, "ks_test": dict}}`` (the seed's layout);
        the correlation matrices go to ``correlations_``. Figures are not drawn here (use
        :meth:`compare_distributions` and :meth:`correlation_comparison`).
        """
        self.results_ = {
            feature: {"statistics": self.calculate_statistics(feature), "ks_test": self.ks_test(feature)}
            for feature in self.features
        }
        self.correlations_ = statistics.correlation_matrices(self.original_df, self.synthetic_df)
        return self.results_

    def feature_table(self) -> pd.DataFrame:
        """Tidy per-feature table, worst KS statistic first (see ``statistics.feature_table``)."""
        return statistics.feature_table(self.original_df, self.synthetic_df, self.features)

    def _context(self) -> list[str]:
        scope = "all real rows (the seed's comparison)" if self.klass is None else f"real rows of class {self.klass!r}"
        return [f"Compared: {len(self.synthetic_df):,} synthetic rows with {len(self.original_df):,} {scope}",
                f"Features: {len(self.features)}"]  # fmt: skip

    def write_text(self, path: str | os.PathLike) -> Path:
        """Write the seed's text report (validating first if needed)."""
        results = self.results_ or self.validate_all_features()
        return write_text(path, render_validation_text(results, context=self._context()))

    def to_dict(self) -> dict[str, Any]:
        """The results as plain JSON-ready data."""
        results = self.results_ or self.validate_all_features()
        return {
            "class": self.klass,
            "n_real": len(self.original_df),
            "n_synthetic": len(self.synthetic_df),
            "features": {
                feature: {
                    "statistics": result["statistics"].to_dict(orient="index"),
                    "ks_statistic": result["ks_test"]["ks_statistic"],
                    "p_value": result["ks_test"]["p_value"],
                }
                for feature, result in results.items()
            },
            "mean_abs_correlation_difference": statistics.mean_abs_correlation_difference(self.correlations_["difference"]),
        }

    def to_json(self, path: str | os.PathLike) -> Path:
        """Write :meth:`to_dict` as JSON (NaN and inf become null)."""
        return write_json(path, self.to_dict())
