"""Flow datasets: HIKARI-2021's schema, loaders for it and for any flow table, the fetcher."""

from flowgan.datasets.flows import load_dataset, load_flows, spec_from_options
from flowgan.datasets.hikari import load_hikari
from flowgan.datasets.schema import HIKARI_SPEC, DatasetSpec

__all__ = ["HIKARI_SPEC", "DatasetSpec", "load_dataset", "load_flows", "load_hikari", "spec_from_options"]
