"""Draw flows of one behaviour (see :mod:`flowgan.datasets.simulate_profiles`) into a packet builder."""

from __future__ import annotations

import numpy as np

from flowgan.datasets.simulate_vocabulary import (
    ADDRESS_POOLS,
    CLIENT_STACKS,
    SERVER_STACKS,
    TcpBehaviour,
    UdpBehaviour,
)
from flowgan.datasets.simulate_traffic import (
    Exchanges,
    PacketBuilder,
    TcpFlows,
    UdpFlows,
    add_tcp_flows,
    add_udp_flows,
    sample,
    sample_int,
)

MAX_REPEATS = 400
"""Most body exchanges a simulated flow has (bounds the packets per flow)."""
MAX_BYTES = 2_000_000
"""Most payload bytes of one request or response."""
SEQUENTIAL_PORT_BASE = 13316
"""First source port of the attacker's sequential ports (the real Bruteforce-XML rows start here)."""


def draw_behaviour(
    behaviour: TcpBehaviour | UdpBehaviour,
    flow_ids: np.ndarray,
    row_index: np.ndarray,
    builder: PacketBuilder,
    rng: np.random.Generator,
) -> dict[str, np.ndarray]:
    """Add the packets of ``len(flow_ids)`` flows of ``behaviour`` to ``builder``.

    Parameters
    ----------
    behaviour : TcpBehaviour or UdpBehaviour
        What kind of flows to draw.
    flow_ids : ndarray of int64
        Builder flow numbers of the new flows.
    row_index : ndarray of int64
        Position of each flow within its class (drives sequential source ports).
    builder : PacketBuilder
        Receives the packets.
    rng : numpy.random.Generator
        Source of randomness.

    Returns
    -------
    dict
        ``originh``, ``originp``, ``responh``, ``responp`` arrays, one value per flow.
    """
    if isinstance(behaviour, TcpBehaviour):
        _draw_tcp(behaviour, flow_ids, builder, rng)
    else:
        _draw_udp(behaviour, flow_ids, builder, rng)
    return _draw_endpoints(behaviour, row_index, rng)


def _draw_endpoints(b, row_index: np.ndarray, rng: np.random.Generator) -> dict[str, np.ndarray]:
    n = len(row_index)
    responp = sample_int(b.port, rng, n)
    if b.src_port == "same":
        originp = responp.copy()
    elif b.src_port == "sequential":
        originp = 1024 + (SEQUENTIAL_PORT_BASE - 1024 + 2 * np.asarray(row_index, dtype=np.int64)) % (65536 - 1024)
    else:
        originp = rng.integers(32768, 61000, n)
    return {
        "originh": _draw_addresses(b.origin, rng, n),
        "originp": originp.astype(np.int64),
        "responh": _draw_addresses(b.responder, rng, n),
        "responp": responp.astype(np.int64),
    }


def _draw_addresses(pool: str, rng: np.random.Generator, n: int) -> np.ndarray:
    prefix, first, last = ADDRESS_POOLS[pool]
    choices = np.array([f"{prefix}.{host}" for host in range(first, last + 1)], dtype=object)
    return choices[rng.integers(0, len(choices), n)]


def _draw_stacks(table: dict, probs: dict, rng: np.random.Generator, n: int) -> tuple[np.ndarray, ...]:
    names = list(probs)
    weights = np.array([probs[k] for k in names], dtype=float)
    which = rng.choice(len(names), size=n, p=weights / weights.sum())
    syn_header, header, init_window = (np.array([table[k][i] for k in names], dtype=np.int64)[which] for i in range(3))
    window = np.zeros(n, dtype=np.int64)
    for i, name in enumerate(names):
        picked = which == i
        window[picked] = sample_int(table[name][3], rng, int(picked.sum()))
    return syn_header, header, init_window, window


def _choose(probs: tuple, rng: np.random.Generator, n: int) -> np.ndarray:
    p = np.asarray(probs, dtype=float)
    return rng.choice(len(p), size=n, p=p / p.sum()).astype(np.int64)


