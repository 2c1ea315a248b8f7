"""The grid of an evaluation: a resampling stage, then a classifier stage, both parallel.

For every replicate, each method builds its training set(s) once (a GAN is trained once per
replicate, not once per classifier); then every classifier is fitted on every training set and
scored on the replicate's untouched test rows. The resampling of one replicate overlaps the
classifier stage of the previous one, so at most two replicates' resampled sets are held in
memory; the tasks run through
joblib (``n_jobs`` local processes, or a Dask cluster when a ``scheduler`` is given), each
single-threaded. Seeds come from the replicate and the names only, and results are sorted, so
any ``n_jobs`` and any cluster give the same records.
"""

from __future__ import annotations

import contextlib
import logging
import threading
import traceback
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from joblib import Parallel, delayed

from flowgan.errors import FlowganError
from flowgan.evaluation.classifiers import fit_predict
from flowgan.evaluation.data import EvaluationData
from flowgan.evaluation.methods import GENERATOR_METHODS, TrainingSet, method_names, resample_training
from flowgan.evaluation.metrics import cell_metrics
from flowgan.evaluation.result import CONFUSION_COLUMNS, OVERALL, RECORD_COLUMNS
from flowgan.evaluation.split import Replicate

logger = logging.getLogger(__name__)

TIMING_METRICS = ("fit_seconds", "predict_seconds", "resample_seconds")
"""Metrics that measure the machine, not the method (they differ between runs)."""
_LONG_FIRST = {"paper": 0, "cgan": 0, "ctgan": 0, "adasyn": 1, "borderline": 1, "smote": 2, "ros": 3}


@dataclass
class GridSettings:
    """What every cell of the grid shares."""

    methods: Sequence[str]
    classifiers: Sequence[str]
    targets: dict[int, dict[str, int]]
    generator_params: Mapping[str, Mapping[str, Any]]
    tstr: bool = True


@dataclass
class GridOutput:
    records: pd.DataFrame
    confusion: pd.DataFrame
    notices: list[str] = field(default_factory=list)


@contextlib.contextmanager
def single_threaded():
    """Limit BLAS/OpenMP and torch to one thread for the duration of a task.

    torch's thread count is process-wide: it is restored afterwards only in a main thread
    (in threaded Dask workers another task may still be running with it).
    """
    import torch
    from threadpoolctl import threadpool_limits

    previous = torch.get_num_threads()
    with threadpool_limits(limits=1):
        torch.set_num_threads(1)
        try:
            yield
        finally:
            if threading.current_thread() is threading.main_thread():
                torch.set_num_threads(previous)


def _attempt(what: str, func: Callable[..., Any], *args, **kwargs) -> tuple[str, Any]:
    """``("ok", func(*args, **kwargs))`` run single-threaded, or ``("error", message)`` when it raises."""
    try:
        with single_threaded():
            return "ok", func(*args, **kwargs)
    except Exception as exc:  # a method or classifier failing on one split must not sink the grid
        logger.debug("%s failed:\n%s", what, traceback.format_exc())
        return "error", f"{type(exc).__name__}: {exc}"


def resampling_task(X_train: pd.DataFrame, y_train: np.ndarray, method: str, *, targets: dict[str, int], random_state: int,
                    generator_params: Mapping[str, Mapping[str, Any]], tstr: bool):  # fmt: skip
    """Stage 1 of one (replicate, method): ``("ok", sets)`` or ``("error", message)``."""
    return _attempt(f"resampling {method}", resample_training, X_train, y_train, method, targets=targets,
                    random_state=random_state, generator_params=generator_params, tstr=tstr)  # fmt: skip


def classifier_task(training: TrainingSet, X_test: np.ndarray, y_test: np.ndarray, classifier: str, random_state: int,
                    classes: tuple[str, ...], benign_classes: tuple[str, ...]):  # fmt: skip
    """Stage 2 of one cell: ``("ok", (metric rows, confusion matrix))`` or ``("error", message)``."""
    return _attempt(f"classifier {classifier}", _fit_and_score, training, X_test, y_test, classifier, random_state,
                    classes, benign_classes)  # fmt: skip


def _fit_and_score(training, X_test, y_test, classifier, random_state, classes, benign_classes):
    run = fit_predict(classifier, training.X, training.y, X_test, random_state, balanced=training.balanced)
    rows, matrix = cell_metrics(y_test, run.predicted, run.proba, run.classes, classes, benign_classes)
    rows += [(OVERALL, "fit_seconds", run.fit_seconds), (OVERALL, "predict_seconds", run.predict_seconds),
             (OVERALL, "resample_seconds", training.seconds), (OVERALL, "train_rows", float(len(training.y)))]  # fmt: skip
    return rows, matrix


def plan_resampling(data: EvaluationData, replicate: Replicate, settings: GridSettings) -> list[tuple[str, Any]]:
    """``[(method, delayed resampling task)]`` of a replicate, longest tasks first.

    The tasks receive the replicate's training rows only (this is the seam the no-leak test
    uses: perturbing the test rows cannot change what the tasks see).
    """
    X_train = data.X.iloc[replicate.train].reset_index(drop=True)
    y_train = data.y[replicate.train]
    targets = settings.targets[replicate.replicate]
    order = sorted(settings.methods, key=lambda m: _LONG_FIRST.get(m, 9))  # stable: ties keep their order
    return [(method, delayed(resampling_task)(X_train, y_train, method, targets=targets,
                                              random_state=replicate.derived_seed("method", method),
                                              generator_params=settings.generator_params,
                                              tstr=settings.tstr and method in GENERATOR_METHODS))
            for method in order]  # fmt: skip


