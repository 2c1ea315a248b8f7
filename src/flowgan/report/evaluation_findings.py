"""Plain-language findings of an evaluation, computed from its tables (pure, no drawing).

Every statement compares two methods seed by seed (the same split, classifier seed and test
rows), so a difference that holds on every seed is reported as such even where a Wilcoxon test
cannot reach p < 0.05: with n paired seeds its smallest two-sided p is 2 / 2**n (0.0625 for
five seeds).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from flowgan.evaluation.methods import TSTR_SUFFIX
from flowgan.evaluation.result import OVERALL, EvaluationResult
from flowgan.evaluation.stats import BASELINES

TIE = 0.005
"""Differences of mean F1 within +-TIE count as a tie."""

BASELINE, SMOTE = BASELINES
GAN = "cgan"
BENIGN_NAMES = ("benign", "background", "normal")
"""Class names taken as benign when the result does not list its attack classes."""


@dataclass(frozen=True)
class Paired:
    """Seed-paired difference of one metric between ``method`` and ``versus``."""

    mean_diff: float
    wins: int
    losses: int
    n: int
    p_value: float | None = None

    def agreement(self) -> str:
        """How far the seeds agree, in words."""
        if self.n == 0:
            return "no paired seeds"
        if self.n == 1:
            return "one seed only"
        p = f", Wilcoxon p = {self.p_value:.3g}" if self.p_value is not None and np.isfinite(self.p_value) else ""
        if self.p_value is not None and self.p_value < 0.05:
            return f"significant{p}"
        if self.wins == 0 and self.losses == 0:
            return f"identical on all {self.n} seeds"
        if self.wins == self.n or self.losses == self.n:
            return f"consistent across {'both' if self.n == 2 else f'all {self.n}'} seeds{p}"
        better, worse = self.wins, self.losses
        return f"better on {better}, worse on {worse} of {self.n} seeds: not distinguishable{p}"


def is_tstr(method: str) -> bool:
    """Whether ``method`` is a train-on-synthetic, test-on-real run of a generator."""
    return method.endswith(TSTR_SUFFIX)


def attack_classes(result: EvaluationResult) -> list[str]:
    """The attack classes: all but ``config['benign_classes']`` (else but the benign class and :data:`BENIGN_NAMES`)."""
    listed = result.config.get("benign_classes")
    benign = {str(k) for k in listed} if listed else None
    if benign is None:
        return [str(k) for k in result.classes if str(k).lower() not in {str(result.benign_class).lower(), *BENIGN_NAMES}]
    return [str(k) for k in result.classes if str(k) not in benign]


def methods_of(result: EvaluationResult) -> list[str]:
    """Methods in the order of ``config['methods']`` (then any others as they appear)."""
    seen = list(dict.fromkeys(result.records["method"].astype(str)))
    order = [m for m in result.config.get("methods", []) if m in seen]
    return list(dict.fromkeys([*order, *seen]))


def classifiers_of(result: EvaluationResult) -> list[str]:
    """Classifiers in the order of ``config['classifiers']`` (then any others)."""
    seen = list(dict.fromkeys(result.records["classifier"].astype(str)))
    order = [c for c in result.config.get("classifiers", []) if c in seen]
    return list(dict.fromkeys([*order, *seen]))


def mean_of(result: EvaluationResult, method: str, classifier: str, klass: str, metric: str) -> float:
    """Mean over seeds from the summary (NaN when absent)."""
    s = result.summary
    hit = s[(s["method"] == method) & (s["classifier"] == classifier) & (s["class"] == klass) & (s["metric"] == metric)]
    return float(hit["mean"].iloc[0]) if len(hit) else float("nan")


def paired(result: EvaluationResult, classifier: str, klass: str, metric: str, method: str, versus: str) -> Paired:
    """Seed-paired difference ``method - versus``; the p-value comes from ``result.comparisons``."""
    r = result.records
    rows = r[(r["classifier"] == classifier) & (r["class"] == klass) & (r["metric"] == metric)]
    table = rows.pivot_table(index="seed", columns="method", values="value", aggfunc="mean")
    if method not in table or versus not in table:
        return Paired(float("nan"), 0, 0, 0)
    d = (table[method] - table[versus]).dropna().to_numpy(dtype=float)
    wins, losses = int(np.sum(d > 1e-12)), int(np.sum(d < -1e-12))
    return Paired(float(d.mean()) if d.size else float("nan"), wins, losses, int(d.size),
                  _p_value(result.comparisons, classifier, klass, metric, method, versus))  # fmt: skip


def comparison_label(metric: str, klass: str) -> str:
    """The ``metric`` value of a comparison row: ``macro_f1`` overall, ``f1[<class>]`` per class."""
    return metric if klass == OVERALL else f"{metric}[{klass}]"


def _p_value(comparisons: pd.DataFrame, classifier, klass, metric, method, versus) -> float | None:
    c = comparisons
    mask = (c["classifier"] == classifier) & (c["method"] == method) & (c["versus"] == versus)
    hit = c[mask & (c["metric"] == comparison_label(metric, klass))]
    return float(hit["p_value"].iloc[0]) if len(hit) and pd.notna(hit["p_value"].iloc[0]) else None


def versus_smote(d: Paired, unit: str = "") -> str:
    """``beats SMOTE``, ``ties SMOTE`` or ``loses to SMOTE``, with the difference and the seeds' agreement."""
    if abs(d.mean_diff) <= TIE:
        return f"ties SMOTE ({d.mean_diff:+.3f}{unit}, within {TIE})"
    verdict = "beats SMOTE" if d.mean_diff > 0 else "loses to SMOTE"
    return f"{verdict} ({d.mean_diff:+.3f}{unit}, {d.agreement()})"


