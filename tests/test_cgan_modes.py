"""Flow modes: common zero patterns per class, rare rows to the nearest, joint zeros kept in samples."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from _cgan_data import make_flow_frame

from flowgan.errors import FlowganError
from flowgan.models.cgan_modes import FlowModes
from flowgan.models.conditional_gan import ConditionalFlowGAN

SMALL = dict(epochs=2, batch_size=64, latent_dim=8, generator_dims=(32,), critic_dims=(32,), device="cpu")


def _patterned(n_rows: int = 900, seed: int = 0) -> tuple[pd.DataFrame, np.ndarray]:
    """Two classes; in class 'a' fwd and bwd payload are zero together on 40% of rows, never apart."""
    rng = np.random.default_rng(seed)
    y = np.where(rng.random(n_rows) < 0.6, "a", "b")
    empty = np.where(y == "a", rng.random(n_rows) < 0.4, rng.random(n_rows) < 0.1)
    fwd = np.where(empty, 0.0, np.round(rng.lognormal(5, 1, n_rows)))
    bwd = np.where(empty, 0.0, np.round(rng.lognormal(6, 1, n_rows)))
    idle = np.where(rng.random(n_rows) < 0.5, 0.0, rng.lognormal(2, 1, n_rows))
    X = pd.DataFrame({"fwd": fwd, "bwd": bwd, "tot": fwd + bwd, "idle": idle, "dur": rng.lognormal(1, 1, n_rows)})
    return X, y


def test_common_patterns_become_modes_and_rare_rows_join_the_nearest():
    zero = np.array([[1, 1, 0]] * 60 + [[0, 0, 0]] * 30 + [[1, 1, 1]] * 3 + [[0, 0, 1]] * 2)
    values = np.where(zero == 1, 0.0, 5.0)
    values = np.hstack([values, np.ones((len(values), 1))])  # a never-zero column is no pattern column
    modes = FlowModes(min_rows=20)
    row_modes = modes.fit(values, np.zeros(len(values), dtype=int), 1)
    assert modes.zero_columns_.tolist() == [0, 1, 2]
    assert modes.patterns_.astype(int).tolist() == [[1, 1, 0], [0, 0, 0]]  # most common first
    # (1,1,1) is one column from (1,1,0); (0,0,1) one from (0,0,0).
    assert row_modes.tolist() == [0] * 60 + [1] * 30 + [0] * 3 + [1] * 2
    np.testing.assert_allclose(modes.mode_share_, [63 / 95, 32 / 95])


def test_a_class_without_a_common_pattern_or_min_rows_zero_is_one_mode():
    values = np.array([[0.0, 1.0], [1.0, 0.0], [1.0, 1.0], [0.0, 0.0]] * 3)
    codes = np.array([0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1])
    modes = FlowModes(min_rows=5)
    row_modes = modes.fit(values, codes, 2)
    assert modes.mode_class_.tolist() == [0, 1]  # every pattern occurs at most twice per class: < 5
    assert row_modes.tolist() == codes.tolist() and not modes.patterns_.any()
    off = FlowModes(min_rows=0)
    assert off.fit(values, codes, 2).tolist() == codes.tolist() and off.n_modes == 2


def test_draw_follows_the_training_shares_and_round_trips_through_json():
    zero = np.array([[1]] * 75 + [[0]] * 25)
    modes = FlowModes(min_rows=10)
    modes.fit(np.where(zero == 1, 0.0, 2.0), np.zeros(100, dtype=int), 1)
    drawn = modes.draw(20_000, 0, np.random.default_rng(0))
    assert abs((drawn == 0).mean() - 0.75) < 0.015
    again = FlowModes.from_dict(json.loads(json.dumps(modes.to_dict())))
    assert again.draw(50, 0, np.random.default_rng(3)).tolist() == modes.draw(50, 0, np.random.default_rng(3)).tolist()


@pytest.fixture(scope="module")
def patterned_model():
    X, y = _patterned()
    return ConditionalFlowGAN(**SMALL, random_state=0, mode_min_rows=30).fit(X, y), X, y


def test_sampled_rows_keep_the_joint_zero_pattern_and_its_share(patterned_model):
    model, X, y = patterned_model
    rows = model.sample(5_000, "a")
    empty_fwd, empty_bwd = rows["fwd"] == 0, rows["bwd"] == 0
    assert (empty_fwd == empty_bwd).all()  # zero together or not at all, as in every training row
    real_share = (X.loc[y == "a", "fwd"] == 0).mean()
    assert abs(empty_fwd.mean() - real_share) < 0.03
    assert abs((rows["tot"] == 0).mean() - real_share) < 0.03  # the derived sum inherits it


def test_modes_are_saved_and_models_saved_without_them_still_load(patterned_model, tmp_path):
    model, X, y = patterned_model
    model.save(tmp_path / "m")
    assert ConditionalFlowGAN.load(tmp_path / "m").modes_.to_dict() == model.modes_.to_dict()
    classic = ConditionalFlowGAN(**SMALL, random_state=0, mode_min_rows=0).fit(*make_flow_frame(200, seed=2))
    classic.save(tmp_path / "old")
    config_path = tmp_path / "old" / "config.json"
    config = json.loads(config_path.read_text())
    del config["config"]["modes"]
    config_path.write_text(json.dumps(config))
    old = ConditionalFlowGAN.load(tmp_path / "old")
    assert old.modes_.mode_class_.tolist() == [0, 1, 2]
    assert len(old.sample(10, "scan")) == 10


@pytest.mark.parametrize("bad", [-1, 1.5, True])
def test_bad_mode_min_rows_is_a_clear_error(bad):
    X, y = make_flow_frame(60)
    with pytest.raises(FlowganError, match="mode_min_rows"):
        ConditionalFlowGAN(**SMALL, mode_min_rows=bad).fit(X, y)


def test_independent_zeros_stay_out_of_the_key_so_modes_cover_the_class():
    # Two payload columns zero together on 30% of rows (structure) and eight flag columns zero
    # independently on half the rows each: full zero patterns number in the hundreds, none common.
    rng = np.random.default_rng(1)
    n = 2000
    empty = rng.random(n) < 0.3
    payload = np.where(empty[:, None], 0.0, rng.lognormal(5, 1, (n, 2)))
    flags = np.where(rng.random((n, 8)) < 0.5, 0.0, 1.0)
    values = np.hstack([payload, flags])
    modes = FlowModes(min_rows=50)
    row_modes = modes.fit(values, np.zeros(n, dtype=int), 1)
    assert modes.keys_[0, :2].all() and not modes.keys_[0, 2:].any()
    assert modes.n_modes == 2
    # Every row sits in the mode of its own payload pattern.
    assert (modes.patterns_[row_modes, 0] == empty).all()
    restored = FlowModes.from_dict(json.loads(json.dumps(modes.to_dict())))
    assert (restored.keys_ == modes.keys_).all()
    old = modes.to_dict()
    del old["keys"]
    assert FlowModes.from_dict(old).keys_.all()
