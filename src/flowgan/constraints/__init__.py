"""Flow identities: discover them from training rows, enforce them on generated rows, report violations."""

from flowgan.constraints.discovery import discover_identities
from flowgan.constraints.enforcement import IdentityEnforcer, violation_rate, violation_table
from flowgan.constraints.relations import Identity

__all__ = ["Identity", "IdentityEnforcer", "discover_identities", "violation_rate", "violation_table"]
