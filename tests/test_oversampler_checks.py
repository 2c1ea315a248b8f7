"""imbalanced-learn's own estimator checks on GANOverSampler with a small ConditionalFlowGAN."""

from __future__ import annotations

import pytest
from imblearn.utils.estimator_checks import parametrize_with_checks

from flowgan.models.conditional_gan import ConditionalFlowGAN
from flowgan.sampling import GANOverSampler



def small_generator(**kwargs) -> ConditionalFlowGAN:
    params = dict(epochs=1, batch_size=64, latent_dim=8, generator_dims=(16,), critic_dims=(16,), device="cpu")
    return ConditionalFlowGAN(**{**params, **kwargs})


def _as_list_parametrize(marker):
    """imblearn hands pytest a generator of checks, which pytest deprecates: hand it a list."""
    names, values, *rest = marker.args
    return pytest.mark.parametrize(names, list(values), *rest, **marker.kwargs)


@_as_list_parametrize(parametrize_with_checks([GANOverSampler(generator=small_generator(), random_state=0)]))
def test_imblearn_estimator_checks(estimator, check):
    check(estimator)
