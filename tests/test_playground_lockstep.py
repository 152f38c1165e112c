"""Sessions of one shape trained in lock step (mlplab.playground.lockstep): the same numbers,
bit for bit, as each session trained alone; and the server stacks the sessions that play."""

import json
from urllib.parse import quote

import numpy as np
import pytest
from starlette.testclient import TestClient

from mlplab.model import MLP
from mlplab.playground import lockstep, worker
from mlplab.playground.frames import clean
from mlplab.playground.server import create_app
from mlplab.playground.session import Session

DATASETS = ["circle", "xor", "gauss", "spiral"]
SEVEN = ["x", "y", "xSquared", "ySquared", "xTimesY", "sinX", "sinY"]

SETUPS = {
    "default": {},
    "batch 30 (10 points carried)": {"batchSize": 30},
    "L1 (dead weights)": {"regularization": "L1", "regularizationRate": 0.01, "learningRate": 0.3},
    "L2": {"regularization": "L2", "regularizationRate": 0.03},
    "regression": {"problem": "regression", "regDataset": "reg-gauss"},
    "lr schedule": {"lrSchedule": "step", "learningRate": 0.1},
    "7 features, 6x8": {"networkShape": [8] * 6, "features": SEVEN},
    "relu, cross-entropy": {"activation": "relu", "loss": "crossentropy"},
    "3 classes, softmax": {"problem": "multiclass", "numClasses": 3},
    "4 classes, cross-entropy": {"problem": "multiclass", "numClasses": 4, "loss": "crossentropy"},
    **{opt: {"optimizer": opt} for opt in ("momentum", "nesterov", "adagrad", "rmsprop")},
    "adam, batch 30": {"optimizer": "adam", "batchSize": 30, "learningRate": 0.01},
    "amsgrad, L1": {"optimizer": "amsgrad", "regularization": "L1", "regularizationRate": 0.003},
}


def sessions(n, **state):
    """``n`` sessions of one setup, each with its own data set, data seed and weights."""
    return [
        Session({"dataset": DATASETS[k % 4], "seed": 7 + k, "initSeed": 1 + k, **state})
        for k in range(n)
    ]


def assert_same(alone, stacked):
    for a, b in zip(alone, stacked):
        assert a.epoch == b.epoch
        assert np.array_equal(a.model.theta, b.model.theta)  # bit for bit
        oa, ob = a.optimizer, b.optimizer
        assert (oa.iterations, oa.steps) == (ob.iterations, ob.steps)
        assert oa.state.keys() == ob.state.keys()
        for k, slots in oa.state.items():
            for slot, arr in slots.items():
                assert np.array_equal(arr, ob.state[k][slot])
        assert np.array_equal(a.history, b.history, equal_nan=True)
        assert (a.loss_train, a.loss_test, a.acc_train, a.acc_test) == (
            b.loss_train,
            b.loss_test,
            b.acc_train,
            b.acc_test,
        )
        assert (a.carry is None) == (b.carry is None)
        if a.carry is not None:
            assert a.carry[1] == b.carry[1]
            for k, g in a.carry[0].items():
                assert np.array_equal(g, b.carry[0][k])
        for k, d in a.dead.items():
            assert np.array_equal(d, b.dead[k])


@pytest.mark.parametrize("setup", SETUPS, ids=list(SETUPS))
def test_a_stack_trains_each_session_as_it_would_train_alone(setup):
    state = SETUPS[setup]
    alone, stacked = sessions(4, **state), sessions(4, **state)
    assert len({lockstep.stack_key(s) for s in stacked}) == 1
    for s in alone:
        s.train(6)
    done = 0
    while done < 6:  # a stack may part after an epoch (lr schedule, first carried batch)
        done += lockstep.train_together(stacked, 6 - done)
    assert_same(alone, stacked)
    if setup.startswith("L1"):
        assert any(d.any() for s in stacked for d in s.dead.values())  # the case is exercised


def test_alone_and_stacked_epochs_interleave():
    alone, mixed = sessions(3, batchSize=30), sessions(3, batchSize=30)
    for s in alone:
        s.train(5)
    mixed[0].train(1)  # one session goes ahead alone, then all train together
    mixed[1].train(1)
    mixed[2].train(1)
    assert lockstep.train_together(mixed, 3) == 3
    for s in mixed:
        s.train(1)
    assert_same(alone, mixed)


