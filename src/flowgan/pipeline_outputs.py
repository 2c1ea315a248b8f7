"""Write a pipeline run's directory: report, results.json, the seed's text files, synthetic
rows, histories and models. Built in a temporary directory and renamed into place."""

from __future__ import annotations

import time
from collections.abc import Sequence
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from flowgan import __version__
from flowgan.io import atomic_directory, write_json, write_table, write_text
from flowgan.report.evaluation_output import summary_dict, write_evaluation_files
from flowgan.report.evaluation_section import evaluation_sections
from flowgan.report.html import Section, render_report
from flowgan.report.validation_section import (
    KEY_FEATURES,
    PAPER_KS,
    class_counts_section,
    correlations_section,
    distributions_section,
    key_features_section,
    loss_curves_section,
    overview_section,
    statistics_section,
)
from flowgan.report.validity_section import validity_section

RESULTS_FILE = "results.json"
REPORT_FILE = "report.html"


def build_sections(
    loaded, notes: Sequence[str], split, runs: Sequence[Any], settings: dict[str, Any], validity=None
) -> list[Section]:
    """The report's sections, in reading order (the lead can insert more)."""
    from flowgan.pipeline import class_counts

    facts = {
        "data": loaded.source,
        "rows after preprocessing": f"{len(split.train) + len(split.test):,} ({len(split.features)} features)",
        "split": f"stratified, {1 - settings['test_size']:.0%} train / {settings['test_size']:.0%} held out (seed {settings['seed']})",
        "models": ", ".join(settings["models"]),
        "epochs": settings["epochs"],
        "classes generated": ", ".join(map(str, settings["classes"])),
        "validation": "synthetic rows of each class vs held-out real rows of the same class",
        "flowgan": __version__,
    }
    sections = [
        overview_section(facts, simulated=loaded.simulated, notes=[*loaded.notes, *notes]),
        class_counts_section(class_counts(split.train, split.class_col), class_counts(split.test, split.class_col),
                             {r.model: r.added for r in runs}),
        loss_curves_section({r.model: r.history for r in runs}),
        key_features_section({r.model: r.comparisons for r in runs}),
    ]  # fmt: skip
    for r in runs:
        sections += [statistics_section(r.model, r.comparisons), distributions_section(r.model, r.comparisons),
                     correlations_section(r.model, r.comparisons)]  # fmt: skip
    if validity is not None:
        sections.append(validity_section(validity.table, validity.identities))
    return sections


def results_dict(
    loaded, split, runs: Sequence[Any], settings: dict[str, Any], wall_time_s: float, validity=None, evaluation=None
) -> dict[str, Any]:
    """The content of results.json; ``evaluation`` is the evaluation's summary dict, or ``None``."""
    from flowgan.pipeline import class_counts

    models = {}
    for r in runs:
        models[r.model] = {
            "wall_time_s": r.wall_time_s,
            "added": {str(k): v for k, v in r.added.items()},
            "files": {"synthetic": f"synthetic_{r.model}.csv", "validation_text": f"validation_{r.model}.txt",
                      "history": f"history_{r.model}.json", "model_dir": f"model_{r.model}"},
            "validation": {str(c.klass): c.summary(KEY_FEATURES) for c in r.comparisons},
            "pooled": r.pooled.summary(KEY_FEATURES) if r.pooled is not None else None,
            "key_features_ks": {str(c.klass): c.summary(KEY_FEATURES)["key_features_ks"] for c in r.comparisons},
        }  # fmt: skip
        report = getattr(r.generator, "identity_report_", None)
        if report is not None:
            models[r.model]["identities"] = identity_counts(report)
    return {
        "name": settings["name"],
        "created": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "flowgan_version": __version__,
        "data": {"source": loaded.source, "simulated": loaded.simulated, "n_rows": len(split.train) + len(split.test),
                 "features": list(split.features), "class_col": split.class_col},
        "settings": settings,
        "class_counts": {"train": class_counts(split.train, split.class_col), "test": class_counts(split.test, split.class_col)},
        "models": models,
        "validity": None if validity is None else {
            "n_identities": len(validity.identities),
            "identities": [i.describe() for i in validity.identities],
            "table": validity.table.to_dict(orient="records"),
        },
        "paper_reference_ks": PAPER_KS,
        "wall_time_s": wall_time_s,
        "report": REPORT_FILE,
        "evaluation": evaluation,
    }  # fmt: skip


def identity_counts(report: Sequence[dict[str, Any]]) -> dict[str, int]:
    """Declared identities obeyed, and discovered ones kept and rejected, of a model's ``identity_report_``."""
    declared = [e for e in report if e.get("source") == "declared" and e.get("kept")]
    discovered = [e for e in report if e.get("source") != "declared"]
    return {"declared": len(declared), "discovered_kept": sum(1 for e in discovered if e.get("kept")),
            "discovered_rejected": sum(1 for e in discovered if not e.get("kept"))}  # fmt: skip


def write_run(run_dir: Path, loaded, notes, split, runs, settings: dict[str, Any], *, started: float, validity=None,
              evaluation=None):  # fmt: skip
    """Write every output into a temporary directory, then move it to ``run_dir``."""
    from flowgan.pipeline import PipelineResult

    with atomic_directory(run_dir, marker=RESULTS_FILE) as tmp:
        for r in runs:
            write_table(r.synthetic, tmp / f"synthetic_{r.model}.csv")
            write_json(tmp / f"history_{r.model}.json", r.history)
            text = "\n".join(c.seed_text(title=f"Model: {r.model}, class: {c.klass}") for c in r.comparisons)
            write_text(tmp / f"validation_{r.model}.txt", text)
            r.generator.save(tmp / f"model_{r.model}")
        sections = build_sections(loaded, notes, split, runs, settings, validity)
        summary = None
        if evaluation is not None:
            summary = summary_dict(evaluation)
            write_evaluation_files(evaluation, tmp, tables=False, summary=summary)
            sections += evaluation_sections(evaluation, statements=summary["findings"])
        title = f"flowgan run '{settings['name']}'" + (" (simulated data)" if loaded.simulated else "")
        render_report(tmp / REPORT_FILE, title, sections)
        results = results_dict(loaded, split, runs, settings, time.perf_counter() - started, validity, summary)
        write_json(tmp / RESULTS_FILE, results)
    return PipelineResult(run_dir, run_dir / REPORT_FILE, run_dir / RESULTS_FILE, results)
