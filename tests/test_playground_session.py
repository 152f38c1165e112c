"""Session: TF-parity training, frames, history, presets, import/export."""

import base64
import json
import math

import numpy as np
import pytest

from mlplab.errors import CheckpointError, ConfigError, DataError
from mlplab.playground import schema
from mlplab.playground.data import dataset_thumbnails, quadratic_data
from mlplab.playground.files import export_config, export_csv, export_npz
from mlplab.playground.frames import encode_unit, neuron_outputs, pool
from mlplab.playground.session import Session
from mlplab.playground.snippet import python_snippet


def decode(s):
    return np.frombuffer(base64.b64decode(s), dtype=np.uint8)


def test_default_network_matches_tf_setup():
    s = Session({"seed": 1})
    assert s.sizes() == [2, 4, 2, 1]
    assert len(s.X_train) == 250 and len(s.X_test) == 250
    W1 = s.model.params["W1"]
    assert np.all((W1 >= -0.5) & (W1 < 0.5))
    assert np.allclose(s.model.params["b1"], 0.1)
    assert s.output_name == "tanh" and s.loss_name == "half_sse"


def test_training_lowers_loss_and_counts_epochs():
    s = Session({"seed": 2, "initSeed": 1})
    before = s.loss_train
    assert s.run_epochs(30) == 30
    assert s.epoch == 30
    assert s.loss_train < before * 0.5
    assert s.acc_train > 0.9


def test_learning_rate_is_live_without_reset():
    s = Session({"seed": 3})
    s.run_epochs(3)
    w = s.model.params["W1"].copy()
    r = s.update_state({"learningRate": 0.3})
    assert r == {"data": False, "reset": False}
    assert s.epoch == 3 and np.array_equal(w, s.model.params["W1"])
    assert s.optimizer.lr == 0.3


def test_activation_change_resets_and_dataset_change_regenerates():
    s = Session({"seed": 4})
    s.run_epochs(2)
    assert s.update_state({"activation": "relu"}) == {"data": False, "reset": True}
    assert s.epoch == 0
    X = s.X_train.copy()
    assert s.update_state({"dataset": "xor"})["data"]
    assert not np.array_equal(X, s.X_train)


def test_reset_same_restores_initial_weights_and_redraw_changes_them():
    s = Session({"seed": 5})
    init = {k: v.copy() for k, v in s.model.params.items()}
    s.run_epochs(5)
    assert not np.array_equal(init["W1"], s.model.params["W1"])
    s.reset(same=True)
    assert s.epoch == 0
    for k in init:
        assert np.array_equal(init[k], s.model.params[k])
    s.reset(same=False)
    assert not np.array_equal(init["W1"], s.model.params["W1"])


def test_same_seed_reproduces_data_and_weights():
    a, b = Session({"seed": 9, "dataset": "spiral"}), Session({"seed": 9, "dataset": "spiral"})
    assert np.array_equal(a.X_train, b.X_train)
    assert np.array_equal(a.model.params["W2"], b.model.params["W2"])


def test_regenerate_keeps_network():
    s = Session({"seed": 6})
    w = s.model.params["W1"].copy()
    X = s.X_train.copy()
    s.regenerate()
    assert np.array_equal(w, s.model.params["W1"]) and not np.array_equal(X, s.X_train)


def tf_reference_epochs(s, epochs):
    """TF's ``oneStep`` loop, point by point (nn.ts ``backProp`` / ``updateWeights``).

    Accumulates per-point gradients, updates at ``(i + 1) % batchSize == 0`` with the mean
    of everything accumulated, then regularizes weights with R' at the pre-step weight;
    under L1 a weight crossing zero becomes 0 and dead (skipped from then on).
    """
    p, lr = s.model.params, s.state["learningRate"]
    kind, lam, bs = s.state["regularization"], s.state["regularizationRate"], s.state["batchSize"]
    dead = {k: np.zeros(v.shape, bool) for k, v in p.items() if k.startswith("W")}
    acc, cnt = {k: np.zeros_like(v) for k, v in p.items()}, 0
    for _ in range(epochs):
        for i in range(len(s.Xf_train)):
            g = s.model.gradient(s.Xf_train[i : i + 1], s.T_train[i : i + 1])
            for k in acc:
                acc[k] += g[k]
            cnt += 1
            if (i + 1) % bs == 0:
                for k in p:
                    w_old = p[k].copy()
                    step = p[k] - lr * acc[k] / cnt
                    if k in dead and kind == "L1":
                        new = step - lr * lam * np.sign(w_old)
                        dead[k] |= step * new < 0
                        step = np.where(dead[k], 0.0, new)
                    elif k in dead and kind == "L2":
                        step = step - lr * lam * w_old
                    p[k][...] = step
                    acc[k][...] = 0
                cnt = 0
    return dead


@pytest.mark.parametrize("reg", [("none", 0.0), ("L1", 0.3), ("L2", 0.1)])
def test_epochs_match_tf_point_by_point_loop(reg):
    state = {"seed": 7, "batchSize": 30, "regularization": reg[0], "regularizationRate": reg[1]}
    a, b = Session(state), Session(state)  # 250 points: 8 updates, 10 carried per epoch
    a.run_epochs(3)
    dead = tf_reference_epochs(b, 3)
    for k in a.model.params:
        np.testing.assert_allclose(a.model.params[k], b.model.params[k], rtol=1e-9, atol=1e-12)
    for k in dead:
        assert np.array_equal(a.dead[k], dead[k])
    assert (sum(int(m.sum()) for m in dead.values()) > 0) == (reg[0] == "L1")


