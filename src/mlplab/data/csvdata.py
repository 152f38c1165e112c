"""Load and save small tabular data sets as CSV.

``load_csv`` reads a UTF-8 CSV whose columns are numeric features plus one label column
(classification: strings or integers; regression: numbers). Every problem a user can cause
raises :class:`~mlplab.errors.DataError` with a one-line message that gives the line number
(1-based, as an editor shows it) and the column:

- empty file, no data rows, or too few rows,
- ragged rows (a line with a different number of fields than the first),
- text in a numeric column, missing values (``""``, ``NA``, ``NaN``, ``?``, ...), infinities,
  numbers outside the float range (``1e309``),
- only one class in the label column, non-integer numeric labels for classification,
- bytes that are not UTF-8,
- a cell, a line, the row or column count or the size over its limit (``max_cell_chars``,
  ``max_rows``, ``max_cols``, ``max_bytes``; the message names the limit).

The file is read as a stream: the :mod:`csv` module parses one record at a time and each
number goes straight into a float64 buffer, so memory grows with the numbers the file holds
(8 bytes each), never with the longest cell times the number of cells.
"""

from __future__ import annotations

import codecs
import csv
import io
import math
import os
import re
import stat
from array import array
from pathlib import Path

import numpy as np

from ..errors import ConfigError, DataError, MlplabTypeError, check_choice, check_int
from ..fileio import atomic_write

__all__ = ["MIN_ROWS", "MISSING_TOKENS", "load_csv", "save_csv"]

#: Cell texts (lower-cased, stripped) treated as missing values.
MISSING_TOKENS = frozenset({"", "na", "n/a", "nan", "null", "none", "?", "-"})
#: Fewest data rows ``load_csv`` accepts.
MIN_ROWS = 2
#: Columns assumed for the length cap of line 1 when ``max_cols`` is not given.
_COLS_FOR_LINE_CAP = 10_000
#: Cells that look like numbers in another notation (0x10, 1st, 5%, .5e): never a header.
_NUMBERISH = re.compile(r"^[+-]?\.?\d")


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


class _Limit(Exception):
    """A physical line longer than the cap (raised by :func:`_lines`)."""


def _lines(stream, state: dict):
    """Physical lines of ``stream`` (newlines kept), each at most ``state["cap"]`` characters.

    ``state["chars"]`` counts the characters read (checked against ``max_bytes``).
    """
    while True:
        cap = state["cap"]
        line = stream.readline(cap + 1)
        if not line:
            return
        if len(line) > cap and line[-1] not in "\r\n":
            raise _Limit
        state["chars"] += len(line)
        if state["max_bytes"] is not None and state["chars"] > state["max_bytes"]:
            raise DataError(
                f"{state['name']}: line {state['line'] + 1}: the data is longer than "
                f"max_bytes={state['max_bytes']}"
            )
        state["line"] += line.count("\n") or 1
        yield line


def _utf8_error(path) -> tuple[int, int]:
    """Line number and value of the first byte of ``path`` that is not UTF-8 (chunked)."""
    dec = codecs.getincrementaldecoder("utf-8")()
    line = 1
    with open(path, "rb") as f:
        while chunk := f.read(1 << 16):
            try:
                dec.decode(chunk)
            except UnicodeDecodeError as exc:
                data = exc.object
                return line + data[: exc.start].count(b"\n"), data[exc.start]
            line += chunk.count(b"\n")
    return line, 0  # pragma: no cover - only called after a decode error


def _column_label(names: list[str] | None, j: int) -> str:
    return f"column {j + 1} ({names[j]!r})" if names else f"column {j + 1}"


class _Reader:
    """Turns records into numbers, with the error messages of :func:`load_csv`."""

    def __init__(self, name: str):
        self.name = name
        self.names: list[str] | None = None

    def fail(self, line: int, what: str):
        raise DataError(f"{self.name}: line {line}: {what}")

    def number(self, text: str, line: int, where: str, hint: str = "") -> float:
        try:
            v = float(text)
        except ValueError:
            s = text.strip()
            if s.lower() in MISSING_TOKENS:
                self.fail(line, f"missing value in {where}")
            shown = s if len(s) <= 40 else s[:37] + "..."
            self.fail(line, f"text {shown!r} in numeric {where} (expected a number){hint}")
        if not math.isfinite(v):
            s = text.strip().lower()
            if v != v:
                self.fail(line, f"missing value (NaN) in {where}")
            if "inf" in s:
                self.fail(line, f"infinite value in {where}")
            self.fail(
                line,
                f"number {text.strip()[:40]!r} in {where} is outside the float range "
                f"(|x| <= {np.finfo(np.float64).max:.4g})",
            )
        return v


