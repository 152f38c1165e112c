"""The command line's error lines in Korean (issue 14): ``--lang ko`` or ``MLPLAB_LANG=ko``.

The real ``mlplab`` process gets bad input; under Korean its one error line is Korean and still
names the field, the allowed range and the value exactly as the English line does; exit status
2, no traceback.  English output stays byte for byte what it was.  Every form of
:mod:`mlplab.i18n.errors` translates each of its examples without leftover English words.
"""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from korean import mlplab_cli
from mlplab.errors import ConfigError, MlplabError, check_choice, check_int, check_positive
from mlplab.experiments.spec import Choice, Num, load_spec
from mlplab.i18n import errors as E

TOML = {
    "bad_lr.toml": '[experiment]\nname = "x"\n[train]\nlr = -1\n',
    "syntax.toml": "[experiment\nname = 1\n",
    "bad_key.toml": "[train]\nlrr = 1\n",
}

#: English words of the validators' and argparse's sentences: none may be left in Korean.
ENGLISH = re.compile(
    r"\b(must|got|invalid|unknown|allowed|choose|required|arguments?|unrecognized|"
    r"does not exist|expected|error)\b"
)


def _mlplab(args, cwd, env):
    return mlplab_cli(args, cwd, env)


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    d = tmp_path_factory.mktemp("errors-ko")
    for name, text in TOML.items():
        (d / name).write_text(text, encoding="utf-8")
    return d


#: (arguments, prefix of the line, texts the Korean line must hold: field, range, value, ...)
CASES = [
    (["run", "notebook-231", "--lr", "-1"], "mlplab: 오류: ",
     ["--lr(학습률)", "0보다 크고 1000 이하인 수", "-1.0"]),
    (["run", "notebook-231", "--epochs", "abc"], "mlplab run notebook-231: 오류: ",
     ["--epochs(에포크)", "정수가 아닙니다", "'abc'"]),
    (["run", "notebook-231", "--epochs", "0"], "mlplab: 오류: ",
     ["--epochs(에포크)", "1 이상 100000 이하인 정수", "0"]),
    (["run", "notebook-231", "--format", "xml"], "mlplab run notebook-231: 오류: ",
     ["--format", "'xml'", "'text', 'markdown', 'latex'"]),
    (["run", "notebook-231", "--bogus", "1"], "mlplab run notebook-231: 오류: ",
     ["알 수 없는 인자", "--bogus 1"]),
    (["run", "nosuch"], "mlplab: 오류: ", ["알 수 없는 실행 이름 'nosuch'", "notebook-231"]),
    (["run"], "mlplab: 오류: ", ["mlplab run NAME|FILE.toml"]),
    (["run", "nosuch.toml"], "mlplab: 오류: ", ["실험 파일 'nosuch.toml'"]),
    (["run", "bad_lr.toml"], "mlplab: 오류: ", ["train.lr(학습률)", "0보다 크고 1000 이하", "-1"]),
    (["run", "syntax.toml"], "mlplab: 오류: ", ["syntax.toml", "TOML 문법 오류", "1행 12열"]),
    (["run", "bad_key.toml"], "mlplab: 오류: ", ["train.lrr", "알 수 없는 키", "optimizer, lr"]),
    (["run", "bad_lr.toml", "--limit", "params=0"], "mlplab: 오류: ",
     ["--limit params", "1 이상 1e15 이하인 정수", "'0'"]),
    (["trace"], "mlplab trace: 오류: ", ["--x, --t"]),
    (["trace", "--x", "1,2", "--t", "1", "--decimals", "99"], "mlplab: 오류: ",
     ["--decimals", "0 이상 15 이하인 정수", "99"]),
    (["report", "no-such-dir"], "mlplab: 오류: ", ["실행 폴더 'no-such-dir'"]),
    (["playground", "--port", "0"], "mlplab: 오류: ", ["--port", "1 이상 65535 이하", "0"]),
    (["search"], "mlplab search: 오류: ", ["mlplab search SPEC.toml"]),
    (["search", "bad_lr.toml", "--trials", "0"], "mlplab search: 오류: ",
     ["--trials", "0보다 큰 값", "(입력값: 0)"]),
    (["search", "bad_lr.toml", "--trials", "x"], "mlplab search: 오류: ",
     ["--trials", "정수가 아닙니다", "'x'"]),
    (["frobnicate"], "mlplab: 오류: ", ["COMMAND", "'frobnicate'", "'list', 'run'"]),
    (["list", "--extra"], "mlplab: 오류: ", ["알 수 없는 인자", "--extra"]),
]  # fmt: skip


