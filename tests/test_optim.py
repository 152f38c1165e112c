"""Tests of mlplab.optim: every rule against its recurrence written out by hand."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from mlplab.errors import CheckpointError, ConfigError, MlplabTypeError, ShapeError
from mlplab.optim import (
    OPTIMIZER_NAMES,
    SCHEDULE_NAMES,
    SGD,
    AdaGrad,
    Adam,
    AMSGrad,
    ConstantLR,
    CosineDecay,
    ExponentialDecay,
    InverseTimeDecay,
    Momentum,
    Nesterov,
    Optimizer,
    RMSprop,
    StepDecay,
    clip_by_global_norm,
    clip_by_value,
    get_optimizer,
    get_schedule,
)

# --------------------------------------------------------------------------------------------
# reference recurrences (plain float64 NumPy, new arrays every step, no shared code)
# --------------------------------------------------------------------------------------------

W0 = np.array([[0.5, -1.0, 2.0], [0.0, 0.25, -0.75]])
GRADS = [
    np.array([[0.1, -0.2, 0.3], [0.4, -0.5, 0.0]]),
    np.array([[-0.3, 0.1, 0.2], [0.05, 0.5, -1.0]]),
    np.array([[0.2, 0.2, -0.1], [-0.4, 0.0, 2.0]]),
]


def ref_sgd(w, gs, lr):
    for g in gs:
        w = w - lr * g
    return w


def ref_momentum(w, gs, lr, m):
    v = np.zeros_like(w)
    for g in gs:
        v = m * v - lr * g
        w = w + v
    return w


def ref_nesterov_dlfs(w, gs, lr, m):
    """DLfS's ``Nesterov.update`` today (after commit 89eadd0, 2021 "Fix Nesterov update function")."""
    w, v = w.copy(), np.zeros_like(w)
    for g in gs:
        w += m * m * v
        w -= (1 + m) * lr * g
        v *= m
        v -= lr * g
    return w


def ref_nesterov_dlfs_2016(w, gs, lr, m):
    """DLfS's ``Nesterov.update`` before that fix: v is updated first, then used."""
    w, v = w.copy(), np.zeros_like(w)
    for g in gs:
        v *= m
        v -= lr * g
        w += m * m * v
        w -= (1 + m) * lr * g
    return w


def ref_nesterov_keras(w, gs, lr, m):
    v = np.zeros_like(w)
    for g in gs:
        v = m * v - lr * g
        w = w + m * v - lr * g
    return w


def ref_adagrad(w, gs, lr, eps):
    h = np.zeros_like(w)
    for g in gs:
        h = h + g * g
        w = w - lr * g / (np.sqrt(h) + eps)
    return w


def ref_rmsprop(w, gs, lr, rho, eps):
    h = np.zeros_like(w)
    for g in gs:
        h = rho * h + (1 - rho) * g * g
        w = w - lr * g / (np.sqrt(h) + eps)
    return w


def ref_adam(w, gs, lr, b1, b2, eps, amsgrad=False):
    m = np.zeros_like(w)
    v = np.zeros_like(w)
    vhat = np.zeros_like(w)
    for t, g in enumerate(gs, start=1):
        m = b1 * m + (1 - b1) * g
        v = b2 * v + (1 - b2) * g * g
        vhat = np.maximum(vhat, v)
        lr_t = lr * math.sqrt(1 - b2**t) / (1 - b1**t)
        w = w - lr_t * m / (np.sqrt(vhat if amsgrad else v) + eps)
    return w


CASES = {
    "sgd": (lambda: SGD(lr=0.1), lambda w, gs: ref_sgd(w, gs, 0.1)),
    "momentum": (
        lambda: Momentum(lr=0.1, momentum=0.9),
        lambda w, gs: ref_momentum(w, gs, 0.1, 0.9),
    ),
    "nesterov": (
        lambda: Nesterov(lr=0.1, momentum=0.8),
        lambda w, gs: ref_nesterov_dlfs(w, gs, 0.1, 0.8),
    ),
    "nesterov_keras": (
        lambda: Nesterov(lr=0.1, momentum=0.8, variant="keras"),
        lambda w, gs: ref_nesterov_keras(w, gs, 0.1, 0.8),
    ),
    "nesterov_dlfs_2016": (
        lambda: Nesterov(lr=0.1, momentum=0.8, variant="dlfs_2016"),
        lambda w, gs: ref_nesterov_dlfs_2016(w, gs, 0.1, 0.8),
    ),
    "adagrad": (lambda: AdaGrad(lr=0.2, eps=1e-7), lambda w, gs: ref_adagrad(w, gs, 0.2, 1e-7)),
    "rmsprop": (
        lambda: RMSprop(lr=0.01, rho=0.9, eps=1e-7),
        lambda w, gs: ref_rmsprop(w, gs, 0.01, 0.9, 1e-7),
    ),
    "adam": (
        lambda: Adam(lr=0.01, beta1=0.9, beta2=0.999, eps=1e-7),
        lambda w, gs: ref_adam(w, gs, 0.01, 0.9, 0.999, 1e-7),
    ),
    "amsgrad": (
        lambda: AMSGrad(lr=0.01, beta1=0.9, beta2=0.999, eps=1e-7),
        lambda w, gs: ref_adam(w, gs, 0.01, 0.9, 0.999, 1e-7, amsgrad=True),
    ),
}


