"""Sessions of one shape trained together: one stacked epoch for K sessions.

A class opens the same default network thirty times.  Trained one session after another,
every mini-batch is a dozen tiny NumPy calls per session (a 10 x 4 product, a tanh of 40
numbers), and the calls' overhead, not their arithmetic, fills the core.  Here K sessions
whose networks have the same shape keep training as they would alone, but together: their
parameter vectors are stacked as the rows of one matrix ``Θ (K, P)`` and their points as
``X (K, N, n_in)``; the engine's layers take the leading axis
(:mod:`mlplab.layers`: ``W (K, n_in, n_out)``, ``x @ W`` is K products in one call, ``xᵀ`` is
``x.mT``), so :func:`mlplab.playground.epoch.epoch_updates` runs once for all K::

    for each mini-batch u:                     x_u (K, B, n_in), t_u (K, B, n_out)
        ∂Θ = backprop(Θ, x_u, t_u)             row k: session k's gradient on its own batch
        Θ <- Θ - lr * ∂Θ                       row k: session k's step (SGD; any optimizer)

Speed helper, and only that: the numbers are those of each session's own epoch, bit for bit
(``tests/test_playground_lockstep.py``); in one process 15 default networks train about six
times as fast as one after another (``benchmarks/bench_playground.py --scenario inprocess``).

Which sessions stack (:func:`stack_key`): same layer sizes, activations, output and loss, batch
size, numbers of training and test points, learning rate of the epoch, regularization and its
rate, optimizer (Adam's with the same number of steps: its bias correction uses it), no batch
normalization or dropout (their statistics and random masks are per session), at an epoch
boundary, and a carried partial batch in all or none.  A stacked epoch is not cut into time
slices, so a session with more than :data:`MAX_STACK_UPDATES` mini-batches per epoch (batch 1)
trains alone, and a stack holds at most :data:`MAX_STACK_WORK` rows x parameters.  The scheduler
(:mod:`mlplab.playground.worker`) groups the playing sessions by this key.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Hashable, Sequence

import numpy as np

from mlplab.playground.epoch import EpochState, train_epoch
from mlplab.playground.schema import MAX_WORK

#: The optimizers whose step uses t, the number of updates (Adam's bias correction): their
#: sessions stack only with the same t.
_USES_T = {"adam": "t", "amsgrad": "t"}
MAX_STACK = 32  #: sessions per stack at most
MAX_STACK_WORK = MAX_WORK  #: Σ over a stack of rows x parameters: no more than one session's budget
MAX_STACK_UPDATES = 64  #: a session with more mini-batches per epoch trains alone (in slices)


def stack_key(s) -> Hashable | None:
    """What sessions must share to train as one stack, or None when ``s`` trains alone.

    Parameters
    ----------
    s : mlplab.playground.session.Session
    """
    st = s.state
    opt = s.optimizer
    if (
        set(opt.state) - {"theta"}  # moments of the packed θ only (see epoch.optimizer_step)
        or st["batchNorm"]
        or st["dropout"] > 0
        or s.mid_epoch
        or len(s.Xf_train) > MAX_STACK_UPDATES * st["batchSize"]
        or getattr(s.model, "theta", None) is None
        or s.model.theta.ndim != 1
    ):
        return None
    return (
        tuple(s.sizes()),
        st["activation"],
        s.output_name,
        s.loss_name,
        st["batchSize"],
        len(s.Xf_train),
        len(s.Xf_test),
        s.current_lr(),
        st["regularization"],
        st["regularizationRate"],
        s.fit.carry is None,
        st["optimizer"],
        "theta" in opt.state,  # the moments start at 0 in all or none
        opt.steps.get("theta", 0) if "t" in _USES_T.get(st["optimizer"], "") else None,
    )


def stack_work(s) -> int:
    """Training rows x network parameters of one session (its share of a stacked epoch)."""
    return len(s.Xf_train) * s.model.theta.size


class Stack:
    """K sessions' networks as one: parameters ``Θ (K, P)``, points ``(K, N, ·)``.

    Built from the sessions (their weights, carried gradients and dead weights copied in);
    :meth:`train_epoch` trains all K one epoch; :meth:`unstack` copies the state back.
    """

    def __init__(self, sessions: Sequence) -> None:
        from mlplab.optim import get_optimizer

        first = sessions[0]
        st = first.state
        self.sessions = list(sessions)
        self.model = _stacked_model(
            tuple(first.sizes()),
            st["activation"],
            first.output_name,
            first.loss_name,
            len(sessions),
        )
        self.theta, self.dtheta = self.model.theta, self.model.dtheta
        np.stack([s.model.theta for s in sessions], out=self.theta)  # row k: session k's θ
        self.x = np.stack([s.Xf_train for s in sessions])  # (K, N, n_in)
        self.t = np.stack([s.T_train for s in sessions])  # (K, N, n_out)
        self.x_test = np.stack([s.Xf_test for s in sessions])
        self.t_test = np.stack([s.T_test for s in sessions])
        self.y = np.stack([s.y_train for s in sessions])  # labels (K, N), for the accuracy
        self.y_test = np.stack([s.y_test for s in sessions])
        self.opt = get_optimizer(st["optimizer"], lr=first.current_lr())
        if "theta" in first.optimizer.state:  # the moments, row k session k's
            self.opt.state["theta"] = {
                slot: np.stack([s.optimizer.state["theta"][slot] for s in sessions])
                for slot in self.opt.slots
            }
            self.opt.steps["theta"] = first.optimizer.steps["theta"]
        self.updates = 0  # optimizer steps taken here
        self.fit = EpochState(
            carry=_stack_carry([s.fit.carry for s in sessions]),
            dead={k: np.stack([s.fit.dead[k] for s in sessions]) for k in first.fit.dead},
            any_dead=any(s.fit.any_dead for s in sessions),
        )
        self.batch = st["batchSize"]
        self.regularization = st["regularization"]
        self.lam = st["regularizationRate"]

    def train_epoch(self) -> list[tuple]:
        """One TF epoch for every session of the stack; returns each session's losses and
        accuracies after it (:meth:`Session.metrics` of the stack, for :meth:`Session.end_epoch`)."""
        train_epoch(
            self.model, self.opt, self.x, self.t, self.batch, self.fit,
            self.regularization, self.lam,
        )  # fmt: skip
        m, first = self.model, self.sessions[0]
        loss_tr, acc_tr = first.metrics(m.head.predict(m.forward(self.x, False)), self.t, self.y)
        loss_te, acc_te = first.metrics(
            m.head.predict(m.forward(self.x_test, False)), self.t_test, self.y_test
        )
        if acc_tr is None:
            return [(loss_tr[k], None, loss_te[k], None) for k in range(len(self.sessions))]
        return list(zip(loss_tr, acc_tr, loss_te, acc_te))

    def release(self) -> None:
        """Drop what the reused model's layers keep of the last forward pass (``(K, N, units)``
        arrays for backward): a one-point forward leaves ``(K, 1, units)`` ones."""
        self.model.forward(self.x[:, :1], False)

    def unstack(self) -> None:
        """Copy each session's row back: weights, optimizer moments and step counts, carried
        gradient, dead weights."""
        carry = self.fit.carry
        moments = self.opt.state.get("theta", {})
        steps = self.opt.iterations - self.updates  # since the last unstack
        self.updates = self.opt.iterations
        for k, s in enumerate(self.sessions):
            s.model.theta[...] = self.theta[k]
            if moments:
                own = s.optimizer.state.setdefault("theta", {})
                for slot, rows in moments.items():
                    own[slot] = rows[k].copy()
            if steps:
                s.optimizer.steps["theta"] = s.optimizer.steps.get("theta", 0) + steps
                s.optimizer.iterations += steps
            s.fit.carry = (
                None if carry is None else ({n: g[k] for n, g in carry[0].items()}, carry[1])
            )
            for name, d in self.fit.dead.items():
                s.fit.dead[name][...] = d[k]
            s.fit.any_dead = bool(any(d[k].any() for d in self.fit.dead.values()))


_models = threading.local()  # per thread: a worker thread trains one stack at a time


def _stacked_model(sizes: tuple, activation: str, output: str, loss: str, K: int):
    """An MLP of this shape whose parameters (gradients) are views ``(K, *shape)`` of one
    matrix ``model.theta`` (``model.dtheta``) of shape ``(K, P)``: row k is one session's packed
    θ, in the order of :meth:`Sequential.pack`.  Reused by the thread that built it (a few
    shapes kept); :class:`Stack` writes the sessions' rows into it."""
    cache = _models.__dict__.setdefault("by_shape", {})
    key = (sizes, activation, output, loss, K)
    if key not in cache:
        if len(cache) >= 4:
            cache.clear()
        cache[key] = _new_stacked_model(*key)
    return cache[key]


