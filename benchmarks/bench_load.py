"""Time ``load_hikari`` against plain ``pandas.read_csv`` on a full-size HIKARI-2021 CSV.

The real file cannot be downloaded here, so this writes a stand-in of the real shape once:
555,278 rows, the raw 88-column header, the real class counts (sorted by class, as the real
file is), values tiled from the 24 real rows and perturbed, floats rounded to 6 decimals
like the real file. Then it times both loaders alternately and writes a Markdown table.

Run: ``PYTHONPATH=src python benchmarks/bench_load.py [--repeats 3]``
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import statistics
import string
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.csv as pa_csv

from flowgan.datasets import load_hikari
from flowgan.datasets.schema import CLASS_COUNTS, CLASS_LABELS, COLUMNS, DTYPES

HERE = Path(__file__).parent
FIXTURE = HERE.parent / "tests" / "fixtures" / "hikari2021-real-24rows.csv"
CACHE = HERE / "out" / "hikari-shaped-555278.csv"
RESULTS = HERE / "results" / "load.md"


def _random_strings(rng: np.random.Generator, n: int, length: int) -> np.ndarray:
    alphabet = np.array(list(string.ascii_letters + string.digits))
    return np.array(["".join(row) for row in alphabet[rng.integers(0, alphabet.size, (n, length))]])


def _like_real_floats(source: np.ndarray, noisy: np.ndarray) -> np.ndarray:
    """Round like the real file: whole numbers stay whole, others keep about 10 significant
    digits and at most 6 decimals (so the file has the real file's bytes per row)."""
    magnitude = np.floor(np.log10(np.maximum(np.abs(noisy), 1e-12)))
    scale = 10.0 ** np.clip(9 - magnitude, 0, 6)
    rounded = np.round(noisy * scale) / scale
    return np.where(source == np.round(source), np.round(noisy), rounded)


def build_frame(random_state: int = 0) -> pd.DataFrame:
    """A 555,278-row table with HIKARI-2021's columns, dtypes and class counts."""
    rng = np.random.default_rng(random_state)
    real = pd.read_csv(FIXTURE)
    real.columns = list(COLUMNS)
    n = sum(CLASS_COUNTS.values())
    pick = rng.integers(0, len(real), n)
    columns: dict[str, object] = {}
    for name in COLUMNS[2:-2]:
        values = real[name].to_numpy()[pick]
        if DTYPES[name] == "object":
            columns[name] = values
            continue
        noisy = values * rng.lognormal(0.0, 0.5, n)
        columns[name] = np.rint(noisy).astype(np.int64) if DTYPES[name] == "int64" else _like_real_floats(values, noisy)
    columns["uid"] = _random_strings(rng, n, 17)
    columns["originh"] = np.array([f"10.{a}.{b}.{c}" for a, b, c in rng.integers(0, 256, (1000, 3))])[rng.integers(0, 1000, n)]
    classes = np.repeat(list(CLASS_COUNTS), list(CLASS_COUNTS.values()))
    frame = pd.DataFrame({"": np.arange(n), "Unnamed: 0": rng.permutation(n), **columns})
    frame["traffic_category"] = classes
    frame["Label"] = np.array([CLASS_LABELS[c] for c in classes], dtype=np.int64)
    return frame[["", "Unnamed: 0", *COLUMNS[2:]]]


def ensure_csv(path: Path = CACHE) -> Path:
    """Write the stand-in CSV once (pyarrow's writer: fast, shortest float form)."""
    if path.exists():
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    table = pa.Table.from_pandas(build_frame(), preserve_index=False)
    tmp = path.with_suffix(".tmp")
    pa_csv.write_csv(table, tmp, write_options=pa_csv.WriteOptions(quoting_style="none"))
    tmp.replace(path)
    return path


def _cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)  # all threads of this process
    return usage.ru_utime + usage.ru_stime


def time_once(load, path: Path) -> tuple[float, float]:
    """Wall-clock and CPU seconds of one load."""
    start, cpu = time.perf_counter(), _cpu_seconds()
    df = load(path)
    elapsed, cpu = time.perf_counter() - start, _cpu_seconds() - cpu
    assert len(df) == 555_278, len(df)  # benchmark sanity, not user input
    return elapsed, cpu


def run(repeats: int) -> dict[str, list[tuple[float, float]]]:
    path = ensure_csv()
    os.environ["FLOWGAN_DATA"] = str(CACHE.parent / "flowgan-data")  # keep the parsed cache here
    load_hikari(path, cache=True)  # prime the parsed cache once (not timed)
    loaders = {
        "pandas.read_csv (plain)": pd.read_csv,
        "load_hikari, parsing the CSV (cache=False)": lambda p: load_hikari(p, cache=False),
        "load_hikari, parsed cache warm (default for big files)": lambda p: load_hikari(p, cache=True),
    }
    times: dict[str, list[tuple[float, float]]] = {name: [] for name in loaders}
    for _ in range(repeats):
        for name, load in loaders.items():
            times[name].append(time_once(load, path))
            wall, cpu = times[name][-1]
            print(f"{name}: {wall:.2f} s wall, {cpu:.2f} s CPU (load average {os.getloadavg()[0]:.1f})", flush=True)
    return times


def render(times: dict[str, list[tuple[float, float]]], path: Path) -> str:
    plain = statistics.median(w for w, _ in times["pandas.read_csv (plain)"])
    plain_cpu = statistics.median(c for _, c in times["pandas.read_csv (plain)"])
    lines = [
        "# Loading a 555,278-row HIKARI-2021-shaped CSV",
        "",
        f"File: {path.stat().st_size / 1e6:,.0f} MB, 88 columns (generated by `benchmarks/bench_load.py`;",
        "values tiled from the 24 real rows and perturbed, real class counts).",
        f"Machine: {platform.machine()}, {os.cpu_count()} CPUs shared with other jobs",
        f"(load average at the end {os.getloadavg()[0]:.1f}); Python {platform.python_version()},",
        f"pandas {pd.__version__}, pyarrow {pa.__version__}. Runs alternate between the loaders;",
        "every load_hikari run includes all of its checks and the conversion to pandas.",
        "",
        "CPU seconds count every thread of the process; on a busy shared machine they are the",
        "steadier measure of the work each loader does.",
        "",
        "| loader | wall runs (s) | median wall (s) | wall / pandas | median CPU (s) | CPU / pandas |",
        "|---|---|---:|---:|---:|---:|",
    ]
    for name, values in times.items():
        wall = statistics.median(w for w, _ in values)
        cpu = statistics.median(c for _, c in values)
        runs = ", ".join(f"{w:.2f}" for w, _ in values)
        lines.append(f"| {name} | {runs} | {wall:.2f} | {wall / plain:.2f} | {cpu:.2f} | {cpu / plain_cpu:.2f} |")
    lines += ["", "Target: load_hikari <= 0.33 x pandas.read_csv.", ""]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    times = run(args.repeats)
    text = render(times, CACHE)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(text)
    print(text)


if __name__ == "__main__":
    main()
