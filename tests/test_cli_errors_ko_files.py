"""Error lines about bad FILES in Korean (issue 14): CSV data, IDX data, experiment, run and
lesson files, run folders -- and model files, which no command reads (checked through
:func:`mlplab.load`).

The real ``mlplab`` process reads a real bad file; under ``--lang ko`` its one error line keeps
the file name, the line, the field, the value and the range exactly as the English line has
them, and no English word is left but the names kept on purpose (keys, file formats, code the
user types).  Under ``--lang en`` the line is byte for byte the English one.  The words of the
libraries quoted inside our messages (tomllib, json, gzip/zlib, csv) are translated from the
real libraries' own errors, not from copies of them.
"""

from __future__ import annotations

import gzip
import io
import json
import re
import socket
import zipfile
from dataclasses import dataclass, field

import numpy as np
import pytest

from korean import mlplab_cli
from mlplab import MLP
from mlplab.data.idx import read_idx, write_idx
from mlplab.errors import CheckpointError, ConfigError, DataError
from mlplab.experiments.spec import parse_toml
from mlplab.i18n import errors as E
from mlplab.i18n import fileerrors as FE
from mlplab.init import INITIALIZER_NAMES
from mlplab.modelfile import load

# ----------------------------------------------------------------- what may stay in English
#: Spans kept as written: quoted values, paths and file names, key=value, dotted keys,
#: snake_case, hyphenated and numbered names (int64, dataset-fashion-mnist), hex bytes,
#: [sections], calls such as moons(), shapes such as (N, rows, cols).
_KEPT = re.compile(
    r"'[^']*'|\"[^\"]*\"|`[^`]*`"
    r"|\S*[/\\]\S*|\S*\.(?:csv|toml|npz|npy|json|gz|html)\b"
    r"|--[\w-]+|\b[\w-]+(?:[.=][\w\-+.'\"()\[\]<>]+)+|\b\w*_\w*\b|0x[0-9a-fA-F]+"
    r"|\b\w+(?:-\w+)+|\b[A-Za-z]+\d\w*|\[[\w.]+\]|\b\w+\(\)"
    r"|\([^()]*\bN\b[^()]*\)"
)
#: Names of formats and programs, not sentences.
CODE_WORDS = {
    "TOML", "CSV", "IDX", "UTF", "NaN", "JSON", "gzip", "CRC", "MNIST", "NumPy", "mlplab",
    "NUL", "zip", "npz", "npy", "inf", "Affine", "Activation", "BatchNorm", "LayerNorm",
    "Dropout", "float", "DIR", "MB", "Debian",
}  # fmt: skip


def english_left(line: str, allowed=()) -> list[str]:
    """English words of ``line`` outside the kept spans, code words and ``allowed``."""
    text = _KEPT.sub(" ", line.split(": 오류: ", 1)[-1])
    return [w for w in re.findall(r"[A-Za-z]{2,}", text) if w not in CODE_WORDS | set(allowed)]


def test_the_checker_sees_english_it_should():
    assert english_left("mlplab: 오류: x.csv: 3행: text 'a' in numeric column 2") == [
        "text", "in", "numeric", "column",
    ]  # fmt: skip
    assert not english_left("mlplab: 오류: data/x.csv: 3행: 2번째 열 ('b')에 값이 비어 있습니다")


# ------------------------------------------------------------------ the real command line
def _mlplab(args, cwd, env=None):
    return mlplab_cli(args, cwd, {"MLPLAB_DATA": str(cwd / "no-data"), **(env or {})})


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


EXP = "[experiment]\nname = 'x'\n[train]\nlr = 0.1\nepochs = 1\n[model]\nhidden = [2]\n"


def _csv_spec(label="'y'", extra=""):
    return EXP + f"[data]\nsource = 'csv'\npath = 'data.csv'\nlabel = {label}\n{extra}"


IDX_SPEC = EXP + "[data]\nsource = 'idx'\npath = 'idx'\n"
IDX_NAMES = ("train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte",
             "t10k-labels-idx1-ubyte")  # fmt: skip