def _new_stacked_model(sizes: tuple, activation: str, output: str, loss: str, K: int):
    from mlplab.model import MLP

    m = MLP(list(sizes), activation=activation, output=output, loss=loss, init="zeros")
    P = m.theta.size
    theta, dtheta = np.zeros((K, P)), np.zeros((K, P))
    off = 0
    for key, (layer, pname) in m.param_owners.items():
        shape, n = layer.params[pname].shape, layer.params[pname].size
        layer.params[pname] = m.params[key] = theta[:, off : off + n].reshape((K, *shape))
        layer.grads[pname] = dtheta[:, off : off + n].reshape((K, *shape))
        off += n
    m.theta, m.dtheta = theta, dtheta
    return m


def _stack_carry(carries):
    """The sessions' carried gradient sums stacked ``(K, *shape)`` (all carry the same count)."""
    if carries[0] is None:
        return None
    sums = {k: np.stack([c[0][k] for c in carries]) for k in carries[0][0]}
    return sums, carries[0][1]


def train_together(sessions: Sequence, epochs: int, deadline: float | None = None) -> int:
    """Train ``sessions`` (one :func:`stack_key`) ``epochs`` epochs in lock step.

    Each completed epoch ends in every session as :meth:`Session.train`'s would (counter,
    losses, chart, lesson goal, stop condition).  Stops early after the epoch in which the
    ``deadline`` (``time.perf_counter()``) passed, a session stopped, or the key changed
    (an lr schedule's next rate).  Returns the epochs completed (the same for every session).
    """
    done = 0
    with np.errstate(all="ignore"):
        stack = Stack(sessions)
        while done < epochs:
            measured = stack.train_epoch()
            stack.unstack()
            for s, m in zip(sessions, measured):
                s.optimizer.lr = stack.opt.lr
                s.end_epoch(m)
                s.check_stop()
            done += 1
            if any(s.stopped for s in sessions):
                break
            if deadline is not None and time.perf_counter() >= deadline:
                break
            lrs = {s.current_lr() for s in sessions}
            if len(lrs) > 1:  # an lr schedule: sessions at different epochs part here
                break
            stack.opt.lr = lrs.pop()
        stack.release()
    return done
