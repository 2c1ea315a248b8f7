"""Simulated data is read by load_hikari exactly like the real file."""

import pandas as pd

from flowgan.datasets import load_hikari
from flowgan.datasets.schema import CLASSES, COLUMNS, DTYPES
from flowgan.datasets.simulate import simulate_hikari
from flowgan.datasets.writer import write_hikari


def test_simulated_csv_and_parquet_load_with_the_real_schema(tmp_path):
    df = simulate_hikari(n_rows=600, seed=5)
    for name in ("sim.csv", "sim.parquet"):
        path = write_hikari(df, tmp_path / name)
        if name.endswith(".csv"):
            loaded = load_hikari(path, cache=False)
        else:
            loaded = pd.read_parquet(path)
        assert list(loaded.columns) == list(COLUMNS)
        numeric = [c for c in COLUMNS if DTYPES[c] in ("int64", "float64")]
        assert {c: str(loaded[c].dtype) for c in numeric} == {c: DTYPES[c] for c in numeric}
        assert list(loaded["traffic_category"].cat.categories) == list(CLASSES)
        pd.testing.assert_frame_equal(loaded[numeric], df[numeric])
        assert (loaded["uid"].astype(str) == df["uid"].astype(str)).all()
