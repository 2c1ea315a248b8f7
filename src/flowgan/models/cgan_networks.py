"""The conditional GAN's networks (nn.Modules only) and the output activations read from a layout.

Both networks take the class as a one-hot vector concatenated to their input. Weights are
initialised from a caller's ``torch.Generator`` and no layer draws from the global random
state (no dropout), so the same seed gives the same model.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
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


class LayoutIndex:
    """Index tensors of a layout: softmax blocks grouped by width, and the score columns.

    Blocks of equal width are handled together, so one output layer with dozens of small
    softmax blocks costs a handful of tensor operations instead of one per block.
    """

    def __init__(self, layout: LayoutSpec, device: torch.device):
        groups: dict[int, list[tuple[int, int]]] = {}
        score_columns, tanh_mask, start, n_blocks = [], [], 0, 0
        for width, activation in layout:
            if activation == "softmax":
                groups.setdefault(width, []).append((n_blocks, start))
                n_blocks += 1
            else:
                score_columns.append(start)
                tanh_mask.append(activation == "tanh")
            start += width
        self.n_blocks, self.width = n_blocks, start
        self.groups = []
        for width, blocks in groups.items():
            starts = torch.tensor([s for _, s in blocks], dtype=torch.long)
            units = (starts[:, None] + torch.arange(width)[None, :]).reshape(-1)
            self.groups.append((width, len(blocks), units.to(device), torch.tensor([b for b, _ in blocks], device=device)))
        self.scores = torch.tensor(score_columns, dtype=torch.long, device=device)
        self.tanh = torch.tensor(tanh_mask, dtype=torch.bool, device=device) if any(tanh_mask) else None
        order = torch.cat([g[2] for g in self.groups] + [self.scores]) if start else torch.zeros(0, dtype=torch.long)
        self.inverse = torch.argsort(order.cpu()).to(device)
        self.order = order.to(device)
        """Units grouped: the softmax groups' units (block by block), then the score columns."""


def _scores(raw: torch.Tensor, index: LayoutIndex) -> torch.Tensor:
    scores = raw[:, index.scores]
    return scores if index.tanh is None else torch.where(index.tanh, torch.tanh(scores), scores)


def activate(raw: torch.Tensor, index: LayoutIndex, generator: torch.Generator, tau: float = 0.2) -> torch.Tensor:
    """Training-time outputs: Gumbel-softmax for softmax blocks, tanh/identity for the others."""
    if not index.width:
        return raw
    n, parts = raw.shape[0], []
    for width, n_blocks, units, _ in index.groups:
        logits = raw[:, units].reshape(n, n_blocks, width)
        noisy = (logits + gumbel_noise(logits.shape, generator, raw.device)) / tau
        parts.append(torch.softmax(noisy, dim=2).reshape(n, n_blocks * width))
    parts.append(_scores(raw, index))
    return torch.cat(parts, dim=1)[:, index.inverse]


def read_grouped(grouped: np.ndarray, index: LayoutIndex, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Sampling-time outputs ``(choices, scores)`` of raw outputs laid out ``(width, n)`` in
    :attr:`LayoutIndex.order` (float32, overwritten).

    ``choices`` (blocks x n, int64) holds one draw per softmax block from the block's
    categorical distribution (inverse CDF: one uniform per block against the cumulated softmax
    weights); ``scores`` (score columns x n) the value of each linear/tanh block. In NumPy, on
    the calling thread: dozens of small parallel regions cost more than they save on 2 cores.
    """
    n = grouped.shape[1]
    choices = np.empty((index.n_blocks, n), dtype=np.int64)
    start = 0
    for width, n_blocks, _, blocks in index.groups:
        weights = grouped[start : start + width * n_blocks].reshape(n_blocks, width, n)
        start += width * n_blocks
        weights -= weights.max(axis=1, keepdims=True)
        np.exp(weights, out=weights)
        for k in range(1, width):
            weights[:, k] += weights[:, k - 1]
        target = rng.random((n_blocks, n), dtype=np.float32)
        target *= weights[:, -1]
        # the number of cumulated weights <= target: a unit of zero weight is never drawn
        drawn = (weights[:, 0] <= target).astype(np.int64)
        for k in range(1, width - 1):
            drawn += weights[:, k] <= target
        choices[blocks.cpu().numpy()] = drawn
    scores = grouped[start:]
    if index.tanh is not None:
        tanh = np.flatnonzero(index.tanh.cpu().numpy())
        scores[tanh] = np.tanh(scores[tanh])
    return choices, scores


def folded_layers(generator: ConditionalGenerator, code: int, latent_dim: int, order: torch.Tensor) -> list[tuple[torch.Tensor, torch.Tensor]]:
    """``(weight, bias column)`` of each layer of an eval-mode generator for condition ``code`` (a flow mode).

    Batch norm (running statistics) is folded into the linear layer before it, the condition's
    one-hot input into the first layer's bias, and the output units are permuted to ``order``,
    so that :func:`forward_t` costs one matrix product (plus ReLU) per layer.
    """
    layers, modules = [], list(generator.body)
    with torch.no_grad():
        for i in range(0, len(modules), 3):
            linear, norm = modules[i], modules[i + 1]
            scale = norm.weight / torch.sqrt(norm.running_var + norm.eps)
            layers.append((linear.weight * scale[:, None], (linear.bias - norm.running_mean) * scale + norm.bias))
        layers.append((generator.head.weight[order], generator.head.bias[order]))
        first, bias = layers[0]
        layers[0] = (first[:, :latent_dim], bias + first[:, latent_dim + code])
    return [(weight.detach().contiguous(), bias.detach()[:, None].contiguous()) for weight, bias in layers]


class Workspace:
    """Reusable buffers for the sampling path's tensors, one per role.

    Each chunk of rows would otherwise allocate its layer outputs afresh: several MB each, which
    the C allocator maps and unmaps every time (on the 2-core VMs this was measured on, 100k rows
    kept by the caller cost ~87k page faults and 0.8 s of system time that way, ~16k with these
    buffers). One workspace serves one ``sample`` call.
    """

    def __init__(self, device: torch.device):
        self.device = device
        self.buffers: dict = {}

    def take(self, role, rows: int, cols: int) -> torch.Tensor:
        """A contiguous float32 ``(rows, cols)`` tensor, overwritten by the next ``take`` of ``role``."""
        size = rows * cols
        buffer = self.buffers.get(role)
        if buffer is None or buffer.numel() < size:
            buffer = self.buffers[role] = torch.empty(size, device=self.device)
        return buffer[:size].view(rows, cols)


def forward_t(layers: list[tuple[torch.Tensor, torch.Tensor]], noise_t: torch.Tensor, work: Workspace | None = None) -> np.ndarray:
    """Raw generator outputs ``(width, n)`` (float32, on the CPU) from noise laid out ``(latent_dim, n)``.

    On the CPU only the matrix products run in torch (threaded); biases and ReLUs are added in
    NumPy on the calling thread. With ``work`` the layer outputs are written into its buffers.
    """
    hidden = noise_t
    for i, (weight, bias) in enumerate(layers):
        out = None if work is None else work.take(("layer", i), weight.shape[0], hidden.shape[1])
        hidden = torch.mm(weight, hidden, out=out)
        last = i == len(layers) - 1
        if hidden.device.type == "cpu":
            values = hidden.numpy()
            values += bias.numpy()
            if not last:
                np.maximum(values, 0.0, out=values)
        else:
            hidden += bias
            if not last:
                hidden.relu_()
    return hidden.cpu().numpy()