def test_partial_batch_keeps_the_accumulated_gradient(monkeypatch):
    s = Session({"seed": 7, "batchSize": 30})
    s.run_epochs(1)
    acc, m = s.carry
    assert m == 10
    g = s.model.gradient(s.Xf_train[-10:], s.T_train[-10:])
    for k in g:
        np.testing.assert_allclose(acc[k], 10 * g[k])
    # new data (TF Regenerate keeps the network and the accumulated derivatives): the
    # first update of the next epoch uses the stored sum, not the new data's last points
    s.regenerate()
    assert s.carry[0] is acc
    from mlplab.playground import epoch

    seen = []
    orig = epoch.optimizer_step
    monkeypatch.setattr(
        epoch,
        "optimizer_step",
        lambda model, grads, opt: (
            seen.append({k: v.copy() for k, v in grads.items()}),
            orig(model, grads, opt),
        ),
    )
    w = {k: v.copy() for k, v in s.model.params.items()}
    g_new = s.model.gradient(s.Xf_train[:30], s.T_train[:30])
    g_new = {k: v.copy() for k, v in g_new.items()}
    for k in w:
        s.model.params[k][...] = w[k]
    s.run_epochs(1)
    assert len(seen) == 8
    for k in g_new:
        np.testing.assert_allclose(seen[0][k], (acc[k] + 30 * g_new[k]) / 40)
    recomputed = s.model.gradient(s.Xf_train[-10:], s.T_train[-10:])
    assert not np.allclose(seen[0]["W1"], (10 * recomputed["W1"] + 30 * g_new["W1"]) / 40)
    assert s.carry[1] == 10
    s.reset(same=True)
    assert s.carry is None


def test_batch_larger_than_data_still_trains():
    s = Session({"problem": "multiclass", "mcDataset": "xor", "batchSize": 10})
    w = s.model.params["W1"].copy()
    s.run_epochs(1)
    assert not np.array_equal(w, s.model.params["W1"]) and s.carry is None


def test_l1_kills_weights_that_cross_zero_and_freezes_them():
    s = Session({"seed": 1, "regularization": "L1", "regularizationRate": 0.3})
    s.run_epochs(5)
    n_dead = sum(int(m.sum()) for m in s.dead.values())
    assert n_dead > 0
    for k, m in s.dead.items():
        assert np.all(s.model.params[k][m] == 0.0)
    before = {k: m.copy() for k, m in s.dead.items()}
    s.run_epochs(5)
    for k, m in s.dead.items():
        assert np.all(m[before[k]])  # once dead, always dead
        assert np.all(s.model.params[k][m] == 0.0)
    f = s.frame()
    listed = sum(len(v) for v in f["dead"].values())
    assert listed == sum(int(m.sum()) for m in s.dead.values())
    k = next(iter(f["dead"]))
    i, j = f["dead"][k][0]
    s.edit(k, [i, j], 0.25)  # editing brings a weight back
    assert not s.dead[k][i, j] and s.model.params[k][i, j] == 0.25
    s.reset(same=True)
    assert not any(m.any() for m in s.dead.values())
    assert s.frame()["dead"] == {}


def test_l2_does_not_kill_weights():
    s = Session({"seed": 1, "regularization": "L2", "regularizationRate": 0.3})
    s.run_epochs(5)
    assert not any(m.any() for m in s.dead.values())


def test_redraw_seed_is_in_the_state_and_reproduces_the_weights():
    s = Session({"seed": 4, "initSeed": 10})
    w0 = s.model.params["W1"].copy()
    s.reset(same=False)
    assert s.state["initSeed"] != 10
    assert not np.array_equal(w0, s.model.params["W1"])
    again = Session(dict(s.state))  # what a page restores from the link
    for k in s.model.params:
        assert np.array_equal(s.initial[k], again.model.params[k])
    assert np.array_equal(s.X_train, again.X_train)
    # data seed and init seed are separate
    other = Session({"seed": 5, "initSeed": 10})
    assert np.array_equal(other.model.params["W1"], w0)
    assert not np.array_equal(other.X_train, Session({"seed": 4, "initSeed": 10}).X_train)


def test_seed_from_the_client_makes_new_data():
    s = Session({"seed": 4})
    X = s.X_train.copy()
    assert s.update_state({"seed": 5}) == {"data": True, "reset": True}
    assert not np.array_equal(X, s.X_train)
    w = s.model.params["W1"].copy()
    assert s.update_state({"initSeed": 77}) == {"data": False, "reset": True}
    assert not np.array_equal(w, s.model.params["W1"])


def test_frame_is_json_with_grid_and_thumbnails():
    s = Session({"seed": 8})
    f = s.frame()
    json.dumps(f, allow_nan=False)
    assert decode(f["grid"]).size == 100 * 100
    assert decode(f["thumbs"]).size == (4 + 2 + 1) * 100
    assert set(f["params"]) == {"W1", "b1", "W2", "b2", "W3", "b3"}
    assert f["epoch"] == 0


