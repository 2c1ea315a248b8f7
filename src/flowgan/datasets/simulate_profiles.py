"""Traffic profiles of the six HIKARI-2021 classes, as data.

Each class is a mixture of *behaviours* (:data:`CLASS_MIXTURES`); a behaviour describes one
kind of flow (:class:`~flowgan.datasets.simulate_vocabulary.TcpBehaviour`,
:class:`~flowgan.datasets.simulate_vocabulary.UdpBehaviour`) with distribution tuples that
:func:`flowgan.datasets.simulate_traffic.sample` draws from. Classes share behaviours where the
real traffic does, which is what makes them overlap:

- Benign is Selenium-driven HTTPS browsing of three CMS sites; Background (the victim network's
  real traffic) contains the same kind of browsing next to DNS, NTP, NetBIOS, SSH, other HTTPS
  and many one- or two-packet flows.
- Bruteforce (login forms) and Bruteforce-XML (WordPress XML-RPC) are HTTPS POSTs from one
  attacker with sequential source ports against the same servers; XML-RPC is calibrated on the
  24 real rows (14-15 packets each way, 6 + 5-6 data packets, bwd payload 5,025 bytes, header
  sizes 20/40 forward and 32/44 backward, windows 29,200 / 65,160, one stall of 2-19 s).
- Probing (droopescan, joomscan) fetches many small files and error pages, partly in the
  same shape as page and asset loads.
- XMRIGCC CryptoMiner: long-lived stratum sessions with small periodic messages, XMRigCC
  heartbeats, and single-packet NetBIOS broadcasts identical to Background's.

Addresses come from the RFC 5737 documentation ranges
(:data:`~flowgan.datasets.simulate_vocabulary.ADDRESS_POOLS`).
"""

from __future__ import annotations

from dataclasses import replace

from flowgan.datasets.simulate_vocabulary import ExchangeSpec, TcpBehaviour, UdpBehaviour

# --- building blocks -----------------------------------------------------------------------

_TLS_BROWSER = (
    ExchangeSpec(
        fwd=("choice", (517, 571, 583, 1766), (0.4, 0.2, 0.2, 0.2)),
        bwd=("clip", ("lognormal", 3600, 0.35), 1400, 9000),
        delay=("lognormal", 0.003, 0.8),
    ),
    ExchangeSpec(fwd=("choice", (64, 80, 126), (0.4, 0.2, 0.4)), bwd=("choice", (51, 226, 258, 290)), bwd_ack=0.2),
)
_CLOSE_NOTIFY = (ExchangeSpec(fwd=("choice", (24, 31)), bwd=("choice", (0, 31)), bwd_ack=0.3, fwd_ack=0.3),)

