"""Small synthetic flow tables for the cgan area's tests: zero-inflated, heavy-tailed, with
integer columns and exact flow identities (the 24 real rows are too few to train on)."""

from __future__ import annotations

import numpy as np
import pandas as pd


def make_flow_frame(n_rows: int = 400, *, classes=("scan", "brute", "miner"), seed: int = 0):
    """Return ``(X, y)``: a flow-like feature frame and its class labels.

    Identities that hold exactly: ``bytes_tot = fwd_bytes + bwd_bytes``,
    ``fwd_avg = fwd_bytes / fwd_pkts``, ``pkts_per_sec = fwd_pkts / duration`` (0 when the
    duration is 0), ``iat_tot = duration * 1e6``, ``subflow_pkts = fwd_pkts / 2``,
    ``fwd_min <= fwd_avg <= fwd_max``; counts and sizes are integers; ``version`` is constant.
    """
    rng = np.random.default_rng(seed)
    k = len(classes)
    y = np.asarray(classes, dtype=object)[rng.integers(0, k, n_rows)]
    code = np.searchsorted(np.sort(np.asarray(classes, dtype=object)), y).astype(float)
    single = rng.random(n_rows) < 0.15 + 0.1 * code
    fwd_pkts = np.where(single, 1, 1 + rng.geometric(0.2 / (1 + code), n_rows)).astype(np.int64)
    bwd_pkts = np.where(single, 0, rng.poisson(3 + 2 * code, n_rows)).astype(np.int64)
    duration = np.where(single, 0.0, np.round(rng.lognormal(0.5 + code, 1.5, n_rows), 6))
    fwd_min = np.where(rng.random(n_rows) < 0.6, 0, rng.integers(1, 40, n_rows)).astype(np.int64)
    spread = rng.lognormal(4 + code, 1.0, n_rows).astype(np.int64)
    fwd_max = np.where(fwd_pkts == 1, fwd_min, fwd_min + spread)
    fwd_bytes = np.where(
        fwd_pkts == 1, fwd_min, fwd_min + fwd_max + (fwd_pkts - 2) * ((fwd_min + fwd_max) // 2)
    ).astype(np.int64)
    bwd_bytes = np.where(rng.random(n_rows) < 0.5, 0, rng.lognormal(6, 2, n_rows).astype(np.int64))
    X = pd.DataFrame(
        {
            "duration": duration,
            "fwd_pkts": fwd_pkts,
            "bwd_pkts": bwd_pkts,
            "pkts_per_sec": np.where(duration > 0, fwd_pkts / np.where(duration > 0, duration, 1), 0.0),
            "fwd_bytes": fwd_bytes.astype(float),
            "bwd_bytes": bwd_bytes.astype(float),
            "bytes_tot": (fwd_bytes + bwd_bytes).astype(float),
            "fwd_min": fwd_min.astype(float),
            "fwd_max": fwd_max.astype(float),
            "fwd_avg": fwd_bytes / fwd_pkts,
            "iat_tot": duration * 1e6,
            "subflow_pkts": fwd_pkts / 2,
            "syn_flags": rng.integers(0, 3, n_rows).astype(np.int64),
            "window": rng.choice([0, 1024, 29200, 65535], n_rows).astype(np.int64),
            "version": np.full(n_rows, 4, dtype=np.int64),
        }
    )
    return X, pd.Series(y, name="traffic_category")
