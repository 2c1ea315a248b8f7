"""imbalanced-learn's own estimator checks on GANOverSampler with a small ConditionalFlowGAN."""

from __future__ import annotations

import pytest
import torch
from imblearn.utils.estimator_checks import parametrize_with_checks

from flowgan.models.conditional_gan import ConditionalFlowGAN
from flowgan.sampling import GANOverSampler


@pytest.fixture(autouse=True)
def _one_torch_thread():
    # Tiny networks run fastest on one thread, and a busy machine makes two threads spin.
    before = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(before)


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
