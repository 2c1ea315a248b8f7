"""`--identities FILE` on train, run, balance and evaluate; `--drop` / `--class-col` with
CIC-IDS2017's space-prefixed column names."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from flowgan.cli import main

IDENTITIES = "# a CIC-style table\n` c` = a + b   # the sum\na >= 0\n"


def cic_table(counts=(("BENIGN", 60), ("DoS", 60)), seed=0) -> pd.DataFrame:
    """Non-HIKARI columns, some with a leading space as in CIC-IDS2017 exports."""
    rng = np.random.default_rng(seed)
    parts = []
    for i, (klass, n) in enumerate(counts):
        a = rng.gamma(2.0, 10.0 * (i + 1), n)
        b = rng.gamma(3.0, 5.0, n)
        parts.append(pd.DataFrame({
            " Source IP": [f"10.0.{i}.{k % 250}" for k in range(n)],
            "a": a, "b": b, " c": a + b, "d": rng.normal(5.0 * i, 1.0, n),
            " Label": klass,
        }))  # fmt: skip
    return pd.concat(parts, ignore_index=True)


@pytest.fixture
def cic_file(tmp_path):
    path = tmp_path / "cic.csv"
    cic_table().to_csv(path, index=False)
    return path


@pytest.fixture
def ids_file(tmp_path):
    path = tmp_path / "ids.txt"
    path.write_text(IDENTITIES, encoding="utf-8")
    return path


TRAIN = ["--epochs", "1", "--seed", "0", "--device", "cpu"]


def test_train_obeys_declared_identities(cic_file, ids_file, tmp_path, capsys):
    model_dir = tmp_path / "model"
    main(["train", str(cic_file), *TRAIN, "--class-col", " Label", "--drop", " Source IP", "--identities", str(ids_file), "--out", str(model_dir)])
    assert "trained cgan on 4 features" in capsys.readouterr().out
    out = tmp_path / "gen.parquet"
    main(["generate", "--model-dir", str(model_dir), "-n", "300", "--class", "DoS", "--out", str(out)])
    rows = pd.read_parquet(out)
    assert list(rows.columns[:4]) == ["a", "b", " c", "d"]
    np.testing.assert_allclose(rows[" c"], rows["a"] + rows["b"], rtol=1e-9)
    assert (rows["a"] >= 0).all()
    config = json.loads((model_dir / "config.json").read_text())
    assert "` c` = a + b" in json.dumps(config) or " c = a + b" in json.dumps(config)


def test_missing_identities_file(cic_file, tmp_path, cli_error):
    model_dir = tmp_path / "model"
    err = cli_error(["train", str(cic_file), *TRAIN, "--class-col", " Label", "--drop", " Source IP", "--identities", str(tmp_path / "missing.txt"),
                     "--out", str(model_dir)])  # fmt: skip
    assert "missing.txt" in err and "not found" in err and len(err.strip().splitlines()) == 1
    assert not model_dir.exists()


def test_bad_identities_line(cic_file, tmp_path, cli_error):
    bad = tmp_path / "bad.txt"
    bad.write_text("` c` = a + b\n\na ~ b\n", encoding="utf-8")
    out_root = tmp_path / "runs"
    err = cli_error(["run", str(cic_file), "--class-col", " Label", "--drop", " Source IP", "--identities", str(bad),
                     "--out-root", str(out_root), "--epochs", "1", "--no-evaluate"])  # fmt: skip
    assert "bad.txt, line 3" in err and "a ~ b" in err
    assert not out_root.exists()


def test_identity_the_rows_break(cic_file, tmp_path, cli_error):
    broken = tmp_path / "broken.txt"
    broken.write_text("a = b + ` c`\n", encoding="utf-8")
    model_dir = tmp_path / "model"
    err = cli_error(["train", str(cic_file), *TRAIN, "--class-col", " Label", "--drop", " Source IP", "--identities", str(broken), "--out", str(model_dir)])
    assert "a = b +  c" in err or "a = b + ` c`" in err
    assert "%" in err
    assert not model_dir.exists()


def test_balance_with_identities(cic_file, ids_file, tmp_path):
    table = cic_table(counts=(("BENIGN", 80), ("DoS", 40)))
    table.to_csv(cic_file, index=False)
    out = tmp_path / "balanced.parquet"
    main(["balance", str(cic_file), "--out", str(out), "--class-col", "Label", "--drop", "Source IP", "--epochs", "1",
          "--identities", str(ids_file)])  # fmt: skip
    rows = pd.read_parquet(out)
    synthetic = rows[rows["is_synthetic"]]
    assert len(synthetic) == 40 and (synthetic[" Label"] == "DoS").all()
    np.testing.assert_allclose(synthetic[" c"], synthetic["a"] + synthetic["b"], rtol=1e-9)


def test_evaluate_with_identities(cic_file, ids_file, tmp_path):
    cic_table(counts=(("BENIGN", 80), ("DoS", 40))).to_csv(cic_file, index=False)
    out = tmp_path / "ev"
    main(["evaluate", str(cic_file), "--out", str(out), "--class-col", " Label", "--drop", "Source IP",
          "--methods", "none,cgan", "--classifiers", "rf", "--seeds", "1", "--epochs", "1", "--no-tstr",
          "--identities", str(ids_file)])  # fmt: skip
    config = json.loads((out / "evaluation.json").read_text())["config"]
    assert config["generator_params"]["cgan"]["identities"][0].replace("`", "").strip().startswith("c = a + b")
    assert config["methods"] == ["none", "cgan"]


def test_evaluate_missing_identities_writes_nothing(cic_file, tmp_path, cli_error):
    out = tmp_path / "ev"
    err = cli_error(["evaluate", str(cic_file), "--out", str(out), "--class-col", " Label", "--drop", "Source IP",
                     "--identities", str(tmp_path / "nope.txt")])  # fmt: skip
    assert "nope.txt" in err and not out.exists()


def test_drop_finds_space_prefixed_columns(cic_file, tmp_path, capsys):
    for i, drop in enumerate(["Source IP", " Source IP", "Source IP,d", "d, Source IP"]):
        main(["train", str(cic_file), *TRAIN, "--class-col", "Label", "--drop", drop, "--out", str(tmp_path / f"m{i}")])
    printed = capsys.readouterr().out
    assert printed.count("trained cgan on 4 features") == 2 and printed.count("trained cgan on 3 features") == 2


def test_unknown_drop_column_is_named(cic_file, tmp_path, cli_error):
    err = cli_error(["train", str(cic_file), *TRAIN, "--class-col", " Label", "--drop", " Source IP,Flow ID", "--out", str(tmp_path / "m")])
    assert "'Flow ID'" in err and "drop" in err
    assert not (tmp_path / "m").exists()


def test_run_records_identity_counts(cic_file, ids_file, tmp_path):
    main(["run", str(cic_file), "--class-col", " Label", "--drop", "Source IP", "--identities", str(ids_file),
          "--model", "cgan", "--epochs", "1", "--device", "cpu", "--no-evaluate", "--out-root", str(tmp_path), "--name", "r"])  # fmt: skip
    results = json.loads((tmp_path / "r" / "results.json").read_text())
    counts = results["models"]["cgan"]["identities"]
    assert counts["declared"] == 2 and counts["discovered_kept"] >= 0 and counts["discovered_rejected"] >= 0
    assert results["settings"]["identities"] == str(ids_file)
    rows = pd.read_csv(tmp_path / "r" / "synthetic_cgan.csv")
    np.testing.assert_allclose(rows[" c"], rows["a"] + rows["b"], rtol=1e-9)
