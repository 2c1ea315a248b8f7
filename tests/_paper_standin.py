"""A small HIKARI-shaped stand-in for the paper-area tests, built from the 24 real rows.

Rows are resampled per class; time columns get a per-row log-normal factor (heavier for
some classes) and a class-dependent share of rows becomes a zero-duration single-packet flow
(all times and rates 0), so columns are heavy-tailed and zero-inflated like HIKARI's.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

FIXTURE = Path(__file__).parent / "fixtures" / "hikari2021-real-24rows.csv"

_CLASSES = {  # class: (label, zero-duration share, log-normal sigma, time scale)
    "Benign": (0, 0.05, 1.0, 1.0),
    "Background": (0, 0.60, 2.0, 3.0),
    "Probing": (1, 0.10, 0.8, 0.3),
    "Bruteforce": (1, 0.05, 0.5, 0.8),
    "Bruteforce-XML": (1, 0.02, 0.4, 1.0),
    "XMRIGCC CryptoMiner": (1, 0.40, 1.5, 5.0),
}
_TIME_PREFIXES = ("flow_duration", "fwd_iat.", "bwd_iat.", "flow_iat.", "active.", "idle.")
_RATE_COLUMNS = ("fwd_pkts_per_sec", "bwd_pkts_per_sec", "flow_pkts_per_sec", "payload_bytes_per_second")


def hikari_standin(n_per_class: int | dict[str, int] = 40, seed: int = 0) -> pd.DataFrame:
    """A frame with HIKARI's 88 columns and dtypes and the six classes."""
    base = pd.read_csv(FIXTURE)
    rng = np.random.default_rng(seed)
    counts = n_per_class if isinstance(n_per_class, dict) else dict.fromkeys(_CLASSES, n_per_class)
    time_cols = [c for c in base.columns if c.startswith(_TIME_PREFIXES)]
    parts = []
    for klass, n in counts.items():
        label, zero_share, sigma, scale = _CLASSES[klass]
        rows = base.iloc[rng.integers(0, len(base), n)].reset_index(drop=True)
        factor = scale * rng.lognormal(0.0, sigma, n)
        rows[time_cols] = rows[time_cols].mul(factor, axis=0)
        rows[list(_RATE_COLUMNS)] = rows[list(_RATE_COLUMNS)].div(factor, axis=0)
        zero = rng.random(n) < zero_share
        rows.loc[zero, [*time_cols, *_RATE_COLUMNS]] = 0.0
        rows.loc[zero, ["bwd_pkts_tot", "bwd_data_pkts_tot", "fwd_data_pkts_tot"]] = 0
        rows.loc[zero, "fwd_pkts_tot"] = 1
        rows["originp"] = rng.integers(1024, 65535, n)
        rows["traffic_category"] = klass
        rows["Label"] = label
        parts.append(rows)
    frame = pd.concat(parts, ignore_index=True)
    n_rows = len(frame)
    frame[frame.columns[0]] = np.arange(n_rows)
    frame[frame.columns[1]] = rng.permutation(n_rows)
    return frame
