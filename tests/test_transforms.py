"""Round trips and representation choices of flowgan.transforms."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from _cgan_data import make_flow_frame
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from flowgan.errors import FlowganError
from flowgan.transforms import TableTransformer, fit_column
from flowgan.transforms.quantile import fit_references, from_normal, from_normal_many, stack_references, to_normal

FIT = dict(max_categories=10, atom_share=0.005, max_atoms=12, n_quantiles=1000)


def _roundtrip(frame: pd.DataFrame, **params) -> pd.DataFrame:
    transformer = TableTransformer(**params).fit(frame)
    return transformer.inverse_transform(transformer.transform(frame))


finite = st.floats(min_value=-1e9, max_value=1e12, allow_nan=False, allow_infinity=False)


@settings(max_examples=60, deadline=None)
@given(
    floats=hnp.arrays(np.float64, st.integers(2, 60), elements=finite),
    zero_share=st.floats(0, 0.9),
    seed=st.integers(0, 2**16),
)
def test_float_column_round_trips_with_zeros_and_heavy_tails(floats, zero_share, seed):
    rng = np.random.default_rng(seed)
    values = np.where(rng.random(floats.size) < zero_share, 0.0, floats)
    frame = pd.DataFrame({"x": values})
    back = _roundtrip(frame, max_categories=3, atom_share=0.2)
    np.testing.assert_allclose(back["x"].to_numpy(), values, rtol=1e-9, atol=1e-9)
    assert back["x"].dtype == np.float64


@settings(max_examples=60, deadline=None)
@given(
    ints=hnp.arrays(np.int64, st.integers(2, 60), elements=st.integers(0, 10**12)),
    small=hnp.arrays(np.int64, 60, elements=st.integers(-3, 3)),
    flags=hnp.arrays(np.bool_, 60),
)
def test_integer_categorical_and_bool_columns_round_trip_exactly(ints, small, flags):
    n = ints.size
    frame = pd.DataFrame({"count": ints, "flag_count": small[:n], "flag": flags[:n], "f32": ints.astype(np.float32)})
    back = _roundtrip(frame, max_categories=4)
    pd.testing.assert_frame_equal(back, frame)


def test_flow_frame_round_trips_and_keeps_dtypes():
    X, _ = make_flow_frame(300)
    back = _roundtrip(X, **FIT)
    pd.testing.assert_frame_equal(back, X, check_exact=False, rtol=1e-9)


def test_columns_are_represented_by_their_shape():
    X, _ = make_flow_frame(2000)
    transformer = TableTransformer(**FIT).fit(X)
    by_name = {c.name: c for c in transformer.columns_}
    assert by_name["version"].is_constant and by_name["version"].width == 0
    assert by_name["syn_flags"].references is None and by_name["syn_flags"].n_choices == 3
    assert 0.0 in by_name["bwd_bytes"].atoms and by_name["bwd_bytes"].references is not None
    assert [b.activation for b in by_name["bwd_bytes"].blocks()] == ["softmax", "linear"]
    assert transformer.output_width_ == sum(b.width for b in transformer.layout_)
    assert {b.activation for b in transformer.layout_} <= {"softmax", "linear"}


def test_zero_atom_is_exact_and_remainder_is_a_normal_score():
    values = np.concatenate([np.zeros(500), np.random.default_rng(0).lognormal(5, 3, 1500)])
    col = fit_column("iat", values, "float64", **FIT)
    encoded = col.encode(values)
    assert encoded.shape[1] == col.width
    remainder = encoded[500:, -1]
    assert abs(remainder.mean()) < 0.05 and abs(remainder.std() - 1) < 0.1
    assert np.all(encoded[:500, 0] == 1.0)  # the zero atom's one-hot


def test_quantile_map_vectorised_matches_scalar_path():
    rng = np.random.default_rng(1)
    refs = [fit_references(rng.lognormal(0, 2, 300), 100), fit_references(-rng.pareto(1.5, 80), 1000)]
    scores = rng.normal(size=(50, 2)) * 2
    padded, sizes = stack_references(refs)
    many = from_normal_many(scores, padded, sizes)
    for j in range(2):
        np.testing.assert_allclose(many[:, j], from_normal(scores[:, j], refs[j]), rtol=1e-9)
        np.testing.assert_allclose(from_normal(to_normal(many[:, j], refs[j]), refs[j]), many[:, j], rtol=1e-7)


def test_inverse_clips_to_each_class_range():
    frame = pd.DataFrame({"x": np.r_[np.linspace(0, 1, 50), np.linspace(100, 200, 50)]})
    codes = np.r_[np.zeros(50, int), np.ones(50, int)]
    transformer = TableTransformer(**FIT).fit(frame, codes)
    assert transformer.columns_[0].atoms == []
    extreme = np.full((4, transformer.output_width_), 10.0)  # far above every reference
    values = transformer.inverse_values(extreme, np.array([0, 0, 1, 1]))
    np.testing.assert_allclose(values[:, 0], [1, 1, 200, 200])


def test_state_round_trip_rebuilds_the_same_transformer():
    X, _ = make_flow_frame(300)
    transformer = TableTransformer(**FIT).fit(X)
    config, tensors = transformer.get_state()
    rebuilt = TableTransformer.from_state(config, tensors)
    data = transformer.transform(X)
    pd.testing.assert_frame_equal(rebuilt.inverse_transform(data), transformer.inverse_transform(data))
    assert rebuilt.layout_ == transformer.layout_


def test_transform_names_missing_columns():
    X, _ = make_flow_frame(50)
    transformer = TableTransformer(**FIT).fit(X)
    with pytest.raises(FlowganError, match="fwd_pkts"):
        transformer.transform(X.drop(columns=["fwd_pkts"]))
