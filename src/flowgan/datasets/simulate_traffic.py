"""Packet sequences of simulated flows, built for many flows at once.

A flow is assembled from packets that each carry a sort key and a delay after the packet
before them; :meth:`PacketBuilder.build` sorts packets by (flow, key), accumulates the delays
into capture times and cuts flows at the flow timeout. :func:`add_tcp_flows` and
:func:`add_udp_flows` expand per-flow and per-exchange parameters into packets with
``np.repeat``; nothing loops over flows or packets in Python.

Distributions are small tuples, sampled by :func:`sample`:

``("const", v)``, ``("uniform", lo, hi)``, ``("lognormal", median, sigma)``,
``("exp", mean)``, ``("choice", values, probs)``, ``("geometric", mean)`` (integers >= 1),
``("poisson", mean)``, ``("clip", spec, lo, hi)``, ``("mix", ((weight, spec), ...))``,
``("add", spec, spec)``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from flowgan.datasets.flowmeter import ACK, CWR, ECE, FIN, PSH, RST, SYN, PacketTable
from flowgan.errors import FlowganError

OPEN_FULL, OPEN_SYN_ONLY, OPEN_SYN_RST, OPEN_MIDSTREAM = 0, 1, 2, 3
CLOSE_NONE, CLOSE_FIN_CLIENT, CLOSE_FIN_SERVER, CLOSE_RST, CLOSE_FIN_RST = 0, 1, 2, 3, 4
_EXCHANGE_SHIFT = 20  # sort key = exchange order << 20 | position inside the exchange
_CLOSE_KEY = 1 << 60


def sample(spec: tuple, rng: np.random.Generator, n: int) -> np.ndarray:
    """Draw ``n`` float64 values from a distribution tuple (see the module docstring)."""
    kind = spec[0]
    if kind == "const":
        return np.full(n, float(spec[1]))
    if kind == "uniform":
        return rng.uniform(spec[1], spec[2], n)
    if kind == "lognormal":
        return spec[1] * np.exp(spec[2] * rng.standard_normal(n))
    if kind == "exp":
        return rng.exponential(spec[1], n)
    if kind == "choice":
        probs = np.asarray(spec[2], dtype=float) if len(spec) > 2 else None
        return rng.choice(np.asarray(spec[1], dtype=float), size=n, p=None if probs is None else probs / probs.sum())
    if kind == "geometric":
        return rng.geometric(1.0 / spec[1], n).astype(float)
    if kind == "poisson":
        return rng.poisson(spec[1], n).astype(float)
    if kind == "clip":
        return np.clip(sample(spec[1], rng, n), spec[2], spec[3])
    if kind == "add":
        return sample(spec[1], rng, n) + sample(spec[2], rng, n)
    if kind == "mix":
        weights = np.array([w for w, _ in spec[1]], dtype=float)
        which = rng.choice(len(weights), size=n, p=weights / weights.sum())
        out = np.empty(n)
        for i, (_, sub) in enumerate(spec[1]):
            picked = which == i
            out[picked] = sample(sub, rng, int(picked.sum()))
        return out
    raise FlowganError(f"unknown distribution kind {kind!r} in {spec!r}")


def sample_int(spec: tuple, rng: np.random.Generator, n: int) -> np.ndarray:
    """Like :func:`sample`, rounded to non-negative int64."""
    return np.maximum(np.rint(sample(spec, rng, n)), 0).astype(np.int64)


def _expand(counts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For items with ``counts`` packets each: item index and position of every packet."""
    counts = np.asarray(counts, dtype=np.int64)
    item = np.repeat(np.arange(len(counts)), counts)
    starts = np.cumsum(counts) - counts
    return item, np.arange(len(item)) - starts[item]


