"""Identities between the columns of a flow table, and how to check or solve each one.

An :class:`Identity` names its columns; it is evaluated on a mapping ``name -> float array``
(a dict of NumPy columns, or anything indexable the same way).

==========  =====================================  =========================================
kind        meaning                                example (HIKARI-2021)
==========  =====================================  =========================================
scale       ``y = factor * x``                     flow_iat.tot = 1e6 * flow_duration
sum         ``c = a + b``                          flow_pkts_payload.tot = fwd... + bwd...
ratio       ``t = a / (d1 [+ d2] + offset)``,      fwd_iat.avg = fwd_iat.tot / (fwd_pkts_tot - 1)
            and ``t = 0`` where the divisor is 0
order       ``low <= high``                        fwd_pkts_payload.min <= ...avg
nonneg      ``x >= 0``                             every count, size, time and rate
integral    ``x`` is a whole number                packet counts
constant    ``x == value``                         a column that never changes
==========  =====================================  =========================================
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np

RTOL = 1e-5
"""Relative tolerance of an equality (values in flow CSVs carry about 7 significant digits)."""
ATOL = 1e-9

EQUALITY_KINDS = ("scale", "sum", "ratio")


def close(left: np.ndarray, right: np.ndarray, rtol: float = RTOL) -> np.ndarray:
    """Elementwise ``left == right`` within a relative tolerance."""
    return np.abs(left - right) <= rtol * np.maximum(np.abs(left), np.abs(right)) + ATOL


@dataclass(frozen=True)
class Identity:
    """One relation between columns (see the module docstring for the kinds).

    ``columns`` lists the columns in this order: scale ``(y, x)``; sum ``(c, a, b)``;
    ratio ``(t, a, d1[, d2])``; order ``(low, high)``; nonneg, integral, constant ``(x,)``.
    """

    kind: str
    columns: tuple[str, ...]
    factor: float = 1.0
    offset: float = 0.0
    value: float = 0.0

    def describe(self) -> str:
        """A human-readable formula, e.g. ``"t = a / (d - 1)"``."""
        c = self.columns
        if self.kind == "scale":
            return f"{c[0]} = {self.factor:.6g} * {c[1]}"
        if self.kind == "sum":
            return f"{c[0]} = {c[1]} + {c[2]}"
        if self.kind == "ratio":
            divisor = " + ".join(c[2:]) + (f" {'-' if self.offset < 0 else '+'} {abs(self.offset):g}" if self.offset else "")
            return f"{c[0]} = {c[1]} / ({divisor})" if len(c) > 3 or self.offset else f"{c[0]} = {c[1]} / {c[2]}"
        if self.kind == "order":
            return f"{c[0]} <= {c[1]}"
        if self.kind == "nonneg":
            return f"{c[0]} >= 0"
        if self.kind == "integral":
            return f"{c[0]} is integral"
        return f"{c[0]} = {self.value:.6g}"

    def divisor(self, cols: Mapping[str, np.ndarray]) -> np.ndarray:
        """The divisor of a ratio identity.

        With an offset (``count - 1``), a negative divisor means "nothing to divide" just like
        0 (a flow with no packet has no inter-arrival time), so it is returned as 0.
        """
        total = np.asarray(cols[self.columns[2]], dtype=float) + self.offset
        for name in self.columns[3:]:
            total = total + cols[name]
        return np.maximum(total, 0.0) if self.offset < 0 else total

    def holds(self, cols: Mapping[str, np.ndarray], rtol: float = RTOL) -> np.ndarray:
        """Boolean array: on which rows the identity holds."""
        c = [np.asarray(cols[name], dtype=float) for name in self.columns]
        if self.kind == "scale":
            return close(c[0], self.factor * c[1], rtol)
        if self.kind == "sum":
            return close(c[0], c[1] + c[2], rtol)
        if self.kind == "ratio":
            divisor = self.divisor(cols)
            safe = np.where(divisor == 0, 1.0, divisor)
            return np.where(divisor == 0, c[0] == 0, close(c[0] * safe, c[1], rtol) | close(c[0], c[1] / safe, rtol))
        if self.kind == "order":
            return c[0] <= c[1] + rtol * np.abs(c[1]) + ATOL
        if self.kind == "nonneg":
            return c[0] >= 0
        if self.kind == "integral":
            return c[0] == np.round(c[0])
        return c[0] == self.value

    def solve(self, target: str, cols: Mapping[str, np.ndarray]) -> np.ndarray:
        """Values of ``target`` that make this equality hold, from its other columns."""
        c = self.columns
        if self.kind == "scale":
            return self.factor * cols[c[1]] if target == c[0] else cols[c[0]] / self.factor
        if self.kind == "sum":
            if target == c[0]:
                return cols[c[1]] + cols[c[2]]
            other = c[2] if target == c[1] else c[1]
            return cols[c[0]] - cols[other]
        if self.kind == "ratio" and target == c[0]:
            divisor = self.divisor(cols)
            return np.where(divisor == 0, 0.0, cols[c[1]] / np.where(divisor == 0, 1.0, divisor))
        if self.kind == "ratio" and target == c[1]:
            return cols[c[0]] * self.divisor(cols)
        if self.kind == "ratio" and target == c[2] and self.single_divisor:
            # d = a / t; where t is 0 the divisor must be 0 unless a is 0 too (then keep d).
            ratio, numerator = cols[c[0]], cols[c[1]]
            solved = numerator / np.where(ratio == 0, 1.0, ratio)
            return np.where(ratio != 0, solved, np.where(numerator == 0, cols[c[2]], 0.0))
        raise ValueError(f"cannot solve {self.describe()} for {target}")

    def solvable_for(self) -> tuple[str, ...]:
        """Columns this equality can be solved for, most natural first."""
        if self.kind == "scale":
            return self.columns
        if self.kind == "sum":
            return self.columns
        if self.kind == "ratio":
            return self.columns if self.single_divisor else self.columns[:2]
        return ()

    @property
    def single_divisor(self) -> bool:
        """A ratio whose divisor is one column with no offset (so it can be solved for it)."""
        return self.kind == "ratio" and len(self.columns) == 3 and self.offset == 0

    def inputs_for(self, target: str) -> tuple[str, ...]:
        return tuple(name for name in self.columns if name != target)

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["columns"] = list(self.columns)
        return out

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Identity:
        return cls(
            kind=data["kind"],
            columns=tuple(data["columns"]),
            factor=float(data.get("factor", 1.0)),
            offset=float(data.get("offset", 0.0)),
            value=float(data.get("value", 0.0)),
        )