def test_a_stack_stops_where_a_session_stops():
    stacked = sessions(3)
    stacked[1].update_state({"maxEpochs": 2})
    assert lockstep.train_together(stacked, 5) == 2
    assert [s.epoch for s in stacked] == [2, 2, 2]
    assert stacked[1].stopped == "maxEpochs" and not stacked[1].playing


def test_what_stacks():
    base = sessions(1)[0]
    key = lockstep.stack_key(base)
    assert key is not None
    assert lockstep.stack_key(sessions(1, dataset="xor", seed=99)[0]) == key  # other data
    for other in (
        {"learningRate": 0.1},
        {"networkShape": [4]},
        {"activation": "relu"},
        {"batchSize": 20},
        {"percTrainData": 70},
    ):
        assert lockstep.stack_key(sessions(1, **other)[0]) not in (None, key), other
    for alone in ({"batchNorm": True}, {"dropout": 0.1}, {"batchSize": 1}):
        assert lockstep.stack_key(sessions(1, **alone)[0]) is None, alone
    adam = sessions(2, optimizer="adam")
    assert lockstep.stack_key(adam[0]) == lockstep.stack_key(adam[1]) != key
    adam[0].train(1)  # Adam's bias correction counts the steps: one epoch ahead, another key
    adam[1].train(2)
    assert lockstep.stack_key(adam[0]) != lockstep.stack_key(adam[1])
    momentum = sessions(2, optimizer="momentum")
    momentum[0].train(1)
    momentum[1].train(2)  # momentum's step does not count: the two stack
    assert lockstep.stack_key(momentum[0]) == lockstep.stack_key(momentum[1])
    mid = sessions(1, batchSize=1, percTrainData=10)[0]  # 25 updates per epoch: it stacks ...
    assert lockstep.stack_key(mid) is not None
    mid.train(1, deadline=0.0)  # ... but not in the middle of an epoch
    assert mid.mid_epoch and lockstep.stack_key(mid) is None


def test_the_stacked_gradient_is_each_networks_gradient():
    """The engine's layers under a leading parameter axis (``.mT`` in Affine's backward)."""
    rng = np.random.default_rng(0)
    nets = [MLP([3, 5, 4, 2], activation="tanh", loss="mse", seed=k) for k in range(4)]
    stack = lockstep._stacked_model((3, 5, 4, 2), "tanh", "identity", "mse", 4)
    np.stack([m.theta for m in nets], out=stack.theta)
    x, t = rng.normal(size=(4, 7, 3)), rng.normal(size=(4, 7, 2))
    stack.gradient(x, t)
    for k, m in enumerate(nets):
        m.gradient(x[k], t[k])
        assert np.array_equal(stack.dtheta[k], m.dtheta)


def test_the_server_trains_playing_sessions_of_one_shape_as_a_stack(monkeypatch):
    stacks = []

    def recording(group, epochs, deadline=None):
        stacks.append(len(group))
        return lockstep.train_together(group, epochs, deadline)

    monkeypatch.setattr(worker, "train_together", recording)
    states = [{"dataset": d, "initSeed": k + 1} for k, d in enumerate(["circle", "xor", "gauss"])]
    with TestClient(create_app(host="0.0.0.0")) as client:
        socks = [client.websocket_connect("/ws?state=" + quote(json.dumps(st))) for st in states]
        sockets = [s.__enter__() for s in socks]
        try:
            for ws in sockets:
                while ws.receive_json()["type"] != "frame":
                    pass
            for ws in sockets:
                ws.send_json({"type": "play"})
            frames = [None] * 3
            for _ in range(60):
                for i, ws in enumerate(sockets):
                    m = ws.receive_json()
                    if m["type"] == "frame":
                        frames[i] = m
            for ws in sockets:
                ws.send_json({"type": "pause"})
        finally:
            for s in socks:
                s.__exit__(None, None, None)
    assert stacks and max(stacks) >= 2  # the playing sessions trained together
    # and each socket's network is the one its session would have trained alone: bit for bit,
    # so the frame's weights (rounded to 5 decimals) are the alone session's, rounded
    for st, f in zip(states, frames):
        alone = Session(st)
        alone.train(f["epoch"])
        assert f["epoch"] > 1
        for key in ("W1", "b1", "W3"):
            assert f["params"][key] == clean(alone.model.params[key]), key
