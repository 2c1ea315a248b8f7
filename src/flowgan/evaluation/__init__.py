"""flowgan.evaluation: does balancing a flow dataset help a detector?

:func:`evaluate` runs the experiment and returns an
:class:`~flowgan.evaluation.result.EvaluationResult` of tidy tables.
"""

from flowgan.evaluation.classifiers import CLASSIFIERS, DEFAULT_CLASSIFIERS
from flowgan.evaluation.methods import (
    DEFAULT_ATTACK_RATIO,
    EVALUATION_GENERATOR_PARAMS,
    GENERATOR_METHODS,
    METHODS,
    available_methods,
)
from flowgan.evaluation.result import EvaluationResult

DEFAULT_METHODS: tuple[str, ...] = available_methods()
"""Every method that can run here: all of :data:`METHODS`, ``ctgan`` only when installed."""

from flowgan.evaluation.experiment import evaluate  # noqa: E402

__all__ = [
    "CLASSIFIERS",
    "DEFAULT_ATTACK_RATIO",
    "DEFAULT_CLASSIFIERS",
    "DEFAULT_METHODS",
    "EVALUATION_GENERATOR_PARAMS",
    "GENERATOR_METHODS",
    "METHODS",
    "EvaluationResult",
    "evaluate",
]
