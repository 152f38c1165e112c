"""Tests for mlplab.data.csvdata."""

from __future__ import annotations

import io
import time

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from memory import peak_bytes
from mlplab.data.csvdata import load_csv, save_csv
from mlplab.errors import ConfigError, DataError, MlplabTypeError


def _write(tmp_path, text: str | bytes, name="d.csv"):
    p = tmp_path / name
    if isinstance(text, bytes):
        p.write_bytes(text)
    else:
        p.write_text(text, encoding="utf-8")
    return p


IRIS_LIKE = """sepal_length,sepal_width,species
5.1,3.5,setosa
4.9,3.0,setosa
7.0,3.2,versicolor
6.4,3.2,versicolor
6.3,3.3,virginica
"""


def test_string_labels_with_header(tmp_path):
    X, y, info = load_csv(_write(tmp_path, IRIS_LIKE))
    assert X.dtype == np.float64 and X.shape == (5, 2)
    assert np.array_equal(X[0], [5.1, 3.5])
    assert y.tolist() == [0, 0, 1, 1, 2] and y.dtype == np.int64
    assert info["class_names"] == ["setosa", "versicolor", "virginica"]
    assert info["feature_names"] == ["sepal_length", "sepal_width"]
    assert info["label_name"] == "species" and info["header"] is True and info["n_rows"] == 5


def test_label_by_name_and_index_first_column(tmp_path):
    text = "cls,a,b\nb,1,2\na,3,4\nb,5,6\n"
    p = _write(tmp_path, text)
    X, y, info = load_csv(p, label="cls")
    assert X.tolist() == [[1, 2], [3, 4], [5, 6]] and y.tolist() == [1, 0, 1]
    X2, y2, _ = load_csv(p, label=0)
    assert np.array_equal(X, X2) and np.array_equal(y, y2)
    with pytest.raises(ConfigError, match="columns"):
        load_csv(p, label="nope")
    with pytest.raises(ConfigError, match="label index"):
        load_csv(p, label=3)
    with pytest.raises(MlplabTypeError):
        load_csv(p, label=1.5)


def test_numeric_labels_no_header_numeric_order(tmp_path):
    text = "0.5,1,10\n0.1,2,9\n0.3,3,10\n1e-3,4,2\n"
    X, y, info = load_csv(_write(tmp_path, text))
    assert info["header"] is False
    assert info["class_names"] == ["2", "9", "10"]  # numeric, not lexicographic
    assert y.tolist() == [2, 1, 2, 0]
    assert info["feature_names"] == ["x1", "x2"]
    with pytest.raises(ConfigError, match="no header"):
        load_csv(_write(tmp_path, text), label="y")


def test_regression(tmp_path):
    text = "x,target\n1,0.5\n2,1.5\n3,-2.25\n"
    X, y, info = load_csv(_write(tmp_path, text), task="regression")
    assert y.dtype == np.float64 and y.tolist() == [0.5, 1.5, -2.25]
    assert info["class_names"] is None
    with pytest.raises(DataError, match="non-integer class"):
        load_csv(_write(tmp_path, text))


def test_header_forced_and_bom_crlf_blank_lines(tmp_path):
    text = "\ufeffa,b\r\n1,0\r\n\r\n2,1\r\n3,0\r\n\r\n"
    X, y, info = load_csv(_write(tmp_path, text))
    assert info["feature_names"] == ["a"] and X[:, 0].tolist() == [1, 2, 3]
    X, y, info = load_csv(_write(tmp_path, "1,0\n2,1\n3,0\n"), header=True)
    assert info["feature_names"] == ["1"] and X[:, 0].tolist() == [2, 3]


def test_quoted_fields_and_delimiter(tmp_path):
    X, y, info = load_csv(_write(tmp_path, 'a;"b;c";lab\n1;2;"x y"\n3;4;z\n'), delimiter=";")
    assert info["feature_names"] == ["a", "b;c"] and info["class_names"] == ["x y", "z"]


