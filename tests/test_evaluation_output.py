"""Files written for an evaluation: tidy CSVs, strict JSON, figures, report; atomic."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from _eval_fake import fake_result

import flowgan.report.evaluation_output as output
from flowgan.errors import FlowganError
from flowgan.evaluation.result import COMPARISON_COLUMNS, LEAKAGE_COLUMNS, RECORD_COLUMNS, SUMMARY_COLUMNS

FILES = {"evaluation.csv", "evaluation.json", "summary.csv", "comparisons.csv", "leakage.csv", "report.html",
         "macro_f1.png", "class_f1.png", "confusion.png"}  # fmt: skip


def _strict_json(path):
    def refuse(name):
        raise AssertionError(f"{path} holds {name}")

    return json.loads(path.read_text(), parse_constant=refuse)


@pytest.fixture(scope="module")
def written(tmp_path_factory):
    out = tmp_path_factory.mktemp("ev") / "evaluate"
    return out, output.write_evaluation(fake_result(), out)


def test_all_files_written(written):
    out, paths = written
    assert {p.name for p in out.iterdir()} == FILES
    assert {p.name for p in paths.values()} == FILES and all(p.parent == out for p in paths.values())
    assert all(p.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" for p in out.glob("*.png"))


def test_csvs_are_tidy(written):
    out, _ = written
    records = pd.read_csv(out / "evaluation.csv")
    assert tuple(records.columns) == RECORD_COLUMNS
    assert len(records) == 3 * 2 * 4 * (6 * 4 + 4)  # seeds x classifiers x methods x (class rows + overall rows)
    assert not records.duplicated(["seed", "method", "classifier", "class", "metric"]).any()
    assert tuple(pd.read_csv(out / "summary.csv").columns) == SUMMARY_COLUMNS
    assert tuple(pd.read_csv(out / "comparisons.csv").columns) == COMPARISON_COLUMNS
    assert tuple(pd.read_csv(out / "leakage.csv").columns) == LEAKAGE_COLUMNS


def test_json_summary_is_strict_and_complete(written):
    out, _ = written
    summary = _strict_json(out / "evaluation.json")
    assert set(summary) >= {"config", "classes", "notices", "leakage", "dropped_columns", "macro_f1", "class_f1",
                            "comparisons", "findings", "seconds"}  # fmt: skip
    assert summary["leakage"]["flagged"] == ["bwd_pkts_payload.max"] and summary["leakage"]["top"][0]["leak"] is True
    rf_cgan = summary["macro_f1"]["rf"]["cgan"]
    assert rf_cgan["mean"] == pytest.approx(0.7766667) and rf_cgan["ci_low"] < rf_cgan["mean"] < rf_cgan["ci_high"]
    assert rf_cgan["n"] == 3
    assert summary["class_f1"]["rf"]["smote"]["Bruteforce"]["mean"] == pytest.approx(0.62)
    assert summary["overall_metrics"]["rf"]["none"]["benign_fpr"]["mean"] is None  # NaN -> null
    assert any("loses to SMOTE" in s for s in summary["findings"])
    assert summary["seconds"] == 12.5 and summary["simulated"] is False


def test_report_holds_the_sections(written):
    html = (written[0] / "report.html").read_text()
    for title in ("Evaluation: setup", "Evaluation: leakage audit", "Evaluation: findings", "Evaluation: macro-F1",
                  "Evaluation: F1 per attack class", "Evaluation: confusion matrices"):  # fmt: skip
        assert f"<h2>{title}</h2>" in html
    assert "bwd_pkts_payload.max" in html and "<title>flowgan evaluate</title>" in html


def test_replaces_an_earlier_evaluation_only(tmp_path):
    out = tmp_path / "ev"
    output.write_evaluation(fake_result(seeds=(0,)), out)
    (out / "stale.txt").write_text("x")
    output.write_evaluation(fake_result(seeds=(0,)), out)
    assert "stale.txt" not in {p.name for p in out.iterdir()}
    mine = tmp_path / "mine"
    mine.mkdir()
    with pytest.raises(FlowganError, match="not written by flowgan"):
        output.write_evaluation(fake_result(seeds=(0,)), mine)
    run = tmp_path / "run"
    run.mkdir()
    (run / "results.json").write_text("{}")
    (run / "evaluation.json").write_text("{}")
    with pytest.raises(FlowganError, match="is a flowgan run directory"):
        output.write_evaluation(fake_result(seeds=(0,)), run)


def test_failure_while_writing_leaves_nothing(tmp_path, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(output, "render_report", broken)
    with pytest.raises(RuntimeError, match="disk full"):
        output.write_evaluation(fake_result(seeds=(0,)), tmp_path / "ev")
    assert list(tmp_path.iterdir()) == []


def test_run_files_only(tmp_path):
    paths = output.write_evaluation_files(fake_result(seeds=(0,)), tmp_path, tables=False)
    assert {p.name for p in tmp_path.iterdir()} == {"evaluation.csv", "evaluation.json"} == {p.name for p in paths.values()}
