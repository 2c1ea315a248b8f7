"""HIKARI-2021's schema as code: the 88 columns in file order, their dtypes and roles.

Facts come from the public record of ``ALLFLOWMETER_HIKARI2021.csv`` (Zenodo 6463389):
28 int64, 56 float64 and 4 object columns; the first header name is empty.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace

INDEX_COLUMNS: tuple[str, ...] = ("Unnamed: 0.1", "Unnamed: 0")
"""Both row-index columns as flowgan names them (the raw header's first name is empty)."""

IDENTIFIER_COLUMNS: tuple[str, ...] = ("uid", "originh", "responh")
PORT_COLUMNS: tuple[str, ...] = ("originp", "responp")
CLASS_COLUMN = "traffic_category"
LABEL_COLUMN = "Label"

_STATS = ("min", "max", "tot", "avg", "std")

INT_FEATURES: tuple[str, ...] = (
    "fwd_pkts_tot", "bwd_pkts_tot", "fwd_data_pkts_tot", "bwd_data_pkts_tot",
    "fwd_header_size_tot", "fwd_header_size_min", "fwd_header_size_max",
    "bwd_header_size_tot", "bwd_header_size_min", "bwd_header_size_max",
    "flow_FIN_flag_count", "flow_SYN_flag_count", "flow_RST_flag_count",
    "fwd_PSH_flag_count", "bwd_PSH_flag_count", "flow_ACK_flag_count",
    "fwd_URG_flag_count", "bwd_URG_flag_count", "flow_CWR_flag_count", "flow_ECE_flag_count",
)  # fmt: skip

WINDOW_FEATURES: tuple[str, ...] = ("fwd_init_window_size", "bwd_init_window_size", "fwd_last_window_size")

FEATURE_COLUMNS: tuple[str, ...] = (
    "flow_duration",
    "fwd_pkts_tot", "bwd_pkts_tot", "fwd_data_pkts_tot", "bwd_data_pkts_tot",
    "fwd_pkts_per_sec", "bwd_pkts_per_sec", "flow_pkts_per_sec", "down_up_ratio",
    "fwd_header_size_tot", "fwd_header_size_min", "fwd_header_size_max",
    "bwd_header_size_tot", "bwd_header_size_min", "bwd_header_size_max",
    "flow_FIN_flag_count", "flow_SYN_flag_count", "flow_RST_flag_count",
    "fwd_PSH_flag_count", "bwd_PSH_flag_count", "flow_ACK_flag_count",
    "fwd_URG_flag_count", "bwd_URG_flag_count", "flow_CWR_flag_count", "flow_ECE_flag_count",
    *(f"fwd_pkts_payload.{s}" for s in _STATS),
    *(f"bwd_pkts_payload.{s}" for s in _STATS),
    *(f"flow_pkts_payload.{s}" for s in _STATS),
    *(f"fwd_iat.{s}" for s in _STATS),
    *(f"bwd_iat.{s}" for s in _STATS),
    *(f"flow_iat.{s}" for s in _STATS),
    "payload_bytes_per_second",
    "fwd_subflow_pkts", "bwd_subflow_pkts", "fwd_subflow_bytes", "bwd_subflow_bytes",
    "fwd_bulk_bytes", "bwd_bulk_bytes", "fwd_bulk_packets", "bwd_bulk_packets",
    "fwd_bulk_rate", "bwd_bulk_rate",
    *(f"active.{s}" for s in _STATS),
    *(f"idle.{s}" for s in _STATS),
    *WINDOW_FEATURES,
)  # fmt: skip
"""The 79 flow features (everything but index, identifier, port, class and label columns)."""

COLUMNS: tuple[str, ...] = (
    *INDEX_COLUMNS, "uid", "originh", "originp", "responh", "responp",
    *FEATURE_COLUMNS, CLASS_COLUMN, LABEL_COLUMN,
)  # fmt: skip
"""All 88 columns in file order, as flowgan names them."""

_INT64 = {*INDEX_COLUMNS, *PORT_COLUMNS, *INT_FEATURES, *WINDOW_FEATURES, LABEL_COLUMN}
_OBJECT = {*IDENTIFIER_COLUMNS, CLASS_COLUMN}

DTYPES: dict[str, str] = {
    c: ("int64" if c in _INT64 else "object" if c in _OBJECT else "float64") for c in COLUMNS
}
"""dtype of every column in the real file (``traffic_category`` is loaded as a category)."""

CLASSES: tuple[str, ...] = (
    "Benign", "Background", "Probing", "Bruteforce", "Bruteforce-XML", "XMRIGCC CryptoMiner",
)  # fmt: skip
CLASS_COUNTS: dict[str, int] = {
    "Benign": 347_431, "Background": 170_151, "Probing": 23_388,
    "Bruteforce": 5_884, "Bruteforce-XML": 5_145, "XMRIGCC CryptoMiner": 3_279,
}  # fmt: skip
"""Rows per class in the real file (555,278 in all)."""

CLASS_LABELS: dict[str, int] = {c: int(c not in ("Benign", "Background")) for c in CLASSES}
"""The binary ``Label`` each class carries: 0 benign traffic, 1 attack."""
ATTACK_CLASSES: tuple[str, ...] = tuple(c for c in CLASSES if CLASS_LABELS[c] == 1)


@dataclass(frozen=True)
class DatasetSpec:
    """How to read any flow CSV: which column is the class, which is a binary label,
    and which columns are not features (dropped before training).

    HIKARI-2021 is the built-in spec, :data:`HIKARI_SPEC`.
    """

    class_col: str = CLASS_COLUMN
    label_col: str | None = LABEL_COLUMN
    drop: tuple[str, ...] = (*INDEX_COLUMNS, *IDENTIFIER_COLUMNS)
    port_cols: tuple[str, ...] = PORT_COLUMNS
    name: str = "custom"

    def feature_columns(self, columns, *, keep_ports: bool = False) -> list[str]:
        """Columns of ``columns`` that are features under this spec."""
        excluded = {*self.drop, self.class_col}
        if self.label_col:
            excluded.add(self.label_col)
        if not keep_ports:
            excluded.update(self.port_cols)
        return [c for c in columns if c not in excluded]

    def resolve(self, columns: Iterable[str], source: str = "the data") -> DatasetSpec:
        """This spec with its names matched to ``columns`` (see :func:`match_column`).

        A class or label name that matches no column is kept as given (the loaders report it);
        a label column that is the class column itself (CIC-IDS2017's `` Label``) means no
        label column. Every ``drop`` name must match a column, except the built-in
        non-feature names (:data:`DEFAULT_DROP`), which are dropped only where present.

        Raises
        ------
        DataValidationError
            A ``drop`` name that matches no column of ``columns``, named with ``source``.
        """
        from flowgan.errors import DataValidationError

        names = [str(c) for c in columns]
        class_col = match_column(self.class_col, names) or self.class_col
        label_col = (match_column(self.label_col, names) or self.label_col) if self.label_col else None
        if label_col == class_col:
            label_col = None
        drop, unknown = [], []
        for name in self.drop:
            found = match_column(name, names)
            if found is not None:
                drop.append(found)
            elif name not in DEFAULT_DROP:
                unknown.append(name)
        if unknown:
            raise DataValidationError(
                f"{source}: no column(s) {', '.join(map(repr, unknown))} to drop (columns: {', '.join(map(repr, names[:12]))}"
                f"{', ...' if len(names) > 12 else ''})"
            )
        return replace(self, class_col=class_col, label_col=label_col, drop=tuple(dict.fromkeys(drop)))


DEFAULT_DROP: tuple[str, ...] = (*INDEX_COLUMNS, *IDENTIFIER_COLUMNS)
"""Non-feature columns every spec drops where a table has them (HIKARI-2021's index and identifiers)."""


def match_column(name: str | None, columns: Iterable[str]) -> str | None:
    """The column of ``columns`` that ``name`` means, or ``None``.

    The column named exactly ``name``; else the one whose name without surrounding spaces
    equals ``name`` without them (CIC-IDS2017's headers start most names with a space, so
    ``"Source IP"`` finds ``" Source IP"``). Several such columns match nothing.
    """
    if name is None:
        return None
    names = list(columns)
    if name in names:
        return name
    stripped = [c for c in names if c.strip() == name.strip()]
    return stripped[0] if len(stripped) == 1 else None


HIKARI_SPEC = DatasetSpec(name="HIKARI-2021")
