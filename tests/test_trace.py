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


@pytest.mark.parametrize(
    "fmt,marker", [("markdown", "### forward pass"), ("latex", r"\section*{forward pass}")]
)
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


# ------------------------------------------------------------------ as a learner reads it


def test_backprop_221_diagram_names_z_before_and_a_after_like_the_textbook():
    res = run("backprop-221")
    fig = res.figures["network"]
    labels = {t.get_text() for t in fig.axes[0].texts}
    # z1 = 0.1 is the pre-activation, a1 = σ(0.1) = 0.52 the output, as in the trace
    assert {"z1=0.10", "a1=0.52", "z2=0.20", "a2=0.55", "net_y=0.89", "out_y=0.71"} <= labels
    assert "z1 = w1*x1 + w3*x2 + b1" in res.text and "a1 = sigmoid(z1)" in res.text
    assert "PNG" and res.captions["network"]


def test_backprop_222_diagram_uses_the_slides_names():
    fig = run("backprop-222").figures["network"]
    labels = {t.get_text() for t in fig.axes[0].texts}
    assert {"z1=0.08", "h1=0.52", "z3=0.44", "o1=0.61", "z4=0.68", "o2=0.66"} <= labels


def test_edge_labels_sit_on_a_white_box():
    """The lines of the diagram never strike through a weight label."""
    import re

    from mlplab.viz import network_svg

    model, x, t = slides_222()
    svg = network_svg(model, x[None], t[None])
    labels = re.findall(r'<text class="edge-label"[^>]*x="([\d.]+)" y="([\d.]+)"', svg)
    boxes = re.findall(r'<rect class="label-bg" x="([\d.]+)" y="([\d.]+)" width="([\d.]+)" '
                       r'height="([\d.]+)"[^>]*fill="white"', svg)  # fmt: skip
    assert labels and len(boxes) == len(labels)
    for (lx, ly), (bx, by, bw, bh) in zip(labels, boxes):
        lx, ly, bx, by, bw, bh = map(float, (lx, ly, bx, by, bw, bh))
        assert bx < lx < bx + bw and by < ly < by + bh
        assert svg.index(f'x="{bx:.1f}" y="{by:.1f}"') > svg.rindex("<line")  # drawn on top


def test_errata_are_in_the_output_of_the_run():
    r221, r222 = run("backprop-221"), run("backprop-222")
    assert any("0.892389" in e and "truncat" in e for e in r221.errata)
    assert any("w5(t) + η·∂E/∂w5" in e for e in r221.errata)
    assert any("f′(out_y)" in e for e in r221.errata)
    assert any("0.005775 / 0.000017" in e for e in r221.errata)
    assert any("0.68047" in e and "0.66384" in e for e in r222.errata)
    assert any("W1 is 0.3" in e for e in r222.errata)
    # the textbook's digits beside mlplab's, and why
    assert "0.892389   0.892390" in r221.text and "truncates" in r221.text
    ko = run("backprop-222", lang="ko")
    assert any("0.66384" in e and "옮겨 적은" in e for e in ko.errata)


def test_cli_prints_the_errata_after_the_output(capsys):
    assert main(["run", "backprop-222", "--no-save", "--lang", "ko"]) == 0
    out = capsys.readouterr().out
    assert "== 순전파 ==" in out and "강의 자료 오류: 슬라이드는 o2 = sigmoid(z4) = 0.68047" in out


def test_latex_is_a_whole_ascii_document_that_compiles(tmp_path):
    import shutil
    import subprocess

    model, x, t = slides_222()
    text, _ = trace_backprop(model, x, t, lr=0.5, style="slides", decimals=8, fmt="latex",
                             lang="ko")  # fmt: skip
    body = [ln for ln in text.splitlines() if not ln.startswith("%")]
    assert all(ch.isascii() for ln in body for ch in ln), [ln for ln in body if not ln.isascii()]
    assert body[0] == r"\documentclass{article}" and body[-1] == r"\end{document}"
    assert r"W5^{+} = W5 - \eta \cdot" in text and r"^{2}" in text
    if shutil.which("pdflatex") is None:
        pytest.skip("pdflatex is not installed (apt install texlive-latex-base)")
    (tmp_path / "trace.tex").write_text(text, encoding="utf-8")
    proc = subprocess.run(["pdflatex", "-interaction=nonstopmode", "-halt-on-error", "trace.tex"],
                          cwd=tmp_path, capture_output=True, text=True, timeout=120)  # fmt: skip
    assert proc.returncode == 0, proc.stdout[-2000:]
    assert (tmp_path / "trace.pdf").stat().st_size > 1000
