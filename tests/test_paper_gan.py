import json

import numpy as np
import pandas as pd
import pytest

from flowgan.errors import DataValidationError, FlowganError, ModelFileError
from flowgan.models.paper_gan import NetworkTrafficGAN, PaperGANGenerator, restore_dtypes
from flowgan.models.registry import generator_class, load_generator


@pytest.fixture
def frame():
    rng = np.random.default_rng(0)
    X = pd.DataFrame({
        "duration": np.r_[np.zeros(10), rng.lognormal(2, 1, 30)],
        "packets": rng.integers(1, 50, 40),
        "flag": rng.integers(0, 2, 40),
    })  # fmt: skip
    y = np.array(["A"] * 20 + ["B"] * 20)
    return X, y


def test_registry_maps_paper_to_this_class():
    assert generator_class("paper") is PaperGANGenerator


def test_fit_sample_returns_columns_dtypes_and_exact_count(frame):
    X, y = frame
    model = PaperGANGenerator(epochs=1, random_state=0).fit(X, y)
    rows = model.sample(13, "B")
    assert list(rows.columns) == list(X.columns) and len(rows) == 13
    assert rows.dtypes.to_dict() == X.dtypes.to_dict()
    assert rows["packets"].between(X["packets"].min(), X["packets"].max()).all()
    assert model.classes_ == ["A", "B"] and len(model.networks_) == 2
    assert [(r["class"], r["epoch"]) for r in model.history_] == [("A", 1), ("B", 1)]
    scaler = model.networks_[0].scaler
    assert scaler.feature_range == (-1, 1)
    assert np.allclose(scaler.data_max_, X[y == "A"].max().to_numpy(dtype=float))


def test_same_seed_same_rows_and_other_seed_other_rows(frame):
    X, y = frame
    a = PaperGANGenerator(epochs=1, random_state=7).fit(X, y).sample(5, "A")
    b = PaperGANGenerator(epochs=1, random_state=7).fit(X, y).sample(5, "A")
    c = PaperGANGenerator(epochs=1, random_state=8).fit(X, y).sample(5, "A")
    pd.testing.assert_frame_equal(a, b)
    assert not a.equals(c)


def test_save_load_round_trip_gives_the_same_rows(frame, tmp_path):
    X, y = frame
    model = PaperGANGenerator(epochs=1, random_state=3).fit(X, y)
    path = model.save(tmp_path / "m")
    expected = model.sample(9, "A")
    loaded = load_generator(path)
    assert isinstance(loaded, PaperGANGenerator)
    pd.testing.assert_frame_equal(loaded.sample(9, "A"), expected)
    assert loaded.history_ == json.loads(json.dumps(model.history_))
    assert next(loaded.networks_[0].generator.parameters()).device.type == "cpu"
    config = json.loads((path / "config.json").read_text())
    assert config["model_type"] == "paper" and "flowgan_version" in config
    assert set(config["config"]["scalers"][0]) >= {"data_min", "data_max", "min", "scale"}


def test_single_network_without_y_is_the_seed_set_up(frame):
    X, _ = frame
    model = PaperGANGenerator(epochs=1, random_state=0).fit(X)
    assert model.classes_ == [None] and len(model.sample(4)) == 4


@pytest.mark.parametrize("n", [0, -3, 2.5])
def test_bad_n_samples(frame, n):
    X, y = frame
    model = PaperGANGenerator(epochs=1, random_state=0).fit(X, y)
    with pytest.raises(FlowganError, match="n_samples must be a positive integer"):
        model.sample(n, "A")


def test_bad_inputs(frame):
    X, y = frame
    with pytest.raises(FlowganError, match="epochs must be a positive integer"):
        PaperGANGenerator(epochs=0).fit(X, y)
    with pytest.raises(FlowganError, match="not fitted"):
        PaperGANGenerator().sample(3)
    model = PaperGANGenerator(epochs=1, random_state=0).fit(X, y)
    with pytest.raises(FlowganError, match="unknown class 'C'"):
        model.sample(3, "C")
    with pytest.raises(FlowganError, match="pass klass"):
        model.sample(3)
    with pytest.raises(FlowganError, match="too few rows"):
        PaperGANGenerator(epochs=1).fit(X.iloc[:21], y[:21])


def test_load_refuses_broken_model_dirs(frame, tmp_path):
    X, y = frame
    path = PaperGANGenerator(epochs=1, random_state=0).fit(X, y).save(tmp_path / "m")
    (path / "state.pt").unlink()
    with pytest.raises(ModelFileError, match="missing state.pt"):
        PaperGANGenerator.load(path)
    path = PaperGANGenerator(epochs=1, random_state=0).fit(X, y).save(tmp_path / "m2")
    config = json.loads((path / "config.json").read_text())
    config["format_version"] = 99
    (path / "config.json").write_text(json.dumps(config))
    with pytest.raises(ModelFileError, match="model format 99"):
        PaperGANGenerator.load(path)
    path = PaperGANGenerator(epochs=1, random_state=0).fit(X, y).save(tmp_path / "m3")
    config = json.loads((path / "config.json").read_text())
    del config["config"]["scalers"]
    (path / "config.json").write_text(json.dumps(config))
    with pytest.raises(ModelFileError, match="not a readable paper model"):
        PaperGANGenerator.load(path)


def test_restore_dtypes_rounds_integers_and_thresholds_bools():
    frame = pd.DataFrame({"i": [0.4, 1.6, -0.6], "b": [0.2, 0.7, 0.5], "f": [0.25, 1.5, 2.0]})
    out = restore_dtypes(frame, {"i": "int64", "b": "bool", "f": "float32"})
    assert out["i"].tolist() == [0, 2, -1] and out["b"].tolist() == [False, True, False]
    assert str(out["f"].dtype) == "float32"


def test_network_traffic_gan_has_the_seed_interface(frame, tmp_path):
    X, _ = frame
    path = tmp_path / "data.csv"
    X.assign(other=1.0).to_csv(path, index=False)
    gan = NetworkTrafficGAN(path, ["duration", "packets"], device="cpu", random_state=0)
    assert gan.prepare_data() == 2
    history = gan.train(latent_dim=100, epochs=2)
    assert [r["epoch"] for r in history] == [1, 2] and set(history[0]) == {"epoch", "d_loss", "g_loss"}
    samples = gan.generate_samples(n_samples=6, latent_dim=100)
    assert list(samples.columns) == ["duration", "packets"] and len(samples) == 6
    assert samples["packets"].dtype == np.float64  # the seed's raw float output, not rounded
    assert not np.allclose(samples["packets"], samples["packets"].round())
    assert PaperGANGenerator.load(gan.save(tmp_path / "m")).classes_ == [None]


def test_network_traffic_gan_errors(frame, tmp_path):
    X, _ = frame
    path = tmp_path / "data.csv"
    X.to_csv(path, index=False)
    with pytest.raises(DataValidationError, match="unknown feature"):
        NetworkTrafficGAN(path, ["duration", "nope"]).prepare_data()
    with pytest.raises(DataValidationError, match="does not exist"):
        NetworkTrafficGAN(tmp_path / "missing.csv", ["duration"]).prepare_data()
    gan = NetworkTrafficGAN(path, ["duration"], device="cpu")
    with pytest.raises(FlowganError, match="epochs must be a positive integer"):
        gan.train(epochs=0)
    with pytest.raises(FlowganError, match="not trained"):
        gan.generate_samples(5)

