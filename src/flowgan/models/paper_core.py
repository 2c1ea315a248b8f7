"""The seed paper's GAN as functions: scaling, training steps, training, sampling.

Both :class:`~flowgan.models.paper_gan.NetworkTrafficGAN` (the seed's interface) and
:class:`~flowgan.models.paper_gan.PaperGANGenerator` (flowgan's generator contract) are thin
wrappers over these.

Faithful to the seed: ``MinMaxScaler(feature_range=(-1, 1))`` on the raw features, batch size
32, Adam(lr=2e-4, betas=(0.5, 0.999)) for both networks, ``BCELoss``; per batch the
discriminator steps first on ``BCE(D(real), 1) + BCE(D(G(z).detach()), 0)``, then the
generator steps on ``BCE(D(G(z)), 1)`` with the same fake batch. Dropout stays active in the
discriminator during the generator step, as in the seed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import torch
from sklearn.preprocessing import MinMaxScaler
from torch import nn

from flowgan.models.networks import PaperDiscriminator, PaperGenerator, attach_dropout_generator, init_parameters
from flowgan.models.training import make_torch_generator, run_epochs

LEARNING_RATE = 2e-4
ADAM_BETAS = (0.5, 0.999)
BATCH_SIZE = 32
LATENT_DIM = 100
FEATURE_RANGE = (-1, 1)
_SAMPLE_CHUNK = 65_536


@dataclass
class PaperNetworks:
    """One trained seed GAN: its networks, its fitted scaler and its loss history."""

    generator: PaperGenerator
    discriminator: PaperDiscriminator
    scaler: MinMaxScaler
    history: list[dict[str, float]] = field(default_factory=list)

    @property
    def latent_dim(self) -> int:
        return self.generator.latent_dim


def fit_scaler(values: np.ndarray) -> MinMaxScaler:
    """The seed's ``MinMaxScaler(feature_range=(-1, 1))`` fitted on ``values``."""
    return MinMaxScaler(feature_range=FEATURE_RANGE).fit(values)


def scaler_to_config(scaler: MinMaxScaler) -> dict[str, Any]:
    """JSON-ready parameters of a fitted scaler (``data_min``/``data_max`` and the derived
    ``min``/``scale`` that ``inverse_transform`` uses)."""
    return {
        "feature_range": list(FEATURE_RANGE),
        "data_min": scaler.data_min_.tolist(),
        "data_max": scaler.data_max_.tolist(),
        "min": scaler.min_.tolist(),
        "scale": scaler.scale_.tolist(),
    }


def scaler_from_config(config: dict[str, Any]) -> MinMaxScaler:
    """Rebuild a fitted scaler from :func:`scaler_to_config` output (fits on [min; max])."""
    bounds = np.vstack([np.asarray(config["data_min"], dtype=float), np.asarray(config["data_max"], dtype=float)])
    return MinMaxScaler(feature_range=tuple(config["feature_range"])).fit(bounds)


def build_networks(n_features: int, latent_dim: int, init_generator: torch.Generator) -> tuple[PaperGenerator, PaperDiscriminator]:
    """The seed's two networks with weights drawn from ``init_generator`` (on the CPU)."""
    generator = init_parameters(PaperGenerator(latent_dim, n_features), init_generator)
    discriminator = init_parameters(PaperDiscriminator(n_features), init_generator)
    return generator, discriminator


