"""Tests of mlplab.model: parameters, gradients, gradcheck (incl. negative tests), summary,
notebook names, save/load, float32, and argument errors."""

from __future__ import annotations

import json
import zipfile

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mlplab import MLP, Sequential, load
from mlplab.errors import CheckpointError, ConfigError, DataError, MlplabError, ShapeError
from mlplab.gradcheck import gradcheck
from mlplab.layers import Activation, Affine, BatchNorm, Dropout, LayerNorm

TOL = 1e-6


def _data(n, d, c, seed, labels=True):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, d))
    y = rng.integers(0, c, n)
    return X, (y if labels else np.eye(c)[y])


# ----------------------------------------------------------------------------------------------
# parameters
# ----------------------------------------------------------------------------------------------


def test_params_are_the_layers_arrays():
    model = MLP([3, 4, 2], activation="tanh", loss="cce", batchnorm=True, seed=0)
    assert list(model.params) == ["W1", "b1", "gamma1", "beta1", "W2", "b2"]
    affines = [lay for lay in model.layers if isinstance(lay, Affine)]
    bn = next(lay for lay in model.layers if isinstance(lay, BatchNorm))
    assert model.params["W1"] is affines[0].params["W"]
    assert model.params["b2"] is affines[1].params["b"]
    assert model.params["gamma1"] is bn.params["gamma"]
    X, y = _data(5, 3, 2, 1)
    before = model.forward(X)
    model.params["W2"] *= 2.0  # an optimizer's in-place update reaches the layers
    model.params["b2"] += 1.0
    np.testing.assert_allclose(model.forward(X), 2.0 * before + 1.0, rtol=1e-12)
    assert model.n_params == 3 * 4 + 4 + 4 + 4 + 4 * 2 + 2


def test_param_names_with_layernorm_and_dropout():
    model = MLP([3, 4, 4, 2], layernorm=True, dropout=0.2, loss="cce", seed=0)
    assert list(model.params) == [
        "W1",
        "b1",
        "gamma1",
        "beta1",
        "W2",
        "b2",
        "gamma2",
        "beta2",
        "W3",
        "b3",
    ]
    assert sum(isinstance(lay, Dropout) for lay in model.layers) == 2


def test_gradient_keys_and_shapes_match_params():
    model = MLP([4, 6, 3], activation="relu", loss="cce", seed=0)
    X, y = _data(8, 4, 3, 0)
    grads = model.gradient(X, y)
    assert list(grads) == list(model.params)
    for k in grads:
        assert grads[k].shape == model.params[k].shape
    assert model.grads is grads


# ----------------------------------------------------------------------------------------------
# gradient checks
# ----------------------------------------------------------------------------------------------

CONFIGS = {
    "plain_tanh_cce": dict(activation="tanh", loss="cce"),
    "sigmoid_bce": dict(activation="sigmoid", loss="bce"),
    "elu_mse": dict(activation="elu", loss="mse"),
    "tanh_half_sse_tanh_out": dict(activation="tanh", output="tanh", loss="half_sse"),
    "batchnorm": dict(activation="tanh", loss="cce", batchnorm=True),
    "dropout": dict(activation="sigmoid", loss="cce", dropout=0.3),
    "layernorm": dict(activation="softplus", loss="cce", layernorm=True),
    "weight_decay": dict(activation="tanh", loss="cce", weight_decay=0.1),
    "l1": dict(activation="tanh", loss="cce", l1=0.05),
    "everything": dict(
        activation="swish", loss="cce", batchnorm=True, dropout=0.2, weight_decay=0.05, l1=0.01
    ),
}


