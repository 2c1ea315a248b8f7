"""Robustness suite: flowgan's conditional GAN on flow tables flowgan's simulator did not make.

For each table (:mod:`flowgan.testing.tables`: three HIKARI-schema tables from other generative
processes and a CIC-IDS2017-like export with its own declared identities; plus the simulated
stand-in for comparison) this writes to ``benchmarks/results/robustness.md``:

* fidelity, per attack class, of ``ConditionalFlowGAN()`` with its defaults fitted on the 80%
  training split of the attack rows (scale 1): mean and worst KS of the rows ``sample()``
  returns, of the same model unconstrained, and of the real-data floor (equal-size samples of
  training rows, averaged over 5 draws); zero-share and correlation differences; exact-copy
  share; rows breaking an identity by the independent checker (``check_identities`` written
  from SCHEMA.md, or the CIC table's own); fit seconds and sampling rows/s;
* detection (scale 0.1): ``flowgan.evaluation.evaluate`` with none, smote, ros and cgan
  (plus cgan-tstr), rf and hgb, over the given seeds: macro-F1 and attack-class F1.

Every target of issue 11 has a 'met' column.

    PYTHONPATH=src python benchmarks/bench_robustness.py [--tables mixture,copula,adversarial,cic,simulator]
        [--seeds 5] [--threads 1] [--n-jobs 2] [--no-detection]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import torch
from sklearn.model_selection import train_test_split

from flowgan.datasets import schema
from flowgan.datasets.hikari_identities import broken_rows
from flowgan.datasets.schema import DatasetSpec
from flowgan.datasets.simulate import simulate_hikari
from flowgan.evaluation import evaluate
from flowgan.models.conditional_gan import ConditionalFlowGAN
from flowgan.testing.tables import TABLES, cic_violations, make_table
from flowgan.validation.fidelity import correlation_difference, exact_copy_share, ks_table, zero_share_table

HERE = Path(__file__).parent
FLOOR_DRAWS = 5
KS_OVER_RAW, KS_OVER_FLOOR, KS_MAX_OVER_FLOOR = 0.01, 0.03, 0.15
FIT_SECONDS, ROWS_PER_SECOND = 180.0, 100_000.0
SPEED_ROWS = 100_000
DETECTION_METHODS = ("none", "smote", "ros", "cgan")


@dataclass
class Table:
    """A table of the suite as the benchmark uses it."""

    name: str
    frame: pd.DataFrame
    spec: DatasetSpec
    identities: str | None
    benign: tuple[str, ...]

    def features(self) -> list[str]:
        return self.spec.feature_columns(self.frame.columns)

    def violations(self, klass: str, rows: pd.DataFrame) -> int:
        """Rows of ``rows`` (features of class ``klass``) that break an identity, by the independent checker."""
        if self.name == "cic":
            return int(cic_violations(rows))
        full = rows.assign(**{c: 0 for c in (*schema.INDEX_COLUMNS, *schema.PORT_COLUMNS)}, uid="u", originh="h", responh="h")
        full = full.assign(**{schema.CLASS_COLUMN: klass, schema.LABEL_COLUMN: schema.CLASS_LABELS.get(klass, 1)})
        return int(broken_rows(full).sum())


def load(name: str, scale: float, seed: int = 0) -> Table:
    if name == "simulator":
        frame = simulate_hikari(scale=scale, seed=seed)
        frame[schema.CLASS_COLUMN] = frame[schema.CLASS_COLUMN].astype(str)
        return Table(name, frame, schema.HIKARI_SPEC, None, ("Benign", "Background"))
    table = make_table(name, scale=scale, seed=seed)
    spec = DatasetSpec(class_col=table.class_col, label_col=table.label_col, drop=table.drop,
                       port_cols=schema.PORT_COLUMNS if table.label_col else (), name=name)  # fmt: skip
    return Table(name, table.frame, spec, table.identities, table.benign)


def timed(fn):
    start = time.perf_counter()
    out = fn()
    return out, time.perf_counter() - start


def fidelity(table: Table, identities_file: str | None) -> tuple[list[dict], dict]:
    """Per attack class scores of the default model, and the table's facts (fit time...)."""
    frame = table.frame[~table.frame[table.spec.class_col].isin(table.benign)]
    X, y = frame[table.features()], frame[table.spec.class_col].astype(str).to_numpy()
    Xtr, Xte, ytr, yte = train_test_split(X, y, test_size=0.2, stratify=y, random_state=0)
    model, fit_s = timed(lambda: ConditionalFlowGAN(random_state=0, identities=identities_file and Path(identities_file)).fit(Xtr, ytr))
    report = pd.DataFrame(model.identity_report_)
    facts = {"training rows": len(Xtr), "fit seconds": fit_s, "flow modes": model.modes_.n_modes,
             "identities declared / discovered kept / discovered rejected": "{} / {} / {}".format(
                 int((report["source"] == "declared").sum()), int(((report["source"] == "discovered") & report["kept"]).sum()),
                 int(((report["source"] == "discovered") & ~report["kept"]).sum()))}  # fmt: skip
    rng = np.random.default_rng(0)
    rows = []
    for klass in model.classes_:
        real, train_k = Xte[yte == klass], Xtr[ytr == klass]
        n = min(len(real), len(train_k))
        model.sample(1000, klass)
        speed = [timed(lambda: model.sample(SPEED_ROWS, klass)) for _ in range(3)]
        big = speed[-1][0]
        model.enforce_identities = False
        raw = model.sample(n, klass)
        model.enforce_identities = True
        ours = big.iloc[:n]
        floors = [train_k.iloc[rng.choice(len(train_k), n, replace=False)] for _ in range(FLOOR_DRAWS)]
        ks, ks_raw = ks_table(real, ours)["ks"], ks_table(real, raw)["ks"]
        floor_ks = [ks_table(real, f)["ks"] for f in floors]
        rows.append({
            "table": table.name, "class": klass, "real rows": len(real),
            "ks_mean": ks.mean(), "ks_mean_raw": ks_raw.mean(), "ks_mean_floor": np.mean([k.mean() for k in floor_ks]),
            "ks_max": ks.max(), "ks_max_floor": np.mean([k.max() for k in floor_ks]),
            "zero_diff": zero_share_table(real, ours)["abs_diff"].max(),
            "zero_diff_floor": np.mean([zero_share_table(real, f)["abs_diff"].max() for f in floors]),
            "corr_diff": correlation_difference(real, ours),
            "corr_diff_floor": np.mean([correlation_difference(real, f) for f in floors]),
            "copy_share": exact_copy_share(ours, train_k), "copy_share_floor": exact_copy_share(real, train_k),
            "violations": table.violations(klass, big), "rows_per_s": SPEED_ROWS / float(np.median([s[1] for s in speed])),
        })  # fmt: skip
    return rows, facts


