"""Which bounded columns the conditional GAN learns as coordinates between their bounds, and the
training table in which they are (see :mod:`flowgan.constraints.coordinates`)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from flowgan.constraints import IdentityEnforcer
from flowgan.constraints.coordinates import fill_undefined

MAX_INTERIOR_ATOM = 0.3
"""A bounded column with one value on this share of rows strictly inside its bounds is generated
as itself (and clipped), not as a coordinate between its bounds."""


def choose_relative(enforcer: IdentityEnforcer, values: np.ndarray, codes: np.ndarray, rng: np.random.Generator) -> list[str]:
    """Bounded columns learnt as coordinates: those that keep their marginal better that way
    (:func:`~flowgan.constraints.coordinates.coordinate_helps`, values shuffled within each class
    ``codes``), unless dominated by one interior value; the others are generated as themselves
    and clipped."""
    shares = enforcer.interior_atom_shares(values)
    order = np.arange(len(values))
    for code in np.unique(codes):
        rows = np.flatnonzero(codes == code)
        order[rows] = rng.permutation(rows)
    helps = enforcer.coordinates_help(values, order)
    return [name for name in enforcer.bounded if shares[name] < MAX_INTERIOR_ATOM and helps[name]]


def relative_table(enforcer: IdentityEnforcer, relative: list[str], frame: pd.DataFrame, values: np.ndarray,
                   codes: np.ndarray, rng: np.random.Generator) -> pd.DataFrame:  # fmt: skip
    """``frame`` (``values``: its float values) with each column of ``relative`` replaced by its
    coordinate between its bounds.

    The networks learn where a value sits between its ordering bounds (``idle.min`` as a
    fraction of ``idle.avg``) jointly with the bounds, so that generated rows keep orderings
    without clipping piles; undefined coordinates (empty spans) are drawn from the same class's
    defined ones.
    """
    if not relative:
        return frame
    bounded = enforcer.bounded
    coords = enforcer.coordinates(values)[:, [bounded.index(n) for n in relative]]
    coords = fill_undefined(coords, codes, rng)
    return frame.assign(**{name: coords[:, i] for i, name in enumerate(relative)})