def test_grid_matches_predict():
    s = Session({"seed": 8})
    out = s.model.predict(s._grid_in)[:, 0]
    q = decode(s.frame()["grid"]).astype(float) / 127 - 1
    assert np.max(np.abs(q - out)) < 1 / 127 + 1e-9


@pytest.mark.parametrize("state", [{"batchNorm": True}, {"networkShape": [8] * 6}, {}])
def test_the_heatmap_in_float32_shows_the_float64_network(state):
    """The grid is computed by a float32 twin (grid_model): the shades of float64's values."""
    s = Session({"seed": 8, **state})
    s.train(3)
    assert s.grid_model().dtype == np.float32
    s.edit("W1", [0, 0], 1.5)  # the twin follows every change of the weights
    out = s.model.predict(s._grid_in)[:, 0]
    q = decode(s.frame()["grid"]).astype(float) / 127 - 1
    assert np.max(np.abs(q - out)) < 1 / 127 + 1e-6
    s.compact()
    assert s._twin is None  # a detached session holds no grid activations


def test_weights_beyond_float32_draw_with_the_float64_network():
    s = Session({"seed": 8})
    s.model.params["W1"][0, 0] = 1e200  # finite in float64, inf in float32
    assert s.grid_model() is s.model
    out = s.model.predict(s._grid_in)[:, 0]
    q = decode(s.frame()["grid"]).astype(float) / 127 - 1
    assert np.max(np.abs(q - np.nan_to_num(out))) < 1 / 127 + 1e-6


def test_focus_sends_neuron_grid():
    s = Session({"seed": 8})
    s.focus = [0, 1]
    f = s.frame()
    g = decode(f["focusGrid"]).reshape(100, 100)
    th = decode(f["thumbs"])[100:200].reshape(10, 10)
    assert np.abs(pool(g.astype(float)) - th.astype(float)).max() <= 2


def test_divergence_serializes_nan_and_reset_recovers():
    s = Session({"seed": 1, "learningRate": 10.0, "activation": "relu", "problem": "regression"})
    s.run_epochs(50)
    f = s.frame()
    json.dumps(f, allow_nan=False)
    assert f["lossTrain"] is None and f["stopped"] == "diverged"
    g = decode(f["grid"])
    assert 255 in g or np.all((g == 0) | (g == 254))  # NaN grey, or saturated by huge values
    s.reset(same=True)
    assert s.loss_train is not None and math.isfinite(s.loss_train)


def test_history_bounded_and_decimated():
    s = Session({"seed": 1}, history_size=20)
    s.run_epochs(100)
    assert len(s.history) < 20
    assert s.hist_stride >= 4
    assert s.history[-1, 0] <= 100 and np.all(np.diff(s.history[:, 0]) > 0)


def test_stop_conditions():
    s = Session({"seed": 2, "maxEpochs": 5})
    s.playing = True
    assert s.run_epochs(20) == 5 and s.stopped == "maxEpochs" and not s.playing
    s = Session({"seed": 2, "targetLoss": 0.2})
    s.run_epochs(200)
    assert s.stopped == "targetLoss" and s.loss_train <= 0.2


def test_edit_weight_in_place():
    s = Session({"seed": 3})
    s.edit("W2", [1, 0], 2.5)
    assert s.model.params["W2"][1, 0] == 2.5
    s.edit("b3", [0], -0.7)
    assert s.model.params["b3"][0] == -0.7
    with pytest.raises(ConfigError):
        s.edit("W9", [0, 0], 1.0)
    with pytest.raises(ConfigError):
        s.edit("W1", [5, 0], 1.0)


def test_notebook_preset():
    s = Session()
    s.apply_preset("notebook-231")
    assert s.sizes() == [2, 3, 1] and s.output_name == "sigmoid" and s.loss_name == "bce"
    assert np.allclose(s.model.params["W1"], [[0.2, 0.3, 0.8], [0.7, 0.8, 0.3]])
    assert np.allclose(s.model.params["W2"], [[0.3], [0.1], [0.2]])
    assert np.allclose(s.model.params["b1"], 0) and s.model.params["b2"][0] == 0
    X, y = quadratic_data(317)
    assert np.array_equal(s.X_train, X[:100])
    s.run_epochs(3)
    s.reset(same=True)
    assert np.allclose(s.model.params["W1"], [[0.2, 0.3, 0.8], [0.7, 0.8, 0.3]])


def test_multiclass_spiral_softmax():
    s = Session({"problem": "multiclass", "numClasses": 4, "seed": 1, "loss": "crossentropy"})
    assert s.sizes()[-1] == 4 and s.loss_name == "cce"
    s.run_epochs(2)
    f = s.frame()
    assert decode(f["grid"]).max() < 4 and f["conf"] is not None
    assert decode(f["thumbs"]).size == (4 + 2 + 4) * 100