#: How a message's hint names the option to change, by who reads it: a Python caller, an
#: experiment file's ``[data]`` table, or the playground page (which detects both itself).
HINTS = {
    "python": {
        "header": "pass header=True",
        "label": "pass a column index or header=True",
        "task": "use task='regression' for numeric targets",
        "delimiter": "use delimiter={d!r}",
    },
    "file": {
        "header": "set data.header = true",
        "label": "give data.label a column index or set data.header = true",
        "task": 'set data.task = "regression" for numeric targets',
        "delimiter": "set data.delimiter = {d!r}",
    },
    "page": {
        "header": "no name on it may look like a number",
        "label": "choose the label by its column",
        "task": "numeric targets are read as regression",
        "delimiter": "save the file comma-separated",
    },
}


def _resolve_label(label, ncol: int, names, name: str, hints: dict | None = None) -> int:
    if isinstance(label, bool):
        raise MlplabTypeError(f"label must be a column index or name, got {label!r}")
    if isinstance(label, (int, np.integer)):
        j = int(label)
        if not -ncol <= j < ncol:
            raise ConfigError(f"label index must be in [{-ncol}, {ncol - 1}], got {j}")
        return j % ncol
    if isinstance(label, str):
        if names is None:
            raise ConfigError(
                f"label {label!r} is a column name but {name} has no header row;"
                f" {(hints or HINTS['python'])['label']}"
            )
        if label not in names:
            raise ConfigError(f"label must be one of the columns {names}; got {label!r}")
        return names.index(label)
    raise MlplabTypeError(f"label must be a column index or name, got {label!r}")


def _limit(what: str, value, lo: int = 1):
    return None if value is None else check_int(what, value, lo)


def load_csv(
    source,
    label=-1,
    header="auto",
    task: str = "classification",
    *,
    delimiter: str = ",",
    name: str | None = None,
    max_rows: int | None = None,
    max_cols: int | None = None,
    max_cell_chars: int = 1000,
    max_bytes: int | None = None,
    hints: str = "python",
):
    """Load features and labels from a CSV file or text stream.

    Parameters
    ----------
    source : str, Path or text stream
        A file path, or an open text stream such as ``io.StringIO(text)``.
    label : int or str
        The label column: an index (negative counts from the end; default the last column) or
        a header name.
    header : {"auto", True, False}
        Whether the first row holds column names. ``"auto"``: yes if none of its cells looks
        like a number (``0x10``, ``5%`` or ``1e3`` count as numbers, so such a row is data and
        its bad cell is reported).
    task : {"classification", "regression"}
        Classification labels may be strings or integers; they are mapped to ``0..k-1`` in
        sorted order (numeric order for numbers) and the names are kept. Regression targets
        must be numbers.
    delimiter : str
        Field separator (one character), e.g. ``";"``.
    name : str, optional
        How messages name the data (default: the path as given, or ``"CSV data"``).
    max_rows, max_cols : int, optional
        Most data rows / columns accepted (default: no limit).
    max_cell_chars : int
        Longest cell accepted (characters).
    max_bytes : int, optional
        Largest file (bytes; characters for a stream).
    hints : {"python", "file", "page"}
        How messages name the option to change: these arguments (``header=True``), an
        experiment file's keys (``data.header = true``) or the playground page's words.

    Returns
    -------
    X : ndarray, shape (n, d), float64
    y : ndarray, shape (n,)
        int64 class ids ``0..k-1`` (classification) or float64 targets (regression).
    info : dict
        ``feature_names`` (list of d str), ``label_name`` (str), ``class_names`` (list of k
        str, or None for regression), ``task``, ``header`` (bool), ``n_rows``, ``path``
        (the name used in messages).

    Raises
    ------
    DataError
        Any problem in the data (message: ``<name>: line <L>: <what>``).
    ConfigError
        Bad arguments (unknown label name, index out of range, ...).
    """
    check_choice("task", task, ("classification", "regression"))
    check_choice("header", header, ("auto", True, False))
    check_choice("hints", hints, tuple(HINTS))
    if not isinstance(delimiter, str) or len(delimiter) != 1 or delimiter in '\r\n"':
        raise ConfigError(f"delimiter must be a single character such as ';', got {delimiter!r}")
    max_rows = _limit("max_rows", max_rows)
    max_cols = _limit("max_cols", max_cols, 2)
    max_cell_chars = check_int("max_cell_chars", max_cell_chars, 1)
    max_bytes = _limit("max_bytes", max_bytes)
    if isinstance(source, (str, os.PathLike)):
        path = os.fspath(source)
        label_name = name or str(path)
        try:
            st = os.stat(path)
        except FileNotFoundError:
            raise DataError(f"CSV file not found: {label_name}") from None
        except OSError as exc:
            raise DataError(f"cannot read CSV file {label_name}: {exc.strerror}") from None
        if not stat.S_ISREG(st.st_mode):
            raise DataError(f"{label_name} is not a regular file")
        if max_bytes is not None and st.st_size > max_bytes:
            raise DataError(f"{label_name} is {st.st_size} bytes, more than max_bytes={max_bytes}")
        try:
            stream = open(path, encoding="utf-8-sig", newline="")  # noqa: SIM115
        except OSError as exc:
            raise DataError(f"cannot read CSV file {label_name}: {exc.strerror}") from None
    elif hasattr(source, "readline"):
        path = None
        label_name = name or "CSV data"
        stream = source
    else:
        raise MlplabTypeError(
            f"load_csv takes a path or a text stream, got {type(source).__name__}"
        )
    try:
        with stream if path is not None else _nullcontext():
            return _load(
                stream, label, header, task, delimiter, label_name,
                max_rows, max_cols, max_cell_chars, max_bytes, HINTS[hints],
            )  # fmt: skip
    except UnicodeDecodeError:
        if path is None:
            raise DataError(f"{label_name}: the stream is not text") from None
        line, byte = _utf8_error(path)
        raise DataError(
            f"{label_name}: line {line}: not UTF-8 text (byte 0x{byte:02x}); "
            "re-save the file as UTF-8"
        ) from None
    except OSError as exc:
        raise DataError(f"cannot read CSV file {label_name}: {exc.strerror or exc}") from None