def detection(table: Table, identities_file: str | None, seeds: int, n_jobs: int) -> tuple[pd.DataFrame, float]:
    result, seconds = timed(lambda: evaluate(table.frame, table.spec, methods=list(DETECTION_METHODS), classifiers=["rf", "hgb"],
                                             seeds=seeds, n_jobs=n_jobs, identities=identities_file, source=table.name))  # fmt: skip
    s = result.summary
    attack = [c for c in result.classes if c not in table.benign]
    macro = s[s["metric"] == "macro_f1"].pivot_table(index="method", columns="classifier", values="mean")
    f1 = s[(s["metric"] == "f1") & s["class"].isin(attack)]
    per_class = f1.groupby(["method", "class"])["mean"].mean().unstack()
    out = macro.join(per_class).reset_index()
    return out, seconds


def met(ok: bool) -> str:
    return "yes" if ok else "**no**"


def render_fidelity(rows: list[dict]) -> list[str]:
    lines = ["| table | class | KS mean (raw / floor) | target | met | KS max (floor) | target | met | zero diff (floor) "
             "| corr diff (floor) | copies (floor) | violations | met | rows/s | met |", "|---" * 15 + "|"]  # fmt: skip
    for r in rows:
        ks_target = min(r["ks_mean_raw"] + KS_OVER_RAW, r["ks_mean_floor"] + KS_OVER_FLOOR)
        max_target = r["ks_max_floor"] + KS_MAX_OVER_FLOOR
        lines.append(
            f"| {r['table']} | {r['class']} | {r['ks_mean']:.3f} ({r['ks_mean_raw']:.3f} / {r['ks_mean_floor']:.3f}) | <= {ks_target:.3f} "
            f"| {met(r['ks_mean'] <= ks_target)} | {r['ks_max']:.3f} ({r['ks_max_floor']:.3f}) | <= {max_target:.3f} "
            f"| {met(r['ks_max'] <= max_target)} | {r['zero_diff']:.3f} ({r['zero_diff_floor']:.3f}) "
            f"| {r['corr_diff']:.3f} ({r['corr_diff_floor']:.3f}) | {r['copy_share']:.3f} ({r['copy_share_floor']:.3f}) "
            f"| {r['violations']} | {met(r['violations'] == 0)} | {r['rows_per_s']:,.0f} | {met(r['rows_per_s'] >= ROWS_PER_SECOND)} |"
        )
    return lines


