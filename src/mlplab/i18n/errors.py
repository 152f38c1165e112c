"""Error, warning and note lines of the command line in the user's language.

mlplab raises its errors in English (library users and tests rely on those words); the command
line shows them in the learner's language.  :func:`translate` turns one English message into
Korean by the message's *form* -- the shapes the validators produce (``X: must be a number > 0
and <= 1000, got -1.0``, ``unknown run 'x'; choose one of: ...``, argparse's ``argument --epochs:
invalid int value: 'abc'`` ...): the field name, the allowed range and the value stay exactly as
they were (a student still sees ``--lr``, ``0``, ``1000``, ``-1.0``), the words around them are
Korean, with the glossary's terms (``--lr(학습률)``).  A message of no known form keeps its
English; :func:`line` still prefixes it with the Korean word for error (never dropped).

* :func:`line` -- ``mlplab: error: MSG`` / ``mlplab: 오류: 번역`` (also ``warning``, ``note``).
* :func:`translate` -- one message in ``lang`` (``en``: unchanged).
* :data:`FORMS` -- the table of forms, each with example messages (the tests translate every
  example and check that no English word of the form is left).
"""

from __future__ import annotations

import re

from .errorbase import _OS, _OS_RE, Form, _be, _f, _field, _or
from .fileerrors import FILE_FORMS

__all__ = ["FORMS", "Form", "line", "translate", "KINDS"]

#: What a line is, in each language (``mlplab: error: ...``).
KINDS = {
    "error": ("error", "오류"),
    "warning": ("warning", "경고"),
    "note": ("note", "참고"),
}


def line(prog: str, message: str, lang: str = "en", kind: str = "error") -> str:
    """``"{prog}: error: {message}"``, in Korean ``"{prog}: 오류: {translated message}"``."""
    en, ko = KINDS[kind]
    if lang != "ko":
        return f"{prog}: {en}: {message}"
    return f"{prog}: {ko}: {translate(message, lang)}"


def translate(message: str, lang: str = "en") -> str:
    """``message`` (one English line of a known form) in ``lang``; unknown forms unchanged."""
    if lang != "ko":
        return message
    for form in FORMS:
        m = form.pattern.fullmatch(message)
        if m is not None:
            out = form.render(m)
            if out is not None:
                return out
    return message


# ------------------------------------------------------------------- "must be WHAT": the WHAT
_NOUNS = {
    "a number": "수",
    "a finite number": "유한한 수",
    "numeric": "수",
    "a number of seconds": "초 단위의 수",
    "an integer": "정수",
    "a positive integer": "양의 정수",
    "a fraction": "비율",
    "": "값",
}
_LO = {">": ("{}보다 큰", "{}보다 크고"), ">=": ("{} 이상인", "{} 이상")}
_HI = {"<": "{}보다 작은", "<=": "{} 이하인"}
_NOUN_RE = r"(?P<noun>a number of seconds|a (?:finite )?number|an integer|a positive integer|a fraction|numeric)?"
_BOUNDS = re.compile(
    _NOUN_RE + r" ?(?:(?P<lo_op>>=?) (?P<lo>\S+?)(?: and )?)?(?:(?P<hi_op><=?) (?P<hi>\S+))?"
)
_INTERVAL = re.compile(
    _NOUN_RE + r" ?in (?P<open>[\[(])(?P<lo>[^,\s]+), (?P<hi>[^\])\s]+)(?P<close>[\])])"
)


def _bounded(noun: str, lo_op, lo, hi_op, hi) -> str:
    noun_ko = _NOUNS[noun or ""]
    if lo_op and hi_op:
        return f"{_LO[lo_op][1].format(lo)} {_HI[hi_op].format(hi)} {noun_ko}"
    if lo_op:
        return f"{_LO[lo_op][0].format(lo)} {noun_ko}"
    if hi_op:
        return f"{_HI[hi_op].format(hi)} {noun_ko}"
    return noun_ko


#: Other nouns after "must be", each a regex -> Korean noun phrase (``{name}`` from its groups).
_WHATS: list[tuple[re.Pattern, str]] = [
    (re.compile(r"true or false"), "true 또는 false 값"),
    (re.compile(r'true, false or "auto"'), 'true, false 또는 "auto"'),
    (re.compile(r"a string"), "문자열"),
    (re.compile(r"text"), "문자열"),
    (re.compile(r"a table"), "표"),
    (re.compile(r"a list of tables"), "표의 목록"),
    (re.compile(r"a table with a 'type'"), "'type'이 있는 표"),
    (re.compile(r"an object"), "표"),
    (re.compile(r"a \[table\]"), "[section] 형식의 표"),
    (re.compile(r"a list of strings"), "문자열 목록"),
    (re.compile(r"a non-empty list of values"), "값이 하나 이상인 목록"),
    (re.compile(r"a column name or integer index"), "열 이름 또는 정수 인덱스"),
    (re.compile(r"a column index or name"), "열 인덱스 또는 이름"),
    (re.compile(r"one character such as (?P<ex>'.' or '.')"), "{ex_or} 같은 한 글자"),
    (re.compile(r"a single character such as (?P<ex>'.')"), "{ex} 같은 한 글자"),
    (re.compile(r"(?P<a>'[^']*') or (?P<b>'[^']*')"), "{a} 또는 {b} 중 하나"),
    (re.compile(r"integers like (?P<ex>[\d,]+)"), "{ex} 같은 정수 목록"),
    (
        re.compile(r"a list of at most (?P<n>\d+) integers >= (?P<lo>-?\d+)"),
        "{lo} 이상인 정수를 최대 {n}개 담은 목록",
    ),
    (
        re.compile(
            r"a list of at most (?P<n>\d+) integers >= (?P<lo>-?\d+) "
            r"with at least (?P<m>\d+) entries"
        ),
        "{lo} 이상인 정수를 {m}개 이상 {n}개 이하로 담은 목록",
    ),
    (
        re.compile(r"a list \[low, high\] of two numbers with low < high"),
        "low < high인 두 수 [low, high]의 목록",
    ),
    (
        re.compile(r"true/false or a table (?P<ex>\{.*\})"),
        "true/false 값 또는 {ex} 같은 표",
    ),
    (re.compile(r"a list of names from (?P<names>.+)"), "{names} 중에서 고른 이름의 목록"),
    (
        re.compile(r"a list of values or a range (?P<ex>\{.*\})"),
        "값의 목록 또는 {ex} 형식의 범위",
    ),
    (
        re.compile(
            r"(?P<a>\d+) to (?P<b>\d+) integers in \[(?P<lo>-?\d+), (?P<hi>\d+)\]"
            r" \(a trace prints every number\)"
        ),
        "{lo} 이상 {hi} 이하인 정수 {a}~{b}개의 목록(trace는 모든 숫자를 출력합니다)",
    ),
    (
        re.compile(r"https://host\[:port\] \(no path\)"),
        "https://host[:port] 형식의 주소(경로 없이)",
    ),
]


