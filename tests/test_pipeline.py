import json

import pandas as pd
import pytest
from _paper_standin import hikari_standin

import flowgan.pipeline as pipeline
from flowgan.datasets.schema import HIKARI_SPEC
from flowgan.errors import FlowganError


@pytest.fixture(scope="module")
def standin():
    return hikari_standin(30, seed=1)


def test_preprocess_and_split(standin):
    frame, notes = pipeline.preprocess_stage(pipeline.LoadedData(standin, "test", False), HIKARI_SPEC)
    assert "uid" not in frame and "originp" not in frame and "Unnamed: 0" not in frame
    assert list(frame.columns[-2:]) == ["traffic_category", "Label"] and len(frame.columns) == 79 + 2
    assert "originp" in notes[0]
    split = pipeline.split_stage(frame, HIKARI_SPEC, test_size=0.2, seed=0)
    assert len(split.test) == 36 and split.test["traffic_category"].value_counts().eq(6).all()
    assert len(split.features) == 79


def test_choose_classes_and_counts(standin):
    frame, _ = pipeline.preprocess_stage(pipeline.LoadedData(standin, "test", False), HIKARI_SPEC)
    assert pipeline.choose_classes(frame, HIKARI_SPEC, None, False) == ["Bruteforce", "Bruteforce-XML", "Probing", "XMRIGCC CryptoMiner"]
    assert len(pipeline.choose_classes(frame, HIKARI_SPEC, None, True)) == 6
    with pytest.raises(FlowganError, match="unknown class"):
        pipeline.choose_classes(frame, HIKARI_SPEC, ["Nope"], False)
    train = pd.DataFrame({"c": ["a"] * 10 + ["b"] * 4})
    test = pd.DataFrame({"c": ["a"] * 3 + ["b"] * 1})
    split = pipeline.DataSplit(train, test, [], "c")
    # lift b to a's 10 rows (6 more); a is already there, so it gets its 3 held-out rows' worth
    assert pipeline.synthetic_counts(split, ["a", "b"], None) == {"a": 3, "b": 6}
    assert pipeline.synthetic_counts(split, ["a", "b"], 5) == {"a": 5, "b": 5}


@pytest.mark.slow
def test_run_pipeline_writes_the_run_directory(standin, tmp_path):
    result = pipeline.run_pipeline(standin, name="t", out_root=tmp_path, epochs=1, seed=0, device="cpu",
                                   classes=["Probing", "Bruteforce"], n_per_class=20, evaluate=False)  # fmt: skip
    names = {p.name for p in result.out_dir.iterdir()}
    per_model = {"validation_{}.txt", "synthetic_{}.csv", "history_{}.json", "model_{}"}
    assert names == {"report.html", "results.json"} | {n.format(m) for n in per_model for m in ("cgan", "paper")}
    synthetic = pd.read_csv(result.out_dir / "synthetic_paper.csv")
    assert synthetic["traffic_category"].value_counts().to_dict() == {"Probing": 20, "Bruteforce": 20}
    results = json.loads(result.results_path.read_text())
    assert set(results) >= {"data", "settings", "class_counts", "models", "paper_reference_ks", "wall_time_s", "validity"}
    probing = results["models"]["paper"]["validation"]["Probing"]
    assert probing["n_real"] == 6 and probing["n_synthetic"] == 20
    assert set(probing["key_features_ks"]) == {"flow_iat.tot", "active.max"}
    html = result.report_path.read_text()
    assert "Statistics and KS test: paper" in html and "SIMULATED" not in html
    text = (result.out_dir / "validation_paper.txt").read_text()
    assert text.count("GAN Validation Report") == 2 and "Feature: flow_iat.tot" in text


def test_run_includes_the_evaluation(standin, tmp_path, monkeypatch):
    import flowgan.evaluation
    from _eval_fake import fake_result

    calls = []

    def fake_evaluate(frame, **kwargs):
        calls.append((frame, kwargs))
        return fake_result(seeds=range(kwargs["seeds"]), source=kwargs["source"])

    monkeypatch.setattr(flowgan.evaluation, "evaluate", fake_evaluate, raising=False)
    result = pipeline.run_pipeline(standin, name="t", out_root=tmp_path, models=["paper"], epochs=1, seed=0, device="cpu",
                                   classes=["Probing"], n_per_class=5, evaluation_seeds=3)  # fmt: skip
    ((frame, kwargs),) = calls
    assert frame is standin  # the loaded table, not the preprocessed one
    assert kwargs["methods"] == ["none", "class_weight", "smote", "paper"] and kwargs["classifiers"] == ("rf",)
    assert kwargs["seeds"] == 3 and kwargs["generator_params"]["paper"]["epochs"] == 1 and kwargs["tstr"] is False
    names = {p.name for p in result.out_dir.iterdir()}
    assert {"evaluation.csv", "evaluation.json", "report.html", "results.json"} <= names
    results = json.loads(result.results_path.read_text())
    assert results["evaluation"]["macro_f1"]["rf"]["cgan"]["n"] == 3
    html = result.report_path.read_text()
    assert "Evaluation: findings" in html and "cgan loses to SMOTE" in html


def test_run_survives_an_evaluation_the_data_cannot_support(standin, tmp_path, monkeypatch):
    import flowgan.evaluation

    def refuse(frame, **kwargs):
        raise FlowganError("class Probing has 4 training rows; smote needs 6")

    monkeypatch.setattr(flowgan.evaluation, "evaluate", refuse, raising=False)
    result = pipeline.run_pipeline(standin, name="t", out_root=tmp_path, models=["paper"], epochs=1, seed=0, device="cpu",
                                   classes=["Probing"], n_per_class=5)  # fmt: skip
    assert result.results["evaluation"] is None and not (result.out_dir / "evaluation.json").exists()
    assert "IDS evaluation skipped: class Probing has 4 training rows" in result.report_path.read_text()


def test_simulated_run_says_so():
    loaded = pipeline.load_stage(None, scale=0.002, seed=0)
    assert loaded.simulated and "simulated" in loaded.source
    assert loaded.frame["uid"].str.startswith("SIM").all() and len(loaded.frame) == 1111
    from flowgan.report.validation_section import overview_section

    assert "SIMULATED" in overview_section({"data": loaded.source}, simulated=True).body


def test_bad_settings_leave_no_outputs(standin, tmp_path):
    with pytest.raises(FlowganError, match="epochs must be a positive integer"):
        pipeline.run_pipeline(standin, name="t", out_root=tmp_path, epochs=0)
    with pytest.raises(FlowganError, match="unknown model"):
        pipeline.run_pipeline(standin, name="t", out_root=tmp_path, models=["nope"])
    with pytest.raises(FlowganError, match="evaluation_seeds must be at least 1"):
        pipeline.run_pipeline(standin, name="t", out_root=tmp_path, evaluation_seeds=0)
    (tmp_path / "mine").mkdir()
    with pytest.raises(FlowganError, match="not written by flowgan"):
        pipeline.run_pipeline(standin, name="mine", out_root=tmp_path, epochs=1)
    assert [p.name for p in tmp_path.iterdir()] == ["mine"]
