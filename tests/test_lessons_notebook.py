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
    assert lines[-1] == "b11: 0.026 / b12: 0.009 / b13: 0.017 / b21: 0.087"


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
    assert "Batch normalization" in res.text
