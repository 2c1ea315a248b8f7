"""From free variables to HIKARI-2021 rows whose identities hold by construction.

A generator (see ``_hikari_tables``) draws, per row, the *free* variables of a flow: packet
counts, duration, average payload per data packet, shares of time and of data packets,
dispersion, flags, header and window sizes. :func:`derive` computes every one of the 79
feature columns from them in float64, so each documented identity holds exactly;
:func:`build_table` runs a generator class by class and assembles the 88-column frame.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from flowgan.datasets import schema

FREE_KEYS: tuple[str, ...] = (
    "fwd", "bwd", "dur", "fpay", "bpay", "fdata", "bdata", "fshare", "bshare", "active",
    "spread", "hdr", "syn", "fin", "rst", "ack", "bulk", "win_f", "win_b", "win_last", "port",
)  # fmt: skip
"""Free variables every generator fills, one array of the row count each."""

BENIGN: tuple[str, ...] = ("Benign", "Background")


def class_counts(scale: float, fixed: dict[str, int] | None = None) -> dict[str, int]:
    """Rows per class: HIKARI's counts times ``scale`` (at least 2), ``fixed`` overriding."""
    counts = {c: max(2, int(round(n * scale))) for c, n in schema.CLASS_COUNTS.items()}
    counts.update(fixed or {})
    return counts


def concat_free(parts: list[dict[str, np.ndarray]]) -> dict[str, np.ndarray]:
    return {k: np.concatenate([p[k] for p in parts]) for k in FREE_KEYS}


def _spread_factors(rng, n, spread):
    """Multipliers u <= 1 <= v for min and max, and a coefficient of variation."""
    u = np.exp(-spread * rng.exponential(1.0, n))
    v = 1.0 + spread * rng.exponential(1.5, n)
    cv = spread * rng.uniform(0.3, 1.2, n)
    return u, v, cv


def _payload(count, data, pay, rng, spread):
    """Payload min/max/tot/avg/std of one direction (bytes, integer valued)."""
    has = count > 0
    tot = np.where(data > 0, np.maximum(np.round(pay * data), 1.0), 0.0)
    avg = np.where(has, tot / np.maximum(count, 1), 0.0)
    u, v, cv = _spread_factors(rng, count.size, spread)
    single = count == 1
    low = np.where(data < count, 0.0, np.where(single, avg, np.floor(avg * u)))
    high = np.where(single, avg, np.minimum(np.ceil(avg * v), tot))
    std = np.where(count > 1, avg * cv, 0.0)
    return {"min": low, "max": high, "tot": tot, "avg": avg, "std": std}


def _gaps(total, count, rng, spread):
    """min/max/tot/avg/std of ``count`` - 1 gaps summing to ``total`` (or of ``count`` periods)."""
    gaps = count - 1
    avg = np.where(gaps > 0, total / np.maximum(gaps, 1), 0.0)
    u, v, cv = _spread_factors(rng, total.size, spread)
    one = gaps == 1
    low = np.where(one, avg, avg * u)
    high = np.where(one, avg, np.minimum(avg * v, total))
    std = np.where(gaps > 1, avg * cv, 0.0)
    return {"min": low, "max": high, "tot": np.where(gaps > 0, total, 0.0), "avg": avg, "std": std}


def _flow_payload(fwd, bwd, fp, bp):
    count = fwd + bwd
    tot = fp["tot"] + bp["tot"]
    avg = tot / count
    both = bwd > 0
    low = np.where(both, np.minimum(fp["min"], bp["min"]), fp["min"])
    high = np.where(both, np.maximum(fp["max"], bp["max"]), fp["max"])
    second = (fwd * (fp["std"] ** 2 + fp["avg"] ** 2) + bwd * (bp["std"] ** 2 + bp["avg"] ** 2)) / count
    std = np.where(count > 1, np.sqrt(np.maximum(second - avg**2, 0.0)), 0.0)
    return {"min": low, "max": high, "tot": tot, "avg": avg, "std": std}


def _periods(total, rng, spread, mean_extra):
    """Active or idle periods: 1 + Poisson many, their min/max/tot/avg/std."""
    k = 1 + rng.poisson(mean_extra, total.size)
    stats = _gaps(total, k + 1, rng, spread)
    return {s: np.where(total > 0, stats[s], 0.0) for s in stats}


def _rate(count, dur):
    return np.where(dur > 0, count / np.where(dur > 0, dur, 1.0), 0.0)


