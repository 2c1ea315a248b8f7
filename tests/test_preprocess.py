"""preprocess() in both modes on the 24 real rows, and writing its output."""

import logging
from pathlib import Path

import pandas as pd
import pytest

from flowgan.datasets import load_hikari
from flowgan.datasets.schema import COLUMNS, DTYPES, FEATURE_COLUMNS
from flowgan.errors import FlowganError
from flowgan.preprocess import PreprocessResult, preprocess, resolve_output_path, write_preprocessed

FIXTURE = Path(__file__).parent / "fixtures" / "hikari2021-real-24rows.csv"


@pytest.fixture(scope="module")
def hikari():
    return load_hikari(FIXTURE)


def test_paper_mode_reproduces_seed_columns_and_defect(hikari, caplog):
    with caplog.at_level(logging.WARNING, logger="flowgan"):
        result = preprocess(hikari, mode="paper")
    expected = ["originp", "responp", *FEATURE_COLUMNS, "Label"]
    assert list(result.frame.columns) == expected
    assert len(result.frame) == 24
    assert {str(t) for t in result.frame.dtypes} == {"int64", "float64"}
    assert all(str(result.frame[c].dtype) == DTYPES[c] for c in expected)
    assert set(result.dropped) == {"Unnamed: 0.1", "Unnamed: 0", "uid", "originh", "responh", "traffic_category_Bruteforce-XML"}
    assert "dtype bool" in result.dropped["traffic_category_Bruteforce-XML"]
    assert "NO class column" in result.notes[0] and "traffic_category_Bruteforce-XML" in result.notes[0]
    assert "seed's defect" in caplog.text


def test_default_mode_keeps_class_and_label_drops_ids_and_ports(hikari):
    result = preprocess(hikari, mode="default")
    assert list(result.frame.columns) == [*FEATURE_COLUMNS, "traffic_category", "Label"]
    assert len(result.frame) == 24
    assert isinstance(result.frame["traffic_category"].dtype, pd.CategoricalDtype)
    assert all(str(result.frame[c].dtype) == DTYPES[c] for c in [*FEATURE_COLUMNS, "Label"])
    assert set(result.dropped) == {"Unnamed: 0.1", "Unnamed: 0", "uid", "originh", "responh", "originp", "responp"}
    assert any("--keep-ports" in note for note in result.notes)


def test_default_mode_keep_ports(hikari):
    result = preprocess(hikari, mode="default", keep_ports=True)
    assert list(result.frame.columns) == ["originp", "responp", *FEATURE_COLUMNS, "traffic_category", "Label"]
    assert "originp" not in result.dropped and result.notes == []


def test_input_frame_is_not_modified(hikari):
    before = list(hikari.columns)
    preprocess(hikari, mode="paper")
    preprocess(hikari, mode="default")
    assert list(hikari.columns) == before == list(COLUMNS)


def test_unknown_mode(hikari):
    with pytest.raises(FlowganError, match="unknown preprocessing mode 'fancy'"):
        preprocess(hikari, mode="fancy")


def test_output_path_rules(tmp_path):
    assert resolve_output_path(tmp_path, "paper") == tmp_path / "raw_data_preprocessed.csv"
    assert resolve_output_path(tmp_path / "new_dir", "paper") == tmp_path / "new_dir" / "raw_data_preprocessed.csv"
    assert resolve_output_path(tmp_path / "x.parquet", "default") == tmp_path / "x.parquet"


def test_write_parquet_round_trip_and_refuse_input(tmp_path, hikari):
    result = preprocess(hikari)
    target = write_preprocessed(result, tmp_path / "out.parquet", "default")
    pd.testing.assert_frame_equal(pd.read_parquet(target), result.frame)
    with pytest.raises(FlowganError, match="refusing to overwrite the input"):
        write_preprocessed(result, target, "default", inputs=(target,))


def test_result_is_frozen(hikari):
    result = preprocess(hikari)
    assert isinstance(result, PreprocessResult)
    with pytest.raises(AttributeError):
        result.frame = None