def _what(what: str) -> str | None:
    """The Korean noun phrase for ``what`` in ``must be WHAT``; None if not a known shape."""
    m = _INTERVAL.fullmatch(what)
    if m is not None:
        lo, hi = m["lo"], m["hi"]
        lo_op = None if lo == "-inf" else (">=" if m["open"] == "[" else ">")
        hi_op = None if hi == "inf" else ("<=" if m["close"] == "]" else "<")
        return _bounded(m["noun"], lo_op, lo, hi_op, hi)
    m = _BOUNDS.fullmatch(what)
    if m is not None and (m["noun"] or m["lo_op"] or m["hi_op"]):
        return _bounded(m["noun"], m["lo_op"], m["lo"], m["hi_op"], m["hi"])
    for pattern, ko in _WHATS:
        m = pattern.fullmatch(what)
        if m is not None:
            groups = {k: v for k, v in m.groupdict().items() if v is not None}
            groups.update({f"{k}_or": _or(v) for k, v in list(groups.items())})
            text = ko.format(**groups)
            return text
    return None


def _must_be(m: re.Match) -> str | None:
    noun = _what(m["what"])
    if noun is None:
        return None
    note = ""
    if noun.endswith(")"):  # a closing remark stays after the verb
        noun, _, rest = noun.partition("(")
        note = f" ({rest[:-1]})"
    return f"{_field(m['field'])}: {_be(noun)} (입력값: {m['value']}){note}"


# ------------------------------------------------------------------------------ the forms

_NUMPY = {
    "overflow encountered in": "{}에서 오버플로가 일어났습니다",
    "invalid value encountered in": "{}에서 잘못된 값(NaN)이 나왔습니다",
    "divide by zero encountered in": "{}에서 0으로 나누었습니다",
    "underflow encountered in": "{}에서 언더플로가 일어났습니다",
}


def _numpy_note(m: re.Match) -> str | None:
    what = m["what"]
    for en, ko in _NUMPY.items():
        if what.startswith(en + " "):
            what = ko.format(what[len(en) + 1 :])
            break
    else:
        return None
    return f"NumPy: {what} (숫자가 넘칩니다: 학습률이 너무 큰가요?); 이후 경고는 숨깁니다"