def run(opt, w0, gs, dtype=np.float64, key="W1"):
    params = {key: np.array(w0, dtype=dtype)}
    for g in gs:
        opt.update(params, {key: np.array(g, dtype=dtype)})
    return params[key]


# --------------------------------------------------------------------------------------------
# rules
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(CASES))
@pytest.mark.parametrize("n_steps", [1, 3])
def test_rule_matches_recurrence_float64(name, n_steps):
    make, ref = CASES[name]
    got = run(make(), W0, GRADS[:n_steps])
    want = ref(W0, GRADS[:n_steps])
    assert got.dtype == np.float64
    np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-14)
    assert not np.allclose(got, W0)  # it moved


@pytest.mark.parametrize("name", sorted(CASES))
@pytest.mark.parametrize("n_steps", [1, 3])
def test_rule_matches_recurrence_float32(name, n_steps):
    make, ref = CASES[name]
    opt = make()
    got = run(opt, W0, GRADS[:n_steps], dtype=np.float32)
    want = ref(W0.astype(np.float32).astype(np.float64), GRADS[:n_steps])
    assert got.dtype == np.float32
    for slots in opt.state.values():
        for arr in slots.values():
            assert arr.dtype == np.float32
    np.testing.assert_allclose(got, want, rtol=2e-6, atol=2e-6)


def test_hand_numbers_momentum_and_adam():
    # momentum 0.9, lr 0.1, g = 1 every step: v = -0.1, -0.19, -0.271; w = 0.9, 0.71, 0.439
    p = {"w": np.array([1.0])}
    opt = Momentum(lr=0.1, momentum=0.9)
    seen = []
    for _ in range(3):
        opt.update(p, {"w": np.array([1.0])})
        seen.append(p["w"][0])
    np.testing.assert_allclose(seen, [0.9, 0.71, 0.439], rtol=1e-12)
    # Adam's first step is lr * sign(g) up to eps: lr_t*m/sqrt(v) = lr*sqrt(.001)/.1*.1g/(sqrt(.001)|g|)
    p = {"w": np.array([1.0, 1.0])}
    Adam(lr=0.01).update(p, {"w": np.array([3.0, -0.5])})
    np.testing.assert_allclose(p["w"], [0.99, 1.01], rtol=1e-7)
    # AdaGrad first step is lr * g / (|g| + eps) = lr * sign(g)
    p = {"w": np.array([0.0])}
    AdaGrad(lr=1.5).update(p, {"w": np.array([2.0])})
    np.testing.assert_allclose(p["w"], [-1.5], rtol=1e-6)


def test_nesterov_variants_differ_and_dlfs_form_is_explicit():
    # second step, w0=0, g=1 both steps, lr=0.1, m=0.5
    # default (DLfS today = Keras): v1=-0.1, w1 = 0 + .5*(-.1) - .1 = -0.15;
    #                               v2=-0.15, w2 = w1 + .5*(-.15) - .1
    # dlfs_2016: v1=-0.1, w1 = 0 + .25*(-.1) - 1.5*.1 = -0.175; v2=-0.15, w2 = w1 + .25*(-.15) - .15
    a = run(Nesterov(lr=0.1, momentum=0.5), [0.0], [[1.0], [1.0]])
    b = run(Nesterov(lr=0.1, momentum=0.5, variant="keras"), [0.0], [[1.0], [1.0]])
    c = run(Nesterov(lr=0.1, momentum=0.5, variant="dlfs_2016"), [0.0], [[1.0], [1.0]])
    np.testing.assert_allclose(a, [-0.15 - 0.075 - 0.1], rtol=1e-12)
    np.testing.assert_array_equal(a, b)
    np.testing.assert_allclose(c, [-0.175 - 0.0375 - 0.15], rtol=1e-12)


def test_nesterov_default_is_todays_dlfs_rule():
    """Issue 12: the default is DLfS's code since its 2021 fix; the old code is a named variant."""
    rng = np.random.default_rng(12)
    w0 = rng.normal(size=(4, 3))
    gs = [rng.normal(size=(4, 3)) for _ in range(60)]
    today = ref_nesterov_dlfs(w0, gs, 0.05, 0.9)
    np.testing.assert_allclose(run(Nesterov(lr=0.05), w0, gs), today, rtol=1e-14, atol=1e-15)
    assert Nesterov().variant == "dlfs"
    old = run(Nesterov(lr=0.05, variant="dlfs_2016"), w0, gs)
    np.testing.assert_allclose(old, ref_nesterov_dlfs_2016(w0, gs, 0.05, 0.9), rtol=1e-14)
    # really another trajectory: measured 3 % of the distance travelled
    assert np.linalg.norm(old - today) / np.linalg.norm(today - w0) > 0.01
    assert get_optimizer("nesterov").variant == "dlfs"
    assert get_optimizer({"name": "nesterov", "variant": "dlfs_2016"}).variant == "dlfs_2016"
    with pytest.raises(ConfigError, match="dlfs_2016"):
        Nesterov(variant="dlfs-old")


