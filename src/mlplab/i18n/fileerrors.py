"""Error forms of files, for :func:`mlplab.i18n.errors.translate`.

The messages a user meets with a bad file: CSV data (:mod:`mlplab.data.csvdata`), IDX data and
MNIST folders (:mod:`mlplab.data.idx`), model files (:mod:`mlplab.modelfile`), experiment, run
and lesson files (:mod:`mlplab.experiments.spec`, :mod:`~mlplab.experiments.runfiles`,
:mod:`mlplab.playground.lessons`), run folders (:mod:`mlplab.viz.report`) -- and the words of
the libraries quoted inside them: ``tomllib``'s syntax errors (``Expected '=' after a key in a
key/value pair (at line 3, column 5)``), ``json``'s, ``gzip``/``zlib``'s, the ``csv`` module's,
Python's and NumPy's number conversions (``could not convert string to float: 'abc'``).

The file names, line and column numbers, values, sizes and limits stay exactly as written; the
words around them are Korean.  Code words a user types stay too (``header=True``,
``max_cell_chars=1000``, ``data.delimiter``).  :data:`FILE_FORMS` comes first in
:data:`mlplab.i18n.errors.FORMS`: a form whose inner text is of no known shape renders ``None``
and the next form is tried.
"""

from __future__ import annotations

import re

from .errorbase import _OS, Form, _be, _f

__all__ = ["FILE_FORMS", "library_text"]

_FILE_KINDS = {
    "experiment file": "실험 파일",
    "search file": "탐색 파일",
    "run file": "실행 설정 파일",
}
_FILE_KINDS_RE = "|".join(_FILE_KINDS)


def _os(why: str) -> str:
    return _OS.get(why, why)


def _table(rules: list[tuple[str, object]]) -> list[tuple[re.Pattern, object]]:
    return [(re.compile(p), ko) for p, ko in rules]


def _apply(rules, text: str) -> str | None:
    """The Korean of ``text`` by the first rule whose pattern matches it whole; else None."""
    for pattern, ko in rules:
        m = pattern.fullmatch(text)
        if m is None:
            continue
        if callable(ko):
            out = ko(m)
            if out is not None:
                return out
            continue
        return ko.format(**{k: v or "" for k, v in m.groupdict().items()})
    return None


def _nested(text: str) -> str:
    """Another message quoted inside this one, translated when its form is known."""
    from .errors import translate  # noqa: PLC0415 - errors imports this module

    return translate(text, "ko")


# ------------------------------------------------------------ texts of the libraries we quote
_TOML = _table([
    (r"Invalid statement", "TOML 문장이 아닙니다"),
    (r"Expected newline or end of document after a statement",
     "한 문장 뒤에는 줄을 바꾸거나 문서가 끝나야 합니다"),
    (r"Expected '=' after a key in a key/value pair", "키 뒤에 '='가 있어야 합니다 (키 = 값)"),
    (r"Expected '\]' at the end of a table declaration", "표 선언은 ']'로 끝나야 합니다"),
    (r"Expected '\]\]' at the end of an array declaration", "표 배열 선언은 ']]'로 끝나야 합니다"),
    (r"Expected (?P<x>.+)", "{x}이(가) 있어야 합니다"),
    (r"Found invalid character (?P<x>.+)", "쓸 수 없는 문자 {x}이(가) 있습니다"),
    (r"Illegal character (?P<x>.+)", "쓸 수 없는 문자 {x}이(가) 있습니다"),
    (r"Cannot declare (?P<x>.+) twice", "{x}을(를) 두 번 선언할 수 없습니다"),
    (r"Cannot overwrite a value", "이미 정한 값을 다시 정할 수 없습니다"),
    (r"Cannot mutate immutable namespace (?P<x>.+)", "이미 정해진 {x}은(는) 바꿀 수 없습니다"),
    (r"Cannot redefine namespace (?P<x>.+)", "{x}을(를) 다시 정의할 수 없습니다"),
    (r"Invalid initial character for a key part", "키의 첫 글자로 쓸 수 없는 문자입니다"),
    (r"Unclosed array", "배열이 닫히지 않았습니다 (']'가 없습니다)"),
    (r"Duplicate inline table key (?P<x>.+)", "인라인 표에 키 {x}이(가) 두 번 있습니다"),
    (r"Unclosed inline table", "인라인 표가 닫히지 않았습니다 ('}}'가 없습니다)"),
    (r"Unescaped '\\' in a string", "문자열 안의 '\\'를 이스케이프하지 않았습니다 ('\\\\'로 쓰세요)"),
    (r"Invalid hex value", "16진수 값이 잘못되었습니다"),
    (r"Escaped character is not a Unicode scalar value",
     "이스케이프한 문자가 유니코드 스칼라 값이 아닙니다"),
    (r"Unterminated string", "문자열이 닫히지 않았습니다"),
    (r"Invalid date or datetime", "날짜나 날짜·시각이 잘못되었습니다"),
    (r"Invalid value", "값이 잘못되었습니다"),
])  # fmt: skip

_JSON = _table([
    (r"Expecting value", "값이 있어야 합니다"),
    (r"Expecting property name enclosed in double quotes", "큰따옴표로 감싼 키 이름이 있어야 합니다"),
    (r"Expecting (?P<x>'.') delimiter", "구분자 {x}이(가) 있어야 합니다"),
    (r"Unterminated string starting at", "문자열이 닫히지 않았습니다 (시작 위치)"),
    (r"Invalid control character (?:(?P<x>'.+') )?at",
     lambda m: f"문자열 안에 제어 문자{' ' + m['x'] if m['x'] else ''}가 있습니다"),
    (r"Invalid \\escape(?:: (?P<x>.+))?", lambda m: f"잘못된 이스케이프 문자(\\){' ' + m['x'] if m['x'] else ''}입니다"),
    (r"Invalid \\uXXXX escape", "잘못된 \\uXXXX 이스케이프입니다"),
    (r"Extra data", "JSON 값 뒤에 다른 데이터가 더 있습니다"),
    (r"Illegal trailing comma before end of (?P<x>object|array)",
     lambda m: f"{'객체' if m['x'] == 'object' else '배열'}의 끝 앞에 쉼표를 둘 수 없습니다"),
])  # fmt: skip

_CSV_MODULE = _table([
    (r"(?P<a>'.') expected after (?P<b>'.')", "{b} 뒤에는 {a}이(가) 와야 합니다"),
    (r"unexpected end of data", "따옴표가 닫히기 전에 데이터가 끝났습니다"),
    (r"line contains NUL", "줄에 NUL 문자가 있습니다"),
    (r"new-line character seen in unquoted field.*", "따옴표 없는 칸 안에 줄바꿈 문자가 있습니다"),
])  # fmt: skip

#: zlib's inflate messages (a damaged .gz file).
_ZLIB = _table([
    (r"invalid block type", "블록 종류가 잘못되었습니다"),
    (r"invalid stored block lengths", "저장 블록의 길이가 잘못되었습니다"),
    (r"too many length or distance symbols", "길이/거리 기호가 너무 많습니다"),
    (r"invalid code lengths set", "코드 길이 집합이 잘못되었습니다"),
    (r"invalid bit length repeat", "비트 길이 반복이 잘못되었습니다"),
    (r"invalid code -- missing end-of-block", "블록 끝 코드가 없습니다"),
    (r"invalid literal/lengths set", "리터럴/길이 집합이 잘못되었습니다"),
    (r"invalid distances set", "거리 집합이 잘못되었습니다"),
    (r"invalid literal/length code", "리터럴/길이 코드가 잘못되었습니다"),
    (r"invalid distance code", "거리 코드가 잘못되었습니다"),
    (r"invalid distance too far back", "거리가 너무 멀리 거슬러 갑니다"),
    (r"incorrect header check", "헤더 검사가 맞지 않습니다"),
    (r"incorrect data check", "데이터 검사가 맞지 않습니다"),
    (r"incorrect length check", "길이 검사가 맞지 않습니다"),
])  # fmt: skip

