import itertools
import math

import numpy as np
import pandas as pd
import pytest

from flowgan.validation import statistics


def test_difference_percent_handles_zero_over_zero_and_x_over_zero():
    original = pd.Series([0.0, 0.0, 2.0, 4.0, 0.0], index=list("abcde"))
    synthetic = pd.Series([0.0, 5.0, 1.0, 4.0, -1.0], index=list("abcde"))
    out = statistics.difference_percent(original, synthetic)
    assert math.isnan(out["a"])
    assert out["b"] == math.inf and out["e"] == -math.inf
    assert out["c"] == -50.0 and out["d"] == 0.0


def test_compare_statistics_is_the_seed_table():
    table = statistics.compare_statistics(pd.Series([1, 2, 3, 4]), pd.Series([2.0, 4, 6, 8, np.nan]))
    assert list(table.columns) == ["Original", "Synthetic", "Difference %"]
    assert list(table.index) == ["count", "mean", "std", "min", "25%", "50%", "75%", "max"]
    assert table.at["mean", "Original"] == 2.5 and table.at["mean", "Synthetic"] == 5.0
    assert table.at["mean", "Difference %"] == 100.0
    assert table.at["count", "Difference %"] == 0.0  # NaN is not counted
    assert table.at["std", "Difference %"] == 100.0
    assert table.at["25%", "Original"] == 1.75


def _exact_ks_p(a, b):
    """Two-sided exact p-value by enumerating every split of the pooled values (no ties)."""
    pooled = sorted([*a, *b])
    observed = statistics.ks_test(a, b)["ks_statistic"]
    hits = total = 0
    for chosen in itertools.combinations(range(len(pooled)), len(a)):
        x = [pooled[i] for i in chosen]
        y = [pooled[i] for i in range(len(pooled)) if i not in chosen]
        d = max(abs(np.mean(np.asarray(x) <= v) - np.mean(np.asarray(y) <= v)) for v in pooled)
        hits += d >= observed - 1e-12
        total += 1
    return hits / total


def test_ks_of_disjoint_samples_by_hand():
    result = statistics.ks_test(pd.Series([1, 2, 3]), pd.Series([4, 5, 6]))
    assert result["ks_statistic"] == 1.0
    assert result["p_value"] == pytest.approx(2 / 20)  # 2 of the C(6,3)=20 orderings are as extreme


def test_ks_of_interleaved_samples_by_hand():
    real, synthetic = [1, 2, 5, 6], [3, 4, 7, 8]
    result = statistics.ks_test(real, synthetic)
    # ECDFs: at 2 -> 0.5 vs 0; at 4 -> 0.5 vs 0.5; at 6 -> 1 vs 0.5
    assert result["ks_statistic"] == 0.5
    assert result["p_value"] == pytest.approx(_exact_ks_p(real, synthetic))


def test_zero_share_ignores_missing_values():
    assert statistics.zero_share(pd.Series([0, 0, 1, 2, np.nan])) == 0.5
    assert math.isnan(statistics.zero_share(pd.Series([np.nan])))


def test_correlations_and_their_difference():
    real = pd.DataFrame({"a": [1.0, 2, 3], "b": [2.0, 4, 6], "c": [1.0, 1, 1]})
    synthetic = pd.DataFrame({"a": [1.0, 2, 3], "b": [6.0, 4, 2], "c": [1.0, 2, 3]})
    corr = statistics.correlation_matrices(real, synthetic)
    assert corr["real"].at["a", "b"] == pytest.approx(1.0)
    assert corr["difference"].at["a", "b"] == pytest.approx(-2.0)
    assert math.isnan(corr["difference"].at["a", "c"])  # c is constant in the real data
    # pairs above the diagonal: (a,b) -2, (a,c) NaN, (b,c) NaN -> mean |diff| 2
    assert statistics.mean_abs_correlation_difference(corr["difference"]) == pytest.approx(2.0)


def test_feature_table_is_sorted_by_ks_and_reports_failing_columns():
    real = pd.DataFrame({"same": [1.0, 2, 3, 4], "apart": [1.0, 2, 3, 4], "text": ["a", "b", "c", "d"]})
    synthetic = pd.DataFrame({"same": [1.0, 2, 3, 4], "apart": [10.0, 20, 30, 40], "text": ["a", "b", "c", "d"]})
    table = statistics.feature_table(real, synthetic, ["same", "apart", "text"])
    assert table["feature"].tolist() == ["apart", "same", "text"]
    assert table["ks_statistic"].tolist()[:2] == [1.0, 0.0]
    assert table.loc[2, "error"].startswith("ValueError") and table.loc[0, "error"] == ""
    assert table.loc[0, "mean_diff_pct"] == 900.0
