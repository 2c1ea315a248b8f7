"""Sampling speed of a saved conditional GAN: rows per second of ``sample()`` at given torch threads.

Times ``model.sample(rows, klass)`` (network, categorical draws, marginal decoder, identity
enforcement and checks, DataFrame) after a warm-up, median of ``--repeats`` calls, for each
thread count, and reports the violation rate of the last sample (it must be 0).

    PYTHONPATH=src python benchmarks/bench_sample_speed.py /tmp/cg_full --klass Probing --threads 1 2

The machine's load matters: torch's threads spin-wait on each other, so with another busy
process on a 2-core machine two threads can be slower than one.
"""

from __future__ import annotations

import argparse
import time

import numpy as np
import torch

from flowgan.constraints import violation_rate
from flowgan.models.conditional_gan import ConditionalFlowGAN


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("model", help="directory of a model saved by ConditionalFlowGAN.save")
    parser.add_argument("--klass", default=None, help="class to sample (default: the first)")
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--threads", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args(argv)
    model = ConditionalFlowGAN.load(args.model)
    klass = model.classes_[0] if args.klass is None else args.klass
    for threads in args.threads:
        model.threads = threads
        model.sample(1000, klass)  # warm-up
        walls, cpus = [], []
        for _ in range(args.repeats):
            wall, cpu = time.perf_counter(), time.process_time()
            rows = model.sample(args.rows, klass)
            walls.append(time.perf_counter() - wall)
            cpus.append(time.process_time() - cpu)
        wall = float(np.median(walls))
        print(f"{klass} threads={threads}: {args.rows / wall:,.0f} rows/s (median wall {wall:.3f} s, "
              f"CPU {np.median(cpus):.3f} s, violation rate {violation_rate(rows, model.identities_):.4f})")  # fmt: skip


if __name__ == "__main__":
    main()