@pytest.mark.parametrize("name", sorted(CASES))
def test_inplace_same_array_and_grads_untouched(name):
    make, _ = CASES[name]
    opt = make()
    opt.clipnorm, opt.clipvalue = 0.3, 0.25
    w = W0.copy()
    view = w[0]  # a layer holding a view sees the change
    params = {"W1": w, "b1": np.zeros(3)}
    grads = {"W1": GRADS[0].copy(), "b1": np.ones(3)}
    before = {k: v.copy() for k, v in grads.items()}
    for _ in range(2):
        opt.update(params, grads)
    assert params["W1"] is w and not np.allclose(view, W0[0])
    for k in grads:
        np.testing.assert_array_equal(grads[k], before[k])
    assert opt.iterations == 2


@pytest.mark.parametrize("name", sorted(CASES))
def test_state_is_per_key(name):
    make, ref = CASES[name]
    opt = make()
    p = {"W1": W0.copy(), "W2": W0[::-1].copy()}
    # W1 gets three updates, W2 first appears at the third update: it must behave as new
    opt.update(p, {"W1": GRADS[0]})
    opt.update(p, {"W1": GRADS[1]})
    opt.update(p, {"W1": GRADS[2], "W2": GRADS[0]})
    np.testing.assert_allclose(p["W1"], ref(W0, GRADS), rtol=1e-12)
    np.testing.assert_allclose(p["W2"], ref(W0[::-1], GRADS[:1]), rtol=1e-12)
    if opt.state:
        assert set(opt.state) == {"W1", "W2"}
        slot = next(iter(opt.state["W2"]))
        assert opt.state["W2"][slot].shape == W0.shape


def test_state_resets_when_a_parameter_changes_shape():
    opt = Adam(lr=0.01)
    p = {"W1": W0.copy()}
    opt.update(p, {"W1": GRADS[0]})
    opt.update(p, {"W1": GRADS[1]})
    p["W1"] = np.ones((3, 2))  # the playground added a neuron
    opt.update(p, {"W1": GRADS[0].T.copy()})
    np.testing.assert_allclose(
        p["W1"], ref_adam(np.ones((3, 2)), [GRADS[0].T], 0.01, 0.9, 0.999, 1e-7)
    )


def test_state_kept_when_the_array_object_is_replaced_with_same_shape():
    opt = Momentum(lr=0.1, momentum=0.9)
    p = {"W1": W0.copy()}
    opt.update(p, {"W1": GRADS[0]})
    opt.update(p, {"W1": GRADS[1]})
    p["W1"] = p["W1"].copy()  # e.g. weights reloaded into new arrays
    opt.update(p, {"W1": GRADS[2]})
    np.testing.assert_allclose(p["W1"], ref_momentum(W0, GRADS, 0.1, 0.9), rtol=1e-12)


def test_reset_forgets_state():
    opt = Adam(lr=0.01)
    p = {"W1": W0.copy()}
    opt.update(p, {"W1": GRADS[0]})
    opt.reset()
    assert opt.iterations == 0 and opt.state == {}
    p["W1"][...] = W0  # same array object, fresh start
    opt.update(p, {"W1": GRADS[1]})
    np.testing.assert_allclose(p["W1"], ref_adam(W0, GRADS[1:2], 0.01, 0.9, 0.999, 1e-7))


@pytest.mark.parametrize("name", ["sgd", "momentum", "adam", "rmsprop"])
def test_lr_change_between_steps_takes_effect(name):
    make, _ = CASES[name]
    opt = make()
    lrs = [opt.lr, opt.lr * 3.0, opt.lr * 0.5]
    p = {"W1": W0.copy()}
    for lr, g in zip(lrs, GRADS):
        opt.lr = lr
        opt.update(p, {"W1": g})
    # reference: same recurrence with a per-step lr
    w, v, h, m = W0.copy(), np.zeros_like(W0), np.zeros_like(W0), np.zeros_like(W0)
    for t, (lr, g) in enumerate(zip(lrs, GRADS), start=1):
        if name == "sgd":
            w = w - lr * g
        elif name == "momentum":
            v = 0.9 * v - lr * g
            w = w + v
        elif name == "rmsprop":
            h = 0.9 * h + 0.1 * g * g
            w = w - lr * g / (np.sqrt(h) + 1e-7)
        else:
            m = 0.9 * m + 0.1 * g
            h = 0.999 * h + 0.001 * g * g
            w = w - lr * math.sqrt(1 - 0.999**t) / (1 - 0.9**t) * m / (np.sqrt(h) + 1e-7)
    np.testing.assert_allclose(p["W1"], w, rtol=1e-12)
    assert not np.allclose(p["W1"], ref_sgd(W0, GRADS, lrs[0])) or name != "sgd"