def _idx_set(images: bytes | None = None, labels=None, gz: bool = False) -> dict:
    """Four IDX files (4 images 2x2, labels 0..3); ``images`` replaces the training images."""
    out = {}
    for name in IDX_NAMES:
        a = np.zeros((4, 2, 2), np.uint8) if "images" in name else np.arange(4, dtype=np.uint8)
        if labels is not None and "labels" in name:
            a = np.asarray(labels, np.uint8)
        path = f"idx/{name}" + (".gz" if gz else "")
        out[path] = ("idx", a)
    if images is not None:
        out[f"idx/{IDX_NAMES[0]}" + (".gz" if gz else "")] = images
    return out


LESSON = """title.en = "T"
title.ko = "제목"
question.en = "Q"
question.ko = "질문"
[setup]
dataset = "gauss"
[goal]
test_loss_below = 0.02
within = 20
"""
RUN = "[run]\nname = 'notebook-231'\n"


@dataclass
class Case:
    id: str
    files: dict
    args: list
    english: str  # the English line, exactly
    holds: list  # texts the Korean line keeps
    allowed: set = field(default_factory=set)  # key names listed in the line
    prog: str = "mlplab"


CASES = [
    # --- CSV data
    Case("csv-text-cell", {"data.csv": "a,b,y\n1,2,0\n1,abc,1\n3,4,0\n", "x.toml": _csv_spec()},
         ["run", "x.toml"],
         "data.csv: line 3: text 'abc' in numeric column 2 ('b') (expected a number)",
         ["data.csv: 3행:", "2번째 열 ('b')", "'abc'", "수여야 합니다"]),
    Case("csv-ragged-rows", {"data.csv": "a,b,y\n1,2,0\n1,1\n3,4,0\n", "x.toml": _csv_spec()},
         ["run", "x.toml"],
         "data.csv: line 3: 2 fields, expected 3 like line 1",
         ["data.csv: 3행:", "칸이 2개", "1행처럼 3개"]),
    Case("csv-no-label-column", {"data.csv": "a,b,c\n1,2,0\n1,1,1\n3,4,0\n", "x.toml": _csv_spec()},
         ["run", "x.toml"],
         "label must be one of the columns ['a', 'b', 'c']; got 'y'",
         ["label: 열 ['a', 'b', 'c'] 중 하나", "(입력값: 'y')"], {"label"}),
    Case("csv-label-index", {"data.csv": "a,b,c\n1,2,0\n1,1,1\n3,4,0\n", "x.toml": _csv_spec("7")},
         ["run", "x.toml"],
         "label index must be in [-3, 2], got 7",
         ["label index:", "-3 이상 2 이하", "(입력값: 7)"], {"label", "index"}),
    Case("csv-empty-file", {"data.csv": "", "x.toml": _csv_spec()}, ["run", "x.toml"],
         "data.csv: line 1: the file is empty", ["data.csv: 1행:", "파일이 비어 있습니다"]),
    Case("csv-one-class", {"data.csv": "a,b,y\n1,2,0\n1,1,0\n3,4,0\n", "x.toml": _csv_spec()},
         ["run", "x.toml"],
         "data.csv: lines 2-4: only one class ('0') in label column 3 ('y'); "
         "classification needs at least 2",
         ["data.csv: 2-4행:", "레이블 열인 3번째 열 ('y')", "'0' 하나뿐", "적어도 2개"]),
    Case("csv-too-many-classes",
         {"data.csv": "a,b,y\n" + "".join(f"{i},{i % 7},c{i:03d}\n" for i in range(300)),
          "x.toml": _csv_spec(extra="test_fraction = 0\n")},
         ["run", "x.toml", "--limit", "params=500"],
         "model.hidden: 2-2-300 needs 906 parameters (300 outputs: one per class of data.label), "
         "more than the limit params=500 (raise it with --limit params=N)",
         ["model.hidden: 2-2-300", "906개", "출력 300개", "data.label", "params=500",
          "--limit params=N"]),
    Case("csv-fractional-class", {"data.csv": "a,b,y\n1,2,0.5\n1,1,1\n", "x.toml": _csv_spec()},
         ["run", "x.toml"],
         "data.csv: line 2: non-integer class '0.5' in label column 3 ('y'); "
         'set data.task = "regression" for numeric targets',
         ["data.csv: 2행:", "'0.5'", 'data.task = "regression"']),
    Case("csv-regression-with-cce",
         {"data.csv": "a,b,y\n1,2,0.5\n1,1,1\n", "x.toml": _csv_spec(extra="task = 'regression'\n")},
         ["run", "x.toml"],
         "model.loss: 'cce' needs class labels, but data.task is 'regression'; "
         "set model.loss = 'mse' (or 'half_sse')",
         ["model.loss: 'cce'", "클래스 레이블", "model.loss = 'mse'"]),
    Case("csv-header-is-data",
         {"data.csv": "a,2b,y\n1,2,0\n1,1,1\n3,4,0\n", "x.toml": _csv_spec("-1")},
         ["run", "x.toml"],
         "data.csv: line 1: text 'a' in numeric column 1 (expected a number) "
         "(if line 1 is a header, set data.header = true)",
         ["data.csv: 1행:", "1번째 열", "data.header = true"], allowed={"true"}),
    Case("csv-name-without-header",
         {"data.csv": "1,2,0\n1,1,1\n3,4,0\n", "x.toml": _csv_spec()},
         ["run", "x.toml"],
         "label 'y' is a column name but data.csv has no header row; "
         "give data.label a column index or set data.header = true",
         ["label 'y'", "data.csv", "data.label", "data.header = true"],
         allowed={"true", "label"}),
    Case("csv-not-utf8", {"data.csv": b"a,b,y\n1,2,0\n1,\xff,1\n", "x.toml": _csv_spec()},
         ["run", "x.toml"],
         "data.csv: line 3: not UTF-8 text (byte 0xff); re-save the file as UTF-8",
         ["data.csv: 3행:", "UTF-8", "0xff"]),
    Case("csv-semicolons", {"data.csv": "a;b;y\n1;2;0\n3;4;1\n", "x.toml": _csv_spec()},
         ["run", "x.toml"],
         "data.csv: line 1: only 1 column; need at least one feature and a label "
         "(is the delimiter ',' right? the line looks separated by ';': "
         "set data.delimiter = ';')",
         ["data.csv: 1행:", "','", "data.delimiter = ';'"]),
    Case("csv-open-quote", {"data.csv": 'a,b,y\n1,2,0\n1,"x"y,1\n', "x.toml": _csv_spec()},
         ["run", "x.toml"],
         "data.csv: line 3: malformed CSV (',' expected after '\"')",
         ["data.csv: 3행:", "CSV", "','", "'\"'"]),
    # --- experiment files (TOML)
    Case("toml-syntax", {"x.toml": "[experiment]\nname = 'x'\nlr 3\n"}, ["run", "x.toml"],
         "x.toml: invalid TOML: Expected '=' after a key in a key/value pair "
         "(at line 3, column 4)",
         ["x.toml: TOML 문법 오류 (3행 4열):", "'='"]),
    Case("toml-open-string", {"x.toml": "[experiment]\nname = 'x\n"}, ["run", "x.toml"],
         "x.toml: invalid TOML: Expected \"'\" (at end of document)",
         ["x.toml: TOML 문법 오류 (문서 끝):", "\"'\"이(가) 있어야 합니다"]),
    Case("toml-twice", {"x.toml": "[train]\nlr = 1\n[train]\n"}, ["run", "x.toml"],
         "x.toml: invalid TOML: Cannot declare ('train',) twice (at line 3, column 7)",
         ["x.toml: TOML 문법 오류 (3행 7열):", "('train',)", "두 번"]),
    Case("exp-numeric-init", {"x.toml": EXP.replace("hidden = [2]", "init = -1")},
         ["run", "x.toml"],
         "model.init: a numeric init is a std and must be > 0, got -1",
         ["model.init(가중치 초기화):", "표준편차", "0보다", "(입력값: -1)"]),
    # --- lesson run files ([run] + [options])
    Case("run-file-syntax", {"r.toml": RUN + "seed 3\n"}, ["run", "r.toml"],
         "r.toml: invalid TOML: Expected '=' after a key in a key/value pair "
         "(at line 3, column 6)",
         ["r.toml: TOML 문법 오류 (3행 6열):"]),
    Case("run-file-unknown-key", {"r.toml": RUN + "foo = 1\n"}, ["run", "r.toml"],
         "run.foo: unknown key; allowed: name, seed, quick",
         ["run.foo:", "알 수 없는 키", "name, seed, quick"], {"name", "seed", "quick"}),
    Case("run-file-wrong-type", {"r.toml": RUN + "[options]\nlr = 'x'\n"}, ["run", "r.toml"],
         "options.lr: must be a number, got 'x'", ["options.lr(학습률):", "(입력값: 'x')"]),
    Case("run-file-out-of-range", {"r.toml": RUN + "[options]\nlr = -1\n"}, ["run", "r.toml"],
         "options.lr: must be a number > 0 and <= 1000, got -1.0",
         ["options.lr(학습률):", "0보다 크고 1000 이하인 수", "(입력값: -1.0)"]),
    Case("run-file-init", {"r.toml": RUN + "[options]\ninit = 'abc'\n"}, ["run", "r.toml"],
         None, ["init(가중치 초기화):", "표준편차", "(입력값: 'abc')"],
         {"init"} | {w for n in INITIALIZER_NAMES for w in re.findall(r"[A-Za-z]+", n)}),
    # --- lesson files of the playground (mlplab playground --lessons DIR)
    Case("lesson-syntax", {"les/a.toml": LESSON.replace("within = 20", "within 20")},
         ["playground", "--lessons", "les", "--no-browser", "--port", "{port}"],
         "lesson a.toml: not valid TOML (Expected '=' after a key in a key/value pair "
         "(at line 9, column 8))",
         ["레슨 a.toml: TOML 문법 오류 (9행 8열):"]),
    Case("lesson-unknown-key", {"les/a.toml": "titel = 'x'\n" + LESSON},
         ["playground", "--lessons", "les", "--no-browser", "--port", "{port}"],
         "lesson a.toml: 'titel' is unknown; a lesson has answer, explanation, goal, hints, "
         "question, setup, title",
         ["레슨 a.toml:", "'titel'", "알 수 없는 키"],
         {"answer", "explanation", "goal", "hints", "question", "setup", "title"}),
    Case("lesson-wrong-type",
         {"les/a.toml": LESSON.replace('title.en = "T"\ntitle.ko = "제목"\n', "title = 3\n")},
         ["playground", "--lessons", "les", "--no-browser", "--port", "{port}"],
         'lesson a.toml: title must be a table of texts {en = "...", ko = "..."}',
         ["레슨 a.toml:", 'title은(는) {en = "...", ko = "..."}'], {"title", "en", "ko"}),
    Case("lesson-out-of-range", {"les/a.toml": LESSON.replace("within = 20", "within = 0")},
         ["playground", "--lessons", "les", "--no-browser", "--port", "{port}"],
         "lesson a.toml: goal.within must be an integer in [1, 100000], got 0",
         ["레슨 a.toml: goal.within:", "1 이상 100000 이하인 정수", "(입력값: 0)"]),
    Case("lesson-setting", {"les/a.toml": LESSON.replace("[goal]", "percTrainData = 15\n[goal]")},
         ["playground", "--lessons", "les", "--no-browser", "--port", "{port}"],
         "lesson a.toml: setup: percTrainData must be a multiple of 10, got 15",
         ["레슨 a.toml: setup: percTrainData:", "10의 배수", "(입력값: 15)"],
         {"setup", "percTrainData"}),
    # --- IDX files (an experiment with source 'idx', and --data of a built-in run)
    Case("idx-bad-magic", {**_idx_set(b"\x12\x34\x08\x01\x00\x00\x00\x02ab"), "x.toml": IDX_SPEC},
         ["run", "x.toml"],
         "idx/train-images-idx3-ubyte is not an IDX file: magic number starts with 1234, "
         "expected 0000",
         ["idx/train-images-idx3-ubyte", "IDX", "1234", "0000"]),
    Case("idx-bad-magic-data-option", _idx_set(b"\x12\x34\x08\x01\x00\x00\x00\x02ab"),
         ["run", "mnist-two-layer", "--data", "idx", "--no-save"],
         "idx/train-images-idx3-ubyte is not an IDX file: magic number starts with 1234, "
         "expected 0000",
         ["idx/train-images-idx3-ubyte", "1234", "0000"]),
    Case("idx-truncated", {**_idx_set(b"\x00\x00\x08\x01\x00\x00\x00\x09ab"), "x.toml": IDX_SPEC},
         ["run", "x.toml"],
         "idx/train-images-idx3-ubyte: truncated IDX data, 10 bytes but shape (9,) needs 17",
         ["idx/train-images-idx3-ubyte:", "10바이트", "(9,)", "17바이트"]),
    Case("idx-truncated-gzip",
         {**_idx_set(gzip.compress(b"\x00\x00\x08\x01\x00\x00\x00\x02ab")[:-6], gz=True),
          "x.toml": IDX_SPEC},
         ["run", "x.toml"],
         "corrupt or truncated gzip file idx/train-images-idx3-ubyte.gz: Compressed file ended "
         "before the end-of-stream marker was reached",
         ["gzip", "idx/train-images-idx3-ubyte.gz", "손상되었거나 잘렸습니다"]),
    Case("idx-label-out-of-range", {**_idx_set(labels=[0, 1, 200, 3]), "x.toml": IDX_SPEC},
         ["run", "x.toml", "--no-save"],
         "class ids must be in [0, 9], got 0..200",
         ["0 이상 9 이하", "(입력값: 0..200)"]),
    # --- search files (mlplab search FILE)
    Case("search-log-range",
         {"s.toml": EXP + "[data]\nsource = 'builtin'\nname = 'moons'\n"
                          "[search]\ntrials = 2\n[search.space]\n"
                          "'train.lr' = {low = 0, high = 0.1, log = true}\n"},
         ["search", "s.toml"],
         "search.space.train.lr: a log range needs low > 0, got low = 0",
         ["search.space.train.lr:", "low > 0", "(입력: low = 0)"], {"low"}, "mlplab search"),
    # --- run folders (mlplab report DIR)
    Case("report-bad-json", {"rep/config.json": "{bad"}, ["report", "rep"],
         "rep/config.json is not valid JSON: Expecting property name enclosed in double quotes: "
         "line 1 column 2 (char 1)",
         ["rep/config.json: JSON 문법 오류 (1행 2열):"]),
]  # fmt: skip