def _draw_tcp(b: TcpBehaviour, flow_ids: np.ndarray, builder: PacketBuilder, rng: np.random.Generator) -> None:
    n = len(flow_ids)
    c_syn, c_hdr, c_init, c_win = _draw_stacks(CLIENT_STACKS, b.client_stacks, rng, n)
    s_syn, s_hdr, s_init, s_win = _draw_stacks(SERVER_STACKS, b.server_stacks, rng, n)
    flows = TcpFlows(
        flow=np.asarray(flow_ids, dtype=np.int64),
        opening=_choose(b.opening, rng, n),
        syn_tries=sample_int(b.syn_tries, rng, n),
        closing=_choose(b.closing, rng, n),
        close_gap=sample(b.close_gap, rng, n),
        rtt=sample(b.rtt, rng, n),
        client_syn_header=c_syn, client_header=c_hdr, client_init_window=c_init, client_window=c_win,
        server_syn_header=s_syn, server_header=s_hdr, server_init_window=s_init, server_window=s_win,
        ecn=rng.random(n) < b.ecn,
        sack_rate=np.full(n, b.sack_rate),
        segment=np.where(rng.random(n) < b.tso, 2896, 1448).astype(np.int64),
        rst_count=sample_int(b.rst_count, rng, n),
    )  # fmt: skip
    add_tcp_flows(builder, flows, _draw_exchanges(b, n, rng), rng)


def _draw_exchanges(b: TcpBehaviour, n: int, rng: np.random.Generator) -> Exchanges:
    specs = (*b.prelude, *b.body, *b.epilogue)
    n_pre, n_body = len(b.prelude), len(b.body)
    repeats = np.minimum(sample_int(b.repeats, rng, n), MAX_REPEATS) if n_body else np.zeros(n, dtype=np.int64)
    per_flow = n_pre + repeats * n_body + len(b.epilogue)
    ex_flow = np.repeat(np.arange(n), per_flow)
    slot = np.arange(len(ex_flow)) - np.repeat(np.cumsum(per_flow) - per_flow, per_flow)
    body_end = n_pre + repeats[ex_flow] * n_body
    spec_id = np.where(
        slot < n_pre,
        slot,
        np.where(slot < body_end, n_pre + (slot - n_pre) % max(n_body, 1), n_pre + n_body + slot - body_end),
    )
    m = len(ex_flow)
    fwd, bwd = np.zeros(m, dtype=np.int64), np.zeros(m, dtype=np.int64)
    gap, delay = np.zeros(m), np.zeros(m)
    bwd_ack, fwd_acks = np.zeros(m, dtype=bool), np.zeros(m, dtype=bool)
    for k, spec in enumerate(specs):
        idx = np.flatnonzero(spec_id == k)
        if not idx.size:
            continue
        fwd[idx] = np.minimum(sample_int(spec.fwd, rng, idx.size), MAX_BYTES)
        bwd[idx] = np.minimum(sample_int(spec.bwd, rng, idx.size), MAX_BYTES)
        gap[idx] = sample(spec.gap, rng, idx.size)
        delay[idx] = sample(spec.delay, rng, idx.size)
        bwd_ack[idx] = rng.random(idx.size) < spec.bwd_ack
        fwd_acks[idx] = rng.random(idx.size) < spec.fwd_ack
    return Exchanges(
        flow=ex_flow, fwd_bytes=fwd, bwd_bytes=bwd, gap=gap, server_delay=delay, bwd_ack=bwd_ack, fwd_acks=fwd_acks
    )


def _draw_udp(b: UdpBehaviour, flow_ids: np.ndarray, builder: PacketBuilder, rng: np.random.Generator) -> None:
    n = len(flow_ids)
    requests = np.minimum(np.maximum(sample_int(b.requests, rng, n), 1), MAX_REPEATS)
    ex_flow = np.repeat(np.arange(n), requests)
    m = len(ex_flow)
    add_udp_flows(
        builder,
        UdpFlows(
            flow=np.asarray(flow_ids, dtype=np.int64),
            header=np.full(n, b.header, dtype=np.int64),
            ex_flow=ex_flow,
            fwd_bytes=sample_int(b.fwd, rng, m),
            bwd_bytes=sample_int(b.bwd, rng, m),
            answered=rng.random(m) < b.answered,
            gap=sample(b.gap, rng, m),
            delay=sample(b.delay, rng, m),
        ),
    )
