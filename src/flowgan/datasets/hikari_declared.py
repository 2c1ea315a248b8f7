"""HIKARI-2021's exact identities, declared to the generators (written from the schema notes).

These are known facts of the real file, so a model trained on HIKARI-2021 columns obeys all of
them whatever discovery finds on its training rows. ``flow_pkts_per_sec = (fwd + bwd) / duration``
is declared as the sum of the two directions' rates, which is the same relation.
:mod:`flowgan.datasets.hikari_identities` checks generated rows independently of this list.
The subflow columns' divisor 2 is not confirmed on the whole real file, so those relations are
left to discovery.
"""

from __future__ import annotations

from collections.abc import Sequence

from flowgan.constraints.declared import parse_identities
from flowgan.constraints.relations import Identity
from flowgan.datasets import schema

_TRIPLES = ("fwd_pkts_payload", "bwd_pkts_payload", "flow_pkts_payload", "fwd_iat", "bwd_iat", "flow_iat", "active", "idle")
_FLOAT_FEATURES = tuple(c for c in schema.FEATURE_COLUMNS if schema.DTYPES[c] == "float64")

DECLARED = "\n".join(
    [
        "# HIKARI-2021 (ALLFLOWMETER_HIKARI2021.csv): relations that hold on the real file",
        "flow_iat.tot = 1000000.0 * flow_duration",
        "fwd_pkts_per_sec = fwd_pkts_tot / flow_duration",
        "bwd_pkts_per_sec = bwd_pkts_tot / flow_duration",
        "flow_pkts_per_sec = fwd_pkts_per_sec + bwd_pkts_per_sec",
        "down_up_ratio = bwd_pkts_tot / fwd_pkts_tot",
        "flow_pkts_payload.tot = fwd_pkts_payload.tot + bwd_pkts_payload.tot",
        "payload_bytes_per_second = flow_pkts_payload.tot / flow_duration",
        "fwd_pkts_payload.avg = fwd_pkts_payload.tot / fwd_pkts_tot",
        "bwd_pkts_payload.avg = bwd_pkts_payload.tot / bwd_pkts_tot",
        "flow_pkts_payload.avg = flow_pkts_payload.tot / (fwd_pkts_tot + bwd_pkts_tot)",
        "fwd_iat.avg = fwd_iat.tot / (fwd_pkts_tot - 1)",
        "bwd_iat.avg = bwd_iat.tot / (bwd_pkts_tot - 1)",
        "flow_iat.avg = flow_iat.tot / (fwd_pkts_tot + bwd_pkts_tot - 1)",
        "flow_iat.tot = active.tot + idle.tot",
        *(f"{t}.min <= {t}.avg <= {t}.max" for t in _TRIPLES),
        *(f"{s}_header_size_min <= {s}_header_size_max <= {s}_header_size_tot" for s in ("fwd", "bwd")),
        *(f"{s}_data_pkts_tot <= {s}_pkts_tot" for s in ("fwd", "bwd")),
        *(f"{c} >= 0" for c in schema.FEATURE_COLUMNS),
        *(f"{c} is integer" for c in (*schema.INT_FEATURES, *schema.WINDOW_FEATURES)),
    ]
)
"""The declarations, in the grammar of :mod:`flowgan.constraints.declared` (also an example of
an identities file)."""


def hikari_identities(columns: Sequence[str]) -> list[Identity]:
    """The declared HIKARI-2021 identities, when ``columns`` are HIKARI's flow features.

    Returned only when every float feature of HIKARI is among ``columns`` (a table with HIKARI's
    names); each identity is kept when all its columns are present. Otherwise ``[]``.
    """
    present = set(columns)
    if not present.issuperset(_FLOAT_FEATURES):
        return []
    return [i for i in parse_identities(DECLARED, "HIKARI-2021 identities") if present.issuperset(i.columns)]