FORMS: list[Form] = [
    *FILE_FORMS,
    # a line that quotes another (before the forms that would take its start as a field)
    _f(
        r"the link's settings were not used \((?P<inner>.+)\)",
        lambda m: f"링크의 설정을 쓰지 않았습니다 ({translate(m['inner'], 'ko')})",
        "the link's settings were not used (learningRate must be a number in [1e-06, 10], "
        "got -1.0)",
        "the link's settings were not used (at most 8000 characters)",
    ),
    # --- the validators: mlplab.errors.check_*, experiments.spec, search.space, the CLI
    _f(
        r"activation must be a name such as (?P<ex>'.*?'), got (?P<value>.*)",
        "활성화 함수는 {ex} 같은 이름이어야 합니다 (입력값: {value})",
        "activation must be a name such as 'relu', got 3",
    ),
    _f(
        r"(?P<field>.+?): a numeric init is a std and must be > 0, got (?P<value>.*)",
        "{field}: 수로 쓴 초기화 값은 정규분포의 표준편차이므로 0보다 커야 합니다 (입력값: {value})",
        "model.init: a numeric init is a std and must be > 0, got -1",
    ),
    _f(
        r"(?P<field>.+?): unknown (?P<value>.+?); allowed: (?P<allowed>.*), (?P<std>'std<number>') or a "
        r"number > 0",
        "{field}: 알 수 없는 값 {value}입니다. 쓸 수 있는 값: {allowed}, {std} 또는 "
        "0보다 큰 수(표준편차)",
        "model.init: unknown 'foo'; allowed: he, xavier, 'std<number>' or a number > 0",
    ),
    _f(
        r"(?P<field>.+?): must be a table of lists",
        "{field}: 목록들의 표여야 합니다 (예: 'train.lr' = [0.1, 0.5])",
        "quick.variants: must be a table of lists",
    ),
    # --- options of the lessons (a run file's [options] or the command line)
    _f(
        r"(?P<field>.+?):? must be one of (?P<choices>.+) or a number \(std\); got (?P<value>.*)",
        "{field}: {choices} 중 하나이거나 수(정규분포의 표준편차)여야 합니다 (입력값: {value})",
        "init must be one of zeros, he, xavier or a number (std); got 'abc'",
    ),
    _f(
        r"(?P<field>.+?) must be a comma list of numbers like (?P<ex>\S+); got (?P<value>.*)",
        "{field}: {ex}처럼 쉼표로 나눈 수의 목록이어야 합니다 (입력값: {value})",
        "lrs must be a comma list of numbers like 0.01,0.1,0.5; got 'zzz'",
    ),
    _f(
        r"(?P<field>.+?) must be a comma list of positive numbers; got (?P<value>.*)",
        "{field}: 쉼표로 나눈 양수의 목록이어야 합니다 (입력값: {value})",
        "lrs must be a comma list of positive numbers; got ''",
    ),
    _f(
        r"(?P<field>--\w+) applies to (?P<a>--mode \w+) and (?P<b>--mode \w+)",
        "{field}은(는) {a}와(과) {b}에서만 씁니다",
        "--weights applies to --mode graph and --mode step",
    ),
    _f(
        r"(?P<field>--\w+): write NAME=VALUE pairs like (?P<ex>\S+) with NAME one of "
        r"(?P<names>.+); got (?P<value>.*)",
        "{field}: {ex}처럼 NAME=VALUE 쌍으로 쓰세요 (NAME은 {names} 중 하나) (입력값: {value})",
        "--weights: write NAME=VALUE pairs like w31=0.8,w32=0.5 with NAME one of w31, w32; "
        "got 'abc'",
    ),
    _f(
        r"(?P<field>.+?) must be finite and within (?P<bound>±\S+), got (?P<value>.*)",
        "{field}: {bound} 안의 유한한 수여야 합니다 (입력값: {value})",
        "--weights: w31 must be finite and within ±1e6, got 1e+300",
    ),
    _f(
        r"(?P<field>.+?):? must be one of (?P<choices>.+); got (?P<value>.*)",
        "{field}: {choices} 중 하나여야 합니다 (입력값: {value})",
        "--format must be one of text, markdown, latex; got 'xml'",
        "model.loss: must be one of mse, cross_entropy; got 3",
        "MLPLAB_LANG must be one of en, ko; got 'fr'",
    ),
    _f(
        r"(?P<field>.+?):? must be (?P<what>.+?), got (?P<value>.*)",
        _must_be,
        "--lr: must be a number > 0 and <= 1000, got -1.0",
        "--lr must be a number > 0 and <= 1000, got -1.0",
        "--epochs: must be an integer >= 1 and <= 100000, got 0",
        "train.momentum: must be a number >= 0 and < 1, got 1.5",
        "model.dropout: must be a number < 1, got 2",
        "data.noise: must be a number >= 0, got -1",
        "train.lr: must be a number, got 'abc'",
        "lr must be a finite number > 0, got -0.1",
        "lr must be a number, got str",
        "--decimals must be an integer in [0, 15], got 99",
        "--seed: must be an integer in [0, 2**32), got -1",
        "--port must be in [1, 65535], got 0",
        "--jobs: must be in [0, 1024], got 2000",
        "--trials: must be > 0, got 0",
        "--limit params: must be an integer in [1, 1e15], got '0'",
        "n must be an integer in [1, inf], got 0",
        "search.timeout: must be a number of seconds > 0, got -5",
        "search.validation: must be a fraction in [0, 1), got 1.5",
        "search.trials: must be an integer >= 1, got 0",
        "search.direction: must be 'maximize' or 'minimize', got 'up'",
        "model.batchnorm: must be true or false, got 'yes'",
        'data.header: must be true, false or "auto", got 2',
        "experiment.name: must be a string, got 3",
        "model.hidden: must be a list of at most 100 integers >= 1, got [0]",
        "model.sizes: must be a list of at most 100 integers >= 1 with at least 2 entries, got 3",
        "data.x_range: must be a list [low, high] of two numbers with low < high, got [2, 1]",
        "data.label: must be a column name or integer index, got 1.5",
        "data.delimiter: must be one character such as ',' or ';', got 'ab'",
        "eval.gradcheck: must be true/false or a table {samples = 3, tol = 1e-4, h = 6e-6}, got 3",
        "eval.metrics: must be a list of names from loss, acc, confusion, per_class, got 3",
        "variants.lr: must be a non-empty list of values, got []",
        "train: must be a [table], got 3",
        "variants.labels: must be a list of strings, got [1]",
        "search.quick: must be a table, got 3",
        "--sizes must be integers like 2,2,1, got 'a,b'",
        "--sizes must be 2 to 7 integers in [1, 16] (a trace prints every number), got '1,99'",
        "search.space.train.lr: must be a list of values or a range {low = ..., high = ...}, got 3",
        "--workers must be in [1, 64], got 0",
    ),
    _f(
        r"(?P<field>.+?) must look like (?P<what>.+?), got (?P<value>.*)",
        _must_be,
        "--allow-origin must look like https://host[:port] (no path), got 'ftp://x'",
    ),
    _f(
        r"(?P<field>.+?): unknown key; allowed: (?P<allowed>.*)",
        "{field}: 알 수 없는 키입니다. 쓸 수 있는 키: {allowed}",
        "train.lrr: unknown key; allowed: optimizer, lr, momentum",
        "run.foo: unknown key; allowed: name, seed, quick",
    ),
    _f(
        r"(?P<field>.+?): unknown section (?P<value>.+?); allowed: (?P<allowed>.*)",
        "{field}: 알 수 없는 섹션 {value}입니다. 쓸 수 있는 섹션: {allowed}",
        "trian.lr: unknown section 'trian'; allowed: experiment, data, model, train, eval",
    ),
    _f(
        r"\[(?P<field>.+?)\]: unknown section; allowed: (?P<allowed>.*)",
        "[{field}]: 알 수 없는 섹션입니다. 쓸 수 있는 섹션: {allowed}",
        "[train]: unknown section; allowed: run, options",
    ),
    _f(
        r"(?P<field>.+?): unknown hyperparameter; allowed keys of \[(?P<sec>.+?)\]: (?P<allowed>.*)",
        "{field}: 알 수 없는 하이퍼파라미터입니다. [{sec}]에서 쓸 수 있는 키: {allowed}",
        "search.space.train.lrr: unknown hyperparameter; allowed keys of [train]: lr, epochs",
    ),
    _f(
        r"(?P<field>.+?): unknown hyperparameter; use a dotted path section\.key "
        r"with section one of (?P<allowed>.*)",
        "{field}: 알 수 없는 하이퍼파라미터입니다. section.key 형식으로 쓰세요 "
        "(section은 {allowed} 중 하나)",
        "search.space.foo: unknown hyperparameter; use a dotted path section.key with section "
        "one of model, train",
    ),
    _f(
        r"(?P<field>.+?): unknown (?P<value>.+?); allowed: (?P<allowed>.*)",
        "{field}: 알 수 없는 값 {value}입니다. 쓸 수 있는 값: {allowed}",
        "train.optimizer: unknown 'adamw'; allowed: sgd, momentum, adam",
    ),
    _f(
        r"unknown run (?P<value>.+?); choose one of: (?P<allowed>.*) \(or a \.toml file\)",
        "알 수 없는 실행 이름 {value}입니다. 다음 중 하나를 고르세요: {allowed} (또는 .toml 파일)",
        "unknown run 'nosuch'; choose one of: apple, gates, notebook-231 (or a .toml file)",
    ),
    _f(
        r"unknown (?P<what>activation|loss) (?P<value>.+?); choose one of: (?P<allowed>.*?)"
        r"(?: \(aliases: (?P<aliases>.*)\))?",
        lambda m: (
            f"알 수 없는 {_KINDS_OF[m['what']]} {m['value']}입니다. 다음 중 하나를 고르세요: "
            f"{m['allowed']}" + (f" (같은 뜻: {m['aliases']})" if m["aliases"] else "")
        ),
        "unknown activation 'foo'; choose one of: sigmoid, relu (aliases: linear, silu)",
        "unknown loss 'foo'; choose one of: mse, cross_entropy",
    ),
    _f(
        r"(?P<field>.+?): run (?P<run>'.*?') has no such option; allowed: (?P<allowed>.*)",
        "{field}: 실행 {run}에는 이런 옵션이 없습니다. 쓸 수 있는 옵션: {allowed}",
        "options.foo: run 'notebook-231' has no such option; allowed: lr, epochs",
    ),
    _f(
        r"run (?P<run>'.*?') has no option (?P<value>.+?); allowed: (?P<allowed>.*)",
        "실행 {run}에는 옵션 {value}이(가) 없습니다. 쓸 수 있는 옵션: {allowed}",
        "run 'gates' has no option 'foo'; allowed: ['lang', 'seed']",
    ),
    _f(
        r"run\.name: give the name of a built-in run \(see `mlplab list`\)",
        "run.name: 내장 실행의 이름을 쓰세요 (`mlplab list`로 볼 수 있습니다)",
        "run.name: give the name of a built-in run (see `mlplab list`)",
    ),
    _f(
        r"(?P<field>.+?): cannot use (?P<value>.*)",
        "{field}: 쓸 수 없는 값입니다 (입력값: {value})",
        "options.lr: cannot use 'x'",
    ),
    # --- rules over several keys (experiments.spec._cross_check)
    _f(
        r"(?P<fields>.+?): required for (?P<key>schedule|source) (?P<value>'[^']*')",
        "{fields}: {key} = {value}에는 꼭 있어야 합니다",
        "train.step_size: required for schedule 'step'",
        "data.path: required for source 'idx'",
    ),
    _f(
        r"(?P<fields>.+?): required for source (?P<value>'[^']*'); allowed: (?P<allowed>.*)",
        "{fields}: source = {value}에는 꼭 있어야 합니다. 쓸 수 있는 값: {allowed}",
        "data.name: required for source 'builtin'; allowed: moons, xor",
    ),
    _f(
        r"search\.metric: (?P<metric>'.*?') is an accuracy, but data\.task is 'regression'; "
        r"use 'val_loss' or 'train_loss'",
        "search.metric: {metric}은(는) 정확도인데 data.task가 'regression'(회귀)입니다. "
        "'val_loss'나 'train_loss'를 쓰세요",
        "search.metric: 'val_acc' is an accuracy, but data.task is 'regression'; "
        "use 'val_loss' or 'train_loss'",
    ),
    _f(
        r"model\.loss: (?P<loss>'.*?') needs class labels, but data\.task is 'regression'; "
        r"set model\.loss = 'mse' \(or 'half_sse'\)",
        "model.loss: {loss}은(는) 클래스 레이블이 필요한데 data.task가 'regression'(회귀)입니다. "
        "model.loss = 'mse'(또는 'half_sse')로 두세요",
        "model.loss: 'cce' needs class labels, but data.task is 'regression'; "
        "set model.loss = 'mse' (or 'half_sse')",
    ),
    _f(
        r"data\.label: required for source 'csv' \(a column name or index\)",
        "data.label: source = 'csv'에는 꼭 있어야 합니다 (열 이름 또는 인덱스)",
        "data.label: required for source 'csv' (a column name or index)",
    ),
    _f(
        r"(?P<field>.+?): only used with (?P<key>schedule|source) =? ?(?P<cond>.+?) "
        r"\((?:schedule|source) is (?P<value>.+)\)",
        lambda m: (
            f"{m['field']}: {m['key']} = {_or(m['cond'])}일 때만 쓰는 키입니다 "
            f"(지금은 {m['key']} = {m['value']})"
        ),
        "train.step_size: only used with schedule = 'step' (schedule is 'constant')",
        "train.gamma: only used with schedule = 'step' or 'exp' (schedule is 'constant')",
        "data.name: only used with source 'builtin' (source is 'csv')",
    ),
    _f(
        r"(?P<field>.+?): not an option of (?P<what>data set|source) (?P<name>'.*?') "
        r"\(options: (?P<opts>.*)\) \((?P<where>.*)\)",
        lambda m: (
            f"{m['field']}: {'데이터 세트' if m['what'] == 'data set' else 'source'} "
            f"{m['name']}의 옵션이 아닙니다 (쓸 수 있는 옵션: "
            f"{'없음' if m['opts'] == 'none' else m['opts']}) ({_where(m['where'])})"
        ),
        "data.noise: not an option of data set 'xor' (options: n) (spec)",
        "data.noise: not an option of source 'csv' (options: none) (spec)",
        "data.path: not an option of data set 'moons' (options: n, noise) (override)",
        "data.noise: not an option of data set 'xor' (options: n) (variants(data.name=xor))",
    ),
    _f(
        r"(?P<field>.+?): not an option of optimizer (?P<name>'.*?') \((?P<where>.*)\); "
        r"it belongs to (?P<opts>.*)",
        lambda m: (
            f"{_field(m['field'])}: 옵티마이저 {m['name']}의 옵션이 아닙니다 ({_where(m['where'])})."
            f" 이 키를 쓰는 옵티마이저: {m['opts']}"
        ),
        "train.momentum: not an option of optimizer 'sgd' (spec); it belongs to momentum, nesterov",
    ),
    _f(
        r"train: give exactly one of epochs or iterations \((?P<where>.*)\); got (?P<got>both|neither)",
        lambda m: (
            "train: epochs와 iterations 중 정확히 하나만 쓰세요 "
            f"({_where(m['where'])}); 지금은 {'둘 다' if m['got'] == 'both' else '둘 다 없음'}"
        ),
        "train: give exactly one of epochs or iterations (spec); got both",
        "train: give exactly one of epochs or iterations (spec); got neither",
    ),
    _f(
        r"model: give either sizes or hidden, not both",
        "model: sizes와 hidden 중 하나만 쓰세요 (둘 다는 안 됩니다)",
        "model: give either sizes or hidden, not both",
    ),
    _f(
        r"model: batchnorm and layernorm cannot both be true",
        "model: batchnorm과 layernorm을 함께 true로 둘 수 없습니다",
        "model: batchnorm and layernorm cannot both be true",
    ),
    _f(
        r"data\.name: kind 'histograms' needs data\.name = 'gaussian'",
        "data.name: kind = 'histograms'에는 data.name = 'gaussian'이 필요합니다",
        "data.name: kind 'histograms' needs data.name = 'gaussian'",
    ),
    _f(
        r"model\.sizes: needs at least \[inputs, outputs\]",
        "model.sizes: 적어도 [입력 수, 출력 수]가 필요합니다",
        "model.sizes: needs at least [inputs, outputs]",
    ),
    _f(
        r"(?P<field>.+?): not a key; write section\.key, e\.g\. train\.lr",
        "{field}: 키가 아닙니다. section.key 형식으로 쓰세요 (예: train.lr)",
        "variants.3: not a key; write section.key, e.g. train.lr",
    ),
    _f(
        r"variants\.(?P<key>.+?): \[experiment\] keys cannot vary",
        "variants.{key}: [experiment]의 키는 바꿔 가며 돌릴 수 없습니다",
        "variants.name: [experiment] keys cannot vary",
    ),
    _f(
        r"variants\.labels: must have one name per variant \((?P<n>\d+)\), got (?P<got>\d+)",
        "variants.labels: 조건마다 이름이 하나씩 ({n}개) 있어야 합니다 (입력: {got}개)",
        "variants.labels: must have one name per variant (4), got 3",
    ),
    _f(
        r"variants: mode 'zip' needs lists of equal length, got (?P<lens>.*)",
        "variants: mode = 'zip'에는 길이가 같은 목록이 필요합니다 (입력: {lens})",
        "variants: mode 'zip' needs lists of equal length, got lr: 2, epochs: 3",
    ),
    _f(
        r"(?P<text>.+), more than the limit (?P<name>\w+)=(?P<cap>[\d,]+) "
        r"\(raise it with --limit (?P=name)=N\)",
        lambda m: _over(m),
        "model.hidden: 100000-... needs at least 78,500,010 parameters, more than the limit "
        "params=20,000,000 (raise it with --limit params=N)",
        "data.n: the data set holds 40,000,000 numbers (rows × columns), more than the limit "
        "data=20,000,000 (raise it with --limit data=N)",
        "variants: the lists give 5,000 combinations, more than the limit variants=1,000 "
        "(raise it with --limit variants=N)",
        "search.space: the grid has 5,000 points, more than the limit variants=1,000 "
        "(raise it with --limit variants=N)",
        "train.batch_size: one pass over 3,000 rows of 2-2-3000 holds 18,012,000 numbers, more "
        "than the limit activations=1,000,000 (raise it with --limit activations=N)",
        "model.hidden: 2-2-300 needs 906 parameters (300 outputs: one per class of data.label), "
        "more than the limit params=500 (raise it with --limit params=N)",
        "trials: 5,000 trials, more than the limit variants=1,000 "
        "(raise it with --limit variants=N)",
    ),
    # --- the command line's own options
    _f(
        r"--set expects KEY=VALUE, got (?P<value>.*)",
        "--set에는 KEY=VALUE 형식을 쓰세요 (입력값: {value})",
        "--set expects KEY=VALUE, got 'foo'",
    ),
    _f(
        r"--set and --rng apply to experiment files; edit \[options\] instead",
        "--set과 --rng는 실험 파일에만 씁니다. 대신 [options]를 고치세요",
        "--set and --rng apply to experiment files; edit [options] instead",
    ),
    _f(
        r"--limit: expected NAME=N with NAME one of (?P<names>.+), got (?P<value>.*)",
        "--limit: NAME=N 형식이어야 합니다 (NAME은 {names} 중 하나; 입력값: {value})",
        "--limit: expected NAME=N with NAME one of params, activations, data, variants, "
        "got 'foo=1'",
    ),
    _f(
        r"give what to run: mlplab run NAME\|FILE\.toml \(mlplab list shows the names\)",
        "무엇을 실행할지 쓰세요: mlplab run NAME|FILE.toml (이름은 mlplab list로 볼 수 있습니다)",
        "give what to run: mlplab run NAME|FILE.toml (mlplab list shows the names)",
    ),
    _f(
        r"give a command: (?P<cmds>.+?) or (?P<last>\w+) \(mlplab --help shows them all\)",
        "명령을 쓰세요: {cmds}, {last} 중 하나 (mlplab --help로 모두 볼 수 있습니다)",
        "give a command: list, run, trace, report, playground or search "
        "(mlplab --help shows them all)",
    ),
    _f(
        r"give an experiment file: mlplab search SPEC\.toml",
        "실험 파일을 쓰세요: mlplab search SPEC.toml",
        "give an experiment file: mlplab search SPEC.toml",
    ),
    _f(
        r"(?P<field>--W): at most (?P<n>\d+) layers, got (?P<got>\d+)",
        "{field}: 층은 최대 {n}개입니다 (입력: {got}개)",
        "--W: at most 6 layers, got 7",
    ),
    _f(
        r"(?P<field>--W\d+): at most (?P<n>\d+) rows and columns \(a trace prints every number\), "
        r"got (?P<got>\S+)",
        "{field}: 행과 열은 최대 {n}개입니다(trace는 모든 숫자를 출력합니다) (입력: {got})",
        "--W1: at most 16 rows and columns (a trace prints every number), got 20x3",
    ),
    _f(
        r"(?P<field>--W\d+) has (?P<rows>\d+) rows but layer (?P<i>\d+) has (?P<units>\d+) units",
        "{field}의 행은 {rows}개인데 {i}번째 층의 유닛은 {units}개입니다 (같아야 합니다)",
        "--W2 has 3 rows but layer 1 has 2 units",
    ),
    _f(
        r"(?P<field>.+?): empty matrix; write rows separated by ';', e\.g\. (?P<ex>'.*')",
        "{field}: 빈 행렬입니다. 행을 ';'로 나누어 쓰세요 (예: {ex})",
        "--x: empty matrix; write rows separated by ';', e.g. '0.1 0.2; 0.3 0.4'",
    ),
    _f(
        r"(?P<field>.+?): not numbers: (?P<value>.*); write e\.g\. (?P<ex>'.*')",
        "{field}: 숫자가 아닙니다 (입력값: {value}). 예: {ex}",
        "--x: not numbers: 'a b'; write e.g. '0.1 0.2; 0.3 0.4'",
    ),
    _f(
        r"(?P<field>.+?): rows have different lengths in (?P<value>.*)",
        "{field}: 행의 길이가 서로 다릅니다 (입력값: {value})",
        "--W1: rows have different lengths in '1 2; 3'",
    ),
    _f(
        r"(?P<field>.+?): values must be finite",
        "{field}: 값은 유한한 수여야 합니다",
        "--x: values must be finite",
    ),
    _f(
        r"--host (?P<host>.+) is not an address of this machine",
        "--host {host}은(는) 이 컴퓨터의 주소가 아닙니다",
        "--host 'example.invalid' is not an address of this machine",
    ),
    _f(
        r"cannot listen on (?P<addr>\S+) \((?P<why>.*)\); choose another --port",
        lambda m: (
            f"{m['addr']}에서 기다릴 수 없습니다 ({_OS_LISTEN.get(m['why'], m['why'])}). "
            "다른 --port를 고르세요"
        ),
        "cannot listen on 127.0.0.1:8000 (Address already in use); choose another --port",
    ),
    # --- the playground server's refusals of a new tab (playground.server)
    _f(
        r"the server is full \((?P<n>\d+) sessions\); try again later",
        "서버가 가득 찼습니다 (세션 {n}개). 잠시 뒤에 다시 해 보세요",
        "the server is full (12 sessions); try again later",
    ),
    _f(
        r"at most (?P<n>\d+) playground tabs per computer; close one and reload",
        "컴퓨터 한 대에 플레이그라운드 탭은 {n}개까지입니다. 하나를 닫고 새로 고치세요",
        "at most 8 playground tabs per computer; close one and reload",
    ),
    _f(
        r"a valid access token is required",
        "올바른 접속 토큰이 필요합니다",
        "a valid access token is required",
    ),
    # --- what the playground's socket receives (playground.schema, worker, files)
    _f(
        r"(?P<what>message|import|state) is not valid JSON \(line (?P<line>\d+), column "
        r"(?P<col>\d+)\)(?:; not an \.npz model nor a JSON config)?",
        lambda m: (
            f"{m['what']}: 올바른 JSON이 아닙니다 ({m['line']}행 {m['col']}열)"
            + ("; .npz 모델도 JSON 설정도 아닙니다" if m.group(0).endswith("config") else "")
        ),
        "message is not valid JSON (line 1, column 1)",
        "import is not valid JSON (line 1, column 1); not an .npz model nor a JSON config",
    ),
    _f(
        r"(?P<what>import): not an \.npz model nor a JSON config",
        "{what}: .npz 모델도 JSON 설정도 아닙니다",
        "import: not an .npz model nor a JSON config",
    ),
    _f(
        r"(?P<what>message|import|state): (?P<s>\S+) is not a number; send finite numbers",
        "{what}: {s}은(는) 수가 아닙니다. 유한한 수를 보내세요",
        "message: 1e999 is not a number; send finite numbers",
    ),
    _f(
        r"(?P<what>message|import|state) is nested too deeply",
        "{what}: 너무 깊게 중첩되어 있습니다",
        "message is nested too deeply",
    ),
    _f(
        r"messages must be JSON text; binary frames are not used",
        "메시지는 JSON 텍스트여야 합니다. 바이너리 프레임은 쓰지 않습니다",
        "messages must be JSON text; binary frames are not used",
    ),
    _f(
        r"a message must be at most (?P<n>\d+) bytes",
        "메시지는 {n}바이트 이하여야 합니다",
        "a message must be at most 65536 bytes",
    ),
    # --- the notes of a share link (playground.links, worker.new_session): "key=value: WHAT"
    _f(
        r"(?P<kv>.+?): lang must be one of (?P<opts>.+)",
        "{kv}: lang은 {opts} 중 하나여야 합니다",
        "lang=fr: lang must be one of en, ko",
    ),
    _f(
        r"(?P<kv>.+?): no lesson of that name",
        "{kv}: 그런 이름의 수업이 없습니다",
        "lesson=zzz: no lesson of that name",
    ),
    _f(
        r"(?P<kv>.+?): TF Playground's tutorials are not here",
        "{kv}: TF Playground의 튜토리얼은 여기에 없습니다",
        "tutorial=x: TF Playground's tutorials are not here",
    ),
    _f(
        r"(?P<kv>.+?): no control of that name to hide",
        "{kv}: 숨길 수 있는 그런 이름의 컨트롤이 없습니다",
        "foo_hide=true: no control of that name to hide",
    ),
    _f(
        r"(?P<kv>.+?): TF's seed read as (?P<seed>seed=\d+) \(the same points every time, "
        r"not TF's points\)",
        "{kv}: TF의 난수 시드를 {seed}(으)로 읽었습니다 (매번 같은 점이 나오지만 TF의 점과는 다릅니다)",
        "seed=abc: TF's seed read as seed=891568578 (the same points every time, not TF's points)",
    ),
    _f(
        r"(?P<kv>.+?): initSeed must be an integer",
        "{kv}: initSeed는 정수여야 합니다",
        "initSeed=x: initSeed must be an integer",
    ),
    _f(
        r"(?P<kv>.+?): not a playground setting",
        "{kv}: 플레이그라운드의 설정이 아닙니다",
        "bogus=1: not a playground setting",
    ),
    _f(
        r"(?P<kv>.+?): upload the CSV file again \(files are not in links\)",
        "{kv}: CSV 파일을 다시 올리세요 (링크에는 파일이 담기지 않습니다)",
        "dataset=upload: upload the CSV file again (files are not in links)",
    ),
    _f(
        r"at most (?P<n>\d+) characters",
        "{n}자까지입니다",
        "at most 8000 characters",
    ),
    # --- the CLI's own lines (cli.py)
    _f(
        r"out of memory; use smaller sizes \(see --limit in README\)",
        "메모리가 부족합니다. 크기를 줄이세요 (README의 --limit 참고)",
        "out of memory; use smaller sizes (see --limit in README)",
    ),
    _f(
        r"a required package is missing \((?P<pkg>.*)\); install the extras?: (?P<cmd>pip install .*)",
        "필요한 패키지가 없습니다 ({pkg}). 추가 패키지를 설치하세요: {cmd}",
        "a required package is missing (matplotlib); install the extras: pip install 'mlplab[all]'",
        "a required package is missing (optuna); install the extra: pip install 'mlplab[search]'",
    ),
    _f(r"interrupted", "중단됨", "interrupted"),
    _f(
        r"NumPy: (?P<what>.+) \(the numbers overflow: is the learning rate too large\?\); "
        r"further warnings hidden",
        _numpy_note,
        "NumPy: overflow encountered in exp (the numbers overflow: is the learning rate too "
        "large?); further warnings hidden",
        "NumPy: invalid value encountered in subtract (the numbers overflow: is the learning "
        "rate too large?); further warnings hidden",
    ),
    _f(
        rf"(?:(?P<path>.+): )?(?P<why>{_OS_RE})",
        lambda m: (f"{m['path']}: " if m["path"] else "") + _OS[m["why"]],
        "runs/x/config.json: Permission denied",
        "out: File exists",
        "No space left on device",
    ),
    # --- argparse's own errors (the parser of mlplab, mlplab run NAME, mlplab search)
    _f(
        r"argument (?P<arg>.+?): invalid (?P<type>int|float) value: (?P<value>.*)",
        lambda m: (
            f"{_field(m['arg'])}: {'정수' if m['type'] == 'int' else '수'}가 아닙니다 "
            f"(입력값: {m['value']})"
        ),
        "argument --epochs: invalid int value: 'abc'",
        "argument --lr: invalid float value: 'x'",
    ),
    _f(
        r"argument (?P<arg>.+?): invalid \S+ value: (?P<value>.*)",
        "{arg}: 쓸 수 없는 값입니다 (입력값: {value})",
        "argument --out: invalid Path value: ''",
    ),
    _f(
        r"argument (?P<arg>.+?): invalid choice: (?P<value>.+?) \(choose from (?P<choices>.*)\)",
        "{arg}: 고를 수 없는 값 {value}입니다. 다음 중 하나를 고르세요: {choices}",
        "argument --format: invalid choice: 'xml' (choose from 'text', 'markdown', 'latex')",
        "argument COMMAND: invalid choice: 'frobnicate' (choose from 'list', 'run')",
    ),
    _f(
        r"argument (?P<arg>.+?): expected one argument",
        "{arg}: 값이 하나 필요합니다",
        "argument --lr: expected one argument",
    ),
    _f(
        r"argument (?P<arg>.+?): expected (?P<n>\d+) arguments",
        "{arg}: 값이 {n}개 필요합니다",
        "argument --pair: expected 2 arguments",
    ),
    _f(
        r"argument (?P<arg>.+?): expected at least one argument",
        "{arg}: 값이 적어도 하나 필요합니다",
        "argument --W: expected at least one argument",
    ),
    _f(
        r"argument (?P<arg>.+?): not allowed with argument (?P<other>.+)",
        "{arg}: {other}와(과) 함께 쓸 수 없습니다",
        "argument --scheduler-file: not allowed with argument --dask",
    ),
    _f(
        r"argument (?P<arg>.+?): ignored explicit argument (?P<value>.+)",
        "{arg}: 값을 받지 않는 옵션입니다 (무시된 값: {value})",
        "argument --json: ignored explicit argument 'yes'",
    ),
    _f(
        r"unrecognized arguments: (?P<args>.*)",
        "알 수 없는 인자입니다: {args}",
        "unrecognized arguments: --bogus 1",
    ),
    _f(
        r"the following arguments are required: (?P<args>.*)",
        "다음 인자가 꼭 필요합니다: {args}",
        "the following arguments are required: --x, --t",
    ),
    _f(
        r"one of the arguments (?P<args>.+) is required",
        "다음 인자 중 하나가 꼭 필요합니다: {args}",
        "one of the arguments --dask --scheduler-file is required",
    ),
    _f(
        r"ambiguous option: (?P<opt>\S+) could match (?P<opts>.*)",
        "옵션 {opt}이(가) 모호합니다. 다음 중 무엇인지 끝까지 쓰세요: {opts}",
        "ambiguous option: --l could match --lr, --lang",
    ),
]

