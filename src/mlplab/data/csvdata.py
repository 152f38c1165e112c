"""Load and save small tabular data sets as CSV.

``load_csv`` reads a UTF-8 CSV whose columns are numeric features plus one label column
(classification: strings or integers; regression: numbers). Every problem a user can cause
raises :class:`~mlplab.errors.DataError` with a one-line message that gives the line number
(1-based, as an editor shows it) and the column:

- empty file, no data rows, or too few rows,
- ragged rows (a line with a different number of fields than the first),
- text in a numeric column, missing values (``""``, ``NA``, ``NaN``, ``?``, ...), infinities,
- only one class in the label column, non-integer numeric labels for classification,
- bytes that are not UTF-8.

Parsing uses the ``csv`` module once and converts all feature cells in one NumPy call, so
100k-row files load in well under a second; per-cell work happens only to explain an error.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import numpy as np

from ..errors import ConfigError, DataError, MlplabTypeError, check_choice
from ..fileio import atomic_write

__all__ = ["MIN_ROWS", "MISSING_TOKENS", "load_csv", "save_csv"]

#: Cell texts (lower-cased, stripped) treated as missing values.
MISSING_TOKENS = frozenset({"", "na", "n/a", "nan", "null", "none", "?", "-"})
#: Fewest data rows ``load_csv`` accepts.
MIN_ROWS = 2


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _read_rows(path: Path, delimiter: str) -> tuple[list[list[str]], list[int]]:
    """Rows of the file (blank lines dropped) and the line number where each row ends."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise DataError(f"CSV file not found: {path}") from None
    except OSError as exc:
        raise DataError(f"cannot read CSV file {path}: {exc.strerror or exc}") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise DataError(
            f"{path}: line {line}: not UTF-8 text (byte 0x{raw[exc.start]:02x}); "
            "re-save the file as UTF-8"
        ) from None
    rows: list[list[str]] = []
    lines: list[int] = []
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    try:
        for row in reader:
            if not row or (len(row) == 1 and not row[0].strip()):
                continue  # blank line
            rows.append(row)
            lines.append(reader.line_num)
    except csv.Error as exc:
        raise DataError(f"{path}: line {max(reader.line_num, 1)}: malformed CSV ({exc})") from None
    return rows, lines


def _detect_header(rows: list[list[str]]) -> bool:
    """Header if row 1 has text where row 2 has a number, or row 1 is all text."""
    first = [c.strip() for c in rows[0]]
    if all(not _is_number(c) for c in first):
        return True
    if len(rows) < 2:
        return False
    second = [c.strip() for c in rows[1]]
    return any(not _is_number(a) and _is_number(b) for a, b in zip(first, second, strict=False))


def _column_label(names: list[str] | None, j: int) -> str:
    return f"column {j + 1} ({names[j]!r})" if names else f"column {j + 1}"


def _explain_bad_cell(path, cells: np.ndarray, lines: np.ndarray, where: str, what: str):
    """Raise a DataError for the first cell of ``cells`` (1-D str) that is not a number."""
    for i, c in enumerate(cells):  # error path only
        s = str(c).strip()
        if s.lower() in MISSING_TOKENS:
            raise DataError(f"{path}: line {lines[i]}: missing value in {where}")
        if not _is_number(s):
            raise DataError(f"{path}: line {lines[i]}: text {s!r} in numeric {where} ({what})")
    raise DataError(f"{path}: cannot convert {where} to numbers")  # pragma: no cover


def _to_float(
    path, cells: np.ndarray, lines: np.ndarray, names, cols, prefix: str = ""
) -> np.ndarray:
    """Convert a (n, k) str array to float64, with a precise error on failure."""
    try:
        out = cells.astype(np.float64)
    except ValueError:
        for k, j in enumerate(cols):
            try:
                cells[:, k].astype(np.float64)
            except ValueError:
                where = prefix + _column_label(names, j)
                _explain_bad_cell(path, cells[:, k], lines, where, "expected a number")
        raise  # pragma: no cover - one column must have failed
    bad = ~np.isfinite(out)
    if bad.any():
        i, k = np.argwhere(bad)[0]
        kind = "missing value (NaN)" if np.isnan(out[i, k]) else "infinite value"
        raise DataError(
            f"{path}: line {lines[i]}: {kind} in {prefix}{_column_label(names, cols[k])}"
        )
    return out