# --------------------------------------------------------------------------------------------
# Bad files: each error names the line
# --------------------------------------------------------------------------------------------
BAD = {
    "empty": ("", r"line 1: the file is empty"),
    "only blank lines": ("\n\n  \n", r"line 1: the file is empty"),
    "ragged": ("a,b,c\n1,2,x\n3,4\n5,6,y\n", r"line 3: 2 fields, expected 3"),
    "ragged long": ("a,b,c\n1,2,x\n3,4,y\n5,6,7,8\n", r"line 4: 4 fields, expected 3"),
    "text in numeric": (
        "a,b,c\n1,2,x\n3,4,y\n5,oops,x\n",
        r"line 4: text 'oops' in numeric column 2 \('b'\)",
    ),
    "blank lines counted": (
        "a,b,c\n\n1,2,x\n\n3,oops,y\n",
        r"line 5: text 'oops' in numeric column 2",
    ),
    "multi-line quoted label": (
        'a,b,c\n1,2,"two\nlines"\n3,4,y\n5,,x\n',
        r"line 5: missing value in column 2",
    ),
    "missing empty cell": ("a,b,c\n1,2,x\n3,,y\n5,6,x\n", r"line 3: missing value in column 2"),
    "missing NA": ("a,b,c\n1,2,x\nNA,4,y\n", r"line 3: missing value in column 1 \('a'\)"),
    "missing nan": ("a,b,c\n1,2,x\n3,nan,y\n", r"line 3: missing value \(NaN\) in column 2"),
    "infinite": ("a,b,c\n1,2,x\n3,inf,y\n", r"line 3: infinite value in column 2"),
    "missing label": ("a,b,c\n1,2,x\n3,4,\n5,6,y\n", r"line 3: missing value in label column 3"),
    "one class": ("a,b,c\n1,2,x\n3,4,x\n5,6,x\n", r"lines 2-4: only one class \('x'\)"),
    "too few rows": ("a,b,c\n1,2,x\n", r"line 2: too few rows, 1 data row"),
    "header only": ("a,b,c\n", r"line 1: too few rows, 0 data row"),
    "one column": ("a\n1\n2\n", r"line 1: only 1 column"),
    "non utf8": (b"a,b,c\n1,2,x\n3,4,\xe9t\xe9\n", r"line 3: not UTF-8"),
    "bad quote": ('a,b,c\n1,2,x\n3,4,"y"z\n', r"line 3: malformed CSV"),
}


@pytest.mark.parametrize("case", list(BAD))
def test_bad_files_give_one_line_data_error_with_line_number(tmp_path, case):
    text, pattern = BAD[case]
    p = _write(tmp_path, text)
    with pytest.raises(DataError, match=pattern) as info:
        load_csv(p)
    msg = str(info.value)
    assert "\n" not in msg and str(p) in msg and "line" in msg


def test_regression_text_target_names_line(tmp_path):
    p = _write(tmp_path, "x,t\n1,2\n2,abc\n")
    with pytest.raises(DataError, match=r"line 3: text 'abc' in numeric label column 2"):
        load_csv(p, task="regression")


def test_missing_file_and_bad_args(tmp_path):
    with pytest.raises(DataError, match="not found"):
        load_csv(tmp_path / "nope.csv")
    p = _write(tmp_path, IRIS_LIKE)
    with pytest.raises(ConfigError, match="task"):
        load_csv(p, task="clustering")
    with pytest.raises(ConfigError, match="header"):
        load_csv(p, header="yes")


# --------------------------------------------------------------------------------------------
# save_csv round trip and speed
# --------------------------------------------------------------------------------------------
@settings(max_examples=25, deadline=None)
@given(
    n=st.integers(2, 30),
    d=st.integers(1, 4),
    k=st.integers(2, 4),
    seed=st.integers(0, 10**6),
)
def test_save_load_round_trip_exact(tmp_path_factory, n, d, k, seed):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, d)) * 10.0 ** rng.integers(-5, 5)
    k = min(k, n)
    y = np.arange(n) % k  # every class present
    p = save_csv(tmp_path_factory.mktemp("csv") / "r.csv", X, y)
    X2, y2, info = load_csv(p)
    assert np.array_equal(X, X2)  # shortest round-trip repr -> bit-exact
    assert np.array_equal(y, y2) and info["class_names"] == [str(c) for c in range(k)]
    assert info["feature_names"] == [f"x{i + 1}" for i in range(d)]


def test_save_csv_names_and_string_labels(tmp_path):
    X = np.array([[1.0, 2.0], [3.0, 4.0]])
    p = save_csv(tmp_path / "sub" / "s.csv", X, np.array(["cat", "dog"]), names=["h", "w", "pet"])
    assert p.read_text().splitlines()[0] == "h,w,pet"
    X2, y2, info = load_csv(p, label="pet")
    assert np.array_equal(X, X2) and info["class_names"] == ["cat", "dog"]
    with pytest.raises(ConfigError, match="names"):
        save_csv(tmp_path / "x.csv", X, [0, 1], names=["only"])
    with pytest.raises(DataError, match="y must have shape"):
        save_csv(tmp_path / "x.csv", X, [0, 1, 1])