_KINDS_OF = {"activation": "활성화 함수", "loss": "손실 함수"}


def _where(where: str) -> str:
    """Where a rule of several keys broke: ``spec`` (the file), ``override`` (``--set``) or one
    variant ``variants(train.lr=0.1)``."""
    if where == "spec":
        return "실험 파일"
    if where == "override":
        return "덮어쓴 값: --set 또는 search.space"
    if where.startswith("variants("):
        return f"조건 {where}"
    return where


_OS_LISTEN = {
    "Address already in use": "이미 쓰이고 있는 포트입니다",
    "Permission denied": "권한이 없습니다",
    "Cannot assign requested address": "이 컴퓨터의 주소가 아닙니다",
}

#: A model's output width read from a CSV file's label column (experiments.runner).
_CLASSES = r"(?: \((?P<classes>\d+) outputs: one per class of data\.label\))?"


def _classes(m: re.Match) -> str:
    c = m["classes"]
    return f" (출력 {c}개: data.label 열의 클래스마다 하나)" if c else ""


#: The text before ", more than the limit ..." (experiments.spec, search.space).
_OVER = [
    (
        re.compile(
            r"(?P<field>\S+): (?P<shown>\S+) needs(?P<least> at least)? (?P<n>[\d,]+) parameters"
            + _CLASSES
        ),
        lambda m: (
            f"{m['field']}: {m['shown']}에는 매개변수가 {m['n']}개"
            f"{' 이상' if m['least'] else ''} 필요합니다{_classes(m)}"
        ),
    ),
    (
        re.compile(r"data\.n: the data set holds (?P<n>[\d,]+) numbers \(rows × columns\)"),
        lambda m: f"data.n: 데이터 세트의 숫자가 {m['n']}개입니다 (행 × 열)",
    ),
    (
        re.compile(
            r"train\.batch_size: one pass over (?P<rows>[\d,]+) rows of (?P<widths>\S+) "
            r"holds (?P<n>[\d,]+) numbers" + _CLASSES
        ),
        lambda m: (
            f"train.batch_size(배치 크기): {m['widths']} 신경망에 {m['rows']}행을 한 번 통과시키면 "
            f"숫자 {m['n']}개를 담아야 합니다{_classes(m)}"
        ),
    ),
    (
        re.compile(r"variants: the lists give (?P<n>[\d,]+) combinations"),
        lambda m: f"variants: 목록이 만드는 조합이 {m['n']}개입니다",
    ),
    (
        re.compile(r"search\.space: the grid has (?P<n>[\d,]+) points"),
        lambda m: f"search.space: 격자의 점이 {m['n']}개입니다",
    ),
    (
        re.compile(r"trials: (?P<n>[\d,]+) trials"),
        lambda m: f"trials: 시행 횟수가 {m['n']}번입니다",
    ),
]


def _over(m: re.Match) -> str | None:
    for pattern, ko in _OVER:
        inner = pattern.fullmatch(m["text"])
        if inner is not None:
            return (
                f"{ko(inner)}. 한도 {m['name']}={m['cap']}보다 많습니다 "
                f"(--limit {m['name']}=N으로 한도를 올리세요)"
            )
    return None