def make_paper_steps(
    generator: nn.Module,
    discriminator: nn.Module,
    *,
    latent_dim: int,
    noise_generator: torch.Generator,
    device: torch.device,
):
    """The seed's discriminator and generator steps, as callables for ``run_epochs``."""
    g_optimizer = torch.optim.Adam(generator.parameters(), lr=LEARNING_RATE, betas=ADAM_BETAS)
    d_optimizer = torch.optim.Adam(discriminator.parameters(), lr=LEARNING_RATE, betas=ADAM_BETAS)
    criterion = nn.BCELoss()

    def d_step(real: torch.Tensor) -> tuple[dict[str, float], torch.Tensor]:
        n_rows = real.shape[0]
        d_optimizer.zero_grad()
        loss_real = criterion(discriminator(real), torch.ones(n_rows, 1, device=device))
        z = torch.randn(n_rows, latent_dim, generator=noise_generator).to(device)
        fake = generator(z)
        loss_fake = criterion(discriminator(fake.detach()), torch.zeros(n_rows, 1, device=device))
        d_loss = loss_real + loss_fake
        d_loss.backward()
        d_optimizer.step()
        return {"d_loss": d_loss.item()}, fake

    def g_step(real: torch.Tensor, fake: torch.Tensor) -> dict[str, float]:
        g_optimizer.zero_grad()
        g_loss = criterion(discriminator(fake), torch.ones(fake.shape[0], 1, device=device))
        g_loss.backward()
        g_optimizer.step()
        return {"g_loss": g_loss.item()}

    d_step.optimizer = d_optimizer  # type: ignore[attr-defined]  # for inspection in tests
    g_step.optimizer = g_optimizer  # type: ignore[attr-defined]
    return d_step, g_step


def train_paper_networks(
    values: np.ndarray,
    *,
    latent_dim: int,
    epochs: int,
    batch_size: int,
    device: torch.device,
    seeds: dict[str, int],
    verbose: bool = False,
    desc: str = "paper GAN",
) -> PaperNetworks:
    """Scale ``values`` (rows x features), build the seed's networks and train them."""
    scaler = fit_scaler(values)
    data = torch.as_tensor(scaler.transform(values), dtype=torch.float32).to(device)
    generator, discriminator = build_networks(values.shape[1], latent_dim, make_torch_generator(seeds["init"]))
    generator, discriminator = generator.to(device), discriminator.to(device)
    attach_dropout_generator(discriminator, make_torch_generator(seeds["noise"] + 1, device))
    generator.train()
    discriminator.train()
    d_step, g_step = make_paper_steps(
        generator, discriminator, latent_dim=latent_dim, noise_generator=make_torch_generator(seeds["noise"]), device=device
    )
    history = run_epochs(
        data, d_step, g_step, epochs=epochs, batch_size=batch_size,
        shuffle_generator=make_torch_generator(seeds["shuffle"]), verbose=verbose, desc=desc,
    )  # fmt: skip
    attach_dropout_generator(discriminator, None)
    generator.eval()
    discriminator.eval()
    return PaperNetworks(generator, discriminator, scaler, history)


@torch.no_grad()
def generate_rows(networks: PaperNetworks, n_samples: int, noise_generator: torch.Generator) -> np.ndarray:
    """``n_samples`` rows: z ~ N(0, 1) on the CPU, generator in eval mode, inverse MinMax scaling."""
    generator = networks.generator
    generator.eval()
    device = next(generator.parameters()).device
    parts = []
    for start in range(0, n_samples, _SAMPLE_CHUNK):
        size = min(_SAMPLE_CHUNK, n_samples - start)
        z = torch.randn(size, networks.latent_dim, generator=noise_generator).to(device)
        parts.append(generator(z).cpu().numpy().astype(np.float64))
    return networks.scaler.inverse_transform(np.vstack(parts))


def networks_state(networks: PaperNetworks) -> dict[str, Any]:
    """The tensors to save for one trained GAN."""
    return {"generator": networks.generator.state_dict(), "discriminator": networks.discriminator.state_dict()}


def networks_from_state(
    state: dict[str, Any], scaler_config: dict[str, Any], n_features: int, latent_dim: int, history: list[dict[str, float]]
) -> PaperNetworks:
    """Rebuild a trained GAN (on the CPU) from :func:`networks_state` and its scaler config."""
    generator = PaperGenerator(latent_dim, n_features)
    discriminator = PaperDiscriminator(n_features)
    generator.load_state_dict(state["generator"])
    discriminator.load_state_dict(state["discriminator"])
    generator.eval()
    discriminator.eval()
    return PaperNetworks(generator, discriminator, scaler_from_config(scaler_config), list(history))