_PAGE_REQUEST = ExchangeSpec(
    fwd=("clip", ("lognormal", 480, 0.35), 180, 3000),
    bwd=(
        "clip",
        ("mix", ((0.35, ("lognormal", 18000, 0.9)), (0.45, ("lognormal", 2500, 1.6)), (0.2, ("lognormal", 300, 0.4)))),
        0,
        2_000_000,
    ),
    gap=("mix", ((0.7, ("exp", 0.004)), (0.27, ("lognormal", 0.2, 1.2)), (0.03, ("lognormal", 6.0, 0.8)))),
    delay=("lognormal", 0.03, 1.1),
    bwd_ack=0.6,
    fwd_ack=0.95,
)
_BROWSER_CLOSE_GAP = (  # Selenium closing the page, the server's 5 s keep-alive, or a long wait
    "mix",
    (
        (0.5, ("exp", 0.05)),
        (0.3, ("lognormal", 0.5, 1.5)),
        (0.15, ("add", ("const", 5.0), ("exp", 0.05))),
        (0.05, ("lognormal", 30.0, 0.8)),
    ),
)
_CMS_BROWSE = TcpBehaviour(
    origin="lab_client",
    responder="cms_server",
    port=("const", 443),
    opening=(0.985, 0.01, 0.005, 0.0),
    prelude=_TLS_BROWSER,
    body=(_PAGE_REQUEST,),
    repeats=("geometric", 4.0),
    epilogue=_CLOSE_NOTIFY,
    closing=(0.15, 0.3, 0.35, 0.15, 0.05),
    close_gap=_BROWSER_CLOSE_GAP,
    client_stacks={"linux_64240": 0.7, "linux_29200": 0.3},
    server_stacks={"linux_65160": 0.8, "linux_28960": 0.2},
)
_CMS_ASSET = TcpBehaviour(
    origin="lab_client",
    responder="cms_server",
    port=("const", 443),
    prelude=_TLS_BROWSER,
    body=(ExchangeSpec(fwd=("clip", ("lognormal", 420, 0.3), 180, 2000), bwd=("lognormal", 2200, 1.4), delay=("lognormal", 0.004, 1.0)),),
    repeats=("geometric", 1.6),
    epilogue=_CLOSE_NOTIFY,
    closing=(0.2, 0.25, 0.4, 0.1, 0.05),
    close_gap=_BROWSER_CLOSE_GAP,
    client_stacks={"linux_64240": 0.7, "linux_29200": 0.3},
    server_stacks={"linux_65160": 0.8, "linux_28960": 0.2},
)
_WEB_HTTPS = TcpBehaviour(
    origin="lan_host",
    responder="internet_a",
    port=("choice", (443, 443, 443, 8443)),
    opening=(0.93, 0.03, 0.01, 0.03),
    prelude=(
        ExchangeSpec(fwd=("choice", (517, 583, 1766, 1890, 2020)), bwd=("clip", ("lognormal", 4000, 0.6), 200, 12000)),
        ExchangeSpec(fwd=("choice", (64, 80, 126)), bwd=("choice", (51, 226, 258, 290, 1200))),
    ),
    body=(
        ExchangeSpec(
            fwd=("clip", ("lognormal", 600, 0.8), 40, 20000),
            bwd=("clip", ("lognormal", 2500, 2.0), 0, 2_000_000),
            gap=("mix", ((0.6, ("exp", 0.01)), (0.3, ("lognormal", 0.5, 1.5)), (0.1, ("lognormal", 20.0, 1.0)))),
            delay=("lognormal", 0.05, 1.3),
        ),
    ),
    repeats=("geometric", 3.0),
    epilogue=_CLOSE_NOTIFY,
    closing=(0.25, 0.25, 0.25, 0.2, 0.05),
    close_gap=("lognormal", 0.5, 2.0),
    rtt=("lognormal", 0.02, 0.9),
    client_stacks={"windows": 0.45, "macos": 0.2, "linux_64240": 0.3, "linux_29200": 0.05},
    server_stacks={"cdn_65535": 0.5, "linux_65160": 0.25, "linux_28960": 0.15, "windows_srv": 0.1},
    ecn=0.1,
    sack_rate=0.1,
)
_HTTP_PLAIN = TcpBehaviour(
    origin="lan_host",
    responder="internet_b",
    port=("choice", (80, 8080), (0.9, 0.1)),
    body=(ExchangeSpec(fwd=("clip", ("lognormal", 350, 0.5), 60, 3000), bwd=("clip", ("lognormal", 1200, 1.8), 0, 1_000_000)),),
    repeats=("geometric", 1.5),
    closing=(0.2, 0.4, 0.3, 0.1, 0.0),
    rtt=("lognormal", 0.03, 0.8),
    client_stacks={"windows": 0.5, "linux_64240": 0.5},
    server_stacks={"cdn_65535": 0.5, "linux_28960": 0.5},
)
_SSH = TcpBehaviour(
    origin="lan_host",
    responder="internet_b",
    port=("const", 22),
    prelude=(ExchangeSpec(fwd=("const", 21), bwd=("const", 21)), ExchangeSpec(fwd=("const", 1392), bwd=("const", 1080))),
    body=(ExchangeSpec(fwd=("choice", (36, 52, 68)), bwd=("choice", (36, 52, 100, 600)), gap=("lognormal", 0.8, 1.6), bwd_ack=0.1),),
    repeats=("geometric", 40.0),
    closing=(0.3, 0.5, 0.1, 0.1, 0.0),
    client_stacks={"linux_64240": 1.0},
    server_stacks={"linux_65160": 1.0},
)
_TCP_PROBE_IN = TcpBehaviour(  # internet scanners knocking at the victim network
    origin="internet_b",
    responder="lan_host",
    port=("choice", (22, 23, 445, 3389, 8080, 5900, 1433)),
    opening=(0.0, 0.6, 0.4, 0.0),
    syn_tries=("choice", (1, 2), (0.85, 0.15)),
    client_stacks={"linux_29200": 0.3, "windows": 0.7},
)
_TCP_LEFTOVER = TcpBehaviour(  # tails of connections whose start the meter did not see
    origin="lan_host",
    responder="internet_a",
    port=("choice", (443, 443, 80, 993)),
    opening=(0.0, 0.0, 0.0, 1.0),
    body=(ExchangeSpec(fwd=("const", 0), bwd=("choice", (0, 0, 31, 100)), gap=("exp", 0.2)),),
    repeats=("choice", (0, 1), (0.6, 0.4)),
    closing=(0.3, 0.2, 0.1, 0.4, 0.0),
    close_gap=("lognormal", 0.2, 2.0),
    client_stacks={"windows": 0.5, "linux_64240": 0.5},
    server_stacks={"cdn_65535": 1.0},
)
_DNS = UdpBehaviour(
    origin="lan_host", responder="lan_resolver", port=("const", 53),
    fwd=("clip", ("lognormal", 40, 0.2), 17, 120), bwd=("clip", ("lognormal", 110, 0.6), 30, 500),
    answered=0.93, delay=("lognormal", 0.008, 1.2),
)  # fmt: skip
_NTP = UdpBehaviour(
    origin="lan_host", responder="internet_a", port=("const", 123), src_port="same",
    fwd=("const", 48), bwd=("const", 48), answered=0.9, delay=("lognormal", 0.03, 0.6),
)  # fmt: skip
_NETBIOS_NS = UdpBehaviour(
    origin="lan_host", responder="lan_broadcast", port=("const", 137), src_port="same",
    requests=("choice", (1, 3), (0.6, 0.4)), fwd=("const", 50), gap=("uniform", 0.74, 0.76),
)  # fmt: skip
_NETBIOS_BROADCAST = UdpBehaviour(  # the real rows report these with every size 0
    origin="lan_host", responder="lan_broadcast", port=("const", 138), src_port="same", header=0, fwd=("const", 0),
)  # fmt: skip
_DISCOVERY = UdpBehaviour(
    origin="lan_host", responder="lan_broadcast", port=("choice", (1900, 5353, 5355)),
    requests=("choice", (1, 2, 4), (0.5, 0.3, 0.2)), fwd=("clip", ("lognormal", 180, 0.6), 30, 1200), gap=("lognormal", 1.0, 1.0),
)  # fmt: skip
_QUIC = UdpBehaviour(
    origin="lan_host", responder="internet_a", port=("const", 443),
    requests=("geometric", 6.0), fwd=("choice", (1250, 1350, 33, 40, 1357)), bwd=("clip", ("lognormal", 900, 0.8), 25, 1350),
    answered=0.8, gap=("mix", ((0.8, ("exp", 0.02)), (0.2, ("lognormal", 5.0, 1.2)))), delay=("lognormal", 0.02, 0.7),
)  # fmt: skip