# --------------------------------------------------------------------------------------------
# clipping and decay
# --------------------------------------------------------------------------------------------


def test_clipnorm_global_and_per_tensor():
    grads = {"W1": np.array([3.0, 4.0]), "b1": np.array([0.0, 12.0])}  # norms 5, 12; global 13
    p = {"W1": np.zeros(2), "b1": np.zeros(2)}
    SGD(lr=1.0, clipnorm=1.3).update(p, grads)
    np.testing.assert_allclose(p["W1"], [-0.3, -0.4])
    np.testing.assert_allclose(p["b1"], [0.0, -1.2])
    p = {"W1": np.zeros(2), "b1": np.zeros(2)}
    SGD(lr=1.0, clipnorm=1.3, clip_per_tensor=True).update(p, grads)
    np.testing.assert_allclose(p["W1"], [-3 * 1.3 / 5, -4 * 1.3 / 5])
    np.testing.assert_allclose(p["b1"], [0.0, -1.3])
    p = {"W1": np.zeros(2), "b1": np.zeros(2)}
    SGD(lr=1.0, clipnorm=13.5).update(p, grads)  # below the threshold: unchanged gradient
    np.testing.assert_allclose(p["W1"], [-3.0, -4.0])
    np.testing.assert_allclose(p["b1"], [0.0, -12.0])


def test_clipnorm_survives_float32_overflow_of_squares():
    g = np.full(4, 1e30, dtype=np.float32)  # g**2 overflows float32
    p = {"W1": np.zeros(4, dtype=np.float32)}
    SGD(lr=1.0, clipnorm=1.0).update(p, {"W1": g})
    np.testing.assert_allclose(p["W1"], -0.5 * np.ones(4), rtol=1e-6)


def test_clipnorm_then_clipvalue():
    p = {"W1": np.array([5.0, -5.0, 0.0]), "b1": np.array([5.0])}
    g = {"W1": np.array([30.0, -0.05, -40.0]), "b1": np.array([0.0])}
    SGD(lr=1.0, clipnorm=5.0, clipvalue=1.0).update(p, g)
    # g·5/50 = [3, -0.005, -4], then clipped to [-1, 1]
    np.testing.assert_allclose(p["W1"], [4.0, -5.0 + 0.005, 1.0])
    np.testing.assert_array_equal(p["b1"], [5.0])


@pytest.mark.parametrize("arg", ["weight_decay", "weight_decay_lambda", "l1", "decay_keys"])
def test_weight_decay_belongs_to_the_model_not_the_optimizer(arg):
    """Decay has one home (the model's loss): an optimizer refuses it, naming where it goes,
    so MLP(weight_decay=...) plus an optimizer's weight_decay can never decay twice."""
    with pytest.raises(ConfigError, match=rf"^{arg}: weight decay is part of the model.*MLP"):
        get_optimizer("sgd", **{arg: 0.1})
    with pytest.raises(ConfigError, match="MLP"):
        Adam(**{arg: 0.1})


def test_clip_helpers():
    grads = {"a": np.array([3.0, 4.0]), "b": np.array([12.0])}
    new, norm = clip_by_global_norm(grads, 6.5)
    assert norm == pytest.approx(13.0)
    np.testing.assert_allclose(new["a"], [1.5, 2.0])
    np.testing.assert_allclose(new["b"], [6.0])
    np.testing.assert_array_equal(grads["a"], [3.0, 4.0])
    same, norm2 = clip_by_global_norm([np.array([0.3, 0.4])], 1.0)
    assert norm2 == pytest.approx(0.5) and isinstance(same, list)
    np.testing.assert_allclose(same[0], [0.3, 0.4])
    clipped = clip_by_value(grads, 3.5)
    np.testing.assert_array_equal(clipped["a"], [3.0, 3.5])
    np.testing.assert_array_equal(clipped["b"], [3.5])
    with pytest.raises(ConfigError, match="max_norm"):
        clip_by_global_norm(grads, 0.0)
    with pytest.raises(ConfigError, match="clipvalue"):
        clip_by_value(grads, -1.0)


# --------------------------------------------------------------------------------------------
# schedules
# --------------------------------------------------------------------------------------------


