"""The worked examples of the course material, reproduced by the engine to ±1e-6.

* textbook 2-2-1 (seed 002): one forward/backward pass and one SGD step (lr 0.2);
* slides 2-2-2 without biases (seed 003): one step (lr 0.5);
* the seed notebook (000/001): four training runs on the quadratic set, with backprop and with
  the numerical gradient (h = 1e-7), rounded to the notebook's four decimals.
"""

from __future__ import annotations

import numpy as np
import pytest

from mlplab.layers import Activation, Affine, BatchNorm
from mlplab.model import Sequential

ATOL = 1e-6


def _sgd(model, grads, lr):
    for key, g in grads.items():
        model.params[key] -= lr * g


def _textbook():
    W1 = np.array([[0.1, 0.2], [0.3, 0.4]])  # [[w1, w2], [w3, w4]] in the XW + B layout
    W2 = np.array([[0.5], [0.6]])  # w5, w6
    layers = [
        Affine(W1, np.array([0.1, 0.2])),
        Activation("sigmoid"),
        Affine(W2, np.array([0.3])),
        Activation("sigmoid"),
    ]
    return Sequential(layers, loss="half_sse")


def test_textbook_221_forward_backward_and_one_step():
    model = _textbook()
    x, t = np.array([[0.0, 0.0]]), np.array([[0.0]])
    outs = model.layer_outputs(x)
    a1, a2 = outs[1][0]
    assert a1 == pytest.approx(0.524979, abs=ATOL)
    assert a2 == pytest.approx(0.549834, abs=ATOL)
    assert outs[-1][0, 0] == pytest.approx(0.709383, abs=ATOL)
    assert model.loss(x, t) == pytest.approx(0.251612, abs=ATOL)
    grads = model.gradient(x, t)
    assert grads["W2"][0, 0] == pytest.approx(0.076775, abs=ATOL)  # ∂E/∂w5
    _sgd(model, grads, 0.2)
    assert model.params["W2"][0, 0] == pytest.approx(0.484645, abs=ATOL)  # w5
    assert model.params["W2"][1, 0] == pytest.approx(0.583918, abs=ATOL)  # w6
    assert model.params["b2"][0] == pytest.approx(0.270750, abs=ATOL)  # b3
    assert model.params["b1"][0] == pytest.approx(0.096352, abs=ATOL)
    assert model.params["b1"][1] == pytest.approx(0.195656, abs=ATOL)
    # x = (0, 0): the first-layer weights get no gradient
    np.testing.assert_array_equal(model.params["W1"], [[0.1, 0.2], [0.3, 0.4]])
    assert model.loss(x, t) == pytest.approx(0.244687, abs=ATOL)


def test_slides_222_without_biases_one_step():
    W1 = np.array([[0.3, 0.4], [0.25, 0.35]])
    W2 = np.array([[0.45, 0.7], [0.4, 0.6]])
    model = Sequential(
        [Affine(W1, None), Activation("sigmoid"), Affine(W2, None), Activation("sigmoid")],
        loss="half_sse",
    )
    assert set(model.params) == {"W1", "W2"}
    x, t = np.array([[0.1, 0.2]]), np.array([[0.4, 0.6]])
    assert model.loss(x, t) == pytest.approx(0.02397190, abs=1e-8)
    _sgd(model, model.gradient(x, t), 0.5)
    assert model.loss(x, t) == pytest.approx(0.02323634, abs=1e-8)
    np.testing.assert_allclose(
        model.params["W2"], [[0.43703857, 0.69629578], [0.38685205, 0.59624247]], atol=1e-8
    )
    W1n = model.params["W1"]  # W1+ = W1[0,0], W2+ = W1[1,0], W3+ = W1[0,1], W4+ = W1[1,1]
    np.testing.assert_allclose(
        [W1n[0, 0], W1n[1, 0], W1n[0, 1], W1n[1, 1]],
        [0.29959556, 0.24919112, 0.39964496, 0.34928991],
        atol=1e-8,
    )


# ----------------------------------------------------------------------------------------------
# the seed notebook
# ----------------------------------------------------------------------------------------------

NOTEBOOK_CASES = [  # (epochs, lr, batch size, batch norm) -> (train loss, test loss)
    ((10, 0.01, 1, False), (0.5197, 0.5529)),
    ((10, 0.3, 1, False), (0.5488, 0.5039)),
    ((200, 0.1, 20, False), (0.1336, 0.2472)),
    ((200, 0.1, 20, True), (0.4771, 0.4934)),
]


def _notebook_model(batch_norm):
    layers = [Affine(np.array([[0.2, 0.3, 0.8], [0.7, 0.8, 0.3]]), np.zeros(3))]
    if batch_norm:
        layers.append(BatchNorm(3, eps=0.0, affine=False, batch_stats="always"))
    layers += [
        Activation("relu"),
        Affine(np.array([[0.3], [0.1], [0.2]]), np.zeros(1)),
        Activation("sigmoid"),
    ]
    return Sequential(layers, loss="bce")


@pytest.fixture(scope="module")
def quadratic_data():
    from mlplab.data.datasets import quadratic

    return quadratic()


@pytest.mark.parametrize("method", ["backprop", "numerical"])
@pytest.mark.parametrize(("case", "expected"), NOTEBOOK_CASES)
def test_seed_notebook_training_runs(quadratic_data, case, expected, method):
    X, y, X_test, y_test = quadratic_data
    epochs, lr, bs, bn = case
    model = _notebook_model(bn)
    rs = np.random.RandomState(317)  # the notebook's np.random.seed(317) before the loop
    for _ in range(int(100 / bs) * epochs):
        idx = rs.choice(range(100), bs)
        if method == "backprop":
            grads = model.gradient(X[idx], y[idx])
        else:
            grads = model.numerical_gradient(X[idx], y[idx], h=1e-7)
        _sgd(model, grads, lr)
    got = (round(model.loss(X, y), 4), round(model.loss(X_test, y_test), 4))
    assert got == expected
