import json

import numpy as np
import pandas as pd
import pytest

from flowgan.cli import main
from flowgan.errors import DataValidationError
from flowgan.validation import GANValidator, figures


@pytest.fixture
def files(tmp_path):
    real = pd.DataFrame({
        "dur": [0.0, 0.0, 1.0, 2.0, 5.0, 7.0],
        "pkts": [1, 1, 2, 3, 4, 5],
        "traffic_category": ["X", "X", "X", "X", "Y", "Y"],
        "Label": [1, 1, 1, 1, 0, 0],
    })  # fmt: skip
    synthetic = pd.DataFrame({"dur": [3.0, 4.0, 5.0], "pkts": [1, 2, 2]})
    real_path, syn_path = tmp_path / "real.csv", tmp_path / "syn.csv"
    real.to_csv(real_path, index=False)
    synthetic.to_csv(syn_path, index=False)
    return real_path, syn_path


def test_paper_mode_compares_with_all_rows(files):
    validator = GANValidator(*files)
    assert validator.features == ["dur", "pkts"]
    stats = validator.calculate_statistics("dur")
    assert stats.at["count", "Original"] == 6 and stats.at["mean", "Original"] == 2.5
    assert stats.at["mean", "Difference %"] == 60.0  # (4 - 2.5) / 2.5
    assert stats.at["50%", "Difference %"] == pytest.approx(166.67)  # median 1.5 -> 4


def test_class_mode_compares_with_that_class_only(files):
    validator = GANValidator(*files, klass="X")
    assert len(validator.original_df) == 4
    ks = validator.ks_test("dur")
    # real X: 0,0,1,2 all below the synthetic 3,4,5 -> disjoint
    assert ks == {"feature": "dur", "ks_statistic": 1.0, "p_value": pytest.approx(ks["p_value"])}
    stats = validator.calculate_statistics("dur")
    assert stats.at["50%", "Original"] == 0.5 and stats.at["min", "Difference %"] == np.inf


def test_validate_all_features_and_outputs(files, tmp_path):
    validator = GANValidator(*files, klass="X")
    results = validator.validate_all_features()
    assert list(results) == ["dur", "pkts"] and set(results["dur"]) == {"statistics", "ks_test"}
    text = validator.write_text(tmp_path / "v.txt").read_text()
    assert text.startswith("GAN Validation Report\n====================\n")
    assert "Feature: dur\n------------\n" in text and "KS statistic: 1.0000" in text
    assert "real rows of class 'X'" in text
    data = json.loads(validator.to_json(tmp_path / "v.json").read_text())
    assert data["class"] == "X" and data["n_real"] == 4 and data["n_synthetic"] == 3
    assert data["features"]["dur"]["ks_statistic"] == 1.0
    assert data["features"]["dur"]["statistics"]["min"]["Difference %"] is None  # inf is not JSON
    assert validator.feature_table()["feature"].tolist()[0] == "dur"


def test_figures(files):
    validator = GANValidator(*files)
    fig = validator.compare_distributions("dur")
    labels = [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    assert labels == ["real (n=6, zeros 33.3%)", "synthetic (n=3, zeros 0.0%)"]
    assert fig.axes[0].get_xscale() == "symlog"
    fig = validator.correlation_comparison()
    assert [ax.get_title() for ax in fig.axes[:3]] == ["real correlations", "synthetic correlations", "difference (synthetic - real)"]
    history = [{"class": "X", "epoch": 1, "d_loss": 1.0, "g_loss": 2.0}, {"class": "X", "epoch": 2, "d_loss": 0.9, "g_loss": 1.5}]
    fig = figures.plot_loss_curves(history)
    assert [line.get_label() for line in fig.axes[0].get_lines()] == ["X: d_loss", "X: g_loss"]
    assert figures.symlog_threshold(np.array([0.0, 0.03, 5.0])) == 0.01


def test_errors_name_the_problem(files, tmp_path):
    real, syn = files
    with pytest.raises(DataValidationError, match="unknown feature 'nope'"):
        GANValidator(real, syn).ks_test("nope")
    with pytest.raises(DataValidationError, match="not in the synthetic data: 'Label'"):
        GANValidator(real, syn, features=["dur", "Label"])
    pd.DataFrame({"dur": [1.0], "extra": [2.0]}).to_csv(tmp_path / "bad.csv", index=False)
    with pytest.raises(DataValidationError, match=r"missing from the synthetic data: 'pkts'.*not numeric columns of the real data: 'extra'"):
        GANValidator(real, tmp_path / "bad.csv")
    with pytest.raises(DataValidationError, match="does not exist"):
        GANValidator(real, tmp_path / "nothing.csv")
    with pytest.raises(DataValidationError, match="class 'Z' has no rows in the real data; its classes are: X, Y"):
        GANValidator(real, syn, klass="Z")


def test_validate_command_writes_outputs(files, tmp_path):
    real, syn = files
    out = tmp_path / "val"
    main(["validate", "--real", str(real), "--synthetic", str(syn), "--out", str(out), "--class", "X"])
    assert {p.name for p in out.iterdir()} == {"validation_report.txt", "validation.json", "features.csv", "report.html"}
    html = (out / "report.html").read_text()
    assert "ks_statistic" in html and "data:image/png;base64" in html
    assert pd.read_csv(out / "features.csv")["feature"].tolist() == ["dur", "pkts"]


def test_validate_command_bad_input_leaves_nothing(files, tmp_path, capsys):
    real, syn = files
    out = tmp_path / "val"
    with pytest.raises(SystemExit) as exit_info:
        main(["validate", "--real", str(real), "--synthetic", str(syn), "--out", str(out), "--class", "X", "--mode", "paper"])
    assert exit_info.value.code == 2 and "paper mode" in capsys.readouterr().err
    with pytest.raises(SystemExit) as exit_info:
        main(["validate", "--real", str(real), "--synthetic", str(real), "--out", str(out), "--features", "dur,nope"])
    assert exit_info.value.code == 2 and "nope" in capsys.readouterr().err
    assert not out.exists() and [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []
