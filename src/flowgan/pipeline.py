"""``flowgan run``: load -> preprocess -> split -> train -> generate -> validate -> report.

Every stage is one function taking and returning plain values, so that more stages (the
conditional GAN, the IDS evaluation) slot in without touching the others. The run directory
is built beside its target and renamed into place at the end: a failed run leaves nothing.

Layout of ``<out_root>/<name>/``::

    report.html              one self-contained page
    results.json             settings, class counts, per model and class the validation summary
    validation_<model>.txt   the seed's text report, one block per class
    synthetic_<model>.csv    the generated rows (features + class column)
    history_<model>.json     losses per epoch
    model_<model>/           the saved generator
    evaluation.csv           (unless evaluate=False) the short IDS evaluation, tidy
    evaluation.json          its summary (also results.json["evaluation"])
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
from sklearn.model_selection import train_test_split

from flowgan.datasets.schema import HIKARI_SPEC, DatasetSpec
from flowgan.errors import DataValidationError, FlowganError
from flowgan.models.registry import generator_class, with_identities
from flowgan.validation.comparison import ClassComparison, compare_class

logger = logging.getLogger(__name__)

DEFAULT_MODELS: tuple[str, ...] = ("cgan", "paper")
DEFAULT_SCALE = 0.02
MODEL_RUN_DEFAULTS: dict[str, dict[str, Any]] = {
    "paper": {"epochs": 30},
}
"""Per-model settings of ``flowgan run`` when ``epochs`` is not given: sized so that the
default run (scale 0.02, about 600 attack training rows) finishes in a few minutes on 2 CPU
cores. The conditional GAN keeps its own automatic budget (3000 generator updates), as in
``train``, ``balance`` and ``evaluate``."""
EVALUATION_BASELINES: tuple[str, ...] = ("none", "class_weight", "smote")
"""Methods of a run's short evaluation besides the run's own generators."""
EVALUATION_CLASSIFIERS: tuple[str, ...] = ("rf",)


@dataclass(frozen=True)
class LoadedData:
    """The table a run works on, where it came from, and the spec with its names matched to the
    table's columns (:meth:`DatasetSpec.resolve`)."""

    frame: pd.DataFrame
    source: str
    simulated: bool
    notes: tuple[str, ...] = ()
    spec: DatasetSpec = HIKARI_SPEC


@dataclass(frozen=True)
class DataSplit:
    """Stratified training and held-out real rows, and the feature columns."""

    train: pd.DataFrame
    test: pd.DataFrame
    features: list[str]
    class_col: str


@dataclass
class ModelRun:
    """What one generator produced in a run."""

    model: str
    generator: Any
    synthetic: pd.DataFrame
    added: dict[Any, int]
    comparisons: list[ClassComparison]
    pooled: ClassComparison | None
    wall_time_s: float
    history: list[dict[str, Any]] = field(default_factory=list)


@dataclass(frozen=True)
class PipelineResult:
    """Where a run wrote its outputs, and its ``results.json`` content."""

    out_dir: Path
    report_path: Path
    results_path: Path
    results: dict[str, Any]


def load_stage(
    data: str | os.PathLike | pd.DataFrame | None,
    *,
    scale: float,
    seed: int,
    spec: DatasetSpec = HIKARI_SPEC,
    progress: bool = False,
) -> LoadedData:
    """Read ``data`` (a path or a DataFrame), or simulate the stand-in when it is ``None``.

    The result's ``spec`` is ``spec`` with its names matched to the table's columns (a name
    differing from a column only by surrounding spaces finds it); use it from here on.
    """
    if data is None:
        from flowgan.datasets.simulate import simulate_hikari

        frame = simulate_hikari(scale=scale, seed=seed, progress=progress)
        source, simulated = f"simulated HIKARI-shaped stand-in (scale {scale}, seed {seed})", True
    elif isinstance(data, pd.DataFrame):
        frame, source, simulated = data, "DataFrame given in memory", False
    else:
        from flowgan.datasets import load_dataset

        frame, source, simulated = load_dataset(data, spec, progress=progress), str(data), False
    return LoadedData(frame, source, simulated, spec=spec.resolve(frame.columns, source))


