"""The exact relations between HIKARI-2021 columns, checked row by row.

:func:`check_identities` tests every identity listed in the schema notes (SCHEMA.md) on a
frame with the HIKARI columns and returns a tidy table: one row per identity with the rows it
applies to, how many break it, and the position of the first that does. Identities with a
division only apply where the divisor is non-zero.

Tolerances. Values are compared as ``|a - b| <= atol + rtol * max(|a|, |b|)``.
``rtol`` (default 1e-5) covers the real file's printing of about ten significant digits.
Two identities get an absolute allowance as well, because the real file prints their left or
right side with six decimals or measures it on a different clock:

- ``flow_iat.tot = flow_duration * 1e6`` allows 50 us: in the 24 real rows the two sides differ
  by 1.4 to 25.8 us (the duration is rounded to whole microseconds and taken from the
  connection record); one row (25.8 us over 2.2 s, relative 1.2e-5) would fail ``rtol`` alone.
- rates and ratios printed with six decimals (``*_per_sec``, ``down_up_ratio``,
  ``payload_bytes_per_second``) allow 1e-6, half a unit of the last printed digit plus slack.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from flowgan.datasets import schema
from flowgan.errors import FlowganError

DURATION_ATOL_US = 50.0
"""Absolute allowance (microseconds) of ``flow_iat.tot = flow_duration * 1e6``."""
PRINTED_ATOL = 1e-6
"""Absolute allowance of values the real file prints with six decimals."""

_TRIPLES = (
    "fwd_pkts_payload", "bwd_pkts_payload", "flow_pkts_payload",
    "fwd_iat", "bwd_iat", "flow_iat", "active", "idle",
)  # fmt: skip


def _close(a, b, rtol: float, atol: float = 0.0) -> np.ndarray:
    a = np.asarray(a, dtype=np.float64)
    b = np.asarray(b, dtype=np.float64)
    return np.abs(a - b) <= atol + rtol * np.maximum(np.abs(a), np.abs(b))


def _leq(a, b, rtol: float) -> np.ndarray:
    a = np.asarray(a, dtype=np.float64)
    b = np.asarray(b, dtype=np.float64)
    return a <= b + rtol * np.maximum(np.abs(a), np.abs(b))


def _identity_checks(df: pd.DataFrame, rtol: float):
    """Yield (identity, applies-mask, holds-mask) for every identity."""

    def col(name):
        return df[name].to_numpy(dtype=np.float64)

    n = len(df)
    everywhere = np.ones(n, dtype=bool)
    duration = col("flow_duration")
    timed = duration > 0
    fwd, bwd = col("fwd_pkts_tot"), col("bwd_pkts_tot")
    with np.errstate(divide="ignore", invalid="ignore"):
        yield "flow_iat.tot = flow_duration * 1e6", everywhere, _close(col("flow_iat.tot"), duration * 1e6, rtol, DURATION_ATOL_US)
        for name, count in (("fwd", fwd), ("bwd", bwd), ("flow", fwd + bwd)):
            yield f"{name}_pkts_per_sec = {name} packets / flow_duration", timed, _close(
                col(f"{name}_pkts_per_sec"), count / duration, rtol, PRINTED_ATOL
            )
        yield "down_up_ratio = bwd_pkts_tot / fwd_pkts_tot", fwd > 0, _close(col("down_up_ratio"), bwd / fwd, rtol, PRINTED_ATOL)
        flow_payload = col("flow_pkts_payload.tot")
        yield "flow_pkts_payload.tot = fwd + bwd payload tot", everywhere, _close(
            flow_payload, col("fwd_pkts_payload.tot") + col("bwd_pkts_payload.tot"), rtol
        )
        yield "payload_bytes_per_second = flow_pkts_payload.tot / flow_duration", timed, _close(
            col("payload_bytes_per_second"), flow_payload / duration, rtol, PRINTED_ATOL
        )
        for name, count in (("fwd", fwd), ("bwd", bwd), ("flow", fwd + bwd)):
            yield f"{name}_pkts_payload.avg = tot / packets", count > 0, _close(
                col(f"{name}_pkts_payload.avg"), col(f"{name}_pkts_payload.tot") / count, rtol
            )
            yield f"{name}_iat.avg = tot / (packets - 1)", count > 1, _close(
                col(f"{name}_iat.avg"), col(f"{name}_iat.tot") / (count - 1), rtol
            )
    yield "active.tot + idle.tot = flow_iat.tot", everywhere, _close(col("active.tot") + col("idle.tot"), col("flow_iat.tot"), rtol)
    for triple in _TRIPLES:
        low, avg, high = col(f"{triple}.min"), col(f"{triple}.avg"), col(f"{triple}.max")
        yield f"{triple}.min <= avg <= max", everywhere, _leq(low, avg, rtol) & _leq(avg, high, rtol)
    for side in ("fwd", "bwd"):
        yield f"{side}_header_size_min <= max <= tot", everywhere, _leq(
            col(f"{side}_header_size_min"), col(f"{side}_header_size_max"), 0
        ) & _leq(col(f"{side}_header_size_max"), col(f"{side}_header_size_tot"), 0)
        yield f"{side}_data_pkts_tot <= {side}_pkts_tot", everywhere, _leq(col(f"{side}_data_pkts_tot"), col(f"{side}_pkts_tot"), 0)
    for side, count in (("fwd", fwd), ("bwd", bwd)):
        yield f"{side}_subflow_pkts = {side}_pkts_tot / 2", everywhere, _close(col(f"{side}_subflow_pkts"), count / 2, rtol)
        yield f"{side}_subflow_bytes = {side}_pkts_payload.tot / 2", everywhere, _close(
            col(f"{side}_subflow_bytes"), col(f"{side}_pkts_payload.tot") / 2, rtol
        )
    numeric = [*schema.PORT_COLUMNS, *schema.FEATURE_COLUMNS]
    values = df[numeric].to_numpy(dtype=np.float64)
    yield "every count, size, time and rate >= 0", everywhere, np.all(values >= 0, axis=1)
    yield "no missing or infinite value", everywhere, np.all(np.isfinite(values), axis=1)
    integral = [*schema.INDEX_COLUMNS, *schema.PORT_COLUMNS, *schema.INT_FEATURES, *schema.WINDOW_FEATURES, schema.LABEL_COLUMN]
    ints = df[integral].to_numpy(dtype=np.float64)
    yield "integer columns hold integers", everywhere, np.all(ints == np.round(ints), axis=1)
    expected = df[schema.CLASS_COLUMN].astype(str).map(schema.CLASS_LABELS).to_numpy(dtype=np.float64)
    yield "Label = CLASS_LABELS[traffic_category]", everywhere, expected == col(schema.LABEL_COLUMN)


def check_identities(df: pd.DataFrame, rtol: float = 1e-5) -> pd.DataFrame:
    """Check every HIKARI-2021 identity on every row of ``df``.

    Parameters
    ----------
    df : pandas.DataFrame
        Rows with the HIKARI columns (:data:`~flowgan.datasets.schema.COLUMNS`; extra columns
        are ignored).
    rtol : float, default 1e-5
        Relative tolerance of equalities and inequalities (see the module docstring for the
        two absolute allowances).

    Returns
    -------
    pandas.DataFrame
        One row per identity: ``identity``, ``rows_checked`` (rows it applies to),
        ``violations`` and ``first_violation`` (position of the first violating row, or
        missing). All identities hold when ``violations.sum() == 0``.

    Raises
    ------
    FlowganError
        If a column the identities need is missing.
    """
    missing = [c for c in schema.COLUMNS if c not in df.columns]
    if missing:
        raise FlowganError(f"cannot check identities: column {missing[0]!r} is missing ({len(missing)} missing in all)")
    records = []
    for name, applies, holds in _identity_checks(df, rtol):
        broken = np.flatnonzero(applies & ~holds)
        records.append(
            {
                "identity": name,
                "rows_checked": int(applies.sum()),
                "violations": int(broken.size),
                "first_violation": int(broken[0]) if broken.size else pd.NA,
            }
        )
    table = pd.DataFrame.from_records(records)
    table["first_violation"] = table["first_violation"].astype("Int64")
    return table


def broken_rows(df: pd.DataFrame, rtol: float = 1e-5) -> np.ndarray:
    """Boolean mask of the rows of ``df`` that break at least one identity of :func:`check_identities`."""
    check_identities(df.iloc[:0], rtol)  # the missing-column error
    broken = np.zeros(len(df), dtype=bool)
    for _, applies, holds in _identity_checks(df, rtol):
        broken |= applies & ~holds
    return broken
