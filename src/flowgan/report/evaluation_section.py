"""Report sections of an evaluation, shared by ``flowgan evaluate`` and ``flowgan run``.

:func:`evaluation_sections` turns an :class:`~flowgan.evaluation.result.EvaluationResult` into
:class:`~flowgan.report.html.Section` objects: setup, leakage audit, findings, macro-F1,
per-class F1, confusion matrices and the other metrics. Figures are embedded in the page and,
when ``figure_dir`` is given, also saved there as PNG files.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from flowgan.evaluation.leakage import flagged_columns
from flowgan.evaluation.result import LEAK_AUC, OVERALL, EvaluationResult
from flowgan.io import atomic_path
from flowgan.report import evaluation_figures as figures
from flowgan.report.evaluation_findings import BASELINE, attack_classes, classifiers_of, findings, is_tstr, methods_of
from flowgan.report.html import Section, escape, figure_html, paragraph, table_html

LEAKAGE_ROWS = 15
"""Columns shown in the leakage table (the highest AUCs)."""

FIGURE_FILES = {"macro_f1": "macro_f1.png", "class_f1": "class_f1.png", "confusion": "confusion.png"}
"""PNG file names written into ``figure_dir``."""

OTHER_METRICS = ("g_mean", "balanced_accuracy", "mcc", "pr_auc_macro", "benign_fpr", "fit_seconds", "resample_seconds")


def _note(text: str) -> str:
    return f'<div class="note">{escape(text)}</div>'


def is_simulated(result: EvaluationResult) -> bool:
    """Whether the evaluated data is flowgan's simulated stand-in (said by the config)."""
    return bool(result.config.get("simulated")) or "simulated" in str(result.config.get("source", "")).lower()


def format_ci(mean: float, low: float, high: float) -> str:
    """``0.812 [0.801, 0.823]``; the mean alone when the interval is undefined; blank for NaN."""
    if not np.isfinite(mean):
        return ""
    if np.isfinite(low) and np.isfinite(high):
        return f"{mean:.3f} [{low:.3f}, {high:.3f}]"
    return f"{mean:.3f}"


def ci_table(result: EvaluationResult, metric: str, klass: str = OVERALL) -> pd.DataFrame:
    """Mean [95% CI] of ``metric`` for ``klass``: one row per method, one column per classifier."""
    s = result.summary
    rows = s[(s["metric"] == metric) & (s["class"] == klass)]
    table = pd.DataFrame({"method": methods_of(result)})
    for clf in classifiers_of(result):
        part = rows[rows["classifier"] == clf].set_index("method")
        table[clf] = [format_ci(*part.loc[m, ["mean", "ci_low", "ci_high"]].astype(float)) if m in part.index else ""
                      for m in table["method"]]  # fmt: skip
    return table


def class_f1_table(result: EvaluationResult, classes: list[str]) -> pd.DataFrame:
    """F1 mean [95% CI] per classifier x method (rows) and attack class (columns)."""
    s = result.summary[result.summary["metric"] == "f1"]
    rows = []
    for clf in classifiers_of(result):
        for method in methods_of(result):
            part = s[(s["classifier"] == clf) & (s["method"] == method)].set_index("class")
            cells = {k: format_ci(*part.loc[k, ["mean", "ci_low", "ci_high"]].astype(float)) if k in part.index else ""
                     for k in classes}  # fmt: skip
            rows.append({"classifier": clf, "method": method, **cells})
    return pd.DataFrame(rows)


def best_method(result: EvaluationResult, classifier: str) -> str:
    """The balancing method (not TSTR) with the highest mean macro-F1 for ``classifier``."""
    s = result.summary
    rows = s[(s["classifier"] == classifier) & (s["class"] == OVERALL) & (s["metric"] == "macro_f1")]
    rows = rows[~rows["method"].map(is_tstr)].dropna(subset=["mean"])
    return str(rows.loc[rows["mean"].idxmax(), "method"]) if len(rows) else BASELINE


