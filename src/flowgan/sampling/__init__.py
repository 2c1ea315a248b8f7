"""Sampling strategies (how many rows to add per class) and the imbalanced-learn over-sampler."""

from flowgan.sampling.oversampler import GANOverSampler
from flowgan.sampling.strategy import parse_strategy, resolve_sampling_strategy

__all__ = ["GANOverSampler", "parse_strategy", "resolve_sampling_strategy"]