def _write(root, files: dict) -> None:
    for rel, content in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, tuple):  # ("idx", array)
            write_idx(path, content[1], compress=rel.endswith(".gz"))
        elif isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")


def _args(case: Case) -> list[str]:
    return [str(_free_port()) if a == "{port}" else a for a in case.args]


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_a_bad_file_is_one_korean_line_and_the_english_line_is_unchanged(tmp_path, case):
    _write(tmp_path, case.files)
    r = _mlplab([*_args(case), "--lang", "ko"], tmp_path)
    assert r.returncode == 2, r.stderr
    assert "Traceback" not in r.stderr and r.stderr.count("\n") == 1, r.stderr
    assert r.stderr.startswith(f"{case.prog}: 오류: "), r.stderr
    for text in case.holds:
        assert text in r.stderr, (text, r.stderr)
    assert not english_left(r.stderr, case.allowed or ()), (english_left(r.stderr), r.stderr)
    en = _mlplab([*_args(case), "--lang", "en"], tmp_path)
    assert en.returncode == 2, en.stderr
    if case.english is not None:
        assert en.stderr == f"{case.prog}: error: {case.english}\n"
    else:  # a long list of names: the line is the same apart from its words
        assert en.stderr.startswith(f"{case.prog}: error: ") and en.stderr.count("\n") == 1