def test_schedule_values():
    assert ConstantLR(0.1)(1000) == 0.1
    s = StepDecay(0.1, step_size=10, gamma=0.5)
    assert [s(t) for t in (0, 9, 10, 19, 20, 35)] == pytest.approx(
        [0.1, 0.1, 0.05, 0.05, 0.025, 0.0125]
    )
    e = ExponentialDecay(0.1, decay_rate=0.5, decay_steps=100)
    assert [e(t) for t in (0, 50, 100, 200)] == pytest.approx(
        [0.1, 0.1 / math.sqrt(2), 0.05, 0.025]
    )
    es = ExponentialDecay(0.1, decay_rate=0.5, decay_steps=100, staircase=True)
    assert es(150) == pytest.approx(0.05)
    c = CosineDecay(0.1, total_steps=100, min_lr=0.01)
    assert [c(t) for t in (0, 50, 100, 500)] == pytest.approx([0.1, 0.055, 0.01, 0.01])
    i = InverseTimeDecay(0.05, decay=5e-5)  # NNFS's Adam(learning_rate=0.05, decay=5e-5)
    assert [i(t) for t in (0, 1, 20000)] == pytest.approx([0.05, 0.05 / 1.00005, 0.025])


def test_get_schedule_and_config_round_trip():
    for s in (
        ConstantLR(0.1),
        StepDecay(0.1, 5, 0.5),
        ExponentialDecay(0.1, 0.9, 10),
        CosineDecay(0.1, 50),
        InverseTimeDecay(0.1, 0.01),
    ):
        cfg = json.loads(json.dumps(s.config()))
        s2 = get_schedule(cfg)
        assert type(s2) is type(s) and [s2(t) for t in range(0, 60, 7)] == [
            s(t) for t in range(0, 60, 7)
        ]
    assert set(SCHEDULE_NAMES) == {"constant", "step", "exponential", "cosine", "inverse_time"}
    assert isinstance(get_schedule("Step", lr=0.1, step_size=3), StepDecay)
    assert get_schedule("none", lr=0.2)(99) == 0.2
    f = lambda t: 0.1  # noqa: E731
    assert get_schedule(f) is f
    with pytest.raises(ConfigError, match="schedule must be one of"):
        get_schedule("warmup", lr=0.1)
    with pytest.raises(ConfigError, match="step_size"):
        get_schedule("step", lr=0.1)
    with pytest.raises(ConfigError, match="unknown argument 'gama'"):
        get_schedule("step", lr=0.1, step_size=2, gama=0.5)
    with pytest.raises(ConfigError, match="gamma"):
        StepDecay(0.1, 2, gamma=1.5)
    with pytest.raises(ConfigError, match="min_lr"):
        CosineDecay(0.1, 10, min_lr=0.2)


def test_optimizer_follows_schedule_and_keras_decay_alias():
    # SGD with g = 1: each step subtracts exactly the lr in force
    p = {"W1": np.array([0.0])}
    opt = SGD(lr=1.0, schedule=StepDecay(1.0, step_size=2, gamma=0.1))
    steps = []
    for _ in range(5):
        before = p["W1"][0]
        opt.update(p, {"W1": np.array([1.0])})
        steps.append(before - p["W1"][0])
    assert steps == pytest.approx([1.0, 1.0, 0.1, 0.1, 0.01])
    assert opt.lr == pytest.approx(0.01)
    opt2 = get_optimizer("sgd", learning_rate=0.5, decay=1.0)
    p = {"W1": np.array([0.0])}
    for _ in range(3):
        opt2.update(p, {"W1": np.array([1.0])})
    assert p["W1"][0] == pytest.approx(-(0.5 + 0.25 + 0.5 / 3))
    # a schedule given by name uses the optimizer's lr as its initial value
    opt3 = SGD(lr=0.4, schedule={"name": "cosine", "total_steps": 2})
    assert [opt3.schedule(t) for t in range(3)] == pytest.approx([0.4, 0.2, 0.0])


# --------------------------------------------------------------------------------------------
# checkpoints, config, factory
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(CASES))
def test_state_dict_round_trip_through_npz(name, tmp_path):
    make, _ = CASES[name]
    opt = make()
    opt.clipnorm = 0.5
    p = {"W1": W0.copy(), "b1": np.arange(3.0)}
    grads = [{"W1": g, "b1": g[0]} for g in GRADS]
    for g in grads[:2]:
        opt.update(p, g)
    opt.lr = opt.lr * 0.5  # a live change must be restored too
    path = tmp_path / "opt.npz"
    np.savez(path, **opt.state_dict())
    with np.load(path, allow_pickle=False) as f:
        sd = dict(f)
    opt2 = get_optimizer(json.loads(json.dumps(opt.config())))
    opt2.load_state_dict(sd)
    p2 = {k: v.copy() for k, v in p.items()}
    for g in grads[2:] + grads[:2]:
        opt.update(p, g)
        opt2.update(p2, g)
    for k in p:
        np.testing.assert_array_equal(p[k], p2[k])
    assert opt2.iterations == opt.iterations == 5
    # a fresh optimizer without the state would have gone elsewhere (except for plain SGD)
    if name != "sgd":
        opt3 = get_optimizer(opt.config())
        p3 = {k: v.copy() for k, v in p2.items()}
        opt3.update(p3, grads[0])
        opt.update(p2, grads[0])
        assert not np.allclose(p3["W1"], p2["W1"])


