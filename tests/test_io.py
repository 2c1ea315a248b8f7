import os
import stat

import pandas as pd
import pytest

from flowgan.errors import FlowganError
from flowgan.io import atomic_path, refuse_overwrite, write_json, write_table


def test_write_table_by_extension_and_normal_permissions(tmp_path):
    df = pd.DataFrame({"a": [1, 2], "b": [0.5, 1.5]})
    csv = write_table(df, tmp_path / "t.csv")
    pq = write_table(df, tmp_path / "t.parquet")
    pd.testing.assert_frame_equal(pd.read_csv(csv), df)
    pd.testing.assert_frame_equal(pd.read_parquet(pq), df)
    assert stat.S_IMODE(os.stat(csv).st_mode) & 0o044  # readable by others, not mkstemp's 0600
    with pytest.raises(FlowganError, match=r"\.csv or \.parquet"):
        write_table(df, tmp_path / "t.xlsx")


def test_failed_write_leaves_nothing_behind(tmp_path):
    target = tmp_path / "out.txt"
    with pytest.raises(RuntimeError):
        with atomic_path(target) as tmp:
            tmp.write_text("partial")
            raise RuntimeError("boom")
    assert list(tmp_path.iterdir()) == []


def test_refuse_overwrite_names_the_input(tmp_path):
    src = tmp_path / "in.csv"
    src.write_text("x")
    with pytest.raises(FlowganError, match="in.csv"):
        refuse_overwrite(tmp_path / "." / "in.csv", [src])


def test_write_json_turns_non_finite_into_null(tmp_path):
    path = write_json(tmp_path / "r.json", {"x": float("nan"), "y": [1.0, float("inf")]})
    assert path.read_text().replace(" ", "").replace("\n", "") == '{"x":null,"y":[1.0,null]}'
