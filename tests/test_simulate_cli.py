"""`flowgan simulate` end to end, in process."""

import pandas as pd
import pytest

from flowgan.cli import main


def run(args):
    try:
        main(args)
    except SystemExit as exc:
        return exc.code
    return 0


def test_simulate_writes_the_requested_rows(tmp_path, capsys):
    out = tmp_path / "sim.csv"
    assert run(["simulate", "--rows", "120", "--seed", "3", "--out", str(out)]) == 0
    df = pd.read_csv(out)
    assert len(df) == 120 and df.columns[2] == "uid"
    assert "wrote 120 simulated rows" in capsys.readouterr().out


def test_simulate_class_counts_to_parquet(tmp_path):
    out = tmp_path / "sim.parquet"
    assert run(["simulate", "--class-counts", '{"Probing": 7, "Bruteforce": 5}', "--out", str(out)]) == 0
    counts = pd.read_parquet(out)["traffic_category"].value_counts()
    assert (counts["Probing"], counts["Bruteforce"], counts["Benign"]) == (7, 5, 0)


@pytest.mark.parametrize(
    "args, message",
    [
        (["--class-counts", "{Benign: 3"], "not valid JSON"),
        (["--class-counts", "[1, 2]"], "JSON object"),
        (["--class-counts", '{"Botnet": 3}'], "unknown class 'Botnet'"),
        (["--class-counts", '{"Benign": -3}'], "positive integer"),
        (["--rows", "0"], "at least 6"),
        (["--scale", "-1"], "positive"),
    ],
)
def test_bad_options_give_one_clear_line(tmp_path, capsys, args, message):
    out = tmp_path / "x.csv"
    assert run(["simulate", *args, "--out", str(out)]) == 2
    assert message in capsys.readouterr().err
    assert not out.exists()


def test_unknown_extension_is_refused(tmp_path, capsys):
    assert run(["simulate", "--rows", "10", "--out", str(tmp_path / "x.json")]) == 2
    assert ".csv or .parquet" in capsys.readouterr().err
