"""Find the identities that hold on (almost) every training row of any flow table.

Nothing here knows column names. Candidates are screened with vectorised NumPy on a small
sample of rows (the densest rows, where most columns are non-zero, plus random ones), then
checked on all rows; an identity is kept when it holds on at least ``min_share`` of the rows and
is non-trivial on at least ``min_support`` rows (for example, a sum ``c = a + b`` must be
seen with ``a`` and ``b`` both non-zero).
"""

from __future__ import annotations

import itertools
import math

import numpy as np

from flowgan.constraints.relations import RTOL, Identity, close

SCREEN_ROWS = 24
"""Rows used to screen candidate equalities before checking them on all rows."""
MAX_ORDER_ROWS = 50_000
TIGHT = 0.05
"""An ordering is kept only if both sides come within 5% of each other on enough rows."""


def discover_identities(
    values: np.ndarray,
    names: list[str],
    *,
    min_share: float = 0.999,
    min_support: int | None = None,
    rtol: float = RTOL,
    random_state: np.random.Generator | int | None = 0,
) -> list[Identity]:
    """Identities that hold on at least ``min_share`` of the rows of ``values`` (n_rows, n_columns).

    Parameters
    ----------
    values : ndarray of shape (n_rows, n_columns)
        Training rows as float64.
    names : list of str
        Column names, in the order of ``values``' columns.
    min_share : float, default=0.999
        Share of rows on which an identity must hold.
    min_support : int, optional
        Rows on which an identity must be non-trivial; default ``max(3, 0.5% of rows)``.
    rtol : float
        Relative tolerance of equalities.
    random_state : Generator, int or None
        Picks the screening rows.

    Returns
    -------
    list of Identity
        Constants, non-negativity, integrality, scalings, sums, ratios and orderings.
    """
    rng = np.random.default_rng(random_state)
    values = np.asarray(values, dtype=float)
    n_rows = values.shape[0]
    support = min_support if min_support is not None else max(3, math.ceil(0.005 * n_rows))
    out: list[Identity] = []
    varying = []
    for j, name in enumerate(names):
        column = values[:, j]
        if np.all(column == column[0]):
            out.append(Identity("constant", (name,), value=float(column[0])))
            continue
        varying.append(j)
        if np.mean(column >= 0) >= min_share:
            out.append(Identity("nonneg", (name,)))
        if np.mean(column == np.round(column)) >= min_share:
            out.append(Identity("integral", (name,)))
    integral = {i.columns[0] for i in out if i.kind == "integral"}
    nonneg = {i.columns[0] for i in out if i.kind == "nonneg"}
    screen = _screening_rows(values[:, varying], rng)
    ctx = _Context(values, names, varying, screen, min_share, support, rtol)
    out += _find_scales(ctx)
    out += _find_sums(ctx)
    divisor_cols = [j for j in varying if names[j] in integral and names[j] in nonneg]
    out += _find_ratios(ctx, divisor_cols, integral)
    out += _find_orders(ctx, rng)
    return out


class _Context:
    """What the candidate searches share: data, screening rows and acceptance thresholds."""

    def __init__(self, values, names, varying, screen, min_share, support, rtol):
        self.values, self.names, self.varying = values, names, varying
        self.screen = values[screen]
        self.min_share, self.support, self.rtol = min_share, support, rtol
        self.cols = {names[j]: values[:, j] for j in varying}
        # Screening tolerates one row that breaks the identity (the 0.1% allowed).
        self.screen_pass = max(1, len(screen) - 1)

    def accept(self, identity: Identity, nontrivial: np.ndarray) -> bool:
        if int(nontrivial.sum()) < self.support:
            return False
        return float(np.mean(identity.holds(self.cols, self.rtol))) >= self.min_share