def _figure(fig, key: str, caption: str, figure_dir: str | os.PathLike | None) -> str:
    if figure_dir is not None:
        with atomic_path(Path(figure_dir) / FIGURE_FILES[key]) as tmp:
            fig.savefig(tmp, format="png", dpi=110, bbox_inches="tight")
    return figure_html(fig, caption=caption)


def _setup_facts(result: EvaluationResult) -> dict[str, object]:
    """The settings worth reading in the setup table (the full config is in evaluation.json)."""
    c = result.config
    split = f"{c['folds']}-fold stratified cross-validation per seed" if c.get("folds") else (
        f"stratified, {c.get('test_size') or 0.2:.0%} of the rows held out, a new split per seed")  # fmt: skip
    facts: dict[str, object] = {
        "data": c.get("source") or "(not recorded)",
        "rows": c.get("rows"),
        "features": len(c["features"]) if isinstance(c.get("features"), list) else c.get("features"),
        "target": f"{c.get('target', '?')} ({len(result.classes)} classes; attack classes: {', '.join(attack_classes(result))})",
        "class counts": c.get("class_counts"),
        "seeds": result.records["seed"].nunique(),
        "split": split,
        "methods": ", ".join(methods_of(result)),
        "classifiers": ", ".join(classifiers_of(result)),
        "strategy": c.get("strategy"),
        "rows per class after resampling (first seed)": c.get("targets_replicate_0"),
        "generator settings": c.get("generator_params"),
        "ports kept": c.get("keep_ports"),
        "parallelism": f"scheduler {c['scheduler']}" if c.get("scheduler") else f"n_jobs {c.get('n_jobs', 1)}",
        "dropped columns": ", ".join(result.dropped_columns) or "none",
        "seconds": f"{result.seconds:.0f}",
    }
    return {k: v for k, v in facts.items() if v is not None and v != ""}


def setup_section(result: EvaluationResult) -> Section:
    """What was evaluated on what data, with the notices (skipped methods, warnings)."""
    facts = _setup_facts(result)
    body = [paragraph(
        "Each method balances the training split only; every classifier is scored on the untouched real test "
        "rows of the same split. Means over seeds with 95% confidence intervals (t distribution); methods are "
        "compared seed by seed (paired Wilcoxon test).")]  # fmt: skip
    if is_simulated(result):
        body.append(_note("The data is SIMULATED (flowgan's HIKARI-shaped stand-in), not real traffic: these numbers "
                          "show that the evaluation works, not how the methods do on HIKARI-2021."))  # fmt: skip
    body += [_note(n) for n in result.notices]
    table = pd.DataFrame({"item": list(facts), "value": [str(v) for v in facts.values()]})
    body.append(table_html(table, sortable=False))
    return Section("Evaluation: setup", "\n".join(body), anchor="evaluation-setup")


def leakage_section(result: EvaluationResult) -> Section:
    """Single-feature AUCs, highest first (the audit's order); columns at or above the leak threshold are flagged."""
    flagged = flagged_columns(result.leakage)
    body = [paragraph(
        f"Leakage audit: the ROC-AUC of each feature alone for the target. A column at AUC >= {LEAK_AUC} nearly "
        "gives the answer away; results that rest on it say little about detection.")]  # fmt: skip
    if flagged:
        body.append(_note(f"Flagged as likely leaks (AUC >= {LEAK_AUC}): {', '.join(flagged)}."))
    else:
        body.append(paragraph(f"No feature reaches AUC {LEAK_AUC}."))
    shown = result.leakage.head(LEAKAGE_ROWS).assign(leak=lambda t: np.where(t["leak"].astype(bool), "LEAK", ""))
    body.append(table_html(shown, sortable=True))
    dropped = ", ".join(result.dropped_columns) or "none"
    body.append(paragraph(f"Not used as features (index, identifiers, the other target, ports unless kept): {dropped}."))
    return Section("Evaluation: leakage audit", "\n".join(body), anchor="evaluation-leakage")


