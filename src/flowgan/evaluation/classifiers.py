"""The classifiers of an evaluation: a strong tabular pair (random forest, gradient boosting) and
two simple ones (logistic regression, a small MLP), all single-threaded (the grid is the
parallel part) and seeded by the replicate."""

from __future__ import annotations

import time
import warnings
from dataclasses import dataclass

import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.exceptions import ConvergenceWarning
from sklearn.utils.class_weight import compute_sample_weight

from flowgan.errors import FlowganError

CLASSIFIERS: tuple[str, ...] = ("rf", "hgb", "logreg", "mlp")
DEFAULT_CLASSIFIERS: tuple[str, ...] = ("rf", "hgb")

RF_PARAMS = {"n_estimators": 50, "min_samples_leaf": 2, "max_samples": 0.3}
"""Random forest settings: 50 trees, each grown on a bootstrap of 30% of the training rows
with leaves of at least 2 rows. On the stand-in at scale 0.1 (44k x 79 training rows, one
split) that takes 7 CPU seconds (100 full-size trees: 45 s) for about the same macro-F1 (0.655
vs 0.659 with 100 such trees, 0.664 with 100 full-size trees)."""
HGB_PARAMS = {"max_iter": 60, "learning_rate": 0.1, "early_stopping": "auto"}
"""Histogram gradient boosting, at most 60 rounds; above 10,000 training rows it stops early on
a 10% validation split (scikit-learn's ``"auto"``). On the stand-in's 44k real training rows it
stops after 38 rounds (6 CPU seconds); on 69k oversampled rows the validation split holds
synthetic rows too and it would run all of scikit-learn's default 100 rounds (22 s): capped at
60 it takes 14 s with the same or better macro-F1 (SMOTE 0.653 vs 0.645, cgan 0.691 vs 0.687)."""
LOGREG_PARAMS = {"max_iter": 300, "C": 1.0}
MLP_PARAMS = {"hidden_layer_sizes": (64, 32), "max_iter": 60, "batch_size": 256, "learning_rate_init": 1e-3}


class SignedLog1p(TransformerMixin, BaseEstimator):
    """``sign(x) * log1p(|x|)``: tames the heavy tails of flow features before scaling."""

    def fit(self, X, y=None):
        return self

    def transform(self, X):
        values = np.asarray(X, dtype=float)
        return np.sign(values) * np.log1p(np.abs(values))


def make_classifier(name: str, random_state: int, *, balanced: bool = False):
    """An unfitted classifier ``name`` (balanced class weights when ``balanced`` and supported)."""
    from sklearn.ensemble import HistGradientBoostingClassifier, RandomForestClassifier
    from sklearn.linear_model import LogisticRegression
    from sklearn.neural_network import MLPClassifier
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    weight = "balanced" if balanced else None
    if name == "rf":
        return RandomForestClassifier(**RF_PARAMS, class_weight=weight, n_jobs=1, random_state=random_state)
    if name == "hgb":
        return HistGradientBoostingClassifier(**HGB_PARAMS, class_weight=weight, random_state=random_state)
    if name == "logreg":
        model = LogisticRegression(**LOGREG_PARAMS, class_weight=weight, random_state=random_state)
        return make_pipeline(SignedLog1p(), StandardScaler(), model)
    if name == "mlp":
        model = MLPClassifier(**MLP_PARAMS, random_state=random_state)
        return make_pipeline(SignedLog1p(), StandardScaler(), model)
    raise FlowganError(f"unknown classifier {name!r}: choose from {', '.join(CLASSIFIERS)}")


def check_classifiers(names) -> list[str]:
    """``names`` as a list, or a FlowganError naming the unknown ones and the valid ones."""
    names = list(DEFAULT_CLASSIFIERS if names is None else names)
    unknown = [n for n in names if n not in CLASSIFIERS]
    if unknown or not names:
        raise FlowganError(f"unknown classifier(s) {unknown}: choose from {', '.join(CLASSIFIERS)}")
    return list(dict.fromkeys(names))


@dataclass
class FittedRun:
    """A classifier's predictions on the test rows."""

    predicted: np.ndarray
    proba: np.ndarray
    classes: np.ndarray
    fit_seconds: float
    predict_seconds: float


def fit_predict(name: str, X: np.ndarray, y: np.ndarray, X_test: np.ndarray, random_state: int, *, balanced: bool = False) -> FittedRun:
    """Fit classifier ``name`` on (X, y) and predict ``X_test``.

    Class weights: random forest, gradient boosting and logistic regression take
    ``class_weight="balanced"``; the MLP has none, so it gets balanced sample weights
    (``MLPClassifier.fit`` accepts ``sample_weight`` in scikit-learn >= 1.7). Convergence
    warnings of the simple models are silenced: their iteration caps are part of the setting.
    """
    model = make_classifier(name, random_state, balanced=balanced)
    if name == "mlp":
        model.set_params(mlpclassifier__batch_size=min(MLP_PARAMS["batch_size"], len(y)))
    fit_params = {}
    if balanced and name == "mlp":
        fit_params["mlpclassifier__sample_weight"] = compute_sample_weight("balanced", y)
    start = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        model.fit(X, y, **fit_params)
    fit_seconds = time.perf_counter() - start
    start = time.perf_counter()
    proba = model.predict_proba(X_test)
    classes = np.asarray(model.classes_)
    predicted = classes[np.argmax(proba, axis=1)]
    return FittedRun(predicted, proba, classes, fit_seconds, time.perf_counter() - start)
