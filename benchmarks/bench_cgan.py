"""Benchmark of flowgan's conditional GAN on the simulated HIKARI stand-in (full scale, attack classes).

Writes ``benchmarks/results/cgan.md``: per attack class fidelity against held-out real rows
next to the real-data floor, novelty, validity, fit and sampling speed, the paper model and
CTGAN trained on the same rows, each target with a 'met' column.

    PYTHONPATH=src python benchmarks/bench_cgan.py --threads 1 --ctgan-python /tmp/ctgan-venv/bin/python

CTGAN is not a flowgan dependency: ``--ctgan-python`` names the interpreter of a separate
virtualenv with ``ctgan`` installed; it runs ``benchmarks/bench_ctgan.py`` on the files this
script leaves in ``benchmarks/out/``, training CTGAN for at least flowgan's wall-clock fit time.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
import torch
from sklearn.model_selection import train_test_split

from flowgan.constraints import violation_rate
from flowgan.datasets.schema import ATTACK_CLASSES, CLASS_COUNTS, FEATURE_COLUMNS
from flowgan.datasets.simulate import simulate_hikari
from flowgan.models.conditional_gan import ConditionalFlowGAN
from flowgan.models.registry import generator_class
from flowgan.validation.fidelity import fidelity_table, zero_share_table

HERE = Path(__file__).parent
OUT = HERE / "out"
TARGETS = {"ks_mean": 0.03, "ks_max": 0.15, "zero_share_max_diff": 0.02, "corr_diff": 0.03}
FIT_SECONDS, ROWS_PER_SECOND = 180.0, 100_000.0
FLOOR_DRAWS = 5
"""The real-data floor is the mean score of this many equal-size samples of training rows."""


def load_split(seed: int = 0):
    """Attack rows of simulate_hikari(scale=1) (the same rows: chunks are seeded per class), 80/20 split."""
    frame = simulate_hikari(class_counts={c: CLASS_COUNTS[c] for c in ATTACK_CLASSES}, seed=seed)
    X, y = frame[list(FEATURE_COLUMNS)], frame["traffic_category"].astype(str).to_numpy()
    return train_test_split(X, y, test_size=0.2, stratify=y, random_state=seed)


def timed(fn):
    """``(result, wall seconds, CPU seconds of this process)``."""
    wall, cpu = time.perf_counter(), time.process_time()
    out = fn()
    return out, time.perf_counter() - wall, time.process_time() - cpu


def measure_sampling(model, threads: int, klass: str = "Probing"):
    """``(last 100k rows, median wall, median CPU)`` of 3 ``sample(100_000, klass)`` calls
    at ``threads`` torch threads, after a warm-up; the rows of every call are kept, as a caller would."""
    before = model.threads
    model.threads = threads
    try:
        model.sample(1000, klass)
        runs = [timed(lambda: model.sample(100_000, klass)) for _ in range(3)]
    finally:
        model.threads = before
    return runs[-1][0], float(np.median([r[1] for r in runs])), float(np.median([r[2] for r in runs]))


def measure_flowgan(Xtr, ytr, Xte, yte):
    model, fit_wall, fit_cpu = timed(lambda: ConditionalFlowGAN(random_state=0, threads=torch.get_num_threads()).fit(Xtr, ytr))
    speeds = {threads: measure_sampling(model, threads) for threads in (1, 2)}
    big = speeds[1][0]
    best = min(speeds, key=lambda t: speeds[t][1])
    wall = speeds[best][1]
    by_class = {k: measure_sampling(model, best, k)[1] for k in model.classes_}
    model.enforce_identities = False
    raw = {k: model.sample(int((yte == k).sum()), k) for k in model.classes_}
    model.enforce_identities = True
    synthetic = {k: model.sample(int((yte == k).sum()), k) for k in model.classes_}
    integer_cols = sorted(model.enforcer_.integral)  # whole in the training rows (not the learnt coordinates)
    facts = {
        "flowgan fit seconds (wall / CPU)": f"{fit_wall:.1f} / {fit_cpu:.1f} (target <= {FIT_SECONDS:.0f} wall: "
                                            f"{'met' if fit_wall <= FIT_SECONDS else 'not met'})",
        "flowgan epochs / batch size": f"{model.epochs} / {model.batch_size}",
        "flowgan sampling rows/s, 100k rows of Probing (wall / CPU, median of 3), 1 and 2 torch threads":
            ", ".join(f"{t}: {1e5 / w:,.0f} / {1e5 / c:,.0f}" for t, (_, w, c) in speeds.items())
            + f" (target >= {ROWS_PER_SECOND:,.0f} wall, best of the two: {'met' if 1e5 / wall >= ROWS_PER_SECOND else 'not met'})",
        "flowgan sampling rows/s of each class at that thread count (wall, median of 3)": ", ".join(
            f"{k}: {1e5 / w:,.0f}" for k, w in by_class.items())
            + f" ({'all' if all(1e5 / w >= ROWS_PER_SECOND for w in by_class.values()) else 'not all'} >= {ROWS_PER_SECOND:,.0f})",
        "identity violation rate, 100k rows (enforced / not enforced)":
            f"{violation_rate(big, model.identities_):.4f} / {violation_rate(raw['Probing'], model.identities_):.4f}",
        "negative values in 100k rows": int((big.to_numpy(dtype=float) < 0).sum()),
        "non-integral values in integer columns, 100k rows": int(sum((big[c] != np.round(big[c])).sum() for c in integer_cols)),
        "zero_share_max_diff per class before / after enforcement": ", ".join(
            f"{k}: {_zero_diff(Xte[yte == k], raw[k]):.3f} / {_zero_diff(Xte[yte == k], synthetic[k]):.3f}" for k in model.classes_),
    }  # fmt: skip
    return model, synthetic, fit_wall, facts


def _zero_diff(real, rows) -> float:
    return float(zero_share_table(real, rows)["abs_diff"].max())


def measure_paper(Xtr, ytr, yte, epochs: int):
    model, wall, cpu = timed(lambda: generator_class("paper")(epochs=epochs, random_state=0).fit(Xtr, ytr))
    rows = {k: model.sample(int((yte == k).sum()), k) for k in sorted(set(ytr))}
    return rows, {"paper model fit seconds (wall / CPU), epochs": f"{wall:.1f} / {cpu:.1f}, {epochs} (its default is 500)"}


def run_ctgan(python: str, min_seconds: float, threads: int) -> None:
    script = HERE / "bench_ctgan.py"
    cmd = [python, str(script), "--min-seconds", f"{min_seconds:.1f}", "--threads", str(threads)]
    subprocess.run(cmd, check=True, env={**os.environ, "PYTHONPATH": ""})


def scores(table: pd.DataFrame) -> dict:
    table = table[table["source"] == "synthetic"]
    return {(r["class"], r["metric"]): r["value"] for _, r in table.iterrows()}


def render(table: pd.DataFrame, facts: dict, others: dict[str, dict]) -> str:
    wide = table.pivot_table(index=["class", "metric"], columns="source", values="value")
    lines = ["# Conditional GAN benchmark (simulated HIKARI-2021 stand-in, scale 1, attack classes, 80/20 split)", ""]
    lines += [f"- {k}: {v:.4g}" if isinstance(v, float) else f"- {k}: {v}" for k, v in facts.items()]
    head = "| class | metric | floor | flowgan | target | met |" + "".join(f" {n} |" for n in others)
    lines += ["", head, "|---" * (6 + len(others)) + "|"]
    for (klass, metric), row in wide.iterrows():
        floor, ours = row.get("floor", np.nan), row.get("synthetic", np.nan)
        if metric in TARGETS:
            target = floor + TARGETS[metric]
            tgt, met = f"<= {target:.3f}", "yes" if ours <= target else f"no (+{ours - target:.3f})"
        elif metric == "copy_share":
            tgt, met = f"{floor:.3f} +- 0.05", "yes" if abs(ours - floor) <= 0.05 else f"no ({ours - floor:+.3f})"
        else:
            tgt, met = "", ""
        if metric == "ks_mean" and "CTGAN" in others:
            theirs = others["CTGAN"].get((klass, metric), np.nan)
            met += f"; vs CTGAN: {'lower' if ours < theirs else 'NOT lower'}"
        extra = "".join(f" {others[n].get((klass, metric), float('nan')):.3f} |" for n in others)
        lines.append(f"| {klass} | {metric} | {floor:.3f} | {ours:.3f} | {tgt} | {met} |{extra}")
    return "\n".join(lines) + "\n"


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--threads", type=int, default=1, help="torch threads (1 on a shared 2-core machine).")
    parser.add_argument("--paper-epochs", type=int, default=3, help="about flowgan's CPU time (batch 32: ~37 s an epoch).")
    parser.add_argument("--ctgan-python", default=None, help="Python of a virtualenv with ctgan installed.")
    parser.add_argument("--ctgan-reuse", action="store_true",
                        help="Reuse benchmarks/out/ctgan_* when that CTGAN trained at least as long as flowgan's fit.")
    args = parser.parse_args(argv)
    torch.set_num_threads(args.threads)
    load_before = os.getloadavg()
    Xtr, Xte, ytr, yte = load_split()
    OUT.mkdir(parents=True, exist_ok=True)
    Xtr.assign(**{"class": ytr}).to_parquet(OUT / "train.parquet")
    counts = {k: int((yte == k).sum()) for k in sorted(set(yte))}
    (OUT / "holdout_counts.json").write_text(json.dumps(counts))
    model, synthetic, fit_wall, flow_facts = measure_flowgan(Xtr, ytr, Xte, yte)
    facts = {"command": "PYTHONPATH=src python " + " ".join(["benchmarks/bench_cgan.py", *sys.argv[1:]]),
             "training rows": len(Xtr), "torch threads": args.threads,
             "real-data floor": f"mean over {FLOOR_DRAWS} equal-size samples of the class's training rows", **flow_facts}  # fmt: skip
    table = fidelity_table(Xte, yte, Xtr, ytr, synthetic, floor_draws=FLOOR_DRAWS, identities=model.identities_)
    others = {}
    paper_rows, paper_facts = measure_paper(Xtr, ytr, yte, args.paper_epochs)
    others["paper"] = scores(fidelity_table(Xte, yte, Xtr, ytr, paper_rows, floor_draws=FLOOR_DRAWS, identities=model.identities_))
    facts.update(paper_facts)
    if args.ctgan_python:
        meta_path = OUT / "ctgan_meta.json"
        reuse = args.ctgan_reuse and meta_path.is_file() and json.loads(meta_path.read_text())["train_seconds"] >= fit_wall
        if not reuse:
            run_ctgan(args.ctgan_python, fit_wall, args.threads)
        rows = pd.read_parquet(OUT / "ctgan_rows.parquet")
        ctgan_rows = {k: rows[rows["class"] == k][list(FEATURE_COLUMNS)].reset_index(drop=True) for k in counts}
        others["CTGAN"] = scores(fidelity_table(Xte, yte, Xtr, ytr, ctgan_rows, floor_draws=FLOOR_DRAWS, identities=model.identities_))
        meta = json.loads((OUT / "ctgan_meta.json").read_text())
        facts["CTGAN epochs / training seconds (wall) / preprocessing seconds / sampling seconds"] = (
            f"{meta['epochs']} / {meta['train_seconds']:.1f} / {meta['preprocess_seconds']:.1f} / {meta['sample_seconds']:.1f}"
            + (" (from an earlier run on the same rows, trained longer than this flowgan fit)" if reuse else ""))
    else:
        facts["CTGAN"] = "not run (pass --ctgan-python)"
    load_after = os.getloadavg()
    facts["machine"] = (f"{os.cpu_count()} CPU cores; load average "
                        f"{load_before[0]:.1f} at start, {load_after[0]:.1f} at end")  # fmt: skip
    (HERE / "results").mkdir(exist_ok=True)
    text = render(table, facts, others)
    (HERE / "results" / "cgan.md").write_text(text)
    print(text)


if __name__ == "__main__":
    main()