@pytest.mark.parametrize("how", ["--lang", "MLPLAB_LANG", "LANG"])
@pytest.mark.parametrize("args,prefix,holds", CASES, ids=[" ".join(c[0]) for c in CASES])
def test_bad_input_is_one_korean_line(files, args, prefix, holds, how):
    if how == "--lang":  # after the mistake: the language is read from anywhere on the line
        r = _mlplab([*args, "--lang", "ko"], files, {"MLPLAB_LANG": "en"})
    elif how == "MLPLAB_LANG":
        r = _mlplab(args, files, {"MLPLAB_LANG": "ko"})
    else:
        r = _mlplab(args, files, {"LANG": "ko_KR.UTF-8"})
    assert r.returncode == 2, r.stderr
    assert "Traceback" not in r.stderr and r.stderr.count("\n") == 1, r.stderr
    assert r.stderr.startswith(prefix), r.stderr
    for text in holds:
        assert text in r.stderr, (text, r.stderr)
    assert not ENGLISH.search(r.stderr.replace("mlplab", "")), r.stderr


#: English lines, byte for byte as before (also when the environment says Korean).
ENGLISH_LINES = [
    (["run", "notebook-231", "--lr", "-1"],
     "mlplab: error: --lr: must be a number > 0 and <= 1000, got -1.0\n"),
    (["run", "notebook-231", "--epochs", "abc"],
     "mlplab run notebook-231: error: argument --epochs: invalid int value: 'abc'\n"),
    (["trace"], "mlplab trace: error: the following arguments are required: --x, --t\n"),
    (["list", "--extra"], "mlplab: error: unrecognized arguments: --extra\n"),
    (["search", "bad_lr.toml", "--trials", "0"], "mlplab search: error: --trials: must be > 0, got 0\n"),
    (["run", "nosuch.toml"], "mlplab: error: experiment file 'nosuch.toml' does not exist\n"),
]  # fmt: skip


@pytest.mark.parametrize("args,line", ENGLISH_LINES, ids=[" ".join(c[0]) for c in ENGLISH_LINES])
@pytest.mark.parametrize("env", [{}, {"MLPLAB_LANG": "ko"}], ids=["default", "ko-env-lang-en"])
def test_english_lines_are_unchanged(files, args, line, env):
    extra = ["--lang", "en"] if env else []
    r = _mlplab([*args, *extra], files, env)
    assert r.returncode == 2 and r.stderr == line


def test_numpy_overflow_note_in_korean(files):
    r = _mlplab(["run", "notebook-231", "--lr", "1000", "--epochs", "3", "--no-save"], files,
                {"MLPLAB_LANG": "ko"})  # fmt: skip
    notes = [ln for ln in r.stderr.splitlines() if ln.startswith("mlplab: 참고: NumPy: ")]
    assert len(notes) == 1 and "학습률이 너무 큰가요?" in notes[0], r.stderr
    assert "warning" not in r.stderr and "overflow" not in r.stderr


# ------------------------------------------------------------------ every form of the table
#: Groups whose text is translated (the rest appear verbatim in the Korean line).
TRANSLATED = {"what", "got", "hint", "why", "type", "least", "text", "opts", "cond", "detail",
              "where", "part", "re", "inner", "how", "task"}  # fmt: skip
