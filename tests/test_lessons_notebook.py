"""The seed notebook (000/001) reproduced: exact printed numbers, with both gradient methods."""

import numpy as np
import pytest

from mlplab.experiments.lessons_notebook import (
    NOTEBOOK_PARAMS,
    SEED_NUMBERS,
    execute_ann,
    notebook_model,
)
from mlplab.experiments.registry import get_run, resolve_options


def run(name, **given):
    spec = get_run(name)
    return spec.fn(resolve_options(spec, given))


@pytest.mark.parametrize("gradient", ["backprop", "numerical"])
def test_four_cases_print_the_seed_numbers(gradient):
    res = run("notebook-231", gradient=gradient)
    got = [(round(c["loss_train"], 4), round(c["loss_test"], 4)) for c in res.metrics["cases"]]
    assert got == SEED_NUMBERS
    for tr, te in SEED_NUMBERS:
        assert f"loss train: {tr} / loss test: {te}" in res.text
    assert (
        "iter: 1000 / act: relu / lr: 0.01 / btch_size: 1 / epoch: 10 / batch_norm: False"
        in res.text
    )
    assert "batch_norm: True" in res.text.splitlines()[-3]


def test_step_mode_prints_index_74_and_updated_biases():
    res = run("notebook-231", mode="step")
    lines = res.text.splitlines()
    assert lines[0].startswith("index= [74] X = [[0.8216662")
    assert lines[0].endswith("y = [1]")
    assert "Before Update" in lines and "b11: 0 / b12: 0 / b13: 0 / b21: 0" in lines
    after = lines.index("After Update")
    assert lines[after + 1] == "b11: 0.026 / b12: 0.009 / b13: 0.017 / b21: 0.087"


def test_step_mode_numerical_equals_backprop():
    a = run("notebook-231", mode="step", gradient="backprop").metrics["after"]
    b = run("notebook-231", mode="step", gradient="numerical").metrics["after"]
    for k in a:
        assert a[k] == pytest.approx(b[k], abs=1e-7)


def test_custom_knob_runs_one_case():
    res = run("notebook-231", lr=0.05, batch_size=10, epochs=5)
    assert len(res.metrics["cases"]) == 1
    case = res.metrics["cases"][0]
    assert case["iterations"] == 50
    assert "lr: 0.05 / btch_size: 10 / epoch: 5" in case["desc"]
    assert case["loss_train"] < 0.70  # it learned something from 0.69-ish


def test_notebook_model_named_weights_are_the_notebooks():
    m = notebook_model()
    assert dict(m.named) == pytest.approx(NOTEBOOK_PARAMS)
    m.named["w31"] = 0.8
    assert m.params["W2"][0, 0] == 0.8


def test_losses_per_step_are_recorded():
    s = execute_ann(epoch=1, learning_rate=0.1, batch_size=20)
    assert len(s["loss_train"]) == 5 and np.all(np.isfinite(s["loss_test"]))


def test_bn_histogram_lesson_explains_the_effect():
    res = run("notebook-bn-hist")
    m = res.metrics
    assert round(m["no_bn"]["loss_train"], 4) == 0.1336
    assert round(m["bn"]["loss_train"], 4) == 0.4771
    # with BN every unit is active for about half of the points
    assert all(0.4 < f < 0.6 for f in m["bn"]["active_fraction"])
    assert max(m["no_bn"]["active_fraction"]) > 0.75
    assert "batch normalization" in res.text


# ------------------------------------------------------------------ items the notebook draws


def _node_labels(fig):
    return {t.get_text() for t in fig.axes[0].texts}


def test_step_picture_is_sample_0_with_the_whole_set_loss_like_the_notebook():
    """The notebook's graph(params, result) shows sample 0 and the mean loss of all 100 points:
    0.67 before the update on point 74, 0.69 after (not point 74's own loss 0.57 -> 0.50)."""
    res = run("notebook-231", mode="step")
    before, after = res.figures["network_before"], res.figures["network_after"]
    assert "loss=0.67" in _node_labels(before) and "x1=-0.78" in _node_labels(before)
    assert "loss=0.69" in _node_labels(after) and "x2=0.91" in _node_labels(after)
    assert "0.67" in res.captions["network_before"] and "0.69" in res.captions["network_after"]
    step = res.metrics["steps"][0]
    assert round(step["loss_train_before"], 2) == 0.67 and round(step["loss_train"], 2) == 0.69
    assert "step_boundary" in res.figures


