"""Stateless comparisons of real and synthetic columns: the seed's statistics table and KS
test, zero shares, correlation matrices, and one tidy per-feature table.
"""

from __future__ import annotations

import logging
import warnings
from collections.abc import Sequence

import numpy as np
import pandas as pd
from scipy import stats

logger = logging.getLogger(__name__)

STATISTICS_COLUMNS = ("Original", "Synthetic", "Difference %")


def _finite(values: pd.Series | np.ndarray) -> np.ndarray:
    array = np.asarray(values, dtype=np.float64)
    return array[~np.isnan(array)]


def difference_percent(original: pd.Series, synthetic: pd.Series) -> pd.Series:
    """``(synthetic - original) / original * 100``, rounded to 2 decimals as in the seed.

    ``0/0`` gives NaN and ``x/0`` gives ``inf`` (``-inf`` for a negative ``x``), as the
    paper's tables print them.
    """
    orig = original.to_numpy(dtype=np.float64)
    syn = synthetic.reindex(original.index).to_numpy(dtype=np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        values = (syn - orig) / orig * 100.0
    return pd.Series(values, index=original.index, name="Difference %").round(2)


def compare_statistics(real: pd.Series, synthetic: pd.Series) -> pd.DataFrame:
    """The seed's table: ``describe()`` of both columns and their difference in percent."""
    original = pd.Series(_finite(real)).describe()
    synth = pd.Series(_finite(synthetic)).describe()
    return pd.DataFrame({"Original": original, "Synthetic": synth, "Difference %": difference_percent(original, synth)})


def ks_test(real: pd.Series | np.ndarray, synthetic: pd.Series | np.ndarray) -> dict[str, float]:
    """Two-sample Kolmogorov-Smirnov test (``scipy.stats.ks_2samp``): statistic and p-value."""
    a, b = _finite(real), _finite(synthetic)
    if a.size == 0 or b.size == 0:
        return {"ks_statistic": float("nan"), "p_value": float("nan")}
    with warnings.catch_warnings():
        # scipy falls back to the asymptotic p-value by itself; the statistic is unaffected
        warnings.filterwarnings("ignore", message="ks_2samp: Exact calculation unsuccessful", category=RuntimeWarning)
        result = stats.ks_2samp(a, b)
    return {"ks_statistic": float(result.statistic), "p_value": float(result.pvalue)}


def zero_share(values: pd.Series | np.ndarray) -> float:
    """Share of exact zeros among the non-missing values (NaN when there are none)."""
    array = _finite(values)
    return float(np.mean(array == 0)) if array.size else float("nan")


def correlation_matrices(real: pd.DataFrame, synthetic: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """Pearson correlations of real and synthetic columns and their difference (synthetic - real).

    Constant columns have no correlation (NaN), as in pandas.
    """
    columns = [c for c in real.columns if c in synthetic.columns]
    real_corr = real[columns].astype(float).corr()
    syn_corr = synthetic[columns].astype(float).corr()
    return {"real": real_corr, "synthetic": syn_corr, "difference": syn_corr - real_corr}


def mean_abs_correlation_difference(difference: pd.DataFrame) -> float:
    """Mean of ``|difference|`` over the pairs above the diagonal where both are defined."""
    values = difference.to_numpy(dtype=np.float64)
    upper = values[np.triu_indices_from(values, k=1)]
    upper = upper[~np.isnan(upper)]
    return float(np.mean(np.abs(upper))) if upper.size else float("nan")


def feature_table(real: pd.DataFrame, synthetic: pd.DataFrame, features: Sequence[str]) -> pd.DataFrame:
    """One tidy row per feature, worst KS statistic first.

    Columns: feature, ks_statistic, p_value, real/synthetic mean, std and median, the mean and
    std differences in percent, real/synthetic share of exact zeros, and ``error`` (empty when
    the feature was compared; a failing feature gets a message instead of crashing the table).
    """
    rows = []
    for feature in features:
        try:
            rows.append(_feature_row(real[feature], synthetic[feature], feature))
        except Exception as exc:  # one bad column must not hide the others
            logger.warning("feature %s could not be compared: %s", feature, exc)
            rows.append({"feature": feature, "error": f"{type(exc).__name__}: {exc}"})
    table = pd.DataFrame(rows)
    if "error" not in table:
        table["error"] = ""
    table["error"] = table["error"].fillna("")
    return table.sort_values("ks_statistic", ascending=False, na_position="last", kind="stable").reset_index(drop=True)


def _feature_row(real: pd.Series, synthetic: pd.Series, feature: str) -> dict[str, object]:
    table = compare_statistics(real, synthetic)
    return {
        "feature": feature,
        **ks_test(real, synthetic),
        "real_mean": table.at["mean", "Original"],
        "synthetic_mean": table.at["mean", "Synthetic"],
        "mean_diff_pct": table.at["mean", "Difference %"],
        "real_std": table.at["std", "Original"],
        "synthetic_std": table.at["std", "Synthetic"],
        "std_diff_pct": table.at["std", "Difference %"],
        "real_median": table.at["50%", "Original"],
        "synthetic_median": table.at["50%", "Synthetic"],
        "real_zero_share": zero_share(real),
        "synthetic_zero_share": zero_share(synthetic),
        "error": "",
    }