def test_multiclass_loss_choice_switches_the_loss():
    sq = Session({"problem": "multiclass", "seed": 1, "loss": "squared"})
    ce = Session({"problem": "multiclass", "seed": 1, "loss": "crossentropy"})
    assert sq.output_name == ce.output_name == "softmax"
    assert sq.loss_name == "half_sse" and ce.loss_name == "cce"
    for k in sq.model.params:
        assert np.array_equal(sq.model.params[k], ce.model.params[k])
    X, T = sq.Xf_train[:20], sq.T_train[:20]
    p = sq.model.predict(X)
    out_sq, out_ce = sq.model.predict(sq.Xf_train), ce.model.predict(ce.Xf_train)
    assert sq.loss_train == pytest.approx(0.5 * np.sum((out_sq - sq.T_train) ** 2, 1).mean())
    assert ce.loss_train == pytest.approx(-np.log(np.sum(out_ce * ce.T_train, 1)).mean())
    assert np.allclose(p.sum(axis=1), 1.0)
    g_sq, g_ce = sq.model.gradient(X, T), ce.model.gradient(X, T)
    assert not np.allclose(g_sq["W2"], g_ce["W2"])
    num = sq.model.numerical_gradient(X, T)
    g_sq = sq.model.gradient(X, T)
    for k in g_sq:
        np.testing.assert_allclose(g_sq[k], num[k], atol=1e-7)
    # output-layer delta of 1/2||softmax(a) - t||^2: J_softmax^T (p - t)
    q = neuron_outputs(sq.model.layer_outputs(X), sq.model)[-2]  # last hidden activation
    d = p * ((p - T) - np.sum((p - T) * p, axis=1, keepdims=True))
    last = f"W{len(sq.sizes()) - 1}"
    np.testing.assert_allclose(g_sq[last], q.T @ d / len(X), atol=1e-10)


def test_gate_dataset_uses_all_rows():
    s = Session({"problem": "multiclass", "mcDataset": "xor"})
    assert len(s.X_train) == 4 and s.sizes()[-1] == 2


def test_crossentropy_binary():
    s = Session({"loss": "crossentropy", "seed": 1})
    assert s.output_name == "sigmoid"
    s.run_epochs(5)
    assert s.acc_train is not None


def test_regression_has_linear_output_and_no_accuracy():
    s = Session({"problem": "regression", "seed": 1})
    assert s.output_name == "linear" and len(s.X_train) == 600
    assert s.acc_train is None


def test_upload_csv_binary_and_multiclass_and_errors():
    s = Session()
    rng = np.random.default_rng(0)
    X = rng.uniform(-3, 3, (60, 3))
    lab = (X[:, 0] > 0).astype(int)
    text = "a,b,c,label\n" + "\n".join(f"{a},{b},{c},{d}" for (a, b, c), d in zip(X, lab))
    info = s.set_upload(text, cols=(0, 2))
    assert info["problem"] == "classification" and info["plotted"] == ["a", "c"]
    assert s.state["dataset"] == "upload" and len(s.X_train) == 30
    assert set(np.unique(s.y_train)) <= {-1.0, 1.0}
    lab3 = np.digitize(X[:, 0], [-1, 1])
    text3 = "\n".join(f"{a},{b},{d}" for (a, b, _), d in zip(X, lab3))
    assert s.set_upload(text3)["problem"] == "multiclass" and s.sizes()[-1] == 3
    with pytest.raises(DataError, match="line 3"):
        s.set_upload("a,b,c\n1,2,3\n1,2\n4,5,6\n7,8,9\n1,1,1\n")
    with pytest.raises(DataError, match="upload: line 2: text 'x'"):
        s.set_upload("1,2,3\n1,x,3\n1,2,3\n1,2,3\n")
    with pytest.raises(DataError, match="line 5001: more than max_rows=5000"):
        s.set_upload("1,2,3\n" * 5002)
    with pytest.raises(DataError, match="columns"):
        s.set_upload(",".join(["1"] * 33) + "\n")
    with pytest.raises(DataError, match="max_rows=5000"):  # stops reading there
        s.set_upload("1,2,3\n" * 400_000)
    with pytest.raises(DataError, match="max_bytes=2000000"):
        s.set_upload((",".join(["1234567890.1234567"] * 32) + "\n") * 4000)
    with pytest.raises(DataError, match="upload: line 2: .*max_cell_chars=100"):
        s.set_upload("a,b,c\n1," + "2" * 101 + ",0\n")
    # the hints name what the page's user can change (before: Python's header=True, delimiter=';')
    with pytest.raises(DataError) as info:
        s.set_upload("a;b;c\n1;2;0\n3;4;1\n")
    assert str(info.value).endswith(
        "the line looks separated by ';': save the file comma-separated)"
    )
    with pytest.raises(DataError) as info:
        s.set_upload("x,2nd,y\n1,2,0\n3,4,1\n1,1,0\n2,2,1\n")
    assert str(info.value).endswith("(if line 1 is a header, no name on it may look like a number)")


def test_export_csv_roundtrip():
    s = Session({"seed": 1})
    lines = export_csv(s).strip().split("\n")
    assert lines[0] == "x1,x2,label,split" and len(lines) == 501


def test_export_import_npz_and_json():
    a = Session({"seed": 1})
    a.run_epochs(5)
    blob = export_npz(a)
    b = Session({"seed": 2})
    b.import_model(blob)
    for k in a.model.params:
        assert np.allclose(a.model.params[k], b.model.params[k])
    cfg = json.dumps(export_config(a)).encode()
    c = Session({"seed": 3, "networkShape": [3]})
    c.import_model(cfg)
    assert c.sizes() == [2, 4, 2, 1]
    assert np.allclose(a.model.params["W3"], c.model.params["W3"])
    with pytest.raises(CheckpointError):
        c.import_model(b"garbage")
    d = Session({"features": ["x"]})
    with pytest.raises(CheckpointError):
        d.import_model(blob)