def test_load_state_dict_rejects_other_optimizers_state():
    a = Adam()
    a.update({"W1": np.ones(2)}, {"W1": np.ones(2)})
    with pytest.raises(CheckpointError, match="adam"):
        Momentum().load_state_dict(a.state_dict())
    with pytest.raises(CheckpointError, match="iterations"):
        Adam().load_state_dict({"name": "adam"})
    sd = a.state_dict()
    sd["state/bogus/W1"] = np.ones(2)
    with pytest.raises(CheckpointError, match="bogus"):
        Adam().load_state_dict(sd)


def test_get_optimizer_names_dicts_and_keras_spellings():
    assert OPTIMIZER_NAMES == (
        "sgd",
        "momentum",
        "nesterov",
        "adagrad",
        "rmsprop",
        "adam",
        "amsgrad",
    )
    classes = [SGD, Momentum, Nesterov, AdaGrad, RMSprop, Adam, AMSGrad]
    for n, cls in zip(OPTIMIZER_NAMES, classes):
        assert type(get_optimizer(n.upper())) is cls
    o = Adam()
    assert get_optimizer(o) is o
    # defaults: DLfS / Keras
    assert (SGD().lr, Momentum().lr, Momentum().momentum) == (0.01, 0.01, 0.9)
    assert (AdaGrad().lr, AdaGrad().eps) == (0.01, 1e-7)
    r = RMSprop()
    assert (r.lr, r.rho, r.eps) == (0.001, 0.9, 1e-7)
    a = Adam()
    assert (a.lr, a.beta1, a.beta2, a.eps, a.amsgrad) == (0.001, 0.9, 0.999, 1e-7, False)
    # the slides' Keras calls (seed 003)
    m = get_optimizer("SGD", lr=0.01, momentum=0.9)
    assert type(m) is Momentum and m.momentum == 0.9
    ag = get_optimizer("Adagrad", lr=0.01, epsilon=1e-6)
    assert type(ag) is AdaGrad and ag.eps == 1e-6
    rm = get_optimizer("RMSprop", lr=0.001, rho=0.9, epsilon=1e-06)
    assert type(rm) is RMSprop and rm.eps == 1e-6
    ad = get_optimizer(
        "Adam", lr=0.001, beta_1=0.9, beta_2=0.999, epsilon=None, decay=0.0, amsgrad=False
    )
    assert type(ad) is Adam and ad.eps == 1e-7 and ad.schedule is None
    cl = get_optimizer("Adam", lr=0.0001, clipnorm=1.0)
    assert cl.clipnorm == 1.0 and cl.lr == 0.0001
    assert type(get_optimizer("adam", amsgrad=True)) is AMSGrad
    nk = get_optimizer("sgd", momentum=0.9, nesterov=True)
    assert type(nk) is Nesterov and nk.variant == "dlfs"  # Keras's rule is DLfS's today
    assert type(get_optimizer("sgd", momentum=0.0)) is SGD
    assert get_optimizer("rmsprop", lr=0.01, decay_rate=0.99).rho == 0.99  # DLfS spelling
    assert get_optimizer({"name": "momentum", "lr": 0.2}, momentum=0.5).momentum == 0.5
    for o in (SGD(0.3, clipnorm=0.1), Nesterov(variant="keras"), AMSGrad(clipvalue=1.0)):
        cfg = json.loads(json.dumps(o.config()))
        assert get_optimizer(cfg).config() == o.config()


@pytest.mark.parametrize(
    "call, arg",
    [
        (lambda: SGD(lr=0), "lr"),
        (lambda: SGD(lr=-0.1), "lr"),
        (lambda: get_optimizer("sgd", lr=float("nan")), "lr"),
        (lambda: Momentum(momentum=1.0), "momentum"),
        (lambda: get_optimizer("sgd", momentum=-0.1), "momentum"),
        (lambda: RMSprop(rho=1.2), "rho"),
        (lambda: Adam(beta1=1.0), "beta1"),
        (lambda: get_optimizer("adam", beta_2=2), "beta2"),
        (lambda: Adam(eps=0), "eps"),
        (lambda: SGD(clipnorm=-1), "clipnorm"),
        (lambda: SGD(clipvalue=0), "clipvalue"),
        (lambda: Nesterov(variant="torch"), "variant"),
        (lambda: get_optimizer("adamw"), "optimizer must be one of"),
        (lambda: get_optimizer("sgd", betas=(0.9, 0.99)), "betas"),
        (lambda: get_optimizer({"lr": 0.1}), "name"),
        (lambda: get_optimizer(SGD(), lr=0.1), "lr"),
        (lambda: get_optimizer("adam", decay_rate=0.9), "decay_rate"),
        (lambda: get_optimizer("sgd", decay=-1), "decay"),
    ],
)
def test_bad_arguments_raise_config_error_naming_them(call, arg):
    with pytest.raises(ConfigError, match=arg):
        call()


