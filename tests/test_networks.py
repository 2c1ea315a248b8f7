import torch
from torch import nn

from flowgan.models.networks import (
    PaperDiscriminator,
    PaperGenerator,
    SeededDropout,
    attach_dropout_generator,
    build_mlp,
    init_parameters,
)


def _linear_shapes(module):
    return [(m.in_features, m.out_features) for m in module.modules() if isinstance(m, nn.Linear)]


def test_generator_layers_match_the_seed_spec():
    net = PaperGenerator(100, 79)
    assert _linear_shapes(net) == [(100, 512), (512, 256), (256, 128), (128, 64), (64, 512),
                                   (512, 256), (256, 128), (128, 64), (64, 79)]  # fmt: skip
    layers = list(net.model)
    for i in range(8):  # each hidden block: Linear -> LeakyReLU(0.2) -> BatchNorm1d
        linear, act, norm = layers[3 * i : 3 * i + 3]
        assert isinstance(linear, nn.Linear) and isinstance(act, nn.LeakyReLU) and act.negative_slope == 0.2
        assert isinstance(norm, nn.BatchNorm1d) and norm.num_features == linear.out_features
    assert isinstance(layers[-2], nn.Linear) and isinstance(layers[-1], nn.Tanh)
    assert len(layers) == 8 * 3 + 2


def test_generator_parameter_count_computed_by_hand():
    # Linear: in*out + out; BatchNorm1d: 2*width.
    linear = (100*512+512) + (512*256+256) + (256*128+128) + (128*64+64) + (64*512+512) \
        + (512*256+256) + (256*128+128) + (128*64+64) + (64*79+79)  # fmt: skip
    assert linear == 435_087
    batchnorm = 2 * (512 + 256 + 128 + 64) * 2
    assert batchnorm == 3_840
    assert sum(p.numel() for p in PaperGenerator(100, 79).parameters()) == 438_927


def test_discriminator_layers_and_parameter_count():
    net = PaperDiscriminator(79)
    assert _linear_shapes(net) == [(79, 512), (512, 256), (256, 128), (128, 512), (512, 256), (256, 128),
                                   (128, 512), (512, 256), (256, 128), (128, 1)]  # fmt: skip
    layers = list(net.model)
    for i in range(9):  # Linear -> LeakyReLU(0.2) -> Dropout(0.3)
        _, act, drop = layers[3 * i : 3 * i + 3]
        assert act.negative_slope == 0.2 and isinstance(drop, nn.Dropout) and drop.p == 0.3
    assert isinstance(layers[-1], nn.Sigmoid)
    # 40,960 + 3 x (131,328 + 32,896) + 2 x 66,048 + 129
    assert sum(p.numel() for p in net.parameters()) == 665_857


def test_output_ranges_and_shapes():
    gen, disc = PaperGenerator(100, 5).eval(), PaperDiscriminator(5).eval()
    fake = gen(torch.randn(7, 100))
    score = disc(fake)
    assert fake.shape == (7, 5) and fake.abs().max() < 1
    assert score.shape == (7, 1) and ((score > 0) & (score < 1)).all()


def test_init_parameters_is_reproducible_and_leaves_global_rng_alone():
    module = PaperGenerator(10, 3)  # constructing draws from the global RNG; re-initialising must not
    before = torch.random.get_rng_state()
    a = init_parameters(module, torch.Generator().manual_seed(5))
    assert torch.equal(before, torch.random.get_rng_state())
    b = init_parameters(PaperGenerator(10, 3), torch.Generator().manual_seed(5))
    c = init_parameters(PaperGenerator(10, 3), torch.Generator().manual_seed(6))
    for pa, pb, pc in zip(a.parameters(), b.parameters(), c.parameters(), strict=True):
        assert torch.equal(pa, pb)
    assert not torch.equal(a.model[0].weight, c.model[0].weight)
    bound = 1 / 10**0.5
    assert a.model[0].weight.abs().max() <= bound and a.model[0].bias.abs().max() <= bound


def test_seeded_dropout_uses_the_attached_generator():
    layer = SeededDropout(0.5)
    x = torch.ones(4, 1000)
    attach_dropout_generator(layer, torch.Generator().manual_seed(1))
    first = layer(x)
    attach_dropout_generator(layer, torch.Generator().manual_seed(1))
    assert torch.equal(first, layer(x))
    assert set(first.unique().tolist()) == {0.0, 2.0}
    assert abs((first == 0).float().mean().item() - 0.5) < 0.03
    assert torch.equal(layer.eval()(x), x)
    assert "generator" not in layer.state_dict()


def test_build_mlp_layout():
    net = build_mlp(4, [8, 6], 2, dropout=0.1)
    assert [type(m).__name__ for m in net] == ["Linear", "LeakyReLU", "SeededDropout", "Linear", "LeakyReLU", "SeededDropout", "Linear"]
    assert _linear_shapes(net) == [(4, 8), (8, 6), (6, 2)]