# --- attacks ------------------------------------------------------------------------------

_ATTACKER = {"client_stacks": {"linux_29200": 1.0}, "server_stacks": {"linux_65160": 1.0}}
_XMLRPC_PRELUDE = (
    ExchangeSpec(fwd=("const", 517), bwd=("const", 2896), delay=("lognormal", 0.004, 0.3), bwd_ack=1.0, fwd_ack=1.0),
    ExchangeSpec(fwd=("const", 0), bwd=("const", 1206), gap=("exp", 0.0002), bwd_ack=0.0, fwd_ack=1.0),
    ExchangeSpec(fwd=("const", 126), bwd=("const", 258), delay=("lognormal", 0.02, 0.1), bwd_ack=1.0, fwd_ack=0.25),
)
_QUEUE_STALL = ("uniform", 1.9, 18.7)  # the attack tool's connection queue: a sawtooth of stalls
_XMLRPC = TcpBehaviour(
    origin="attacker",
    responder="cms_server",
    port=("const", 443),
    src_port="sequential",
    prelude=_XMLRPC_PRELUDE,
    body=(
        ExchangeSpec(fwd=("const", 379), bwd=("const", 0), gap=_QUEUE_STALL, bwd_ack=1.0, fwd_ack=0.0),
        ExchangeSpec(
            fwd=("add", ("const", 741), ("choice", (0, 1, 2, 3, 4, 5, 6))),
            bwd=("const", 634),
            delay=("lognormal", 0.19, 0.15),
            bwd_ack=1.0,
            fwd_ack=1.0,
        ),
    ),
    epilogue=(
        ExchangeSpec(fwd=("const", 31), bwd=("const", 31), bwd_ack=1.0, fwd_ack=0.0),
        ExchangeSpec(fwd=("const", 31), bwd=("const", 0), bwd_ack=0.9, fwd_ack=0.0),
    ),
    closing=(0.0, 0.0, 0.0, 0.0, 1.0),
    close_gap=("exp", 0.0003),
    rst_count=("const", 2),
    rtt=("lognormal", 0.0005, 0.3),
    sack_rate=0.15,
    tso=0.7,
    **_ATTACKER,
)