def findings_section(result: EvaluationResult, statements: Sequence[str] | None = None) -> Section:
    """The plain-language statements of :func:`flowgan.report.evaluation_findings.findings` (or
    ``statements`` when the caller has them already)."""
    items = "".join(f"<li>{escape(s)}</li>" for s in (findings(result) if statements is None else statements))
    intro = paragraph("Differences are of mean F1 over seeds, against no resampling (none) unless said otherwise.")
    return Section("Evaluation: findings", f"{intro}<ul>{items}</ul>", anchor="evaluation-findings")


def macro_section(result: EvaluationResult, figure_dir=None) -> Section:
    """Macro-F1 mean [95% CI] per method x classifier: table and bar chart."""
    fig = figures.plot_macro_f1(result.summary, methods_of(result), classifiers_of(result))
    body = [paragraph("Macro-F1 on the real test split, mean [95% CI] over seeds."), table_html(ci_table(result, "macro_f1")),
            _figure(fig, "macro_f1", "Macro-F1 by method, grouped by classifier (95% CI error bars).", figure_dir)]  # fmt: skip
    return Section("Evaluation: macro-F1", "\n".join(body), anchor="evaluation-macro-f1")


def class_section(result: EvaluationResult, figure_dir=None) -> Section:
    """F1 of each attack class, mean [95% CI] per classifier x method: table and bar charts."""
    classes = attack_classes(result)
    fig = figures.plot_class_f1(result.summary, methods_of(result), classifiers_of(result), classes)
    body = [paragraph("F1 of each attack class on the real test split, mean [95% CI] over seeds."),
            table_html(class_f1_table(result, classes)),
            _figure(fig, "class_f1", "F1 per attack class by method (95% CI error bars).", figure_dir)]  # fmt: skip
    return Section("Evaluation: F1 per attack class", "\n".join(body), anchor="evaluation-class-f1")


def confusion_section(result: EvaluationResult, figure_dir=None) -> Section:
    """Row-normalised confusion matrices (summed over seeds) of the best method and of ``none``."""
    clf = classifiers_of(result)[0]
    chosen = list(dict.fromkeys([best_method(result, clf), BASELINE]))
    matrices = {f"{clf}, {m}": figures.mean_confusion(result.confusion, m, clf, result.classes) for m in chosen}
    fig = figures.plot_confusions(matrices)
    caption = f"{clf}: share of each true class (rows) predicted as each class, over all seeds; methods {', '.join(chosen)}."
    body = [paragraph(f"Confusion matrices of {clf} with the best method by macro-F1 and without resampling."),
            _figure(fig, "confusion", caption, figure_dir)]  # fmt: skip
    return Section("Evaluation: confusion matrices", "\n".join(body), anchor="evaluation-confusion")


def metrics_section(result: EvaluationResult) -> Section:
    """The other whole-split metrics, mean [95% CI] per method x classifier."""
    present = set(result.summary.loc[result.summary["class"] == OVERALL, "metric"])
    parts = [paragraph("Other metrics of the whole test split (benign_fpr: share of benign test rows flagged as attacks).")]
    for metric in (m for m in OTHER_METRICS if m in present):
        parts += [f"<h3>{escape(metric)}</h3>", table_html(ci_table(result, metric))]
    return Section("Evaluation: other metrics", "\n".join(parts), anchor="evaluation-metrics")


def evaluation_sections(
    result: EvaluationResult, *, figure_dir: str | os.PathLike | None = None, statements: Sequence[str] | None = None
) -> list[Section]:
    """All sections of an evaluation, in reading order; figures also saved into ``figure_dir`` if given.

    ``statements``: the findings, when already computed (e.g. for ``evaluation.json``).
    """
    return [
        setup_section(result),
        leakage_section(result),
        findings_section(result, statements),
        macro_section(result, figure_dir),
        class_section(result, figure_dir),
        confusion_section(result, figure_dir),
        metrics_section(result),
    ]