#: Words that are names, not English sentences: keys, commands, file formats.
NAMES = {
    "TOML", "UTF", "mlplab", "run", "list", "help", "search", "NAME", "FILE", "toml", "SPEC",
    "KEY", "VALUE", "set", "rng", "limit", "options", "section", "key", "train", "lr", "model",
    "sizes", "hidden", "batchnorm", "layernorm", "true", "false", "data", "name", "kind",
    "histograms", "gaussian", "variants", "labels", "label", "mode", "zip", "experiment",
    "epochs", "iterations", "port", "host", "https", "README", "NumPy", "low", "high", "trace",
    "space", "DIR", "MLPLAB_DATA", "gz", "MNIST", "Fashion", "Debian", "dataset", "fashion",
    "mnist", "schedule", "source", "IDX", "CSV", "csv", "pip", "install", "config", "JSON", "npz",
    "header", "gzip", "rows", "cols", "NaN", "inf", "lessons", "CRC",
    "grid", "points", "choices", "log", "step", "loss", "mse", "regression", "task", "TF", "metric", "auto",
}  # fmt: skip


def _literal_words(pattern: str) -> set[str]:
    """The English words of a form: its regex without the named groups (the values)."""
    out, i = [], 0
    while i < len(pattern):
        if pattern.startswith("(?P<", i):  # skip the group up to its closing parenthesis
            depth, i = 0, i
            while True:
                c = pattern[i]
                if c == "\\":
                    i += 2
                    continue
                depth += c == "("
                depth -= c == ")"
                i += 1
                if depth == 0:
                    break
            out.append(" ")
            continue
        if pattern.startswith("(?P=", i):
            i = pattern.index(")", i) + 1
            continue
        out.append(pattern[i])
        i += 1
    text = re.sub(r"\\[a-zA-Z]", " ", "".join(out))  # \d, \S, \b: not words
    return {w for w in re.findall(r"[A-Za-z]{2,}", text) if w not in NAMES}


#: The words of the "must be WHAT" nouns (mlplab.i18n.errors._WHATS and the numbers').
WHAT_WORDS = {w for p, _ in E._WHATS for w in _literal_words(p.pattern)} | {
    "an", "number", "integer", "finite", "and", "in", "positive", "fraction", "seconds",
}  # fmt: skip


def _examples():
    for i, form in enumerate(E.FORMS):
        for ex in form.examples:
            yield pytest.param(form, ex, id=f"{i}:{ex[:40]}")


@pytest.mark.parametrize("form,example", list(_examples()))
def test_every_form_translates_its_examples_without_english_left(form, example):
    m = form.pattern.fullmatch(example)
    assert m is not None, "an example must have its form"
    ko = E.translate(example, "ko")
    assert ko == form.render(m), "the first form that translates an example is its own"
    assert ko != example and re.search("[가-힣]", ko), ko
    groups = {k: v for k, v in m.groupdict().items() if v}
    stripped = ko
    for k, v in sorted(groups.items(), key=lambda kv: -len(kv[1])):
        if k not in TRANSLATED:  # the field, the values, the lists: exactly as given
            assert v in ko, (k, v, ko)
            stripped = stripped.replace(v, " ")
    words = _literal_words(form.pattern.pattern)
    if "what" in groups:
        words |= WHAT_WORDS
    left = {w for w in words if re.search(rf"\b{w}\b", stripped)}
    assert not left, (left, ko)


def test_english_is_untouched_and_unknown_forms_keep_a_korean_prefix():
    msg = "--lr: must be a number > 0 and <= 1000, got -1.0"
    assert E.translate(msg, "en") == msg
    assert E.line("mlplab", msg, "en") == f"mlplab: error: {msg}"
    new = "something no form knows (yet)"
    assert E.translate(new, "ko") == new
    assert E.line("mlplab", new, "ko") == f"mlplab: 오류: {new}"
    assert E.line("mlplab", "x", "ko", "warning") == "mlplab: 경고: x"


