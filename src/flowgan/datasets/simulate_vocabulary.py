"""The vocabulary of simulated traffic: address pools, TCP stacks and behaviour specs.

:mod:`flowgan.datasets.simulate_profiles` describes the six HIKARI-2021 classes with these
types; :mod:`flowgan.datasets.simulate_behaviours` draws flows from them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

ADDRESS_POOLS: dict[str, tuple[str, int, int]] = {
    "lab_client": ("192.0.2", 10, 49),
    "lan_host": ("192.0.2", 50, 199),
    "miner": ("192.0.2", 200, 203),
    "lan_broadcast": ("192.0.2", 255, 255),
    "lan_resolver": ("192.0.2", 1, 1),
    "cms_server": ("198.51.100", 10, 12),
    "internet_a": ("198.51.100", 64, 254),
    "internet_b": ("203.0.113", 128, 254),
    "attacker": ("203.0.113", 66, 66),
    "mining_pool": ("203.0.113", 77, 78),
    "cc_server": ("203.0.113", 90, 90),
}
"""Pool name -> (/24 prefix, first host, last host), all inside RFC 5737 documentation ranges."""

CLIENT_STACKS: dict[str, tuple[int, int, int, tuple]] = {
    # name: (SYN header bytes, data header bytes, SYN window, data window distribution)
    "linux_29200": (40, 32, 29200, ("uniform", 229, 502)),
    "linux_64240": (40, 32, 64240, ("uniform", 501, 2052)),
    "windows": (32, 20, 64240, ("uniform", 1020, 8212)),
    "macos": (44, 32, 65535, ("uniform", 2048, 4117)),
}
SERVER_STACKS: dict[str, tuple[int, int, int, tuple]] = {
    "linux_65160": (40, 32, 65160, ("uniform", 235, 509)),
    "linux_28960": (40, 32, 28960, ("uniform", 227, 501)),
    "cdn_65535": (40, 32, 65535, ("uniform", 1023, 4096)),
    "windows_srv": (32, 20, 65535, ("uniform", 513, 2053)),
}


@dataclass(frozen=True)
class ExchangeSpec:
    """One request/response exchange: payload bytes each way, the pause before the request,
    the server's think time, and how likely the pure ACKs are."""

    fwd: tuple
    bwd: tuple
    gap: tuple = ("exp", 0.0005)
    delay: tuple = ("lognormal", 0.002, 0.8)
    bwd_ack: float = 0.5
    fwd_ack: float = 0.9


@dataclass(frozen=True)
class TcpBehaviour:
    """A kind of TCP flow: prelude exchanges, a body repeated ``repeats`` times, an epilogue."""

    origin: str
    responder: str
    port: tuple
    src_port: str = "ephemeral"  # "ephemeral", "sequential" (one attacker) or "same"
    opening: tuple = (1.0, 0.0, 0.0, 0.0)  # full, SYN only, SYN -> RST, mid-stream
    syn_tries: tuple = ("choice", (1, 2, 3), (0.5, 0.3, 0.2))
    prelude: tuple = ()
    body: tuple = ()
    repeats: tuple = ("const", 1)
    epilogue: tuple = ()
    closing: tuple = (0.2, 0.3, 0.3, 0.15, 0.05)  # none, FIN client, FIN server, RST, FIN then RST
    close_gap: tuple = ("lognormal", 0.5, 1.5)
    rst_count: tuple = ("const", 1)
    rtt: tuple = ("lognormal", 0.004, 0.6)
    client_stacks: dict = field(default_factory=lambda: {"linux_64240": 1.0})
    server_stacks: dict = field(default_factory=lambda: {"linux_65160": 1.0})
    tso: float = 0.3
    sack_rate: float = 0.05
    ecn: float = 0.0


@dataclass(frozen=True)
class UdpBehaviour:
    """A kind of UDP flow: ``requests`` request packets, each answered with probability ``answered``."""

    origin: str
    responder: str
    port: tuple
    src_port: str = "ephemeral"
    header: int = 8
    requests: tuple = ("const", 1)
    fwd: tuple = ("const", 40)
    bwd: tuple = ("const", 0)
    answered: float = 0.0
    gap: tuple = ("exp", 1.0)
    delay: tuple = ("lognormal", 0.01, 0.8)