def _timing(f, fwd, bwd, dur, rng) -> dict[str, np.ndarray]:
    """IAT, active and idle columns (microseconds) from the duration and time shares."""
    count = fwd + bwd
    total = dur * 1e6
    out: dict[str, np.ndarray] = {}
    parts = {
        "fwd_iat": _gaps(np.where(fwd > 1, total * f["fshare"], 0.0), fwd, rng, f["spread"]),
        "bwd_iat": _gaps(np.where(bwd > 1, total * f["bshare"], 0.0), bwd, rng, f["spread"]),
        "flow_iat": _gaps(total, count, rng, f["spread"] * 1.5),
    }
    active = total * f["active"]
    parts["active"] = _periods(active, rng, f["spread"], 0.8)
    parts["idle"] = _periods(total - active, rng, f["spread"], 1.5)
    for name, stats in parts.items():
        out.update({f"{name}.{s}": stats[s] for s in stats})
    return out


def _sizes_and_flags(f, fwd, bwd, fdata, bdata) -> dict[str, np.ndarray]:
    count = fwd + bwd
    hdr = f["hdr"].astype(np.int64)
    extra = np.where(hdr < 40, 12, 0)
    out = {
        "fwd_header_size_min": hdr,
        "fwd_header_size_max": hdr + extra * (fwd > 1),
        "fwd_header_size_tot": hdr * fwd + extra * (fwd > 1),
        "bwd_header_size_min": np.where(bwd > 0, hdr, 0),
        "bwd_header_size_max": np.where(bwd > 0, hdr + extra * (bwd > 1), 0),
        "bwd_header_size_tot": np.where(bwd > 0, hdr * bwd + extra * (bwd > 1), 0),
        "flow_FIN_flag_count": np.minimum(f["fin"].astype(np.int64), count),
        "flow_SYN_flag_count": np.minimum(f["syn"].astype(np.int64), count),
        "flow_RST_flag_count": np.minimum(f["rst"].astype(np.int64), count),
        "fwd_PSH_flag_count": fdata,
        "bwd_PSH_flag_count": bdata,
        "flow_ACK_flag_count": np.round(f["ack"] * (count - 1)).astype(np.int64),
    }
    zero = np.zeros(fwd.size, dtype=np.int64)
    for name in ("fwd_URG_flag_count", "bwd_URG_flag_count", "flow_CWR_flag_count", "flow_ECE_flag_count"):
        out[name] = zero
    out["fwd_init_window_size"] = f["win_f"].astype(np.int64)
    out["bwd_init_window_size"] = np.where(bwd > 0, f["win_b"], 0).astype(np.int64)
    out["fwd_last_window_size"] = f["win_last"].astype(np.int64)
    return out


def derive(f: dict[str, np.ndarray], rng: np.random.Generator) -> dict[str, np.ndarray]:
    """All 79 feature columns from the free variables ``f``; identities hold by construction."""
    fwd = np.maximum(np.round(f["fwd"]), 1).astype(np.int64)
    bwd = np.maximum(np.round(f["bwd"]), 0).astype(np.int64)
    count = fwd + bwd
    dur = np.where(count > 1, np.maximum(np.round(f["dur"], 6), 1e-6), 0.0)
    fdata = np.where(f["fpay"] > 0, np.clip(np.round(f["fdata"] * fwd), 1, fwd), 0).astype(np.int64)
    bdata = np.where(f["bpay"] > 0, np.clip(np.round(f["bdata"] * bwd), 1, bwd), 0).astype(np.int64)
    bdata = np.minimum(bdata, bwd)
    fp = _payload(fwd, fdata, f["fpay"], rng, f["spread"])
    bp = _payload(bwd, bdata, f["bpay"], rng, f["spread"])
    flow = _flow_payload(fwd, bwd, fp, bp)
    cols: dict[str, np.ndarray] = {
        "flow_duration": dur, "fwd_pkts_tot": fwd, "bwd_pkts_tot": bwd,
        "fwd_data_pkts_tot": fdata, "bwd_data_pkts_tot": bdata,
        "fwd_pkts_per_sec": _rate(fwd, dur), "bwd_pkts_per_sec": _rate(bwd, dur),
        "flow_pkts_per_sec": _rate(count, dur), "down_up_ratio": bwd / fwd,
        "payload_bytes_per_second": _rate(flow["tot"], dur),
        "fwd_subflow_pkts": fwd / 2, "bwd_subflow_pkts": bwd / 2,
        "fwd_subflow_bytes": fp["tot"] / 2, "bwd_subflow_bytes": bp["tot"] / 2,
    }  # fmt: skip
    for name, stats in (("fwd_pkts_payload", fp), ("bwd_pkts_payload", bp), ("flow_pkts_payload", flow)):
        cols.update({f"{name}.{s}": stats[s] for s in stats})
    cols.update(_timing(f, fwd, bwd, dur, rng))
    cols.update(_sizes_and_flags(f, fwd, bwd, fdata, bdata))
    bulk = f["bulk"].astype(bool)
    for side, data, stats in (("fwd", fdata, fp), ("bwd", bdata, bp)):
        on = bulk & (data >= 4)
        cols[f"{side}_bulk_bytes"] = np.where(on, stats["tot"], 0.0)
        cols[f"{side}_bulk_packets"] = np.where(on, data, 0).astype(np.float64)
        cols[f"{side}_bulk_rate"] = np.where(on, _rate(stats["tot"], dur), 0.0)
    return cols