def preprocess_stage(loaded: LoadedData, spec: DatasetSpec) -> tuple[pd.DataFrame, list[str]]:
    """Default-mode preprocessing (no index, ids or ports); returns the frame and notes for the report."""
    from flowgan.preprocess import preprocess

    if spec.class_col not in loaded.frame.columns:
        raise DataValidationError(f"{loaded.source}: no class column {spec.class_col!r}; pass --class-col")
    result = preprocess(loaded.frame, "default", spec, keep_ports=False)
    frame = result.frame
    non_numeric = [
        c for c in frame.columns
        if c not in (spec.class_col, spec.label_col) and not pd.api.types.is_numeric_dtype(frame[c])
    ]  # fmt: skip
    if non_numeric:
        raise DataValidationError(
            f"{loaded.source}: non-numeric feature column(s) {', '.join(non_numeric)}; drop them with --drop"
        )
    frame = frame.copy()
    frame[spec.class_col] = frame[spec.class_col].astype(str)
    notes = list(result.notes)
    if result.dropped:
        notes.append(f"dropped before training: {', '.join(result.dropped)}")
    return frame, notes


def split_stage(frame: pd.DataFrame, spec: DatasetSpec, *, test_size: float, seed: int) -> DataSplit:
    """Stratified train/test split of the rows (by class)."""
    counts = frame[spec.class_col].value_counts()
    small = counts[counts < 2]
    if not small.empty:
        raise DataValidationError(f"classes with fewer than 2 rows cannot be split: {', '.join(map(str, small.index))}")
    train, test = train_test_split(frame, test_size=test_size, random_state=seed, stratify=frame[spec.class_col])
    features = [c for c in frame.columns if c not in (spec.class_col, spec.label_col)]
    return DataSplit(train.reset_index(drop=True), test.reset_index(drop=True), features, spec.class_col)


def choose_classes(frame: pd.DataFrame, spec: DatasetSpec, classes: Sequence[str] | None, all_classes: bool) -> list[str]:
    """The classes to generate: those asked for, all, or the attack classes (label 1)."""
    known = sorted(frame[spec.class_col].unique().tolist(), key=str)
    if classes:
        unknown = [c for c in classes if c not in known]
        if unknown:
            raise DataValidationError(f"unknown class(es) {', '.join(map(repr, unknown))}; the data has {', '.join(known)}")
        return list(classes)
    if all_classes or not spec.label_col or spec.label_col not in frame.columns:
        return known
    attack = frame.loc[frame[spec.label_col] == 1, spec.class_col].unique().tolist()
    if not attack:
        raise DataValidationError(f"no rows have {spec.label_col} == 1; pass the classes to generate")
    return sorted(attack, key=str)


def synthetic_counts(split: DataSplit, classes: Sequence[str], n_per_class: int | None) -> dict[str, int]:
    """Rows to generate per class.

    ``n_per_class`` when given; otherwise enough to lift each class to the largest of the
    chosen classes in the training split, and at least as many as its held-out rows (so that
    every class is validated).
    """
    train = split.train[split.class_col].value_counts()
    test = split.test[split.class_col].value_counts()
    if n_per_class is not None:
        if n_per_class <= 0:
            raise FlowganError(f"n_per_class must be positive, got {n_per_class}")
        return {k: int(n_per_class) for k in classes}
    target = max(int(train[k]) for k in classes)
    return {k: max(target - int(train[k]), int(test.get(k, 0)), 1) for k in classes}


def train_stage(model: str, split: DataSplit, classes: Sequence[str], params: Mapping[str, Any]) -> Any:
    """Fit generator ``model`` on the training rows of ``classes``."""
    cls = generator_class(model)
    generator = cls()
    accepted = {k: v for k, v in params.items() if k in generator.get_params()}
    generator.set_params(**accepted)
    rows = split.train[split.train[split.class_col].isin(classes)]
    logger.info("training %s on %d rows of %d class(es)", model, len(rows), len(classes))
    return generator.fit(rows[split.features].reset_index(drop=True), rows[split.class_col].to_numpy())


def generate_stage(generator: Any, counts: Mapping[str, int], class_col: str) -> pd.DataFrame:
    """Generate ``counts[k]`` rows of each class ``k``; the class goes in ``class_col``."""
    parts = []
    for klass, n in counts.items():
        rows = generator.sample(int(n), klass)
        rows[class_col] = klass
        parts.append(rows)
    return pd.concat(parts, ignore_index=True)


