"""The sampling strategy resolver and GANOverSampler, with a trivial resampling generator."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from flowgan.errors import FlowganError
from flowgan.models.base import BaseFlowGenerator
from flowgan.sampling import GANOverSampler, parse_strategy, resolve_sampling_strategy


class ResampleRowsGenerator(BaseFlowGenerator):
    """Draws real rows of the class with replacement: enough to test the plumbing."""

    model_type = "test-resample"

    def __init__(self, random_state=None):
        self.random_state = random_state

    def fit(self, X, y=None):
        self.X_, self.y_ = X.reset_index(drop=True), np.asarray(y)
        self.rng_ = np.random.default_rng(self.random_state)
        return self

    def sample(self, n_samples, klass=None):
        idx = np.flatnonzero(self.y_ == klass)
        return self.X_.iloc[self.rng_.choice(idx, n_samples)].reset_index(drop=True)

    def save(self, path):  # pragma: no cover - not needed here
        raise NotImplementedError

    @classmethod
    def load(cls, path):  # pragma: no cover
        raise NotImplementedError


Y = np.array(["a"] * 10 + ["b"] * 3 + ["c"] * 5)


def test_auto_strategy_raises_every_class_to_the_majority():
    assert dict(resolve_sampling_strategy("auto", Y)) == {"b": 7, "c": 5}


def test_ratio_strategy_generalises_to_many_classes():
    assert dict(resolve_sampling_strategy(0.5, Y)) == {"a": 0, "b": 2, "c": 0}


def test_dict_strategy_gives_totals_and_rejects_unknown_class():
    assert dict(resolve_sampling_strategy({"b": 8}, Y)) == {"b": 5}
    with pytest.raises(FlowganError, match="'zz'"):
        resolve_sampling_strategy({"zz": 3}, Y)
    with pytest.raises(FlowganError, match="fewer than"):
        resolve_sampling_strategy({"a": 3}, Y)


def test_parse_strategy_forms_and_errors():
    assert parse_strategy("auto") == "auto"
    assert parse_strategy("0.25") == 0.25
    assert parse_strategy('{"b": 4}') == {"b": 4}
    with pytest.raises(FlowganError, match="JSON"):
        parse_strategy("{b: 4}")
    with pytest.raises(FlowganError, match="unknown --strategy"):
        parse_strategy("most")


def test_oversampler_dataframe_in_dataframe_out_with_exact_counts():
    X = pd.DataFrame({"pkts": np.arange(18, dtype="int64"), "dur": np.linspace(0, 1, 18)})
    Xr, yr = GANOverSampler(ResampleRowsGenerator(), random_state=0).fit_resample(X, pd.Series(Y, name="cls"))
    assert isinstance(Xr, pd.DataFrame) and list(Xr.columns) == ["pkts", "dur"]
    assert Xr.dtypes.tolist() == X.dtypes.tolist()
    assert pd.Series(yr).value_counts().to_dict() == {"a": 10, "b": 10, "c": 10}
    pd.testing.assert_frame_equal(Xr.iloc[:18], X)


def test_oversampler_same_seed_same_rows():
    X = pd.DataFrame({"v": np.arange(18.0)})
    a = GANOverSampler(ResampleRowsGenerator(), random_state=3).fit_resample(X, Y)[0]
    b = GANOverSampler(ResampleRowsGenerator(), random_state=3).fit_resample(X, Y)[0]
    pd.testing.assert_frame_equal(a, b)
