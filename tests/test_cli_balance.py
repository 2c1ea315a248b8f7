"""`flowgan balance` end to end on a tiny simulated file, in tmp_path."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from flowgan.cli import main
from flowgan.datasets.schema import FEATURE_COLUMNS
from flowgan.datasets.simulate import simulate_hikari


@pytest.fixture
def flows_csv(tmp_path):
    frame = simulate_hikari(class_counts={"Benign": 120, "Probing": 60, "Bruteforce": 25}, seed=1)
    path = tmp_path / "flows.parquet"
    frame.to_parquet(path)
    return path, frame


def test_balance_writes_original_plus_marked_synthetic_rows(flows_csv, tmp_path):
    path, frame = flows_csv
    out = tmp_path / "balanced.parquet"
    main(["balance", str(path), "--strategy", '{"Probing": 100, "Bruteforce": 90}', "--out", str(out), "--epochs", "1"])
    result = pd.read_parquet(out)
    assert result["is_synthetic"].sum() == 40 + 65
    original = result[~result["is_synthetic"]].drop(columns="is_synthetic").reset_index(drop=True)
    pd.testing.assert_frame_equal(original, frame, check_dtype=False, check_categorical=False)
    synthetic = result[result["is_synthetic"]]
    assert synthetic["traffic_category"].astype(str).value_counts().to_dict() == {"Bruteforce": 65, "Probing": 40}
    assert (synthetic["Label"] == 1).all()
    assert np.isfinite(synthetic[list(FEATURE_COLUMNS)].to_numpy(dtype=float)).all()


def test_balance_refuses_to_overwrite_its_input(flows_csv, cli_error):
    path, _ = flows_csv
    assert "refusing to overwrite" in cli_error(["balance", str(path), "--out", str(path)])


def test_balance_names_unknown_strategy_class(flows_csv, tmp_path, cli_error):
    path, _ = flows_csv
    assert "Nope" in cli_error(["balance", str(path), "--strategy", '{"Nope": 500}', "--out", str(tmp_path / "o.csv")])


def test_balance_validates_its_input_with_the_loader(tmp_path, cli_error):
    bad = tmp_path / "bad.csv"
    bad.write_text("a,b,label\n1,x,A\n2,3,B\n")
    err = cli_error(["balance", str(bad), "--out", str(tmp_path / "o.csv"), "--class-col", "label", "--label-col", ""])
    assert "bad.csv" in err and "feature column 'b' is not numeric" in err
    assert not (tmp_path / "o.csv").exists()