def test_lr_attribute_validated_and_bad_inputs_to_update():
    opt = SGD()
    with pytest.raises(ConfigError, match="lr"):
        opt.lr = -1.0
    with pytest.raises(MlplabTypeError, match="lr"):
        opt.lr = "fast"
    with pytest.raises(ConfigError, match="'W9'"):
        opt.update({"W1": np.ones(2)}, {"W9": np.ones(2)})
    with pytest.raises(ShapeError, match="W1"):
        opt.update({"W1": np.ones(2)}, {"W1": np.ones(3)})
    with pytest.raises(MlplabTypeError, match="floating"):
        opt.update({"W1": np.ones(2, dtype=int)}, {"W1": np.ones(2)})
    with pytest.raises(MlplabTypeError, match="optimizer must be"):
        get_optimizer(3)
    assert isinstance(opt, Optimizer)


# --------------------------------------------------------------------------------------------
# property tests
# --------------------------------------------------------------------------------------------

shapes = hnp.array_shapes(min_dims=1, max_dims=3, min_side=1, max_side=5)
finite = st.floats(-1e3, 1e3, allow_nan=False, width=64)


@settings(max_examples=40, deadline=None)
@given(
    data=st.data(),
    shape=shapes,
    lr=st.floats(1e-4, 10.0),
    dtype=st.sampled_from([np.float64, np.float32]),
)
def test_sgd_is_w_minus_lr_g_for_any_shape(data, shape, lr, dtype):
    w = data.draw(hnp.arrays(np.float64, shape, elements=finite)).astype(dtype)
    g = data.draw(hnp.arrays(np.float64, shape, elements=finite)).astype(dtype)
    want = w - dtype(lr) * g
    params = {"W": w.copy()}
    for name in ("sgd",):
        get_optimizer(name, lr=lr).update(params, {"W": g})
    assert params["W"].dtype == dtype
    np.testing.assert_allclose(params["W"], want, rtol=1e-6, atol=1e-6 * (1 + np.abs(want).max()))


@settings(max_examples=40, deadline=None)
@given(data=st.data(), shape=shapes, lr=st.floats(1e-4, 1.0))
def test_first_steps_of_all_rules_for_any_shape(data, shape, lr):
    w = data.draw(hnp.arrays(np.float64, shape, elements=finite))
    g = data.draw(hnp.arrays(np.float64, shape, elements=st.floats(0.01, 100.0)))
    sign = data.draw(hnp.arrays(np.float64, shape, elements=st.sampled_from([-1.0, 1.0])))
    g = g * sign
    eps = 1e-7
    # one step from zero state: Momentum = SGD; Adam/AMSGrad/AdaGrad ~ lr*sign(g) up to eps:
    # Adam: lr*sqrt(1-b2)/(1-b1) * (1-b1)*g / (sqrt(1-b2)*|g| + eps)
    for name, want in [
        ("momentum", w - lr * g),
        ("adam", w - lr * g / (np.abs(g) + eps / np.sqrt(0.001))),
        ("amsgrad", w - lr * g / (np.abs(g) + eps / np.sqrt(0.001))),
        ("adagrad", w - lr * g / (np.abs(g) + eps)),
        ("rmsprop", w - lr * g / (np.sqrt(0.1) * np.abs(g) + eps)),
    ]:
        p = {"W": w.copy()}
        get_optimizer(name, lr=lr).update(p, {"W": g})
        np.testing.assert_allclose(p["W"], want, rtol=1e-9, atol=1e-12, err_msg=name)
        if name in ("adam", "amsgrad", "adagrad"):  # adaptive: the first step is at most lr
            assert np.all(np.abs(p["W"] - w) <= lr * (1 + 1e-12) + 1e-12 * np.abs(w))


@settings(max_examples=30, deadline=None)
@given(data=st.data(), shape=shapes, c=st.floats(0.01, 100.0))
def test_global_clip_norm_bounds_the_step(data, shape, c):
    g = data.draw(hnp.arrays(np.float64, shape, elements=finite))
    p = {"W": np.zeros(shape)}
    SGD(lr=1.0, clipnorm=c).update(p, {"W": g})
    n = np.linalg.norm(g)
    assert np.linalg.norm(p["W"]) <= c * (1 + 1e-12) + 1e-12
    if n <= c:
        np.testing.assert_allclose(p["W"], -g)


# --------------------------------------------------------------------------------------------
# behaviour on small problems
# --------------------------------------------------------------------------------------------


def test_adam_converges_on_a_quadratic():
    # f(w) = 0.5 * sum(a * (w - c)**2), gradient a * (w - c)
    a = np.array([1.0, 10.0, 0.1])
    c = np.array([1.0, -2.0, 3.0])
    p = {"W": np.zeros(3)}
    opt = Adam(lr=0.05)
    for _ in range(2000):
        opt.update(p, {"W": a * (p["W"] - c)})
    np.testing.assert_allclose(p["W"], c, atol=1e-3)


