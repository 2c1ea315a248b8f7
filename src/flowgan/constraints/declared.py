"""Identities a user declares, one relation a line, and the check that the training rows obey them.

The grammar (``#`` starts a comment; a column name that is not a bare ``[A-Za-z0-9_.]+`` token
is quoted with backticks, spaces kept: ```` ` Total Fwd Packets` ````)::

    flow_pkts_payload.tot = fwd_pkts_payload.tot + bwd_pkts_payload.tot   # sum of two columns
    flow_iat.tot = 1e6 * flow_duration                                     # scale (also X * k, X / k)
    fwd_pkts_per_sec = fwd_pkts_tot / flow_duration                        # ratio, 0 where the divisor is 0
    flow_pkts_payload.avg = flow_pkts_payload.tot / (fwd_pkts_tot + bwd_pkts_tot)
    fwd_iat.avg = fwd_iat.tot / (fwd_pkts_tot - 1)                         # 0 where the divisor is <= 0
    fwd_iat.min <= fwd_iat.avg <= fwd_iat.max                              # orderings (also >=)
    flow_duration >= 0                                                     # non-negative
    fwd_pkts_tot is integer                                                # whole numbers

Each line becomes one or more :class:`~flowgan.constraints.relations.Identity`.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Sequence
from pathlib import Path

import numpy as np

from flowgan.constraints.relations import Identity
from flowgan.errors import FlowganError

CONTRADICTION_RTOL = 1e-3
"""Tolerance of the check that training rows obey a declared equality: loose enough for values
printed with a few digits (HIKARI's ``flow_iat.tot`` and ``flow_duration`` differ by up to
26 us on real rows), tight enough to catch a wrong relation."""
MAX_BROKEN_SHARE = 0.01
"""A declared identity broken on more than this share of the training rows is an error."""

_TOKEN = re.compile(r"\s*(?:`([^`]*)`|([A-Za-z_][A-Za-z0-9_.]*)|(\d+(?:\.\d*)?(?:[eE][-+]?\d+)?|\.\d+(?:[eE][-+]?\d+)?)|(<=|>=|[-+*/()=]))")
_INTEGER_WORDS = ("is integer", "is integral")


def parse_identities(text: str, source: str = "identities") -> list[Identity]:
    """Identities declared in ``text`` (see the module docstring); ``source`` names it in errors."""
    out: list[Identity] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = _strip_comment(raw).strip()
        if not line:
            continue
        try:
            out += parse_line(line)
        except FlowganError as error:
            raise FlowganError(f"{source}, line {number}: {error} in {line!r}") from None
    return out


def read_identities(path: str | os.PathLike) -> list[Identity]:
    """Identities declared in the file ``path`` (one relation a line)."""
    path = Path(path)
    if not path.is_file():
        raise FlowganError(f"{path}: identities file not found")
    text = path.read_text(encoding="utf-8")
    identities = parse_identities(text, str(path))
    if not identities:
        raise FlowganError(f"{path}: the identities file declares no identity")
    return identities


def as_identities(value: str | os.PathLike | Identity | Iterable[str | Identity] | None) -> list[Identity]:
    """Declared identities from a path, one text, or a list of lines and :class:`Identity` objects."""
    if value is None:
        return []
    if isinstance(value, Identity):
        return [value]
    if isinstance(value, os.PathLike):
        return read_identities(value)
    if isinstance(value, str):
        return parse_identities(value)
    out: list[Identity] = []
    for item in value:
        out += [item] if isinstance(item, Identity) else parse_identities(str(item))
    return out


def parse_line(line: str) -> list[Identity]:
    """The identities of one relation (no comment); raises FlowganError when it is not understood."""
    lowered = line.lower()
    for word in _INTEGER_WORDS:
        if lowered.endswith(word):
            return [Identity("integral", (_one_name(_tokens(line[: -len(word)]), line),))]
    tokens = _tokens(line)
    ops = [t for t in tokens if t[0] == "op" and t[1] in ("<=", ">=")]
    if ops:
        return _orders(tokens)
    if sum(1 for t in tokens if t == ("op", "=")) != 1:
        raise FlowganError("expected one '=', '<=' or '>=' (or 'is integer')")
    at = tokens.index(("op", "="))
    left, right = tokens[:at], tokens[at + 1 :]
    target = _one_name(left, line)
    return [_equality(target, right)]


def _strip_comment(line: str) -> str:
    inside = False
    for i, char in enumerate(line):
        if char == "`":
            inside = not inside
        elif char == "#" and not inside:
            return line[:i]
    return line


def _tokens(text: str) -> list[tuple[str, str]]:
    """``("name", n)``, ``("num", x)`` and ``("op", o)`` tokens of ``text``."""
    out, pos, text = [], 0, text.rstrip()
    while pos < len(text):
        match = _TOKEN.match(text, pos)
        if not match or match.end() == pos:
            raise FlowganError(f"cannot read {text[pos:].strip()!r}")
        quoted, bare, number, op = match.groups()
        if quoted is not None:
            if not quoted:
                raise FlowganError("empty column name ``")
            out.append(("name", quoted))
        elif bare is not None:
            out.append(("name", bare))
        elif number is not None:
            out.append(("num", number))
        else:
            out.append(("op", op))
        pos = match.end()
    return out


def _one_name(tokens: list[tuple[str, str]], line: str) -> str:
    if len(tokens) != 1 or tokens[0][0] != "name":
        raise FlowganError("expected one column name on the left")
    return tokens[0][1]


def _orders(tokens: list[tuple[str, str]]) -> list[Identity]:
    """``a <= b [<= c]``, ``a >= b [>= c]``, ``x >= 0``."""
    terms, ops = tokens[0::2], tokens[1::2]
    if len(tokens) % 2 == 0 or len({o[1] for o in ops}) != 1 or any(o[0] != "op" for o in ops):
        raise FlowganError("an ordering is 'a <= b', 'a <= b <= c' or 'a >= b' (one direction)")
    if ops[0][1] == ">=":
        terms = terms[::-1]
    if len(terms) == 2 and terms[0] == ("num", "0") and terms[1][0] == "name":
        return [Identity("nonneg", (terms[1][1],))]
    if any(t[0] != "name" for t in terms):
        raise FlowganError("orderings compare column names (or 'x >= 0')")
    return [Identity("order", (low[1], high[1])) for low, high in zip(terms, terms[1:])]


def _equality(target: str, right: list[tuple[str, str]]) -> Identity:
    kinds = [t[0] for t in right]
    values = [t[1] for t in right]
    if kinds == ["name", "op", "name"] and values[1] == "+":
        return Identity("sum", (target, values[0], values[2]))
    if kinds == ["num", "op", "name"] and values[1] == "*":
        return Identity("scale", (target, values[2]), factor=float(values[0]))
    if kinds == ["name", "op", "num"] and values[1] in "*/":
        factor = float(values[2])
        if values[1] == "/" and factor == 0:
            raise FlowganError("division by 0")
        return Identity("scale", (target, values[0]), factor=factor if values[1] == "*" else 1.0 / factor)
    if len(right) >= 3 and kinds[0] == "name" and values[1] == "/":
        divisors, offset = _divisor(right[2:])
        return Identity("ratio", (target, values[0], *divisors), offset=offset)
    raise FlowganError("expected 'a + b', 'k * x', 'x * k', 'x / k', 'a / d' or 'a / (d1 [+ d2] [- 1])' on the right")


def _divisor(tokens: list[tuple[str, str]]) -> tuple[list[str], float]:
    if len(tokens) == 1 and tokens[0][0] == "name":
        return [tokens[0][1]], 0.0
    if len(tokens) < 3 or tokens[0] != ("op", "(") or tokens[-1] != ("op", ")"):
        raise FlowganError("a divisor of several terms is written in parentheses")
    inner = tokens[1:-1]
    names, offset, sign = [], 0.0, 1.0
    for i, (kind, value) in enumerate(inner):
        if i % 2:
            if kind != "op" or value not in "+-":
                raise FlowganError("a divisor adds columns and may subtract a number")
            sign = 1.0 if value == "+" else -1.0
        elif kind == "name" and sign > 0 and not offset:
            names.append(value)
        elif kind == "num" and i == len(inner) - 1 and i > 0:
            offset = sign * float(value)
        else:
            raise FlowganError("a divisor is 'd', '(d1 + d2)', '(d - k)' or '(d1 + d2 - k)'")
    if not 1 <= len(names) <= 2:
        raise FlowganError("a divisor has one or two columns")
    return names, offset


def broken_shares(identities: Sequence[Identity], values: np.ndarray, names: Sequence[str], source: str = "the training rows") -> list[float]:
    """Share of rows of ``values`` breaking each identity (at :data:`CONTRADICTION_RTOL`); raises
    when one names a column that is not among ``names``."""
    index = {name: j for j, name in enumerate(names)}
    shares = []
    for ident in identities:
        missing = [c for c in ident.columns if c not in index]
        if missing:
            raise FlowganError(f"declared identity {ident.describe()!r} names column {missing[0]!r}, which is not a feature of {source}")
        cols = {c: values[:, index[c]] for c in ident.columns}
        shares.append(float(np.mean(~ident.holds(cols, CONTRADICTION_RTOL))) if len(values) else 0.0)
    return shares


def check_declared(identities: Sequence[Identity], values: np.ndarray, names: Sequence[str], source: str = "the training rows") -> list[float]:
    """:func:`broken_shares`, raising when an identity is broken on more than
    :data:`MAX_BROKEN_SHARE` of the rows."""
    shares = broken_shares(identities, values, names, source)
    for ident, broken in zip(identities, shares):
        if broken > MAX_BROKEN_SHARE:
            raise FlowganError(f"declared identity {ident.describe()!r} is broken on {broken:.1%} of {source} "
                               f"(at most {MAX_BROKEN_SHARE:.0%} allowed, relative tolerance {CONTRADICTION_RTOL:g})")  # fmt: skip
    return shares


def format_identity(ident: Identity) -> str:
    """``ident`` as a line of the grammar above (names quoted where needed)."""
    c = [_quote(name) for name in ident.columns]
    if ident.kind == "sum":
        return f"{c[0]} = {c[1]} + {c[2]}"
    if ident.kind == "scale":
        return f"{c[0]} = {ident.factor!r} * {c[1]}"
    if ident.kind == "ratio":
        terms = " + ".join(c[2:])
        if ident.offset:
            terms += f" {'-' if ident.offset < 0 else '+'} {abs(ident.offset):g}"
        return f"{c[0]} = {c[1]} / ({terms})"
    if ident.kind == "order":
        return f"{c[0]} <= {c[1]}"
    if ident.kind == "nonneg":
        return f"{c[0]} >= 0"
    if ident.kind == "integral":
        return f"{c[0]} is integer"
    raise FlowganError(f"a {ident.kind} identity cannot be declared")


def _quote(name: str) -> str:
    return name if re.fullmatch(r"[A-Za-z_][A-Za-z0-9_.]*", name) else f"`{name}`"
