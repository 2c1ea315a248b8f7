"""Which identities a model obeys: the declared ones, plus discovered ones that survive a check.

A discovered relation may be a coincidence of the rows it was found on. So discovery runs on
each half of each class's rows and a relation is kept only when it also holds on the other half
(and on all rows), and when the declared identities do not already imply it (tested by
shuffling the columns the declared identities leave free, re-deriving the rest, and seeing
whether the relation still holds). :func:`select_identities` returns the kept identities and a
report of what was declared, discovered, kept and rejected.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

import numpy as np

from flowgan.constraints.declared import MAX_BROKEN_SHARE, broken_shares, check_declared
from flowgan.constraints.discovery import discover_identities
from flowgan.constraints.enforcement import IdentityEnforcer
from flowgan.constraints.relations import Identity

logger = logging.getLogger(__name__)

MIN_SHARE = 0.999
"""Share of rows on which a discovered identity must hold (on each half and on all rows)."""
IMPLICATION_ROWS = 2_000
"""Rows shuffled to test whether the declared identities imply a discovered one."""


def select_identities(
    values: np.ndarray,
    names: Sequence[str],
    codes: np.ndarray,
    declared: Sequence[Identity] = (),
    known: Sequence[Identity] = (),
    *,
    discover: bool = True,
    rng: np.random.Generator | None = None,
) -> tuple[list[Identity], list[dict]]:
    """``(identities, report)`` for training rows ``values`` (float64) of classes ``codes``.

    ``report`` has one dict per declared or discovered identity: ``identity`` (its formula),
    ``kind``, ``source`` (declared / discovered), ``kept`` (bool) and ``reason`` (why it was
    rejected, or the share of training rows breaking a declared one).

    ``declared`` (the user's) must hold: one broken on more than 1% of the rows is an error.
    ``known`` (a recognised dataset's, such as HIKARI-2021's) are declared when the rows obey
    them, and otherwise rejected with a warning: the table is not quite that dataset.
    """
    rng = np.random.default_rng(rng)
    names = list(names)
    user = list(dict.fromkeys(declared))
    report = [_entry(i, "declared", True, _broken(s)) for i, s in zip(user, check_declared(user, values, names))]
    known = [i for i in dict.fromkeys(known) if i not in user]
    declared = list(user)
    for ident, share in zip(known, broken_shares(known, values, names)):
        ok = share <= MAX_BROKEN_SHARE
        if ok:
            declared.append(ident)
        else:
            logger.warning("the training rows break %s on %.1f%% of rows: not obeyed", ident.describe(), 100 * share)
        report.append(_entry(ident, "declared", ok, _broken(share)))
    if not discover:
        return declared, report
    first, second = _halves(codes, rng)
    # Found on either half and confirmed on the other: a relation with little support in one
    # half (an ordering whose sides rarely meet) is still found in the other.
    candidates = {}
    for found_on, other in ((first, second), (second, first)):
        for ident in discover_identities(values[found_on], names, random_state=rng):
            if ident not in declared and ident not in candidates:
                candidates[ident] = other
    found = list(candidates)
    implied = _implied(found, declared, values, names, rng) if declared else [False] * len(found)
    kept = list(declared)
    for ident, is_implied in zip(found, implied):
        reason = _rejection(ident, is_implied, values, candidates[ident], names)
        if not reason:
            kept.append(ident)
        report.append(_entry(ident, "discovered", not reason, reason))
    return kept, report


def _broken(share: float) -> str:
    return f"broken on {share:.2%} of the training rows" if share else ""


def _entry(ident: Identity, source: str, kept: bool, reason: str) -> dict:
    return {"identity": ident.describe(), "kind": ident.kind, "source": source, "kept": kept, "reason": reason}


def _halves(codes: np.ndarray, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Row indices of a random half of each class's rows, and of the other half."""
    first, second = [], []
    for code in np.unique(codes):
        rows = rng.permutation(np.flatnonzero(codes == code))
        cut = (rows.size + 1) // 2
        first.append(rows[:cut])
        second.append(rows[cut:])
    return np.sort(np.concatenate(first)), np.sort(np.concatenate(second))


def _rejection(ident: Identity, implied: bool, values: np.ndarray, second: np.ndarray,
               names: list[str]) -> str:  # fmt: skip
    """Why a discovered identity is not kept ('' when it is)."""
    if implied:
        return "implied by the declared identities"
    index = {name: j for j, name in enumerate(names)}
    if second.size:
        held = ident.holds({c: values[second, index[c]] for c in ident.columns})
        if float(np.mean(held)) < MIN_SHARE:
            return f"not confirmed on the other half of the rows (holds on {np.mean(held):.1%})"
    held = ident.holds({c: values[:, index[c]] for c in ident.columns})
    if float(np.mean(held)) < MIN_SHARE:
        return f"holds on {np.mean(held):.1%} of all rows"
    return ""


def _implied(found: list[Identity], declared: list[Identity], values: np.ndarray, names: list[str],
             rng: np.random.Generator) -> list[bool]:  # fmt: skip
    """Whether each of ``found`` holds on rows that obey only ``declared``: rows whose free
    columns (under the declared plan) are shuffled independently, the rest derived again."""
    enforcer = IdentityEnforcer(declared, names)
    take = rng.choice(len(values), min(len(values), IMPLICATION_ROWS), replace=False)
    rows = values[take].copy()
    for j, name in enumerate(names):
        if name not in enforcer.derived and name not in enforcer.constants:
            rows[:, j] = rng.permutation(rows[:, j])
    rows = enforcer.enforce(rows)
    cols = {name: rows[:, j] for j, name in enumerate(names)}
    return [float(np.mean(ident.holds(cols))) >= MIN_SHARE for ident in found]
