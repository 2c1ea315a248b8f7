"""``flowgan validate``: compare a synthetic file with a real one and write the results.

Output directory::

    validation_report.txt   the seed's text report
    validation.json         the same results as JSON
    features.csv            one row per feature, worst KS statistic first
    report.html             statistics table, distribution figures, correlation heatmaps
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from flowgan.datasets.schema import CLASS_COLUMN, LABEL_COLUMN
from flowgan.errors import FlowganError
from flowgan.io import write_table
from flowgan.report.html import render_report
from flowgan.report.validation_section import correlations_section, distributions_section, overview_section, statistics_section
from flowgan.io import atomic_directory
from flowgan.validation.comparison import ClassComparison
from flowgan.validation.validator import GANValidator

MODES = ("default", "paper")
TEXT_FILE = "validation_report.txt"


@dataclass(frozen=True)
class ValidationOutputs:
    """Where ``validate_files`` wrote, and its per-feature table."""

    out_dir: Path
    text_path: Path
    json_path: Path
    report_path: Path
    table: pd.DataFrame


def validate_files(
    real: str | os.PathLike,
    synthetic: str | os.PathLike,
    out_dir: str | os.PathLike,
    *,
    klass: str | None = None,
    mode: str = "default",
    class_col: str = CLASS_COLUMN,
    label_col: str | None = LABEL_COLUMN,
    features: Sequence[str] | None = None,
) -> ValidationOutputs:
    """Validate ``synthetic`` against ``real`` and write ``out_dir`` (see the module docstring).

    ``mode="paper"`` compares with all real rows, as the seed did; ``klass`` (default mode)
    compares with the real rows of that class only.
    """
    if mode not in MODES:
        raise FlowganError(f"unknown mode {mode!r}: choose one of {', '.join(MODES)}")
    if mode == "paper" and klass is not None:
        raise FlowganError("paper mode compares with all real rows as the seed did; drop --class or use --mode default")
    for path in (real, synthetic):
        if Path(out_dir).resolve() in Path(path).resolve().parents:
            raise FlowganError(f"the input {path} lies inside the output directory {out_dir}, which would be replaced; choose another --out")
    validator = GANValidator(real, synthetic, klass=klass, class_col=class_col, label_col=label_col, features=features)
    validator.validate_all_features()
    comparison = ClassComparison(klass, validator.original_df, validator.synthetic_df, validator.feature_table(), validator.correlations_)
    facts: dict[str, Any] = {"real": str(real), "synthetic": str(synthetic), "mode": mode,
                             "compared with": "all real rows (the seed's comparison)" if klass is None else f"real rows of class {klass!r}",
                             "rows": f"{len(validator.synthetic_df):,} synthetic vs {len(validator.original_df):,} real",
                             "features": len(validator.features)}  # fmt: skip
    name = "synthetic" if klass is None else str(klass)
    target = Path(out_dir)
    with atomic_directory(target, marker=TEXT_FILE) as tmp:
        validator.write_text(tmp / TEXT_FILE)
        validator.to_json(tmp / "validation.json")
        write_table(comparison.table, tmp / "features.csv")
        sections = [overview_section(facts, simulated=False), statistics_section(name, [comparison]),
                    distributions_section(name, [comparison]), correlations_section(name, [comparison])]  # fmt: skip
        render_report(tmp / "report.html", "flowgan validation", sections)
    return ValidationOutputs(target, target / TEXT_FILE, target / "validation.json", target / "report.html", comparison.table)