def _n_seeds(result: EvaluationResult) -> int:
    return int(result.records["seed"].nunique())


def findings(result: EvaluationResult) -> list[str]:
    """Statements a reader can check against the tables, in reading order.

    For each classifier: the best macro-F1 against no resampling; for each attack class, which
    methods raised or lowered F1 against ``none`` and by how much (or that nothing helped), and
    whether flowgan's GAN (``cgan``) beats, ties or loses to SMOTE; the TSTR macro-F1.
    """
    n = _n_seeds(result)
    out = []
    if 1 < n < 6:
        out.append(f"{n} seeds: the smallest possible two-sided Wilcoxon p-value is {2 / 2 ** n:.3g}, so a "
                   "difference seen on every seed is called consistent, not significant.")  # fmt: skip
    methods = methods_of(result)
    balancing = [m for m in methods if m != BASELINE and not is_tstr(m)]
    for clf in classifiers_of(result):
        out += _macro_findings(result, clf, balancing)
        out += [_class_finding(result, clf, k, balancing) for k in attack_classes(result)]
        out += _tstr_findings(result, clf, [m for m in methods if is_tstr(m)])
    return [s for s in out if s]


def _macro_findings(result: EvaluationResult, clf: str, balancing: Sequence[str]) -> list[str]:
    base = mean_of(result, BASELINE, clf, OVERALL, "macro_f1")
    if not np.isfinite(base) or not balancing:
        return []
    diffs = {m: paired(result, clf, OVERALL, "macro_f1", m, BASELINE) for m in balancing}
    best = max(diffs, key=lambda m: diffs[m].mean_diff if np.isfinite(diffs[m].mean_diff) else -np.inf)
    d = diffs[best]
    if d.mean_diff > TIE:
        out = [f"{clf}: macro-F1 is highest with {best}, {base + d.mean_diff:.3f} against {base:.3f} without "
               f"resampling ({d.mean_diff:+.3f}, {d.agreement()})."]  # fmt: skip
    else:
        out = [f"{clf}: no method raised macro-F1 above {base:.3f} (no resampling) by more than {TIE}; the best, "
               f"{best}, changed it by {d.mean_diff:+.3f}."]  # fmt: skip
    if GAN in balancing and SMOTE in balancing:
        g = paired(result, clf, OVERALL, "macro_f1", GAN, SMOTE)
        out.append(f"{clf}: on macro-F1 flowgan's GAN ({GAN}) {versus_smote(g)}.")
    return out


def _class_finding(result: EvaluationResult, clf: str, klass: str, balancing: Sequence[str]) -> str:
    base = mean_of(result, BASELINE, clf, klass, "f1")
    if not np.isfinite(base):
        return ""
    diffs = {m: paired(result, clf, klass, "f1", m, BASELINE) for m in balancing}
    diffs = {m: d for m, d in diffs.items() if np.isfinite(d.mean_diff)}
    helped = sorted((m for m in diffs if diffs[m].mean_diff > TIE), key=lambda m: -diffs[m].mean_diff)
    hurt = sorted((m for m in diffs if diffs[m].mean_diff < -TIE), key=lambda m: diffs[m].mean_diff)
    text = f"{clf}, {klass} (F1 {base:.3f} without resampling): "
    if helped:
        text += "helped: " + "; ".join(f"{m} {diffs[m].mean_diff:+.3f} ({diffs[m].agreement()})" for m in helped) + "."
    else:
        text += f"nothing helped (no method raised F1 by more than {TIE})."
    if hurt:
        text += " Hurt: " + "; ".join(f"{m} {diffs[m].mean_diff:+.3f} ({diffs[m].agreement()})" for m in hurt) + "."
    if GAN in diffs and SMOTE in diffs:
        g = paired(result, clf, klass, "f1", GAN, SMOTE)
        text += f" {GAN} {versus_smote(g, ' F1')}."
    return text


def _tstr_findings(result: EvaluationResult, clf: str, tstr: Sequence[str]) -> list[str]:
    base = mean_of(result, BASELINE, clf, OVERALL, "macro_f1")
    out = []
    for m in tstr:
        value = mean_of(result, m, clf, OVERALL, "macro_f1")
        if np.isfinite(value) and np.isfinite(base):
            out.append(f"{clf}: trained on {m.removesuffix(TSTR_SUFFIX)}'s synthetic rows only ({m}), macro-F1 on the "
                       f"real test rows is {value:.3f} against {base:.3f} when trained on the real rows.")  # fmt: skip
    return out
