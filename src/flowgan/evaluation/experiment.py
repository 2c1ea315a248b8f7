"""``evaluate``: does balancing a flow dataset help a detector? One credible experiment.

Order of work, following the rules of a credible evaluation:

1. drop index, identifier and (by default) port columns and the other target column;
2. split (stratified train/test per seed, or stratified k-fold per seed);
3. audit single-feature ROC-AUC for leaks on the training rows of the first replicate;
4. per replicate, build each method's training set from the training rows only (oversamplers
   and generators never see test rows), then fit every classifier on every training set and
   score it on the untouched real test rows;
5. summarise over replicates (mean, Student-t 95% interval) and compare every method with
   ``none`` and ``smote`` (paired Wilcoxon signed-rank).
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import time
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import pandas as pd

from flowgan.constraints.declared import read_identities
from flowgan.datasets.schema import HIKARI_SPEC, DatasetSpec
from flowgan.errors import FlowganError
from flowgan.evaluation import classifiers as clf
from flowgan.evaluation.data import prepare_data, target_column
from flowgan.evaluation.grid import GridSettings, check_scheduler, run_grid
from flowgan.evaluation.leakage import audit_leakage, leak_notices
from flowgan.evaluation.methods import (
    CTGAN_MISSING,
    EVALUATION_GENERATOR_PARAMS,
    METHODS,
    available_methods,
    method_names,
    minimum_rows,
    resolve_targets,
)
from flowgan.evaluation.result import EvaluationResult
from flowgan.evaluation.split import make_replicates
from flowgan.evaluation.stats import compare, summarize
from flowgan.models.registry import IDENTITY_METHODS
from flowgan.sampling.strategy import parse_strategy

logger = logging.getLogger(__name__)


def evaluate(
    frame: pd.DataFrame,
    spec: DatasetSpec = HIKARI_SPEC,
    *,
    target: str = "class",
    methods: Sequence[str] | None = None,
    classifiers: Sequence[str] | None = None,
    seeds: int = 5,
    test_size: float = 0.2,
    folds: int | None = None,
    strategy: str | float | dict | None = None,
    keep_ports: bool = False,
    generator_params: Mapping[str, Mapping[str, Any]] | None = None,
    tstr: bool = True,
    n_jobs: int = 1,
    scheduler: str | None = None,
    progress: Callable[[int, int], None] | None = None,
    source: str = "",
    identities: str | os.PathLike | None = None,
) -> EvaluationResult:
    """Measure whether each balancing method helps each classifier on ``frame``.

    Parameters
    ----------
    frame : DataFrame
        A raw flow table (HIKARI's 88 columns, or any table with the spec's class column).
    spec : DatasetSpec, default HIKARI_SPEC
        Its names are matched to ``frame``'s columns (:meth:`DatasetSpec.resolve`: ``"Label"``
        also finds ``" Label"``); a column to drop that ``frame`` lacks is an error.
    target : {"class", "label"}, default "class"
        ``class``: the spec's class column (six classes on HIKARI); ``label``: its binary label.
    methods : sequence of str, optional
        Names from :data:`METHODS`; default :data:`DEFAULT_METHODS` (all, ``ctgan`` only when
        installed). Asking for ``ctgan`` when it is missing skips it with a notice.
    classifiers : sequence of str, optional
        Names from :data:`CLASSIFIERS`; default :data:`DEFAULT_CLASSIFIERS` (``rf``, ``hgb``).
    seeds : int, default 5
        Replicates; each seed changes the split, the generator seeds and the classifier seed.
    test_size : float, default 0.2
        Share of rows in the stratified test split (ignored with ``folds``).
    folds : int, optional
        Use stratified k-fold per seed instead; every (seed, fold) is one replicate, recorded
        as ``seed * folds + fold``.
    strategy : None, str, float or dict
        Rows per class after resampling, counted on the training part: ``None`` (default)
        raises every attack class to :data:`~flowgan.evaluation.methods.DEFAULT_ATTACK_RATIO`
        of the majority; ``"auto"`` raises every class to the majority; a ratio ``r`` raises
        every class below ``r * majority`` to it; a dict gives target rows per class.
    keep_ports : bool, default False
        Keep the port columns as features.
    generator_params : mapping, optional
        Settings per generator name, over :data:`~flowgan.evaluation.methods.EVALUATION_GENERATOR_PARAMS`.
    tstr : bool, default True
        Also train on synthetic rows in place of real ones (method ``"<generator>-tstr"``).
    n_jobs : int, default 1
        Local worker processes (ignored with ``scheduler``).
    scheduler : str, optional
        Address of a Dask scheduler (``"tcp://host:8786"``); needs ``flowgan[distributed]``.
    progress : callable, optional
        ``progress(done, total)`` after each resampling task and each classifier cell.
    source : str
        Where ``frame`` came from (recorded in ``config``).
    identities : path, optional
        Identities file (one relation a line, :mod:`flowgan.constraints.declared`), read and
        checked before any work; the ``cgan`` method's rows obey it (the other methods ignore
        it). The parsed identities travel in ``generator_params``, so workers never read the file.

    Returns
    -------
    EvaluationResult

    Raises
    ------
    FlowganError
        Unknown method, classifier or target; missing target column; a class too small for
        the split or for a method (checked before any work starts).
    """
    start = time.perf_counter()
    declared = None if identities is None else read_identities(identities)
    spec = spec.resolve(frame.columns, source or "the data")
    methods, notices = _check_methods(methods)
    classifier_names = clf.check_classifiers(classifiers)
    if isinstance(strategy, str) and strategy.strip().startswith("{"):
        strategy = parse_strategy(strategy)
    data = prepare_data(frame, spec, target, keep_ports=keep_ports)
    notices += list(data.notices)
    replicates = make_replicates(data.y, seeds, test_size=test_size, folds=folds)
    first = replicates[0]
    leakage = audit_leakage(data.X.iloc[first.train], data.y[first.train])
    notices += leak_notices(leakage, target_column(spec, target))
    targets = {r.replicate: resolve_targets(strategy, data.y[r.train], data.attack_classes) for r in replicates}
    _check_class_sizes(data.y, replicates, methods, targets)
    if folds is not None:
        notices.append(f"{folds}-fold splits: each (seed, fold) is a replicate, and folds of one seed share training "
                       "rows, so the confidence intervals are somewhat too narrow")  # fmt: skip
    elif seeds == 1:
        notices.append("one seed: the confidence intervals are the mean itself, and no Wilcoxon test can be made")
    params = {name: {**EVALUATION_GENERATOR_PARAMS.get(name, {}), **dict((generator_params or {}).get(name, {}))}
              for name in methods if name in EVALUATION_GENERATOR_PARAMS}  # fmt: skip
    for name in IDENTITY_METHODS:
        if declared is not None and name in params:
            params[name]["identities"] = declared
    settings = GridSettings(methods, classifier_names, targets, params, tstr)
    client = check_scheduler(scheduler)
    with _backend(client):
        output = run_grid(data, replicates, settings, n_jobs=-1 if client else n_jobs, progress=progress)
    notices += output.notices
    asked = dict(source=source, target=target, seeds=seeds, test_size=test_size, folds=folds, methods=methods,
                 tstr=tstr, classifier_names=classifier_names, strategy=strategy, keep_ports=keep_ports,
                 n_jobs=n_jobs, scheduler=scheduler)  # fmt: skip
    config = _config(asked, data, replicates, targets, params, spec)
    return EvaluationResult(
        records=output.records,
        summary=summarize(output.records),
        comparisons=compare(output.records),
        confusion=output.confusion,
        leakage=leakage,
        dropped_columns=tuple(data.dropped),
        classes=data.classes,
        benign_class=data.benign_class,
        config=config,
        notices=tuple(notices),
        seconds=time.perf_counter() - start,
    )


def _check_methods(methods: Sequence[str] | None) -> tuple[list[str], list[str]]:
    """The methods to run and the notices about skipped ones."""
    from flowgan.evaluation import DEFAULT_METHODS

    notices = []
    names = list(DEFAULT_METHODS if methods is None else methods)
    unknown = [m for m in names if m not in METHODS]
    if unknown or not names:
        raise FlowganError(f"unknown method(s) {unknown}: choose from {', '.join(METHODS)}")
    names = list(dict.fromkeys(names))
    if methods is None and "ctgan" not in available_methods():
        notices.append(f"method 'ctgan' skipped: {CTGAN_MISSING}")
    if "ctgan" in names and "ctgan" not in available_methods():
        names.remove("ctgan")
        notices.append(f"method 'ctgan' skipped: {CTGAN_MISSING}")
    if not names:
        raise FlowganError(f"no method left to run ({CTGAN_MISSING})")
    return names, notices


def _check_class_sizes(y, replicates, methods, targets) -> None:
    """Raise before any work when a raised class is too small for a method in some replicate."""
    for replicate in replicates:
        counts = pd.Series(y[replicate.train]).value_counts()
        for method in methods:
            need = minimum_rows(method)
            for klass in targets[replicate.replicate]:
                if counts.get(klass, 0) < need:
                    raise FlowganError(
                        f"class {klass!r} has {counts.get(klass, 0)} row(s) in the training part of replicate "
                        f"{replicate.replicate}; method {method!r} needs at least {need} to raise it "
                        "(use more rows, fewer folds, a larger training share, or leave the method out)"
                    )


@contextlib.contextmanager
def _backend(client):
    """Run joblib on ``client``'s Dask cluster (closed afterwards, also on errors), or locally."""
    if client is None:
        yield
        return
    from joblib import parallel_config

    with client, parallel_config(backend="dask", client=client):
        yield


