"""One class's comparison of synthetic with real rows, computed once and kept as a result."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from flowgan.validation import statistics
from flowgan.validation.text_report import render_validation_text


@dataclass(frozen=True)
class ClassComparison:
    """Synthetic rows of one class compared with real rows of the same class.

    Attributes
    ----------
    klass : Any
        The class (``None``: all rows, the seed's comparison).
    real, synthetic : DataFrame
        The compared feature columns.
    table : DataFrame
        ``statistics.feature_table``: one row per feature, worst KS statistic first.
    correlations : dict of DataFrame
        ``real``, ``synthetic`` and ``difference`` correlation matrices.
    """

    klass: Any
    real: pd.DataFrame
    synthetic: pd.DataFrame
    table: pd.DataFrame
    correlations: dict[str, pd.DataFrame]

    def ks(self) -> dict[str, float]:
        """KS statistic per feature."""
        return dict(zip(self.table["feature"], self.table["ks_statistic"], strict=True))

    def summary(self, key_features: Sequence[str] = ()) -> dict[str, Any]:
        """JSON-ready summary: sizes, mean/median KS, correlation gap, the named features' KS."""
        ks = self.table["ks_statistic"]
        named = {f: self.ks().get(f) for f in key_features if f in self.real.columns}
        return {
            "class": self.klass,
            "n_real": len(self.real),
            "n_synthetic": len(self.synthetic),
            "mean_ks": float(ks.mean()),
            "median_ks": float(ks.median()),
            "max_ks": float(ks.max()),
            "mean_abs_correlation_difference": statistics.mean_abs_correlation_difference(self.correlations["difference"]),
            "key_features_ks": named,
            "features": self.table.to_dict(orient="records"),
        }

    def seed_text_results(self) -> dict[str, dict[str, Any]]:
        """Per-feature results in the seed's layout (for its text report)."""
        return {
            f: {"statistics": statistics.compare_statistics(self.real[f], self.synthetic[f]),
                "ks_test": {"feature": f, **statistics.ks_test(self.real[f], self.synthetic[f])}}
            for f in self.real.columns
        }  # fmt: skip

    def seed_text(self, *, title: str = "") -> str:
        """The seed's text report for this comparison."""
        scope = "all real rows" if self.klass is None else f"held-out real rows of class {self.klass!r}"
        context = [line for line in (title, f"Compared: {len(self.synthetic):,} synthetic rows with {len(self.real):,} {scope}") if line]
        return render_validation_text(self.seed_text_results(), context=context)


def compare_class(real: pd.DataFrame, synthetic: pd.DataFrame, features: Sequence[str], klass: Any = None) -> ClassComparison:
    """Compare ``synthetic`` with ``real`` on ``features`` (both already restricted to ``klass``)."""
    features = list(features)
    real_part = real[features].reset_index(drop=True)
    synthetic_part = synthetic[features].reset_index(drop=True)
    return ClassComparison(
        klass=klass,
        real=real_part,
        synthetic=synthetic_part,
        table=statistics.feature_table(real_part, synthetic_part, features),
        correlations=statistics.correlation_matrices(real_part, synthetic_part),
    )