def test_korean_from_the_locale_too(tmp_path):
    _write(tmp_path, {"data.csv": "", "x.toml": _csv_spec()})
    r = _mlplab(["run", "x.toml"], tmp_path, {"LANG": "ko_KR.UTF-8"})
    assert r.returncode == 2 and r.stderr == "mlplab: 오류: data.csv: 1행: 파일이 비어 있습니다\n"


# ---------------------------------------------- model files: real bad files, mlplab.load
def _model_file(tmp_path, change=None, name="m.npz", **arrays):
    model = MLP([2, 3, 1], loss="bce", seed=0)
    meta = json.loads(json.dumps(model.config()))
    if change is not None:
        change(meta)
    params = {f"param/{k}": v for k, v in model.params.items()}
    path = tmp_path / name
    np.savez(path, __mlplab__=np.array(json.dumps(meta)), **{**params, **arrays})
    return path


def _declare(path, member: str, size: int) -> None:
    """Patch the uncompressed size ``member`` declares (local and central headers)."""
    import struct

    data = bytearray(path.read_bytes())
    for sig, name_at, size_at in ((b"PK\x03\x04", 26, 22), (b"PK\x01\x02", 28, 24)):
        pos = 0
        while (pos := data.find(sig, pos)) >= 0:
            n = struct.unpack_from("<H", data, pos + name_at)[0]
            start = pos + (30 if sig == b"PK\x03\x04" else 46)
            if data[start : start + n] == member.encode():
                struct.pack_into("<I", data, pos + size_at, size)
            pos += 4
    path.write_bytes(bytes(data))


