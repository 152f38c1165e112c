"""The worked backprop examples as traces (seed 002 textbook, seed 003 slides) and `mlplab trace`."""

import pytest

from mlplab.cli import main
from mlplab.errors import ConfigError
from mlplab.experiments.lessons_backprop import slides_222, textbook_221
from mlplab.experiments.registry import get_run, resolve_options
from mlplab.experiments.trace import parse_matrix, trace_backprop


def run(name, **given):
    spec = get_run(name)
    return spec.fn(resolve_options(spec, given))


def test_textbook_221_trace_numbers():
    res = run("backprop-221")
    m = res.metrics
    assert m["forward"]["a1"] == pytest.approx(0.524979, abs=1e-6)
    assert m["forward"]["a2"] == pytest.approx(0.549834, abs=1e-6)
    assert m["forward"]["out_y"] == pytest.approx(0.709383, abs=1e-6)
    assert m["E"] == pytest.approx(0.251612, abs=1e-6)
    assert m["E_after"] == pytest.approx(0.244687, abs=1e-6)
    assert m["updated"]["w5"] == pytest.approx(0.484645, abs=1e-6)
    assert m["updated"]["w6"] == pytest.approx(0.583918, abs=1e-6)
    # the chain-rule line exactly as the textbook writes it
    assert (
        "∂E/∂w5 = ∂E/∂out_y × ∂out_y/∂net_y × ∂net_y/∂w5 = 0.709383 × 0.206158 × 0.524979 = 0.076775"
        in res.text
    )


def test_slides_222_trace_numbers():
    res = run("backprop-222")
    m = res.metrics
    assert m["E"] == pytest.approx(0.02397190, abs=1e-8)
    assert m["E_after"] == pytest.approx(0.02323634, abs=1e-8)
    want = {"W1": 0.29959556, "W2": 0.24919112, "W3": 0.39964496, "W4": 0.34928991,
            "W5": 0.43703857, "W6": 0.38685205, "W7": 0.69629578, "W8": 0.59624247}  # fmt: skip
    for k, v in want.items():
        assert m["updated"][k] == pytest.approx(v, abs=1e-8)
    assert "E_total = 0.02193381 + 0.00203809 = 0.02397190" in res.text
    assert "= 0.20944600 × 0.23802157 × 0.51998934 = 0.02592286" in res.text


def test_textbook_many_steps():
    res = run("backprop-221", steps=10000)
    assert res.metrics["E_after_10000"] < 1e-4


@pytest.mark.parametrize("fmt,marker", [("markdown", "### forward pass"), ("latex", "$$")])
def test_trace_formats(fmt, marker):
    model, x, t = slides_222()
    text, _ = trace_backprop(model, x, t, lr=0.5, style="slides", decimals=8, fmt=fmt)
    assert marker in text


def test_trace_rejects_bad_input():
    model, x, t = textbook_221()
    with pytest.raises(ConfigError, match="style"):
        trace_backprop(model, x, t, style="fancy")
    with pytest.raises(ConfigError, match="--W1"):
        parse_matrix("0.1 x; 0.2 0.3", "--W1")
    with pytest.raises(ConfigError, match="different lengths"):
        parse_matrix("0.1 0.2; 0.3", "--W1")


def test_trace_cli_any_network(capsys):
    rc = main(["trace", "--W", "0.3 0.4; 0.25 0.35", "--W", "0.45 0.7; 0.4 0.6", "--b", "none",
               "--b", "none", "--x", "0.1 0.2", "--t", "0.4 0.6", "--lr", "0.5", "--decimals", "8"])  # fmt: skip
    out = capsys.readouterr().out
    assert rc == 0 and "E = 0.02323634" in out


def test_trace_cli_shape_mismatch_is_one_line(capsys):
    rc = main(["trace", "--W", "0.3 0.4; 0.25 0.35", "--W", "0.45; 0.4; 0.1", "--x", "0.1 0.2",
               "--t", "0.4"])  # fmt: skip
    err = capsys.readouterr().err
    assert rc == 2 and err.count("\n") == 1 and "--W2" in err
