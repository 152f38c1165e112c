"""Seed lessons as built-in runs: apple (004), gates (003), gd-1d / gd-2d / losses (002)."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mlplab.errors import ConfigError
from mlplab.experiments.registry import RunResult, get_run, resolve_options


def run(name: str, **given_opts) -> RunResult:
    spec = get_run(name)
    res = spec.fn(resolve_options(spec, given_opts))
    assert isinstance(res, RunResult) and res.name == name
    return res


def test_runs_are_registered_with_their_seed():
    for name, seed in (
        ("apple", "004"),
        ("gates", "003"),
        ("gd-1d", "002"),
        ("gd-2d", "002"),
        ("losses", "002"),
    ):
        spec = get_run(name)
        assert spec.seed == seed and spec.summary
    with pytest.raises(ConfigError):
        resolve_options(get_run("apple"), {"pear": 3})


# ------------------------------------------------------------------------------------ apple
def test_apple_book_numbers():
    res = run("apple")
    m = res.metrics
    a, ao = m["buy_apple"], m["buy_apple_orange"]
    assert a["price"] == pytest.approx(220)
    assert (a["dapple"], a["dapple_num"], a["dtax"]) == pytest.approx((2.2, 110, 200))
    assert ao["price"] == pytest.approx(715)
    got = (ao["dapple"], ao["dapple_num"], ao["dorange"], ao["dorange_num"], ao["dtax"])
    assert got == pytest.approx((2.2, 110, 3.3, 165, 650))
    for key in ("price", "dapple", "dapple_num", "dtax"):
        assert m["value_buy_apple"][key] == pytest.approx(a[key], rel=1e-12)
    for key in ("price", "dorange", "dorange_num", "dtax"):
        assert m["value_buy_apple_orange"][key] == pytest.approx(ao[key], rel=1e-12)
    assert m["layers_and_value_agree"] is True
    assert "rankdir=LR" in m["dot"]["buy_apple"]
    assert "{ price | data 715 | grad 1 }" in m["dot"]["buy_apple_orange"]


def test_apple_text_is_rounded_like_the_book():
    lines = run("apple").text.splitlines()
    for expected in (
        "price: 220",
        "dapple: 2.2",
        "dapple_num: 110",
        "dtax: 200",
        "price: 715",
        "dorange: 3.3",
        "dorange_num: 165",
        "dtax: 650",
    ):
        assert expected in lines
    text = "\n".join(lines)
    assert "110.00000000000001" not in text  # floating-point noise is rounded away
    assert "price         * (all_price, tax)" in text  # the Value trace


@settings(max_examples=25, deadline=None)
@given(
    apple=st.integers(1, 1000),
    apple_num=st.integers(1, 20),
    orange=st.integers(1, 1000),
    orange_num=st.integers(1, 20),
    tax=st.floats(1.0, 1.5),
)
def test_apple_options_follow_the_chain_rule(apple, apple_num, orange, orange_num, tax):
    m = run(
        "apple",
        apple=float(apple),
        apple_num=float(apple_num),
        orange=float(orange),
        orange_num=float(orange_num),
        tax=tax,
    ).metrics["buy_apple_orange"]
    assert m["price"] == pytest.approx((apple * apple_num + orange * orange_num) * tax)
    assert m["dapple"] == pytest.approx(apple_num * tax)
    assert m["dorange_num"] == pytest.approx(orange * tax)
    assert m["dtax"] == pytest.approx(apple * apple_num + orange * orange_num)


# ------------------------------------------------------------------------------------ gates
def test_gate_truth_tables():
    t = run("gates", mlp_epochs=1).metrics["truth_tables"]
    assert t["AND"] == [0, 0, 0, 1]
    assert t["NAND"] == [1, 1, 1, 0]
    assert t["OR"] == [0, 1, 1, 1]
    assert t["XOR"] == [0, 1, 1, 0]


def test_perceptron_rule_learns_and_or_nand_but_not_xor():
    res = run("gates", mlp_epochs=1)
    p = res.metrics["perceptron"]
    for name in ("AND", "OR", "NAND"):
        assert p[name]["converged"] and p[name]["correct"][-1] == 4
        assert p[name]["epochs"] < 20
    assert not p["XOR"]["converged"]
    assert p["XOR"]["epochs"] == 20
    assert max(p["XOR"]["correct"]) < 4
    assert "XOR   not learned in 20 epochs" in res.text


@settings(max_examples=30, deadline=None)
@given(lr=st.floats(0.01, 2.0), epochs=st.integers(1, 60))
def test_perceptron_never_solves_xor(lr, epochs):
    from mlplab.experiments.lessons_basics import GATE_TARGETS, X_GATE, train_perceptron

    r = train_perceptron(X_GATE, GATE_TARGETS["XOR"], lr=lr, epochs=epochs)
    assert not r["converged"] and max(r["correct"]) <= 3
    r = train_perceptron(X_GATE, GATE_TARGETS["AND"], lr=lr, epochs=100)
    assert r["converged"]  # a separable gate is always learned (perceptron convergence theorem)


def test_mlp_learns_xor():
    res = run("gates", seed=0)
    m = res.metrics["mlp"]
    assert m is not None and m["correct"] == 4
    assert m["predicted"] == [0, 1, 1, 0]
    assert m["loss_curve"][-1] < 0.5 * m["loss_curve"][0]
    assert "XOR by MLP: 4/4 correct" in res.text


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_mlp_learns_xor_for_other_seeds(seed):
    from mlplab.experiments.lessons_basics import train_xor_mlp

    assert train_xor_mlp(seed=seed)["correct"] == 4


# ------------------------------------------------------------------------------------ gd-1d
def test_gd_1d_textbook_steps():
    res = run("gd-1d")
    m = res.metrics
    assert m["x"][:3] == pytest.approx([10, 7.2, 5.52])
    assert m["f"][:3] == pytest.approx([59, 27.64, 16.3504])
    assert round(m["f"][2], 2) == 16.35
    assert m["grad"][:2] == pytest.approx([14, 8.4])
    assert len(m["x"]) == 11
    lines = res.text.splitlines()
    assert lines[3].split() == ["0", "10", "59", "14", "-2.8"]
    assert lines[4].split() == ["1", "7.2", "27.64", "8.4", "-1.68"]
    assert lines[5].split()[:3] == ["2", "5.52", "16.3504"]


def test_gd_1d_quiz_verdicts():
    quiz = run("gd-1d").metrics["quiz"]
    assert quiz["0.01"]["verdict"] == "converges slowly"
    assert quiz["0.1"]["verdict"] == "converges"
    assert quiz["0.5"]["verdict"].startswith("converges (reaches")
    assert quiz["0.9"]["verdict"] == "converges, oscillating"
    assert quiz["1"]["verdict"].startswith("oscillates forever")
    assert quiz["1.1"]["verdict"].startswith("diverges")
    assert quiz["1.1"]["f"][-1] > quiz["1.1"]["f"][0]


@settings(max_examples=40, deadline=None)
@given(lr=st.floats(0.01, 1.4).filter(lambda r: abs(r - 0.5) > 0.05), x0=st.floats(-20, 20))
def test_gd_1d_measured_rate_is_one_minus_two_lr(lr, x0):
    from mlplab.experiments.lessons_basics import classify_gd, gradient_descent_1d

    xs = gradient_descent_1d(lambda x: 2 * x - 6, x0, lr, 8)
    verdict, q = classify_gd(xs, 3.0)
    if abs(x0 - 3) < 1e-6:
        return
    assert q == pytest.approx(1 - 2 * lr, rel=1e-6, abs=1e-9)
    assert verdict.startswith("diverges") == (abs(1 - 2 * lr) > 1 + 1e-9)


def test_gd_1d_options_and_errors():
    m = run("gd-1d", x0=0.0, lr=0.25, steps=3, lrs="0.2").metrics
    assert m["x"] == pytest.approx([0, 1.5, 2.25, 2.625])
    assert list(m["quiz"]) == ["0.2"]
    for bad in ("", "a,b", "0.1,-1"):
        with pytest.raises(ConfigError, match="lrs"):
            run("gd-1d", lrs=bad)
    with pytest.raises(ConfigError, match="lr"):
        run("gd-1d", lr=0.0)


def test_gd_1d_figure():
    fig = run("gd-1d").figures["gd_1d"]
    from matplotlib.figure import Figure

    assert isinstance(fig, Figure) and len(fig.axes) == 2


# ------------------------------------------------------------------------------------ gd-2d
def test_gd_2d_quiver_and_race():
    res = run("gd-2d")
    m = res.metrics
    assert m["arrows_point_to_minimum"] is True
    q = m["quiver"]
    X, Y, U, V = (np.array(q[k]) for k in "XYUV")
    np.testing.assert_allclose(U, -2 * X)
    np.testing.assert_allclose(V, -2 * Y)
    race = m["race"]
    assert list(race) == ["SGD", "Momentum", "AdaGrad", "RMSprop", "Adam"]
    assert [race[k]["lr"] for k in race] == [0.95, 0.1, 1.5, 0.1, 0.3]
    f0 = (-7.0) ** 2 / 20 + 2.0**2
    for d in race.values():
        assert len(d["x"]) == len(d["y"]) == 31
        assert (d["x"][0], d["y"][0]) == (-7.0, 2.0)
        assert d["final_f"] < 0.05 * f0  # every optimizer gets close to the minimum
    # SGD on x^2/20 + y^2 has the closed form x_k = -7 (1 - 0.095)^k, y_k = 2 (1 - 1.9)^k
    k = np.arange(31)
    np.testing.assert_allclose(race["SGD"]["x"], -7 * 0.905**k, rtol=1e-12)
    np.testing.assert_allclose(race["SGD"]["y"], 2 * (-0.9) ** k, rtol=1e-12, atol=1e-15)
    assert "SGD" in res.text and "Adam" in res.text
    assert len(res.figures["gd_2d"].axes) == 2


def test_gd_2d_steps_option():
    race = run("gd-2d", steps=3).metrics["race"]
    assert all(len(d["x"]) == 4 for d in race.values())


# ----------------------------------------------------------------------------------- losses
def test_losses_textbook_numbers():
    res = run("losses")
    good, bad = res.metrics["good"], res.metrics["bad"]
    assert abs(good["half_sse"] - 0.03) < 1e-9
    assert abs(bad["half_sse"] - 0.81) < 1e-9
    assert abs(good["mse"] - 0.006) < 1e-9
    assert abs(bad["mse"] - 0.162) < 1e-9
    assert good["cce"] == pytest.approx(-math.log(0.8 + 1e-7), rel=1e-12)
    assert round(good["cce"], 4) == 0.2231
    assert round(bad["cce"], 4) == 2.3026
    lines = res.text.splitlines()
    i = lines.index(">>> MSE(target, y)")
    assert lines[i + 1] == "0.03"
    j = lines.index(">>> MSE(target, y)", i + 1)
    assert lines[j + 1] == "0.81"


def test_losses_agree_with_engine():
    m = run("losses").metrics
    assert m["engine_agrees"] is True
    for key in ("good", "bad"):
        for name in ("half_sse", "mse", "cce"):
            assert m[key]["engine"][name] == pytest.approx(m[key][name], rel=1e-9, abs=1e-12)