class PacketBuilder:
    """Collects packets of ``n_flows`` flows, in any order, then builds a :class:`PacketTable`."""

    _COLUMNS = ("flow", "key", "delay", "forward", "header", "payload", "flags", "window")

    def __init__(self, n_flows: int) -> None:
        self.n_flows = n_flows
        self._parts: list[tuple[np.ndarray, ...]] = []

    def add(self, flow, key, delay, forward, header, payload, flags, window) -> None:
        """Add packets; every argument is an array of the packets' length or a scalar."""
        flow = np.asarray(flow, dtype=np.int64)
        if not flow.size:
            return
        n = flow.size
        values = (flow, key, delay, forward, header, payload, flags, window)
        dtypes = (np.int64, np.int64, np.float64, bool, np.int64, np.int64, np.uint8, np.int64)
        self._parts.append(tuple(np.broadcast_to(np.asarray(v, dtype=d), (n,)) for v, d in zip(values, dtypes)))

    def build(self, start_time: np.ndarray, flow_timeout_s: float) -> PacketTable:
        """Sort, time-stamp (``start_time`` + accumulated delays) and cut flows at the timeout."""
        cols = dict(zip(self._COLUMNS, (np.concatenate(c) for c in zip(*self._parts))))
        order = np.lexsort((cols["key"], cols["flow"]))
        cols = {k: v[order] for k, v in cols.items()}
        counts = np.bincount(cols["flow"], minlength=self.n_flows)
        if np.any(counts == 0):
            raise FlowganError("internal error: a simulated flow has no packet")
        starts = np.cumsum(counts) - counts
        delay = cols["delay"].copy()
        delay[starts] = 0.0
        elapsed = np.cumsum(delay)
        relative = elapsed - np.repeat(elapsed[starts], counts)
        keep = relative <= flow_timeout_s
        cols = {k: v[keep] for k, v in cols.items()}
        relative = relative[keep]
        counts = np.bincount(cols["flow"], minlength=self.n_flows)
        offsets = np.r_[0, np.cumsum(counts)]
        time = np.asarray(start_time, dtype=np.float64)[cols["flow"]] + relative
        return PacketTable(
            offsets=offsets,
            time=time,
            forward=cols["forward"],
            header=cols["header"],
            payload=cols["payload"],
            flags=cols["flags"],
            window=cols["window"],
        )


@dataclass
class TcpFlows:
    """Per-flow parameters of TCP flows (arrays of one length); see :func:`add_tcp_flows`."""

    flow: np.ndarray  # builder flow ids
    opening: np.ndarray  # OPEN_* codes
    syn_tries: np.ndarray  # SYNs sent when unanswered
    closing: np.ndarray  # CLOSE_* codes
    close_gap: np.ndarray  # seconds from the last exchange to the closing packets
    rtt: np.ndarray  # seconds
    client_syn_header: np.ndarray
    client_header: np.ndarray
    client_init_window: np.ndarray
    client_window: np.ndarray
    server_syn_header: np.ndarray
    server_header: np.ndarray
    server_init_window: np.ndarray
    server_window: np.ndarray
    ecn: np.ndarray  # bool: ECN negotiated in the handshake
    sack_rate: np.ndarray  # probability that a pure ACK carries a SACK block (+12 header bytes)
    segment: np.ndarray  # server segment size (1448, or 2896 when the capture sees TSO)
    rst_count: np.ndarray  # RST packets sent by the client when closing with RST


@dataclass
class Exchanges:
    """Request/response exchanges, sorted by flow; ``flow`` indexes into a :class:`TcpFlows`."""

    flow: np.ndarray
    fwd_bytes: np.ndarray  # request payload (0: server push)
    bwd_bytes: np.ndarray  # response payload (0: no response)
    gap: np.ndarray  # seconds from the previous packet to the request
    server_delay: np.ndarray  # seconds from the request to the response
    bwd_ack: np.ndarray  # bool: server sends a pure ACK for the request
    fwd_acks: np.ndarray  # bool: client ACKs the response (one ACK per two segments)


def add_tcp_flows(builder: PacketBuilder, flows: TcpFlows, exchanges: Exchanges, rng: np.random.Generator) -> None:
    """Add the packets of TCP flows: opening, request/response exchanges, closing."""
    _add_tcp_opening(builder, flows, rng)
    established = (flows.opening == OPEN_FULL) | (flows.opening == OPEN_MIDSTREAM)
    keep = established[exchanges.flow]
    if keep.any():
        _add_tcp_exchanges(builder, flows, Exchanges(*(getattr(exchanges, f)[keep] for f in Exchanges.__dataclass_fields__)), rng)
    _add_tcp_closing(builder, flows, established, rng)