def render_detection(name: str, table: pd.DataFrame, seconds: float, seeds: int) -> list[str]:
    lines = [f"**{name}** ({seeds} seeds, {seconds / 60:.1f} min; macro-F1 per classifier, F1 per attack class averaged over rf and hgb)", ""]
    cols = list(table.columns)
    lines += ["| " + " | ".join(cols) + " |", "|---" * len(cols) + "|"]
    for _, row in table.iterrows():
        lines.append("| " + " | ".join(f"{v:.3f}" if isinstance(v, float) else str(v) for v in row) + " |")
    by = table.set_index("method")
    if {"cgan", "smote"} <= set(by.index):
        for clf in ("rf", "hgb"):
            if clf in by.columns:
                gap = by.loc["cgan", clf] - by.loc["smote", clf]
                lines.append(f"- cgan against smote, {clf}: {gap:+.3f} (target >= 0: {met(gap >= 0)})")
    if "cgan-tstr" in by.index:
        attack = [c for c in cols if c not in ("method", "rf", "hgb")]
        tstr = by.loc["cgan-tstr", attack]
        found = ", ".join(f"{c} {v:.3f}" for c, v in tstr.items())
        lines.append(f"- cgan-tstr attack-class F1: {found} (target well above 0, here > 0.1: {met(bool((tstr > 0.1).all()))})")
    lines.append(f"- evaluate time {seconds / 60:.1f} min (target <= 15 min with 5 seeds: {met(seconds <= 900)})")
    return lines + [""]


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tables", default=",".join((*TABLES, "simulator")))
    parser.add_argument("--fidelity-scale", type=float, default=1.0)
    parser.add_argument("--detection-scale", type=float, default=0.1)
    parser.add_argument("--seeds", type=int, default=5)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--n-jobs", type=int, default=2)
    parser.add_argument("--no-detection", action="store_true")
    parser.add_argument("--no-fidelity", action="store_true")
    parser.add_argument("--out", default=str(HERE / "results" / "robustness.md"))
    args = parser.parse_args(argv)
    torch.set_num_threads(args.threads)
    names = [n.strip() for n in args.tables.split(",") if n.strip()]
    lines = ["# Robustness suite: the conditional GAN on tables flowgan's simulator did not make", "",
             f"- command: PYTHONPATH=src python benchmarks/bench_robustness.py {' '.join(sys.argv[1:] if argv is None else argv)}",
             f"- machine: {os.cpu_count()} CPU cores, torch threads {args.threads}; load average at start {os.getloadavg()[0]:.1f}",
             f"- targets per attack class: KS mean <= min(unconstrained + {KS_OVER_RAW}, floor + {KS_OVER_FLOOR}); KS max <= floor + "
             f"{KS_MAX_OVER_FLOOR}; 0 rows breaking an identity (independent checker); fit <= {FIT_SECONDS:.0f} s; "
             f"sample() >= {ROWS_PER_SECOND:,.0f} rows/s (one thread, {SPEED_ROWS:,} rows, median of 3)", ""]  # fmt: skip
    fid_rows, facts, det = [], {}, []
    with tempfile.TemporaryDirectory() as tmp:
        for name in names:
            ident_file = None
            if not args.no_fidelity:
                table = load(name, args.fidelity_scale)
                if table.identities:
                    ident_file = os.path.join(tmp, f"{name}.txt")
                    Path(ident_file).write_text(table.identities)
                rows, facts[name] = fidelity(table, ident_file)
                fid_rows += rows
                print(f"{name}: {facts[name]}", flush=True)
            if not args.no_detection:
                table = load(name, args.detection_scale)
                if table.identities and ident_file is None:
                    ident_file = os.path.join(tmp, f"{name}.txt")
                    Path(ident_file).write_text(table.identities)
                out, seconds = detection(table, ident_file, args.seeds, args.n_jobs)
                det.append(render_detection(name, out, seconds, args.seeds))
                print("\n".join(det[-1]), flush=True)
    if fid_rows:
        lines += ["## Fidelity, identities and speed (attack classes, scale {})".format(args.fidelity_scale), ""]
        for name, f in facts.items():
            fit_ok = f["fit seconds"] <= FIT_SECONDS
            lines.append(f"- {name}: " + "; ".join(f"{k} {v:.1f}" if isinstance(v, float) else f"{k} {v}" for k, v in f.items())
                         + f" (fit target <= {FIT_SECONDS:.0f} s: {met(fit_ok)})")  # fmt: skip
        lines += ["", *render_fidelity(fid_rows), ""]
    if det:
        lines += [f"## Detection (scale {args.detection_scale}): does cgan balancing help against SMOTE?", ""]
        for block in det:
            lines += block
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
