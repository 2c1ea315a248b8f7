"""A CIC-IDS2017-like export: another schema, another generative process.

Per class a handful of k-means-like clusters: each cluster is a centre in log space (packet
counts, duration in microseconds, mean packet lengths) with log-normal noise around it; attack
classes draw part of their rows from the BENIGN clusters. Dependent columns are derived so the
identities in :data:`CIC_IDENTITIES` hold exactly; :func:`cic_violations` checks them with
plain column arithmetic.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

LABEL = " Label"
CIC_DROP: tuple[str, ...] = ("Flow ID", " Source IP", " Source Port", " Destination IP", " Destination Port", " Timestamp")
CLASS_SHARES = {"BENIGN": 0.80, "DoS Hulk": 0.08, "PortScan": 0.07, "DDoS": 0.045, "Bot": 0.005}
LIKE_SHARE = {"DoS Hulk": 0.62, "PortScan": 0.62, "DDoS": 0.62, "Bot": 0.55}
_CLUSTERS = {"BENIGN": 8, "DoS Hulk": 3, "PortScan": 2, "DDoS": 3, "Bot": 2}
_PORTS = {
    "BENIGN": (53, 80, 443, 123, 22), "DoS Hulk": (80,), "PortScan": (21, 22, 80, 139, 443, 8080),
    "DDoS": (80,), "Bot": (8080, 443),
}  # fmt: skip

INT_COLUMNS: tuple[str, ...] = (
    " Source Port", " Destination Port", " Protocol", " Flow Duration", " Total Fwd Packets",
    " Total Backward Packets", "Total Length of Fwd Packets", " Total Length of Bwd Packets",
    " Fwd Packet Length Max", " Fwd Packet Length Min", " Bwd Packet Length Max", " Bwd Packet Length Min",
    " Flow IAT Max", " Flow IAT Min", "Fwd IAT Total", " Fwd IAT Max", " Fwd IAT Min",
    " Fwd Header Length", " Bwd Header Length", "Init_Win_bytes_forward", " Init_Win_bytes_backward",
    "Total Packets", "Total Length of Packets",
)  # fmt: skip

COLUMNS: tuple[str, ...] = (
    "Flow ID", " Source IP", " Source Port", " Destination IP", " Destination Port", " Protocol", " Timestamp",
    " Flow Duration", " Total Fwd Packets", " Total Backward Packets", "Total Length of Fwd Packets",
    " Total Length of Bwd Packets", " Fwd Packet Length Max", " Fwd Packet Length Min", " Fwd Packet Length Mean",
    " Bwd Packet Length Max", " Bwd Packet Length Min", " Bwd Packet Length Mean", "Flow Bytes/s",
    " Flow Packets/s", " Flow IAT Mean", " Flow IAT Max", " Flow IAT Min", "Fwd IAT Total", " Fwd IAT Mean",
    " Fwd IAT Max", " Fwd IAT Min", " Fwd Header Length", " Bwd Header Length", "Fwd Packets/s",
    " Bwd Packets/s", " Average Packet Size", "Init_Win_bytes_forward", " Init_Win_bytes_backward",
    " Down/Up Ratio", "Flow Duration Seconds", "Total Packets", "Total Length of Packets", LABEL,
)  # fmt: skip

CIC_IDENTITIES = """\
# CIC-IDS2017-like export (flowgan.testing): relations that hold on every row
`Flow Duration Seconds` = 1e-06 * ` Flow Duration`
`Total Packets` = ` Total Fwd Packets` + ` Total Backward Packets`
`Total Length of Packets` = `Total Length of Fwd Packets` + ` Total Length of Bwd Packets`
` Fwd Packet Length Mean` = `Total Length of Fwd Packets` / ` Total Fwd Packets`
` Bwd Packet Length Mean` = ` Total Length of Bwd Packets` / ` Total Backward Packets`
` Average Packet Size` = `Total Length of Packets` / `Total Packets`
` Down/Up Ratio` = ` Total Backward Packets` / ` Total Fwd Packets`
`Fwd Packets/s` = ` Total Fwd Packets` / `Flow Duration Seconds`
` Bwd Packets/s` = ` Total Backward Packets` / `Flow Duration Seconds`
` Flow Packets/s` = `Total Packets` / `Flow Duration Seconds`
`Flow Bytes/s` = `Total Length of Packets` / `Flow Duration Seconds`
` Flow IAT Mean` = ` Flow Duration` / (` Total Fwd Packets` + ` Total Backward Packets` - 1)
` Fwd IAT Mean` = `Fwd IAT Total` / (` Total Fwd Packets` - 1)
` Fwd Packet Length Min` <= ` Fwd Packet Length Mean` <= ` Fwd Packet Length Max`
` Bwd Packet Length Min` <= ` Bwd Packet Length Mean` <= ` Bwd Packet Length Max`
` Flow IAT Min` <= ` Flow IAT Mean` <= ` Flow IAT Max`
` Fwd IAT Min` <= ` Fwd IAT Mean` <= ` Fwd IAT Max`
` Fwd IAT Max` <= `Fwd IAT Total`
`Fwd IAT Total` <= ` Flow Duration`
` Flow IAT Max` <= ` Flow Duration`
` Flow Duration` >= 0
` Total Fwd Packets` >= 0
` Total Backward Packets` >= 0
` Flow Duration` is integer
` Total Fwd Packets` is integer
` Total Backward Packets` is integer
"""
"""Declared identities of the cic table, one a line (flowgan's identities grammar)."""


def _cluster(cls: str, rng) -> dict:
    u = rng.uniform
    return {
        "centre": np.array([u(0, 3.5), u(0, 3.5), u(4, 16), u(2.5, 7), u(2.5, 7.2)]),
        "sigma": u(0.1, 0.8, 5), "share": (u(0.5, 4), u(0.5, 4)), "fzero": u(0, 0.4), "bzero": u(0, 0.4),
        "no_bwd": u(0, 0.4), "udp": u(0, 0.3), "spread": u(0.05, 0.8), "hdr": rng.choice([20, 32]),
        "win": rng.choice([-1, 0, 229, 8192, 29200, 65535], 2), "ports": _PORTS[cls],
    }  # fmt: skip


def _sample(c: dict, n: int, rng) -> dict[str, np.ndarray]:
    """Free variables of ``n`` rows around cluster ``c`` (log-normal noise)."""
    x = np.exp(c["centre"] + c["sigma"] * rng.standard_normal((n, 5))).T
    return {
        "fwd": np.maximum(np.round(x[0]), 1), "bwd": np.where(rng.random(n) < c["no_bwd"], 0, np.round(x[1] - 1).clip(0)),
        "dur": np.round(x[2]), "flen": np.where(rng.random(n) < c["fzero"], 0, np.minimum(x[3], 1460)),
        "blen": np.where(rng.random(n) < c["bzero"], 0, np.minimum(x[4], 1460)),
        "share": rng.beta(*c["share"], n), "spread": np.full(n, c["spread"]),
        "proto": np.where(rng.random(n) < c["udp"], 17, 6), "hdr": np.full(n, c["hdr"]),
        "win_f": np.full(n, max(c["win"][0], 0)), "win_b": np.full(n, max(c["win"][1], 0)),
        "dport": np.array(c["ports"])[rng.integers(0, len(c["ports"]), n)],
    }  # fmt: skip


def _class_rows(cls: str, n: int, clusters: dict, rng) -> dict[str, np.ndarray]:
    n_like = int(round(n * LIKE_SHARE.get(cls, 0.0)))
    parts = []
    for source, m in (("BENIGN", n_like), (cls, n - n_like)):
        which = rng.integers(0, len(clusters[source]), m)
        for j, c in enumerate(clusters[source]):
            k = int((which == j).sum())
            if k:
                part = _sample(c, k, rng)
                if source != cls:
                    part["dur"] = np.round(part["dur"] * 1.1)
                parts.append(part)
    return {k: np.concatenate([p[k] for p in parts]) for k in parts[0]}


def _factors(rng, n, spread):
    return np.exp(-spread * rng.exponential(1.0, n)), 1.0 + spread * rng.exponential(1.5, n)


def _lengths(count, mean_len, rng, spread):
    """Total, max, min (integers) and mean of packet lengths in one direction."""
    tot = np.where((count > 0) & (mean_len > 0), np.maximum(np.round(count * mean_len), 1), 0).astype(np.int64)
    mean = np.where(count > 0, tot / np.maximum(count, 1), 0.0)
    u, v = _factors(rng, count.size, spread)
    single = count == 1
    high = np.where(single, tot, np.minimum(np.ceil(mean * v), tot)).astype(np.int64)
    low = np.where(single, tot, np.floor(mean * u)).astype(np.int64)
    return tot, high, low, mean


def _iat(total, count, rng, spread):
    """Mean, max, min of ``count - 1`` gaps summing to ``total`` microseconds."""
    gaps = count - 1
    mean = np.where(gaps > 0, total / np.maximum(gaps, 1), 0.0)
    u, v = _factors(rng, total.size, spread)
    high = np.where(gaps == 1, total, np.minimum(np.ceil(mean * v), total)).astype(np.int64)
    low = np.where(gaps == 1, total, np.floor(mean * u)).astype(np.int64)
    return mean, np.where(gaps > 0, high, 0), np.where(gaps > 0, low, 0)


def _ratio(a, d):
    return np.where(d > 0, a / np.where(d > 0, d, 1), 0.0)


def _derive(f: dict[str, np.ndarray], rng) -> dict[str, np.ndarray]:
    fwd = f["fwd"].astype(np.int64)
    bwd = f["bwd"].astype(np.int64)
    count = fwd + bwd
    dur = np.where(count > 1, np.maximum(f["dur"], 1), 0).astype(np.int64)
    seconds = dur.astype(np.float64) * 1e-06
    ftot, fmax, fmin, fmean = _lengths(fwd, f["flen"], rng, f["spread"])
    btot, bmax, bmin, bmean = _lengths(bwd, f["blen"], rng, f["spread"])
    length = ftot + btot
    flow_mean, flow_max, flow_min = _iat(dur, count, rng, f["spread"] * 1.5)
    fiat = np.where(fwd > 1, np.floor(dur * f["share"]), 0).astype(np.int64)
    fiat_mean, fiat_max, fiat_min = _iat(fiat, fwd, rng, f["spread"])
    return {
        " Protocol": f["proto"], " Destination Port": f["dport"], " Flow Duration": dur,
        " Total Fwd Packets": fwd, " Total Backward Packets": bwd,
        "Total Length of Fwd Packets": ftot, " Total Length of Bwd Packets": btot,
        " Fwd Packet Length Max": fmax, " Fwd Packet Length Min": fmin, " Fwd Packet Length Mean": fmean,
        " Bwd Packet Length Max": bmax, " Bwd Packet Length Min": bmin, " Bwd Packet Length Mean": bmean,
        "Flow Bytes/s": _ratio(length, seconds), " Flow Packets/s": _ratio(count, seconds),
        " Flow IAT Mean": flow_mean, " Flow IAT Max": flow_max, " Flow IAT Min": flow_min,
        "Fwd IAT Total": fiat, " Fwd IAT Mean": fiat_mean, " Fwd IAT Max": fiat_max, " Fwd IAT Min": fiat_min,
        " Fwd Header Length": fwd * f["hdr"], " Bwd Header Length": bwd * f["hdr"],
        "Fwd Packets/s": _ratio(fwd, seconds), " Bwd Packets/s": _ratio(bwd, seconds),
        " Average Packet Size": _ratio(length, count), "Init_Win_bytes_forward": f["win_f"],
        " Init_Win_bytes_backward": np.where(bwd > 0, f["win_b"], 0), " Down/Up Ratio": bwd / fwd,
        "Flow Duration Seconds": seconds, "Total Packets": count, "Total Length of Packets": length,
    }  # fmt: skip


def _strings(cols: dict, n: int, rng) -> None:
    """Flow ID, IPs, source port and timestamp as the export's strings."""
    src = pd.Series(np.array([f"192.0.2.{i}" for i in range(1, 255)], dtype=object)[rng.integers(0, 254, n)], dtype=object)
    dst = pd.Series(np.array([f"203.0.113.{i}" for i in range(1, 255)], dtype=object)[rng.integers(0, 254, n)], dtype=object)
    sport = rng.integers(1024, 65536, n)
    numbers = np.arange(65536).astype(str).astype(object)
    two = np.array([f"{i:02d}" for i in range(60)], dtype=object)
    seconds = np.sort(rng.integers(0, 8 * 3600, n))
    stamp = pd.Series(np.array([f"7/7/2017 {h}:" for h in range(8, 17)], dtype=object)[seconds // 3600], dtype=object)
    flow_id = dst + "-" + src + "-" + numbers[cols[" Destination Port"]] + "-" + numbers[sport] + "-" + numbers[cols[" Protocol"]]
    cols["Flow ID"] = flow_id.to_numpy(dtype=object)
    cols[" Source IP"], cols[" Destination IP"] = src.to_numpy(dtype=object), dst.to_numpy(dtype=object)
    cols[" Source Port"] = sport.astype(np.int64)
    cols[" Timestamp"] = (stamp + two[(seconds // 60) % 60] + ":" + two[seconds % 60]).to_numpy(dtype=object)


def make_cic(scale: float, seed: int) -> pd.DataFrame:
    """The cic frame: about ``500_000 * scale`` rows in time order, columns :data:`COLUMNS`."""
    rng = np.random.default_rng([seed, 3])
    total = 500_000 * scale
    clusters = {
        c: [_cluster(c, np.random.default_rng([seed, 3, i, j])) for j in range(k)]
        for i, (c, k) in enumerate(_CLUSTERS.items())
    }
    parts, labels = [], []
    for cls, share in CLASS_SHARES.items():
        n = max(2, int(round(total * share)))
        parts.append(_class_rows(cls, n, clusters, rng))
        labels.append(np.full(n, cls, dtype=object))
    free = {k: np.concatenate([p[k] for p in parts]) for k in parts[0]}
    order = rng.permutation(sum(p["fwd"].size for p in parts))
    free = {k: v[order] for k, v in free.items()}
    cols = _derive(free, rng)
    _strings(cols, order.size, rng)
    cols[LABEL] = np.concatenate(labels)[order]
    frame = pd.DataFrame({c: cols[c] for c in COLUMNS})
    for c in COLUMNS:
        wanted = "int64" if c in INT_COLUMNS else "object" if isinstance(cols[c][0], str) else "float64"
        if str(frame[c].dtype) != wanted:
            frame[c] = frame[c].astype(wanted)
    return frame


def cic_violations(frame: pd.DataFrame, rtol: float = 1e-9, atol: float = 1e-12) -> int:
    """Rows of a cic frame breaking any identity of :data:`CIC_IDENTITIES` (plain arithmetic)."""

    def col(name):
        return frame[name].to_numpy(dtype=np.float64)

    def eq(a, b):
        return np.abs(a - b) <= atol + rtol * np.maximum(np.abs(a), np.abs(b))

    def le(a, b):
        return a <= b + atol + rtol * np.maximum(np.abs(a), np.abs(b))

    fwd, bwd = col(" Total Fwd Packets"), col(" Total Backward Packets")
    dur, sec = col(" Flow Duration"), col("Flow Duration Seconds")
    flen, blen = col("Total Length of Fwd Packets"), col(" Total Length of Bwd Packets")
    pk, ln = col("Total Packets"), col("Total Length of Packets")
    ok = eq(sec, 1e-06 * dur) & eq(pk, fwd + bwd) & eq(ln, flen + blen)
    for target, num, den in (
        (" Fwd Packet Length Mean", flen, fwd), (" Bwd Packet Length Mean", blen, bwd),
        (" Average Packet Size", ln, pk), (" Down/Up Ratio", bwd, fwd), ("Fwd Packets/s", fwd, sec),
        (" Bwd Packets/s", bwd, sec), (" Flow Packets/s", pk, sec), ("Flow Bytes/s", ln, sec),
        (" Flow IAT Mean", dur, fwd + bwd - 1), (" Fwd IAT Mean", col("Fwd IAT Total"), fwd - 1),
    ):  # fmt: skip
        ok &= eq(col(target), _ratio(num, den))
    for low, mid, high in (
        (" Fwd Packet Length Min", " Fwd Packet Length Mean", " Fwd Packet Length Max"),
        (" Bwd Packet Length Min", " Bwd Packet Length Mean", " Bwd Packet Length Max"),
        (" Flow IAT Min", " Flow IAT Mean", " Flow IAT Max"), (" Fwd IAT Min", " Fwd IAT Mean", " Fwd IAT Max"),
    ):  # fmt: skip
        ok &= le(col(low), col(mid)) & le(col(mid), col(high))
    ok &= le(col(" Fwd IAT Max"), col("Fwd IAT Total")) & le(col("Fwd IAT Total"), dur) & le(col(" Flow IAT Max"), dur)
    for values in (dur, fwd, bwd):
        ok &= (values >= 0) & (values == np.round(values)) & np.isfinite(values)
    return int((~ok).sum())