def _config(args: dict, data, replicates, targets, params, spec) -> dict[str, Any]:
    """The run's settings as asked (``args``) and as resolved, JSON-safe."""
    strategy = args["strategy"]
    config = {
        "source": args["source"],
        "dataset": spec.name,
        "target": args["target"],
        "target_column": target_column(spec, args["target"]),
        "seeds": args["seeds"],
        "test_size": None if args["folds"] is not None else args["test_size"],
        "folds": args["folds"],
        "replicates": len(replicates),
        "methods": list(args["methods"]),
        "recorded_methods": method_names(args["methods"], args["tstr"]),
        "classifiers": list(args["classifier_names"]),
        "strategy": "default" if strategy is None else strategy,
        "targets_replicate_0": targets[replicates[0].replicate],
        "keep_ports": args["keep_ports"],
        "generator_params": params,
        "classifier_params": {"rf": clf.RF_PARAMS, "hgb": clf.HGB_PARAMS, "logreg": clf.LOGREG_PARAMS,
                              "mlp": clf.MLP_PARAMS},  # fmt: skip
        "tstr": args["tstr"],
        "n_jobs": args["n_jobs"],
        "scheduler": args["scheduler"],
        "rows": int(len(data.y)),
        "features": list(map(str, data.X.columns)),
        "class_counts": {k: int(v) for k, v in pd.Series(data.y).value_counts().sort_index().items()},
        "benign_classes": list(data.benign_classes),
        "leakage_audit": "training rows of replicate 0",
    }
    return json.loads(json.dumps(config, default=_jsonable))


def _jsonable(value: Any) -> Any:
    if isinstance(value, tuple):
        return list(value)
    if hasattr(value, "describe"):  # a declared Identity
        return value.describe()
    if hasattr(value, "item"):
        return value.item()
    return str(value)