class _nullcontext:
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


def _load(
    stream, label, header, task, delimiter, name, max_rows, max_cols, max_cell, max_bytes, hints
):
    state = {
        "cap": (max_cell + 3) * (max_cols or _COLS_FOR_LINE_CAP) + 2,
        "chars": 0,
        "line": 0,
        "max_bytes": max_bytes,
        "name": name,
    }
    rd = _Reader(name)
    ncols: list[int] = []  # the column count, once line 1 is read
    reader = csv.reader(_lines(stream, state), delimiter=delimiter, strict=True)

    def records():
        """(line, fields) of every non-blank record, the cell cap checked."""
        while True:
            try:
                row = next(reader)
            except StopIteration:
                return
            except _Limit:
                cols = (
                    f"{ncols[0]} columns" if ncols else f"max_cols={max_cols or _COLS_FOR_LINE_CAP}"
                )
                rd.fail(
                    state["line"] + 1,
                    f"more than {state['cap']} characters on one line (a cell may have at most "
                    f"max_cell_chars={max_cell}, with {cols})",
                )
            except csv.Error as exc:
                msg = str(exc)
                if "field limit" in msg:  # csv's own cap (csv.field_size_limit())
                    cap = min(max_cell, csv.field_size_limit())
                    rd.fail(max(reader.line_num, 1), f"a cell has more than {cap} characters")
                rd.fail(max(reader.line_num, 1), f"malformed CSV ({msg})")
            if not row or (len(row) == 1 and not row[0].strip()):
                continue  # blank line
            if max(map(len, row)) > max_cell:
                j = next(j for j, c in enumerate(row) if len(c) > max_cell)
                rd.fail(
                    reader.line_num,
                    f"column {j + 1} has a cell of {len(row[j])} characters, more than "
                    f"max_cell_chars={max_cell}",
                )
            yield reader.line_num, row

    it = records()
    first = next(it, None)
    if first is None:
        raise DataError(f"{name}: line 1: the file is empty")
    line1, row1 = first
    ncol = len(row1)
    if max_cols is not None and ncol > max_cols:
        rd.fail(line1, f"{ncol} columns, more than max_cols={max_cols}")
    state["cap"] = (max_cell + 3) * ncol + 2  # a data line needs no more
    ncols.append(ncol)
    if header == "auto":
        has_header = not any(_is_number(c) or _NUMBERISH.match(c.strip()) for c in row1)
    else:
        has_header = bool(header)
    names = [c.strip() for c in row1] if has_header else None
    rd.names = names
    if ncol < 2:
        hint = f" (is the delimiter {delimiter!r} right?"
        for d in (";", "\t", "|", ","):
            if d != delimiter and d in row1[0]:
                hint += f" the line looks separated by {d!r}: {hints['delimiter'].format(d=d)}"
                break
        raise DataError(
            f"{name}: line {line1}: only 1 column; need at least one feature and a label{hint})"
        )
    j_label = _resolve_label(label, ncol, names, name, hints)
    feat_cols = [j for j in range(ncol) if j != j_label]
    where = [_column_label(names, j) for j in range(ncol)]
    label_where = "label " + where[j_label]
    regression = task == "regression"

    X = array("d")
    y_num = array("d")  # regression targets
    codes = array("q")  # classification: index into `classes` (first-seen order)
    classes: dict[str, int] = {}
    lines = array("q")
    header_hint = "" if has_header else f" (if line 1 is a header, {hints['header']})"

    def rows():
        if not has_header:
            yield line1, row1
        yield from it

    n = 0
    for line, row in rows():
        if len(row) != ncol:
            rd.fail(line, f"{len(row)} fields, expected {ncol} like line {line1}")
        n += 1
        if max_rows is not None and n > max_rows:
            rd.fail(line, f"more than max_rows={max_rows} data rows")
        hint = header_hint if line == line1 else ""
        for j in feat_cols:
            X.append(rd.number(row[j], line, where[j], hint))
        lab = row[j_label].strip()
        if lab.lower() in MISSING_TOKENS:
            rd.fail(line, f"missing value in {label_where}")
        if regression:
            y_num.append(rd.number(lab, line, label_where, hint))
        else:
            codes.append(classes.setdefault(lab, len(classes)))
        lines.append(line)
    if n < MIN_ROWS:
        last = lines[-1] if n else line1
        raise DataError(
            f"{name}: line {last}: too few rows, {n} data row(s) found, need at least {MIN_ROWS}"
        )
    Xa = np.frombuffer(X, dtype=np.float64).reshape(n, len(feat_cols))
    if regression:
        y = np.frombuffer(y_num, dtype=np.float64)
        class_names = None
    else:
        y, class_names = _encode_classes(
            name, classes, np.frombuffer(codes, np.int64), lines, label_where, hints
        )
    feature_names = [names[j] for j in feat_cols] if names else [f"x{k + 1}" for k in feat_cols]
    info = {
        "feature_names": feature_names,
        "label_name": names[j_label] if names else "label",
        "class_names": class_names,
        "task": task,
        "header": has_header,
        "n_rows": n,
        "path": name,
    }
    return Xa, y, info