_GZIP = _table([
    (r"Compressed file ended before the end-of-stream marker was reached",
     "압축 데이터가 끝 표시 전에 끝났습니다"),
    (r"Not a gzipped file \((?P<x>.*)\)", "gzip 파일이 아닙니다 (첫 바이트 {x})"),
    (r"Unknown compression method", "알 수 없는 압축 방식입니다"),
    (r"CRC check failed (?P<a>0x[0-9a-f]+) != (?P<b>0x[0-9a-f]+)", "CRC 검사가 맞지 않습니다 ({a} != {b})"),
    (r"Incorrect length of data produced", "풀어낸 데이터의 길이가 맞지 않습니다"),
    (r"Error (?P<n>-?\d+) while decompressing data: (?P<why>.*)",
     lambda m: f"압축을 푸는 중 오류 {m['n']}: {_apply(_ZLIB, m['why']) or m['why']}"),
    (r"Error (?P<n>-?\d+) while decompressing data",
     "압축을 푸는 중 오류 {n}"),
])  # fmt: skip

#: Python's and NumPy's texts when a text is not a number.
_CONVERT = _table([
    (r"could not convert string to float: (?P<x>.*)", "{x}은(는) 수로 바꿀 수 없습니다"),
    (r"invalid literal for int\(\) with base (?P<b>\d+): (?P<x>.*)",
     "{x}은(는) {b}진법 정수로 바꿀 수 없습니다"),
    (r"could not convert string to int: (?P<x>.*)", "{x}은(는) 정수로 바꿀 수 없습니다"),
    (r"(?P<fn>\w+)\(\) got an unexpected keyword argument (?P<x>'\w+')",
     "{fn}()에는 {x}라는 옵션이 없습니다"),
])  # fmt: skip


def library_text(text: str) -> str | None:
    """A library's own words (tomllib, json, csv, gzip/zlib, Python/NumPy conversions) in
    Korean, or None when the text is of no known shape."""
    for rules in (_TOML, _JSON, _CSV_MODULE, _GZIP, _ZLIB, _CONVERT):
        out = _apply(rules, text)
        if out is not None:
            return out
    return None


def _toml_error(m: re.Match, path: str | None = None) -> str | None:
    """``x.toml: TOML 문법 오류 (3행 5열): 키 뒤에 '='가 있어야 합니다 (키 = 값)``."""
    detail = _apply(_TOML, m["detail"])
    if detail is None:
        return None
    at = "문서 끝" if m["line"] is None else f"{m['line']}행 {m['col']}열"
    where = m["path"] + ": " if path is None else path
    return f"{where}TOML 문법 오류 ({at}): {detail}"


_TOML_AT = r" \(at (?:line (?P<line>\d+), column (?P<col>\d+)|end of document)\)"


# ----------------------------------------------------------------------------- CSV data files
_COLUMN = re.compile(r"(?P<label>label )?column (?P<n>\d+)(?P<name> \(.*\))?")


def _column(where: str) -> str | None:
    """``column 2 ('b')`` -> ``2번째 열 ('b')``; ``label column 3`` -> ``레이블 열인 3번째 열``."""
    m = _COLUMN.fullmatch(where)
    if m is None:
        return None
    col = f"{m['n']}번째 열{m['name'] or ''}"
    return f"레이블 열인 {col}" if m["label"] else col


#: The hints of ``data.csvdata.HINTS`` (Python arguments, experiment-file keys, the page).
_CSV_HINTS = {
    "pass header=True": "header=True를 주세요",
    "set data.header = true": "data.header = true로 두세요",
    "no name on it may look like a number": "어느 이름도 수처럼 보이면 안 됩니다",
    "pass a column index or header=True": "열 인덱스나 header=True를 주세요",
    "give data.label a column index or set data.header = true": (
        "data.label에 열 인덱스를 주거나 data.header = true로 두세요"
    ),
    "choose the label by its column": "레이블은 열 번호로 고르세요",
    "use task='regression' for numeric targets": "목표값이 실수이면 task='regression'을 쓰세요",
    'set data.task = "regression" for numeric targets': (
        '목표값이 실수이면 data.task = "regression"으로 두세요'
    ),
    "numeric targets are read as regression": "실수 목표값은 회귀로 읽습니다",
    "use delimiter=": "delimiter={d}를 쓰세요",
    "set data.delimiter = ": "data.delimiter = {d}로 두세요",
    "save the file comma-separated": "파일을 쉼표로 구분해 저장하세요",
}


def _csv_hint(how: str, d: str = "") -> str | None:
    """The Korean of one hint of ``data.csvdata.HINTS``; None when unknown."""
    for en in (how, how.removesuffix(d)):
        if en in _CSV_HINTS:
            return _CSV_HINTS[en].format(d=d)
    return None


def _in_column(template: str):
    def render(m: re.Match) -> str | None:
        col = _column(m["where"])
        if col is None:
            return None
        groups = {k: v or "" for k, v in m.groupdict().items()}
        groups["where"] = col
        for key in ("how", "task"):
            if groups.get(key):
                groups[key] = _csv_hint(groups[key])
                if groups[key] is None:
                    return None
        if groups.get("hint"):
            groups["hint"] = f" (1행이 열 이름이면 {groups['how']})"
        return template.format(**groups)

    return render


def _one_column(m: re.Match) -> str | None:
    out = (
        "열이 하나뿐입니다. 특성 열과 레이블 열이 적어도 하나씩 있어야 합니다 "
        f"(구분자 {m['delim']}이(가) 맞나요?"
    )
    if m["seen"]:
        how = _csv_hint(m["how"], m["seen"])
        if how is None:
            return None
        out += f" 이 줄은 {m['seen']}로 나뉜 것 같습니다: {how}"
    return out + ")"


def _label_no_header(m: re.Match) -> str | None:
    how = _csv_hint(m["how"])
    if how is None:
        return None
    return (
        f"label {m['value']}은(는) 열 이름인데 {m['path']}에는 열 이름 행(머리글)이 없습니다. {how}"
    )


_HEADER_HINT = r"(?P<hint> \(if line 1 is a header, (?P<how>[^()]+)\))?"

#: What goes wrong on one line of a CSV file (``NAME: line L: WHAT``).
_CSV_LINE = _table([
    (r"missing value in (?P<where>.+)", _in_column("{where}에 값이 비어 있습니다")),
    (r"missing value \(NaN\) in (?P<where>.+)", _in_column("{where}에 값이 비어 있습니다 (NaN)")),
    (r"infinite value in (?P<where>.+)", _in_column("{where}에 무한대 값이 있습니다")),
    (r"text (?P<text>'.*'|\".*\") in numeric (?P<where>.+?) \(expected a number\)" + _HEADER_HINT,
     _in_column("숫자 열인 {where}에 글자 {text}이(가) 있습니다 (수여야 합니다){hint}")),
    (r"number (?P<text>'.*'|\".*\") in (?P<where>.+?) is outside the float range "
     r"\((?P<range>\|x\| <= \S+)\)",
     _in_column("{where}의 수 {text}이(가) 부동소수점 범위를 벗어납니다 ({range})")),
    (r"non-integer class (?P<text>'.*'|\".*\") in (?P<where>.+?); (?P<task>.+)",
     _in_column("{where}에 정수가 아닌 클래스 {text}이(가) 있습니다. {task}")),
    (r"(?P<n>\d+) fields, expected (?P<m>\d+) like line (?P<first>\d+)",
     "칸이 {n}개입니다. {first}행처럼 {m}개여야 합니다"),
    (r"the file is empty", "파일이 비어 있습니다"),
    (r"too few rows, (?P<n>\d+) data row\(s\) found, need at least (?P<m>\d+)",
     "행이 너무 적습니다: 데이터 행이 {n}개이고, 적어도 {m}개가 필요합니다"),
    (r"only 1 column; need at least one feature and a label \(is the delimiter (?P<delim>'.*?') "
     r"right\?(?: the line looks separated by (?P<seen>'.*?'): (?P<how>.+))?\)",
     _one_column),
    (r"not UTF-8 text \(byte (?P<byte>0x[0-9a-f]+)\); (?P<re>re-)?save the file as UTF-8",
     lambda m: f"UTF-8 텍스트가 아닙니다 (바이트 {m['byte']}). "
     f"파일을 UTF-8로 {'다시 ' if m['re'] else ''}저장하세요"),
    (r"malformed CSV \((?P<why>.*)\)",
     lambda m: f"CSV 형식이 잘못되었습니다 ({_apply(_CSV_MODULE, m['why']) or m['why']})"),
    (r"a cell has more than (?P<n>\d+) characters", "한 칸이 {n}자보다 깁니다"),
    (r"column (?P<j>\d+) has a cell of (?P<n>\d+) characters, more than "
     r"(?P<cap>max_cell_chars=\d+)",
     "{j}번째 열의 한 칸이 {n}자로, {cap}보다 깁니다"),
    (r"more than (?P<n>\d+) characters on one line \(a cell may have at most "
     r"(?P<cap>max_cell_chars=\d+), with (?:(?P<cols>\d+) columns|(?P<capcols>max_cols=\d+))\)",
     lambda m: f"한 줄이 {m['n']}자보다 깁니다 (한 칸은 최대 {m['cap']}자, "
     + (f"열 {m['cols']}개" if m["cols"] else m["capcols"]) + ")"),
    (r"(?P<n>\d+) columns, more than (?P<cap>max_cols=\d+)", "열이 {n}개로, {cap}보다 많습니다"),
    (r"more than (?P<cap>max_rows=\d+) data rows", "데이터 행이 {cap}보다 많습니다"),
    (r"the data is longer than (?P<cap>max_bytes=\d+)", "데이터가 {cap}보다 깁니다"),
])  # fmt: skip