def _ack_header(base: np.ndarray, sack_rate: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    return base + 12 * (rng.random(len(base)) < sack_rate)


def _add_tcp_opening(builder: PacketBuilder, f: TcpFlows, rng: np.random.Generator) -> None:
    ecn_syn = np.where(f.ecn, ECE | CWR, 0)
    full = np.flatnonzero(f.opening == OPEN_FULL)
    if full.size:
        builder.add(f.flow[full], 0, 0.0, True, f.client_syn_header[full], 0, SYN | ecn_syn[full], f.client_init_window[full])
        builder.add(
            f.flow[full], 1, f.rtt[full] * rng.uniform(0.85, 1.15, full.size), False, f.server_syn_header[full], 0,
            SYN | ACK | np.where(f.ecn[full], ECE, 0), f.server_init_window[full],
        )  # fmt: skip
        builder.add(
            f.flow[full], 2, rng.exponential(60e-6, full.size), True, f.client_header[full], 0, ACK, f.client_window[full]
        )
    tries = np.flatnonzero(f.opening == OPEN_SYN_ONLY)
    if tries.size:
        item, pos = _expand(np.maximum(f.syn_tries[tries], 1))
        backoff = np.where(pos == 0, 0.0, 2.0 ** (pos - 1) + rng.uniform(0, 0.01, len(pos)))
        builder.add(f.flow[tries][item], pos, backoff, True, f.client_syn_header[tries][item], 0, SYN, f.client_init_window[tries][item])
    refused = np.flatnonzero(f.opening == OPEN_SYN_RST)
    if refused.size:
        builder.add(f.flow[refused], 0, 0.0, True, f.client_syn_header[refused], 0, SYN, f.client_init_window[refused])
        builder.add(f.flow[refused], 1, f.rtt[refused], False, 20, 0, RST | ACK, 0)
    mid = np.flatnonzero(f.opening == OPEN_MIDSTREAM)
    if mid.size:
        builder.add(f.flow[mid], 0, 0.0, True, f.client_header[mid], 0, ACK, f.client_window[mid])


def _add_tcp_exchanges(builder: PacketBuilder, f: TcpFlows, ex: Exchanges, rng: np.random.Generator) -> None:
    n_ex = len(ex.flow)
    group_start = np.r_[True, ex.flow[1:] != ex.flow[:-1]]
    first_of_flow = np.maximum.accumulate(np.where(group_start, np.arange(n_ex), 0))
    base = (np.arange(n_ex) - first_of_flow + 1) << _EXCHANGE_SHIFT
    flow_id = f.flow[ex.flow]
    mss = 1448
    n_req = -(-ex.fwd_bytes // mss)
    seg = f.segment[ex.flow]
    n_resp = -(-ex.bwd_bytes // seg)

    # Request segments: the last one pushes.
    item, pos = _expand(n_req)
    size = np.minimum(ex.fwd_bytes[item] - pos * mss, mss)
    delay = np.where(pos == 0, ex.gap[item], rng.exponential(15e-6, len(pos)))
    flags = ACK | np.where(pos == n_req[item] - 1, PSH, 0)
    cf = ex.flow[item]
    builder.add(flow_id[item], base[item] + pos, delay, True, f.client_header[cf], size, flags, f.client_window[cf])

    # Server ACK of the request.
    acked = np.flatnonzero(ex.bwd_ack & (n_req > 0))
    sf = ex.flow[acked]
    builder.add(
        flow_id[acked], base[acked] + (1 << 18), rng.exponential(1.0, acked.size) * f.rtt[sf] * 0.5, False,
        _ack_header(f.server_header[sf], f.sack_rate[sf], rng), 0, ACK, f.server_window[sf],
    )  # fmt: skip

    # Response segments: the last one pushes; the first waits for the server.
    item, pos = _expand(n_resp)
    sf = ex.flow[item]
    size = np.minimum(ex.bwd_bytes[item] - pos * seg[item], seg[item])
    first_delay = np.where(n_req[item] > 0, ex.server_delay[item], ex.gap[item])
    delay = np.where(pos == 0, first_delay, rng.exponential(40e-6, len(pos)))
    flags = ACK | np.where(pos == n_resp[item] - 1, PSH, 0)
    builder.add(
        flow_id[item], base[item] + (1 << 18) + 1 + 2 * pos, delay, False, f.server_header[sf], size, flags, f.server_window[sf]
    )

    # Client ACKs, one after every second response segment (and after the last).
    item, pos = _expand(np.where(ex.fwd_acks, -(-n_resp // 2), 0))
    cf = ex.flow[item]
    builder.add(
        flow_id[item], base[item] + (1 << 18) + 2 + 2 * (2 * pos + 1), rng.exponential(50e-6, len(pos)), True,
        _ack_header(f.client_header[cf], f.sack_rate[cf], rng), 0, ACK, f.client_window[cf],
    )  # fmt: skip


def _add_tcp_closing(builder: PacketBuilder, f: TcpFlows, established: np.ndarray, rng: np.random.Generator) -> None:
    key = _CLOSE_KEY

    def pick(code):
        return np.flatnonzero(established & (f.closing == code))

    for i in (pick(CLOSE_FIN_CLIENT), pick(CLOSE_FIN_RST)):
        builder.add(f.flow[i], key, f.close_gap[i], True, f.client_header[i], 0, FIN | ACK, f.client_window[i])
        builder.add(f.flow[i], key + 1, f.rtt[i] * rng.uniform(0.85, 1.15, i.size), False, f.server_header[i], 0, FIN | ACK, f.server_window[i])
    i = pick(CLOSE_FIN_CLIENT)
    builder.add(f.flow[i], key + 2, rng.exponential(50e-6, i.size), True, f.client_header[i], 0, ACK, f.client_window[i])
    i = pick(CLOSE_FIN_SERVER)
    builder.add(f.flow[i], key, f.close_gap[i], False, f.server_header[i], 0, FIN | ACK, f.server_window[i])
    builder.add(f.flow[i], key + 1, rng.exponential(200e-6, i.size), True, f.client_header[i], 0, FIN | ACK, f.client_window[i])
    builder.add(f.flow[i], key + 2, f.rtt[i] * rng.uniform(0.85, 1.15, i.size), False, f.server_header[i], 0, ACK, f.server_window[i])
    for code, first_delay in ((CLOSE_RST, f.close_gap), (CLOSE_FIN_RST, None)):
        i = pick(code)
        item, pos = _expand(np.maximum(f.rst_count[i], 1))
        gap = rng.exponential(30e-6, len(pos))
        if first_delay is not None:
            gap = np.where(pos == 0, first_delay[i][item], gap)
        builder.add(f.flow[i][item], key + 3 + pos, gap, True, 20, 0, RST, 0)


@dataclass
class UdpFlows:
    """UDP flows: ``flow`` builder ids, header bytes per packet (8, or 0 to reproduce rows
    the real meter reports without header bytes) and request/response exchanges."""

    flow: np.ndarray
    header: np.ndarray
    ex_flow: np.ndarray  # index into ``flow`` of each exchange, sorted
    fwd_bytes: np.ndarray
    bwd_bytes: np.ndarray
    answered: np.ndarray  # bool: a response packet follows
    gap: np.ndarray  # seconds before the request
    delay: np.ndarray  # seconds from request to response


def add_udp_flows(builder: PacketBuilder, u: UdpFlows) -> None:
    """Add the packets of UDP flows (one request packet, optionally one response, per exchange)."""
    n_ex = len(u.ex_flow)
    group_start = np.r_[True, u.ex_flow[1:] != u.ex_flow[:-1]]
    first_of_flow = np.maximum.accumulate(np.where(group_start, np.arange(n_ex), 0))
    key = 2 * (np.arange(n_ex) - first_of_flow)
    flow_id = u.flow[u.ex_flow]
    header = u.header[u.ex_flow]
    builder.add(flow_id, key, u.gap, True, header, u.fwd_bytes, 0, 0)
    a = np.flatnonzero(u.answered)
    builder.add(flow_id[a], key[a] + 1, u.delay[a], False, header[a], u.bwd_bytes[a], 0, 0)