def validate_stage(split: DataSplit, synthetic: pd.DataFrame, classes: Sequence[str]) -> tuple[list[ClassComparison], ClassComparison]:
    """Compare each class's synthetic rows with its held-out real rows; also all classes pooled."""
    test = split.test
    comparisons = []
    for klass in classes:
        real = test[test[split.class_col] == klass]
        if real.empty:
            logger.warning("class %s has no held-out rows; not validated", klass)
            continue
        comparisons.append(compare_class(real, synthetic[synthetic[split.class_col] == klass], split.features, klass))
    real_all = test[test[split.class_col].isin(classes)]
    pooled = compare_class(real_all, synthetic, split.features, "all generated classes")
    return comparisons, pooled


def run_model(model: str, split: DataSplit, classes: Sequence[str], counts: Mapping[str, int], params: Mapping[str, Any]) -> ModelRun:
    """Train, generate and validate one model."""
    started = time.perf_counter()
    generator = train_stage(model, split, classes, params)
    synthetic = generate_stage(generator, counts, split.class_col)
    comparisons, pooled = validate_stage(split, synthetic, classes)
    history = list(getattr(generator, "history_", []))
    return ModelRun(model, generator, synthetic, dict(counts), comparisons, pooled, time.perf_counter() - started, history)


def run_pipeline(
    data: str | os.PathLike | pd.DataFrame | None = None,
    *,
    name: str = "run",
    out_root: str | os.PathLike = "runs",
    models: Sequence[str] = DEFAULT_MODELS,
    epochs: int | None = None,
    scale: float = DEFAULT_SCALE,
    seed: int = 0,
    device: str = "auto",
    test_size: float = 0.2,
    classes: Sequence[str] | None = None,
    all_classes: bool = False,
    n_per_class: int | None = None,
    spec: DatasetSpec = HIKARI_SPEC,
    model_params: Mapping[str, Mapping[str, Any]] | None = None,
    progress: bool = False,
    evaluate: bool = True,
    evaluation_seeds: int = 2,
    evaluation_methods: Sequence[str] | None = None,
    evaluation_classifiers: Sequence[str] = EVALUATION_CLASSIFIERS,
    identities: str | os.PathLike | None = None,
) -> PipelineResult:
    """Run the whole pipeline and write ``<out_root>/<name>/`` (see the module docstring).

    Parameters
    ----------
    data : path, DataFrame or None
        The flow table; ``None`` runs on the simulated stand-in (``scale`` of HIKARI's size).
    name, out_root : str
        The run directory is ``out_root/name``; an earlier run there is replaced.
    models : sequence of str
        Registered generator names (``paper``, ``cgan``).
    epochs : int or None
        Training epochs of every model; ``None`` uses :data:`MODEL_RUN_DEFAULTS`.
    seed, device :
        Passed to every generator (``random_state=seed``); ``seed`` also seeds the split.
    test_size : float
        Share of rows held out, stratified by class.
    classes, all_classes :
        Classes to generate (default: the attack classes, label 1).
    n_per_class : int or None
        Rows per class to generate (default: see :func:`synthetic_counts`).
    model_params : dict of dict
        Extra constructor parameters per model name.
    identities : path or None
        Identities file (one relation a line, :mod:`flowgan.constraints.declared`), read and
        checked before anything else; the ``cgan`` model's rows obey it (other models ignore it).
    progress : bool
        Progress bars while training.
    evaluate : bool
        Also run a short IDS evaluation (:func:`flowgan.evaluation.evaluate`) on the loaded
        table: ``evaluation_seeds`` seeds, ``evaluation_classifiers``, and the methods
        ``evaluation_methods`` (default: none, class_weight, smote and the run's models, trained
        with the run's settings). An evaluation the data does not allow (FlowganError) becomes
        a note in the report instead of failing the run.

    Returns
    -------
    PipelineResult
    """
    from flowgan.models.training import check_epochs
    from flowgan.pipeline_outputs import RESULTS_FILE, write_run
    from flowgan.io import check_replaceable

    if epochs is not None:
        check_epochs(epochs)
    model_params = with_identities(model_params, identities)
    check_replaceable(Path(out_root) / name, marker=RESULTS_FILE)
    if not 0 < test_size < 1:
        raise FlowganError(f"test_size must be between 0 and 1, got {test_size}")
    for model in models:
        generator_class(model)
    if evaluate and evaluation_seeds < 1:
        raise FlowganError(f"evaluation_seeds must be at least 1, got {evaluation_seeds}")
    started = time.perf_counter()
    loaded = load_stage(data, scale=scale, seed=seed, spec=spec, progress=progress)
    spec = loaded.spec
    frame, notes = preprocess_stage(loaded, spec)
    split = split_stage(frame, spec, test_size=test_size, seed=seed)
    chosen = choose_classes(split.train, spec, classes, all_classes)
    counts = synthetic_counts(split, chosen, n_per_class)
    logger.info("data: %s (%d rows); generating %s", loaded.source, len(frame), counts)
    runs = [run_model(m, split, chosen, counts, _model_params(m, epochs, seed, device, progress, model_params)) for m in models]
    validity = validity_stage(split, chosen, runs)
    evaluation = None
    if evaluate:
        methods = evaluation_methods or [*EVALUATION_BASELINES, *(m for m in models if m not in EVALUATION_BASELINES)]
        generators = {m: {k: v for k, v in _model_params(m, epochs, seed, device, False, model_params).items() if k != "random_state"}
                      for m in models}  # fmt: skip
        evaluation = evaluation_stage(loaded, spec, notes, seeds=evaluation_seeds, methods=methods,
                                      classifiers=evaluation_classifiers, test_size=test_size, generator_params=generators)  # fmt: skip
    settings = {"name": name, "models": list(models), "epochs": epochs or {m: MODEL_RUN_DEFAULTS.get(m, {}).get("epochs") for m in models},
                "seed": seed, "device": device, "test_size": test_size,
                "scale": scale if loaded.simulated else None, "classes": chosen,
                "identities": None if identities is None else str(identities)}  # fmt: skip
    return write_run(Path(out_root) / name, loaded, notes, split, runs, settings, started=started, validity=validity,
                     evaluation=evaluation)  # fmt: skip