def load_csv(
    path,
    label=-1,
    header="auto",
    task: str = "classification",
    *,
    delimiter: str = ",",
):
    """Load features and labels from a CSV file.

    Parameters
    ----------
    path : str or Path
    label : int or str
        The label column: an index (negative counts from the end; default the last column) or
        a header name.
    header : {"auto", True, False}
        Whether the first row holds column names. ``"auto"``: yes if it contains text where
        the second row has a number, or if it is all text.
    task : {"classification", "regression"}
        Classification labels may be strings or integers; they are mapped to ``0..k-1`` in
        sorted order (numeric order for numbers) and the names are kept. Regression targets
        must be numbers.
    delimiter : str
        Field separator (one character).

    Returns
    -------
    X : ndarray, shape (n, d), float64
    y : ndarray, shape (n,)
        int64 class ids ``0..k-1`` (classification) or float64 targets (regression).
    info : dict
        ``feature_names`` (list of d str), ``label_name`` (str), ``class_names`` (list of k
        str, or None for regression), ``task``, ``header`` (bool), ``n_rows``, ``path``.

    Raises
    ------
    DataError
        Any problem in the file (message: ``<path>: line <L>: <what>``).
    ConfigError
        Bad arguments (unknown label name, index out of range, ...).
    """
    check_choice("task", task, ("classification", "regression"))
    check_choice("header", header, ("auto", True, False))
    if not isinstance(delimiter, str) or len(delimiter) != 1:
        raise ConfigError(f"delimiter must be a single character, got {delimiter!r}")
    path = Path(path)
    rows, lines = _read_rows(path, delimiter)
    if not rows:
        raise DataError(f"{path}: line 1: the file is empty")

    has_header = _detect_header(rows) if header == "auto" else bool(header)
    names: list[str] | None = [c.strip() for c in rows[0]] if has_header else None
    ncol = len(rows[0])
    data_rows = rows[1:] if has_header else rows
    data_lines = np.asarray(lines[1:] if has_header else lines, dtype=np.int64)

    if ncol < 2:
        raise DataError(
            f"{path}: line {lines[0]}: only 1 column; need at least one feature and a label"
            f" (is the delimiter {delimiter!r} right?)"
        )
    lengths = np.fromiter((len(r) for r in data_rows), dtype=np.int64, count=len(data_rows))
    ragged = np.flatnonzero(lengths != ncol)
    if ragged.size:
        i = ragged[0]
        raise DataError(
            f"{path}: line {data_lines[i]}: {lengths[i]} fields, expected {ncol}"
            f" like line {lines[0]}"
        )
    n = len(data_rows)
    if n < MIN_ROWS:
        last = lines[-1]
        raise DataError(
            f"{path}: line {last}: too few rows, {n} data row(s) found, need at least {MIN_ROWS}"
        )

    # --- the label column ------------------------------------------------------------------
    if isinstance(label, bool):
        raise MlplabTypeError(f"label must be a column index or name, got {label!r}")
    if isinstance(label, (int, np.integer)):
        j_label = int(label)
        if not -ncol <= j_label < ncol:
            raise ConfigError(f"label index must be in [{-ncol}, {ncol - 1}], got {j_label}")
        j_label %= ncol
    elif isinstance(label, str):
        if names is None:
            raise ConfigError(
                f"label {label!r} is a column name but {path} has no header row;"
                " pass a column index or header=True"
            )
        if label not in names:
            raise ConfigError(f"label must be one of the columns {names}; got {label!r}")
        j_label = names.index(label)
    else:
        raise MlplabTypeError(f"label must be a column index or name, got {label!r}")

    table = np.array(data_rows, dtype=str)  # (n, ncol)
    feat_cols = [j for j in range(ncol) if j != j_label]
    X = _to_float(path, table[:, feat_cols], data_lines, names, feat_cols)

    label_where = "label " + _column_label(names, j_label)
    raw_labels = np.char.strip(table[:, j_label])
    missing = np.isin(np.char.lower(raw_labels), list(MISSING_TOKENS))
    if missing.any():
        i = int(np.flatnonzero(missing)[0])
        raise DataError(f"{path}: line {data_lines[i]}: missing value in {label_where}")

    class_names: list[str] | None
    if task == "regression":
        y = _to_float(path, raw_labels[:, None], data_lines, names, [j_label], "label ")
        y = y[:, 0]
        class_names = None
    else:
        y, class_names = _encode_classes(path, raw_labels, data_lines, label_where)

    feature_names = [names[j] for j in feat_cols] if names else [f"x{k + 1}" for k in feat_cols]
    info = {
        "feature_names": feature_names,
        "label_name": names[j_label] if names else "label",
        "class_names": class_names,
        "task": task,
        "header": has_header,
        "n_rows": n,
        "path": str(path),
    }
    return X, y, info


def _encode_classes(path, raw: np.ndarray, lines: np.ndarray, where: str):
    """Map label strings to 0..k-1 (numeric order when all labels are numbers)."""
    try:
        values = raw.astype(np.float64)
    except ValueError:
        values = None
    if values is not None and np.all(np.isfinite(values)):
        frac = values != np.round(values)
        if frac.any():
            i = int(np.flatnonzero(frac)[0])
            raise DataError(
                f"{path}: line {lines[i]}: non-integer class {raw[i]!r} in {where};"
                " use task='regression' for numeric targets"
            )
        uniq, y = np.unique(values, return_inverse=True)
        class_names = [str(int(v)) for v in uniq]
    else:
        uniq, y = np.unique(raw, return_inverse=True)
        class_names = [str(v) for v in uniq]
    if len(class_names) < 2:
        raise DataError(
            f"{path}: lines {lines[0]}-{lines[-1]}: only one class ({class_names[0]!r}) in {where};"
            " classification needs at least 2"
        )
    return y.astype(np.int64).reshape(-1), class_names


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
