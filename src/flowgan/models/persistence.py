"""Save and load a trained model as a directory, without executing code from it.

Layout of a model directory::

    config.json   model type, hyper-parameters, flowgan version, anything JSON
    state.pt      a dict of tensors and state_dicts, read with ``weights_only=True``

Models call :func:`save_model_dir` / :func:`load_model_dir` and rebuild themselves from the
config and the tensors; nothing is pickled.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import torch

from flowgan import __version__
from flowgan.errors import ModelFileError
from flowgan.io import _json_safe, atomic_directory

CONFIG_FILE = "config.json"
STATE_FILE = "state.pt"
FORMAT_VERSION = 1


def save_model_dir(path: str | os.PathLike, model_type: str, config: dict[str, Any], state: dict[str, Any]) -> Path:
    """Write ``config`` (JSON) and ``state`` (tensors / state_dicts) into directory ``path``.

    The directory is built beside the target and renamed into place, so a failure leaves
    nothing behind. An existing model directory at ``path`` is replaced.
    """
    meta = {"model_type": model_type, "format_version": FORMAT_VERSION, "flowgan_version": __version__}
    with atomic_directory(path, marker=CONFIG_FILE) as tmp:
        (tmp / CONFIG_FILE).write_text(json.dumps(_json_safe({**meta, "config": config}), indent=2) + "\n")
        torch.save(_to_cpu(state), tmp / STATE_FILE)
    return Path(path)


def load_model_dir(path: str | os.PathLike, model_type: str | None = None) -> tuple[dict[str, Any], dict[str, Any]]:
    """Read a model directory; return ``(meta_and_config, state)`` with tensors on the CPU.

    Raises :class:`ModelFileError` when a file is missing, the format version is not this
    flowgan's, or the model type differs from ``model_type``.
    """
    root = Path(path)
    if not root.is_dir():
        raise ModelFileError(f"model directory {root} does not exist")
    for name in (CONFIG_FILE, STATE_FILE):
        if not (root / name).is_file():
            raise ModelFileError(f"model directory {root} is missing {name}; was it saved by flowgan?")
    try:
        meta = json.loads((root / CONFIG_FILE).read_text())
    except json.JSONDecodeError as exc:
        raise ModelFileError(f"{root / CONFIG_FILE} is not valid JSON: {exc}") from exc
    if meta.get("format_version") != FORMAT_VERSION:
        raise ModelFileError(
            f"{root} was saved in model format {meta.get('format_version')!r} "
            f"(flowgan {meta.get('flowgan_version')}); this flowgan {__version__} reads format {FORMAT_VERSION}"
        )
    if model_type is not None and meta.get("model_type") != model_type:
        raise ModelFileError(f"{root} holds a {meta.get('model_type')!r} model, not a {model_type!r} model")
    try:
        state = torch.load(root / STATE_FILE, map_location="cpu", weights_only=True)
    except Exception as exc:  # torch raises several types for corrupt or unsafe files
        raise ModelFileError(f"cannot read {root / STATE_FILE} safely: {exc}") from exc
    return meta, state


def read_model_type(path: str | os.PathLike) -> str:
    """The ``model_type`` recorded in a model directory's config."""
    config = Path(path) / CONFIG_FILE
    if not config.is_file():
        raise ModelFileError(f"{path} is not a flowgan model directory: {CONFIG_FILE} is missing")
    try:
        return str(json.loads(config.read_text())["model_type"])
    except (json.JSONDecodeError, KeyError) as exc:
        raise ModelFileError(f"{config} is not a flowgan model config: {exc}") from exc


def _to_cpu(obj: Any) -> Any:
    if isinstance(obj, torch.Tensor):
        return obj.detach().cpu()
    if isinstance(obj, dict):
        return {k: _to_cpu(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return type(obj)(_to_cpu(v) for v in obj)
    return obj