def test_python_snippet_runs():
    s = Session({"seed": 1, "regularization": "L2", "regularizationRate": 0.001})
    code = python_snippet(s).replace("range(1000)", "range(2)")
    compile(code, "snippet.py", "exec")
    assert "regularization, lam = 'L2', 0.001" in code
    ns: dict = {"__name__": "__main__"}  # runs the training loop too
    import os
    import tempfile

    cwd = os.getcwd()
    with tempfile.TemporaryDirectory() as d:
        os.chdir(d)
        try:
            exec(code, ns)  # noqa: S102 - our own generated snippet
        finally:
            os.chdir(cwd)
    assert ns["model"].params["W1"].shape == (2, 4)
    assert not np.array_equal(ns["model"].params["W1"], ns["initial"]["W1"])  # it trained


@pytest.mark.parametrize(
    "state",
    [
        {"seed": 4, "noise": 70},
        {"dataset": "quadratic"},
        {"problem": "multiclass", "numClasses": 4, "noise": 30},
        {"problem": "multiclass", "mcDataset": "xor"},
        {"problem": "regression", "regDataset": "reg-gauss", "percTrainData": 30},
        {"init": "he_normal", "regularization": "L2", "regularizationRate": 0.01},
        {"batchNorm": True, "dropout": 0.2, "features": ["xSquared", "sinY"]},
        {"loss": "crossentropy", "initZero": True},
    ],
)
def test_python_snippet_setup_is_the_session_setup(state, tmp_path):
    """Same data (data seed, order, split, targets) and same initial weights (initSeed)."""
    import runpy

    s = Session(state)
    s.reset(same=False)  # new initSeed
    s.regenerate()  # new data seed
    path = tmp_path / "setup.py"
    path.write_text(python_snippet(s))
    ns = runpy.run_path(str(path))  # not __main__: no training
    for mine, theirs in (
        ("x_train", s.Xf_train),
        ("x_test", s.Xf_test),
        ("t_train", s.T_train),
        ("t_test", s.T_test),
    ):
        assert np.array_equal(ns[mine], theirs), mine
    assert ns["initial"].keys() == s.initial.keys()
    for k, v in s.initial.items():
        assert np.array_equal(ns["initial"][k], v), k


def test_python_snippet_keeps_fixed_starting_weights(tmp_path):
    import runpy

    s = Session()
    s.apply_preset("notebook-231")  # the notebook's hand-set 2-3-1 weights
    path = tmp_path / "setup.py"
    path.write_text(python_snippet(s))
    ns = runpy.run_path(str(path))
    assert np.array_equal(ns["x_train"], s.Xf_train)
    for k, v in s.initial.items():
        assert np.array_equal(ns["initial"][k], v), k
    assert ns["initial"]["W1"].tolist() == [[0.2, 0.3, 0.8], [0.7, 0.8, 0.3]]


def test_encode_unit_nan():
    q = decode(encode_unit(np.array([-1.0, 0.0, 1.0, np.nan, 5.0])))
    assert list(q) == [0, 127, 254, 255, 254]


def _four_column_csv(n=200, seed=0):
    """Columns a, b, c, d, label: the label depends on c only (not on the plotted a, b)."""
    rng = np.random.default_rng(seed)
    F = rng.uniform(-3, 3, (n, 4))
    F[:, 3] = F[:, 3] * 2 + 5  # a column with another range
    lab = np.where(F[:, 2] > 0, "yes", "no")
    rows = [",".join(f"{v:.5f}" for v in r) + f",{c}" for r, c in zip(F, lab)]
    return F, "a,b,c,d,label\n" + "\n".join(rows) + "\n"


def test_upload_trains_on_all_chosen_columns_and_plots_a_pair():
    F, text = _four_column_csv()
    s = Session({"seed": 1, "learningRate": 0.1})
    info = s.set_upload(text, cols=(0, 3))
    assert info["problem"] == "classification" and info["classes"] == ["no", "yes"]
    assert info["plotted"] == ["a", "d"] and info["extra"] == ["b", "c"]
    assert s.sizes()[0] == 2 + 2  # x1, x2 features of the pair + the 2 extra columns
    assert s.Xf_train.shape[1] == 4
    # grid: the pair varies over its own range, the extras sit at their mean
    x0, x1, y0, y1 = s.extent
    assert x0 < F[:, 0].min() and x1 > F[:, 0].max() and y0 < F[:, 3].min() < 9 < y1
    # (standardized: the network sees (column - mean) / std, so the mean is 0)
    np.testing.assert_allclose(s._grid_in[:, 2:], 0.0, atol=1e-9)
    np.testing.assert_allclose(info["means"], F[:, 1:3].mean(0), atol=1e-4)
    s.run_epochs(60)
    assert s.acc_train > 0.9  # only column c separates the classes: it is really used
    d = s.data_message()
    assert d["extraInputs"] == ["b", "c"] and d["plotted"] == ["a", "d"]
    assert d["extent"] == s.extent
    assert export_csv(s).split("\n")[0] == "x1,x2,b,c,label,split"
    # a chosen subset: only a, b (the pair) and no extra -> the classes cannot be learnt
    info = s.set_upload(text, cols=(0, 1), features=[0, 1])
    assert info["extra"] == [] and s.sizes()[0] == 2
    s.run_epochs(30)
    assert s.acc_train < 0.8
    with pytest.raises(DataError, match="x column"):
        s.set_upload(text, cols=(4, 1))
    with pytest.raises(DataError, match="different"):
        s.set_upload(text, cols=(1, 1))


