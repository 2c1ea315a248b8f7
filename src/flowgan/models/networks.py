"""Neural networks (``nn.Module`` only): the seed paper's generator and discriminator, and a
small multilayer-perceptron builder other models may reuse.

Randomness stays local: :func:`init_parameters` re-draws every ``Linear`` layer's weights from
a given ``torch.Generator`` (same distribution as PyTorch's default), and :class:`SeededDropout`
draws its masks from a generator attached with :func:`attach_dropout_generator`. Nothing here
touches torch's global random state.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import torch
from torch import nn

PAPER_GENERATOR_HIDDEN: tuple[int, ...] = (512, 256, 128, 64, 512, 256, 128, 64)
"""Hidden widths of the seed's generator (latent -> ... -> features)."""

PAPER_DISCRIMINATOR_HIDDEN: tuple[int, ...] = (512, 256, 128, 512, 256, 128, 512, 256, 128)
"""Hidden widths of the seed's discriminator (features -> ... -> 1)."""

LEAKY_SLOPE = 0.2
DROPOUT_P = 0.3


class SeededDropout(nn.Dropout):
    """``nn.Dropout`` whose mask comes from an attached ``torch.Generator`` when one is set.

    Without a generator it behaves exactly like ``nn.Dropout`` (global RNG). The generator is
    a plain attribute, not part of the ``state_dict``.
    """

    def __init__(self, p: float = 0.5) -> None:
        super().__init__(p=p)
        self.generator: torch.Generator | None = None

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if not self.training or self.p == 0.0 or self.generator is None:
            return super().forward(x)
        keep = torch.rand(x.shape, generator=self.generator, device=x.device, dtype=x.dtype) >= self.p
        return x * keep / (1.0 - self.p)


def build_mlp(
    in_features: int,
    hidden: Sequence[int],
    out_features: int,
    *,
    negative_slope: float = LEAKY_SLOPE,
    batch_norm: bool = False,
    dropout: float = 0.0,
    output_activation: nn.Module | None = None,
) -> nn.Sequential:
    """A stack ``Linear -> LeakyReLU [-> BatchNorm1d] [-> Dropout]`` per hidden width, then a
    final ``Linear`` (and ``output_activation`` when given).

    The order activation-then-normalisation is the seed paper's.
    """
    layers: list[nn.Module] = []
    width = in_features
    for size in hidden:
        layers += [nn.Linear(width, size), nn.LeakyReLU(negative_slope)]
        if batch_norm:
            layers.append(nn.BatchNorm1d(size))
        if dropout > 0:
            layers.append(SeededDropout(dropout))
        width = size
    layers.append(nn.Linear(width, out_features))
    if output_activation is not None:
        layers.append(output_activation)
    return nn.Sequential(*layers)


class PaperGenerator(nn.Module):
    """The seed's generator: latent -> 512-256-128-64-512-256-128-64 -> features, each hidden
    ``Linear`` followed by ``LeakyReLU(0.2)`` then ``BatchNorm1d``; output ``Tanh``."""

    def __init__(self, latent_dim: int, output_dim: int) -> None:
        super().__init__()
        self.latent_dim = latent_dim
        self.output_dim = output_dim
        self.model = build_mlp(latent_dim, PAPER_GENERATOR_HIDDEN, output_dim, batch_norm=True, output_activation=nn.Tanh())

    def forward(self, z: torch.Tensor) -> torch.Tensor:
        return self.model(z)


class PaperDiscriminator(nn.Module):
    """The seed's discriminator: features -> (512-256-128) x 3 -> 1, each hidden ``Linear``
    followed by ``LeakyReLU(0.2)`` then ``Dropout(0.3)``; output ``Sigmoid``."""

    def __init__(self, input_dim: int) -> None:
        super().__init__()
        self.input_dim = input_dim
        self.model = build_mlp(input_dim, PAPER_DISCRIMINATOR_HIDDEN, 1, dropout=DROPOUT_P, output_activation=nn.Sigmoid())

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.model(x)


@torch.no_grad()
def init_parameters(module: nn.Module, generator: torch.Generator) -> nn.Module:
    """Re-draw every ``Linear`` layer's parameters from ``generator`` (CPU module).

    Uses PyTorch's default ``Linear`` initialisation (Kaiming-uniform with ``a=sqrt(5)``,
    bias uniform in +-1/sqrt(fan_in)), so results match the seed's in distribution while
    staying reproducible without global seeding. BatchNorm keeps its (deterministic) defaults.
    """
    for layer in module.modules():
        if isinstance(layer, nn.Linear):
            nn.init.kaiming_uniform_(layer.weight, a=math.sqrt(5), generator=generator)
            if layer.bias is not None:
                bound = 1.0 / math.sqrt(layer.in_features) if layer.in_features > 0 else 0.0
                nn.init.uniform_(layer.bias, -bound, bound, generator=generator)
    return module


def attach_dropout_generator(module: nn.Module, generator: torch.Generator | None) -> nn.Module:
    """Make every :class:`SeededDropout` in ``module`` draw its masks from ``generator``."""
    for layer in module.modules():
        if isinstance(layer, SeededDropout):
            layer.generator = generator
    return module
