"""A small hand-built EvaluationResult with known numbers, for the renderers' tests.

Per-class F1 = BASE[classifier][method][class] + SEED_SHIFT[seed]; the shift is the same for
every method, so every paired difference is exactly the difference of the bases on every
seed. Hand-set: on rf/Bruteforce cgan is +0.10 over none and -0.02 against smote.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

from flowgan.evaluation.result import (
    COMPARISON_COLUMNS,
    CONFUSION_COLUMNS,
    LEAKAGE_COLUMNS,
    OVERALL,
    RECORD_COLUMNS,
    SUMMARY_COLUMNS,
    EvaluationResult,
)

CLASSES = ("Background", "Benign", "Bruteforce", "Bruteforce-XML", "Probing", "XMRIGCC CryptoMiner")
ATTACKS = ("Bruteforce", "Bruteforce-XML", "Probing", "XMRIGCC CryptoMiner")
METHODS = ("none", "smote", "cgan", "cgan-tstr")
CLASSIFIERS = ("rf", "hgb")
SEED_SHIFT = {0: 0.0, 1: 0.01, 2: -0.01}
SUPPORT = {"Background": 300, "Benign": 400, "Bruteforce": 20, "Bruteforce-XML": 15, "Probing": 40, "XMRIGCC CryptoMiner": 30}

#                    Background Benign Bruteforce B-XML Probing XMRIG
_F1 = {
    "rf": {
        "none":      (0.95, 0.96, 0.50, 0.40, 0.80, 0.90),
        "smote":     (0.95, 0.96, 0.62, 0.40, 0.82, 0.90),
        "cgan":      (0.95, 0.96, 0.60, 0.40, 0.85, 0.90),
        "cgan-tstr": (0.70, 0.75, 0.30, 0.20, 0.50, 0.60),
    },
    "hgb": {
        "none":      (0.94, 0.95, 0.55, 0.45, 0.80, 0.88),
        "smote":     (0.94, 0.95, 0.55, 0.45, 0.80, 0.88),
        "cgan":      (0.94, 0.95, 0.55, 0.45, 0.80, 0.88),
        "cgan-tstr": (0.60, 0.70, 0.20, 0.10, 0.40, 0.50),
    },
}  # fmt: skip
BASE = {clf: {m: dict(zip(CLASSES, v)) for m, v in table.items()} for clf, table in _F1.items()}


def _records(seeds) -> pd.DataFrame:
    rows = []
    for seed in seeds:
        for clf in CLASSIFIERS:
            for method in METHODS:
                f1 = {k: BASE[clf][method][k] + SEED_SHIFT[seed] for k in CLASSES}
                for k in CLASSES:
                    rows += [(seed, method, clf, k, "f1", f1[k]), (seed, method, clf, k, "precision", f1[k]),
                             (seed, method, clf, k, "recall", f1[k]), (seed, method, clf, k, "support", SUPPORT[k])]  # fmt: skip
                rows += [(seed, method, clf, OVERALL, "macro_f1", float(np.mean(list(f1.values())))),
                         (seed, method, clf, OVERALL, "mcc", 0.8 + SEED_SHIFT[seed]),
                         (seed, method, clf, OVERALL, "benign_fpr", float("nan")),
                         (seed, method, clf, OVERALL, "fit_seconds", 1.5)]  # fmt: skip
    return pd.DataFrame(rows, columns=list(RECORD_COLUMNS))


def _summary(records: pd.DataFrame) -> pd.DataFrame:
    rows = []
    for (method, clf, k, metric), g in records.groupby(["method", "classifier", "class", "metric"], sort=False):
        v = g["value"].dropna().to_numpy(dtype=float)
        mean = float(v.mean()) if v.size else float("nan")
        half = float(stats.t.ppf(0.975, v.size - 1) * v.std(ddof=1) / np.sqrt(v.size)) if v.size > 1 else float("nan")
        rows.append((method, clf, k, metric, mean, mean - half, mean + half, int(v.size)))
    return pd.DataFrame(rows, columns=list(SUMMARY_COLUMNS))


def _comparisons(records: pd.DataFrame) -> pd.DataFrame:
    """Like the experiment's: macro_f1 and f1[<class>] of each method against none and smote."""
    rows = []
    for label, klass, metric in [("macro_f1", OVERALL, "macro_f1"), *((f"f1[{k}]", k, "f1") for k in CLASSES)]:
        part = records[(records["class"] == klass) & (records["metric"] == metric)]
        table = part.pivot_table(index=["classifier", "seed"], columns="method", values="value")
        for clf in CLASSIFIERS:
            for versus in ("none", "smote"):
                for method in (m for m in METHODS if m != versus):
                    d = (table.loc[clf][method] - table.loc[clf][versus]).to_numpy()
                    p = float(stats.wilcoxon(d).pvalue) if d.size > 1 and np.any(np.abs(d) > 1e-12) else float("nan")
                    rows.append((method, clf, label, versus, float(d.mean()), p, int(d.size)))
    return pd.DataFrame(rows, columns=list(COMPARISON_COLUMNS))


def _confusion(seeds) -> pd.DataFrame:
    rows = []
    for seed in seeds:
        for clf in CLASSIFIERS:
            for method in METHODS:
                for k in CLASSES:
                    right = int(round(SUPPORT[k] * BASE[clf][method][k]))
                    rows.append((seed, method, clf, k, k, right))
                    if SUPPORT[k] - right:
                        rows.append((seed, method, clf, k, "Benign" if k != "Benign" else "Background", SUPPORT[k] - right))
    return pd.DataFrame(rows, columns=list(CONFUSION_COLUMNS))


def fake_result(seeds=(0, 1, 2), **config) -> EvaluationResult:
    """The hand-built result; ``config`` entries override the default settings."""
    records = _records(seeds)
    leakage = pd.DataFrame(
        [("bwd_pkts_payload.max", 0.995, True), ("flow_duration", 0.93, False), ("fwd_pkts_tot", 0.81, False),
         ("down_up_ratio", 0.55, False)], columns=list(LEAKAGE_COLUMNS))  # fmt: skip
    settings = {"target": "class", "seeds": len(seeds), "test_size": 0.2, "folds": None, "methods": list(METHODS[:3]),
                "classifiers": list(CLASSIFIERS), "strategy": None, "tstr": True, "n_jobs": 1, "scheduler": None,
                "source": "flows.csv", "simulated": False, **config}  # fmt: skip
    return EvaluationResult(
        records=records, summary=_summary(records), comparisons=_comparisons(records), confusion=_confusion(seeds),
        leakage=leakage, dropped_columns=("Unnamed: 0", "uid", "originh", "originp"), classes=CLASSES,
        benign_class="Benign", config=settings, notices=("ctgan skipped: not installed (pip install 'flowgan[ctgan]')",),
        seconds=12.5,
    )  # fmt: skip
