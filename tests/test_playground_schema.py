"""Validation of playground client state and messages."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mlplab.errors import ConfigError, MlplabTypeError
from mlplab.playground import schema


def test_defaults_are_tf_playground_defaults():
    s = schema.validate_state({})
    assert s["learningRate"] == 0.03
    assert s["activation"] == "tanh"
    assert s["regularization"] == "none" and s["regularizationRate"] == 0
    assert s["problem"] == "classification" and s["dataset"] == "circle"
    assert s["regDataset"] == "reg-plane"
    assert s["percTrainData"] == 50 and s["noise"] == 0 and s["batchSize"] == 10
    assert s["features"] == ["x", "y"] and s["networkShape"] == [4, 2]


def test_option_lists_match_tf():
    assert schema.LEARNING_RATES == (1e-5, 1e-4, 1e-3, 0.003, 0.01, 0.03, 0.1, 0.3, 1, 3, 10)
    assert schema.REG_RATES == (0, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1, 3, 10)
    assert schema.TF_ACTIVATIONS == ("relu", "tanh", "sigmoid", "linear")
    assert len(schema.HIDABLE) == 15


@pytest.mark.parametrize(
    ("field", "value", "exc"),
    [
        ("batchSize", 31, ConfigError),
        ("batchSize", 0, ConfigError),
        ("batchSize", "10", MlplabTypeError),
        ("noise", 81, ConfigError),
        ("noise", -5, ConfigError),
        ("percTrainData", 95, ConfigError),
        ("percTrainData", 55, ConfigError),
        ("networkShape", [4] * 7, ConfigError),
        ("networkShape", [9], ConfigError),
        ("networkShape", [0], ConfigError),
        ("features", [], ConfigError),
        ("features", ["x", "x"], ConfigError),
        ("features", ["__import__('os')"], ConfigError),
        ("activation", "softmax", ConfigError),
        ("learningRate", float("nan"), ConfigError),
        ("learningRate", 0, ConfigError),
        ("learningRate", True, MlplabTypeError),
        ("dropout", 0.95, ConfigError),
        ("seed", -1, ConfigError),
        ("epochsPerFrame", 1000, ConfigError),
    ],
)
def test_bad_values_name_the_field(field, value, exc):
    with pytest.raises(exc, match=field):
        schema.validate_state({field: value})


def test_unknown_field_rejected():
    with pytest.raises(ConfigError, match="unknown"):
        schema.validate_state({"evil": 1})


@pytest.mark.parametrize(
    ("url", "noise"),
    [(0, 0), (35, 35), (50, 50), (55, 55), (70, 70), (80, 80), (79.6, 80), (72.5, 73)]
    + [(80.4, 50), (81, 50), (95, 50), (2000, 50), (float("inf"), 50)]
    + [(-1, 0), (-0.4, 0), (float("-inf"), 0), (float("nan"), 0)],
)
def test_noise_from_url_follows_tf(url, noise):
    """TF: URL noise up to 80 is kept (the slider's max rises); above 80 -> 50; below 0 -> 0."""
    got = schema.noise_from_url(url)
    assert got == noise and isinstance(got, int)
    assert schema.validate_state({"noise": got})["noise"] == noise


@given(st.floats(allow_nan=True, allow_infinity=True))
def test_noise_from_url_is_always_a_valid_state(v):
    n = schema.noise_from_url(v)
    assert schema.validate_state({"noise": n})["noise"] == n
    assert 0 <= n <= schema.NOISE_URL_MAX
    if 0 <= v <= 80:
        assert abs(n - v) <= 0.5
    elif v > 80:
        assert n == schema.NOISE_SLIDER_MAX


def test_noise_range_is_the_url_range():
    assert schema.validate_state({"noise": 70})["noise"] == 70  # above the slider's 50
    assert schema.validate_state({"noise": 80})["noise"] == 80
    with pytest.raises(ConfigError, match=r"noise must be an integer in \[0, 80\]"):
        schema.validate_state({"noise": 81})


def test_partial_update_keeps_base():
    base = schema.validate_state({"activation": "relu"})
    s = schema.validate_state({"batchSize": 5}, base)
    assert s["activation"] == "relu" and s["batchSize"] == 5


def test_features_canonical_order():
    assert schema.validate_state({"features": ["sinY", "x"]})["features"] == ["x", "sinY"]


@given(st.lists(st.integers(-3, 12), max_size=9))
def test_network_shape_ranges(shape):
    ok = len(shape) <= 6 and all(1 <= n <= 8 for n in shape)
    if ok:
        assert schema.validate_state({"networkShape": shape})["networkShape"] == shape
    else:
        with pytest.raises(ConfigError):
            schema.validate_state({"networkShape": shape})


@given(
    st.one_of(st.none(), st.integers(), st.text(max_size=5), st.lists(st.integers(), max_size=3))
)
def test_random_junk_messages_raise_clean_errors(junk):
    with pytest.raises((ConfigError, MlplabTypeError)):
        schema.validate_message({"type": "edit", "param": junk, "index": junk, "value": junk})


def test_messages():
    assert schema.validate_message({"type": "reset", "same": True}) == {
        "type": "reset",
        "same": True,
    }
    m = schema.validate_message({"type": "edit", "param": "W2", "index": [0, 1], "value": 0.5})
    assert m["param"] == "W2" and m["index"] == [0, 1]
    with pytest.raises(ConfigError):
        schema.validate_message({"type": "exec"})
    with pytest.raises(MlplabTypeError):
        schema.validate_message([1, 2])
    with pytest.raises(ConfigError):
        schema.validate_message({"type": "preset", "name": "nope"})
    assert schema.validate_message({"type": "focus", "node": None})["node"] is None
