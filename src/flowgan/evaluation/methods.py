"""Resampling methods of an evaluation and how their training sets are built.

Every method sees only the training rows of a replicate (:func:`resample_training` receives
nothing else), so the test rows can never reach an oversampler or a generator.
"""

from __future__ import annotations

import importlib.util
import math
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from flowgan.errors import FlowganError
from flowgan.sampling.strategy import resolve_sampling_strategy

METHODS: tuple[str, ...] = ("none", "class_weight", "ros", "smote", "borderline", "adasyn", "paper", "cgan", "ctgan")
"""Every method name, in report order."""
GENERATOR_METHODS: tuple[str, ...] = ("paper", "cgan", "ctgan")
"""Methods that train a generator (and get a ``<name>-tstr`` run when ``tstr`` is on)."""
TSTR_SUFFIX = "-tstr"
SMOTE_NEIGHBOURS = 5
"""``k_neighbors`` of SMOTE and BorderlineSMOTE, ``n_neighbors`` of ADASYN (imbalanced-learn's default)."""
CTGAN_MISSING = "ctgan not installed: pip install flowgan[ctgan]"
CTGAN_MIN_ROWS = 10
"""CTGAN packs 10 rows per critic input (``pac``), so a class needs at least that many."""

DEFAULT_ATTACK_RATIO = 0.25
"""Default strategy: every attack class is raised to this share of the majority class's
training rows; benign classes get nothing. On the simulated stand-in at scale 0.1 that adds
about 25k rows to 44k training rows (``"auto"`` would add about 120k), which keeps a 5-seed run
of the default grid within the 15-minute budget on 2 CPU cores while still raising the rarest
class (XMRIGCC CryptoMiner, ~260 training rows) about 27-fold."""

EVALUATION_GENERATOR_PARAMS: dict[str, dict[str, Any]] = {
    "cgan": {"device": "cpu"},
    "paper": {"epochs": 10, "device": "cpu"},
    "ctgan": {"epochs": 50, "batch_size": 500},
}
"""Generator settings of an evaluation (overridden per name by ``generator_params``).

``cgan`` keeps its own automatic budget (3000 generator updates: about 75 s of one thread
whatever the number of attack training rows); the seed paper's GAN trains one network per class with
batch 32 (about 3 s per epoch on those rows), so its seed default of 500 epochs (over an hour) is cut to 10. CPU is the default device so
that runs are reproducible; pass ``{"cgan": {"device": "auto"}}`` to use a GPU."""


@dataclass
class TrainingSet:
    """What one method hands to the classifiers.

    Attributes
    ----------
    X : ndarray of float64
    y : ndarray of str
    balanced : bool
        Fit the classifier with balanced class weights (method ``class_weight``).
    seconds : float
        Time spent resampling (generator training included).
    """

    X: np.ndarray
    y: np.ndarray
    balanced: bool = False
    seconds: float = 0.0


def ctgan_available() -> bool:
    """True when the optional ``ctgan`` package can be imported."""
    return importlib.util.find_spec("ctgan") is not None


def available_methods() -> tuple[str, ...]:
    """The methods that can run here (``ctgan`` only when installed)."""
    return tuple(m for m in METHODS if m != "ctgan" or ctgan_available())


def method_names(methods: Any, tstr: bool) -> list[str]:
    """The method names as recorded (each generator followed by its TSTR run when ``tstr``)."""
    names = []
    for method in methods:
        names.append(method)
        if tstr and method in GENERATOR_METHODS:
            names.append(method + TSTR_SUFFIX)
    return names


def minimum_rows(method: str) -> int:
    """Training rows a class needs for ``method`` to raise it."""
    if method in ("smote", "borderline", "adasyn"):
        return SMOTE_NEIGHBOURS + 1
    if method == "ctgan":
        return CTGAN_MIN_ROWS
    if method in GENERATOR_METHODS:
        return 2
    return 1


def resolve_targets(strategy: Any, y_train: np.ndarray, attack_classes: tuple[str, ...]) -> dict[str, int]:
    """``{class: rows after resampling}`` for the classes that receive rows.

    ``None`` is the default (:data:`DEFAULT_ATTACK_RATIO` for attack classes; every minority
    class when there are no attack classes); ``"auto"`` and the other imbalanced-learn strings,
    a ratio in (0, 1] or a dict of target rows (counted on the training part) as in
    :func:`flowgan.sampling.strategy.resolve_sampling_strategy`.
    """
    counts = pd.Series(y_train).value_counts()
    if strategy is None:
        goal = math.ceil(DEFAULT_ATTACK_RATIO * counts.max())
        raised = [k for k in (attack_classes or counts.index) if k in counts.index]
        return {str(k): goal for k in sorted(raised) if counts[k] < goal}
    if isinstance(strategy, dict):
        strategy = {str(k): int(v) for k, v in strategy.items()}
    added = resolve_sampling_strategy(strategy, y_train)
    return {str(k): int(counts[k] + n) for k, n in added.items() if n > 0}


