"""`flowgan evaluate`: parsing, validation and output, with the experiment replaced by a fake."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from _eval_fake import fake_result

import flowgan.evaluation
from flowgan.cli import evaluate_commands, main
from flowgan.datasets.simulate import simulate_hikari


@pytest.fixture
def calls(monkeypatch):
    """Replace the experiment by a fake that records its arguments."""
    seen = []

    def fake_evaluate(frame, **kwargs):
        seen.append({"frame": frame, **kwargs})
        kwargs["progress"](1, 2)
        kwargs["progress"](2, 2)
        return fake_result(source=kwargs["source"])

    monkeypatch.setattr(flowgan.evaluation, "evaluate", fake_evaluate, raising=False)
    return seen


@pytest.fixture
def tiny(monkeypatch):
    """A small table instead of loading or simulating one."""
    frame = pd.DataFrame({"a": [1.0, 2.0], "traffic_category": ["Benign", "Probing"], "Label": [0, 1]})
    monkeypatch.setattr(evaluate_commands, "load_frame", lambda data, spec, *, scale, seed: (frame, "tiny table"))
    return frame


def test_evaluate_passes_options_and_writes_outputs(calls, tiny, tmp_path, capsys):
    out = tmp_path / "ev"
    main(["evaluate", "--out", str(out), "--methods", "none,smote", "--methods", "cgan", "--classifiers", "rf",
          "--seeds", "3", "--folds", "4", "--strategy", '{"Probing": 10}', "--keep-ports", "--n-jobs", "2",
          "--scheduler", "tcp://h:8786", "--epochs", "7", "--no-tstr", "--target", "label"])  # fmt: skip
    (call,) = calls
    assert call["frame"] is tiny and call["source"] == "tiny table"
    assert call["methods"] == ["none", "smote", "cgan"] and call["classifiers"] == ["rf"]
    assert (call["seeds"], call["folds"], call["n_jobs"], call["scheduler"]) == (3, 4, 2, "tcp://h:8786")
    assert call["strategy"] == {"Probing": 10} and call["keep_ports"] is True and call["tstr"] is False
    assert call["target"] == "label" and call["generator_params"]["cgan"] == {"epochs": 7}
    assert call["spec"].class_col == "traffic_category"
    assert json.loads((out / "evaluation.json").read_text())["config"]["source"] == "tiny table"
    printed = capsys.readouterr().out
    assert "macro-F1, mean [95% CI] over seeds" in printed and "report:" in printed and "ctgan skipped" in printed


def test_defaults(calls, tiny, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    main(["evaluate"])
    (call,) = calls
    assert call["methods"] is None and call["classifiers"] is None and call["strategy"] is None
    assert (call["seeds"], call["test_size"], call["folds"], call["tstr"], call["generator_params"]) == (5, 0.2, None, True, None)
    assert (tmp_path / "runs" / "evaluate" / "report.html").is_file()


def test_strategy_forms(calls, tiny, tmp_path):
    main(["evaluate", "--out", str(tmp_path / "a"), "--strategy", "0.5"])
    main(["evaluate", "--out", str(tmp_path / "a"), "--strategy", "auto"])
    assert [c["strategy"] for c in calls] == [0.5, "auto"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--methods", "smote,gan9"], "unknown method(s) 'gan9': choose from none, class_weight"),
        (["--classifiers", "svm"], "unknown classifier(s) 'svm'"),
        (["--strategy", '{"Probing": 10'], "--strategy is not valid JSON"),
        (["--strategy", "lots"], "unknown --strategy 'lots'"),
        (["--seeds", "0"], "--seeds must be at least 1"),
        (["--test-size", "1.5"], "--test-size must be between 0 and 1"),
        (["--folds", "1"], "--folds must be at least 2"),
        (["--target", "kind"], "--target must be one of class, label"),
        (["--n-jobs", "0"], "--n-jobs must be"),
        (["--epochs", "0"], "--epochs must be a positive integer"),
        (["--threads", "0"], "--threads must be positive"),
    ],
)
def test_bad_options_exit_2_before_any_work(calls, tiny, tmp_path, args, message, cli_error):
    err = cli_error(["evaluate", "--out", str(tmp_path / "ev"), *args])
    assert message in " ".join(err.split())
    assert calls == [] and not (tmp_path / "ev").exists()


def test_refuses_a_foreign_output_folder(calls, tiny, tmp_path, cli_error):
    (tmp_path / "mine").mkdir()
    assert "not written by flowgan" in cli_error(["evaluate", "--out", str(tmp_path / "mine")])
    assert calls == []


def test_failed_experiment_leaves_no_output(monkeypatch, tiny, tmp_path, calls):
    def broken(frame, **kwargs):
        raise RuntimeError("worker died")

    monkeypatch.setattr(flowgan.evaluation, "evaluate", broken)
    with pytest.raises(RuntimeError, match="worker died"):
        main(["evaluate", "--out", str(tmp_path / "ev")])
    assert list(tmp_path.iterdir()) == []


def test_loads_data_file_or_simulates(calls, tmp_path):
    path = tmp_path / "flows.parquet"
    simulate_hikari(class_counts={"Benign": 30, "Probing": 10}, seed=1).to_parquet(path)
    main(["evaluate", str(path), "--out", str(tmp_path / "a")])
    main(["evaluate", "--scale", "0.001", "--seed", "3", "--out", str(tmp_path / "b")])
    from_file, simulated = calls
    assert from_file["source"] == str(path) and len(from_file["frame"]) == 40
    assert simulated["source"] == "simulated HIKARI-shaped stand-in (scale 0.001, seed 3)"
    assert "SIMULATED" in (tmp_path / "b" / "report.html").read_text()


def test_run_command_evaluation_options(monkeypatch, tmp_path, capsys):
    import flowgan.pipeline
    from flowgan.pipeline import PipelineResult
    from flowgan.report.evaluation_output import summary_dict

    seen = {}

    def fake_run(data, **kwargs):
        seen.update(kwargs)
        results = {"models": {}, "wall_time_s": 1.0, "evaluation": summary_dict(fake_result())}
        return PipelineResult(tmp_path, tmp_path / "report.html", tmp_path / "results.json", results)

    monkeypatch.setattr(flowgan.pipeline, "run_pipeline", fake_run)
    main(["run", "--eval-seeds", "4"])
    assert seen["evaluate"] is True and seen["evaluation_seeds"] == 4
    assert "evaluation, rf macro-F1: none 0.752, smote 0.775, cgan 0.777" in capsys.readouterr().out
    main(["run", "--no-evaluate"])
    assert seen["evaluate"] is False
