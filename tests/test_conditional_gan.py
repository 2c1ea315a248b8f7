"""ConditionalFlowGAN: exact per-class sampling, validity, determinism, persistence, bad input."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from _cgan_data import make_flow_frame
from imblearn.pipeline import Pipeline
from sklearn.tree import DecisionTreeClassifier

from flowgan.constraints import violation_rate
from flowgan.errors import FlowganError
from flowgan.models import registry
from flowgan.models.conditional_gan import ConditionalFlowGAN
from flowgan.sampling import GANOverSampler

SMALL = dict(epochs=2, batch_size=64, latent_dim=8, generator_dims=(32,), critic_dims=(32,), device="cpu")


@pytest.fixture(scope="module")
def data():
    return make_flow_frame(600, seed=1)


@pytest.fixture(scope="module")
def fitted(data):
    X, y = data
    return ConditionalFlowGAN(**SMALL, random_state=0).fit(X, y)


@pytest.mark.parametrize("n", [1, 7, 500, 70_001])
def test_sample_returns_exactly_n_rows_of_the_training_columns_and_dtypes(fitted, data, n):
    X, _ = data
    rows = fitted.sample(n, "brute")
    assert len(rows) == n
    assert list(rows.columns) == list(X.columns)
    assert rows.dtypes.equals(X.dtypes)


def test_sampled_rows_are_valid_flows(fitted, data):
    X, y = data
    for klass in ("scan", "brute", "miner"):
        rows = fitted.sample(2000, klass)
        assert violation_rate(rows, fitted.identities_) == 0.0
        assert (rows.to_numpy(dtype=float) >= 0).all()
        for col in ("fwd_pkts", "bwd_bytes", "fwd_max"):
            assert (rows[col] == np.round(rows[col])).all()
        real = X[y == klass]
        assert rows["fwd_pkts"].max() <= real["fwd_pkts"].max()  # per-class clipping


def test_identity_enforcement_can_be_switched_off(data):
    X, y = data
    model = ConditionalFlowGAN(**SMALL, random_state=0, enforce_identities=False).fit(X, y)
    assert violation_rate(model.sample(2000, "scan"), model.identities_) > 0.05


def test_same_seed_same_rows_and_different_seed_different_rows(data, fitted):
    X, y = data
    first = ConditionalFlowGAN(**SMALL, random_state=0).fit(X, y)
    again = ConditionalFlowGAN(**SMALL, random_state=0).fit(X, y)
    pd.testing.assert_frame_equal(first.sample(300, "miner"), again.sample(300, "miner"))
    other = ConditionalFlowGAN(**SMALL, random_state=1).fit(X, y)
    assert not other.sample(300, "miner").equals(again.sample(300, "miner"))
    assert len(fitted.history_) == SMALL["epochs"]
    assert {"d_loss", "g_loss", "wasserstein", "gp", "seconds"} <= set(fitted.history_[0])


def test_save_load_round_trip_continues_the_same_stream(data, tmp_path):
    X, y = data
    model = ConditionalFlowGAN(**SMALL, random_state=5).fit(X, y)
    path = model.save(tmp_path / "model")
    loaded = registry.load_generator(path)
    assert isinstance(loaded, ConditionalFlowGAN)
    assert loaded.classes_ == model.classes_ and loaded.get_params() == model.get_params()
    pd.testing.assert_frame_equal(loaded.sample(400, "scan"), model.sample(400, "scan"))
    assert (tmp_path / "model" / "config.json").is_file()


def test_registry_builds_the_model_from_params(data):
    X, y = data
    model = registry.generator_class("cgan")(**SMALL, random_state=0).fit(X, y)
    assert model.model_type == "cgan" and len(model.sample(5, "scan")) == 5


def test_single_class_without_y(data):
    X, _ = data
    model = ConditionalFlowGAN(**SMALL, random_state=0).fit(X)
    assert len(model.sample(10)) == 10


@pytest.mark.parametrize(
    "mutate, message",
    [
        (lambda X, y: (X, y.where(y != "miner", "tiny").where((y != "miner") | (np.arange(len(y)) != 0), "tiny")), None),
        (lambda X, y: (X.assign(duration=np.r_[np.nan, X["duration"].to_numpy()[1:]]), y), "NaN"),
        (lambda X, y: (X.assign(duration=np.r_[np.inf, X["duration"].to_numpy()[1:]]), y), "infinite"),
        (lambda X, y: (X.assign(proto="tcp"), y), "not numeric"),
    ],
)
def test_bad_training_input_is_a_clear_error(data, mutate, message):
    X, y = data
    X_bad, y_bad = mutate(X, y)
    if message is None:  # a class with one row
        y_bad = y.copy()
        y_bad.iloc[0] = "lonely"
        message = "'lonely' has 1.*at least 2"
    with pytest.raises(FlowganError, match=message):
        ConditionalFlowGAN(**SMALL).fit(X_bad, y_bad)


def test_bad_sampling_requests_are_clear_errors(fitted):
    with pytest.raises(FlowganError, match="unknown class 'nope'"):
        fitted.sample(5, "nope")
    with pytest.raises(FlowganError, match="positive integer"):
        fitted.sample(0, "scan")
    with pytest.raises(FlowganError, match="pass klass"):
        fitted.sample(5)
    with pytest.raises(FlowganError, match="not fitted"):
        ConditionalFlowGAN().sample(5, "scan")
    with pytest.raises(FlowganError, match="epochs"):
        ConditionalFlowGAN(epochs=0).fit(*make_flow_frame(50))


def test_oversampler_in_an_imblearn_pipeline(data):
    X, y = data
    keep = (y != "miner") | (np.arange(len(y)) % 4 == 0)
    X, y = X[keep].reset_index(drop=True), y[keep].reset_index(drop=True)
    sampler = GANOverSampler(ConditionalFlowGAN(**SMALL), random_state=0)
    X_res, y_res = sampler.fit_resample(X, y)
    counts = pd.Series(y_res).value_counts()
    assert counts.nunique() == 1 and counts.iloc[0] == pd.Series(y).value_counts().max()
    assert X_res.dtypes.equals(X.dtypes)
    pd.testing.assert_frame_equal(X_res.iloc[: len(X)], X)
    pipe = Pipeline([("balance", GANOverSampler(ConditionalFlowGAN(**SMALL), random_state=0)),
                     ("tree", DecisionTreeClassifier(random_state=0))])  # fmt: skip
    assert pipe.fit(X, y).score(X, y) > 0.5


def test_unknown_class_in_sampling_strategy_is_a_clear_error(data):
    X, y = data
    with pytest.raises(ValueError, match="nope"):
        GANOverSampler(ConditionalFlowGAN(**SMALL), sampling_strategy={"nope": 900}).fit_resample(X, y)


def test_calibrated_decoder_matches_each_class_share_of_zeros(data):
    X, y = data
    model = ConditionalFlowGAN(**SMALL, random_state=0, enforce_identities=False).fit(X, y)
    for klass in ("scan", "brute", "miner"):
        rows, real = model.sample(20_000, klass), X[y == klass]
        assert ((rows == 0).mean() - (real == 0).mean()).abs().max() < 0.03, klass
        slack = 1e-9 * real.abs().max() + 1e-12  # the log-scale round trip, nothing more
        assert (rows.max() <= real.max() + slack).all() and (rows.min() >= real.min() - slack).all()


def test_threads_policy_runs_on_its_own_threads_and_restores_torch(data, monkeypatch):
    import torch

    X, y = data
    seen = []
    original = ConditionalFlowGAN._generate
    monkeypatch.setattr(ConditionalFlowGAN, "_generate", lambda self, modes: (seen.append(torch.get_num_threads()), original(self, modes))[1])
    before = torch.get_num_threads()
    torch.set_num_threads(2)
    try:
        model = ConditionalFlowGAN(**SMALL, random_state=0).fit(X, y)
        assert torch.get_num_threads() == 2 and model.threads == 1
        model.sample(10, "miner")
        model.threads = None
        model.sample(10, "miner")
        assert seen[-2:] == [1, 2] and torch.get_num_threads() == 2
    finally:
        torch.set_num_threads(before)
    with pytest.raises(FlowganError, match="threads must be a positive integer or None"):
        ConditionalFlowGAN(**SMALL, threads=0).fit(X, y)
