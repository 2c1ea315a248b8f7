"""Model names used by the CLI and the pipeline, mapped to generator classes (imported lazily)."""

from __future__ import annotations

import importlib
import os

from flowgan.errors import FlowganError
from flowgan.models.base import BaseFlowGenerator
from flowgan.models.persistence import read_model_type

MODEL_TYPES: dict[str, tuple[str, str]] = {
    "cgan": ("flowgan.models.conditional_gan", "ConditionalFlowGAN"),
    "paper": ("flowgan.models.paper_gan", "PaperGANGenerator"),
}
"""``--model`` name -> (module, class). ``cgan`` is flowgan's own and the default."""

DEFAULT_MODEL = "cgan"


def generator_class(name: str) -> type[BaseFlowGenerator]:
    """The generator class registered under ``name``."""
    if name not in MODEL_TYPES:
        raise FlowganError(f"unknown model {name!r}: choose one of {', '.join(MODEL_TYPES)}")
    module_name, class_name = MODEL_TYPES[name]
    return getattr(importlib.import_module(module_name), class_name)


def load_generator(path: str | os.PathLike) -> BaseFlowGenerator:
    """Load whichever generator a model directory holds."""
    return generator_class(read_model_type(path)).load(path)