def _csv_line(m: re.Match) -> str | None:
    what = _apply(_CSV_LINE, m["inner"])
    return None if what is None else f"{m['path']}: {m['line']}행: {what}"


def _one_class(m: re.Match) -> str | None:
    col = _column(m["where"])
    if col is None:
        return None
    return (
        f"{m['path']}: {m['a']}-{m['b']}행: {col}의 클래스가 {m['cls']} 하나뿐입니다. "
        "분류에는 클래스가 적어도 2개 필요합니다"
    )


# ---------------------------------------------------------------------------- model files
_PARTS = {"the model description": "모델 설명", "the description": "모델 설명"}
_LAYER = re.compile(r"layer (?P<i>\d+)(?: \((?P<kind>\w+)\))?(?: (?P<key>\w+))?")


def _model_part(what: str) -> str:
    """``parameter W1`` -> ``매개변수 W1``, ``layer 2 (Affine) in`` -> ``2번째 층(Affine)의 in``."""
    if what in _PARTS:
        return _PARTS[what]
    if what.startswith("parameter "):
        return "매개변수 " + what.removeprefix("parameter ")
    m = _LAYER.fullmatch(what)
    if m is not None:
        kind = f"({m['kind']})" if m["kind"] else ""
        return f"{m['i']}번째 층{kind}" + (f"의 {m['key']}" if m["key"] else "")
    return what


def _model_must_be(m: re.Match) -> str | None:
    """``layer 1 (Affine) in must be in [1, 100000], got 0`` -> ``1번째 층(Affine)의 in: ...``."""
    from .errors import _what  # noqa: PLC0415 - errors imports this module

    noun = _what(m["what"])
    if noun is None:
        return None
    cap = f" (한도 {m['cap']})" if m["cap"] else ""
    return f"{_model_part(m['where'])}: {_be(noun)} (입력값: {m['value']}){cap}"


#: What :mod:`mlplab.modelfile` finds wrong inside a model file (``NAME: WHAT``).
_MODEL = _table([
    (r"not an mlplab model file \(no __mlplab__ entry\)",
     "mlplab 모델 파일이 아닙니다 (__mlplab__ 항목이 없습니다)"),
    (r"not an mlplab model description \(missing format 'mlplab\.Sequential'\)",
     "mlplab 모델 설명이 아닙니다 (format 'mlplab.Sequential'이 없습니다)"),
    (r"model file version (?P<v>\d+) is newer than this mlplab understands \((?P<ours>\d+)\); "
     r"upgrade mlplab",
     "모델 파일의 버전 {v}은(는) 이 mlplab이 읽을 수 있는 버전({ours})보다 새롭습니다. "
     "mlplab을 업그레이드하세요"),
    (r"the archive has (?P<n>\d+) members, more than the limit (?P<cap>max_members=\d+)",
     "압축 파일의 항목이 {n}개로, 한도 {cap}보다 많습니다"),
    (r"the archive holds (?P<name>'.*') twice", "압축 파일에 {name} 항목이 두 번 있습니다"),
    (r"the model description is not valid JSON", "모델 설명이 올바른 JSON이 아닙니다"),
    (r"the model description is nested too deeply", "모델 설명의 중첩이 너무 깊습니다"),
    (r"the model description is not a text entry", "모델 설명이 텍스트 항목이 아닙니다"),
    (r"the model description is (?P<n>\d+) bytes, more than the limit (?P<cap>max_meta_bytes=\d+)",
     "모델 설명이 {n}바이트로, 한도 {cap}보다 큽니다"),
    (r"unexpected member (?P<name>'.*') of (?P<n>\d+) bytes \(more than the limit "
     r"(?P<cap>max_extra_bytes=\d+)\)",
     "예상하지 못한 항목 {name}이(가) {n}바이트입니다 (한도 {cap}보다 큽니다)"),
    (r"parameter (?P<name>\S+) is missing", "매개변수 {name}이(가) 없습니다"),
    (r"(?P<what>the model description|parameter \S+|state/\S+) is not a valid \.npy array",
     lambda m: f"{_model_part(m['what'])}이(가) 올바른 .npy 배열이 아닙니다"),
    (r"(?P<what>parameter \S+|state/\S+) claims (?P<n>\d+) bytes but shape (?P<shape>\(.*\)) "
     r"needs at most (?P<m>\d+)",
     lambda m: f"{_model_part(m['what'])}의 크기가 {m['n']}바이트라고 하지만 모양 {m['shape']}에는 "
     f"많아야 {m['m']}바이트가 필요합니다"),
    (r"(?P<what>parameter \S+|state/\S+) has dtype (?P<dtype>\S+); model arrays must be real floats",
     lambda m: f"{_model_part(m['what'])}의 자료형이 {m['dtype']}입니다. "
     "모델 배열은 실수(float)여야 합니다"),
    (r"(?P<what>parameter \S+|state/\S+) has shape (?P<shape>\(.*\)), the model needs "
     r"(?P<need>\(.*\))",
     lambda m: f"{_model_part(m['what'])}의 모양이 {m['shape']}인데 모델에는 {m['need']}이(가) "
     "필요합니다"),
    (r"(?P<what>parameter \S+|state/\S+) has (?P<n>\d+) data bytes, expected (?P<m>\d+)",
     lambda m: f"{_model_part(m['what'])}의 데이터가 {m['n']}바이트입니다 ({m['m']}바이트여야 "
     "합니다)"),
    (r"(?P<what>the model description|parameter \S+|state/\S+) is truncated",
     lambda m: f"{_model_part(m['what'])}이(가) 잘렸습니다"),
    (r"(?P<what>the model description|parameter \S+|state/\S+) has more data than its header says",
     lambda m: f"{_model_part(m['what'])}에 헤더가 말하는 것보다 데이터가 더 있습니다"),
    (r"the model has (?P<n>\d+) layers, more than the limit (?P<cap>max_layers=\d+)",
     "모델의 층이 {n}개로, 한도 {cap}보다 많습니다"),
    (r"the model needs more than (?P<n>\d+) numbers \(limit (?P<cap>max_params=\d+)\)",
     "모델에 숫자가 {n}개보다 많이 필요합니다 (한도 {cap})"),
    (r"layer (?P<i>\d+) has unknown type (?P<kind>.+) \(known: (?P<known>.*)\)",
     "{i}번째 층의 종류 {kind}을(를) 알 수 없습니다 (쓸 수 있는 종류: {known})"),
    (r"(?P<where>layer \d+|the description|head|regularization) lacks (?P<key>'.*')",
     lambda m: f"{_model_part(m['where'])}에 {m['key']}이(가) 없습니다"),
    (r"(?P<where>layer \d+|the description|head|regularization) has unknown key (?P<key>.+) "
     r"\(allowed: (?P<allowed>.*)\)",
     lambda m: f"{_model_part(m['where'])}에 알 수 없는 키 {m['key']}이(가) 있습니다 "
     f"(쓸 수 있는 키: {m['allowed']})"),
    (r"(?P<where>layer \d+(?: \(\w+\))?(?: \w+)?|version|dtype|layers|input_dim|head"
     r"|regularization \w+) must be (?P<what>.+?), got (?P<value>.+?)"
     r"(?: \((?P<cap>limit max_\w+=\d+)\))?",
     _model_must_be),
    (r"(?P<where>layer \d+|head): (?P<rest>.+)",
     lambda m: f"{_model_part(m['where'])}: {_nested(m['rest'])}"),
    (r"layer (?P<i>\d+) \(Affine\) takes (?P<a>\d+) inputs but receives (?P<b>\d+)",
     "{i}번째 층(Affine)의 입력은 {a}개인데 앞 층의 출력은 {b}개입니다"),
    (r"layer (?P<i>\d+) \((?P<kind>\w+)\) normalizes (?P<a>\d+) features but receives (?P<b>\d+)",
     "{i}번째 층({kind})은 특성 {a}개를 정규화하는데 앞 층의 출력은 {b}개입니다"),
])  # fmt: skip


