"""Model names used by the CLI and the pipeline, mapped to generator classes (imported lazily)."""

from __future__ import annotations

import importlib
import os
from collections.abc import Mapping
from typing import Any

from flowgan.errors import FlowganError
from flowgan.models.base import BaseFlowGenerator
from flowgan.models.persistence import read_model_type

MODEL_TYPES: dict[str, tuple[str, str]] = {
    "cgan": ("flowgan.models.conditional_gan", "ConditionalFlowGAN"),
    "paper": ("flowgan.models.paper_gan", "PaperGANGenerator"),
}
"""``--model`` name -> (module, class). ``cgan`` is flowgan's own and the default."""

DEFAULT_MODEL = "cgan"
IDENTITY_METHODS: tuple[str, ...] = ("cgan",)
"""Generators that obey declared identities (constructor parameter ``identities``)."""


def generator_class(name: str) -> type[BaseFlowGenerator]:
    """The generator class registered under ``name``."""
    if name not in MODEL_TYPES:
        raise FlowganError(f"unknown model {name!r}: choose one of {', '.join(MODEL_TYPES)}")
    module_name, class_name = MODEL_TYPES[name]
    return getattr(importlib.import_module(module_name), class_name)


def load_generator(path: str | os.PathLike) -> BaseFlowGenerator:
    """Load whichever generator a model directory holds."""
    return generator_class(read_model_type(path)).load(path)


def with_identities(
    model_params: Mapping[str, Mapping[str, Any]] | None, identities: str | os.PathLike | None
) -> dict[str, dict[str, Any]] | None:
    """``model_params`` plus the identities of the file ``identities``, read now (errors name the
    file and line), for every generator that takes them (:data:`IDENTITY_METHODS`); unchanged
    when ``identities`` is None."""
    if identities is None:
        return None if model_params is None else {k: dict(v) for k, v in model_params.items()}
    from flowgan.constraints.declared import read_identities

    declared = read_identities(identities)
    params = {k: dict(v) for k, v in (model_params or {}).items()}
    for model in IDENTITY_METHODS:
        params.setdefault(model, {})["identities"] = declared
    return params
