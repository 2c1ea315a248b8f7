"""Independent flow tables for robustness tests of flowgan.

None of these tables comes from flowgan's packet simulator: each is drawn by its own
vectorised process and shares no code with ``flowgan.datasets.simulate*`` or the flow meter.

- ``"mixture"``, ``"copula"``, ``"adversarial"``: HIKARI-2021's 88 columns and dtypes, class
  counts ``round(schema.CLASS_COUNTS * scale)`` (at least 2; ``adversarial`` holds exactly 20
  "XMRIGCC CryptoMiner" rows), every documented identity exact on every row.
- ``"cic"``: a CIC-IDS2017-like export (column names with a leading space, class column
  ``" Label"``) with its identities declared in :attr:`RobustTable.identities`.

Attack rows are a mixture of class-specific patterns and benign-like rows, so a plain random
forest separates them only partly.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from flowgan.datasets import schema
from flowgan.testing import _cic_table, _hikari_tables
from flowgan.testing._cic_table import CIC_DROP, CIC_IDENTITIES, cic_violations
from flowgan.testing._hikari_frame import build_table

__all__ = ["TABLES", "RobustTable", "make_table", "cic_violations", "CIC_IDENTITIES"]

TABLES: tuple[str, ...] = ("mixture", "copula", "adversarial", "cic")

_GENERATORS = {"mixture": _hikari_tables.Mixture, "copula": _hikari_tables.Copula, "adversarial": _hikari_tables.Adversarial}


@dataclass(frozen=True)
class RobustTable:
    """One generated table and how to read it."""

    name: str
    frame: pd.DataFrame
    """The table as a user's CSV would hold it (all columns, file order)."""
    class_col: str
    label_col: str | None
    drop: tuple[str, ...]
    """Non-feature columns (ports of HIKARI-schema tables are in ``schema.PORT_COLUMNS``)."""
    identities: str | None
    """Declared identities (cic only); HIKARI's are built into flowgan."""
    benign: tuple[str, ...]


def make_table(name: str, scale: float = 0.1, seed: int = 0) -> RobustTable:
    """Generate table ``name`` (one of :data:`TABLES`) at ``scale`` with ``seed``.

    Scale 1 is HIKARI-2021's 555,278 rows (cic: 500,000); the same seed gives the same frame.
    """
    if name not in TABLES:
        raise ValueError(f"unknown table {name!r}; choose from {', '.join(TABLES)}")
    if not scale > 0:
        raise ValueError(f"scale must be positive, got {scale!r}")
    if name == "cic":
        return RobustTable(
            name=name, frame=_cic_table.make_cic(scale, seed), class_col=" Label", label_col=None,
            drop=CIC_DROP, identities=CIC_IDENTITIES, benign=("BENIGN",),
        )  # fmt: skip
    frame = build_table(_GENERATORS[name](), scale, seed, TABLES.index(name))
    return RobustTable(
        name=name, frame=frame, class_col=schema.CLASS_COLUMN, label_col=schema.LABEL_COLUMN,
        drop=(*schema.INDEX_COLUMNS, *schema.IDENTIFIER_COLUMNS), identities=None,
        benign=("Benign", "Background"),
    )  # fmt: skip
