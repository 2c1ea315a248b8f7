"""Make generated rows obey the discovered identities, and measure how often rows break them.

:class:`IdentityEnforcer` turns a list of identities into a plan, fixed at fit time:

1. every equality (scale, sum, ratio) gets one *target* column that is computed from the
   others, chosen so that the dependencies stay acyclic, integer columns are only derived from
   integers by sums and integer factors, and differences (``b = c - a``) are a last resort;
2. every ordering ``low <= high`` gets a side that is clipped (a free column: raise ``high``
   by default, lower ``low`` when ``high`` is derived or already has lower bounds); all
   orderings are planned, not only a transitive reduction, so that bounds met from two sides
   are consistent;
3. columns are processed once, in a topological order: constants are set, derived columns
   computed, free columns clipped to their bounds (and to 0 when non-negative, rounding
   inwards when integral).

Equalities that could not get a target and orderings that could not be given a side are left
to hold by implication; :func:`violation_table` reports every identity either way.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping

import numpy as np
import pandas as pd

from flowgan.constraints.checks import check_plan, failing_rows, unguaranteed
from flowgan.constraints.coordinates import column_bounds, coordinate, coordinate_helps, interior_atom_share, place
from flowgan.constraints.graph import Graph
from flowgan.constraints.relations import EQUALITY_KINDS, Identity

_KIND_ORDER = {"sum": 0, "scale": 1, "ratio": 2}


class IdentityEnforcer:
    """Derive dependent columns and repair orderings so that rows obey ``identities``.

    Parameters
    ----------
    identities : list of Identity
        As found by :func:`flowgan.constraints.discover_identities`.
    columns : list of str
        The table's columns, in order (the enforcer works on float matrices in this order).
    """

    def __init__(self, identities: list[Identity], columns: list[str]):
        self.identities = list(identities)
        self.columns = list(columns)
        self._checks = None
        self._plan()

    def _plan(self) -> None:
        by_kind = defaultdict(set)
        for ident in self.identities:
            if ident.kind in ("nonneg", "integral"):
                by_kind[ident.kind].add(ident.columns[0])
        self.nonneg, self.integral = by_kind["nonneg"], by_kind["integral"]
        self.constants = {i.columns[0]: i.value for i in self.identities if i.kind == "constant"}
        graph = Graph()
        self.derived: dict[str, Identity] = {}
        equalities = [i for i in self.identities if i.kind in EQUALITY_KINDS]
        # Columns in many equalities (a flow's duration) are better kept free: derive the others.
        self._degree = defaultdict(int)
        for ident in equalities:
            for name in ident.columns:
                self._degree[name] += 1
        for ident in sorted(equalities, key=lambda i: _KIND_ORDER[i.kind]):
            for target in self._target_options(ident):
                inputs = ident.inputs_for(target)
                if graph.can_add(inputs, target):
                    graph.add(inputs, target)
                    self.derived[target] = ident
                    break
        self._planned_orders: set[tuple[str, str]] = set()
        self.lower_bounds: dict[str, list[str]] = defaultdict(list)
        self.upper_bounds: dict[str, list[str]] = defaultdict(list)
        pairs = [i.columns for i in self.identities if i.kind == "order"]
        # Orderings with a derived side have one way to be repaired: plan them first.
        for low, high in sorted(pairs, key=lambda p: self._is_free(p[0]) and self._is_free(p[1])):
            self._plan_order(graph, low, high)
        self._prune_bounds(self._planned_orders)
        self.order_ = _topological_order(self.columns, graph)

    def _is_free(self, name: str) -> bool:
        return name not in self.derived and name not in self.constants

    def _target_options(self, ident: Identity) -> list[str]:
        options = []
        for rank, target in enumerate(ident.solvable_for()):
            if not self._is_free(target):
                continue
            inputs = ident.inputs_for(target)
            if target in self.integral and not _keeps_integers(ident, target, inputs, self.integral):
                continue
            difference = ident.kind == "sum" and target != ident.columns[0]
            options.append((difference, target in self.integral, self._degree[target], rank, target))
        return [t for *_, t in sorted(options)]

    def _plan_order(self, graph: Graph, low: str, high: str) -> None:
        # (column clipped, column it is clipped against, bound list)
        choices = [(high, low, self.lower_bounds, self.upper_bounds), (low, high, self.upper_bounds, self.lower_bounds)]
        # A column clipped from both sides can meet contradicting bounds: prefer one-sided clips.
        choices.sort(key=lambda c: bool(c[3].get(c[0])))
        for adjusted, reference, bounds, _ in choices:
            if self._is_free(adjusted) and graph.can_add((reference,), adjusted):
                graph.add((reference,), adjusted)
                bounds[adjusted].append(reference)
                self._planned_orders.add((low, high))
                return

    def _prune_bounds(self, orders: set[tuple[str, str]]) -> None:
        """Drop bounds implied by others: of uppers u1 <= u2, only u1 matters (lowers likewise)."""
        for name, uppers in self.upper_bounds.items():
            self.upper_bounds[name] = [u for u in uppers if not any((v, u) in orders for v in uppers if v != u)]
        for name, lowers in self.lower_bounds.items():
            self.lower_bounds[name] = [w for w in lowers if not any((w, v) in orders for v in lowers if v != w)]

    @property
    def bounded(self) -> list[str]:
        """Free columns with ordering bounds, in table order (see :mod:`flowgan.constraints.coordinates`)."""
        return [n for n in self.columns if self._is_free(n) and (self.lower_bounds.get(n) or self.upper_bounds.get(n))]

    def coordinates(self, values: np.ndarray) -> np.ndarray:
        """Coordinate of each :attr:`bounded` column between its bounds on the same rows (n, k)."""
        cols = {name: values[:, j] for j, name in enumerate(self.columns)}
        out = np.empty((values.shape[0], len(self.bounded)))
        for i, name in enumerate(self.bounded):
            out[:, i] = coordinate(cols[name], *column_bounds(self, name, cols))
        return out

    def interior_atom_shares(self, values: np.ndarray) -> dict[str, float]:
        """:func:`~flowgan.constraints.coordinates.interior_atom_share` of each :attr:`bounded` column."""
        cols = {name: values[:, j] for j, name in enumerate(self.columns)}
        return {name: interior_atom_share(cols[name], *column_bounds(self, name, cols)) for name in self.bounded}

    def coordinates_help(self, values: np.ndarray, order: np.ndarray) -> dict[str, bool]:
        """:func:`~flowgan.constraints.coordinates.coordinate_helps` for each :attr:`bounded`
        column, values shuffled by ``order``."""
        cols = {name: values[:, j] for j, name in enumerate(self.columns)}
        return {name: coordinate_helps(cols[name], *column_bounds(self, name, cols), order) for name in self.bounded}

    def enforce(self, values: np.ndarray, coordinates: Mapping[str, np.ndarray] | None = None) -> np.ndarray:
        """Return a copy of ``values`` (rows x columns, float64) that obeys the plan.

        With ``coordinates`` (``{column: coordinate per row}``, bounded columns only), those
        columns are placed at their coordinate between their enforced bounds instead of clipped.
        The copy is column-major (see :meth:`enforce_inplace`).
        """
        return self.enforce_inplace(np.array(values, dtype=float, order="F", copy=True), coordinates)

    def enforce_inplace(self, values: np.ndarray, coordinates: Mapping[str, np.ndarray] | None = None,
                        conflicts: np.ndarray | None = None) -> np.ndarray:  # fmt: skip
        """:meth:`enforce` writing into ``values`` itself (float64; fastest column-major).

        ``conflicts`` (bool per row), when given, is set where a free column's lower bound
        exceeds its upper bound (or either is NaN): the rows whose orderings may break.
        """
        cols = {name: values[:, j] for j, name in enumerate(self.columns)}
        placed = coordinates or {}
        for name in self.order_:
            column = cols[name]
            if name in self.constants:
                column[:] = self.constants[name]
            elif name in self.derived:
                column[:] = self.derived[name].solve(name, cols)
            else:
                low, high = column_bounds(self, name, cols)
                if conflicts is not None and low is not None and high is not None:
                    conflicts |= ~(low <= high)
                if low is not None:
                    np.maximum(column, low, out=column)
                if high is not None:
                    np.minimum(column, high, out=column)
                if name in placed:
                    column[:] = place(placed[name], low, high, name in self.integral, column)
        return values

    def enforce_checked(self, values: np.ndarray, coordinates: Mapping[str, np.ndarray] | None = None) -> np.ndarray:
        """:meth:`enforce_inplace`, then the mask of rows that may still break an identity.

        Checks only what the plan does not guarantee (:func:`~flowgan.constraints.checks.unguaranteed`)
        plus the conditions of the guarantee (finite values, no contradicting bounds), so the
        mask holds every row :meth:`broken_rows` would report, and rarely a few more.
        """
        suspect = np.zeros(values.shape[0], dtype=bool)
        self.enforce_inplace(values, coordinates, suspect)
        rows = _by_column(values)
        suspect |= ~np.isfinite(rows).all(axis=0)
        return suspect | failing_rows(rows, self._check_plans()[1], self.columns)

    def place_inplace(self, values: np.ndarray, coordinates: Mapping[str, np.ndarray]) -> np.ndarray:
        """Place the columns of ``coordinates`` at their coordinate between their bounds as they
        stand in ``values``, writing into ``values`` itself (nothing else is enforced)."""
        cols = {name: values[:, j] for j, name in enumerate(self.columns)}
        for name in self.order_:
            if name in coordinates:
                low, high = column_bounds(self, name, cols)
                cols[name][:] = place(coordinates[name], low, high, name in self.integral, cols[name])
        return values

    def broken_rows(self, values: np.ndarray) -> np.ndarray:
        """Boolean mask of the rows of ``values`` (float64, the enforcer's columns) that break any identity.

        Same test as :meth:`Identity.holds`, with identities of one kind checked together
        (fastest on column-major ``values``).
        """
        return failing_rows(_by_column(values), self._check_plans()[0], self.columns)

    def _check_plans(self) -> tuple[dict, dict]:
        """Check plans (:func:`~flowgan.constraints.checks.check_plan`) of all identities and of
        the unguaranteed ones, cached."""
        if self._checks is None:
            rest = unguaranteed(self)
            self._checks = (check_plan(self.identities, self.columns), check_plan(rest, self.columns))
        return self._checks

    def enforce_frame(self, frame: pd.DataFrame) -> pd.DataFrame:
        """:meth:`enforce` for a DataFrame with (at least) the enforcer's columns; dtypes kept."""
        fixed = self.enforce(frame[self.columns].to_numpy(dtype=float))
        out = frame.copy()
        for j, name in enumerate(self.columns):
            dtype = frame[name].dtype
            column = fixed[:, j]
            out[name] = (np.round(column) if np.dtype(dtype).kind in "iub" else column).astype(dtype)
        return out

    def describe_plan(self) -> pd.DataFrame:
        """One row per column: how it is produced (constant, derived from a formula, or free)."""
        rows = []
        for name in self.order_:
            if name in self.constants:
                how = f"constant {self.constants[name]:.6g}"
            elif name in self.derived:
                how = f"derived: {self.derived[name].describe()}"
            else:
                bounds = [f">= {r}" for r in self.lower_bounds.get(name, ())]
                bounds += [f"<= {r}" for r in self.upper_bounds.get(name, ())]
                how = "free" + (f", clipped {', '.join(bounds)}" if bounds else "")
            rows.append({"column": name, "how": how})
        return pd.DataFrame(rows)


def _by_column(values: np.ndarray) -> np.ndarray:
    """``values.T`` with contiguous rows (a view for column-major ``values``)."""
    return values.T if values.strides[0] == values.itemsize else np.ascontiguousarray(values.T)


def _keeps_integers(ident: Identity, target: str, inputs: tuple[str, ...], integral: set[str]) -> bool:
    if not all(name in integral for name in inputs):
        return False
    if ident.kind == "sum":
        return True
    if ident.kind == "scale":
        factor = ident.factor if target == ident.columns[0] else 1.0 / ident.factor
        return float(factor).is_integer()
    return ident.kind == "ratio" and target == ident.columns[1]  # a product of integers


def _topological_order(columns: list[str], graph: Graph) -> list[str]:
    """Kahn's algorithm, ties broken by the table's column order (so plans are reproducible)."""
    position = {name: j for j, name in enumerate(columns)}
    indegree = dict.fromkeys(columns, 0)
    for src, targets in graph.edges.items():
        for t in targets:
            indegree[t] += 1
    ready = sorted((name for name, d in indegree.items() if d == 0), key=position.get)
    order = []
    while ready:
        name = ready.pop(0)
        order.append(name)
        for t in sorted(graph.edges.get(name, ()), key=position.get):
            indegree[t] -= 1
            if indegree[t] == 0:
                ready.append(t)
                ready.sort(key=position.get)
    return order


def violation_table(frame: pd.DataFrame, identities: list[Identity]) -> pd.DataFrame:
    """Tidy table: one row per identity with the number and share of rows that break it.

    Columns: ``identity``, ``kind``, ``violations``, ``rate``. Identities naming a column the
    frame lacks are reported with ``violations`` = NaN rather than raising.
    """
    cols = {name: frame[name].to_numpy(dtype=float) for name in frame.columns}
    rows = []
    for ident in identities:
        if any(name not in cols for name in ident.columns):
            rows.append({"identity": ident.describe(), "kind": ident.kind, "violations": np.nan, "rate": np.nan})
            continue
        broken = int((~ident.holds(cols)).sum())
        rows.append({"identity": ident.describe(), "kind": ident.kind, "violations": broken,
                     "rate": broken / max(1, len(frame))})  # fmt: skip
    return pd.DataFrame(rows, columns=["identity", "kind", "violations", "rate"])


def violation_rate(frame: pd.DataFrame, identities: list[Identity]) -> float:
    """Share of rows of ``frame`` that break at least one identity."""
    cols = {name: frame[name].to_numpy(dtype=float) for name in frame.columns}
    broken = np.zeros(len(frame), dtype=bool)
    for ident in identities:
        if all(name in cols for name in ident.columns):
            broken |= ~ident.holds(cols)
    return float(broken.mean()) if len(frame) else 0.0