def test_upload_label_column_and_regression():
    rng = np.random.default_rng(3)
    F = rng.uniform(-2, 2, (50, 3))
    text = "y,p,q,r\n" + "\n".join(f"{r[0] + r[1]:.4f},{r[0]},{r[1]},{r[2]}" for r in F)
    s = Session()
    info = s.set_upload(text, label=0)
    assert info["problem"] == "regression" and info["label"] == "y"
    assert info["plotted"] == ["p", "q"] and info["extra"] == ["r"]
    assert s.output_name == "linear" and s.sizes()[0] == 3


def test_dataset_thumbnails_are_generated_data():
    th = dataset_thumbnails()
    assert set(th["classification"]) == {"circle", "xor", "gauss", "spiral", "quadratic"}
    assert set(th["regression"]) == {"reg-plane", "reg-gauss"}
    circle = np.array(th["classification"]["circle"]["points"])
    assert circle.shape == (200, 3)
    r = np.hypot(circle[:, 0], circle[:, 1])
    assert np.all((r < 2.5) == (circle[:, 2] > 0))  # noise 0: labels follow the radius exactly
    xor = np.array(th["classification"]["xor"]["points"])
    assert np.all((xor[:, 0] * xor[:, 1] >= 0) == (xor[:, 2] > 0))
    plane = np.array(th["regression"]["reg-plane"]["points"])
    np.testing.assert_allclose(plane[:, 2], (plane[:, 0] + plane[:, 1]) / 10, atol=2e-3)
    assert len(th["multiclass"]["xor"]["points"]) == 4
    json.dumps(th, allow_nan=False)


def _snippet_namespace(s, tmp_path):
    import runpy

    path = tmp_path / "snippet.py"
    path.write_text(python_snippet(s))
    return runpy.run_path(str(path))  # not __main__: the setup and train_epoch


@pytest.mark.parametrize(
    "state",
    [
        # 250 training points in batches of 30: 8 updates and 10 points carried per epoch
        {"batchSize": 30, "learningRate": 0.1, "regularization": "L1", "regularizationRate": 0.03},
        {
            "optimizer": "adam",
            "learningRate": 0.03,
            "lrSchedule": "cosine",
            "maxEpochs": 20,
            "regularization": "L2",
            "regularizationRate": 0.01,
            "batchSize": 7,
        },
        {"problem": "multiclass", "numClasses": 3, "batchNorm": True, "dropout": 0.1},
        {"problem": "regression", "regDataset": "reg-plane", "lrSchedule": "step", "batchSize": 23},
        {"problem": "multiclass", "mcDataset": "xor", "optimizer": "momentum", "batchSize": 3},
    ],
)
def test_python_snippet_trains_exactly_like_the_page(state, tmp_path):
    """train_epoch of the export gives the session's weights (and dead weights) bit for bit."""
    s = Session(state)
    ns = _snippet_namespace(s, tmp_path)
    for epoch in range(6):
        s.run_epochs(1)
        with np.errstate(all="ignore"):
            ns["run_epoch"](epoch)
        for k, v in s.model.params.items():
            assert np.array_equal(ns["model"].params[k], v), (epoch, k)
    for k, m in s.dead.items():
        assert np.array_equal(ns["epoch_state"].dead[k], m), k
    if state.get("regularization") == "L1":
        assert any(m.any() for m in s.dead.values())  # the case really had dead weights


def test_python_snippet_writes_out_an_upload_with_its_extra_columns(tmp_path):
    _, text = _four_column_csv()
    s = Session({"batchSize": 16})
    s.set_upload(text, cols=(0, 1))
    code = python_snippet(s)
    assert "X, E, y = ..." not in code
    ns = _snippet_namespace(s, tmp_path)
    assert np.array_equal(ns["x_train"], s.Xf_train) and ns["x_train"].shape[1] == s.sizes()[0]
    assert np.array_equal(ns["t_test"], s.T_test)
    for epoch in range(3):
        s.run_epochs(1)
        ns["run_epoch"](epoch)
    for k, v in s.model.params.items():
        assert np.array_equal(ns["model"].params[k], v), k


def test_python_snippet_leaves_a_placeholder_for_a_large_upload(monkeypatch):
    import mlplab.playground.snippet as snippet_mod

    _, text = _four_column_csv()
    s = Session()
    s.set_upload(text)
    monkeypatch.setattr(snippet_mod, "SNIPPET_MAX_NUMBERS", 100)
    code = python_snippet(s)
    assert "X, E, y = ..." in code and "too large" in code
    compile(code, "snippet.py", "exec")


# --- the server's worker: resumable training, compaction, budgets, failed changes ---------------
SLICED = [
    {"seed": 1},
    {"seed": 2, "batchSize": 30},  # TF's carried partial batch across the slices
    {"seed": 3, "regularization": "L1", "regularizationRate": 0.03, "batchSize": 7},
    {"seed": 4, "optimizer": "adam", "lrSchedule": "step", "batchNorm": True, "batchSize": 16},
    {"seed": 5, "problem": "multiclass", "loss": "crossentropy", "batchSize": 1},
]