@pytest.mark.parametrize("name", list(CONFIGS))
@settings(max_examples=10, deadline=None)
@given(
    sizes=st.lists(st.integers(2, 5), min_size=3, max_size=4),
    n=st.integers(3, 8),
    seed=st.integers(0, 2**31 - 1),
)
def test_gradcheck_passes_on_mlps(name, sizes, n, seed):
    cfg = CONFIGS[name]
    model = MLP(sizes, init="xavier", seed=seed, **cfg)
    X, y = _data(n, sizes[0], sizes[-1], seed)
    if cfg["loss"] in ("mse", "half_sse", "bce"):
        y = np.random.default_rng(seed).uniform(0, 1, (n, sizes[-1]))
        if cfg["loss"] == "bce":
            y = (y > 0.5).astype(float)
    report = gradcheck(model, X, y, h=1e-6)
    assert report.passed, str(report)
    assert [r.key for r in report.rows] == list(model.params)


@pytest.mark.parametrize("name", ["plain_tanh_cce", "batchnorm", "weight_decay", "l1"])
def test_gradient_matches_naive_differences_of_model_loss(name, fd, rel_err):
    """Independent of numerical_gradient: perturb the live arrays, call model.loss(train=True)."""
    model = MLP([3, 4, 3], init="xavier", seed=5, **CONFIGS[name])
    X, y = _data(6, 3, 3, 5)
    grads = {k: v.copy() for k, v in model.gradient(X, y).items()}
    for key, p in model.params.items():
        orig = p.copy()

        def f(q, p=p):
            np.copyto(p, q)
            return model.loss(X, y, train=True)

        num = fd(f, orig)
        np.copyto(p, orig)
        assert rel_err(grads[key], num) < TOL or np.max(np.abs(grads[key] - num)) < 1e-8, key


def test_weight_decay_is_in_loss_and_gradient():
    plain = MLP([3, 4, 2], loss="cce", seed=1)
    decayed = MLP([3, 4, 2], loss="cce", seed=1, weight_decay=0.3, l1=0.2)
    X, y = _data(5, 3, 2, 0)
    W = [decayed.params["W1"], decayed.params["W2"]]
    penalty = sum(0.5 * 0.3 * np.sum(w * w) + 0.2 * np.sum(np.abs(w)) for w in W)
    assert decayed.loss(X, y) == pytest.approx(plain.loss(X, y) + penalty, rel=1e-12)
    g0, g1 = plain.gradient(X, y), decayed.gradient(X, y)
    w1 = decayed.params["W1"]
    np.testing.assert_allclose(g1["W1"], g0["W1"] + 0.3 * w1 + 0.2 * np.sign(w1), rtol=1e-12)
    np.testing.assert_allclose(g1["b1"], g0["b1"], rtol=1e-12)  # biases are not decayed


def _sigmoid_net(seed=0):
    rng = np.random.default_rng(seed)
    layers = [
        Affine(rng.standard_normal((3, 4)), rng.standard_normal(4)),
        Activation("sigmoid"),
        Affine(rng.standard_normal((4, 2)), rng.standard_normal(2)),
    ]
    return Sequential(layers, loss="mse")


def test_gradcheck_catches_sigmoid_backward_without_its_derivative():
    model = _sigmoid_net()
    X = np.random.default_rng(1).standard_normal((5, 3))
    t = np.random.default_rng(2).standard_normal((5, 2))
    assert gradcheck(model, X, t, h=1e-6).passed
    sig = model.layers[1]
    sig.backward = lambda dout: dout  # forgot the y(1 − y) factor
    report = gradcheck(model, X, t, h=1e-6)
    assert report.passed is False
    assert not report["W1"].passed and not report["b1"].passed
    assert report["W2"].passed  # layers above the bug are still right
    assert "FAILED" in str(report)


def test_gradcheck_catches_a_slightly_scaled_affine_dw(monkeypatch):
    model = MLP([3, 4, 2], activation="tanh", loss="cce", seed=3)
    X, y = _data(6, 3, 2, 3)
    assert gradcheck(model, X, y, h=1e-6).passed
    original = Affine.param_grads  # dW, db of every Affine (backward calls it too)

    def scaled(self, dout):
        original(self, dout)
        self.grads["W"] = self.grads["W"] * 1.01

    monkeypatch.setattr(Affine, "param_grads", scaled)
    report = gradcheck(model, X, y, h=1e-6)
    assert report.passed is False
    assert not report["W1"].passed and not report["W2"].passed
    assert report["b1"].passed