def _screening_rows(values: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    n = values.shape[0]
    if n <= SCREEN_ROWS:
        return np.arange(n)
    nonzero = (values != 0).sum(axis=1) + rng.random(n) * 0.5  # random tie-break
    dense = np.argsort(-nonzero)[: SCREEN_ROWS // 2]
    rest = np.setdiff1d(np.arange(n), dense)
    return np.concatenate([dense, rng.choice(rest, SCREEN_ROWS - dense.size, replace=False)])


def _find_scales(ctx: _Context) -> list[Identity]:
    """``y = k * x`` for pairs of columns (k estimated as the median ratio)."""
    out = []
    for i, j in itertools.combinations(ctx.varying, 2):
        x, y = ctx.values[:, i], ctx.values[:, j]
        both = (x != 0) & (y != 0)
        if both.sum() < ctx.support:
            continue
        ratio = ctx.screen[:, j] / np.where(ctx.screen[:, i] == 0, np.nan, ctx.screen[:, i])
        ratio = ratio[np.isfinite(ratio)]
        if ratio.size == 0:
            continue
        factor = float(np.median(ratio))
        if factor == 0 or np.mean(close(ratio, factor, ctx.rtol)) < 0.9:
            continue
        factor = float(f"{factor:.7g}")
        identity = Identity("scale", (ctx.names[j], ctx.names[i]), factor=factor)
        if ctx.accept(identity, both):
            out.append(identity)
    return out


def _find_sums(ctx: _Context) -> list[Identity]:
    """``c = a + b`` for all pairs (a, b) and all c, screened on the screening rows."""
    pairs = np.array(list(itertools.combinations(ctx.varying, 2)), dtype=np.int64).reshape(-1, 2)
    if pairs.size == 0:
        return []
    pair_sums = ctx.screen[:, pairs[:, 0]] + ctx.screen[:, pairs[:, 1]]  # (rows, pairs)
    out = []
    for c in ctx.varying:
        target = ctx.screen[:, c : c + 1]
        hits = close(target, pair_sums, ctx.rtol).sum(axis=0) >= ctx.screen_pass
        for a, b in pairs[hits]:
            if c in (a, b):
                continue
            x, y, z = ctx.values[:, a], ctx.values[:, b], ctx.values[:, c]
            identity = Identity("sum", (ctx.names[c], ctx.names[a], ctx.names[b]))
            # Non-trivial where neither term alone already equals c (a term is not negligible).
            nontrivial = (x != 0) & (y != 0) & ~close(z, x, ctx.rtol) & ~close(z, y, ctx.rtol)
            if ctx.accept(identity, nontrivial):
                out.append(identity)
    return out


def _divisor_candidates(ctx: _Context, divisor_cols: list[int]) -> list[tuple[tuple[int, ...], float]]:
    """Single columns; integral counts minus one; sums of two counts (minus one)."""
    cands: list[tuple[tuple[int, ...], float]] = [((j,), 0.0) for j in ctx.varying]
    cands += [((j,), -1.0) for j in divisor_cols]
    for pair in itertools.combinations(divisor_cols, 2):
        cands += [(pair, 0.0), (pair, -1.0)]
    return cands


def _find_ratios(ctx: _Context, divisor_cols: list[int], integral: set[str]) -> list[Identity]:
    """``t = a / D`` (0 where D is 0) for every column t, numerator a and divisor candidate D."""
    cands = _divisor_candidates(ctx, divisor_cols)
    screen, varying = ctx.screen, np.array(ctx.varying)
    t_vals = screen[:, varying]  # (rows, m)
    found: dict[tuple, Identity] = {}
    chunk = 64
    for start in range(0, len(cands), chunk):
        part = cands[start : start + chunk]
        divisors = np.stack([screen[:, list(cols)].sum(axis=1) + off for cols, off in part], axis=1)  # (rows, k)
        products = t_vals[:, :, None] * divisors[:, None, :]  # (rows, m_t, k)
        zero_div = divisors == 0
        for ai, a in enumerate(varying):
            numer = screen[:, a][:, None, None]
            ok = np.where(zero_div[:, None, :], t_vals[:, :, None] == 0, close(products, numer, ctx.rtol))
            hits = np.argwhere(ok.sum(axis=0) >= ctx.screen_pass)
            for ti, ki in hits:
                _try_ratio(ctx, found, int(varying[ti]), int(a), part[ki], integral)
    return list(found.values())


def _try_ratio(ctx, found, t: int, a: int, divisor: tuple[tuple[int, ...], float], integral: set[str]) -> None:
    cols, offset = divisor
    if t == a or t in cols or a in cols:
        return
    names = ctx.names
    if len(cols) == 1 and offset == 0:
        # t = a / d and d = a / t are one relation: keep the orientation whose ratio is not integral.
        key = (a, frozenset((t, cols[0])))
        if key in found and (found[key].columns[0] not in integral or names[t] in integral):
            return
    else:
        key = (a, t, cols, offset)
        if key in found:
            return
    identity = Identity("ratio", (names[t], names[a], *(names[c] for c in cols)), offset=offset)
    divisor_values = identity.divisor(ctx.cols)
    if ctx.accept(identity, (divisor_values != 0) & (ctx.values[:, a] != 0)):
        found[key] = identity


def _find_orders(ctx: _Context, rng: np.random.Generator) -> list[Identity]:
    """``low <= high`` for ordered pairs of columns that are not equal everywhere."""
    rows = ctx.values[:, ctx.varying]
    if rows.shape[0] > MAX_ORDER_ROWS:
        rows = rows[rng.choice(rows.shape[0], MAX_ORDER_ROWS, replace=False)]
    tol = ctx.rtol * np.abs(rows) + 1e-9
    out = []
    for i in range(rows.shape[1]):
        low = rows[:, i : i + 1]
        holds = (low <= rows + tol).mean(axis=0) >= ctx.min_share
        strict = (low < rows - tol).sum(axis=0) >= ctx.support
        # A structural ordering (min <= avg, max <= tot) is tight: on some rows, both sides are
        # non-zero and nearly equal. Orderings that only hold because one column's values are
        # far larger than the other's (packets <= microseconds) are facts of scale, not flows.
        tight = ((low != 0) & (np.abs(rows - low) <= TIGHT * np.abs(rows))).sum(axis=0) >= ctx.support
        for j in np.flatnonzero(holds & strict & tight):
            if j != i:
                out.append(Identity("order", (ctx.names[ctx.varying[i]], ctx.names[ctx.varying[j]])))
    return out
