"""The conditional GAN's networks (nn.Modules only) and the output activations read from a layout.

Both networks take the class as a one-hot vector concatenated to their input. Weights are
initialised from a caller's ``torch.Generator`` and no layer draws from the global random
state (no dropout), so the same seed gives the same model.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import torch
from torch import nn

LayoutSpec = Sequence[tuple[int, str]]
"""(width, activation) of each output block, as published by the TableTransformer."""


class ConditionalGenerator(nn.Module):
    """Noise + one-hot class -> raw outputs (logits for softmax blocks, values otherwise).

    A plain MLP (Linear -> BatchNorm -> ReLU per hidden layer): CTGAN's residual
    concatenation makes the output layer several times wider, which costs more sampling speed
    than it buys fidelity on flow tables.
    """

    def __init__(self, latent_dim: int, n_classes: int, hidden: Sequence[int], output_width: int):
        super().__init__()
        layers, dim = [], latent_dim + n_classes
        for width in hidden:
            layers += [nn.Linear(dim, width), nn.BatchNorm1d(width), nn.ReLU()]
            dim = width
        self.body = nn.Sequential(*layers)
        self.head = nn.Linear(dim, output_width)

    def forward(self, noise: torch.Tensor, condition: torch.Tensor) -> torch.Tensor:
        return self.head(self.body(torch.cat([noise, condition], dim=1)))


class ConditionalCritic(nn.Module):
    """Row + one-hot class -> a real-valued score (a WGAN critic: no sigmoid, no batch norm)."""

    def __init__(self, input_width: int, n_classes: int, hidden: Sequence[int]):
        super().__init__()
        layers, dim = [], input_width + n_classes
        for width in hidden:
            layers += [nn.Linear(dim, width), nn.LeakyReLU(0.2)]
            dim = width
        layers.append(nn.Linear(dim, 1))
        self.body = nn.Sequential(*layers)

    def forward(self, rows: torch.Tensor, condition: torch.Tensor) -> torch.Tensor:
        return self.body(torch.cat([rows, condition], dim=1))


def init_weights(module: nn.Module, generator: torch.Generator) -> nn.Module:
    """Re-initialise every Linear layer from ``generator`` (PyTorch's default uniform bounds)."""
    for layer in module.modules():
        if isinstance(layer, nn.Linear):
            bound = 1.0 / math.sqrt(layer.in_features)
            with torch.no_grad():
                nn.init.uniform_(layer.weight, -bound, bound, generator=generator)
                nn.init.uniform_(layer.bias, -bound, bound, generator=generator)
    return module


def gumbel_noise(shape: torch.Size, generator: torch.Generator, device: torch.device) -> torch.Tensor:
    """Standard Gumbel noise drawn from ``generator`` (torch's gumbel_softmax uses the global RNG)."""
    uniform = torch.rand(shape, generator=generator, device=device)
    return -torch.log(-torch.log(uniform.clamp_(1e-10, 1.0 - 1e-7)))


def activate(raw: torch.Tensor, layout: LayoutSpec, generator: torch.Generator, tau: float = 0.2) -> torch.Tensor:
    """Training-time outputs: Gumbel-softmax for softmax blocks, tanh/identity for the others."""
    parts, start = [], 0
    for width, activation in layout:
        block = raw[:, start : start + width]
        if activation == "softmax":
            noisy = (block + gumbel_noise(block.shape, generator, raw.device)) / tau
            parts.append(torch.softmax(noisy, dim=1))
        elif activation == "tanh":
            parts.append(torch.tanh(block))
        else:
            parts.append(block)
        start += width
    return torch.cat(parts, dim=1) if parts else raw


def read_outputs(raw: torch.Tensor, layout: LayoutSpec, generator: torch.Generator) -> tuple[torch.Tensor, torch.Tensor]:
    """Sampling-time outputs: ``(choices, scores)``.

    ``choices`` holds one sampled index per softmax block (Gumbel-max, i.e. a draw from the
    block's categorical distribution); ``scores`` the value of each linear/tanh block. Blocks of
    equal width are handled together, which keeps sampling fast on wide layouts.
    """
    n, device = raw.shape[0], raw.device
    softmax_starts: dict[int, list[tuple[int, int]]] = {}
    score_columns, tanh_mask, start, n_blocks = [], [], 0, 0
    for width, activation in layout:
        if activation == "softmax":
            softmax_starts.setdefault(width, []).append((n_blocks, start))
            n_blocks += 1
        else:
            score_columns.append(start)
            tanh_mask.append(activation == "tanh")
        start += width
    choices = torch.zeros((n, n_blocks), dtype=torch.long, device=device)
    for width, blocks in softmax_starts.items():
        positions = torch.tensor([s for _, s in blocks], device=device)
        index = (positions[:, None] + torch.arange(width, device=device)[None, :]).reshape(-1)
        logits = raw[:, index].reshape(n, len(blocks), width)
        noisy = logits + gumbel_noise(logits.shape, generator, device)
        choices[:, torch.tensor([b for b, _ in blocks], device=device)] = torch.argmax(noisy, dim=2)
    scores = raw[:, torch.tensor(score_columns, dtype=torch.long, device=device)] if score_columns else raw[:, :0]
    if any(tanh_mask):
        mask = torch.tensor(tanh_mask, device=device)
        scores = torch.where(mask, torch.tanh(scores), scores)
    return choices, scores
