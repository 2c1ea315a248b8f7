import json

import pandas as pd
import pytest
from _paper_standin import hikari_standin

from flowgan.cli import main


@pytest.fixture(scope="module")
def data_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("data") / "flows.csv"
    hikari_standin(20, seed=2).to_csv(path, index=False)
    return path


def test_train_then_generate(data_file, tmp_path, capsys, cli_error):
    model_dir = tmp_path / "model"
    main(["train", "--model", "paper", str(data_file), "--out", str(model_dir), "--epochs", "1", "--seed", "0",
          "--device", "cpu", "--classes", "Probing,Bruteforce"])  # fmt: skip
    assert "model saved to" in capsys.readouterr().out
    config = json.loads((model_dir / "config.json").read_text())
    assert config["config"]["classes"] == ["Bruteforce", "Probing"] and len(config["config"]["feature_names"]) == 79
    out = tmp_path / "rows.csv"
    main(["generate", "--model-dir", str(model_dir), "-n", "7", "--class", "Probing", "--out", str(out)])
    rows = pd.read_csv(out)
    assert len(rows) == 7 and (rows["traffic_category"] == "Probing").all() and rows.shape[1] == 80
    assert "n_samples must be a positive integer" in cli_error(["generate", "--model-dir", str(model_dir), "-n", "0", "--out", str(tmp_path / "x.csv")])
    assert not (tmp_path / "x.csv").exists()
    err = cli_error(["generate", "--model-dir", str(model_dir), "-n", "3", "--class", "Nope", "--out", str(tmp_path / "y.csv")])
    assert "unknown class 'Nope'" in err and not (tmp_path / "y.csv").exists()


def test_train_and_generate_errors(data_file, tmp_path, cli_error):
    assert "epochs must be a positive integer" in cli_error(["train", str(data_file), "--out", str(tmp_path / "m"), "--epochs", "0"])
    assert "none.csv: no such file" in cli_error(["train", str(tmp_path / "none.csv"), "--out", str(tmp_path / "m")])
    assert "config.json is missing" in cli_error(["generate", "--model-dir", str(tmp_path), "-n", "3", "--out", str(tmp_path / "z.csv")])
    assert not (tmp_path / "m").exists()


@pytest.mark.slow
def test_run_command_end_to_end(data_file, tmp_path, capsys):
    main(["run", str(data_file), "--name", "demo", "--out-root", str(tmp_path), "--epochs", "1", "--device", "cpu",
          "--classes", "Probing,Bruteforce-XML", "--n-per-class", "15", "--no-evaluate"])  # fmt: skip
    out = capsys.readouterr().out
    run_dir = tmp_path / "demo"
    assert f"report: {run_dir / 'report.html'}" in out.replace("\n", "")
    html = (run_dir / "report.html").read_text()
    assert '<table class="dataframe sortable">' in html and "ks_statistic" in html
    assert html.count("data:image/png;base64") >= 5  # counts, losses, 2 distributions, 2 heatmaps
    results = json.loads((run_dir / "results.json").read_text())
    assert set(results["models"]["paper"]["validation"]) == {"Probing", "Bruteforce-XML"}
    assert results["settings"]["epochs"] == 1


def test_train_defaults_to_the_conditional_gan(data_file, tmp_path, capsys):
    model_dir = tmp_path / "cgan"
    main(["train", str(data_file), "--out", str(model_dir), "--epochs", "1", "--seed", "0", "--device", "cpu"])
    assert "trained cgan" in capsys.readouterr().out
    assert json.loads((model_dir / "config.json").read_text())["model_type"] == "cgan"
