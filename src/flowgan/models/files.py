"""Train a generator from a data file and generate rows into a file (what ``flowgan train``
and ``flowgan generate`` call)."""

from __future__ import annotations

import logging
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from flowgan.datasets.schema import HIKARI_SPEC, DatasetSpec
from flowgan.io import refuse_overwrite, write_table
from flowgan.models.base import check_known_class, check_n_samples
from flowgan.models.persistence import CONFIG_FILE, STATE_FILE
from flowgan.models.registry import generator_class, load_generator
from flowgan.models.training import check_epochs

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class TrainResult:
    """A trained model directory and what it was trained on."""

    model_dir: Path
    model: str
    classes: list[Any]
    class_counts: dict[str, int]
    features: list[str]
    final_losses: dict[str, float]


def train_from_file(
    data: str | os.PathLike,
    out: str | os.PathLike,
    *,
    model: str = "cgan",
    epochs: int | None = None,
    seed: int | None = None,
    device: str = "auto",
    classes: Sequence[str] | None = None,
    all_classes: bool = False,
    spec: DatasetSpec = HIKARI_SPEC,
    progress: bool = False,
    identities: str | os.PathLike | None = None,
    threads: int | None = None,
) -> TrainResult:
    """Train ``model`` on the rows of ``classes`` (default: attack classes) and save it to ``out``.

    ``epochs=None`` keeps the model's own default (the paper model's is the seed's 500).
    ``identities`` is an identities file (one relation a line, :mod:`flowgan.constraints.declared`),
    read before the data; the ``cgan`` model's rows obey it (the paper model ignores it).
    ``threads`` sets the model's torch threads where it has that parameter (None: its default).
    """
    from flowgan.models.registry import with_identities
    from flowgan.pipeline import choose_classes, load_stage, preprocess_stage

    if epochs is not None:
        check_epochs(epochs)
    cls = generator_class(model)
    extra = (with_identities(None, identities) or {}).get(model, {})
    loaded = load_stage(data, scale=0.0, seed=0, spec=spec)
    spec = loaded.spec
    frame, _ = preprocess_stage(loaded, spec)
    chosen = choose_classes(frame, spec, classes, all_classes)
    rows = frame[frame[spec.class_col].isin(chosen)].reset_index(drop=True)
    features = [c for c in frame.columns if c not in (spec.class_col, spec.label_col)]
    generator = cls()
    params = {"random_state": seed, "device": device, "verbose": progress}
    if epochs is not None:
        params["epochs"] = epochs
    if threads is not None:
        params["threads"] = threads
    params.update(extra)
    generator.set_params(**{k: v for k, v in params.items() if k in generator.get_params()})
    generator.fit(rows[features], rows[spec.class_col].to_numpy())
    path = generator.save(out)
    history = list(getattr(generator, "history_", []))
    final = {k: v for k, v in history[-1].items() if k.endswith("loss")} if history else {}
    counts = {str(k): int(v) for k, v in rows[spec.class_col].value_counts().items()}
    return TrainResult(Path(path), model, list(chosen), counts, features, final)


def generate_to_file(
    model_dir: str | os.PathLike, n_samples: int, out: str | os.PathLike, *, klass: str | None = None, class_col: str = HIKARI_SPEC.class_col
) -> pd.DataFrame:
    """Load a model directory, generate ``n_samples`` rows (of ``klass``) and write them to ``out``.

    ``klass`` is matched against the model's classes by its text, so ``"1"`` finds class 1.
    With a class, the rows carry it in ``class_col``.
    """
    n_samples = check_n_samples(n_samples)
    root = Path(model_dir)
    refuse_overwrite(out, [root / CONFIG_FILE, root / STATE_FILE])
    generator = load_generator(root)
    if klass is not None:
        by_text = {str(k): k for k in getattr(generator, "classes_", [])}
        klass = check_known_class(by_text.get(str(klass), klass), getattr(generator, "classes_", []))
    rows = generator.sample(n_samples, klass)
    if klass is not None:
        rows[class_col] = klass
    write_table(rows, out)
    return rows
