"""Oracle: 50-step trajectories of all seven optimizers against ``torch.optim`` (float64, 1e-9).

Every run has a learning-rate schedule (step, exponential, cosine, 1/t or constant, compared
with ``torch.optim.lr_scheduler``) and some of L2 / L1, global-norm clipping and value
clipping.  The gradient is a fixed nonlinear function of the current parameters, computed with
NumPy for both sides, so the two trajectories agree only if every update does.

Bridged conventions (listed in ``docs/conventions.md``):

* Momentum / Nesterov keep the learning rate *inside* the velocity (DLfS/Keras:
  v ← m·v − lr·g, w ← w + v); PyTorch keeps b ← m·b + g and steps −lr·b.  The two agree while
  lr is constant; with a schedule the test gives PyTorch lr = 1 and the gradient lr_t·g;
* Adam / AMSGrad fold the bias correction into the step (DLfS/Keras), so ε sits outside it:
  PyTorch's ε is set to ε/√(1 − β2^t) at step t;
* ε defaults to 1e-7 (DLfS/Keras; PyTorch 1e-8 / 1e-10): passed explicitly;
* ``clipnorm`` rescales by c/‖g‖; ``clip_grad_norm_`` by c/(‖g‖ + 1e-6): the test undoes the
  1e-6;
* the cosine schedule stays at ``min_lr`` after ``total_steps``; PyTorch's CosineAnnealingLR
  rises again: the test holds it at ``eta_min``;
* L1/L2 decay is part of mlplab's loss (``MLP(weight_decay=λ, l1=μ)``): its gradient
  λW + μ·sign(W) (:func:`mlplab.functions.weight_penalty_grad`, weights only) is in the gradient
  the optimizer gets, before clipping; PyTorch gets λW + μ·sign(W) added to the weights'
  gradients by hand before clipping (PyTorch's own ``weight_decay`` is compared at a constant
  lr below).

Skipped when PyTorch is not installed: ``pip install -e '.[oracle]'`` (``make test`` tries).
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from mlplab.functions import weight_penalty_grad
from mlplab.optim import get_optimizer, get_schedule

torch = pytest.importorskip(
    "torch", reason="PyTorch is the optional oracle: pip install -e '.[oracle]'"
)
torch.set_num_threads(1)

STEPS, LR0, T_COS = 50, 0.05, 40
SHAPES = {"W1": (4, 3), "b1": (3,), "W2": (3, 2), "b2": (2,)}
_r = np.random.default_rng(2026)
START = {k: _r.normal(size=s) for k, s in SHAPES.items()}
COEF = {k: [_r.normal(size=s) for _ in range(3)] for k, s in SHAPES.items()}


def gradient(params, t):
    """A gradient that depends nonlinearly on the parameters, plus a drifting term like
    mini-batch noise: g = a·tanh(3w) + (0.5 + |b|)·w + c·(1 + sin(1.3·t)).

    The bowl keeps every optimizer finite; the drift keeps g away from a standstill at 0,
    where RMSprop and Adam would divide round-off by round-off and amplify it."""
    grads = {}
    for k in SHAPES:
        a, b, c = COEF[k]
        w = params[k]
        grads[k] = a * np.tanh(3 * w) + (0.5 + np.abs(b)) * w + c * (1.0 + np.sin(1.3 * t))
    return grads


SCHEDULES = {  # mlplab schedule, PyTorch scheduler on an optimizer with lr = LR0
    "constant": (lambda: None, lambda o: None),
    "step": (
        lambda: get_schedule("step", lr=LR0, step_size=7, gamma=0.5),
        lambda o: torch.optim.lr_scheduler.StepLR(o, step_size=7, gamma=0.5),
    ),
    "exponential": (
        lambda: get_schedule("exponential", lr=LR0, decay_rate=0.95, decay_steps=1),
        lambda o: torch.optim.lr_scheduler.ExponentialLR(o, gamma=0.95),
    ),
    "cosine": (
        lambda: get_schedule("cosine", lr=LR0, total_steps=T_COS, min_lr=0.002),
        lambda o: torch.optim.lr_scheduler.CosineAnnealingLR(o, T_max=T_COS, eta_min=0.002),
    ),
    "inverse_time": (
        lambda: get_schedule("inverse_time", lr=LR0, decay=0.1),
        lambda o: torch.optim.lr_scheduler.LambdaLR(o, lambda t: 1.0 / (1.0 + 0.1 * t)),
    ),
}

OWN = {  # mlplab arguments, PyTorch optimizer (lr is set per step)
    "sgd": ({}, lambda ps: torch.optim.SGD(ps, lr=LR0)),
    "momentum": ({"momentum": 0.9}, lambda ps: torch.optim.SGD(ps, lr=1.0, momentum=0.9)),
    "nesterov": (
        {"momentum": 0.9},
        lambda ps: torch.optim.SGD(ps, lr=1.0, momentum=0.9, nesterov=True),
    ),
    "adagrad": ({"eps": 1e-7}, lambda ps: torch.optim.Adagrad(ps, lr=LR0, eps=1e-7)),
    "rmsprop": (
        {"rho": 0.9, "eps": 1e-7},
        lambda ps: torch.optim.RMSprop(ps, lr=LR0, alpha=0.9, eps=1e-7),
    ),
    "adam": ({"eps": 1e-7}, lambda ps: torch.optim.Adam(ps, lr=LR0, eps=1e-7)),
    "amsgrad": ({"eps": 1e-7}, lambda ps: torch.optim.Adam(ps, lr=LR0, eps=1e-7, amsgrad=True)),
}
VELOCITY = ("momentum", "nesterov")  # lr inside the velocity: bridged

FEATURES = {
    "plain": {},
    "l2_l1": {"weight_decay": 0.03, "l1": 0.01},
    "clipnorm": {"clipnorm": 0.5},
    "clipvalue": {"clipvalue": 0.2},
    "everything": {"weight_decay": 0.03, "l1": 0.01, "clipnorm": 0.5, "clipvalue": 0.2},
}


def _mlplab_run(name, schedule, feats, packed):
    if packed:  # all parameters as views of one vector θ, as a model built by MLP keeps them
        theta = np.concatenate([START[k].ravel() for k in SHAPES])
        params, off = {}, 0
        for k, s in SHAPES.items():
            params[k] = theta[off : off + math.prod(s)].reshape(s)
            off += math.prod(s)
    else:
        params = {k: v.copy() for k, v in START.items()}
    l2, l1 = feats.get("weight_decay", 0.0), feats.get("l1", 0.0)
    clip = {k: v for k, v in feats.items() if k.startswith("clip")}
    opt = get_optimizer(name, lr=LR0, schedule=SCHEDULES[schedule][0](), **OWN[name][0], **clip)
    path = []
    for t in range(STEPS):
        grads = gradient(params, t)
        for k in ("W1", "W2"):  # the loss's weight decay, as a model with MLP(weight_decay=l2)
            grads[k] = grads[k] + weight_penalty_grad(params[k], l2, l1)
        opt.update(params, grads)
        path.append({k: v.copy() for k, v in params.items()})
    return path


def _torch_run(name, schedule, feats):
    leaves = {k: torch.tensor(v.copy(), requires_grad=True) for k, v in START.items()}
    weights = [v for k, v in leaves.items() if k.startswith("W")]
    wd = feats.get("weight_decay", 0.0)
    velocity = name in VELOCITY
    opt = OWN[name][1](list(leaves.values()))
    clock = torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=LR0)  # carries the lr
    sched = SCHEDULES[schedule][1](clock)
    path = []
    for t in range(1, STEPS + 1):
        lr = clock.param_groups[0]["lr"] if not (schedule == "cosine" and t - 1 > T_COS) else 0.002
        now = {k: v.detach().numpy() for k, v in leaves.items()}
        for k, g in gradient(now, t - 1).items():
            leaves[k].grad = torch.tensor(g)
        ps = list(leaves.values())
        for w in weights:  # the loss's decay: in the gradient before clipping
            w.grad += wd * w.detach() + feats.get("l1", 0.0) * torch.sign(w.detach())
        if "clipnorm" in feats:
            c = feats["clipnorm"]
            norm = float(torch.nn.utils.clip_grad_norm_(ps, c))
            if norm > c:  # clip_grad_norm_ divides by norm + 1e-6; mlplab by norm
                for p in ps:
                    p.grad *= (norm + 1e-6) / norm
        if "clipvalue" in feats:
            torch.nn.utils.clip_grad_value_(ps, feats["clipvalue"])
        if velocity:  # lr inside the velocity: PyTorch at lr 1 with the gradient lr·g
            for p in ps:
                p.grad *= lr
        else:
            for group in opt.param_groups:
                group["lr"] = lr
        if name in ("adam", "amsgrad"):  # ε outside the folded bias correction
            for group in opt.param_groups:
                group["eps"] = 1e-7 / math.sqrt(1.0 - 0.999**t)
        opt.step()
        if sched is not None:
            clock.step()
            sched.step()
        path.append({k: v.detach().numpy().copy() for k, v in leaves.items()})
    return path


def _compare(ours, theirs):
    """Every parameter after every step to 1e-9 (relative; 1e-10 absolute for the entries that
    L1 keeps near 0, where the last bits of an O(1) value are all that is left)."""
    assert len(ours) == len(theirs) == STEPS
    for step, (a, b) in enumerate(zip(ours, theirs), start=1):
        for k in SHAPES:
            np.testing.assert_allclose(
                a[k], b[k], rtol=1e-9, atol=1e-10, err_msg=f"{k}, step {step}"
            )


CASES = [
    (name, feat, list(SCHEDULES)[(i + j) % len(SCHEDULES)])
    for i, name in enumerate(OWN)
    for j, feat in enumerate(FEATURES)
]


@pytest.mark.parametrize(("name", "feat", "schedule"), CASES)
def test_fifty_steps_agree_with_torch_optim(name, feat, schedule):
    feats = FEATURES[feat]
    theirs = _torch_run(name, schedule, feats)
    _compare(_mlplab_run(name, schedule, feats, packed=False), theirs)
    if not feats:  # the packed whole-vector path (a model's θ) takes the same steps
        _compare(_mlplab_run(name, schedule, feats, packed=True), theirs)


@pytest.mark.parametrize("name", ["momentum", "nesterov"])
def test_momentum_matches_torch_without_the_bridge_at_constant_lr(name):
    """At a constant lr the velocity conventions agree: PyTorch's own lr and weight_decay."""
    feats = {"weight_decay": 0.03}
    leaves = {k: torch.tensor(v.copy(), requires_grad=True) for k, v in START.items()}
    groups = [{"params": [v for k, v in leaves.items() if k.startswith("W")], "weight_decay": 0.03},
              {"params": [v for k, v in leaves.items() if not k.startswith("W")]}]  # fmt: skip
    opt = torch.optim.SGD(groups, lr=LR0, momentum=0.9, nesterov=name == "nesterov")
    theirs = []
    for t in range(STEPS):
        for k, g in gradient({k: v.detach().numpy() for k, v in leaves.items()}, t).items():
            leaves[k].grad = torch.tensor(g)
        opt.step()
        theirs.append({k: v.detach().numpy().copy() for k, v in leaves.items()})
    _compare(_mlplab_run(name, "constant", feats, packed=False), theirs)