def _table_or_nested(rules, text: str) -> str | None:
    """The Korean of ``text`` by ``rules``, else as another known message; None if neither."""
    out = _apply(rules, text)
    if out is None:
        out = _nested(text)
    return None if out == text else out


def _model_inner(m: re.Match) -> str | None:
    inner = _table_or_nested(_MODEL, m["inner"])
    return None if inner is None else f"{m['path']}: {inner}"


# ------------------------------------------------------------------------ playground lessons
_LESSON = _table([
    (r"the file name must be 1-40 of a-z, 0-9, - and _ \(it is the lesson's name\)",
     "파일 이름은 a-z, 0-9, -, _ 중에서 1~40자여야 합니다 (파일 이름이 레슨 이름입니다)"),
    (r"the file must be at most (?P<n>\d+) bytes", "파일은 {n}바이트 이하여야 합니다"),
    (r"the file must be UTF-8 text", "파일은 UTF-8 텍스트여야 합니다"),
    (r"cannot be read \((?P<why>.*)\)", lambda m: f"읽을 수 없습니다 ({_os(m['why'])})"),
    (r"not valid TOML \((?P<detail>.*?)" + _TOML_AT + r"\)", lambda m: _toml_error(m, "")),
    (r"(?P<key>'.*') is unknown; a lesson has (?P<keys>.*)",
     "{key}은(는) 알 수 없는 키입니다. 레슨에 쓸 수 있는 키: {keys}"),
    (r"(?P<key>'.*') is missing", "{key}이(가) 없습니다"),
    (r"hints must be a list of at most (?P<n>\d+) \[\[hints\]\] tables",
     "hints는 [[hints]] 표를 최대 {n}개 담은 목록이어야 합니다"),
    (r"(?P<key>\S+) must be a table of texts (?P<ex>\{.*\})",
     "{key}은(는) {ex} 같은 언어별 텍스트의 표여야 합니다"),
    (r"(?P<key>\S+) needs a text in (?P<missing>.+?) \(languages: (?P<langs>.*)\)",
     lambda m: f"{m['key']}에 {m['missing'].replace(' and ', ', ')} 텍스트가 있어야 합니다 "
     f"(언어: {m['langs']})"),
    (r"(?P<key>\S+) has unknown language\(s\) (?P<x>.+); use (?P<langs>.*)",
     "{key}에 알 수 없는 언어 {x}이(가) 있습니다. 다음 언어를 쓰세요: {langs}"),
    (r"(?P<key>\S+) must be at most (?P<n>\d+) characters", "{key}은(는) {n}자 이하여야 합니다"),
    (r"\[(?P<key>\w+)\] must be a table of page settings", "[{key}]는 페이지 설정의 표여야 합니다"),
    (r"(?P<key>\S+) is not a page setting \(see schema\.DEFAULTS\)",
     "{key}은(는) 페이지 설정이 아닙니다 (schema.DEFAULTS 참고)"),
    (r"(?P<key>\S+) cannot be 'upload' \(a lesson has no file\)",
     "{key}은(는) 'upload'일 수 없습니다 (레슨에는 파일이 없습니다)"),
    (r"\[goal\] must be a table", "[goal]은 표여야 합니다"),
    (r"goal\.(?P<key>\S+) is unknown; a goal has (?P<keys>.*)",
     "goal.{key}은(는) 알 수 없는 키입니다. goal에 쓸 수 있는 키: {keys}"),
    (r"goal\.(?P<key>\S+) is a fraction in (?P<rng>\(0, 1\)), got (?P<value>.*)",
     "goal.{key}은(는) {rng} 범위의 비율입니다 (입력값: {value})"),
    (r"\[goal\] needs one of (?P<keys>.*)", "[goal]에는 {keys} 중 하나가 있어야 합니다"),
    (r"goal\.within \(epochs\) is missing", "goal.within(에포크 수)이 없습니다"),
    (r"goal\.keep must be a list of settings among (?P<keys>.*)",
     "goal.keep은 {keys} 중에서 고른 설정의 목록이어야 합니다"),
])  # fmt: skip


def _lesson(m: re.Match) -> str | None:
    inner = _table_or_nested(_LESSON, m["inner"])
    return None if inner is None else f"레슨 {m['where']}: {inner}"