def _dlfs_path(opt, steps=30):
    """DLfS ch06 optimizer_compare_naive: f = x**2/20 + y**2 from (-7, 2)."""
    p = {"x": np.array(-7.0), "y": np.array(2.0)}
    for _ in range(steps):
        opt.update(p, {"x": p["x"] / 10.0, "y": 2.0 * p["y"]})
    return float(np.hypot(p["x"], p["y"]))


def test_dlfs_optimizer_comparison_ordering():
    d = {
        "sgd": _dlfs_path(SGD(lr=0.95)),
        "momentum": _dlfs_path(Momentum(lr=0.1)),
        "nesterov": _dlfs_path(Nesterov(lr=0.1)),
        "adagrad": _dlfs_path(AdaGrad(lr=1.5)),
        "adam": _dlfs_path(Adam(lr=0.3)),
    }
    # SGD has a closed form here: x_t = -7 * 0.905**t, y_t = 2 * (-0.9)**t
    assert d["sgd"] == pytest.approx(math.hypot(7 * 0.905**30, 2 * 0.9**30), rel=1e-12)
    # Measured: adagrad 0.120 < adam 0.346 < sgd 0.361 < nesterov 0.690 < momentum 0.901
    # (DLfS's pre-2021 Nesterov, variant="dlfs_2016": 0.526).
    # At these learning rates and only 30 steps Momentum/Nesterov do NOT end closer than SGD
    # (they overshoot along x); DLfS's plot shows smoother paths, not a smaller final distance.
    assert d["adagrad"] < d["adam"] < d["sgd"] < d["nesterov"] < d["momentum"]
    assert d["adagrad"] == pytest.approx(0.120, abs=1e-3)
    assert d["momentum"] == pytest.approx(0.901, abs=1e-3)
    assert all(v < math.hypot(-7, 2) / 7 for v in d.values())  # all made progress


@pytest.mark.parametrize("name", ["momentum", "adam", "rmsprop"])
def test_load_state_dict_into_a_used_optimizer_rewinds_it(name):
    make, _ = CASES[name]
    opt = make()
    p = {"W1": W0.copy()}
    opt.update(p, {"W1": GRADS[0]})
    sd, saved = opt.state_dict(), p["W1"].copy()
    opt.update(p, {"W1": GRADS[1]})
    first = p["W1"].copy()
    opt.update(p, {"W1": GRADS[2]})  # move on, then rewind
    opt.load_state_dict(sd)
    p["W1"][...] = saved  # same array object as before
    opt.update(p, {"W1": GRADS[1]})
    np.testing.assert_array_equal(p["W1"], first)


# ----------------------------------------------------------------------------------------------
# packed parameters: θ and ∂θ updated as one parameter
# ----------------------------------------------------------------------------------------------


def _packed(shapes, rng):
    """params/grads dicts of consecutive views of two vectors θ, ∂θ (like a packed model)."""
    n = sum(math.prod(s) for s in shapes)
    theta, dtheta = rng.standard_normal(n), np.zeros(n)
    params, grads, off = {}, {}, 0
    for i, s in enumerate(shapes):
        size = math.prod(s)
        params[f"W{i}"] = theta[off : off + size].reshape(s)
        grads[f"W{i}"] = dtheta[off : off + size].reshape(s)
        off += size
    return theta, dtheta, params, grads


@pytest.mark.parametrize("name", OPTIMIZER_NAMES)
def test_one_update_of_theta_equals_per_key_updates_and_survives_state_reload(name):
    """The rules are element-wise, so updating θ with ∂θ as one parameter gives bit for bit
    what one update per named array gives, and its state is the per-key states end to end."""
    rng = np.random.default_rng(0)
    theta, dtheta, params, grads = _packed([(3, 4), (4,), (4, 2), (2,)], rng)
    plain = {k: v.copy() for k, v in params.items()}
    o1, o2 = get_optimizer(name, lr=0.1, clipvalue=0.8), get_optimizer(name, lr=0.1, clipvalue=0.8)
    assert o1.elementwise
    for step in range(6):
        dtheta[...] = rng.standard_normal(dtheta.shape)
        o1.update({"theta": theta}, {"theta": dtheta})
        o2.update(plain, {k: g.copy() for k, g in grads.items()})
        if step == 2:  # a checkpoint round trip
            o1.load_state_dict(o1.state_dict())
    for k in params:
        np.testing.assert_array_equal(params[k], plain[k], err_msg=k)
        assert params[k].base is theta  # updated in place
    for slot in o1.slots:
        whole = np.concatenate([o2.state[k][slot].ravel() for k in plain])
        np.testing.assert_array_equal(o1.state["theta"][slot], whole, err_msg=slot)
    assert o1.steps["theta"] == 6 and set(o2.steps.values()) == {6}


def test_norm_clipping_is_not_elementwise():
    assert SGD(0.1).elementwise and SGD(0.1, clipvalue=1.0).elementwise
    assert not SGD(0.1, clipnorm=1.0).elementwise
    assert not SGD(0.1, clipnorm=1.0, clip_per_tensor=True).elementwise
