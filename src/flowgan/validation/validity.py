"""Validity of generated rows: flow identities, non-negativity and integer columns.

The identities are discovered on the training rows (any flow CSV, no column names assumed)
and every source (each model's synthetic rows, and the held-out real rows as a reference) is
checked against the same list, class by class.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from flowgan.constraints import discover_identities
from flowgan.constraints.enforcement import violation_rate
from flowgan.constraints.relations import Identity

REAL_SOURCE = "held-out real rows"


def training_identities(train: pd.DataFrame, features: Sequence[str]) -> list[Identity]:
    """Identities holding on at least 99.9% of the training rows."""
    return discover_identities(train[list(features)].to_numpy(dtype=float), list(features))


def integer_columns(train: pd.DataFrame, features: Sequence[str]) -> list[str]:
    """Feature columns stored as integers in the training rows."""
    return [c for c in features if pd.api.types.is_integer_dtype(train[c])]


def validity_table(
    sources: Mapping[str, pd.DataFrame],
    *,
    identities: Sequence[Identity],
    features: Sequence[str],
    int_columns: Sequence[str],
    class_col: str,
    classes: Sequence[object],
) -> pd.DataFrame:
    """One row per (source, class): rows, share breaking an identity, negative and non-integral values."""
    records = []
    for source, frame in sources.items():
        for klass in classes:
            rows = frame[frame[class_col] == klass]
            values = rows[list(features)].to_numpy(dtype=float)
            ints = rows[list(int_columns)].to_numpy(dtype=float) if int_columns else np.empty((len(rows), 0))
            records.append({
                "source": source,
                "class": str(klass),
                "rows": len(rows),
                "identity_violation_rate": violation_rate(rows[list(features)], list(identities)),
                "negative_values": int((values < 0).sum()),
                "non_integral_values": int((ints != np.round(ints)).sum()),
            })  # fmt: skip
    return pd.DataFrame(records)
