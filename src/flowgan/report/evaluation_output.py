"""Write an evaluation's files: tidy CSVs, a JSON summary, PNG figures and one HTML report.

Layout of ``flowgan evaluate``'s output directory::

    evaluation.csv     every measurement, tidy: seed, method, classifier, class, metric, value
    evaluation.json    the summary (settings, leakage audit, macro-F1 and per-class F1 with
                       95% CIs, Wilcoxon comparisons, findings, notices, seconds)
    summary.csv        mean and 95% CI of every metric over seeds
    comparisons.csv    paired Wilcoxon tests against none and smote
    leakage.csv        single-feature AUC of every column
    macro_f1.png, class_f1.png, confusion.png
    report.html        one self-contained page

The directory is built beside its target and renamed into place: a failure leaves nothing,
and an existing directory is replaced only if an earlier evaluation wrote it.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pandas as pd

from flowgan import __version__
from flowgan.errors import FlowganError
from flowgan.evaluation.leakage import flagged_columns
from flowgan.evaluation.result import OVERALL, EvaluationResult
from flowgan.io import atomic_directory, check_replaceable, write_json, write_table
from flowgan.report.evaluation_findings import attack_classes, findings, methods_of
from flowgan.report.evaluation_section import FIGURE_FILES, evaluation_sections, is_simulated
from flowgan.report.html import render_report

MARKER = "evaluation.json"
"""The file that marks a directory as an earlier ``flowgan evaluate`` output."""

TABLE_FILES = {"records": "evaluation.csv", "summary": "summary.csv", "comparisons": "comparisons.csv", "leakage": "leakage.csv"}
REPORT_FILE = "report.html"
RUN_MARKER = "results.json"
"""A ``flowgan run`` directory also holds ``evaluation.json``; ``flowgan evaluate`` never replaces one."""
LEAKAGE_TOP = 20


def _ci_dict(rows: pd.DataFrame, keys: list[str]) -> dict[str, Any]:
    """Nested ``{key1: {key2: ... {mean, ci_low, ci_high, n}}}`` from summary rows."""
    out: dict[str, Any] = {}
    for row in rows.to_dict(orient="records"):
        node = out
        for key in keys[:-1]:
            node = node.setdefault(str(row[key]), {})
        node[str(row[keys[-1]])] = {k: row[k] for k in ("mean", "ci_low", "ci_high", "n")}
    return out


def summary_dict(result: EvaluationResult) -> dict[str, Any]:
    """The JSON summary of ``result`` (``evaluation.json``; also ``results.json['evaluation']`` of a run).

    Values may be NaN; :func:`flowgan.io.write_json` writes them as ``null``.
    """
    order = {m: i for i, m in enumerate(methods_of(result))}
    s = result.summary.sort_values("method", key=lambda col: col.map(order), kind="stable")
    overall = s[s["class"] == OVERALL]
    macro = overall[overall["metric"] == "macro_f1"]
    class_f1 = s[(s["metric"] == "f1") & (s["class"] != OVERALL)]
    return {
        "flowgan_version": __version__,
        "config": dict(result.config),
        "simulated": is_simulated(result),
        "classes": list(result.classes),
        "benign_class": result.benign_class,
        "attack_classes": attack_classes(result),
        "notices": list(result.notices),
        "leakage": {
            "flagged": flagged_columns(result.leakage),
            "top": result.leakage.head(LEAKAGE_TOP).to_dict(orient="records"),
        },
        "dropped_columns": list(result.dropped_columns),
        "macro_f1": _ci_dict(macro, ["classifier", "method"]),
        "class_f1": _ci_dict(class_f1, ["classifier", "method", "class"]),
        "overall_metrics": _ci_dict(overall, ["classifier", "method", "metric"]),
        "comparisons": result.comparisons.to_dict(orient="records"),
        "findings": findings(result),
        "seconds": result.seconds,
    }


def write_evaluation_files(
    result: EvaluationResult, directory: str | os.PathLike, *, tables: bool = True, summary: dict[str, Any] | None = None
) -> dict[str, Path]:
    """Write ``evaluation.csv`` and ``evaluation.json`` (and, with ``tables``, the other CSVs) into ``directory``.

    Each file is written atomically; the caller owns ``directory`` (a run writes into its own).
    ``summary`` is :func:`summary_dict` of ``result`` when the caller has computed it already.
    """
    directory = Path(directory)
    chosen = TABLE_FILES if tables else {"records": TABLE_FILES["records"]}
    paths = {key: write_table(getattr(result, key), directory / name) for key, name in chosen.items()}
    paths["json"] = write_json(directory / MARKER, summary_dict(result) if summary is None else summary)
    return paths


def check_output_dir(out_dir: str | os.PathLike) -> Path:
    """Raise unless ``out_dir`` is absent or an earlier ``flowgan evaluate`` output (not a run directory)."""
    out_dir = check_replaceable(out_dir, marker=MARKER)
    if (out_dir / RUN_MARKER).is_file():
        raise FlowganError(f"{out_dir} is a flowgan run directory (it holds {RUN_MARKER}); choose another output directory")
    return out_dir


def write_evaluation(result: EvaluationResult, out_dir: str | os.PathLike, *, title: str | None = None) -> dict[str, Path]:
    """Write every output of ``flowgan evaluate`` into ``out_dir`` (see the module docstring).

    Parameters
    ----------
    result : EvaluationResult
    out_dir : path
        Replaced if an earlier evaluation wrote it (it holds ``evaluation.json``); any other
        existing directory is refused with :class:`~flowgan.errors.FlowganError`.
    title : str, optional
        Title of the report page.

    Returns
    -------
    dict of str to Path
        The final path of each file, keyed ``records``, ``summary``, ``comparisons``,
        ``leakage``, ``json``, ``report`` and the figure names (``macro_f1``, ``class_f1``,
        ``confusion``).
    """
    out_dir = check_output_dir(out_dir)
    title = title or "flowgan evaluate" + (" (simulated data)" if is_simulated(result) else "")
    with atomic_directory(out_dir, marker=MARKER) as tmp:
        summary = summary_dict(result)
        written = write_evaluation_files(result, tmp, summary=summary)
        sections = evaluation_sections(result, figure_dir=tmp, statements=summary["findings"])
        written["report"] = render_report(tmp / REPORT_FILE, title, sections)
        written.update({key: tmp / name for key, name in FIGURE_FILES.items()})
    return {key: out_dir / Path(path).name for key, path in written.items()}