# -------------------------------------------------------------------------------- the forms
FILE_FORMS: list[Form] = [
    # --- experiment, search and run files (experiments.spec.read_toml, search.space)
    _f(
        r"experiment file (?P<path>.+) does not exist",
        "실험 파일 {path}이(가) 없습니다",
        "experiment file 'nosuch.toml' does not exist",
    ),
    _f(
        r"run file (?P<path>.+) does not exist",
        "실행 설정 파일 {path}이(가) 없습니다",
        "run file 'nosuch.toml' does not exist",
    ),
    _f(
        r"search file (?P<path>.+) does not exist; built-in: (?P<names>.*)",
        "탐색 파일 {path}이(가) 없습니다. 내장 탐색: {names}",
        "search file 'nosuch.toml' does not exist; built-in: random-search",
    ),
    _f(
        rf"(?P<path>.+?): (?P<what>{_FILE_KINDS_RE}) is larger than (?P<n>\d+) bytes",
        lambda m: f"{m['path']}: {_FILE_KINDS[m['what']]}이 {m['n']}바이트보다 큽니다",
        "big.toml: experiment file is larger than 1048576 bytes",
    ),
    _f(
        rf"(?P<path>.+?): cannot read the (?P<what>{_FILE_KINDS_RE}) \((?P<why>.*)\)",
        lambda m: f"{m['path']}: {_FILE_KINDS[m['what']]}을 읽을 수 없습니다 ({_os(m['why'])})",
        "x.toml: cannot read the experiment file (Permission denied)",
    ),
    _f(
        r"(?P<path>.+?): invalid TOML: nested too deeply",
        "{path}: TOML 문법 오류: 중첩이 너무 깊습니다",
        "x.toml: invalid TOML: nested too deeply",
    ),
    _f(
        r"(?P<path>.+?): invalid TOML: (?P<detail>.*?)" + _TOML_AT,
        _toml_error,
        "x.toml: invalid TOML: Expected ']' at the end of a table declaration "
        "(at line 1, column 12)",
        "x.toml: invalid TOML: Expected '=' after a key in a key/value pair (at line 3, column 5)",
        'x.toml: invalid TOML: Expected "\'" (at end of document)',
        "x.toml: invalid TOML: Cannot declare ('a',) twice (at line 2, column 3)",
        "x.toml: invalid TOML: Invalid value (at line 1, column 5)",
        "x.toml: invalid TOML: Unclosed inline table (at line 1, column 11)",
        "x.toml: invalid TOML: Expected newline or end of document after a statement "
        "(at line 1, column 25)",
    ),
    _f(
        r"(?P<path>.+?): invalid TOML: (?P<detail>.+?)(?:" + _TOML_AT + ")?",
        lambda m: (
            f"{m['path']}: TOML 문법 오류"
            + (f" ({m['line']}행 {m['col']}열)" if m["line"] else "")
            + f": {m['detail']}"
        ),
        "x.toml: invalid TOML: Something tomllib says in a newer Python (at line 2, column 1)",
    ),
    _f(
        r"(?P<path>.+?): no \[search\] table; add \[search\] and \[search\.space\]",
        "{path}: [search] 표가 없습니다. [search]와 [search.space]를 추가하세요",
        "x.toml: no [search] table; add [search] and [search.space]",
    ),
    # --- the [search] table of a search file (search.space, search.study)
    _f(
        r"(?P<where>\S+): [Vv]?(?:the )?grid sampler needs a list(?P<step>, step = S)? or "
        r"points = N for a range",
        lambda m: (
            f"{m['where']}: grid 샘플러에는 목록"
            + (", step = S" if m["step"] else "")
            + " 또는 범위의 points = N이 필요합니다"
        ),
        "search.space.train.lr: the grid sampler needs a list or points = N for a range",
        "search.space.train.epochs: the grid sampler needs a list, step = S or points = N "
        "for a range",
    ),
    _f(
        r"(?P<where>\S+): a choice takes only 'choices', got (?P<value>.*)",
        "{where}: 선택지 표에는 'choices'만 쓸 수 있습니다 (입력: {value})",
        "search.space.train.lr: a choice takes only 'choices', got ['low']",
    ),
    _f(
        r"(?P<where>\S+): empty list; give at least one value",
        "{where}: 빈 목록입니다. 값을 하나 이상 주세요",
        "search.space.train.lr: empty list; give at least one value",
    ),
    _f(
        r"(?P<where>\S+): at most (?P<n>\d+) choices, got (?P<got>\d+)",
        "{where}: 선택지는 최대 {n}개입니다 (입력: {got}개)",
        "search.space.train.lr: at most 1000 choices, got 2000",
    ),
    _f(
        r"(?P<where>\S+): repeated values in (?P<value>.*)",
        "{where}: {value}에 같은 값이 두 번 이상 있습니다",
        "search.space.train.lr: repeated values in [0.1, 0.1]",
    ),
    _f(
        r"(?P<where>\S+): a range needs low and high \(optional log, step, points\), "
        r"got keys (?P<keys>.*)",
        "{where}: 범위에는 low와 high가 필요합니다 (log, step, points는 골라 씀) (입력한 키: {keys})",
        "search.space.train.lr: a range needs low and high (optional log, step, points), "
        "got keys ['lo']",
    ),
    _f(
        r"(?P<where>\S+): low must be < high, got (?P<value>low = \S+, high = \S+)",
        "{where}: low는 high보다 작아야 합니다 (입력: {value})",
        "search.space.train.lr: low must be < high, got low = 1.0, high = 0.1",
    ),
    _f(
        r"(?P<where>\S+): empty range \((?P<value>low = high = \S+)\); use a list for one value",
        "{where}: 빈 범위입니다 ({value}). 값 하나는 목록으로 쓰세요",
        "search.space.train.lr: empty range (low = high = 0.1); use a list for one value",
    ),
    _f(
        r"(?P<where>\S+): a log range needs low > 0, got (?P<value>low = \S+)",
        "{where}: 로그 범위에는 low > 0이 필요합니다 (입력: {value})",
        "search.space.train.lr: a log range needs low > 0, got low = 0",
    ),
    _f(
        r"(?P<where>\S+): is not numeric; give a list of values",
        "{where}: 수로 된 키가 아닙니다. 값의 목록을 주세요",
        "search.space.train.optimizer: is not numeric; give a list of values",
    ),
    _f(
        r"(?P<where>\S+): step and log = true cannot be combined",
        "{where}: step과 log = true는 함께 쓸 수 없습니다",
        "search.space.train.epochs: step and log = true cannot be combined",
    ),
    _f(
        r"(?P<where>\S+)\.step: only for integer keys; use points = N for a grid",
        "{where}.step: step은 정수 키에만 씁니다. 격자는 points = N으로 만드세요",
        "search.space.train.lr.step: only for integer keys; use points = N for a grid",
    ),
    _f(
        r"search\.space: give at least one hyperparameter, e\.g\. (?P<ex>.*)",
        "search.space: 하이퍼파라미터를 하나 이상 주세요 (예: {ex})",
        'search.space: give at least one hyperparameter, e.g. "train.lr" = '
        "{ low = 1e-4, high = 1e-1, log = true }",
    ),
    _f(
        r"(?P<path>.+?): \[variants\] and \[search\] cannot be combined",
        "{path}: [variants]와 [search]는 함께 쓸 수 없습니다",
        "x.toml: [variants] and [search] cannot be combined",
    ),
    _f(
        r"search: needs an experiment of kind 'train'",
        "search: kind = 'train'인 실험이 필요합니다",
        "search: needs an experiment of kind 'train'",
    ),
    _f(
        r"search: must be a \[search\] table, got (?P<value>.*)",
        "search: [search] 표여야 합니다 (입력값: {value})",
        "search: must be a [search] table, got 3",
    ),
    _f(
        r"(?P<field>search\.metric): (?P<metric>'\w+') needs validation data; set (?P<key>search\.validation) "
        r"\(e\.g\. 0\.2\) or data\.test_size > 0",
        "{field}: {metric}에는 검증 데이터가 필요합니다. {key}(예: 0.2)이나 "
        "data.test_size > 0을 정하세요",
        "search.metric: 'val_acc' needs validation data; set search.validation (e.g. 0.2) or "
        "data.test_size > 0",
    ),
    _f(
        r"(?P<field>search\.validation): the training set has fewer than 2 rows",
        "{field}: 학습 데이터의 행이 2개보다 적습니다",
        "search.validation: the training set has fewer than 2 rows",
    ),
    _f(
        r"(?P<head>search\.space\.\S+ = .+?): (?P<inner>(?!could not|invalid literal).+)",
        lambda m: None if (inner := _nested(m["inner"])) == m["inner"] else f"{m['head']}: {inner}",
        "search.space.train.momentum = 0.5: train.momentum: not an option of optimizer 'sgd' "
        "(override); it belongs to momentum, nesterov",
    ),
    # --- run folders (mlplab report DIR: viz.report)
    _f(
        r"run folder (?P<path>.+) does not exist or is not a folder",
        "실행 폴더 {path}이(가) 없거나 폴더가 아닙니다",
        "run folder '/nonexistent' does not exist or is not a folder",
    ),
    _f(
        r"(?P<path>.+) is not a run folder: config\.json is missing",
        "{path}은(는) 실행 폴더가 아닙니다: config.json이 없습니다",
        "'runs/x' is not a run folder: config.json is missing",
    ),
    _f(
        r"(?P<path>.+?) is not valid JSON: (?P<detail>.+?): line (?P<line>\d+) column (?P<col>\d+) "
        r"\(char \d+\)",
        lambda m: (
            None
            if (d := _apply(_JSON, m["detail"])) is None
            else f"{m['path']}: JSON 문법 오류 ({m['line']}행 {m['col']}열): {d}"
        ),
        "runs/x/config.json is not valid JSON: Expecting value: line 1 column 1 (char 0)",
        "runs/x/config.json is not valid JSON: Expecting property name enclosed in double "
        "quotes: line 1 column 2 (char 1)",
        "runs/x/run.json is not valid JSON: Expecting ',' delimiter: line 3 column 5 (char 20)",
        "runs/x/run.json is not valid JSON: Extra data: line 1 column 3 (char 2)",
    ),
    _f(
        r"(?P<path>.+) is nested too deeply to be a run file",
        "{path}의 중첩이 너무 깊어 실행 기록 파일일 수 없습니다",
        "runs/x/metrics.json is nested too deeply to be a run file",
    ),
    _f(
        r"(?P<path>.+) must hold a JSON object",
        "{path}에는 JSON 객체가 있어야 합니다",
        "runs/x/config.json must hold a JSON object",
    ),
    _f(
        r"(?P<path>.+) must be a regular file \(not a link or a folder\)",
        "{path}은(는) 일반 파일이어야 합니다 (링크나 폴더가 아니어야 합니다)",
        "runs/x/run.json must be a regular file (not a link or a folder)",
    ),
    _f(
        r"(?P<path>.+) is larger than (?P<n>\d+) MB",
        "{path}의 크기가 {n} MB보다 큽니다",
        "runs/x/metrics.json is larger than 50 MB",
    ),
    _f(
        r"(?P<path>.+) is a folder; remove or rename it to rebuild the report",
        "{path}은(는) 폴더입니다. 보고서를 다시 만들려면 그 폴더를 지우거나 이름을 바꾸세요",
        "'runs/x/report.html' is a folder; remove or rename it to rebuild the report",
    ),
    # --- model files (modelfile.load)
    _f(
        r"model file (?P<path>.+) does not exist",
        "모델 파일 {path}이(가) 없습니다",
        "model file 'm.npz' does not exist",
    ),
    _f(
        r"(?P<path>.+?) is corrupt or not an mlplab \.npz file \((?P<why>.*)\)",
        lambda m: (
            f"{m['path']}은(는) 손상되었거나 mlplab .npz 파일이 아닙니다 "
            f"({_ZIP.get(m['why'], m['why'])})"
        ),
        "m.npz is corrupt or not an mlplab .npz file (File is not a zip file)",
        "m.npz is corrupt or not an mlplab .npz file (EOFError)",
        "m.npz is corrupt or not an mlplab .npz file (Bad magic number for file header)",
    ),
    _f(
        r"(?P<path>.+?) is (?P<n>\d+) bytes, more than the limit (?P<cap>max_file_bytes=\d+)",
        "{path}의 크기가 {n}바이트로, 한도 {cap}보다 큽니다",
        "m.npz is 300000000 bytes, more than the limit max_file_bytes=268435456",
    ),
    _f(
        r"(?P<path>.+?): the model description is invalid \((?P<why>.*)\)",
        lambda m: f"{m['path']}: 모델 설명이 잘못되었습니다 ({_nested(m['why'])})",
        "m.npz: the model description is invalid (unknown activation 'foo'; choose one of: "
        "sigmoid, relu)",
    ),
    _f(
        r"(?P<path>.+?): cannot read \((?P<why>.*)\)",
        lambda m: f"{m['path']}: 읽을 수 없습니다 ({_os(m['why'])})",
        "m.npz: cannot read (Permission denied)",
    ),
    _f(
        r"(?P<path>.+?\.npz|model file): (?P<inner>.+)",
        _model_inner,
        "m.npz: not an mlplab model file (no __mlplab__ entry)",
        "m.npz: model file version 9 is newer than this mlplab understands (1); upgrade mlplab",
        "m.npz: parameter W1 has shape (3, 2), the model needs (2, 3)",
        "m.npz: parameter W1 claims 900000 bytes but shape (2, 3) needs at most 48",
        "m.npz: parameter b1 is truncated",
        "m.npz: the archive has 5000 members, more than the limit max_members=1024",
        "m.npz: layer 2 has unknown type 'Conv' (known: Affine, Activation)",
        "m.npz: layer 1 has unknown key 'foo' (allowed: bias, in, out, type)",
        "m.npz: the description lacks 'layers'",
    ),
    # --- CSV data (data.csvdata)
    _f(
        r"(?P<path>.+?): line (?P<line>\d+): (?P<inner>.+)",
        _csv_line,
        "data.csv: line 3: text 'abc' in numeric column 2 ('b') (expected a number)",
        "data.csv: line 1: text 'x' in numeric column 2 (expected a number) "
        "(if line 1 is a header, pass header=True)",
        "data.csv: line 3: 2 fields, expected 3 like line 1",
        "data.csv: line 1: the file is empty",
        "data.csv: line 3: missing value in column 2 ('b')",
        "data.csv: line 3: missing value in label column 3 ('y')",
        "data.csv: line 3: missing value (NaN) in column 2 ('b')",
        "data.csv: line 3: infinite value in column 2",
        "data.csv: line 3: number '1e999' in column 2 ('b') is outside the float range "
        "(|x| <= 1.798e+308)",
        "data.csv: line 2: non-integer class '0.5' in label column 3 ('y'); "
        "use task='regression' for numeric targets",
        "data.csv: line 2: non-integer class '0.5' in label column 3 ('y'); "
        'set data.task = "regression" for numeric targets',
        "data.csv: line 1: text 'x' in numeric column 2 (expected a number) "
        "(if line 1 is a header, set data.header = true)",
        "data.csv: line 1: text 'x' in numeric column 2 (expected a number) "
        "(if line 1 is a header, no name on it may look like a number)",
        "data.csv: line 1: only 1 column; need at least one feature and a label "
        "(is the delimiter ',' right? the line looks separated by ';': set data.delimiter = ';')",
        "data.csv: line 1: only 1 column; need at least one feature and a label "
        "(is the delimiter ',' right? the line looks separated by ';': "
        "save the file comma-separated)",
        "data.csv: line 2: too few rows, 1 data row(s) found, need at least 2",
        "data.csv: line 1: only 1 column; need at least one feature and a label "
        "(is the delimiter ',' right? the line looks separated by ';': use delimiter=';')",
        "data.csv: line 1: only 1 column; need at least one feature and a label "
        "(is the delimiter ',' right?)",
        "data.csv: line 3: not UTF-8 text (byte 0xff); re-save the file as UTF-8",
        "x.toml: line 3: not UTF-8 text (byte 0xff); save the file as UTF-8",
        "data.csv: line 3: malformed CSV (',' expected after '\"')",
        "data.csv: line 4: malformed CSV (unexpected end of data)",
        "data.csv: line 2: a cell has more than 1000 characters",
        "data.csv: line 2: column 1 has a cell of 1200 characters, more than max_cell_chars=1000",
        "data.csv: line 1: more than 10030002 characters on one line (a cell may have at most "
        "max_cell_chars=1000, with max_cols=10000)",
        "data.csv: line 5: more than 3011 characters on one line (a cell may have at most "
        "max_cell_chars=1000, with 3 columns)",
        "data.csv: line 1: 12 columns, more than max_cols=10",
        "data.csv: line 9: more than max_rows=8 data rows",
        "data.csv: line 9: the data is longer than max_bytes=100",
    ),
    _f(
        r"(?P<path>.+?): lines (?P<a>\d+)-(?P<b>\d+): only one class \((?P<cls>.*)\) in "
        r"(?P<where>.+?); classification needs at least 2",
        _one_class,
        "data.csv: lines 2-4: only one class ('0') in label column 3 ('y'); "
        "classification needs at least 2",
    ),
    _f(
        r"(?P<what>CSV|IDX) file not found: (?P<path>.*)",
        "{what} 파일이 없습니다: {path}",
        "IDX file not found: /x/train-images-idx3-ubyte",
        "CSV file not found: data.csv",
    ),
    _f(
        r"cannot read (?P<what>CSV|IDX) file (?P<path>.+?): (?P<why>.*)",
        lambda m: f"{m['what']} 파일 {m['path']}을(를) 읽을 수 없습니다 ({_os(m['why'])})",
        "cannot read CSV file data.csv: Permission denied",
        "cannot read IDX file /d/train-images-idx3-ubyte: Permission denied",
    ),
    _f(
        r"(?P<path>.+?) is not a regular file",
        "{path}은(는) 일반 파일이 아닙니다 (폴더나 장치 파일은 읽지 않습니다)",
        "/tmp is not a regular file",
    ),
    _f(
        r"(?P<path>.+?) is (?P<n>\d+) bytes, more than (?P<cap>max_bytes=\d+)",
        "{path}의 크기가 {n}바이트로, {cap}보다 큽니다",
        "data.csv is 5000 bytes, more than max_bytes=100",
    ),
    _f(
        r"label (?P<value>'.*') is a column name but (?P<path>.+) has no header row; (?P<how>.+)",
        _label_no_header,
        "label 'y' is a column name but data.csv has no header row; "
        "pass a column index or header=True",
        "label 'y' is a column name but data.csv has no header row; "
        "give data.label a column index or set data.header = true",
    ),
    _f(
        r"label must be one of the columns (?P<cols>\[.*\]); got (?P<value>.*)",
        "label: 열 {cols} 중 하나여야 합니다 (입력값: {value})",
        "label must be one of the columns ['a', 'b', 'c']; got 'y'",
    ),
    # --- IDX files and MNIST folders (data.idx)
    _f(
        r"corrupt or truncated gzip file (?P<path>.+?): (?P<why>.*)",
        lambda m: (
            f"gzip 파일 {m['path']}이(가) 손상되었거나 잘렸습니다 "
            f"({_apply(_GZIP, m['why']) or m['why']})"
        ),
        "corrupt or truncated gzip file /d/a.gz: Compressed file ended before the "
        "end-of-stream marker was reached",
        "corrupt or truncated gzip file /d/a.gz: Not a gzipped file (b'PK')",
        "corrupt or truncated gzip file /d/a.gz: CRC check failed 0x1 != 0x2",
        "corrupt or truncated gzip file /d/a.gz: Error -3 while decompressing data: "
        "invalid block type",
    ),
    _f(
        r"(?P<path>.+?) is not an IDX file: only (?P<n>\d+) bytes",
        "{path}은(는) IDX 파일이 아닙니다: {n}바이트뿐입니다",
        "/d/train-images-idx3-ubyte is not an IDX file: only 2 bytes",
    ),
    _f(
        r"(?P<path>.+?) is not an IDX file: magic number starts with (?P<hex>[0-9a-f]+), "
        r"expected 0000",
        "{path}은(는) IDX 파일이 아닙니다: 매직 넘버가 {hex}(으)로 시작합니다 (0000이어야 합니다)",
        "/d/train-images-idx3-ubyte is not an IDX file: magic number starts with 1234, "
        "expected 0000",
    ),
    _f(
        r"(?P<path>.+?): unknown IDX type code (?P<code>0x[0-9A-F]+)",
        "{path}: 알 수 없는 IDX 자료형 코드 {code}입니다",
        "/d/train-images-idx3-ubyte: unknown IDX type code 0x07",
    ),
    _f(
        r"(?P<path>.+?): IDX header declares 0 dimensions",
        "{path}: IDX 헤더의 차원 수가 0입니다",
        "/d/train-images-idx3-ubyte: IDX header declares 0 dimensions",
    ),
    _f(
        r"(?P<path>.+?): truncated IDX header \((?P<n>\d+) bytes, need (?P<m>\d+)\)",
        "{path}: IDX 헤더가 잘렸습니다 ({n}바이트, {m}바이트 필요)",
        "/d/train-images-idx3-ubyte: truncated IDX header (6 bytes, need 16)",
    ),
    _f(
        r"(?P<path>.+?): IDX shape (?P<dims>\(.*?\)) needs (?P<n>\d+) bytes, more than "
        r"(?P<cap>max_bytes=\d+)",
        "{path}: IDX 모양 {dims}에는 {n}바이트가 필요해 {cap}보다 많습니다",
        "/d/train-images-idx3-ubyte: IDX shape (65535, 65535, 65535) needs 281462092005375 "
        "bytes, more than max_bytes=2000000000",
    ),
    _f(
        r"(?P<path>.+?): truncated IDX data, (?P<n>\d+) bytes but shape (?P<dims>\(.*?\)) "
        r"needs (?P<m>\d+)",
        "{path}: IDX 데이터가 잘렸습니다: {n}바이트인데 모양 {dims}에는 {m}바이트가 필요합니다",
        "/d/train-images-idx3-ubyte: truncated IDX data, 10 bytes but shape (9,) needs 17",
    ),
    _f(
        r"(?P<path>.+?): (?:(?P<n>\d+) )?unexpected trailing bytes after shape (?P<dims>\(.*?\))",
        lambda m: (
            f"{m['path']}: 모양 {m['dims']}의 데이터 뒤에 바이트가 "
            + (f"{m['n']}개 " if m["n"] else "")
            + "더 있습니다"
        ),
        "/d/train-images-idx3-ubyte: 3 unexpected trailing bytes after shape (2,)",
        "/d/train-images-idx3-ubyte.gz: unexpected trailing bytes after shape (2,)",
    ),
    _f(
        r"(?P<path>.+?): (?P<part>train|test) images (?P<xs>\(.*?\)) and labels (?P<ts>\(.*?\)) "
        r"do not match; expected \(N, rows, cols\) and \(N,\)",
        lambda m: (
            f"{m['path']}: {'학습' if m['part'] == 'train' else '테스트'} 이미지 {m['xs']}와 "
            f"레이블 {m['ts']}이(가) 맞지 않습니다 ((N, rows, cols)와 (N,)이어야 합니다)"
        ),
        "/d: train images (2,) and labels (2,) do not match; expected (N, rows, cols) and (N,)",
    ),
    _f(
        r"(?P<field>--data): (?P<path>.+) is not a directory",
        "{field}: {path}은(는) 폴더가 아닙니다",
        "--data: 'x' is not a directory",
    ),
    _f(
        r"(?P<data>(?:Fashion-)?MNIST) files not found in the directory given "
        r"\(looked in (?P<dirs>.*)\); put the four files (?P<files>.*) \(or without \.gz\) in it, "
        r"or pass another --data DIR \(or set MLPLAB_DATA\)",
        "주어진 폴더에 {data} 파일이 없습니다 (찾아본 곳: {dirs}). 파일 네 개 {files}"
        "(.gz 없이도 됩니다)를 그 폴더에 두거나, 다른 --data DIR를 주세요 (또는 MLPLAB_DATA 설정)",
        "MNIST files not found in the directory given (looked in /x, /x/mnist); put the four "
        "files a.gz, b.gz, c.gz, d.gz (or without .gz) in it, or pass another --data DIR "
        "(or set MLPLAB_DATA)",
    ),
    _f(
        r"(?P<data>(?:Fashion-)?MNIST) files not found \(looked in (?P<dirs>.*)\); "
        r"(?P<hint>install the Debian package dataset-fashion-mnist or put|download failed; put) "
        r"the four files (?P<files>.*) in a directory and pass --data DIR \(or set MLPLAB_DATA\)",
        lambda m: (
            f"{m['data']} 파일이 없습니다 (찾아본 곳: {m['dirs']}). "
            + (
                "Debian 패키지 dataset-fashion-mnist를 설치하거나, "
                if m["hint"].startswith("install")
                else "내려받기에 실패했습니다. "
            )
            + f"파일 네 개 {m['files']}를 한 폴더에 두고 --data DIR를 주세요 (또는 MLPLAB_DATA 설정)"
        ),
        "Fashion-MNIST files not found (looked in /a, /b); install the Debian package "
        "dataset-fashion-mnist or put the four files a.gz, b.gz in a directory and pass "
        "--data DIR (or set MLPLAB_DATA)",
        "MNIST files not found (looked in /a); download failed; put the four files a.gz, b.gz "
        "in a directory and pass --data DIR (or set MLPLAB_DATA)",
    ),
    _f(
        r"(?P<field>data\.(?:train|test)_size): must be <= (?P<n>\d+), the (?P<part>training|test) "
        r"rows of (?P<data>\S+), got (?P<value>.*)",
        lambda m: (
            f"{m['field']}: {m['n']} 이하여야 합니다 ({m['data']}의 "
            f"{'학습' if m['part'] == 'training' else '테스트'} 데이터 행 수) (입력값: {m['value']})"
        ),
        "data.train_size: must be <= 60000, the training rows of MNIST, got 70000",
        "data.test_size: must be <= 10000, the test rows of Fashion-MNIST, got 20000",
    ),
    # --- class ids of the data (data.utils)
    _f(
        r"y has class id (?P<k>\d+) but num_classes is (?P<n>\d+)",
        "레이블에 클래스 번호 {k}이(가) 있지만 클래스는 {n}개입니다 (0부터 {n}-1까지여야 합니다)",
        "y has class id 199 but num_classes is 10",
    ),
    _f(
        r"(?P<name>\w+) contains (?P<n>\d+) NaN/inf values \(first: (?P<what>NaN|infinity) at row "
        r"(?P<row>\d+)\)",
        lambda m: (
            f"{m['name']}에 NaN/inf 값이 {m['n']}개 있습니다 (처음: {m['row']}행의 "
            f"{'NaN' if m['what'] == 'NaN' else '무한대'})"
        ),
        "X contains 3 NaN/inf values (first: NaN at row 0)",
    ),
    _f(
        r"(?P<name>\w+) contains NaN or inf \(first at row (?P<row>\d+)(?:, column (?P<col>\d+))?\)",
        lambda m: (
            f"{m['name']}에 NaN이나 무한대 값이 있습니다 (처음: {m['row']}행"
            + (f" {m['col']}열)" if m["col"] else ")")
        ),
        "X contains NaN or inf (first at row 0, column 3)",
        "y contains NaN or inf (first at row 7)",
    ),
    _f(
        r"(?P<name>\w+) contains NaN or infinite values; clean or impute them first",
        "{name}에 NaN이나 무한대 값이 있습니다. 그 값을 지우거나 채운 뒤 다시 하세요",
        "x contains NaN or infinite values; clean or impute them first",
    ),
    _f(
        r"class ids must be in \[(?P<lo>\d+), (?P<hi>\d+)\], got (?P<value>.*)",
        "클래스 번호(레이블)는 {lo} 이상 {hi} 이하여야 합니다 (입력값: {value})",
        "class ids must be in [0, 9], got 0..200",
    ),
    _f(
        r"(?P<name>\w+) must hold integer class ids, got non-integer values",
        "{name}에는 정수 클래스 번호가 있어야 하는데 정수가 아닌 값이 있습니다",
        "y must hold integer class ids, got non-integer values",
    ),
    _f(
        r"(?P<name>\w+) must hold class ids >= 0, got (?P<value>.*)",
        "{name}의 클래스 번호는 0 이상이어야 합니다 (입력값: {value})",
        "y must hold class ids >= 0, got -1",
    ),
    _f(
        r"(?P<xn>\w+) has (?P<n>\d+) rows but (?P<yn>\w+) has (?P<m>\d+)",
        "{xn}의 행은 {n}개인데 {yn}의 행은 {m}개입니다 (같아야 합니다)",
        "X has 5 rows but y has 4",
    ),
    _f(
        r"need at least 2 rows to split, got (?P<n>\d+)",
        "나누려면 행이 적어도 2개 필요합니다 (입력: {n}개)",
        "need at least 2 rows to split, got 1",
    ),
    # --- built-in data sets (data.datasets)
    _f(
        r"data set (?P<name>'.*?') takes no options; got (?P<opts>.*)",
        "데이터 세트 {name}에는 옵션이 없습니다 (입력: {opts})",
        "data set 'gates-xor' takes no options; got ['n']",
    ),
    _f(
        r"bad option for data set (?P<name>'.*?'): (?P<why>.*)",
        lambda m: (
            f"데이터 세트 {m['name']}의 옵션이 잘못되었습니다 "
            f"({library_text(m['why']) or m['why']})"
        ),
        "bad option for data set 'moons': moons() got an unexpected keyword argument 'foo'",
    ),
    # --- lesson files of the playground (mlplab playground --lessons DIR)
    _f(
        r"--lessons must be a folder of \.toml lesson files, got (?P<path>.*)",
        "--lessons에는 .toml 레슨 파일이 든 폴더를 주세요 (입력값: {path})",
        "--lessons must be a folder of .toml lesson files, got 'x'",
    ),
    _f(
        r"--lessons: no \.toml lesson file in (?P<path>.*)",
        "--lessons: {path}에 .toml 레슨 파일이 없습니다",
        "--lessons: no .toml lesson file in 'x'",
    ),
    _f(
        r"lesson (?P<where>.+?): (?P<inner>.+)",
        _lesson,
        "lesson a.toml: not valid TOML (Expected '=' after a key in a key/value pair "
        "(at line 3, column 5))",
        "lesson a.toml: 'titel' is unknown; a lesson has answer, explanation, goal, hints, "
        "question, setup, title",
        "lesson a.toml: 'goal' is missing",
        "lesson a.toml: title needs a text in ko (languages: en, ko)",
        "lesson a.toml: goal.within (epochs) is missing",
        "lesson a.toml: goal.test_accuracy is a fraction in (0, 1), got 95",
        "lesson a.toml: setup.foo is not a page setting (see schema.DEFAULTS)",
        "lesson A.toml: the file name must be 1-40 of a-z, 0-9, - and _ (it is the lesson's name)",
        "lesson a.toml: cannot be read (Permission denied)",
        "lesson a.toml: goal.within must be an integer in [1, 1000], got 0",
    ),
    # --- the page settings of a lesson's [setup] and [answer] (playground.schema)
    _f(
        r"(?P<field>.+?) must be a multiple of (?P<n>\d+), got (?P<value>.*)",
        "{field}: {n}의 배수여야 합니다 (입력값: {value})",
        "percTrainData must be a multiple of 10, got 15",
    ),
    _f(
        r"(?P<field>.+?) must be > 0",
        "{field}: 0보다 커야 합니다",
        "learningRate must be > 0",
    ),
    _f(
        r"(?P<field>.+?) must be a list of 0\.\.(?P<n>\d+) layer sizes",
        "{field}: 층의 크기를 0~{n}개 담은 목록이어야 합니다",
        "networkShape must be a list of 0..6 layer sizes",
    ),
    _f(
        r"(?P<field>.+?) must be a list of at most (?P<n>\d+) names",
        "{field}: 이름을 최대 {n}개 담은 목록이어야 합니다",
        "features must be a list of at most 7 names",
    ),
    _f(
        r"(?P<field>.+?) must not repeat names, got (?P<value>.*)",
        "{field}: 같은 이름을 두 번 쓸 수 없습니다 (입력값: {value})",
        "features must not repeat names, got ['x1', 'x1']",
    ),
    _f(
        r"(?P<field>.+?) must name at least (?P<n>\d+) item\(s\)",
        "{field}: 적어도 {n}개를 골라야 합니다",
        "features must name at least 1 item(s)",
    ),
    # --- a number a library could not read, quoted after a field (search.space, options)
    _f(
        r"(?P<field>[\w.\-\[\] =']+?): (?P<why>could not convert .*|invalid literal for .*)",
        lambda m: f"{m['field']}: {library_text(m['why'])}",
        "search.space.train.lr = 'x': could not convert string to float: 'x'",
    ),
]

#: zipfile's words for a damaged archive (modelfile.load names the exception otherwise).
_ZIP = {
    "File is not a zip file": "zip 파일이 아닙니다",
    "Bad magic number for file header": "파일 헤더의 매직 넘버가 잘못되었습니다",
    "Truncated file header": "파일 헤더가 잘렸습니다",
    "Bad CRC-32 for file": "CRC-32 검사가 맞지 않습니다",
    "EOFError": "파일이 중간에 끝났습니다",
    "error": "압축 데이터가 손상되었습니다",
    "NotImplementedError": "지원하지 않는 압축 방식입니다",
    "OSError": "읽는 중 오류가 났습니다",
    "ValueError": "값이 잘못되었습니다",
}
