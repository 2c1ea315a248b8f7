"""Saving and restoring a :class:`~flowgan.models.conditional_gan.ConditionalFlowGAN` (config + tensors)."""

from __future__ import annotations

from typing import Any

import numpy as np
import torch

from flowgan.constraints import Identity
from flowgan.models.cgan_decoder import CalibratedDecoder
from flowgan.models.cgan_modes import FlowModes
from flowgan.transforms import TableTransformer


def cgan_state(model) -> tuple[dict[str, Any], dict[str, Any]]:
    """``(config, state)`` of a fitted model: JSON-safe settings and tensors / state_dicts."""
    transformer_config, transformer_tensors = model.transformer_.get_state()
    params = {k: (list(v) if isinstance(v, tuple) else v) for k, v in model.get_params().items()}
    # Declared identities are saved as identities_; a path or objects would not round-trip as JSON.
    params["identities"] = None
    if not isinstance(params["random_state"], (int, type(None))):
        params["random_state"] = None
    config = {
        "params": params,
        "classes": list(model.classes_),
        "feature_names": list(model.feature_names_in_),
        "dtypes": model.dtypes_,
        "transformer": transformer_config,
        "identities": [i.to_dict() for i in model.identities_],
        "identity_report": model.identity_report_,
        "relative_columns": model.relative_columns_,
        "modes": model.modes_.to_dict(),
        "history": model.history_,
    }
    state = {
        "generator": model.generator_net_.state_dict(),
        "critic": model.critic_net_.state_dict(),
        "transformer": transformer_tensors,
        "sampling_rng": model.sampling_generator_.get_state(),
    }
    if model.decoder_ is not None:
        config["decoder"], state["decoder"] = model.decoder_.get_state()
    return config, state


def restore_cgan(model, config: dict[str, Any], state: dict[str, Any], device: torch.device):
    """Fill an unfitted model (built from the saved params) with the saved fitted state."""
    model.classes_ = list(config["classes"])
    model.feature_names_in_ = np.asarray(config["feature_names"], dtype=object)
    model.dtypes_ = dict(config["dtypes"])
    model.history_ = list(config["history"])
    model.transformer_ = TableTransformer.from_state(config["transformer"], state["transformer"])
    model.identities_ = [Identity.from_dict(d) for d in config["identities"]]
    model.identity_report_ = list(config.get("identity_report", []))
    model._build_enforcer()
    model.relative_columns_ = list(config["relative_columns"])
    # Models saved before flow modes existed were conditioned on the class alone.
    model.modes_ = FlowModes.from_dict(config["modes"]) if "modes" in config else FlowModes.one_per_class(len(model.classes_))
    decoder = config.get("decoder")
    model.decoder_ = None if decoder is None else CalibratedDecoder.from_state(decoder, state["decoder"], model.transformer_)
    model.device_ = device
    model._build_networks(model.modes_.n_modes, device, None)
    model.generator_net_.load_state_dict(state["generator"])
    model.critic_net_.load_state_dict(state["critic"])
    model.generator_net_.eval()
    model.sampling_generator_ = torch.Generator(device=device)
    if device.type == "cpu":
        model.sampling_generator_.set_state(state["sampling_rng"])
    return model
