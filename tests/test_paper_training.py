import pytest
import torch

from flowgan.errors import FlowganError
from flowgan.models.networks import PaperDiscriminator, PaperGenerator
from flowgan.models.paper_core import make_paper_steps
from flowgan.models.training import derive_seeds, iterate_minibatches, run_epochs


def test_minibatches_cover_rows_once_and_drop_a_single_row_tail():
    data = torch.arange(33).float().unsqueeze(1)
    batches = list(iterate_minibatches(data, 32, torch.Generator().manual_seed(0)))
    assert [b.shape[0] for b in batches] == [32]  # the 33rd row would be a batch of one
    batches = list(iterate_minibatches(data[:10], 4, torch.Generator().manual_seed(0)))
    assert sorted(torch.cat(batches).squeeze(1).tolist()) == list(range(10))
    assert [b.shape[0] for b in batches] == [4, 4, 2]


def test_run_epochs_averages_losses_and_calls_the_generator_step_every_k():
    calls = {"d": 0, "g": 0}

    def d_step(real):
        calls["d"] += 1
        return {"d_loss": float(calls["d"])}, None

    def g_step(real, carry):
        calls["g"] += 1
        return {"g_loss": 10.0}

    data = torch.zeros(12, 2)
    history = run_epochs(data, d_step, g_step, epochs=2, batch_size=4, generator_every=3,
                         shuffle_generator=torch.Generator().manual_seed(0))  # fmt: skip
    assert calls == {"d": 6, "g": 2}
    assert history == [{"epoch": 1, "d_loss": 2.0, "g_loss": 10.0}, {"epoch": 2, "d_loss": 5.0, "g_loss": 10.0}]


@pytest.mark.parametrize("epochs", [0, -1, 1.5, True])
def test_run_epochs_rejects_bad_epochs(epochs):
    with pytest.raises(FlowganError, match="epochs must be a positive integer"):
        run_epochs(torch.zeros(4, 1), None, None, epochs=epochs, batch_size=2, shuffle_generator=torch.Generator())


def test_progress_bar_only_when_verbose(capsys):
    def d_step(real):
        return {"d_loss": 0.5}, None

    def g_step(real, carry):
        return {"g_loss": 0.25}

    run_epochs(torch.zeros(4, 1), d_step, g_step, epochs=2, batch_size=2, shuffle_generator=torch.Generator())
    assert capsys.readouterr().err == ""
    run_epochs(torch.zeros(4, 1), d_step, g_step, epochs=2, batch_size=2, shuffle_generator=torch.Generator(), verbose=True, desc="demo")
    err = capsys.readouterr().err
    assert "demo" in err and "d_loss=0.5000" in err and "g_loss=0.2500" in err and "2/2" in err


def test_derive_seeds_is_deterministic():
    assert derive_seeds(3) == derive_seeds(3)
    assert derive_seeds(3) != derive_seeds(4)
    assert set(derive_seeds(None)) == {"init", "shuffle", "noise", "sample"}


def test_paper_steps_use_the_seed_optimiser_and_update_one_network_each():
    gen, disc = PaperGenerator(100, 3), PaperDiscriminator(3)
    d_step, g_step = make_paper_steps(gen, disc, latent_dim=100, noise_generator=torch.Generator().manual_seed(0), device=torch.device("cpu"))
    for step in (d_step, g_step):
        group = step.optimizer.param_groups[0]
        assert isinstance(step.optimizer, torch.optim.Adam) and group["lr"] == 2e-4 and group["betas"] == (0.5, 0.999)
    real = torch.rand(8, 3) * 2 - 1
    g_before = [p.detach().clone() for p in gen.parameters()]
    d_before = [p.detach().clone() for p in disc.parameters()]
    losses, fake = d_step(real)
    assert fake.shape == (8, 3) and 0 < losses["d_loss"]
    assert all(torch.equal(a, b) for a, b in zip(g_before, gen.parameters(), strict=True))
    assert not all(torch.equal(a, b) for a, b in zip(d_before, disc.parameters(), strict=True))
    d_after = [p.detach().clone() for p in disc.parameters()]
    g_losses = g_step(real, fake)
    assert set(g_losses) == {"g_loss"}
    assert all(torch.equal(a, b) for a, b in zip(d_after, disc.parameters(), strict=True))
    assert not all(torch.equal(a, b) for a, b in zip(g_before, gen.parameters(), strict=True))
