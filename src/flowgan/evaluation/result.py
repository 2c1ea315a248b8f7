"""The result of an evaluation run: tidy tables that the report and the CLI render.

This module is the contract between the experiment (``flowgan.evaluation``) and its renderers
(``flowgan.report.evaluation_*``, ``flowgan.cli.evaluate_commands``): the experiment fills an
:class:`EvaluationResult`, the renderers only read it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd

OVERALL = "__all__"
"""Value of the ``class`` column for metrics of the whole test split (macro-F1, MCC, ...)."""

RECORD_COLUMNS = ("seed", "method", "classifier", "class", "metric", "value")
"""Columns of :attr:`EvaluationResult.records` (``evaluation.csv``)."""

SUMMARY_COLUMNS = ("method", "classifier", "class", "metric", "mean", "ci_low", "ci_high", "n")
"""Columns of :attr:`EvaluationResult.summary`: mean and 95% confidence interval over seeds."""

COMPARISON_COLUMNS = ("method", "classifier", "metric", "versus", "mean_diff", "p_value", "n")
"""Columns of :attr:`EvaluationResult.comparisons`: paired Wilcoxon test of ``method`` against
``versus`` (``none`` or ``smote``) over seeds; ``mean_diff`` is method minus versus."""

CONFUSION_COLUMNS = ("seed", "method", "classifier", "true", "predicted", "count")
"""Columns of :attr:`EvaluationResult.confusion`: one row per non-empty confusion cell."""

LEAKAGE_COLUMNS = ("column", "auc", "leak")
"""Columns of :attr:`EvaluationResult.leakage`: single-feature ROC-AUC of each feature for the
target (multi-class: the largest one-vs-rest AUC, taken as max(auc, 1 - auc)); ``leak`` when
``auc >= LEAK_AUC``."""

LEAK_AUC = 0.99

OVERALL_METRICS = (
    "macro_f1",
    "g_mean",
    "balanced_accuracy",
    "mcc",
    "pr_auc_macro",
    "benign_fpr",
    "fit_seconds",
    "predict_seconds",
    "resample_seconds",
    "train_rows",
)
"""Metrics recorded with ``class == OVERALL``."""

CLASS_METRICS = ("precision", "recall", "f1", "pr_auc", "support")
"""Metrics recorded per class."""


@dataclass(frozen=True)
class EvaluationResult:
    """Everything one ``flowgan evaluate`` run measured.

    Attributes
    ----------
    records : DataFrame
        Tidy, :data:`RECORD_COLUMNS`; one row per seed x method x classifier x class x metric.
        TSTR runs of a generator appear as method ``"<name>-tstr"``.
    summary : DataFrame
        :data:`SUMMARY_COLUMNS`, computed from ``records``.
    comparisons : DataFrame
        :data:`COMPARISON_COLUMNS`, computed from ``records``.
    confusion : DataFrame
        :data:`CONFUSION_COLUMNS`.
    leakage : DataFrame
        :data:`LEAKAGE_COLUMNS`, sorted by ``auc`` descending.
    dropped_columns : tuple of str
        Columns dropped before anything else (index, identifiers, ports unless kept).
    classes : tuple of str
        Target classes in order; ``benign_class`` is the negative class of the benign FPR.
    benign_class : str
    config : dict
        The settings of the run (target, seeds, methods, classifiers, strategy, test_size or
        folds, n_jobs, scheduler, data source...), JSON-serialisable.
    notices : tuple of str
        Methods skipped and why (e.g. ``ctgan`` not installed), and other warnings for the reader.
    seconds : float
        Wall-clock time of the whole evaluation.
    """

    records: pd.DataFrame
    summary: pd.DataFrame
    comparisons: pd.DataFrame
    confusion: pd.DataFrame
    leakage: pd.DataFrame
    dropped_columns: tuple[str, ...]
    classes: tuple[str, ...]
    benign_class: str
    config: dict[str, Any] = field(default_factory=dict)
    notices: tuple[str, ...] = ()
    seconds: float = 0.0