def _truncated(tmp_path):
    good = _model_file(tmp_path, name="good.npz").read_bytes()
    p = tmp_path / "half.npz"
    p.write_bytes(good[: len(good) // 2])
    return p


def _bomb(tmp_path):
    """A member whose deflated zeros expand far beyond the 48 bytes W1 needs."""
    model = MLP([2, 3, 1], loss="bce", seed=0)
    p = _model_file(tmp_path, name="bomb.npz")
    with zipfile.ZipFile(p) as zf:
        keep = {i.filename: zf.read(i) for i in zf.infolist() if i.filename != "param/W1.npy"}
    buf = io.BytesIO()
    np.lib.format.write_array(buf, model.params["W1"])
    with zipfile.ZipFile(p, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for k, v in keep.items():
            zf.writestr(k, v)
        zf.writestr("param/W1.npy", buf.getvalue() + b"\0" * (8 << 20))
    return p


def _extra_member(tmp_path):
    p = _model_file(tmp_path, name="extra.npz")
    with zipfile.ZipFile(p, "a", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("junk.bin", b"\0" * 4096)
    _declare(p, "junk.bin", 800 * 2**20)
    return p


def _not_a_model(tmp_path):
    p = tmp_path / "plain.npz"
    with zipfile.ZipFile(p, "w") as zf:
        zf.writestr("hello.txt", "not a model")
    return p


def _text_file(tmp_path):
    p = tmp_path / "notes.npz"
    p.write_text("hello", encoding="utf-8")
    return p


MODEL_CASES = [
    ("truncated", _truncated, ["half.npz", "손상되었거나 mlplab .npz 파일이 아닙니다"]),
    ("not-a-zip", _text_file, ["notes.npz", "zip 파일이 아닙니다"]),
    ("zip-bomb", _bomb, ["매개변수 W1", "(2, 3)", "48바이트"]),
    ("huge-extra-member", _extra_member, ["'junk.bin'", "838860800바이트", "max_extra_bytes="]),
    ("no-description", _not_a_model, ["plain.npz", "__mlplab__"]),
    ("newer-version", lambda t: _model_file(t, lambda m: m.update(version=7)),
     ["m.npz:", "버전 7", "(1)", "업그레이드"]),
    ("wrong-shape", lambda t: _model_file(t, **{"param/W1": np.zeros((3, 2))}),
     ["매개변수 W1", "(3, 2)", "(2, 3)"]),
    ("wrong-dtype", lambda t: _model_file(t, **{"param/W1": np.zeros((2, 3), np.int64)}),
     ["매개변수 W1", "int64"]),
    ("unknown-layer", lambda t: _model_file(t, lambda m: m["layers"][1].update(type="Conv2D")),
     ["2번째 층", "'Conv2D'"]),
    ("units-out-of-range", lambda t: _model_file(t, lambda m: m["layers"][0].update(out=0)),
     ["1번째 층(Affine)의 out:", "(입력값: 0)"]),
    ("unknown-activation",
     lambda t: _model_file(t, lambda m: m["layers"][1].update(name="gelu9")),
     ["2번째 층:", "'gelu9'", "활성화 함수"]),
    ("bad-dtype-key", lambda t: _model_file(t, lambda m: m.update(dtype="complex128")),
     ["dtype:", "'complex128'"]),
]  # fmt: skip


@pytest.mark.parametrize("make, holds", [c[1:] for c in MODEL_CASES],
                         ids=[c[0] for c in MODEL_CASES])  # fmt: skip
def test_a_bad_model_file_is_korean(tmp_path, make, holds):
    path = make(tmp_path)
    with pytest.raises(CheckpointError) as info:
        load(path)
    msg = str(info.value)
    ko = E.translate(msg, "ko")
    assert ko != msg and "\n" not in ko, msg
    for text in holds:
        assert text in ko, (text, ko, msg)
    listed = re.findall(r"(?:known|allowed|choose one of|aliases): ([^)]*)", msg)
    allowed = {w for text in listed for w in re.findall(r"\w+", text)} | {"dtype", "out"}
    assert not english_left(ko, allowed), (english_left(ko, allowed), ko, msg)


# --------------------------------------- the libraries' own words, from the real libraries
BAD_TOML = [
    "lr 3",  # Expected '=' after a key
    "[train",  # Expected ']' at the end of a table declaration
    "[[a]\n",  # Expected ']]'
    "a = 'x",  # Unterminated string
    'a = "x',
    "a = [1,",  # Unclosed array / invalid value
    "a = [1 2]",
    "a = {b = 1",  # Unclosed inline table
    "a = {b = 1, b = 2}",  # Duplicate inline table key
    "a = 1\na = 2",  # Cannot overwrite a value
    "[a]\n[a]",  # Cannot declare ('a',) twice
    "a = 1 2",  # Expected newline or end of document
    'a = "\\q"',  # Unescaped '\'
    'a = "\\uD800"',  # not a Unicode scalar value
    'a = "\\uZZZZ"',  # Invalid hex value
    "a = 1979-13-27",  # Invalid date or datetime
    "a = tru",  # Invalid value
    "= 1",  # Invalid initial character for a key part
    'a = "x\u0001"',  # Illegal character
    "a.b = 1\n[a]\nb = 2",
    "a = {b = 1}\n[a.c]",  # Cannot mutate immutable namespace
    "[[a]]\n[a]",  # Cannot redefine namespace / declare twice
    "a = [1]\n[[a]]",
    "a = 1\n[a.b]",
]


@pytest.mark.parametrize("text", BAD_TOML, ids=[f"toml{i}" for i in range(len(BAD_TOML))])
def test_every_tomllib_error_is_korean(text):
    with pytest.raises(ConfigError) as info:
        parse_toml(text, "x.toml")
    msg = str(info.value)
    ko = E.translate(msg, "ko")
    assert ko.startswith("x.toml: TOML 문법 오류 (") and not english_left(ko), (msg, ko)
    pos = re.search(r"\(at line (\d+), column (\d+)\)", msg)
    assert (f"({pos[1]}행 {pos[2]}열)" if pos else "(문서 끝)") in ko, (msg, ko)


BAD_JSON = ["{bad", "", "[1, 2", '{"a" 1}', '{"a": 1,}', '"abc', '"a\\qb"', '"\\uZZ"', "[1] 2",
            '"a\tb"', "[1,]"]  # fmt: skip


@pytest.mark.parametrize("text", BAD_JSON, ids=[f"json{i}" for i in range(len(BAD_JSON))])
def test_every_json_error_of_a_run_folder_is_korean(tmp_path, text):
    from mlplab.viz.report import build_report

    (tmp_path / "config.json").write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        build_report(tmp_path)
    ko = E.translate(str(info.value), "ko")
    assert "JSON 문법 오류 (" in ko and not english_left(ko), (str(info.value), ko)


def _gzip_damaged(kind: str) -> bytes:
    raw = bytearray(gzip.compress(b"\x00\x00\x08\x01\x00\x00\x00\x02ab"))
    if kind == "truncated":
        return bytes(raw[:-6])
    if kind == "crc":
        raw[-8] ^= 0xFF
    elif kind == "length":
        raw[-1] ^= 0xFF
    elif kind == "deflate":
        raw[12] ^= 0xFF
    elif kind == "method":
        raw[2] = 7
    return bytes(raw)


@pytest.mark.parametrize("kind", ["truncated", "crc", "length", "deflate", "method"])
def test_every_gzip_error_of_an_idx_file_is_korean(tmp_path, kind):
    p = tmp_path / "a.gz"
    p.write_bytes(_gzip_damaged(kind))
    with pytest.raises(DataError) as info:
        read_idx(p)
    msg = str(info.value)
    ko = E.translate(msg, "ko")
    assert ko.startswith(f"gzip 파일 {p}") and not english_left(ko), (msg, ko)


def test_conversions_and_unknown_options_quoted_from_python():
    assert FE.library_text("could not convert string to float: 'abc'") == (
        "'abc'은(는) 수로 바꿀 수 없습니다"
    )
    assert "16진법" in FE.library_text("invalid literal for int() with base 16: 'zz'")
    msg = "search.space.train.lr = 'x': could not convert string to float: 'x'"
    assert E.translate(msg, "ko") == "search.space.train.lr = 'x': 'x'은(는) 수로 바꿀 수 없습니다"
    assert FE.library_text("something new") is None


# ------------------------------------------------------------------ every file form's examples
#: Keys the forms name in Korean sentences (a search range's keys, a lesson's tables).
KEYS_IN_FORMS = {"label", "title", "ko", "en", "goal", "low", "high", "log", "step", "points",
                 "grid", "true", "kind", "train", "search"}  # fmt: skip


def _file_examples():
    for i, form in enumerate(FE.FILE_FORMS):
        for ex in form.examples:
            yield pytest.param(form, ex, id=f"{i}:{ex[:50]}")


@pytest.mark.parametrize("form, example", list(_file_examples()))
def test_every_file_form_leaves_no_english(form, example):
    ko = E.translate(example, "ko")
    assert ko != example and ko == form.render(form.pattern.fullmatch(example)), ko
    if "in a newer Python" in example:  # a parser's words of no known form stay as they are
        assert ko == "x.toml: TOML 문법 오류 (2행 1열): Something tomllib says in a newer Python"
        return
    allowed = set()
    for listed in re.findall(r"(?:allowed|known|a lesson has|a goal has|looked in|built-in|"
                             r"languages|use|belongs to) ?:? (.*?)(?:\)|$)", example):  # fmt: skip
        allowed |= set(re.findall(r"[A-Za-z]+", listed))
    for name in ("field", "key"):  # the field's own name stays as written
        allowed |= set(
            re.findall(r"[A-Za-z]+", form.pattern.fullmatch(example).groupdict().get(name) or "")
        )
    assert not english_left(ko, allowed | KEYS_IN_FORMS), ko
