"""Balance a flow table: original rows plus synthetic rows for the classes that need them."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from flowgan.datasets.schema import HIKARI_SPEC, DatasetSpec
from flowgan.errors import FlowganError
from flowgan.models.base import BaseFlowGenerator, check_known_class
from flowgan.sampling.strategy import resolve_sampling_strategy

SYNTHETIC_COLUMN = "is_synthetic"


def balance_frame(
    frame: pd.DataFrame,
    *,
    sampling_strategy: Any = "auto",
    generator: BaseFlowGenerator | None = None,
    spec: DatasetSpec = HIKARI_SPEC,
) -> tuple[pd.DataFrame, dict[Any, int]]:
    """Return ``frame`` followed by synthetic rows, and the rows added per class.

    Parameters
    ----------
    frame : DataFrame
        A flow table with the class column ``spec.class_col``.
    sampling_strategy : str, float or dict
        As in :func:`flowgan.sampling.resolve_sampling_strategy`.
    generator : BaseFlowGenerator, optional
        A fitted generator that knows every class to be raised, or an unfitted one (fitted
        here on the rows of those classes); ``None`` fits a default ConditionalFlowGAN.
    spec : DatasetSpec
        Which columns are the class, the label and non-features.

    Returns
    -------
    (DataFrame, dict)
        All original rows (``is_synthetic`` False) then the synthetic rows (``is_synthetic``
        True): features from the generator, the class, the binary label of that class as
        in the data; identifier/index/port columns are left empty on synthetic rows.
    """
    if spec.class_col not in frame.columns:
        raise FlowganError(f"the data has no class column {spec.class_col!r}")
    labels = frame[spec.class_col].astype(str).to_numpy()
    features = spec.feature_columns(frame.columns)
    added = {k: n for k, n in resolve_sampling_strategy(sampling_strategy, labels).items() if n > 0}
    out = frame.assign(**{SYNTHETIC_COLUMN: False})
    if not added:
        return out, {}
    generator = _fitted_generator(generator, frame[features], labels, list(added))
    parts = [out]
    for klass, n in added.items():
        rows = generator.sample(int(n), check_known_class(klass, generator.classes_))
        rows[spec.class_col] = klass
        if spec.label_col and spec.label_col in frame.columns:
            rows[spec.label_col] = frame.loc[labels == klass, spec.label_col].mode().iloc[0]
        rows[SYNTHETIC_COLUMN] = True
        parts.append(rows)
    result = pd.concat(parts, ignore_index=True)
    return result[[*frame.columns, SYNTHETIC_COLUMN]], added


def balance_file(
    data: str | os.PathLike,
    out: str | os.PathLike,
    *,
    sampling_strategy: Any = "auto",
    model_dir: str | os.PathLike | None = None,
    epochs: int | None = None,
    seed: int = 0,
    spec: DatasetSpec = HIKARI_SPEC,
    identities: str | os.PathLike | None = None,
    progress: bool = False,
) -> tuple[pd.DataFrame, dict[Any, int]]:
    """Read ``data``, balance it with :func:`balance_frame` and write the result to ``out``.

    Without ``model_dir`` a :class:`~flowgan.models.conditional_gan.ConditionalFlowGAN` is
    trained (``epochs``, ``seed``) whose rows obey the identities file ``identities`` (one
    relation a line, :mod:`flowgan.constraints.declared`; read before the data). A saved
    model keeps the identities it was trained with, so ``identities`` cannot go with ``model_dir``.
    """
    from flowgan.io import refuse_overwrite, write_table
    from flowgan.models.registry import with_identities
    from flowgan.pipeline import load_stage

    refuse_overwrite(out, [data])
    if Path(out).suffix.lower() not in (".csv", ".parquet"):
        raise FlowganError(f"{out}: output must end in .csv or .parquet")
    if model_dir is not None and identities is not None:
        raise FlowganError(f"{identities}: a saved model obeys the identities it was trained with; "
                           "train without a model directory to declare identities")  # fmt: skip
    extra = (with_identities(None, identities) or {}).get("cgan", {})
    loaded = load_stage(data, scale=0.0, seed=seed, spec=spec, progress=progress)
    if model_dir is not None:
        from flowgan.models.registry import load_generator

        generator = load_generator(model_dir)
    else:
        from flowgan.models.conditional_gan import ConditionalFlowGAN

        params = {"random_state": seed, "verbose": progress, **extra}
        if epochs is not None:
            params["epochs"] = epochs
        generator = ConditionalFlowGAN(**params)
    result, added = balance_frame(loaded.frame, sampling_strategy=sampling_strategy, generator=generator, spec=loaded.spec)
    write_table(result, out)
    return result, added


def _fitted_generator(generator, X: pd.DataFrame, labels: np.ndarray, classes: list) -> BaseFlowGenerator:
    if generator is None:
        from flowgan.models.conditional_gan import ConditionalFlowGAN

        generator = ConditionalFlowGAN()
    if hasattr(generator, "classes_"):
        return generator
    mask = np.isin(labels, classes)
    return generator.fit(X[mask].reset_index(drop=True), labels[mask])