def test_gradcheck_with_a_huge_step_fails():
    model = MLP([3, 4, 2], activation="tanh", loss="cce", seed=3)
    X, y = _data(6, 3, 2, 3)
    assert gradcheck(model, X, y, h=0.5).passed is False


def test_numerical_gradient_leaves_params_and_running_stats_untouched():
    model = MLP([3, 4, 2], loss="cce", batchnorm=True, seed=2)
    X, y = _data(6, 3, 2, 0)
    before = model.get_weights()
    bn = next(lay for lay in model.layers if isinstance(lay, BatchNorm))
    rm, rv = bn.running_mean.copy(), bn.running_var.copy()
    model.numerical_gradient(X, y, h=1e-5)
    for k, v in before.items():
        np.testing.assert_array_equal(model.params[k], v)
    np.testing.assert_array_equal(bn.running_mean, rm)
    np.testing.assert_array_equal(bn.running_var, rv)


# ----------------------------------------------------------------------------------------------
# summary and notebook names
# ----------------------------------------------------------------------------------------------


def test_summary_rows_and_parameter_count():
    model = MLP([4, 5, 3], activation="relu", loss="cce", batchnorm=True, dropout=0.5, seed=0)
    text = model.summary()
    body = [ln for ln in text.splitlines() if ln and not ln.startswith("-")]
    rows = body[1:-2]  # header, ..., head row, total
    assert len(rows) == len(model.layers)
    expected = 4 * 5 + 5 + 2 * 5 + 5 * 3 + 3
    assert f"Total params: {expected}" in text
    assert model.n_params == expected
    counts = [int(r.split()[-1]) for r in rows]
    assert counts == [25, 10, 0, 0, 18]
    assert "softmax + cce" in text


def test_named_view_for_the_notebook_231_net():
    model = MLP([2, 3, 1], activation="relu", loss="bce", seed=0)
    named = model.named
    assert set(named) == {
        "w11", "w12", "w13", "w21", "w22", "w23", "w31", "w32", "w33",
        "b11", "b12", "b13", "b21",
    }  # fmt: skip
    W1, W2 = model.params["W1"], model.params["W2"]
    assert named["w23"] == W1[1, 2] and named["w32"] == W2[1, 0]
    named["w12"] = 5.0
    named["w33"] = -7.0
    named["b21"] = 0.25
    named["b12"] = 0.5
    assert W1[0, 1] == 5.0 and W2[2, 0] == -7.0
    assert model.params["b2"][0] == 0.25 and model.params["b1"][1] == 0.5
    named.update({"w11": 0.2, "w21": 0.7})
    assert W1[0, 0] == 0.2 and W1[1, 0] == 0.7
    with pytest.raises(ConfigError, match="w99"):
        named["w99"] = 1.0
    with pytest.raises(ConfigError, match="one hidden layer"):
        MLP([2, 3, 3, 1], seed=0).named  # noqa: B018


# ----------------------------------------------------------------------------------------------
# save / load
# ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("dtype", ["float64", "float32"])
def test_save_load_round_trip_is_exact(tmp_path, dtype):
    model = MLP([3, 5, 2], activation="leaky_relu", loss="cce", batchnorm=True, dtype=dtype, seed=4)
    model.regularization["l2"] = 0.01
    X, y = _data(16, 3, 2, 4)
    for _ in range(3):  # move BN running statistics and the weights away from their start
        grads = model.gradient(X, y)
        for k in model.params:
            model.params[k] -= 0.1 * grads[k]
    path = model.save(tmp_path / "m.npz")
    again = load(path)
    assert again.config() == model.config()
    assert list(again.params) == list(model.params)
    for k in model.params:
        assert again.params[k].dtype == np.dtype(dtype)
        np.testing.assert_array_equal(again.params[k], model.params[k])
    bn0 = next(lay for lay in model.layers if isinstance(lay, BatchNorm))
    bn1 = next(lay for lay in again.layers if isinstance(lay, BatchNorm))
    assert not np.all(bn0.running_mean == 0)
    np.testing.assert_array_equal(bn1.running_mean, bn0.running_mean)
    np.testing.assert_array_equal(bn1.running_var, bn0.running_var)
    np.testing.assert_array_equal(again.predict(X), model.predict(X))