@pytest.mark.parametrize("state", SLICED)
def test_training_in_time_slices_is_bit_for_bit_whole_epochs(state):
    """The worker trains in ~5 ms slices that end mid-epoch; the numbers stay the same."""
    a, b = Session(state), Session(state)
    a.run_epochs(4)
    calls = 0
    while b.epoch < 4:
        b.train(4 - b.epoch, deadline=0.0)  # a deadline already passed: one mini-batch a call
        calls += 1
    updates = len(b.X_train) // min(b.state["batchSize"], len(b.X_train))
    assert calls == 4 * updates + 1  # the last call only ends the 4th epoch
    assert not b.mid_epoch and b.epoch == a.epoch == 4
    for k in a.model.params:
        assert np.array_equal(a.model.params[k], b.model.params[k]), k
    assert np.array_equal(a.history, b.history, equal_nan=True)
    assert {k: v.tolist() for k, v in a.dead.items()} == {k: v.tolist() for k, v in b.dead.items()}
    assert (a.carry is None) == (b.carry is None)
    if a.carry is not None:
        assert all(np.array_equal(a.carry[0][k], b.carry[0][k]) for k in a.carry[0])


def test_a_change_drops_the_epoch_in_progress():
    s = Session({"seed": 1})
    s.train(1, deadline=0.0)
    assert s.mid_epoch and s.epoch == 0
    s.update_state({"activation": "relu"})
    assert not s.mid_epoch and s.epoch == 0
    assert s.run_epochs(1) == 1 and s.epoch == 1


def test_compact_frees_the_grid_and_changes_nothing():
    import tracemalloc

    state = {"seed": 1, "features": list(schema.FEATURES), "networkShape": [8] * 6}
    tracemalloc.start()
    try:
        a, b = Session(state), Session(state)
        for s in (a, b):
            s.run_epochs(2)
            s.frame()
        before = tracemalloc.get_traced_memory()[0]
        b.compact()
        freed = before - tracemalloc.get_traced_memory()[0]
    finally:
        tracemalloc.stop()
    assert freed > 4_000_000  # the 100x100 grid through 6x8 neurons
    a.run_epochs(3)
    b.run_epochs(3)
    fa, fb = a.frame(), b.frame()
    assert fa == fb


def test_work_per_epoch_has_a_budget():
    """5000 rows x 31 columns into 6x8 neurons blocked the old server ~25 s per frame."""
    rng = np.random.default_rng(0)
    X = rng.normal(size=(5000, 31))
    text = "\n".join(",".join(f"{v:.3f}" for v in row) + f",{int(row[0] > 0)}" for row in X)
    s = Session({"networkShape": [8] * 6, "seed": 1})
    s.run_epochs(2)
    w = s.model.params["W1"].copy()
    with pytest.raises(ConfigError, match=r"at most 1,000,000; this setup has 5,000 x 625"):
        s.set_upload(text)
    assert s.epoch == 2 and np.array_equal(w, s.model.params["W1"])  # nothing changed
    assert s.state["dataset"] == "circle" and s.upload is None
    s.update_state({"networkShape": [4, 2]})
    s.set_upload(text)  # a smaller network takes it
    assert s.work() == (5000, 32 * 4 + 5 * 2 + 3) and s.run_epochs(1) == 1


def test_a_failed_change_keeps_the_trained_network():
    """Before, an invalid change rebuilt the session: the epochs trained so far were lost."""
    s = Session({"seed": 2})
    s.run_epochs(5)
    w = {k: v.copy() for k, v in s.model.params.items()}
    with pytest.raises(ConfigError):
        s.update_state({"dataset": "upload"})  # no upload yet
    assert s.epoch == 5 and s.state["dataset"] == "circle"
    assert all(np.array_equal(w[k], s.model.params[k]) for k in w)
    assert s.run_epochs(1) == 1


def test_upload_values_beyond_the_float_features_are_one_line_errors():
    """A value near 1e308 gave OverflowError, then every step failed until another upload."""
    s = Session({"seed": 1})
    text = "a,b,c\n1,2,0\n3,4,1\n5,1e308,0\n7,8,1\n2,2,0\n"
    with pytest.raises(DataError, match=r"within ±1e\+12; column 'b', data row 3"):
        s.set_upload(text)
    with pytest.raises(DataError, match="column 'c'"):  # a regression target too
        s.set_upload("a,b,c\n1,2,0.5\n3,4,1.5\n5,1,-1e300\n7,8,1\n2,2,0\n")
    assert s.run_epochs(2) == 2 and s.loss_train is not None