def _login_post(response: tuple) -> ExchangeSpec:
    return ExchangeSpec(
        fwd=("clip", ("lognormal", 760, 0.12), 500, 1400), bwd=response, gap=_QUEUE_STALL,
        delay=("lognormal", 0.22, 0.3), bwd_ack=0.8, fwd_ack=0.9,
    )  # fmt: skip


_LOGIN_BRUTEFORCE = TcpBehaviour(
    origin="attacker",
    responder="cms_server",
    port=("const", 443),
    src_port="sequential",
    prelude=_XMLRPC_PRELUDE,
    body=(_login_post(("clip", ("lognormal", 1400, 0.6), 300, 9000)),),
    repeats=("choice", (1, 2), (0.8, 0.2)),
    epilogue=_CLOSE_NOTIFY,
    closing=(0.05, 0.15, 0.05, 0.15, 0.6),
    close_gap=("exp", 0.0005),
    rst_count=("choice", (1, 2), (0.3, 0.7)),
    rtt=("lognormal", 0.0005, 0.3),
    sack_rate=0.15,
    tso=0.6,
    **_ATTACKER,
)
_XMLRPC_OTHER = replace(  # XML-RPC against other WordPress sites: other reply sizes
    _LOGIN_BRUTEFORCE, repeats=("const", 1), closing=(0.0, 0.1, 0.0, 0.1, 0.8)
)
_SCAN_KEEPALIVE = TcpBehaviour(
    origin="attacker",
    responder="cms_server",
    port=("const", 443),
    prelude=_TLS_BROWSER,
    body=(
        ExchangeSpec(
            fwd=("clip", ("lognormal", 260, 0.3), 120, 900),
            bwd=("mix", ((0.6, ("lognormal", 9000, 0.5)), (0.4, ("lognormal", 400, 0.8)))),
            gap=("exp", 0.003), delay=("lognormal", 0.06, 0.9),
        ),
    ),  # fmt: skip
    repeats=("geometric", 12.0),
    closing=(0.3, 0.2, 0.1, 0.4, 0.0),
    close_gap=("exp", 0.01),
    rtt=("lognormal", 0.0008, 0.5),
    **_ATTACKER,
)
_SCAN_SINGLE = TcpBehaviour(  # one file or error page per connection: looks like an asset load
    origin="attacker",
    responder="cms_server",
    port=("const", 443),
    prelude=_TLS_BROWSER,
    body=(_PAGE_REQUEST,),
    repeats=("choice", (1, 2)),
    epilogue=_CLOSE_NOTIFY,
    closing=(0.15, 0.3, 0.35, 0.15, 0.05),
    close_gap=_BROWSER_CLOSE_GAP,
    **_ATTACKER,
)
_PORT_PROBE = TcpBehaviour(
    origin="attacker",
    responder="cms_server",
    port=("choice", (80, 443, 8080, 8443, 22)),
    opening=(0.2, 0.3, 0.5, 0.0),
    syn_tries=("choice", (1, 2), (0.8, 0.2)),
    closing=(0.0, 0.0, 0.0, 1.0, 0.0),
    close_gap=("exp", 0.001),
    **_ATTACKER,
)
_MINING = TcpBehaviour(
    origin="miner",
    responder="mining_pool",
    port=("choice", (3333, 5555, 443)),
    opening=(0.3, 0.0, 0.0, 0.7),  # most flows continue a session split at the flow timeout
    body=(
        ExchangeSpec(
            fwd=("mix", ((0.55, ("const", 0)), (0.45, ("clip", ("lognormal", 190, 0.15), 120, 400)))),
            bwd=("mix", ((0.55, ("clip", ("lognormal", 420, 0.2), 200, 900)), (0.45, ("clip", ("lognormal", 75, 0.1), 50, 120)))),
            gap=("lognormal", 18.0, 1.0), delay=("lognormal", 0.08, 0.4), bwd_ack=0.1, fwd_ack=0.9,
        ),
    ),  # fmt: skip
    repeats=("geometric", 20.0),
    closing=(0.85, 0.05, 0.05, 0.05, 0.0),
    close_gap=("lognormal", 10.0, 1.0),
    rtt=("lognormal", 0.08, 0.3),
    client_stacks={"linux_64240": 1.0},
    server_stacks={"linux_65160": 1.0},
)
_CC_HEARTBEAT = TcpBehaviour(
    origin="miner",
    responder="cc_server",
    port=("const", 3344),
    body=(ExchangeSpec(fwd=("clip", ("lognormal", 1700, 0.2), 900, 3000), bwd=("clip", ("lognormal", 230, 0.2), 120, 500)),),
    closing=(0.0, 0.6, 0.4, 0.0, 0.0),
    close_gap=("exp", 0.002),
    rtt=("lognormal", 0.08, 0.3),
    client_stacks={"linux_64240": 1.0},
)

