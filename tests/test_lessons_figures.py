"""Every lesson run draws what it promises, as PNG and SVG, with a caption in words, in Korean
when asked; `mlplab list` names every built-in run and search; the search report's title."""

from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest

from korean import hangul
from mlplab.experiments.registry import all_runs, get_run, resolve_options
from mlplab.functions import ACTIVATION_NAMES
from mlplab.viz.report import write_run_dir

CLASSIC = {"mnist-two-layer", "init-histograms", "init-compare", "optimizer-compare",
           "batchnorm-scales", "overfit", "fashion-best"}  # fmt: skip
#: lessons that are a printout only (their item is a worked calculation)
TEXT_ONLY = {"matrix", "affine"}
LESSONS = sorted(set(all_runs()) - CLASSIC)


#: the course material's code names a Korean figure shows as they are (function and variable
#: names, Keras's history keys, the run names the text output prints beside the numbers)
CODE_NAMES = {
    "activations": ["alpha", *ACTIVATION_NAMES],
    "apple": ["apple", "orange", "price", "_num", "tax", "all_", "buy_"],
    "backprop-221": ["loss", "net_y", "out_y", "sigmoid"],
    "backprop-222": ["loss", "sigmoid"],
    "keras-448": ["batch GD", "mini-batch", "val_loss", "loss"],
    "losses": ["argmin"],
}


def english_in_figure(fig, allowed=()) -> list[str]:
    """The texts of ``fig`` without Hangul that hold an English word (four or more lower-case
    letters: 'plain', 'quiz', 'points', 'from'), once the ``allowed`` code names are cut; names
    written with capitals (ReLU, AdaGrad, SGD) and formulas pass."""
    from matplotlib.text import Text

    out = []
    for t in fig.findobj(Text):
        text = t.get_text()
        if not t.get_visible() or hangul(text):
            continue
        rest = text
        for a in sorted(allowed, key=len, reverse=True):
            rest = rest.replace(a, " ")
        if re.search(r"(?<![A-Za-z])[a-z]{4,}", rest):
            out.append(text)
    return out


@pytest.mark.parametrize("name", LESSONS)
def test_lesson_figures_png_svg_captions_in_korean(name, tmp_path):
    spec = get_run(name)
    res = spec.fn(resolve_options(spec, {"quick": True, "lang": "ko"}))
    assert res.lang == "ko"
    if name in TEXT_ONLY:
        assert not res.figures
        return
    assert res.figures, f"{name} draws no figure"
    for stem, fig in res.figures.items():  # before: 'plain: mean', '(quiz)', 'from (−7, 2)'
        if hasattr(fig, "findobj"):
            assert not english_in_figure(fig, CODE_NAMES.get(name, ())), (stem, name)
    out = write_run_dir(res, tmp_path / name)
    for stem in res.figures:
        assert (out / f"{stem}.png").stat().st_size > 1000, stem
        assert (out / f"{stem}.svg").read_text().lstrip().startswith(("<?xml", "<svg")), stem
        assert any("\uac00" <= ch <= "\ud7a3" for ch in res.captions[stem]), (stem, res.captions)
    page = (out / "report.html").read_text(encoding="utf-8")
    assert '<html lang="ko">' in page and "그림 1." in page
    run = json.loads((out / "run.json").read_text())
    assert set(run["captions"]) == set(res.figures)


def test_lesson_text_speaks_korean_but_keeps_the_seeds_lines():
    spec = get_run("notebook-231")
    res = spec.fn(resolve_options(spec, {"lang": "ko", "figures": False}))
    assert "loss train: 0.1336 / loss test: 0.2472" in res.text  # the notebook's own line
    assert res.notes[0].startswith("네 경우")
    gates = get_run("gates")
    text = gates.fn(resolve_options(gates, {"lang": "ko", "figures": False})).text
    assert "선형 분리" in text


def _mlplab(*args, env=None):
    import os

    e = dict(os.environ, **(env or {}))
    return subprocess.run([sys.executable, "-m", "mlplab.cli", *args], capture_output=True,
                          text=True, timeout=120, env=e)  # fmt: skip


def test_list_shows_random_search_and_the_new_lessons():
    r = _mlplab("list")
    assert r.returncode == 0
    names = {line.split()[0] for line in r.stdout.splitlines() if line.strip()}
    assert "random-search" in names and "mlplab search random-search" in r.stdout
    assert {"matrix", "neuron", "activations", "network-types", "affine", "overfit-cures",
            "bn-lesson"} <= names  # fmt: skip


@pytest.mark.parametrize(
    "env, args, korean",
    [
        ({"MLPLAB_LANG": "ko", "LANG": "C"}, [], True),
        ({"MLPLAB_LANG": "", "LANG": "ko_KR.UTF-8", "LC_ALL": ""}, [], True),
        ({"MLPLAB_LANG": "", "LANG": "ko_KR.UTF-8", "LC_ALL": ""}, ["--lang", "en"], False),
        ({"MLPLAB_LANG": "en", "LANG": "ko_KR.UTF-8"}, ["--lang", "ko"], True),
        ({"MLPLAB_LANG": "", "LANG": "en_US.UTF-8", "LC_ALL": ""}, [], False),
    ],
)
def test_lang_defaults_from_the_environment(env, args, korean):
    r = _mlplab("run", "backprop-222", "--no-save", *args, env=env)
    assert r.returncode == 0, r.stderr
    assert ("== 순전파 ==" in r.stdout) is korean
    assert ("== forward pass ==" in r.stdout) is not korean


@pytest.mark.parametrize("cmd", [["list"], ["trace", "--x", "0 0", "--t", "0"],
                                 ["report", "/nonexistent"], ["playground", "--port", "0"],
                                 ["run", "apple", "--no-save"]])  # fmt: skip
def test_every_command_takes_lang(cmd):
    r = _mlplab(*cmd, "--lang", "fr")
    assert r.returncode == 2 and "--lang" in r.stderr and "Traceback" not in r.stderr
    assert "invalid choice" in r.stderr or "one of" in r.stderr


def test_bad_mlplab_lang_is_one_line():
    r = _mlplab("run", "apple", "--no-save", env={"MLPLAB_LANG": "de"})
    assert r.returncode == 2 and r.stderr.count("\n") == 1 and "MLPLAB_LANG" in r.stderr
