"""load_hikari on the 24 real rows, and every bad-input case built from them."""

import logging
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from flowgan.datasets import load_hikari
from flowgan.datasets.schema import CLASSES, COLUMNS, DTYPES
from flowgan.errors import DataValidationError

FIXTURE = Path(__file__).parent / "fixtures" / "hikari2021-real-24rows.csv"


def _rows() -> list[list[str]]:
    return [line.split(",") for line in FIXTURE.read_text().splitlines()]


def _write(tmp_path: Path, rows: list[list[str]], name: str = "flows.csv") -> Path:
    path = tmp_path / name
    path.write_text("\n".join(",".join(r) for r in rows) + "\n")
    return path


def _with_cell(tmp_path: Path, row: int, column: str, value: str) -> Path:
    rows = _rows()
    rows[row + 1][COLUMNS.index(column)] = value
    return _write(tmp_path, rows)


def test_loads_real_rows_with_exact_schema():
    df = load_hikari(FIXTURE)
    assert list(df.columns) == list(COLUMNS)
    assert df.shape == (24, 88)
    for name in COLUMNS:
        expected = DTYPES[name]
        if name == "traffic_category":
            assert isinstance(df[name].dtype, pd.CategoricalDtype)
            assert list(df[name].cat.categories) == list(CLASSES)
        elif expected == "object":
            assert pd.api.types.is_string_dtype(df[name]), name
        else:
            assert str(df[name].dtype) == expected, name
    assert (df["traffic_category"] == "Bruteforce-XML").all()
    assert df["Label"].tolist() == [1] * 24
    assert df["Unnamed: 0.1"].tolist() == list(range(24))
    assert df.loc[0, "uid"] == "Cg61Jch3vdz9DBptj"
    assert df.loc[0, "flow_duration"] == pytest.approx(2.207588)
    assert df.loc[0, "responp"] == 443


def test_values_match_pandas_read_csv():
    ours = load_hikari(FIXTURE)
    theirs = pd.read_csv(FIXTURE)
    numeric = [c for c in COLUMNS[2:] if DTYPES[c] != "object"]
    np.testing.assert_allclose(ours[numeric].to_numpy(float), theirs[numeric].to_numpy(float), rtol=0, atol=0)


@pytest.mark.parametrize("first,second", [("Unnamed: 0.1", "Unnamed: 0"), ("Unnamed: 0", "Unnamed: 0.1")])
def test_both_index_naming_variants(tmp_path, first, second):
    rows = _rows()
    rows[0][:2] = [first, second]
    df = load_hikari(_write(tmp_path, rows))
    assert list(df.columns[:2]) == ["Unnamed: 0.1", "Unnamed: 0"]
    assert df["Unnamed: 0.1"].tolist() == list(range(24))


