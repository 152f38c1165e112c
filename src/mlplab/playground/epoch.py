"""One TensorFlow Playground epoch, in NumPy: the page's training and the Python export's.

TF Playground (``oneStep`` in ``playground.ts`` and ``nn.ts``) trains like this:

* One epoch is one pass over the training points in a fixed order (shuffled once when the
  data are made) in mini-batches of ``batch`` points; each update uses the **mean** gradient
  of its batch, ``w <- w - lr * (1/B) * sum_i dE_i/dw``.
* **Partial last batch.** TF updates when ``(i + 1) % batch == 0`` with ``i`` the index in
  the epoch, so the gradients of the ``r = n mod batch`` leftover points stay accumulated
  and join the first update of the next epoch: with a carried sum ``G_c`` over ``n_c``
  points, that update uses ``(G_c + B * mean_grad(batch)) / (n_c + B)`` (TF's
  ``accErrorDer / n``).  250 points in batches of 30: 8 updates and 10 points carried.
* **Regularization after the step.** After the optimizer step, weights (never biases) get
  ``w <- w - lr * lam * R'(w_old)`` with ``R'(w) = sign(w)`` (L1) or ``w`` (L2), ``w_old``
  the weight before the step.  Under L1 a weight that crosses zero in that step becomes 0
  and **dead**: frozen at 0 until the network is rebuilt.

For a data set smaller than the batch TF never updates; here the batch is then the whole
training set.  The page (:class:`mlplab.playground.session.Session`) runs
:func:`epoch_updates` in short time slices; the exported Python script calls
:func:`train_epoch`: both are this one function.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

import numpy as np


@dataclass
class EpochState:
    """What one epoch hands to the next.

    Attributes
    ----------
    carry : tuple (dict of str -> ndarray, int) or None
        Gradient **sum** of the previous epoch's leftover partial batch, and its number of
        points (applied with the next epoch's first update).
    dead : dict of str -> ndarray of bool
        Per weight matrix (``W1``, ...), the weights L1 killed (frozen at 0).
    """

    carry: tuple[dict[str, np.ndarray], int] | None = None
    dead: dict[str, np.ndarray] = field(default_factory=dict)
    any_dead: bool = False  #: some weight is dead (so the step must keep it at 0)

    @classmethod
    def for_params(cls, params: dict[str, np.ndarray]) -> EpochState:
        """No carried gradient, no dead weight: a new or reset network."""
        dead = {k: np.zeros(v.shape, dtype=bool) for k, v in params.items() if k.startswith("W")}
        return cls(None, dead)


def epoch_updates(
    model,
    opt,
    x: np.ndarray,
    t: np.ndarray,
    batch: int,
    state: EpochState,
    regularization: str = "none",
    lam: float = 0.0,
) -> Iterator[None]:
    """One epoch, yielding after every mini-batch update (so it can run in time slices).

    Parameters
    ----------
    model : mlplab.model.MLP
        Trained in place (``model.params``).
    opt : mlplab.optim.Optimizer
        Its ``lr`` is the epoch's learning rate.
    x : ndarray, shape (N, n_in)
    t : ndarray, shape (N, n_out)
        The training inputs and targets, in the fixed epoch order (or ``(K, N, ·)``: K
        sessions' points for a model whose parameters are stacked, :mod:`~mlplab.playground.lockstep`).
    batch : int
        Points per update (``min(batch, N)`` is used).
    state : EpochState
        Carried gradient and dead weights, updated in place.
    regularization : {"none", "L1", "L2"}
    lam : float
        Regularization rate.
    """
    n = x.shape[-2]  # the points are on axis -2: (N, n_in), or (K, N, n_in) for a stack
    bs = min(batch, n)
    updates, rest = divmod(n, bs)
    for u in range(updates):
        batch_u = slice(u * bs, (u + 1) * bs)
        grads = model.gradient(x[..., batch_u, :], t[..., batch_u, :])
        if u == 0 and state.carry is not None:
            acc, m = state.carry
            for k, g in grads.items():  # in place: the model's own gradient arrays (views of ∂θ)
                g *= bs
                g += acc[k]
                g /= m + bs
            state.carry = None
        update(model, grads, opt, state, regularization, lam)
        yield
    if rest:  # accumulate, do not apply (new arrays: model.gradient reuses its own)
        g = model.gradient(x[..., n - rest :, :], t[..., n - rest :, :])
        state.carry = ({k: rest * v for k, v in g.items()}, rest)


def train_epoch(model, opt, x, t, batch, state, regularization="none", lam=0.0) -> None:
    """One whole epoch: :func:`epoch_updates` run to its end (same arguments)."""
    for _ in epoch_updates(model, opt, x, t, batch, state, regularization, lam):
        pass


def update(
    model,
    grads: dict[str, np.ndarray],
    opt,
    state: EpochState,
    regularization: str = "none",
    lam: float = 0.0,
) -> None:
    """Optimizer step on the data gradient, then TF's regularization step on the weights.

    ``w <- w - lr * lam * R'(w_old)``, ``R'(w) = sign(w)`` (L1) or ``w`` (L2), with ``w_old``
    the weight before the optimizer step.  L1: a weight whose sign flips in that
    regularization step becomes 0 and dead; dead weights stay 0 (``state.dead`` updated in
    place).

    The optimizer step is :func:`optimizer_step`: the same numbers as
    ``opt.update(model.params, grads)``.
    """
    params, dead = model.params, state.dead
    on = regularization != "none" and lam > 0
    old = {k: params[k].copy() for k in dead} if on else {}
    optimizer_step(model, grads, opt)
    if not on and not state.any_dead:
        return
    for k, d in dead.items():
        w = params[k]
        if on and regularization == "L2":
            w -= (opt.lr * lam) * old[k]
        elif on and regularization == "L1":
            new = w - (opt.lr * lam) * np.sign(old[k])
            d |= w * new < 0  # crossed zero in the regularization step
            w[...] = new
        w[d] = 0.0
    state.any_dead = any(d.any() for d in dead.values())


def optimizer_step(model, grads: dict[str, np.ndarray], opt) -> None:
    """``opt.update(model.params, grads)``, as one update of the packed vector θ when it can be.

    Speed helper (tested against the plain call).  A packed model (:meth:`mlplab.model.
    Sequential.pack`) keeps every parameter in one vector ``model.theta`` and every gradient
    in ``model.dtheta``, of which ``params`` and ``grads`` are views.  An element-wise rule
    then gives the same numbers on ``θ`` as on each array, in one call instead of one per
    array: the default net's epoch takes about half the time (``benchmarks/bench_playground.py
    --scenario inprocess``).
    """
    theta, dtheta = getattr(model, "theta", None), getattr(model, "dtheta", None)
    packed = (
        theta is not None
        and opt.elementwise
        and grads.keys() == model.params.keys()
        and all(g.base is dtheta for g in grads.values())
    )
    if packed:
        opt.update({"theta": theta}, {"theta": dtheta})
    else:
        opt.update(model.params, grads)