def _identifiers(n: int, rng: np.random.Generator) -> dict[str, np.ndarray]:
    alphabet = np.frombuffer(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789", dtype=np.uint8)
    chars = alphabet[rng.integers(0, alphabet.size, (n, 17))]
    uid = np.char.add("C", chars.view("S17").ravel().astype("U17"))
    origin = np.array([f"198.51.100.{i}" for i in range(1, 255)], dtype=object)
    respond = np.array([f"203.0.113.{i}" for i in range(1, 255)], dtype=object)
    return {
        "uid": uid.astype(object),
        "originh": origin[rng.integers(0, origin.size, n)],
        "originp": rng.integers(1024, 65536, n).astype(np.int64),
        "responh": respond[rng.integers(0, respond.size, n)],
    }


def assemble(cols: dict[str, np.ndarray], classes: np.ndarray, ports: np.ndarray, rng) -> pd.DataFrame:
    """The 88-column frame in file order, rows shuffled, dtypes as ``schema.DTYPES``."""
    n = classes.size
    order = rng.permutation(n)
    data = {c: np.asarray(v)[order] for c, v in cols.items()}
    data.update(_identifiers(n, rng))
    data["Unnamed: 0.1"] = np.arange(n, dtype=np.int64)
    data["Unnamed: 0"] = rng.permutation(n).astype(np.int64)
    data["responp"] = ports[order].astype(np.int64)
    data[schema.CLASS_COLUMN] = classes[order].astype(object)
    data[schema.LABEL_COLUMN] = pd.Series(classes[order]).map(schema.CLASS_LABELS).to_numpy(dtype=np.int64)
    frame = pd.DataFrame({c: data[c] for c in schema.COLUMNS})
    for c, dtype in schema.DTYPES.items():
        if str(frame[c].dtype) != dtype:
            frame[c] = frame[c].astype(dtype)
    return frame


def _shift_benign_like(f: dict[str, np.ndarray], rng, strength: float) -> dict[str, np.ndarray]:
    """Mild shifts of benign-like rows drawn into an attack class (a faint, learnable signal)."""
    out = dict(f)
    out["dur"] = f["dur"] * np.exp(strength * rng.normal(0.08, 0.05))
    out["fpay"] = f["fpay"] * np.exp(strength * rng.normal(0.04, 0.03))
    return out


def build_table(gen, scale: float, seed: int, table_id: int) -> pd.DataFrame:
    """Run generator ``gen`` class by class and assemble the frame.

    ``gen`` offers ``params(cls, rng)``, ``sample(params, cls, n, rng)`` (free variables),
    ``like_share`` (per attack class, the share of its rows drawn from the benign classes'
    models), ``shift`` (strength of the mild shift of those rows), ``fixed_counts`` and
    ``post(cols, classes, rng)`` (edits after derivation).
    """
    rng = np.random.default_rng([seed, table_id])
    counts = class_counts(scale, gen.fixed_counts)
    params = {c: gen.params(c, np.random.default_rng([seed, table_id, i, 7])) for i, c in enumerate(schema.CLASSES)}
    parts, labels = [], []
    for cls in schema.CLASSES:
        n = counts[cls]
        n_like = int(round(n * gen.like_share.get(cls, 0.0)))
        n_benign = int(rng.binomial(n_like, 0.6))
        for source, m in (("Benign", n_benign), ("Background", n_like - n_benign)):
            if m:
                parts.append(_shift_benign_like(gen.sample(params[source], source, m, rng), rng, gen.shift))
        parts.append(gen.sample(params[cls], cls, n - n_like, rng))
        labels.append(np.full(n, cls, dtype=object))
    free = concat_free(parts)
    classes = np.concatenate(labels)
    cols = derive(free, rng)
    gen.post(cols, classes, rng)
    return assemble(cols, classes, free["port"], rng)