def make_sampler(method: str, targets: dict[str, int], random_state: int, generator_params: Mapping[str, Mapping[str, Any]]):
    """An unfitted imbalanced-learn style sampler for ``method`` (None for none/class_weight)."""
    if method in ("none", "class_weight"):
        return None
    from imblearn.over_sampling import ADASYN, SMOTE, BorderlineSMOTE, RandomOverSampler

    k = SMOTE_NEIGHBOURS
    if method == "ros":
        return RandomOverSampler(sampling_strategy=targets, random_state=random_state)
    if method == "smote":
        return SMOTE(sampling_strategy=targets, k_neighbors=k, random_state=random_state)
    if method == "borderline":
        return BorderlineSMOTE(sampling_strategy=targets, k_neighbors=k, random_state=random_state)
    if method == "adasyn":
        return ADASYN(sampling_strategy=targets, n_neighbors=k, random_state=random_state)
    if method in GENERATOR_METHODS:
        from flowgan.sampling.oversampler import GANOverSampler

        return GANOverSampler(generator=make_generator(method, generator_params), sampling_strategy=targets,
                              random_state=random_state)  # fmt: skip
    raise FlowganError(f"unknown method {method!r}: choose from {', '.join(METHODS)}")


def make_generator(method: str, generator_params: Mapping[str, Mapping[str, Any]]):
    """The unfitted generator of ``method`` with the evaluation's settings."""
    params = {**EVALUATION_GENERATOR_PARAMS.get(method, {}), **dict(generator_params.get(method, {}))}
    if method == "ctgan":
        from flowgan.evaluation.ctgan_adapter import CTGANFlowGenerator

        return CTGANFlowGenerator(**params)
    from flowgan.models.registry import generator_class

    return generator_class(method)(**params)


def resample_training(
    X_train: pd.DataFrame,
    y_train: np.ndarray,
    method: str,
    *,
    targets: dict[str, int],
    random_state: int,
    generator_params: Mapping[str, Mapping[str, Any]] | None = None,
    tstr: bool = False,
) -> dict[str, TrainingSet]:
    """The training set(s) of ``method``, built from the training rows only.

    Returns ``{method: set}`` and, for a generator with ``tstr``, also ``{method + "-tstr": set}``:
    the train-on-synthetic set keeps the real rows of the classes the generator did not produce
    and replaces the real rows of every class it produced by as many synthetic rows (drawn
    from the same fitted generator), so it has the real class counts.
    """
    X_values = X_train.to_numpy(dtype=float)
    y_values = np.asarray(y_train).astype(str)
    if method in ("none", "class_weight"):
        return {method: TrainingSet(X_values, y_values, balanced=method == "class_weight")}
    sampler = make_sampler(method, targets, random_state, generator_params or {})
    start = time.perf_counter()
    if not targets:
        X_res, y_res = X_values, y_values
    else:
        frame = pd.DataFrame(X_values, columns=[str(c) for c in X_train.columns])
        X_res, y_res = sampler.fit_resample(frame, y_values)
        X_res = np.asarray(X_res, dtype=float)
    sets = {method: TrainingSet(X_res, np.asarray(y_res).astype(str), seconds=time.perf_counter() - start)}
    if tstr and method in GENERATOR_METHODS:
        sets[method + TSTR_SUFFIX] = _tstr_set(sampler, X_values, y_values, X_train.columns, targets, sets[method].seconds)
    return sets


def _tstr_set(sampler, X_values: np.ndarray, y_values: np.ndarray, columns, targets: dict, seconds: float) -> TrainingSet:
    generator = getattr(sampler, "generator_", None) if targets else None
    if generator is None:
        return TrainingSet(X_values, y_values, seconds=seconds)
    start = time.perf_counter()
    keep = ~np.isin(y_values, list(targets))
    X_parts, y_parts = [X_values[keep]], [y_values[keep]]
    for klass in targets:
        n = int((y_values == klass).sum())
        rows = generator.sample(n, klass)
        X_parts.append(rows[[str(c) for c in columns]].to_numpy(dtype=float))
        y_parts.append(np.full(n, klass, dtype=y_values.dtype))
    return TrainingSet(np.vstack(X_parts), np.concatenate(y_parts), seconds=seconds + time.perf_counter() - start)
