"""A small adapter that puts CTGAN (optional dependency ``ctgan``) behind flowgan's generator
contract: one CTGAN per class, ``fit(X, y)`` / ``sample(n, klass)``. Used by the evaluation
only; it cannot be saved."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from sklearn.utils import check_random_state

from flowgan.errors import FlowganError
from flowgan.evaluation.methods import CTGAN_MIN_ROWS, CTGAN_MISSING
from flowgan.models.base import BaseFlowGenerator, check_class_counts, check_feature_frame, check_known_class, check_n_samples


class CTGANFlowGenerator(BaseFlowGenerator):
    """One CTGAN per class (CTGAN's conditional sampling only biases towards a class).

    Parameters
    ----------
    epochs : int, default=50
    batch_size : int, default=500
        Rounded down to a multiple of CTGAN's ``pac`` (10) and capped by the class's rows.
    random_state : int or None, default=None
    """

    model_type = "ctgan"
    min_rows_per_class = CTGAN_MIN_ROWS

    def __init__(self, epochs: int = 50, batch_size: int = 500, random_state: Any = None):
        self.epochs = epochs
        self.batch_size = batch_size
        self.random_state = random_state

    def fit(self, X: pd.DataFrame, y: Any = None) -> CTGANFlowGenerator:
        """Train one CTGAN on the rows of each class of ``y``."""
        try:
            from ctgan import CTGAN
        except ImportError as exc:
            raise FlowganError(CTGAN_MISSING) from exc
        frame = check_feature_frame(X)
        labels = check_class_counts(np.zeros(len(frame), dtype=int) if y is None else y, CTGAN_MIN_ROWS, model="ctgan")
        rng = check_random_state(self.random_state)
        self.classes_ = sorted(labels.unique().tolist(), key=str)
        self.dtypes_ = {c: str(frame[c].dtype) for c in frame.columns}
        self.feature_names_in_ = np.asarray(frame.columns, dtype=object)
        self.models_ = {}
        for klass in self.classes_:
            rows = frame[labels.to_numpy() == klass].reset_index(drop=True)
            batch = max(10, min(int(self.batch_size), len(rows)) // 10 * 10)
            model = CTGAN(epochs=int(self.epochs), batch_size=batch, pac=10)
            model.set_random_state(int(rng.randint(np.iinfo(np.int32).max)))
            model.fit(rows)
            self.models_[klass] = model
        return self

    def sample(self, n_samples: int, klass: Any = None) -> pd.DataFrame:
        """Exactly ``n_samples`` rows of ``klass`` from its CTGAN."""
        if not hasattr(self, "models_"):
            raise FlowganError("this CTGANFlowGenerator is not fitted yet: call fit(X, y) first")
        n_samples = check_n_samples(n_samples)
        klass = self.classes_[0] if klass is None and len(self.classes_) == 1 else check_known_class(klass, self.classes_)
        rows = self.models_[klass].sample(n_samples)
        return rows[list(self.feature_names_in_)].astype(self.dtypes_)

    def save(self, path):  # pragma: no cover - not needed by the evaluation
        raise FlowganError("the CTGAN adapter is for evaluations only and cannot be saved")

    @classmethod
    def load(cls, path):  # pragma: no cover
        raise FlowganError("the CTGAN adapter is for evaluations only and cannot be loaded")