def run_grid(data: EvaluationData, replicates: Sequence[Replicate], settings: GridSettings, *, n_jobs: int = 1,
             progress: Callable[[int, int], None] | None = None) -> GridOutput:  # fmt: skip
    """Run every replicate's two stages through joblib's current backend.

    Work goes in waves: wave k resamples replicate k (generators first, they take longest)
    and, alongside, fits and scores the classifiers on replicate k - 1's training sets, so the
    workers are not idle while a GAN trains, and at most two replicates' sets are in memory.

    ``progress(done, total)`` is called in this process after every task: the resampling of
    one (replicate, method) and the fit-and-score of one cell each count as one step.
    """
    total = len(replicates) * (len(settings.methods) + _cells_per_replicate(settings))
    done = 0
    records: list[tuple] = []
    confusion: list[tuple] = []
    notices: list[str] = []

    def tick(count: int = 1) -> None:
        nonlocal done
        done += count
        if progress is not None:
            progress(done, total)

    with Parallel(n_jobs=n_jobs, return_as="generator_unordered") as parallel:
        previous: tuple[Replicate, dict[str, TrainingSet]] | None = None
        for wave in range(len(replicates) + 1):
            current = replicates[wave] if wave < len(replicates) else None
            sets: dict[str, TrainingSet] = {}
            tasks = [] if current is None else [delayed(_keyed)(("resample", method), task)
                                                for method, task in plan_resampling(data, current, settings)]  # fmt: skip
            if previous is not None:
                tasks += _classifier_tasks(data, *previous, settings, tick)
            for (kind, key), (status, value) in parallel(tasks):
                tick()
                if kind == "resample":
                    _collect_sets(key, status, value, current, sets, notices)
                else:
                    _collect_cell(key, status, value, previous[0], data, records, confusion, notices)
            previous = None if current is None else (current, sets)
    return GridOutput(_records_frame(records), _confusion_frame(confusion), notices)


def _cells_per_replicate(settings: GridSettings) -> int:
    return len(method_names(settings.methods, settings.tstr)) * len(settings.classifiers)


def _keyed(key, task):
    func, args, kwargs = task
    return key, func(*args, **kwargs)


def _collect_sets(method, status, value, replicate, sets, notices) -> None:
    if status == "ok":
        sets.update(value)
        return
    notices.append(f"method {method!r} failed on replicate {replicate.replicate} and is left out there: {value}")
    logger.warning(notices[-1])


def _classifier_tasks(data, replicate, sets, settings, tick) -> list:
    X_test = data.X.iloc[replicate.test].to_numpy(dtype=float)
    y_test = data.y[replicate.test]
    seed = replicate.derived_seed("classifier")
    cells = [(name, clf) for name in sorted(sets) for clf in settings.classifiers]
    if len(cells) < _cells_per_replicate(settings):
        tick(_cells_per_replicate(settings) - len(cells))  # cells of failed methods count as done
    return [delayed(_keyed)(("cell", (name, clf)), (classifier_task, (sets[name], X_test, y_test, clf, seed, data.classes,
                                                                        data.benign_classes), {}))
            for name, clf in cells]  # fmt: skip


def _collect_cell(key, status, value, replicate, data, records, confusion, notices) -> None:
    name, clf = key
    if status != "ok":
        notices.append(f"classifier {clf!r} failed for method {name!r} on replicate {replicate.replicate}: {value}")
        logger.warning(notices[-1])
        return
    rows, matrix = value
    records.extend((replicate.replicate, name, clf, klass, metric, val) for klass, metric, val in rows)
    for i, j in zip(*np.nonzero(matrix), strict=True):
        confusion.append((replicate.replicate, name, clf, data.classes[i], data.classes[j], int(matrix[i, j])))


def _records_frame(rows: list[tuple]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=list(RECORD_COLUMNS))
    frame["seed"] = frame["seed"].astype("int64")
    frame["value"] = frame["value"].astype(float)
    return frame.sort_values(["seed", "method", "classifier", "class", "metric"], kind="mergesort").reset_index(drop=True)


def _confusion_frame(rows: list[tuple]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=list(CONFUSION_COLUMNS))
    frame["seed"] = frame["seed"].astype("int64")
    frame["count"] = frame["count"].astype("int64")
    return frame.sort_values(["seed", "method", "classifier", "true", "predicted"], kind="mergesort").reset_index(drop=True)


def check_scheduler(scheduler: str | None):
    """A ``distributed.Client`` for ``scheduler`` (an address such as ``tcp://host:8786``), or None."""
    if scheduler is None:
        return None
    try:
        from distributed import Client
    except ImportError as exc:
        raise FlowganError("a Dask scheduler needs the optional dependency: pip install flowgan[distributed]") from exc
    try:
        return Client(scheduler, set_as_default=False)
    except OSError as exc:
        raise FlowganError(f"cannot reach the Dask scheduler at {scheduler!r}: {exc}") from exc