_THIRD_PARTY = replace(  # fonts, scripts and analytics a CMS page pulls from elsewhere
    _WEB_HTTPS, origin="lab_client", client_stacks={"linux_64240": 0.7, "linux_29200": 0.3}
)
_LONG_POLL = replace(  # push and chat connections: small periodic messages, somewhat like mining
    _MINING,
    origin="lan_host",
    responder="internet_a",
    port=("choice", (443, 5222, 5228)),
    body=(
        ExchangeSpec(
            fwd=("mix", ((0.5, ("const", 0)), (0.5, ("clip", ("lognormal", 120, 0.6), 20, 2000)))),
            bwd=("clip", ("lognormal", 300, 0.9), 20, 5000),
            gap=("lognormal", 30.0, 1.2), delay=("lognormal", 0.05, 0.8), bwd_ack=0.3, fwd_ack=0.8,
        ),
    ),  # fmt: skip
    client_stacks={"linux_64240": 0.5, "windows": 0.5},
    server_stacks={"cdn_65535": 0.5, "linux_65160": 0.5},
)

BEHAVIOURS: dict[str, TcpBehaviour | UdpBehaviour] = {
    "cms_browse": _CMS_BROWSE,
    "cms_asset": _CMS_ASSET,
    "web_https": _WEB_HTTPS,
    "third_party": _THIRD_PARTY,
    "long_poll": _LONG_POLL,
    "http_plain": _HTTP_PLAIN,
    "ssh": _SSH,
    "tcp_probe_in": _TCP_PROBE_IN,
    "tcp_leftover": _TCP_LEFTOVER,
    "dns": _DNS,
    "ntp": _NTP,
    "netbios_ns": _NETBIOS_NS,
    "netbios_broadcast": _NETBIOS_BROADCAST,
    "discovery": _DISCOVERY,
    "quic": _QUIC,
    "xmlrpc_bruteforce": _XMLRPC,
    "login_bruteforce": _LOGIN_BRUTEFORCE,
    "xmlrpc_other": _XMLRPC_OTHER,
    "scan_keepalive": _SCAN_KEEPALIVE,
    "scan_single": _SCAN_SINGLE,
    "port_probe": _PORT_PROBE,
    "mining": _MINING,
    "cc_heartbeat": _CC_HEARTBEAT,
}
"""Every behaviour by name."""

CLASS_MIXTURES: dict[str, dict[str, float]] = {
    "Benign": {"cms_browse": 0.55, "cms_asset": 0.35, "third_party": 0.1},
    "Background": {
        "cms_browse": 0.2, "cms_asset": 0.15, "web_https": 0.15, "http_plain": 0.03, "ssh": 0.02,
        "long_poll": 0.03, "tcp_probe_in": 0.06, "tcp_leftover": 0.08, "dns": 0.14, "ntp": 0.02,
        "netbios_ns": 0.03, "netbios_broadcast": 0.04, "discovery": 0.03, "quic": 0.02,
    },
    "Probing": {"scan_keepalive": 0.4, "scan_single": 0.4, "port_probe": 0.2},
    "Bruteforce": {"login_bruteforce": 0.7, "xmlrpc_bruteforce": 0.3},
    "Bruteforce-XML": {"xmlrpc_bruteforce": 0.6, "xmlrpc_other": 0.4},
    "XMRIGCC CryptoMiner": {"mining": 0.5, "cc_heartbeat": 0.15, "netbios_broadcast": 0.35},
}  # fmt: skip
"""Share of each behaviour in each class."""
