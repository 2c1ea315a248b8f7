"""flowgan info / preprocess in-process on the 24 real rows."""

import json
from pathlib import Path

import pandas as pd
import pytest

from flowgan.cli import main
from flowgan.datasets.schema import FEATURE_COLUMNS

FIXTURE = Path(__file__).parent / "fixtures" / "hikari2021-real-24rows.csv"


def test_info_json_reports_rows_classes_and_degenerate_columns(capsys):
    main(["info", str(FIXTURE), "--json"])
    summary = json.loads(capsys.readouterr().out)
    assert summary["n_rows"] == 24 and summary["n_columns"] == 88
    assert summary["class_counts"]["Bruteforce-XML"] == 24
    assert summary["class_counts"]["Benign"] == 0
    assert summary["class_shares"]["Bruteforce-XML"] == 1.0
    assert summary["imbalance_ratio"] == 1.0
    assert summary["constant_columns"]["responp"] == 443
    assert summary["zero_shares"]["fwd_bulk_bytes"] == 1.0
    assert summary["memory_bytes"] > 0


def test_info_tables(capsys):
    main(["info", str(FIXTURE)])
    out = capsys.readouterr().out
    assert "Bruteforce-XML" in out and "100.00%" in out
    assert "constant columns" in out and "imbalance ratio" in out


def test_info_bad_file_is_one_red_line(tmp_path, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["info", str(tmp_path / "missing.csv")])
    assert exit_info.value.code == 2
    assert "missing.csv: no such file" in capsys.readouterr().err


def test_preprocess_paper_into_directory(tmp_path, capsys):
    main(["preprocess", str(FIXTURE), "--mode", "paper", "--out", str(tmp_path)])
    written = pd.read_csv(tmp_path / "raw_data_preprocessed.csv")
    assert list(written.columns) == ["originp", "responp", *FEATURE_COLUMNS, "Label"]
    assert len(written) == 24
    out = capsys.readouterr().out
    assert "seed's defect" in out and "traffic_category_Bruteforce-XML" in out


def test_preprocess_default_parquet_keep_ports(tmp_path):
    out = tmp_path / "flows.parquet"
    main(["preprocess", str(FIXTURE), "--out", str(out), "--keep-ports"])
    written = pd.read_parquet(out)
    assert list(written.columns) == ["originp", "responp", *FEATURE_COLUMNS, "traffic_category", "Label"]
    assert isinstance(written["traffic_category"].dtype, pd.CategoricalDtype)


def test_preprocess_generic_spec_with_drop_options(tmp_path):
    source = tmp_path / "cic.csv"
    pd.DataFrame({"Flow ID": ["a", "b", "c"], "Src IP": ["1", "2", "x"], "Dur": [1, 2, 3], "Label": ["BENIGN", "DoS", "DoS"]}).to_csv(source, index=False)
    out = tmp_path / "out.csv"
    main(["preprocess", str(source), "--out", str(out), "--class-col", "Label", "--drop", "Flow ID,Src IP"])
    assert list(pd.read_csv(out).columns) == ["Dur", "Label"]
    main(["info", str(source), "--class-col", "Label", "--drop", "Flow ID", "--drop", "Src IP"])
    # the written table no longer has the dropped columns, and a column to drop must exist
    with pytest.raises(SystemExit) as exit_info:
        main(["info", str(out), "--class-col", "Label", "--drop", "Flow ID"])
    assert exit_info.value.code == 2


def test_preprocess_refuses_to_overwrite_input(tmp_path, capsys):
    copy = tmp_path / "in.csv"
    copy.write_bytes(FIXTURE.read_bytes())
    with pytest.raises(SystemExit) as exit_info:
        main(["preprocess", str(copy), "--out", str(copy)])
    assert exit_info.value.code == 2
    assert "refusing to overwrite the input" in capsys.readouterr().err
    assert copy.read_bytes() == FIXTURE.read_bytes()