def test_save_load_keeps_a_bias_free_net(tmp_path):
    model = Sequential(
        [Affine(np.ones((2, 2)), None), Activation("sigmoid"), Affine(np.ones((2, 1)), None)],
        loss="half_sse",
    )
    again = load(model.save(tmp_path / "nobias"))
    assert list(again.params) == ["W1", "W2"]


def _saved(tmp_path):
    return MLP([2, 3, 1], loss="bce", seed=0).save(tmp_path / "good.npz")


def _write_bad_files(tmp_path):
    good = _saved(tmp_path).read_bytes()
    files = {}
    p = tmp_path / "garbage.npz"
    p.write_bytes(np.random.default_rng(0).bytes(300))
    files["garbage"] = p
    p = tmp_path / "random.zip"
    with zipfile.ZipFile(p, "w") as zf:
        zf.writestr("hello.txt", "not a model")
    files["random zip"] = p
    p = tmp_path / "plain.npz"
    np.savez(p, W1=np.zeros((2, 3)))
    files["no __mlplab__"] = p
    p = tmp_path / "truncated.npz"
    p.write_bytes(good[: len(good) // 2])
    files["truncated"] = p
    p = tmp_path / "pickled.npz"
    meta = json.dumps(MLP([2, 3, 1], loss="bce", seed=0).config())
    obj = np.empty(1, dtype=object)
    obj[0] = {"evil": True}
    np.savez(p, __mlplab__=np.array(meta), **{"param/W1": obj})
    files["pickled object array"] = p
    p = tmp_path / "badjson.npz"
    np.savez(p, __mlplab__=np.array("{not json"))
    files["bad json"] = p
    p = tmp_path / "foreign.npz"
    np.savez(p, __mlplab__=np.array(json.dumps({"format": "other"})))
    files["foreign description"] = p
    p = tmp_path / "wrongshape.npz"
    np.savez(p, __mlplab__=np.array(meta), **{"param/W1": np.zeros((5, 5))})
    files["wrong shapes"] = p
    return files


def test_bad_files_raise_one_line_checkpoint_errors(tmp_path):
    for what, path in _write_bad_files(tmp_path).items():
        with pytest.raises(CheckpointError) as info:
            load(path)
        msg = str(info.value)
        assert "\n" not in msg and msg, what
    with pytest.raises(CheckpointError, match="does not exist"):
        load(tmp_path / "missing.npz")


# ----------------------------------------------------------------------------------------------
# dtypes
# ----------------------------------------------------------------------------------------------


def test_float32_model_stays_float32():
    model = MLP([3, 4, 2], loss="cce", batchnorm=True, dropout=0.1, dtype="float32", seed=0)
    X, y = _data(6, 3, 2, 0)
    assert all(v.dtype == np.float32 for v in model.params.values())
    assert model.forward(X.astype(np.float32), train=True).dtype == np.float32
    assert model.predict(X).dtype == np.float32
    assert all(o.dtype == np.float32 for o in model.layer_outputs(X))
    grads = model.gradient(X, y)
    assert all(g.dtype == np.float32 for g in grads.values()), {
        k: g.dtype for k, g in grads.items()
    }
    num = model.numerical_gradient(X, y, h=1e-2)
    assert all(g.dtype == np.float32 for g in num.values())
    assert isinstance(model.loss(X, y), float)
    assert model.dtype == np.float32


# ----------------------------------------------------------------------------------------------
# bad arguments
# ----------------------------------------------------------------------------------------------


def _raises(exc, fn, *words):
    with pytest.raises(exc) as info:
        fn()
    msg = str(info.value)
    assert isinstance(info.value, MlplabError)
    assert "\n" not in msg
    for w in words:
        assert w in msg, (w, msg)


def test_bad_arguments_name_the_argument_and_the_choices():
    _raises(ConfigError, lambda: MLP([2, 3, 1], activation="relu6"), "relu6", "relu", "tanh")
    _raises(ConfigError, lambda: MLP([2, 3, 1], loss="hinge"), "hinge", "mse", "cce")
    _raises(ConfigError, lambda: MLP([2, 0, 1]), "size", "positive")
    _raises(ConfigError, lambda: MLP([2]), "sizes")
    _raises(ConfigError, lambda: MLP([2, 3, 1], dtype="float16"), "dtype", "float32")
    _raises(ConfigError, lambda: MLP([2, 3, 1], activation=["relu", "tanh"]), "activation")
    model = MLP([2, 3, 1], loss="bce", seed=0)
    _raises(ConfigError, lambda: model.compile(loss="bce", optimizer="sgd", lr=-0.1), "lr")
    _raises(ShapeError, lambda: model.loss(np.zeros((4, 3)), np.zeros(4)), "3 features", "2")
    _raises(ShapeError, lambda: model.loss(np.zeros(2), np.zeros(1)), "shape")
    _raises(ShapeError, lambda: model.loss(np.zeros((4, 2)), np.zeros(3)), "rows")
    nan = np.array([[np.nan, 1.0], [0.0, 1.0]])
    _raises(DataError, lambda: model.loss(nan, np.zeros(2)), "NaN")
    _raises(DataError, lambda: model.predict(nan), "NaN")
    _raises(
        ConfigError,
        lambda: Sequential([Affine(np.zeros((2, 1)))]).predict(np.zeros((1, 2))),
        "loss",
    )
    with pytest.raises(MlplabError):
        Sequential(["not a layer"])


def test_sequential_with_dense_layers():
    from mlplab.layers import Dense

    model = Sequential([Dense(4, input_dim=3, activation="tanh"), Dense(2, activation="softmax")])
    model.compile(loss="categorical_crossentropy", optimizer="sgd")
    assert model.head.fused is not None  # softmax + cce
    assert list(model.params) == ["W1", "b1", "W2", "b2"]
    X, y = _data(6, 3, 2, 0)
    np.testing.assert_allclose(model.predict(X).sum(axis=1), 1.0)
    assert gradcheck(model, X, y, h=1e-6).passed
    again = Sequential.from_config(model.config())
    assert again.config() == model.config()


def test_layernorm_model_is_mode_independent():
    model = MLP([3, 4, 2], loss="cce", layernorm=True, seed=0)
    X, _ = _data(5, 3, 2, 0)
    np.testing.assert_array_equal(model.forward(X, train=True), model.forward(X, train=False))
    assert any(isinstance(lay, LayerNorm) for lay in model.layers)


# ----------------------------------------------------------------------------------------------
# packed parameters (one vector θ)
# ----------------------------------------------------------------------------------------------


def _unpacked_twin(model):
    """A Sequential of fresh copies of ``model``'s layers' arrays (not packed)."""
    layers = []
    for lay in model.layers:
        if isinstance(lay, Affine):
            layers.append(Affine(lay.params["W"].copy(), lay.params["b"].copy()))
        elif isinstance(lay, BatchNorm):
            bn = BatchNorm(lay.dim, dtype=model.dtype)
            for k in lay.params:
                bn.params[k] = lay.params[k].copy()
            layers.append(bn)
        else:
            layers.append(Activation(lay.name))
    layers.append(Activation(model.head.activation))  # set_loss makes it the head's again
    return Sequential(layers, loss=model.head.loss, dtype=model.dtype)


def test_mlp_keeps_all_parameters_in_one_vector():
    model = MLP([3, 4, 2], loss="cce", batchnorm=True, seed=0)
    assert model.theta.shape == (model.n_params,) and model.dtheta.shape == model.theta.shape
    off = 0
    for key, arr in model.params.items():
        assert arr.base is model.theta, key
        np.testing.assert_array_equal(model.theta[off : off + arr.size], arr.ravel())
        off += arr.size
    model.theta[0] = 42.0  # θ and the named arrays are the same memory
    assert model.params["W1"][0, 0] == 42.0
    x, t = _data(5, 3, 2, 1)
    grads = model.gradient(x, t)
    for key, g in grads.items():
        assert g.base is model.dtheta, key
    np.testing.assert_array_equal(model.dtheta, np.concatenate([g.ravel() for g in grads.values()]))


@pytest.mark.parametrize(
    "opt", ["sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adam", "amsgrad"]
)
@pytest.mark.parametrize("dtype", ["float64", "float32"])
def test_packed_training_is_bit_for_bit_the_unpacked_one(opt, dtype):
    from mlplab.optim import get_optimizer

    model = MLP([4, 6, 5, 3], loss="cce", batchnorm=True, dtype=dtype, seed=3).train()
    twin = _unpacked_twin(model).train()
    assert twin.theta is None and model.theta is not None
    o1, o2 = get_optimizer(opt, lr=0.05), get_optimizer(opt, lr=0.05)
    rng = np.random.default_rng(0)
    for _ in range(4):
        x, t = rng.standard_normal((8, 4)), rng.integers(0, 3, 8)
        g1, g2 = model.gradient(x, t), twin.gradient(x, t)
        for k in g1:
            np.testing.assert_array_equal(g1[k], g2[k], err_msg=k)
        o1.update({"theta": model.theta}, {"theta": model.dtheta})  # as the Trainer does
        o2.update(twin.params, g2)
    for k in model.params:
        np.testing.assert_array_equal(model.params[k], twin.params[k], err_msg=k)
    for slot in o1.slots:
        per_key = np.concatenate([o2.state[k][slot].ravel() for k in twin.params])
        np.testing.assert_array_equal(o1.state["theta"][slot], per_key, err_msg=slot)


def test_the_trainer_updates_a_packed_model_as_one_vector_with_the_same_numbers():
    from mlplab.train import Trainer

    model = MLP([4, 6, 3], loss="cce", batchnorm=True, seed=3)
    twin = _unpacked_twin(model)
    x, t = _data(24, 4, 3, 5)
    kw = dict(lr=0.05, batch_size=8, epochs=2, seed=1, progress=False)
    h1 = Trainer(model, "adam", **kw).fit(x, t)
    h2 = Trainer(twin, "adam", **kw).fit(x, t)
    assert h1.step["loss"] == h2.step["loss"]
    for k in model.params:
        np.testing.assert_array_equal(model.params[k], twin.params[k], err_msg=k)


def test_packed_model_with_l2_and_clipping_takes_the_per_key_path_correctly():
    from mlplab.optim import Momentum

    model = MLP([4, 6, 3], loss="cce", weight_decay=0.1, seed=3).train()
    twin = _unpacked_twin(model).train()
    twin.regularization = dict(model.regularization)
    o1, o2 = Momentum(0.1, clipnorm=0.5), Momentum(0.1, clipnorm=0.5)
    x, t = _data(8, 4, 3, 2)
    for _ in range(3):
        o1.update(model.params, model.gradient(x, t))
        o2.update(twin.params, twin.gradient(x, t))
    for k in model.params:
        np.testing.assert_array_equal(model.params[k], twin.params[k], err_msg=k)


def test_own_affine_arrays_are_not_packed_and_stay_live():
    W, b = np.ones((2, 3)), np.zeros(3)
    model = Sequential([Affine(W, b)], loss="mse")
    assert model.theta is None and model.params["W1"] is W
    model.compile(loss="mse", optimizer="sgd")  # compile packs only arrays mlplab created
    assert model.theta is None and model.params["W1"] is W
    model.fit(np.ones((4, 2)), np.zeros((4, 3)), epochs=1, batch_size=4)
    assert W[0, 0] != 1.0  # trained in place


def test_keras_style_model_is_packed_by_compile_and_pack_is_explicit_otherwise():
    from mlplab.layers import Dense

    model = Sequential([Dense(4, activation="relu", input_dim=3), Dense(2)], seed=0)
    model.compile(loss="cce", optimizer="adam")
    assert model.theta is not None and model.params["W1"].base is model.theta
    own = Sequential([Affine(np.ones((2, 3)), np.zeros(3))], loss="mse").pack()
    assert own.params["W1"].base is own.theta
    np.testing.assert_array_equal(own.params["W1"], np.ones((2, 3)))


def test_load_gives_a_packed_model(tmp_path):
    model = MLP([3, 5, 2], loss="cce", batchnorm=True, seed=0)
    path = model.save(tmp_path / "m.npz")
    back = load(path)
    assert back.theta is not None
    np.testing.assert_array_equal(back.theta, model.theta)


# ----------------------------------------------------------------------------------------------
# losses on logits (issue 12, defect 1): the loss applies its own activation, once
# ----------------------------------------------------------------------------------------------


def test_bce_logits_applies_the_sigmoid_once():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(6, 3))
    t = (rng.random((6, 1)) < 0.5).astype(float)
    bce = MLP([3, 4, 1], activation="tanh", loss="bce", seed=1)
    logits = MLP([3, 4, 1], activation="tanh", loss="bce_logits", seed=1)
    assert bce.loss(x, t) == pytest.approx(0.896383, abs=1e-6)  # BCE-with-logits of z
    assert logits.loss(x, t) == pytest.approx(bce.loss(x, t), rel=1e-14)
    g, g_logits = bce.gradient(x, t), logits.gradient(x, t)
    assert g_logits["W2"][0, 0] == pytest.approx(g["W2"][0, 0], rel=1e-12)
    for k in g:
        np.testing.assert_allclose(g_logits[k], g[k], rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(logits.predict(x), bce.predict(x), rtol=1e-14)
    assert gradcheck(logits, x, t).passed


def test_softmax_cce_applies_the_softmax_once():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(6, 3))
    rng.random((6, 1))  # the data: the bce targets first, then 3-class labels
    t = rng.integers(0, 3, 6)
    model = MLP([3, 4, 3], activation="tanh", loss="softmax_cce", seed=1)
    z = model.forward(x, train=False)
    expected = float(np.mean(np.log(np.exp(z).sum(axis=1)) - z[np.arange(6), t]))
    assert model.loss(x, t) == pytest.approx(expected, rel=1e-14)
    assert model.loss(x, t) == pytest.approx(1.133795, abs=1e-6)  # was 1.104424: softmax twice
    cce = MLP([3, 4, 3], activation="tanh", loss="cce", seed=1)
    for k, g in cce.gradient(x, t).items():
        np.testing.assert_allclose(model.gradient(x, t)[k], g, rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(model.predict(x).sum(axis=1), 1.0, rtol=1e-14)


def test_a_loss_on_logits_refuses_another_output_activation():
    with pytest.raises(ConfigError, match="bce_logits.*sigmoid"):
        MLP([3, 4, 1], output="tanh", loss="bce_logits")
    assert MLP([3, 4, 1], output="identity", loss="bce_logits").loss(
        np.zeros((2, 3)), np.array([[0.0], [1.0]])
    ) == pytest.approx(np.log(2), rel=1e-14)


# ----------------------------------------------------------------------------------------------
# losses_at: the eval loss at many parameter sets in one batched pass


def _losses_loop(model, stacks, x, t):
    """The plain formula losses_at equals: set the parameters, call model.loss, K times."""
    saved = model.get_weights()
    out = []
    for k in range(len(next(iter(stacks.values())))):
        for key in model.params:
            model.params[key][...] = stacks[key][k]
        out.append(model.loss(x, t))
    model.set_weights(saved)
    return np.array(out)


@settings(max_examples=40, deadline=None)
@given(
    seed=st.integers(0, 10**6),
    k=st.integers(1, 7),
    loss=st.sampled_from(["cce", "bce", "mse", "half_sse"]),
    norm=st.sampled_from(["none", "bn", "bn_always", "ln"]),
    decay=st.sampled_from([(0.0, 0.0), (0.1, 0.0), (0.05, 0.02)]),
    dropout=st.sampled_from([0.0, 0.3]),
)
def test_losses_at_equals_loss_in_a_loop(seed, k, loss, norm, decay, dropout):
    c = 1 if loss == "bce" else 3
    bn_kw = {"batch_stats": "always"} if norm == "bn_always" else None
    model = MLP([4, 5, 6, c], loss=loss, batchnorm=norm.startswith("bn"), bn_kw=bn_kw,
                layernorm=norm == "ln", dropout=dropout, weight_decay=decay[0], l1=decay[1],
                seed=seed)  # fmt: skip
    X, y = _data(13, 4, c, seed)
    y = y[:, None] % 2 if loss == "bce" else np.eye(c)[y]
    model.fit(X, y, epochs=1, batch_size=5, verbose=0)  # running statistics that are not 0/1
    rng = np.random.default_rng(seed)
    stacks = {key: p + rng.normal(0, 0.3, (k,) + p.shape) for key, p in model.params.items()}
    before = model.get_weights()
    got = model.losses_at(stacks, X, y, max_bytes=1)  # max_bytes=1: one parameter set per chunk
    assert got.shape == (k,)
    np.testing.assert_allclose(got, _losses_loop(model, stacks, X, y), rtol=1e-13, atol=0)
    np.testing.assert_array_equal(model.losses_at(stacks, X, y), got)  # one chunk: the same
    for key, v in model.get_weights().items():  # the model's own parameters are untouched
        np.testing.assert_array_equal(v, before[key])


def test_losses_at_names_what_is_wrong():
    model = MLP([2, 3, 1], loss="bce", seed=0)
    X, y = np.zeros((4, 2)), np.zeros((4, 1))
    stacks = {key: np.stack([p, p]) for key, p in model.params.items()}
    with pytest.raises(ConfigError, match="needs a stack for every parameter"):
        model.losses_at({"W1": stacks["W1"]}, X, y)
    stacks["b2"] = np.zeros((3, 1))
    with pytest.raises(ShapeError, match=r"stacks\['b2'\] must have shape \(K,\)"):
        model.losses_at(stacks, X, y)


def test_samples_of_several_axes_are_rows_of_their_features():
    """Before: x of shape (N, 1, D) passed the feature check, then kept its middle axis and
    ended in "targets have N rows but predictions have 1" (and Affine stacked N gradients)."""
    rng = np.random.default_rng(0)
    X = rng.normal(size=(40, 2))
    y = (X[:, 0] > 0).astype(int)
    flat, boxed = MLP([2, 4, 2], seed=0), MLP([2, 4, 2], seed=0)
    g, g_boxed = flat.gradient(X, y), boxed.gradient(X[:, None, :], y)
    assert all(np.array_equal(g[k], g_boxed[k]) for k in g)
    assert boxed.loss(X[:, None, :], y) == flat.loss(X, y)
    assert np.array_equal(boxed.predict(X[:, None, :]), flat.predict(X))
    images = rng.normal(size=(6, 2, 3))  # (N, 2, 3): rows of 6 features
    assert MLP([6, 3, 2], seed=0).predict(images).shape == (6, 2)
