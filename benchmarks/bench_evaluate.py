"""Benchmark of ``flowgan.evaluation.evaluate`` on the simulated HIKARI stand-in.

Runs the default grid (default methods and classifiers, default strategy) on
``simulate_hikari(scale, seed=0)`` and writes ``benchmarks/results/evaluate.md``: wall time,
macro-F1 mean and 95% CI per method x classifier, and per-class F1 of the attack classes.

    PYTHONPATH=src python benchmarks/bench_evaluate.py [--scale 0.1] [--seeds 5] [--n-jobs 2]
"""

from __future__ import annotations

import argparse
import os
import platform
import time
from pathlib import Path

import pandas as pd

from flowgan.datasets.schema import ATTACK_CLASSES
from flowgan.datasets.simulate import simulate_hikari
from flowgan.evaluation import evaluate
from flowgan.report.evaluation_section import ci_table

HERE = Path(__file__).parent


def summary_tables(result) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(macro-F1 per method x classifier, attack-class F1 per method x classifier)."""
    macro = ci_table(result, "macro_f1").set_index("method")
    s = result.summary
    f1 = s[(s["metric"] == "f1") & s["class"].isin(ATTACK_CLASSES)]
    f1 = f1.pivot_table(index=["method", "classifier"], columns="class", values="mean").round(3)
    return macro, f1[[c for c in ATTACK_CLASSES if c in f1.columns]]


def cpu_seconds() -> float:
    """CPU seconds used by this process and its worker processes (live or finished) so far."""
    import resource

    import psutil

    me = psutil.Process()
    total = sum(me.cpu_times()[:2])
    for child in me.children(recursive=True):
        try:
            total += sum(child.cpu_times()[:2])
        except psutil.Error:
            pass
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return total + usage.ru_utime + usage.ru_stime


def to_markdown(table: pd.DataFrame) -> str:
    """A pipe table (no tabulate dependency)."""
    table = table.reset_index()
    head = [str(c) for c in table.columns]
    rows = [[f"{v:.3f}" if isinstance(v, float) else str(v) for v in row] for row in table.itertuples(index=False)]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    return "\n".join(lines + ["| " + " | ".join(r) + " |" for r in rows])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=0.1)
    parser.add_argument("--seeds", type=int, default=5)
    parser.add_argument("--n-jobs", type=int, default=2)
    parser.add_argument("--out", type=Path, default=HERE / "results" / "evaluate.md")
    args = parser.parse_args()
    frame = simulate_hikari(scale=args.scale, seed=0)
    cpu_start = cpu_seconds()
    start = time.perf_counter()
    last = [0.0]

    def progress(done: int, total: int) -> None:
        now = time.perf_counter() - start
        if now - last[0] > 30 or done == total:
            last[0] = now
            print(f"{done}/{total} tasks, {now:.0f} s wall, {cpu_seconds() - cpu_start:.0f} s CPU", flush=True)

    result = evaluate(frame, seeds=args.seeds, n_jobs=args.n_jobs, progress=progress,
                      source=f"simulate_hikari(scale={args.scale}, seed=0)")  # fmt: skip
    cpu = cpu_seconds() - cpu_start
    macro, f1 = summary_tables(result)
    r = result.records
    timing = r[r["metric"].isin(["fit_seconds", "resample_seconds"])].groupby(["metric", "method"])["value"].mean().unstack(0).round(1)
    lines = [
        f"# evaluate() on the simulated stand-in (scale {args.scale}, {len(frame)} rows)",
        "",
        f"- command: `PYTHONPATH=src python benchmarks/bench_evaluate.py --scale {args.scale} --seeds {args.seeds} --n-jobs {args.n_jobs}`",
        f"- machine: {platform.machine()}, {os.cpu_count()} cores (shared with other jobs), n_jobs={args.n_jobs}; "
        f"wall time: {result.seconds:.0f} s ({result.seconds / 60:.1f} min); CPU time of this process and its "
        f"workers: {cpu:.0f} s, i.e. about {cpu / 2 / 60:.1f} min on 2 otherwise idle cores",
        f"- methods: {', '.join(result.config['recorded_methods'])}; classifiers: {', '.join(result.config['classifiers'])}",
        f"- strategy: {result.config['strategy']} -> targets (replicate 0): {result.config['targets_replicate_0']}",
        f"- leaks flagged: {int(result.leakage['leak'].sum())}; top single-feature AUC: "
        f"{result.leakage['column'].iloc[0]} {result.leakage['auc'].iloc[0]:.3f}",
        *(f"- notice: {n}" for n in result.notices),
        "",
        "## macro-F1, mean [95% CI] over seeds (on the simulated stand-in)",
        "",
        to_markdown(macro),
        "",
        "## F1 of the attack classes, mean over seeds",
        "",
        to_markdown(f1),
        "",
        "## seconds per cell (mean): classifier fit and resampling",
        "",
        to_markdown(timing),
        "",
    ]
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text("\n".join(lines))
    print("\n".join(lines))


if __name__ == "__main__":
    main()
