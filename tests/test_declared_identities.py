"""Declared identities: the file grammar, HIKARI's declarations, and the choice of discovered ones."""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from flowgan.constraints import Identity
from flowgan.constraints.declared import as_identities, check_declared, format_identity, parse_identities, read_identities
from flowgan.constraints.selection import select_identities
from flowgan.datasets.hikari import load_hikari
from flowgan.datasets.hikari_declared import DECLARED, hikari_identities
from flowgan.datasets.schema import FEATURE_COLUMNS
from flowgan.errors import FlowganError

FIXTURE = Path(__file__).parent / "fixtures" / "hikari2021-real-24rows.csv"


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("c = a + b", [Identity("sum", ("c", "a", "b"))]),
        ("flow_iat.tot = 1e6 * flow_duration", [Identity("scale", ("flow_iat.tot", "flow_duration"), factor=1e6)]),
        ("y = x * 2.5", [Identity("scale", ("y", "x"), factor=2.5)]),
        ("y = x / 4", [Identity("scale", ("y", "x"), factor=0.25)]),
        ("t = a / d", [Identity("ratio", ("t", "a", "d"))]),
        ("t = a / (d - 1)", [Identity("ratio", ("t", "a", "d"), offset=-1.0)]),
        ("t = a / (d1 + d2)", [Identity("ratio", ("t", "a", "d1", "d2"))]),
        ("t = a / (d1 + d2 - 1)", [Identity("ratio", ("t", "a", "d1", "d2"), offset=-1.0)]),
        ("lo <= mid <= hi", [Identity("order", ("lo", "mid")), Identity("order", ("mid", "hi"))]),
        ("hi >= lo", [Identity("order", ("lo", "hi"))]),
        ("x >= 0", [Identity("nonneg", ("x",))]),
        ("0 <= x", [Identity("nonneg", ("x",))]),
        ("n is integer", [Identity("integral", ("n",))]),
        ("` Fwd Len` = `Total Length` / ` Total Fwd Packets`  # CIC", [Identity("ratio", (" Fwd Len", "Total Length", " Total Fwd Packets"))]),
    ],
)
def test_lines_parse_to_identities(line, expected):
    assert parse_identities(line) == expected


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("c = a + b + d", "line 1"),
        ("a == b", "line 1"),
        ("\n# comment\nx = ", "line 3"),
        ("a <= b >= c", "one direction"),
        ("t = a / (d * 2)", "divisor"),
        ("y = x / 0", "division by 0"),
        ("a + b = c", "one column name on the left"),
        ("x = `unclosed", "cannot read"),
    ],
)
def test_bad_lines_name_the_line(text, words):
    with pytest.raises(FlowganError, match=words):
        parse_identities(text, "ids.txt")


def test_every_identity_round_trips_through_its_line():
    identities = parse_identities(DECLARED)
    assert parse_identities("\n".join(format_identity(i) for i in identities)) == identities


def test_identities_file_errors(tmp_path):
    with pytest.raises(FlowganError, match="not found"):
        read_identities(tmp_path / "missing.txt")
    empty = tmp_path / "empty.txt"
    empty.write_text("# nothing\n")
    with pytest.raises(FlowganError, match="declares no identity"):
        read_identities(empty)
    good = tmp_path / "ids.txt"
    good.write_text("c = a + b\n")
    assert as_identities(good) == as_identities(["c = a + b"]) == [Identity("sum", ("c", "a", "b"))]


def test_hikari_declarations_hold_on_the_real_rows():
    frame = load_hikari(FIXTURE)
    identities = hikari_identities(list(FEATURE_COLUMNS))
    assert len(identities) > 100
    kinds = {i.kind for i in identities}
    assert kinds == {"scale", "sum", "ratio", "order", "nonneg", "integral"}
    shares = check_declared(identities, frame[list(FEATURE_COLUMNS)].to_numpy(dtype=float), list(FEATURE_COLUMNS))
    assert max(shares) == 0.0
    assert hikari_identities(["a", "b"]) == []


def _table(n=400, seed=0):
    rng = np.random.default_rng(seed)
    a, b = rng.gamma(2.0, 10.0, n), rng.gamma(3.0, 5.0, n)
    return pd.DataFrame({"a": a, "b": b, "c": a + b, "noise": rng.normal(size=n)})


def test_declared_identity_broken_by_the_rows_is_an_error():
    frame = _table()
    with pytest.raises(FlowganError, match=r"'c = a \+ noise'.*broken on 100\.0%"):
        check_declared(parse_identities("c = a + noise"), frame.to_numpy(), list(frame.columns))
    with pytest.raises(FlowganError, match="'zzz'"):
        check_declared(parse_identities("zzz >= 0"), frame.to_numpy(), list(frame.columns))


def test_discovered_identities_are_confirmed_and_not_implied():
    frame = _table()
    # A coincidence of one half: 'noise' is non-negative on the first half of the rows only.
    codes = np.zeros(len(frame), dtype=int)
    values = frame.to_numpy().copy()
    kept, report = select_identities(values, list(frame.columns), codes, rng=0)
    assert Identity("sum", ("c", "a", "b")) in kept
    found = pd.DataFrame(report)
    assert set(found["source"]) == {"discovered"}
    # Declared: the sum is implied (rejected as such), nonneg of c is implied by a, b >= 0.
    kept, report = select_identities(values, list(frame.columns), codes, parse_identities("c = a + b\na >= 0\nb >= 0"), rng=0)
    found = pd.DataFrame(report).set_index("identity")
    assert found.loc["c = a + b", "source"] == "declared"
    assert found.loc["c >= 0", "reason"] == "implied by the declared identities"
    assert kept.count(Identity("sum", ("c", "a", "b"))) == 1


def test_a_coincidence_of_one_half_is_not_kept():
    rng = np.random.default_rng(3)
    n = 2000
    x = rng.normal(size=n)
    codes = np.zeros(n, dtype=int)
    # 'x' is non-negative on exactly the rows of one half; discovery on that half would find it.
    kept, report = select_identities(np.abs(x)[:, None] * np.where(rng.random(n) < 0.5, 1, -1)[:, None], ["x"], codes, rng=0)
    assert Identity("nonneg", ("x",)) not in kept
    kept, _ = select_identities(np.abs(x)[:, None], ["x"], codes, rng=0)
    assert Identity("nonneg", ("x",)) in kept


def test_a_known_identity_the_rows_break_is_reported_not_obeyed(caplog):
    frame = _table()
    known = parse_identities("c = a + b\nc = a + noise")
    kept, report = select_identities(frame.to_numpy(), list(frame.columns), np.zeros(len(frame), dtype=int), known=known,
                                      discover=False, rng=0)  # fmt: skip
    assert kept == [Identity("sum", ("c", "a", "b"))]
    rejected = [r for r in report if not r["kept"]]
    assert [r["identity"] for r in rejected] == ["c = a + noise"] and "broken on 100.00%" in rejected[0]["reason"]
    assert "c = a + noise" in caplog.text
