"""Findings and report sections of an evaluation, on a hand-built result with known numbers."""

from __future__ import annotations

import dataclasses

import pytest
from _eval_fake import ATTACKS, fake_result

from flowgan.evaluation.result import OVERALL
from flowgan.report.evaluation_findings import Paired, attack_classes, findings, paired
from flowgan.report.evaluation_section import best_method, ci_table, evaluation_sections, format_ci


@pytest.fixture(scope="module")
def result():
    return fake_result()


def _about(statements, prefix):
    hits = [s for s in statements if s.startswith(prefix)]
    assert len(hits) == 1, (prefix, statements)
    return hits[0]


def test_attack_classes_exclude_benign_and_background(result):
    assert attack_classes(result) == list(ATTACKS)
    listed = dataclasses.replace(result, config={**result.config, "benign_classes": ["Benign", "Background", "Probing"]})
    assert attack_classes(listed) == ["Bruteforce", "Bruteforce-XML", "XMRIGCC CryptoMiner"]
    binary = dataclasses.replace(result, classes=("0", "1"), benign_class="0")
    assert attack_classes(binary) == ["1"]


def test_paired_differences_are_per_seed(result):
    d = paired(result, "rf", "Bruteforce", "f1", "cgan", "none")
    assert d.mean_diff == pytest.approx(0.10) and (d.wins, d.losses, d.n) == (3, 0, 3)
    assert d.p_value == pytest.approx(0.25)  # from the comparison row f1[Bruteforce]
    macro = paired(result, "rf", OVERALL, "macro_f1", "cgan", "none")
    assert macro.p_value == pytest.approx(0.25)


def test_findings_name_the_hand_set_differences(result):
    statements = findings(result)
    assert statements[0].startswith("3 seeds: the smallest possible two-sided Wilcoxon p-value is 0.25")
    brute = _about(statements, "rf, Bruteforce (")
    assert "F1 0.500 without resampling" in brute
    assert "helped: smote +0.120 (consistent across all 3 seeds, Wilcoxon p = 0.25); cgan +0.100 (consistent across all 3 seeds, Wilcoxon p = 0.25)" in brute
    assert "cgan loses to SMOTE (-0.020 F1, consistent across all 3 seeds, Wilcoxon p = 0.25)" in brute
    assert "cgan beats SMOTE (+0.030 F1" in _about(statements, "rf, Probing (")
    xml = _about(statements, "rf, Bruteforce-XML (")
    assert "nothing helped" in xml and "cgan ties SMOTE" in xml
    assert "macro-F1 is highest with cgan, 0.777 against 0.752" in _about(statements, "rf: macro-F1")
    assert _about(statements, "hgb: no method raised macro-F1").endswith("changed it by +0.000.")
    assert "(cgan-tstr), macro-F1 on the real test rows is 0.508" in _about(statements, "rf: trained on cgan's")
    assert not any("cgan-tstr +" in s or "helped: cgan-tstr" in s for s in statements)


def test_findings_hurt_methods_and_mixed_seeds(result):
    records = result.records.copy()
    worse = (records["classifier"] == "hgb") & (records["class"] == "Probing") & (records["metric"] == "f1")
    records.loc[worse & (records["method"] == "smote"), "value"] -= [0.09, -0.03, 0.09]
    changed = dataclasses.replace(result, records=records)
    probing = _about(findings(changed), "hgb, Probing (")
    assert "nothing helped" in probing
    assert "Hurt: smote -0.050 (better on 1, worse on 2 of 3 seeds: not distinguishable)" in probing
    assert "cgan beats SMOTE (+0.050 F1, better on 2, worse on 1 of 3 seeds" in probing


def test_agreement_wording():
    assert Paired(0.1, 1, 0, 1).agreement() == "one seed only"
    assert Paired(0.1, 5, 0, 5, 0.0625).agreement() == "consistent across all 5 seeds, Wilcoxon p = 0.0625"
    assert Paired(0.1, 9, 1, 10, 0.01).agreement() == "significant, Wilcoxon p = 0.01"
    assert Paired(0.0, 0, 0, 3).agreement() == "identical on all 3 seeds"
    assert Paired(-0.1, 0, 2, 2, 0.5).agreement() == "consistent across both seeds, Wilcoxon p = 0.5"


def test_no_smote_or_cgan_means_no_comparison(result):
    keep = result.records["method"].isin(["none", "smote"])
    only = dataclasses.replace(result, records=result.records[keep], summary=result.summary[result.summary["method"].isin(["none", "smote"])])
    assert not any("SMOTE" in s for s in findings(only))


def test_tables_format_mean_and_interval(result):
    assert format_ci(0.5, 0.4, 0.6) == "0.500 [0.400, 0.600]"
    assert format_ci(0.5, float("nan"), float("nan")) == "0.500" and format_ci(float("nan"), 0, 1) == ""
    table = ci_table(result, "macro_f1")
    assert list(table.columns) == ["method", "rf", "hgb"]
    assert list(table["method"]) == ["none", "smote", "cgan", "cgan-tstr"]
    assert table.loc[0, "rf"].startswith("0.752 [0.7")
    assert best_method(result, "rf") == "cgan"


def test_sections_render_setup_leaks_findings_and_tables(result):
    sections = evaluation_sections(result)
    assert [s.anchor for s in sections] == ["evaluation-setup", "evaluation-leakage", "evaluation-findings", "evaluation-macro-f1",
                                            "evaluation-class-f1", "evaluation-confusion", "evaluation-metrics"]  # fmt: skip
    html = "\n".join(s.body for s in sections)
    assert "Flagged as likely leaks (AUC &gt;= 0.99): bwd_pkts_payload.max." in html
    assert "ctgan skipped: not installed" in html and "SIMULATED" not in html
    assert "cgan loses to SMOTE (-0.020 F1" in html
    assert "XMRIGCC CryptoMiner" in html and html.count("data:image/png;base64") == 3
    assert "originh" in sections[1].body  # dropped columns listed


def test_simulated_setup_says_so(result):
    simulated = dataclasses.replace(result, config={**result.config, "source": "simulated HIKARI-shaped stand-in (scale 0.02, seed 0)"})
    assert "SIMULATED" in evaluation_sections(simulated)[0].body


def test_no_leak_and_one_seed(result):
    clean = result.leakage.assign(leak=False, auc=0.7)
    one = dataclasses.replace(result, records=result.records[result.records["seed"] == 0], leakage=clean)
    statements = findings(one)
    assert not statements[0].startswith("1 seeds") and "one seed only" in _about(statements, "rf, Bruteforce (")
    body = evaluation_sections(one)[1].body
    assert "No feature reaches AUC 0.99" in body and "LEAK" not in body


def test_summary_with_missing_classifier_cell(result):
    summary = result.summary[~((result.summary["method"] == "smote") & (result.summary["classifier"] == "hgb"))]
    table = ci_table(dataclasses.replace(result, summary=summary), "macro_f1")
    assert table.loc[table["method"] == "smote", "hgb"].item() == ""