# -------------------------------------------------- the real validators, with any numbers
def _message(fn) -> str:
    with pytest.raises(MlplabError) as info:
        fn()
    return str(info.value)


_FIELDS = st.sampled_from(["--lr", "train.lr", "--epochs", "model.dropout", "--limit params",
                           "variants.lr[0]", "options.batch_size", "data.noise"])  # fmt: skip
_NUMS = st.integers(-(10**6), 10**6)


@settings(max_examples=200, deadline=None)
@given(_FIELDS, _NUMS, _NUMS, st.booleans(), st.booleans(), st.booleans(), _NUMS)
def test_range_messages_keep_field_bounds_and_value(field, a, b, lo_open, hi_open, integer, v):
    lo, hi = min(a, b), max(a, b) + 1
    chk = Num(lo, hi, lo_open=lo_open, hi_open=hi_open, integer=integer)
    try:
        chk.check(field, v)
        return  # a legal value: no message
    except ConfigError as exc:
        msg = str(exc)
    ko = E.translate(msg, "ko")
    assert ko.startswith(field) and f"입력값: {v})" in ko, ko
    for number in re.findall(r"-?\d[\d.e+]*", msg.removeprefix(field)):  # bounds as written
        assert number in ko, (number, msg, ko)
    assert ("정수" if integer else "수") in ko, ko
    assert not ENGLISH.search(ko) and not re.search(r"\b(and|an?|number|integer)\b", ko), ko


@settings(max_examples=100, deadline=None)
@given(_FIELDS, st.integers(-100, 100), st.integers(0, 100), st.integers(-1000, 1000))
def test_check_int_check_positive_check_choice(field, lo, span, v):
    hi = lo + span
    if not lo <= v <= hi:
        ko = E.translate(_message(lambda: check_int(field, v, lo, hi)), "ko")
        assert f"{lo} 이상 {hi} 이하인 정수" in ko and f"입력값: {v})" in ko, ko
    if v <= 0:
        ko = E.translate(_message(lambda: check_positive(field, v)), "ko")
        assert "0보다 큰 유한한 수" in ko and f"입력값: {v})" in ko, ko
    ko = E.translate(_message(lambda: check_choice(field, v, ["a", "b"])), "ko")
    assert "'a', 'b' 중 하나" in ko and f"입력값: {v})" in ko, ko
    ko = E.translate(_message(lambda: Choice(["sgd", "adam"]).check(field, f"x{v}")), "ko")
    assert f"알 수 없는 값 'x{v}'" in ko and "sgd, adam" in ko, ko


#: Experiment files with one mistake each: what the validators raise, translated.
BAD_SPECS = [
    "[train]\nlr = 0\n",
    "[train]\nepochs = 0\n",
    "[train]\noptimizer = 'adamw'\n",
    "[model]\nactivation = 'foo'\n",
    "[trian]\nlr = 1\n",
    "[train]\nlr = 0.1\nepochs = 2\niterations = 3\n",
    "[train]\nschedule = 'step'\n",
    "[train]\nmomentum = 0.5\n",
    "[data]\nsource = 'csv'\n",
    "[model]\nbatchnorm = 'yes'\n",
    "[model]\nhidden = [0]\n",
    "[model]\nhidden = [100000, 100000]\n",
]


@pytest.mark.parametrize("text", BAD_SPECS)
def test_experiment_file_mistakes_are_translated(text):
    base = "[experiment]\nname = 'x'\n[data]\nsource = 'builtin'\nname = 'moons'\n"
    if "[data]" in text:
        base = "[experiment]\nname = 'x'\n"
    if "[train]" not in text:
        text += "[train]\nlr = 0.1\nepochs = 1\n"
    with pytest.raises(ConfigError) as info:
        load_spec(base + text)
    msg = str(info.value)
    ko = E.translate(msg, "ko")
    assert ko != msg and not ENGLISH.search(ko), (msg, ko)
