"""Check many identities on many rows at once, and find those an enforcement plan guarantees.

Rows are checked column by column (``rows``: one row per table column, as the transpose of a
column-major table), identities of one kind together. After
:meth:`~flowgan.constraints.IdentityEnforcer.enforce_inplace`, most identities hold by
construction wherever the values are finite and no clipped column met contradicting bounds
(see :func:`unguaranteed`); only the others need to be checked.
"""

from __future__ import annotations

from collections import defaultdict

import numpy as np

from flowgan.constraints.graph import Graph
from flowgan.constraints.relations import ATOL, RTOL, Identity, close

_WIDTH = {"order": 2, "scale": 2, "sum": 3}
ZERO = "\0zero"
"""Node standing for the constant 0 in the graph of guaranteed orderings."""


def check_plan(identities: list[Identity], columns: list[str]) -> dict[str, list]:
    """Per identity kind, the column indices checked together (ratios: the identities themselves)."""
    index = {name: j for j, name in enumerate(columns)}
    by_kind = defaultdict(list)
    for ident in identities:
        by_kind[ident.kind].append(ident)
    plan = {}
    for kind, idents in by_kind.items():
        if kind == "ratio":
            plan[kind] = idents
            continue
        plan[kind] = [np.array([index[i.columns[p]] for i in idents]) for p in range(_WIDTH.get(kind, 1))]
        if kind == "constant":
            plan[kind].append(np.array([i.value for i in idents])[:, None])
        if kind == "scale":
            plan[kind].append(np.array([i.factor for i in idents])[:, None])
    return plan


def failing_rows(rows: np.ndarray, plan: dict[str, list], columns: list[str]) -> np.ndarray:
    """Boolean mask of the rows (``rows[j]``: table column j) that break an identity of ``plan``.

    Same test as :meth:`Identity.holds`.
    """
    ok = np.ones(rows.shape[1], dtype=bool)

    def take(kind: str, position: int) -> np.ndarray:
        return rows[plan[kind][position]]

    if "order" in plan:
        high = take("order", 1)
        limit = np.abs(high)
        limit *= RTOL
        limit += high  # high + RTOL * |high| + ATOL, in Identity.holds's order
        limit += ATOL
        ok &= (take("order", 0) <= limit).all(axis=0)
    if "nonneg" in plan:
        ok &= (take("nonneg", 0) >= 0).all(axis=0)
    if "integral" in plan:
        column = take("integral", 0)
        ok &= (column == np.round(column)).all(axis=0)
    if "constant" in plan:
        ok &= (take("constant", 0) == plan["constant"][1]).all(axis=0)
    if "scale" in plan:
        ok &= close(take("scale", 0), plan["scale"][2] * take("scale", 1)).all(axis=0)
    if "sum" in plan:
        ok &= close(take("sum", 0), take("sum", 1) + take("sum", 2)).all(axis=0)
    if "ratio" in plan:
        cols = {name: rows[j] for j, name in enumerate(columns)}
        for ident in plan["ratio"]:
            ok &= ident.holds(cols)
    return ~ok


def unguaranteed(enforcer) -> list[Identity]:
    """The identities of ``enforcer`` that its plan does not make hold by construction.

    Guaranteed, on rows whose values are all finite and where no free column's lower bound
    exceeds its upper bound (so that its clip, or its placement, lands between them):

    * constants (set exactly);
    * equalities whose first column is derived by them (``c = a + b``, ``y = f * x``,
      ``t = a / d``: the check evaluates the very expression that set the column);
    * non-negativity of a free column, and orderings ``low <= high`` joined by a chain of
      bounds that the plan clips to (exact inequalities compose exactly; the chain may start
      at 0 for non-negative columns).
    """
    below = Graph()  # an edge a -> b: b is held >= a exactly
    for name in enforcer.columns:
        if not enforcer._is_free(name):
            continue
        for ref in enforcer.lower_bounds.get(name, ()):
            below.add((ref,), name)
        for ref in enforcer.upper_bounds.get(name, ()):
            below.add((name,), ref)
        if name in enforcer.nonneg:
            below.add((ZERO,), name)

    def guaranteed(ident: Identity) -> bool:
        first = ident.columns[0]
        if ident.kind == "constant":
            return enforcer.constants.get(first) == ident.value
        if ident.kind in ("sum", "scale", "ratio"):
            return first not in enforcer.constants and enforcer.derived.get(first) is ident
        if ident.kind == "order":
            return below.reaches(first, ident.columns[1])
        if ident.kind == "nonneg":
            return below.reaches(ZERO, first)
        return False

    return [ident for ident in enforcer.identities if not guaranteed(ident)]
