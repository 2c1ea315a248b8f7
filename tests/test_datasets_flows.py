"""load_flows / load_dataset / spec_from_options on generic flow tables."""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from flowgan.datasets import HIKARI_SPEC, DatasetSpec, load_dataset, load_flows, load_hikari, spec_from_options
from flowgan.errors import DataValidationError

FIXTURE = Path(__file__).parent / "fixtures" / "hikari2021-real-24rows.csv"
CIC_SPEC = DatasetSpec(class_col="Label", label_col=None, drop=("Flow ID", "Source IP"), port_cols=("Destination Port",))


def _cic_like(tmp_path: Path, n: int = 12, **overrides) -> Path:
    """A small CIC-IDS2017-style export: text id columns, numeric features, text class."""
    rng = np.random.default_rng(0)
    df = pd.DataFrame(
        {
            "Flow ID": [f"flow-{i}" for i in range(n)],
            "Source IP": ["10.0.0.1"] * n,
            "Destination Port": rng.integers(1, 1000, n),
            "Flow Duration": rng.integers(0, 10_000, n),
            "Flow Bytes/s": rng.random(n) * 100,
            "Label": ["BENIGN", "DoS Hulk", "BENIGN", "PortScan"] * (n // 4),
        }
    )
    for column, (row, value) in overrides.items():
        df[column] = df[column].astype(object)
        df.loc[row, column] = value
    path = tmp_path / "cic.csv"
    df.rename(columns=lambda c: c.replace("_", " ")).to_csv(path, index=False)
    return path


def test_generic_csv_with_text_class(tmp_path):
    df = load_flows(_cic_like(tmp_path), CIC_SPEC)
    assert df.shape == (12, 6)
    assert isinstance(df["Label"].dtype, pd.CategoricalDtype)
    assert list(df["Label"].cat.categories) == ["BENIGN", "DoS Hulk", "PortScan"]
    assert str(df["Flow Duration"].dtype) == "int64" and str(df["Flow Bytes/s"].dtype) == "float64"


def test_parquet_input(tmp_path):
    source = load_flows(_cic_like(tmp_path), CIC_SPEC)
    path = tmp_path / "cic.parquet"
    source.to_parquet(path)
    df = load_flows(path, CIC_SPEC)
    pd.testing.assert_frame_equal(df, source)


def test_missing_class_column(tmp_path):
    with pytest.raises(DataValidationError, match="has no class column 'attack_cat'; name it with --class-col"):
        load_flows(_cic_like(tmp_path), DatasetSpec(class_col="attack_cat", label_col=None))


def test_missing_label_column(tmp_path):
    with pytest.raises(DataValidationError, match="has no label column 'is_attack'"):
        load_flows(_cic_like(tmp_path), DatasetSpec(class_col="Label", label_col="is_attack", drop=CIC_SPEC.drop))


def test_text_feature_names_column_row_value_and_hint(tmp_path):
    path = _cic_like(tmp_path)
    spec = DatasetSpec(class_col="Label", label_col=None, drop=("Flow ID",))
    with pytest.raises(DataValidationError, match=r"feature column 'Source IP' is not numeric .*'10\.0\.0\.1' at row 0.*--drop 'Source IP'"):
        load_flows(path, spec)


def test_non_numeric_value_in_later_row(tmp_path):
    path = _cic_like(tmp_path, **{"Flow Duration": (9, "n/a?")})
    with pytest.raises(DataValidationError, match=r"'Flow Duration'.*'n/a\?' at row 9"):
        load_flows(path, CIC_SPEC)


def test_infinity_counted_or_dropped(tmp_path):
    path = _cic_like(tmp_path, **{"Flow Bytes/s": (4, "Infinity")})
    with pytest.raises(DataValidationError, match=r"Flow Bytes/s: 0 missing/NaN, 1 infinite \(first at row 4"):
        load_flows(path, CIC_SPEC)
    assert len(load_flows(path, CIC_SPEC, drop_invalid=True)) == 11


def test_label_must_be_binary_and_constant_per_class(tmp_path):
    df = load_hikari(FIXTURE)
    df["Label"] = 2
    path = tmp_path / "h.parquet"
    df.to_parquet(path)
    with pytest.raises(DataValidationError, match=r"'Label' must hold 0/1 only, it also holds \[2\]"):
        load_flows(path, HIKARI_SPEC)
    df["Label"] = [0, 1] * 12
    df.to_parquet(path)
    with pytest.raises(DataValidationError, match=r"not constant within class\(es\) \['Bruteforce-XML'\]"):
        load_flows(path, HIKARI_SPEC)


def test_load_dataset_picks_hikari_for_hikari_header():
    df = load_dataset(FIXTURE)
    assert list(df["traffic_category"].cat.categories)[0] == "Benign"  # HIKARI's class order, not sorted
    assert df.shape == (24, 88)


def test_load_dataset_uses_load_flows_otherwise(tmp_path):
    df = load_dataset(_cic_like(tmp_path), CIC_SPEC)
    assert df["Label"].value_counts()["BENIGN"] == 6


def test_spec_from_options():
    assert spec_from_options() is None
    spec = spec_from_options(class_col="Label", drop=["Flow ID,Source IP", "Timestamp"])
    assert spec.class_col == "Label" and spec.label_col is None
    assert spec.drop == ("Flow ID", "Source IP", "Timestamp")
    assert spec_from_options(label_col="none").label_col is None
    assert spec_from_options(drop=["x"]).class_col == "traffic_category"