def test_in10_to_in12_other_initial_weights():
    """001 In[10]-[12]: w31 = 0.8, w32 = 0.5: graph ay 0.63, y 0.65, loss 0.66 and a boundary."""
    res = run("notebook-231", mode="graph", weights="w31=0.8,w32=0.5")
    assert res.text.splitlines()[0] == "b11: 0 / b12: 0 / b13: 0 / b21: 0"
    assert "ay = 0.63 → y = 0.65" in res.text and "= 0.66" in res.text
    assert {"ay=0.63", "y=0.65", "loss=0.66"} <= _node_labels(res.figures["network"])
    assert "boundary" in res.figures and res.metrics["params"]["w31"] == 0.8
    assert run("notebook-231", mode="graph").metrics["params"]["w32"] == 0.5  # In[10] default
    with pytest.raises(Exception, match="w31=0.8"):
        run("notebook-231", mode="graph", weights="w99=1")


def test_bn_bullets_5_and_6_with_numbers():
    res = run("notebook-bn-hist", lang="ko")
    assert "z3처럼" in res.text and "스케일" in res.text
    no_bn, bn = res.metrics["no_bn"], res.metrics["bn"]
    # bullet 5: without BN only z3 is active for about half the points; BN makes all like z3
    assert no_bn["active_fraction"][0] > 0.7 and abs(no_bn["active_fraction"][2] - 0.5) < 0.1
    assert all(abs(a - 0.5) < 0.1 for a in bn["active_fraction"])
    # bullet 6: with dropout, BN evens out the units' scales
    demo = res.metrics["dropout_scale"]
    assert demo["bn"]["spread"] < demo["no_bn"]["spread"] / 2


def test_execute_ann_erratum_is_in_the_run():
    res = run("notebook-231", lang="ko")
    assert any("execute_ann" in e and "activation" in e for e in res.errata)


def test_no_save_draws_nothing_and_never_imports_matplotlib(tmp_path):
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from mlplab.cli import main\n"
        "assert main(['run', 'notebook-231', '--no-save', '--quiet']) == 0\n"
        "assert 'matplotlib' not in sys.modules, 'matplotlib imported'\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         timeout=120, cwd=tmp_path)  # fmt: skip
    assert out.returncode == 0, out.stderr
    assert not (tmp_path / "runs").exists()


def _execute_ann_loop(batch_size, batch_normalize, epoch, learning_rate, seed=317):
    """The notebook's execute_ann as it reads: one draw, one update, two whole-set losses."""
    from mlplab.data.datasets import quadratic
    from mlplab.data.sampling import BatchSampler

    X, y, X_test, y_test = quadratic()
    model = notebook_model("relu", batch_normalize)
    sampler = BatchSampler(len(y), batch_size, mode="replace", seed=seed, legacy=True)
    loss_train, loss_test = [], []
    for _ in range(int(len(y) / batch_size) * epoch):
        idx = sampler.draw()
        grads = model.gradient(X[idx], y[idx])
        for key in model.params:
            model.params[key] -= learning_rate * grads[key]
        loss_train.append(model.loss(X, y))
        loss_test.append(model.loss(X_test, y_test))
    return np.array(loss_train), np.array(loss_test), dict(model.named)


@pytest.mark.parametrize("case", range(4))
def test_execute_ann_curves_equal_the_notebooks_loop(case):
    # execute_ann evaluates the curves in one batched pass after training (Sequential.losses_at)
    # and draws the indices in bulk: the numbers must be those of the loop, to the last bit
    from mlplab.experiments.lessons_notebook import SEED_CASES

    epoch, lr, bs, bn = SEED_CASES[case]
    s = execute_ann(batch_size=bs, batch_normalize=bn, epoch=epoch, learning_rate=lr)
    loss_train, loss_test, named = _execute_ann_loop(bs, bn, epoch, lr)
    assert np.array_equal(s["loss_train"], loss_train)
    assert np.array_equal(s["loss_test"], loss_test)
    assert s["params"] == named