@pytest.mark.parametrize(
    ("data", "needle"),
    [
        (b'{"format": "mlplab-playground", "sizes": []}', "'sizes' must list the layer sizes"),
        (b'{"format": "mlplab-playground", "sizes": [2, 4, 2, 1], "params": [1]}', "JSON objects"),
        (
            b'{"format": "mlplab-playground", "state": {"seed": 1' + b"1" * 5000 + b"}}",
            "at most 40",
        ),
        (
            b'{"format": "mlplab-playground", "sizes": [2, 4, 2, 1], "params": {"W1": [[1e999]]}}',
            "float range",
        ),
        (
            b'{"format": "mlplab-playground", "sizes": [2, 3, 1], "params": {"W1": [[1, 2, 3], [1, 2, 3]], "b1": [0, 0]}}',
            "b1 does not fit",
        ),
        (b"PK\x03\x04 not really a zip", "import is corrupt"),
    ],
)
def test_import_errors_are_one_line_and_change_nothing(data, needle):
    s = Session({"seed": 1})
    s.run_epochs(3)
    w = {k: v.copy() for k, v in s.model.params.items()}
    with pytest.raises(CheckpointError) as e:
        s.import_model(data)
    msg = str(e.value)
    assert needle in msg and "\n" not in msg and "/tmp" not in msg, msg
    assert s.epoch == 3 and s.sizes() == [2, 4, 2, 1]
    assert all(np.array_equal(w[k], s.model.params[k]) for k in w)


def _real_units_csv(n=300, seed=0):
    """height (cm), weight (kg), label: overweight by BMI — a linear-ish boundary in real units."""
    rng = np.random.default_rng(seed)
    h = rng.uniform(150, 195, n)
    w = rng.uniform(45, 110, n)
    lab = (w / (h / 100) ** 2 > 25).astype(int)
    rows = [f"{a:.1f},{b:.1f},{c}" for a, b, c in zip(h, w, lab)]
    return '"height, cm",weight,label\n' + "\n".join(rows) + "\n"


def test_uploads_are_standardized_by_default_so_real_units_learn():
    """Columns in cm and kg stay at chance unless standardized (the default for uploads)."""
    text = _real_units_csv()
    raw = Session({"seed": 1, "standardize": False})
    info = raw.set_upload(text)
    assert info["columns"] == ["height, cm", "weight", "label"]  # a quoted comma: one name
    assert info["standardize"] is False
    scaled = Session({"seed": 1})
    assert scaled.state["standardize"] is True
    scaled.set_upload(text)
    for s in (raw, scaled):
        s.run_epochs(100)
    assert scaled.acc_test > 0.9
    assert raw.acc_test < 0.8  # saturated tanh units: stuck near the majority class
    mean, std = scaled.upload["scale"]
    np.testing.assert_allclose(scaled.Xf_train.mean(0), 0, atol=0.15)
    np.testing.assert_allclose(scaled.Xf_train.std(0), 1, atol=0.15)
    d = scaled.data_message()
    assert d["standardized"]["columns"] == ["height, cm", "weight"]
    assert d["standardized"]["mean"] == pytest.approx(mean.tolist(), abs=1e-3)
    assert raw.data_message()["standardized"] is None
    # generated data are never standardized (TF's raw features), whatever the flag
    g = Session({"seed": 1, "standardize": True})
    assert not g.standardized() and np.array_equal(g.Xf_train, g.X_train)


def test_python_snippet_standardizes_an_upload_like_the_page(tmp_path):
    s = Session({"seed": 2, "batchSize": 16})
    s.set_upload(_real_units_csv(120))
    ns = _snippet_namespace(s, tmp_path)
    assert np.array_equal(ns["x_train"], s.Xf_train) and np.array_equal(ns["x_test"], s.Xf_test)
    for epoch in range(3):
        s.run_epochs(1)
        ns["run_epoch"](epoch)
    for k, v in s.model.params.items():
        assert np.array_equal(ns["model"].params[k], v), k


def test_too_many_rows_names_the_limit_and_the_line():
    """5001 data rows: the message says 5000 rows at most and the line of row 5001."""
    rows = "\n".join(f"{i % 7},{i % 5},{i % 2}" for i in range(5001))
    with pytest.raises(DataError) as e:
        Session().set_upload("a,b,label\n" + rows)
    assert (
        "line 5002" in str(e.value) and "5000" in str(e.value) and "5002 rows" not in str(e.value)
    )
    Session().set_upload("a,b,label\n" + rows.rsplit("\n", 1)[0])  # 5000 rows: fine


@pytest.mark.parametrize("optimizer", ["sgd", "momentum", "adam", "rmsprop"])
@pytest.mark.parametrize("reg", [("none", 0.0), ("L1", 0.01), ("L2", 0.01)])
def test_the_packed_optimizer_step_gives_the_numbers_of_the_plain_update(
    monkeypatch, optimizer, reg
):
    """epoch.optimizer_step (one rule call on θ) == opt.update(model.params, grads), bit for
    bit, through carried partial batches (batch 30) and L1's dead weights."""
    from mlplab.playground import epoch

    state = {"seed": 3, "batchSize": 30, "optimizer": optimizer, "learningRate": 0.1,
             "regularization": reg[0], "regularizationRate": reg[1]}  # fmt: skip
    fast = Session(state)
    fast.run_epochs(12)
    monkeypatch.setattr(
        epoch, "optimizer_step", lambda model, grads, opt: opt.update(model.params, grads)
    )
    plain = Session(state)
    plain.run_epochs(12)
    assert (
        "theta" not in plain.optimizer.state
        and "theta" in fast.optimizer.state
        or (optimizer == "sgd")
    )
    for k, w in plain.model.params.items():
        assert np.array_equal(fast.model.params[k], w), k
    for k, d in plain.dead.items():
        assert np.array_equal(fast.dead[k], d), k