def test_reads_official_zip_without_unpacking(tmp_path):
    archive = tmp_path / "ALLFLOWMETER_HIKARI2021.csv.zip"
    with zipfile.ZipFile(archive, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.write(FIXTURE, "ALLFLOWMETER_HIKARI2021.csv")
    df = load_hikari(archive)
    pd.testing.assert_frame_equal(df, load_hikari(FIXTURE))
    assert sorted(p.name for p in tmp_path.iterdir()) == [archive.name]


def test_columns_in_another_order_are_reordered(tmp_path):
    rows = [[*r[:-2], r[-1], r[-2]] for r in _rows()]
    df = load_hikari(_write(tmp_path, rows))
    assert list(df.columns) == list(COLUMNS)
    assert df["Label"].tolist() == [1] * 24


def test_missing_file_is_named(tmp_path):
    with pytest.raises(DataValidationError, match=r"nope\.csv: no such file"):
        load_hikari(tmp_path / "nope.csv")


def test_empty_file(tmp_path):
    path = tmp_path / "empty.csv"
    path.write_bytes(b"")
    with pytest.raises(DataValidationError, match=r"empty\.csv: the file is empty"):
        load_hikari(path)


def test_header_without_rows(tmp_path):
    path = _write(tmp_path, _rows()[:1])
    with pytest.raises(DataValidationError, match="no data rows"):
        load_hikari(path)


def test_binary_file_is_not_a_csv(tmp_path):
    path = tmp_path / "image.csv"
    path.write_bytes(bytes(range(256)) * 4)
    with pytest.raises(DataValidationError, match=r"image\.csv: is not a CSV file"):
        load_hikari(path)


def test_text_without_commas_is_not_a_csv(tmp_path):
    path = tmp_path / "notes.csv"
    path.write_text("hello world\nsecond line\n")
    with pytest.raises(DataValidationError, match="not a CSV file.*single field 'hello world'"):
        load_hikari(path)


def test_zip_without_csv(tmp_path):
    archive = tmp_path / "data.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("readme.txt", "nothing here")
    with pytest.raises(DataValidationError, match=r"holds no \.csv file \(it holds readme\.txt\)"):
        load_hikari(archive)


def test_fake_zip(tmp_path):
    path = tmp_path / "data.csv.zip"
    path.write_text("not a zip")
    with pytest.raises(DataValidationError, match="not a zip archive"):
        load_hikari(path)


def test_ragged_row_is_malformed(tmp_path):
    rows = _rows()
    rows[5] = rows[5][:10]
    with pytest.raises(DataValidationError, match="not a well-formed CSV"):
        load_hikari(_write(tmp_path, rows))


def test_missing_and_extra_columns_are_named(tmp_path):
    rows = [[c for i, c in enumerate(r) if i != COLUMNS.index("flow_duration")] + ["x"] for r in _rows()]
    rows[0][-1] = "bwd_last_window_size"
    with pytest.raises(DataValidationError) as info:
        load_hikari(_write(tmp_path, rows))
    message = str(info.value)
    assert "missing column(s) ['flow_duration']" in message
    assert "unexpected column(s) ['bwd_last_window_size']" in message


def test_non_numeric_value_names_column_row_and_value(tmp_path):
    path = _with_cell(tmp_path, 7, "fwd_iat.max", "12ab")
    with pytest.raises(DataValidationError) as info:
        load_hikari(path)
    message = str(info.value)
    assert "'fwd_iat.max'" in message and "'12ab'" in message and "row 7 (file line 9)" in message


def test_fraction_in_integer_column(tmp_path):
    with pytest.raises(DataValidationError, match=r"'fwd_pkts_tot'.*1 non-integer.*'2\.5' at row 3"):
        load_hikari(_with_cell(tmp_path, 3, "fwd_pkts_tot", "2.5"))


def test_nan_and_inf_counted_per_column(tmp_path):
    rows = _rows()
    rows[3][COLUMNS.index("flow_duration")] = "inf"
    rows[5][COLUMNS.index("flow_duration")] = "-inf"
    rows[6][COLUMNS.index("active.max")] = "NaN"
    rows[9][COLUMNS.index("bwd_pkts_tot")] = ""
    path = _write(tmp_path, rows)
    with pytest.raises(DataValidationError) as info:
        load_hikari(path)
    message = str(info.value)
    assert "flow_duration: 0 missing/NaN, 2 infinite (first at row 2" in message
    assert "active.max: 1 missing/NaN, 0 infinite (first at row 5" in message
    assert "bwd_pkts_tot: 1 missing/NaN" in message
    assert "3 numeric column(s)" in message


def test_drop_invalid_drops_rows_and_logs(tmp_path, caplog):
    rows = _rows()
    rows[3][COLUMNS.index("flow_duration")] = "inf"
    rows[6][COLUMNS.index("active.max")] = "NaN"
    with caplog.at_level(logging.WARNING, logger="flowgan"):
        df = load_hikari(_write(tmp_path, rows), drop_invalid=True)
    assert len(df) == 22
    assert 2 not in df["Unnamed: 0.1"].tolist() and 5 not in df["Unnamed: 0.1"].tolist()
    assert np.isfinite(df["flow_duration"]).all()
    assert "dropped 2 of 24 rows" in caplog.text


def test_unknown_class_is_named(tmp_path):
    path = _with_cell(tmp_path, 4, "traffic_category", "DDoS")
    with pytest.raises(DataValidationError, match=r"unknown class name\(s\) \['DDoS'\] \(first at row 4"):
        load_hikari(path)


def test_label_inconsistent_with_class(tmp_path):
    rows = _rows()
    for row in (6, 8, 11):
        rows[row + 1][COLUMNS.index("Label")] = "0"
    with pytest.raises(DataValidationError, match=r"'Label' disagrees with 'traffic_category' in 3 row\(s\); the first is row 6"):
        load_hikari(_write(tmp_path, rows))


def test_parsed_cache_round_trip_and_invalidation(tmp_path, monkeypatch):
    monkeypatch.setenv("FLOWGAN_DATA", str(tmp_path / "data"))
    source = tmp_path / "h.csv"
    source.write_bytes(FIXTURE.read_bytes())
    first = load_hikari(source, cache=True)
    entries = list((tmp_path / "data" / "parsed").glob("*.arrow"))
    assert len(entries) == 1
    pd.testing.assert_frame_equal(load_hikari(source, cache=True), first)
    rows = _rows()
    rows[1][COLUMNS.index("flow_duration")] = "9.5"
    _write(tmp_path, rows, "h.csv")
    assert load_hikari(source, cache=True).loc[0, "flow_duration"] == 9.5
    assert len(list((tmp_path / "data" / "parsed").glob("*.arrow"))) == 1


def test_small_files_are_not_cached_by_default(tmp_path, monkeypatch):
    monkeypatch.setenv("FLOWGAN_DATA", str(tmp_path / "data"))
    load_hikari(FIXTURE)
    assert not (tmp_path / "data").exists()
