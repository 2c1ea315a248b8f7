"""Train CTGAN on the rows bench_cgan.py trained flowgan on, for at least a given wall-clock time.

CTGAN is not a flowgan dependency: run this with a separate virtualenv, e.g.::

    python3.11 -m venv /tmp/ctgan-venv
    /tmp/ctgan-venv/bin/pip install torch==2.13.0 && /tmp/ctgan-venv/bin/pip install ctgan pyarrow
    /tmp/ctgan-venv/bin/python benchmarks/bench_ctgan.py --min-seconds 120 --threads 1

It reads ``benchmarks/out/train.parquet`` (features plus ``class``) and
``benchmarks/out/holdout_counts.json`` (rows to generate per class), trains one CTGAN with the
class as a discrete column (CTGAN's preprocessing, its Bayesian GMM per column, is timed on its
own and not counted in the training time), keeps training epochs until ``--min-seconds`` of
training have passed, then samples each class with CTGAN's conditional sampling (keeping the
rows that come out with the asked class). Writes ``benchmarks/out/ctgan_rows.parquet`` and
``benchmarks/out/ctgan_meta.json``.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import pandas as pd
import torch

OUT = Path(__file__).parent / "out"


def timed_epochs(min_seconds: float, record: dict):
    """A stand-in for CTGAN's tqdm epoch iterator that stops after the first epoch past the budget."""

    def iterator(iterable, disable=True):
        start = time.perf_counter()
        for i in iterable:
            yield i
            record["epochs"] = i + 1
            record["train_seconds"] = time.perf_counter() - start
            if record["train_seconds"] >= min_seconds:
                return

    return iterator


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--min-seconds", type=float, required=True, help="Training wall-clock time to reach.")
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    import ctgan.synthesizers.ctgan as ctgan_module
    from ctgan import CTGAN
    from ctgan.data_transformer import DataTransformer

    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    train = pd.read_parquet(OUT / "train.parquet")
    counts = json.loads((OUT / "holdout_counts.json").read_text())
    record: dict = {"threads": args.threads, "min_seconds": args.min_seconds}
    start = time.perf_counter()
    transformer = DataTransformer()
    transformer.fit(train, ["class"])
    transformed = transformer.transform(train)
    record["preprocess_seconds"] = time.perf_counter() - start
    # CTGAN.fit fits and applies its transformer again: hand it the fitted one instead.
    transformer.fit = lambda *a, **k: None
    transformer.transform = lambda *a, **k: transformed
    ctgan_module.DataTransformer = lambda: transformer
    ctgan_module.tqdm = timed_epochs(args.min_seconds, record)
    model = CTGAN(epochs=100_000, verbose=False)
    model.fit(train, ["class"])
    start = time.perf_counter()
    parts = []
    for klass, n in counts.items():
        rows = pd.DataFrame()
        for _ in range(10):
            drawn = model.sample(3 * n, condition_column="class", condition_value=klass)
            rows = pd.concat([rows, drawn[drawn["class"] == klass]], ignore_index=True)
            if len(rows) >= n:
                break
        parts.append(rows.iloc[:n])
        record[f"rows {klass}"] = int(min(len(rows), n))
    record["sample_seconds"] = time.perf_counter() - start
    pd.concat(parts, ignore_index=True).to_parquet(OUT / "ctgan_rows.parquet")
    (OUT / "ctgan_meta.json").write_text(json.dumps(record, indent=2) + "\n")
    print(json.dumps(record, indent=2))


if __name__ == "__main__":
    main()