def test_100k_rows_load_fast(tmp_path):
    rng = np.random.default_rng(0)
    X = np.round(rng.standard_normal((100_000, 4)), 4)
    y = rng.integers(0, 3, 100_000)
    p = save_csv(tmp_path / "big.csv", X, np.array(["a", "b", "c"])[y])
    t0 = time.perf_counter()
    X2, y2, _ = load_csv(p)
    elapsed = time.perf_counter() - t0
    assert np.array_equal(X, X2) and np.array_equal(y, y2)
    assert elapsed < 5.0


# --------------------------------------------------------------------------------------------
# Streams, names, limits and memory
# --------------------------------------------------------------------------------------------


def _long_cell_file(tmp_path, cell_chars: int, rows: int, column: int = 0):
    cells = ["1", "2", "0"]
    cells[column] = "7" * cell_chars
    body = ",".join(cells) + "\n" + "1,2,0\n3,4,1\n" * (rows // 2)
    return _write(tmp_path, "a,b,label\n" + body, name="long.csv")


@pytest.mark.parametrize("cell_chars, rows", [(100_000, 100_000), (100_000, 5_000)])
def test_one_long_cell_is_rejected_with_a_smallpeak_bytes(tmp_path, cell_chars, rows):
    """The issue's 700 KB file tried to allocate 112 GiB, the 130 KB one peaked at 3.95 GB."""
    p = _long_cell_file(tmp_path, cell_chars, rows)
    assert 100_000 < p.stat().st_size < 800_000
    errors = []

    def run():
        with pytest.raises(DataError) as info:
            load_csv(p)
        errors.append(str(info.value))

    assert peak_bytes(run) < 3_000_000
    assert errors[0] == (
        f"{p}: line 2: more than 3011 characters on one line (a cell may have at most "
        "max_cell_chars=1000, with 3 columns)"
    )


def test_a_long_allowed_cell_costs_only_its_own_size(tmp_path):
    p = _long_cell_file(tmp_path, 100_000, 100_000, column=2)  # a long class name
    out = []
    peak = peak_bytes(lambda: out.append(load_csv(p, max_cell_chars=100_000)))
    X, y, info = out[0]
    assert X.shape == (100_001, 2) and len(info["class_names"]) == 3
    assert peak < 12_000_000, peak  # 100k rows x (2 features + label + line) x 8 bytes, x 2


def test_a_huge_line_is_rejected_before_it_is_read_whole(tmp_path):
    p = _write(tmp_path, "a,b,c\n1,2," + "x" * 3_000_000 + "\n")
    errors = []

    def run():
        with pytest.raises(DataError) as info:
            load_csv(p)
        errors.append(str(info.value))

    assert peak_bytes(run) < 4_000_000 * 4  # the line cap is (1000 + 3) * 3 + 2 characters
    assert "line 2: more than 3011 characters on one line" in errors[0]
    with pytest.raises(DataError, match=r"column 3 has a cell of 2000 characters, more than max"):
        load_csv(_write(tmp_path, "a,b,c\n1,2," + "x" * 2000 + "\n1,2,3\n"), max_cols=3)
    with pytest.raises(DataError, match=r"line 1: more than 2008 characters.*max_cols=2\)"):
        load_csv(_write(tmp_path, "x" * 3000 + ",1\n"), max_cols=2)


def test_limits_name_the_option(tmp_path):
    p = _write(tmp_path, IRIS_LIKE)
    with pytest.raises(DataError, match=r"line 5: more than max_rows=3 data rows"):
        load_csv(p, max_rows=3)
    with pytest.raises(DataError, match=r"line 1: 3 columns, more than max_cols=2"):
        load_csv(p, max_cols=2)
    with pytest.raises(DataError, match=r"more than max_bytes=50"):
        load_csv(p, max_bytes=50)
    with pytest.raises(DataError, match=r"longer than max_bytes=50"):
        load_csv(io.StringIO(IRIS_LIKE), max_bytes=50)
    with pytest.raises(ConfigError, match="max_rows"):
        load_csv(p, max_rows=0)


def test_a_text_stream_and_a_name(tmp_path):
    X, y, info = load_csv(io.StringIO(IRIS_LIKE), name="upload")
    assert X.shape == (5, 2) and info["path"] == "upload"
    with pytest.raises(DataError, match=r"^upload: line 3: 2 fields, expected 3 like line 1$"):
        load_csv(io.StringIO("a,b,c\n1,2,x\n3,4\n"), name="upload")
    with pytest.raises(DataError, match=r"^CSV data: line 1: the file is empty$"):
        load_csv(io.StringIO(""))
    p = _write(tmp_path, "a,b,c\n1,2,x\n3,4\n")
    with pytest.raises(DataError, match=r"^my data: line 3"):
        load_csv(p, name="my data")
    with pytest.raises(MlplabTypeError, match="path or a text stream"):
        load_csv(b"a,b\n1,2\n")


def test_messages_use_the_path_as_given(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    _write(tmp_path, "a,b,c\n1,2,x\n3,4\n")
    with pytest.raises(DataError, match=r"^d\.csv: line 3"):
        load_csv("d.csv")


def test_numbers_outside_the_float_range(tmp_path):
    p = _write(tmp_path, "a,b,c\n1,2,x\n3,1e309,y\n")
    with pytest.raises(DataError) as info:
        load_csv(p)
    assert str(info.value) == (
        f"{p}: line 3: number '1e309' in column 2 ('b') is outside the float range "
        "(|x| <= 1.798e+308)"
    )
    with pytest.raises(DataError, match=r"line 3: number '-1e400' in label column 2"):
        load_csv(_write(tmp_path, "x,t\n1,2\n2,-1e400\n"), task="regression")


def test_a_hex_first_row_is_data_not_a_header(tmp_path):
    p = _write(tmp_path, "0x10,2,0\n3,4,1\n5,6,0\n")
    with pytest.raises(DataError) as info:
        load_csv(p)
    assert str(info.value) == (
        f"{p}: line 1: text '0x10' in numeric column 1 (expected a number)"
        " (if line 1 is a header, pass header=True)"
    )
    for first in ("5%,2,0", "1st,2,0", "-.5x,2,0"):
        with pytest.raises(DataError, match="line 1: text"):
            load_csv(_write(tmp_path, first + "\n3,4,1\n5,6,0\n"))


def test_the_fractional_label_message_shows_the_text(tmp_path):
    p = _write(tmp_path, "a,b\n1,0\n2,0.5\n3,1\n")
    with pytest.raises(DataError) as info:
        load_csv(p)
    assert str(info.value) == (
        f"{p}: line 3: non-integer class '0.5' in label column 2 ('b');"
        " use task='regression' for numeric targets"
    )


def test_a_semicolon_file_says_which_delimiter_to_use(tmp_path):
    p = _write(tmp_path, "a;b;c\n1;2;x\n3;4;y\n")
    with pytest.raises(DataError, match=r"line 1: only 1 column.*use delimiter=';'"):
        load_csv(p)
    X, y, info = load_csv(p, delimiter=";")
    assert X.tolist() == [[1, 2], [3, 4]] and info["class_names"] == ["x", "y"]


def test_equal_numeric_labels_in_two_spellings_are_one_class(tmp_path):
    X, y, info = load_csv(_write(tmp_path, "a,b\n1,1\n2,1.0\n3,2\n"))
    assert info["class_names"] == ["1", "2"] and y.tolist() == [0, 0, 1]


def test_not_a_regular_file(tmp_path):
    with pytest.raises(DataError, match="not a regular file"):
        load_csv(tmp_path)


@pytest.mark.parametrize(
    ("hints", "header", "task", "label", "delimiter"),
    [
        ("python", "pass header=True", "use task='regression' for numeric targets",
         "pass a column index or header=True", "use delimiter=';'"),
        ("file", "set data.header = true", 'set data.task = "regression" for numeric targets',
         "give data.label a column index or set data.header = true",
         "set data.delimiter = ';'"),
        ("page", "no name on it may look like a number", "numeric targets are read as regression",
         "choose the label by its column", "save the file comma-separated"),
    ],
)  # fmt: skip
def test_hints_name_the_option_of_who_reads_them(tmp_path, hints, header, task, label, delimiter):
    """A Python caller, an experiment file and the page each get the option they can change."""

    def fails(text, **kw):
        with pytest.raises((DataError, ConfigError)) as info:
            load_csv(_write(tmp_path, text), hints=hints, **kw)
        return str(info.value)

    assert fails("x,2nd,y\n1,2,0\n3,4,1\n").endswith(f"(if line 1 is a header, {header})")
    assert fails("a,b\n1,0\n2,0.5\n3,1\n").endswith(f"; {task}")
    assert fails("1,2,0\n3,4,1\n", label="y", header=False).endswith(f"; {label}")
    assert fails("a;b;y\n1;2;0\n").endswith(f"separated by ';': {delimiter})")


def test_hints_must_be_a_known_style(tmp_path):
    with pytest.raises(ConfigError, match="hints"):
        load_csv(_write(tmp_path, "1,0\n2,1\n"), hints="toml")
