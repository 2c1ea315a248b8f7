"""Replicates: the stratified splits of an evaluation and the seeds derived from them.

Every replicate has a number ``replicate`` (the ``seed`` column of the records). With a plain
train/test split, replicate ``s`` is seed ``s`` (``0 .. seeds - 1``): the split, the generator
seeds and the classifier seed all change with it. With ``folds = k``, seed ``s`` shuffles a
stratified k-fold split and each (seed, fold) is one replicate, numbered ``s * k + fold``.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass

import numpy as np
import pandas as pd
from sklearn.model_selection import StratifiedKFold, train_test_split

from flowgan.errors import FlowganError


@dataclass(frozen=True)
class Replicate:
    """One train/test split.

    Attributes
    ----------
    replicate : int
        The number recorded in the ``seed`` column.
    seed : int
        The seed that drew the split.
    fold : int or None
        The fold (k-fold splits only).
    train, test : ndarray of int
        Row positions.
    """

    replicate: int
    seed: int
    fold: int | None
    train: np.ndarray
    test: np.ndarray

    def derived_seed(self, *parts: str) -> int:
        """A seed in [0, 2**31) fixed by the replicate and ``parts`` (e.g. a method name).

        The same replicate and parts give the same seed on any machine and in any run order, so
        a local and a Dask run agree, and adding a method does not change the others' seeds.
        """
        key = "/".join([str(self.seed), str(self.fold), *parts]).encode()
        return int(np.random.SeedSequence([zlib.crc32(key), self.seed]).generate_state(1)[0] % (2**31 - 1))


def check_split_counts(y: np.ndarray, *, test_size: float, folds: int | None) -> None:
    """Raise a FlowganError naming the first class too small to be split."""
    counts = pd.Series(y).value_counts()
    if folds is not None:
        if isinstance(folds, bool) or not isinstance(folds, (int, np.integer)) or folds < 2:
            raise FlowganError(f"folds must be an integer >= 2, got {folds!r}")
        need = int(folds)
        what = f"{folds}-fold stratified splitting"
    else:
        if not 0 < float(test_size) < 1:
            raise FlowganError(f"test_size must be in (0, 1), got {test_size!r}")
        need = 2
        what = "a stratified train/test split"
    for klass, count in counts.sort_values().items():
        if count < need:
            raise FlowganError(f"class {klass!r} has {count} row(s); {what} needs at least {need} per class")


def make_replicates(y: np.ndarray, seeds: int, *, test_size: float = 0.2, folds: int | None = None) -> list[Replicate]:
    """The replicates of an evaluation, in replicate order."""
    if isinstance(seeds, bool) or not isinstance(seeds, (int, np.integer)) or seeds < 1:
        raise FlowganError(f"seeds must be a positive integer, got {seeds!r}")
    check_split_counts(y, test_size=test_size, folds=folds)
    positions = np.arange(len(y))
    replicates = []
    for seed in range(int(seeds)):
        if folds is None:
            try:
                train, test = train_test_split(positions, test_size=test_size, stratify=y, random_state=seed)
            except ValueError as exc:
                raise FlowganError(f"cannot split {len(y)} rows with test_size={test_size}: {exc}") from exc
            replicates.append(Replicate(seed, seed, None, np.sort(train), np.sort(test)))
            continue
        splitter = StratifiedKFold(n_splits=int(folds), shuffle=True, random_state=seed)
        for fold, (train, test) in enumerate(splitter.split(positions, y)):
            replicates.append(Replicate(seed * int(folds) + fold, seed, fold, train, test))
    return replicates
