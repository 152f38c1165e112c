"""Slides 003: the Keras-style 4-8-8-3 model with batch GD, SGD and mini-batch GD."""

import numpy as np
import pytest

from mlplab.errors import ConfigError
from mlplab.experiments.lessons_keras import build_448
from mlplab.experiments.registry import get_run, resolve_options
from mlplab.layers import Dense
from mlplab.model import Sequential


def test_keras_448_three_batch_modes():
    spec = get_run("keras-448")
    res = spec.fn(resolve_options(spec, {}))
    runs = res.metrics["runs"]
    assert runs["batch GD"]["updates"] == 50  # one update per epoch
    assert runs["SGD"]["updates"] == 50 * 120  # one per sample
    assert runs["mini-batch"]["updates"] == 50 * 4  # ceil(120 / 32) per epoch
    # SGD makes the most updates and reaches the lowest training loss
    assert (
        runs["SGD"]["train_loss"]
        < runs["mini-batch"]["train_loss"]
        < runs["batch GD"]["train_loss"]
    )
    assert all(r["test_acc"] > 0.85 for r in runs.values())


def test_keras_api_shapes_and_summary():
    m = build_448(seed=0)
    m.compile(loss="categorical_crossentropy", optimizer="adam", metrics=["acc"])
    assert [k for k in m.params] == ["W1", "b1", "W2", "b2", "W3", "b3"]
    assert m.params["W1"].shape == (4, 8) and m.params["W3"].shape == (8, 3)
    assert np.abs(m.params["W1"]).max() <= 0.05  # Keras 1 init='uniform'
    assert m.head.activation == "softmax" and m.head.loss == "cce"
    assert "Total params: 139" in m.summary()


def test_dense_needs_input_dim_first():
    with pytest.raises(ConfigError, match="input_dim"):
        Sequential([Dense(8, activation="relu")])