def _model_params(model, epochs, seed, device, progress, model_params) -> dict[str, Any]:
    """Constructor parameters of ``model`` in a run: run defaults, then ``epochs``, then ``model_params``."""
    params = {**MODEL_RUN_DEFAULTS.get(model, {}), "random_state": seed, "device": device, "verbose": progress}
    if epochs is not None:
        params["epochs"] = epochs
    params.update((model_params or {}).get(model, {}))
    return params


def evaluation_stage(loaded: LoadedData, spec: DatasetSpec, notes: list[str], **settings: Any):
    """The short IDS evaluation of a run on the loaded (not preprocessed) table, or ``None``.

    ``settings`` go to :func:`flowgan.evaluation.evaluate`. A :class:`FlowganError` (data too
    small for a method, ...) is logged and added to ``notes`` rather than failing the run.
    """
    from flowgan import evaluation

    logger.info("evaluating %s with %s", ", ".join(settings["methods"]), ", ".join(settings["classifiers"]))
    try:
        return evaluation.evaluate(loaded.frame, spec=spec, target="class", tstr=False, source=loaded.source, **settings)
    except FlowganError as exc:
        logger.warning("evaluation skipped: %s", exc)
        notes.append(f"IDS evaluation skipped: {exc}")
        return None


@dataclass(frozen=True)
class ValidityResult:
    """Identities found on the training rows and how every source keeps them."""

    identities: list[Any]
    table: pd.DataFrame


def validity_stage(split: DataSplit, classes: Sequence[str], runs: Sequence[ModelRun]) -> ValidityResult:
    """Check each model's rows (and the held-out real rows) against the training rows' identities."""
    from flowgan.validation.validity import REAL_SOURCE, integer_columns, training_identities, validity_table

    train = split.train[split.train[split.class_col].isin(classes)]
    identities = training_identities(train, split.features)
    sources = {REAL_SOURCE: split.test, **{r.model: r.synthetic for r in runs}}
    table = validity_table(sources, identities=identities, features=split.features,
                           int_columns=integer_columns(train, split.features), class_col=split.class_col,
                           classes=classes)  # fmt: skip
    return ValidityResult(identities, table)


def class_counts(frame: pd.DataFrame, class_col: str) -> dict[str, int]:
    """Rows per class, largest first."""
    return {str(k): int(v) for k, v in frame[class_col].value_counts().items()}