def _encode_classes(name, classes: dict[str, int], codes: np.ndarray, lines, where: str, hints):
    """Map label texts to 0..k-1 in sorted order (numeric order when all are numbers)."""
    texts = list(classes)
    values = []
    for t in texts:
        try:
            v = float(t)
        except ValueError:
            values = None
            break
        if not math.isfinite(v):
            values = None
            break
        values.append(v)
    if values is not None:
        frac = [t for t, v in zip(texts, values) if v != round(v)]
        if frac:
            first = classes[frac[0]]
            i = int(np.flatnonzero(codes == first)[0])
            raise DataError(
                f"{name}: line {lines[i]}: non-integer class {frac[0]!r} in {where};"
                f" {hints['task']}"
            )
        keys = np.asarray(values)
        uniq, new_code = np.unique(keys, return_inverse=True)  # 1 and 1.0: one class
        class_names = [str(int(v)) for v in uniq]
    else:
        uniq, new_code = np.unique(np.asarray(texts, dtype=object), return_inverse=True)
        class_names = [str(v) for v in uniq]
    if len(class_names) < 2:
        raise DataError(
            f"{name}: lines {lines[0]}-{lines[-1]}: only one class ({class_names[0]!r}) in "
            f"{where}; classification needs at least 2"
        )
    return new_code.reshape(-1).astype(np.int64)[codes], class_names


def save_csv(path, X, y, names=None) -> Path:
    """Write ``X`` and ``y`` as CSV with a header row (label column last).

    Parameters
    ----------
    path : str or Path
    X : array_like, shape (n, d)
    y : array_like, shape (n,) or (n, 1)
        Class ids, class names or regression targets.
    names : sequence of str, optional
        ``d`` feature names (label column called ``label``) or ``d + 1`` names (last = label).
        Default ``x1, ..., xd, label``.

    Returns
    -------
    Path
        The written file (written atomically: temp file + rename). Floats are written with
        Python's shortest round-trip repr, so ``load_csv`` gives back identical arrays.
    """
    X = np.asarray(X)
    y = np.asarray(y)
    if X.ndim != 2:
        raise DataError(f"X must be 2-D (n, d), got shape {X.shape}")
    if y.ndim == 2 and y.shape[1] == 1:
        y = y[:, 0]
    if y.ndim != 1 or y.shape[0] != X.shape[0]:
        raise DataError(f"y must have shape ({X.shape[0]},), got {y.shape}")
    d = X.shape[1]
    if names is None:
        header = [f"x{k + 1}" for k in range(d)] + ["label"]
    else:
        names = [str(s) for s in names]
        if len(names) == d:
            header = names + ["label"]
        elif len(names) == d + 1:
            header = names
        else:
            raise ConfigError(f"names must have {d} or {d + 1} entries, got {len(names)}")
    path = Path(path)
    buf = io.StringIO(newline="")
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(header)
    xl = X.tolist()
    yl = y.tolist()
    writer.writerows(row + [lab] for row, lab in zip(xl, yl, strict=True))
    atomic_write(path, buf.getvalue())
    return path
