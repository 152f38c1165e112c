"""Tests of mlplab.init: shapes, dtypes, seeds and the scale of every initializer."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mlplab.errors import ConfigError, MlplabTypeError, ShapeError
from mlplab.init import INITIALIZER_NAMES, Initializer, compute_fans, get_initializer

N_IN, N_OUT = 400, 200  # large draws: 80 000 numbers, empirical std within ~0.5% (1 sigma)

# name -> ("normal", std) or ("uniform", limit) for shape (N_IN, N_OUT), formulas written out
EXPECTED = {
    "xavier_uniform": ("uniform", math.sqrt(6 / (N_IN + N_OUT))),
    "glorot_uniform": ("uniform", math.sqrt(6 / (N_IN + N_OUT))),
    "xavier_normal": ("normal", math.sqrt(2 / (N_IN + N_OUT))),
    "glorot_normal": ("normal", math.sqrt(2 / (N_IN + N_OUT))),
    "he_uniform": ("uniform", math.sqrt(6 / N_IN)),
    "he_normal": ("normal", math.sqrt(2 / N_IN)),
    "lecun_uniform": ("uniform", math.sqrt(3 / N_IN)),
    "lecun_normal": ("normal", math.sqrt(1 / N_IN)),
    "relu": ("normal", math.sqrt(2 / N_IN)),
    "he": ("normal", math.sqrt(2 / N_IN)),
    "sigmoid": ("normal", math.sqrt(1 / N_IN)),
    "xavier": ("normal", math.sqrt(1 / N_IN)),
    "normal": ("normal", 0.01),
    "uniform": ("uniform", 0.05),
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_scale_of_random_initializers(name):
    kind, scale = EXPECTED[name]
    w = get_initializer(name)((N_IN, N_OUT), rng=0)
    assert w.shape == (N_IN, N_OUT) and w.dtype == np.float64
    assert abs(w.mean()) < 0.02 * scale  # zero mean (5 sigma ~ 0.018 * scale)
    if kind == "normal":
        assert w.std() == pytest.approx(scale, rel=0.03)
        assert np.abs(w).max() > 3 * scale  # tails: not a uniform of the same std
    else:
        assert np.all(np.abs(w) <= scale)
        assert np.abs(w).max() > 0.99 * scale  # reaches the bound
        assert w.std() == pytest.approx(scale / math.sqrt(3), rel=0.03)  # std of U(-r, r)


def test_aliases_and_dlfs_xavier_differs_from_glorot():
    a = get_initializer("glorot_uniform")((30, 20), 1)
    b = get_initializer("xavier_uniform")((30, 20), 1)
    np.testing.assert_array_equal(a, b)
    np.testing.assert_array_equal(
        get_initializer("he")((30, 20), 1), get_initializer("he_normal")((30, 20), 1)
    )
    # DLfS "xavier" = sqrt(1/n_in); Glorot normal = sqrt(2/(n_in+n_out)); differ for 30x20
    x = get_initializer("xavier")((30, 20), 1)
    g = get_initializer("xavier_normal")((30, 20), 1)
    np.testing.assert_allclose(x / g, math.sqrt(1 / 30) / math.sqrt(2 / 50))


def test_dlfs_weight_init_std_reproduced_with_random_state():
    # DLfS: W = sqrt(2 / n) * np.random.randn(n, m) after np.random.seed(0)
    want = math.sqrt(2 / 784) * np.random.RandomState(0).randn(784, 50)
    got = get_initializer("relu")((784, 50), np.random.RandomState(0))
    np.testing.assert_array_equal(got, want)
    want = 0.01 * np.random.RandomState(3).randn(4, 5)
    np.testing.assert_array_equal(get_initializer(0.01)((4, 5), np.random.RandomState(3)), want)
    u = get_initializer("uniform", a=-0.5, b=0.5)((3, 2), np.random.RandomState(1))
    np.testing.assert_array_equal(u, np.random.RandomState(1).uniform(-0.5, 0.5, (3, 2)))


@pytest.mark.parametrize(
    "spec", [0.05, "std0.05", "std=0.05", "STD = 0.05", "0.05", {"name": "normal", "std": 0.05}]
)
def test_number_and_std_string_specs(spec):
    init = get_initializer(spec)
    assert init.name == "normal" and init.params == {"std": 0.05, "mean": 0.0}
    w = init((N_IN, N_OUT), rng=5)
    assert w.std() == pytest.approx(0.05, rel=0.03)


@pytest.mark.parametrize("spec", [-0.0, "-0", "std=-0.0", {"name": "normal", "std": -0.0}])
def test_a_negative_zero_std_draws_zeros(spec):
    """Before: ``--init -0`` passed the check (-0.0 >= 0) and NumPy raised 'scale < 0'."""
    init = get_initializer(spec)
    assert init.params["std"] == 0.0 and not math.copysign(1.0, init.params["std"]) < 0
    assert np.array_equal(init((3, 2), rng=1), np.zeros((3, 2)))


def test_normal_mean_and_uniform_bounds():
    w = get_initializer("normal", std=0.5, mean=3.0)((N_IN, N_OUT), rng=2)
    assert w.mean() == pytest.approx(3.0, abs=0.01) and w.std() == pytest.approx(0.5, rel=0.03)
    u = get_initializer("uniform", a=0.1, b=0.3)((N_IN, N_OUT), rng=2)
    assert u.min() >= 0.1 and u.max() < 0.3 and u.mean() == pytest.approx(0.2, abs=0.001)


@pytest.mark.parametrize("name", [n for n in INITIALIZER_NAMES if n not in ("values",)])
@pytest.mark.parametrize("dtype", [np.float64, np.float32, "float32"])
@pytest.mark.parametrize("shape", [(3, 4), (5,), (2, 3, 4), ()])
def test_shape_dtype_and_determinism(name, dtype, shape):
    init = get_initializer(name)
    a = init(shape, 7, dtype)
    b = init(shape, np.random.default_rng(7), dtype)
    assert a.shape == shape and a.dtype == np.dtype(dtype)
    np.testing.assert_array_equal(a, b)  # an int seed means default_rng(seed)
    assert np.all(np.isfinite(a))


@pytest.mark.parametrize("name", [n for n in EXPECTED])
def test_seed_changes_draw_and_float32_equals_rounded_float64(name):
    init = get_initializer(name)
    a = init((6, 5), 1)
    assert not np.array_equal(a, init((6, 5), 2))
    np.testing.assert_array_equal(init((6, 5), 1, np.float32), a.astype(np.float32))
    # a Generator advances: two draws from one generator differ
    g = np.random.default_rng(0)
    assert not np.array_equal(init((6, 5), g), init((6, 5), g))


def test_rng_none_gives_fresh_draws():
    init = get_initializer("he_normal")
    assert not np.array_equal(init((10, 10)), init((10, 10)))


def test_deterministic_initializers():
    assert np.all(get_initializer("zeros")((2, 3)) == 0)
    assert np.all(get_initializer("ones")((2, 3), dtype=np.float32) == 1)
    c = get_initializer("constant", value=0.1)((4,))
    np.testing.assert_array_equal(c, np.full(4, 0.1))
    assert get_initializer("constant")((2,)).tolist() == [0.0, 0.0]


def test_values_copies_and_checks_shape():
    src = np.array([[0.1, 0.2], [-0.3, 0.4]])
    init = get_initializer("values", values=src)
    w = init((2, 2), dtype=np.float32)
    np.testing.assert_allclose(w, src, rtol=1e-7)
    assert w.dtype == np.float32
    w64 = init((2, 2))
    w64[0, 0] = 99.0
    assert src[0, 0] == 0.1 and init((2, 2))[0, 0] == 0.1  # copies, source unchanged
    with pytest.raises(ShapeError, match=r"\(2, 2\).*\(3, 2\)"):
        init((3, 2))
    # an array or nested list as the spec means "values"
    np.testing.assert_array_equal(get_initializer([[1.0, 2.0]])((1, 2)), [[1.0, 2.0]])
    with pytest.raises(ConfigError, match="values"):
        get_initializer("values")
    with pytest.raises(ConfigError, match="values"):
        get_initializer("values", values=[[1.0], [2.0, 3.0]])


def test_fans():
    assert compute_fans((784, 50)) == (784, 50)
    assert compute_fans((3, 3, 16, 32)) == (144, 32)
    assert compute_fans((7,)) == (7, 7)
    assert compute_fans(()) == (1, 1)
    # N-d: fan_in = prod(shape[:-1]) enters the scale
    w = get_initializer("he_uniform")((20, 10, 30), 0)
    assert np.abs(w).max() <= math.sqrt(6 / 200) and np.abs(w).max() > 0.95 * math.sqrt(6 / 200)
    assert get_initializer("he_normal").scale((20, 10, 30)) == ("normal", math.sqrt(2 / 200))


def test_config_round_trip():
    for init in (
        get_initializer("he"),
        get_initializer("uniform", a=-0.5, b=0.5),
        get_initializer("std0.01"),
        get_initializer("constant", value=0.1),
        get_initializer("values", values=[[1.0, 2.0]]),
        get_initializer("Glorot_Uniform"),
    ):
        cfg = json.loads(json.dumps(init.config()))
        again = get_initializer(cfg)
        assert again.config() == init.config()
        shape = (1, 2) if init.name == "values" else (4, 3)
        np.testing.assert_array_equal(again(shape, 3), init(shape, 3))
    assert get_initializer("he").config() == {"name": "he"}
    assert isinstance(get_initializer("zeros"), Initializer)


def test_callables_pass_through():
    f = lambda shape, rng=None, dtype=np.float64: np.full(shape, 2.0, dtype)  # noqa: E731
    assert get_initializer(f) is f
    i = get_initializer("he")
    assert get_initializer(i) is i


@pytest.mark.parametrize(
    "call, exc, match",
    [
        (lambda: get_initializer("kaiming"), ConfigError, "he_normal"),
        (lambda: get_initializer("he", std=0.1), ConfigError, "std"),
        (lambda: get_initializer("normal", sd=0.1), ConfigError, "sd"),
        (lambda: get_initializer("normal", std=-1.0), ConfigError, "std"),
        (lambda: get_initializer(-0.01), ConfigError, "std"),
        (lambda: get_initializer("std-1"), ConfigError, "std"),
        (lambda: get_initializer("stdx"), ConfigError, "init must be one of"),
        (lambda: get_initializer("std1e"), ConfigError, "std"),
        (lambda: get_initializer("uniform", a=0.5, b=-0.5), ConfigError, "a < b"),
        (lambda: get_initializer("constant", value=float("nan")), ConfigError, "value"),
        (lambda: get_initializer({"std": 0.1}), ConfigError, "name"),
        (lambda: get_initializer(True), MlplabTypeError, "bool"),
        (lambda: get_initializer(object()), MlplabTypeError, "init must be"),
        (lambda: get_initializer("he")((2, 2), rng="seed"), MlplabTypeError, "rng"),
        (lambda: get_initializer("he")((2, 2), rng=-1), ConfigError, "seed"),
        (lambda: get_initializer("he")((2, -2)), ShapeError, "shape"),
        (lambda: get_initializer("he")((2, 2), dtype=np.int64), ConfigError, "dtype"),
    ],
)
def test_bad_specs(call, exc, match):
    with pytest.raises(exc, match=match):
        call()


@settings(max_examples=40, deadline=None)
@given(
    n_in=st.integers(1, 40),
    n_out=st.integers(1, 40),
    name=st.sampled_from(["xavier_uniform", "he_uniform", "lecun_uniform", "uniform"]),
    seed=st.integers(0, 2**32 - 1),
)
def test_uniform_bounds_any_shape(n_in, n_out, name, seed):
    limit = {
        "xavier_uniform": math.sqrt(6 / (n_in + n_out)),
        "he_uniform": math.sqrt(6 / n_in),
        "lecun_uniform": math.sqrt(3 / n_in),
        "uniform": 0.05,
    }[name]
    w = get_initializer(name)((n_in, n_out), seed, np.float32)
    assert w.shape == (n_in, n_out) and w.dtype == np.float32
    assert np.all(np.abs(w) <= np.float32(limit))


@pytest.mark.parametrize(
    ("text", "std"),
    [("std0.01", 0.01), ("std=0.01", 0.01), ("STD = 0.05", 0.05), ("0.05", 0.05),
     ("std1e-2", 0.01), ("he", None), ("xavier_normal", None)],
)  # fmt: skip
def test_parse_std_is_the_one_reader_of_the_std_notation(text, std):
    from mlplab.experiments.spec import Init
    from mlplab.init import parse_std

    assert parse_std(text) == std
    if std is not None:  # experiment files read it with the same parser
        assert Init().check("model.init", text) == f"std{std!r}"
        assert get_initializer(text).params["std"] == std


def test_parse_std_rejects_std_without_a_number():
    from mlplab.init import parse_std

    with pytest.raises(ConfigError, match="must be a number like std0.01"):
        parse_std("std1e")
