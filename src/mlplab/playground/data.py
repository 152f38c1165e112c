"""The data of a playground session: generated sets, uploaded CSV files, thumbnails.

* :func:`make_data` — the points of a setup (TF's generators, the notebook's quadratic set,
  multi-class spirals and logic gates, or an upload), shuffled once with the data seed and
  split into training and test points like TF Playground.
* :func:`read_upload` — an uploaded CSV file (streamed by :func:`parse_csv` within the upload
  limits), its plotted pair, extra input columns and label.
* :func:`standardize` — what "standardize the inputs" does to an upload's columns.
* :func:`dataset_thumbnails` — the points drawn in the dataset pickers.
"""

from __future__ import annotations

import functools
import io
import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from mlplab.errors import ConfigError, DataError
from mlplab.playground import schema
from mlplab.playground.frames import clean

NUM_CLASSIFY = 500  #: TF: NUM_SAMPLES_CLASSIFY
NUM_REGRESS = 1200  #: TF: NUM_SAMPLES_REGRESS
#: key of the state naming the data set of each problem type
DATASET_KEY = {"classification": "dataset", "regression": "regDataset", "multiclass": "mcDataset"}


def feature_matrix(X: np.ndarray, names: list[str]) -> np.ndarray:
    """The TF input features of raw 2-D points (``x, y, x^2, y^2, xy, sin x, sin y``).

    Thin wrapper of :func:`mlplab.data.playground.features`; shape ``(N, len(names))``.
    """
    from mlplab.data.playground import features

    return features(X, list(names))


def quadratic_data(seed: int = 317, n: int = 100) -> tuple[np.ndarray, np.ndarray]:
    """The notebook's "quadratic" set as ``(2n, 2)`` points and +-1 labels.

    :func:`mlplab.data.datasets.quadratic` (bit for bit the notebook's ``np.random.seed(317)``
    data): the first ``n`` rows are its training set, the next ``n`` its test set.
    """
    from mlplab.data.datasets import quadratic

    X, y, Xt, yt = quadratic(n=n, seed=seed)
    return np.vstack([X, Xt]), np.where(np.concatenate([y, yt]) > 0, 1.0, -1.0)


@dataclass
class Data:
    """The points of a session, split; ``E`` are an upload's extra (non-plotted) inputs."""

    X_train: np.ndarray  #: (n, 2) plotted coordinates
    y_train: np.ndarray  #: (n,) +-1 labels, class ids or targets
    E_train: np.ndarray  #: (n, m) extra input columns (m = 0 unless an upload has more)
    X_test: np.ndarray
    y_test: np.ndarray
    E_test: np.ndarray
    classes: int  #: output units of a multi-class problem (1 otherwise)
    domain: float  #: half-width of a square plot (6 for TF's sets)
    extent: list[float]  #: plotted ``[x0, x1, y0, y1]``
    extra_means: np.ndarray  #: (m,) the extra columns' means: the heatmap holds them there


def make_data(state: dict[str, Any], upload: dict[str, Any] | None) -> Data:
    """The data of ``state`` (an upload when its data set is ``"upload"``).

    The points are shuffled once with ``default_rng([seed, 7])`` (the notebook's quadratic
    set keeps its own train/test halves) and the first ``percTrainData`` % are the training
    points; a truth table of at most 8 rows is used whole for both.
    """
    problem, seed, noise = state["problem"], state["seed"], state["noise"]
    name = state[DATASET_KEY[problem]]
    classes = 1
    E = None
    if name == "upload":
        if upload is None:
            raise ConfigError("dataset 'upload' needs an uploaded CSV file first")
        X, y, E = upload["X"], upload["y"], upload["E"]
        if problem == "multiclass":
            classes = int(y.max()) + 1
    elif problem == "multiclass":
        from mlplab.data import datasets

        if name == "spiral":
            k = state["numClasses"]
            X, y = datasets.spiral(max(NUM_CLASSIFY // k, 10), k, noise / 100.0, seed)
        else:  # a logic gate's truth table, two classes
            X, y = datasets.gates(name)
        X = np.asarray(X, dtype=np.float64)
        y = np.asarray(y).astype(np.int64)
        classes = max(2, int(y.max()) + 1)
    elif name == "quadratic":
        X, y = quadratic_data(seed if seed else 317)
    else:
        from mlplab.data import playground as pdata

        X, y = pdata.generate(name, noise=noise, seed=seed)
        X, y = np.asarray(X, dtype=np.float64), np.asarray(y, dtype=np.float64)
    n = len(X)
    if E is None:
        E = np.zeros((n, 0))
    if name == "quadratic":
        order = np.arange(n)  # the notebook's own train/test halves
    else:
        order = np.random.default_rng([seed, 7]).permutation(n)
    X, y, E = X[order], y[order], E[order]
    if n <= 8:  # a gate's 4-row truth table: train and test on all of it (the same arrays)
        train = test = (X, y, E)
    else:
        k = max(1, min(n - 1, (n * state["percTrainData"]) // 100))
        train, test = (X[:k], y[:k], E[:k]), (X[k:], y[k:], E[k:])
    extent_abs = float(np.max(np.abs(X))) if n else 6.0
    domain = (
        6.0
        if name not in ("upload", "quadratic") and problem != "multiclass"
        else (math.ceil(extent_abs * 1.2 * 2) / 2 if extent_abs > 0 else 1.0)
    )
    if name == "upload":  # each plotted column over its own range, 10 % margin
        lo, hi = X.min(axis=0), X.max(axis=0)
        pad = np.where(hi > lo, 0.1 * (hi - lo), 0.5)
        lo, hi = lo - pad, hi + pad
        extent = [float(lo[0]), float(hi[0]), float(lo[1]), float(hi[1])]
    else:
        extent = [-domain, domain, -domain, domain]
    return Data(
        *train, *test,
        classes=classes, domain=domain, extent=extent,
        extra_means=E.mean(axis=0) if n else np.zeros(E.shape[1]),
    )  # fmt: skip


# --- uploads ---------------------------------------------------------------------------------
def parse_csv(text: str, label: int = -1) -> tuple[np.ndarray, np.ndarray, dict[str, Any]]:
    """Parse uploaded CSV text with :func:`mlplab.data.csvdata.load_csv` and the upload limits.

    ``load_csv`` reads the text as a stream straight into float arrays and checks the
    limits while reading (:data:`~mlplab.playground.schema.MAX_UPLOAD_BYTES`, rows, columns,
    :data:`~mlplab.playground.schema.MAX_CELL_CHARS` per cell), so a crafted file costs no
    more memory than its numbers.  Quoted cells follow the CSV rules (``"height, cm"`` is
    one column name).  The label column is read as classes when its values are integers or
    text (mapped to ``0..k-1``) and as regression targets when they are other numbers;
    integer labels with more than :data:`~mlplab.playground.schema.MAX_CLASSES` values are
    also regression.

    Parameters
    ----------
    text : str
        The CSV file (optional header row).
    label : int
        Label column index (negative counts from the end).

    Returns
    -------
    X : ndarray, shape (N, C - 1)
        Every column but the label, in file order.
    y : ndarray, shape (N,)
        int64 class ids (classification) or float64 targets (regression).
    info : dict
        ``load_csv``'s info plus ``names`` (all C column names) and ``feature_cols`` (the
        original index of every column of ``X``).

    Raises
    ------
    DataError
        Over a limit, or any problem ``load_csv`` finds (with the line number), e.g.
        ``upload: line 3: 2 fields, expected 3 like line 1``.
    """
    from mlplab.data.csvdata import load_csv

    def load(task: str):
        try:
            return load_csv(
                io.StringIO(text), label=label, task=task, name="upload",
                max_rows=schema.MAX_UPLOAD_ROWS, max_cols=schema.MAX_UPLOAD_COLS,
                max_cell_chars=schema.MAX_CELL_CHARS, max_bytes=schema.MAX_UPLOAD_BYTES,
                hints="page",
            )  # fmt: skip
        except ConfigError as e:  # a label index outside the columns
            raise DataError(f"upload: {e}") from None

    try:
        X, y, info = load("classification")
        if len(info["class_names"]) > schema.MAX_CLASSES:
            if not all(_is_float(c) for c in info["class_names"]):
                raise DataError(
                    f"upload: the label has {len(info['class_names'])} classes;"
                    f" at most {schema.MAX_CLASSES}"
                )
            X, y, info = load("regression")
    except DataError as e:
        if "non-integer class" not in str(e):
            raise
        X, y, info = load("regression")
    ncol = X.shape[1] + 1
    if ncol < 3:
        raise DataError(f"upload: need 3..{schema.MAX_UPLOAD_COLS} columns, got {ncol}")
    if len(X) < 4:
        raise DataError(f"upload: need at least 4 data rows, got {len(X)}")
    label %= ncol
    names = [f"col{j + 1}" for j in range(ncol)]
    if info["header"]:
        names = [c[:40] for c in info["feature_names"]]
        names.insert(label, info["label_name"][:40])
    info["names"] = names
    info["label_index"] = label
    info["feature_cols"] = [j for j in range(ncol) if j != label]
    return X, y, info


def _is_float(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def read_upload(
    text: str,
    *,
    cols: tuple[int, int] | None = None,
    label: int | None = None,
    features: list[int] | None = None,
) -> tuple[dict[str, Any], str, dict[str, Any]]:
    """An uploaded CSV file as a playground data set.

    Parameters
    ----------
    text : str
        CSV text, parsed by :func:`parse_csv`.
    cols : (int, int), optional
        Column indices (in the file) of the plotted pair, default the first two feature
        columns; they become x1, x2 (the TF input features are computed on them).
    label : int, optional
        Label column (default the last).  Two classes -> binary classification (+-1),
        3..6 -> multi-class, other numbers -> regression.
    features : list of int, optional
        Columns the network trains on (default: every column but the label).  The plotted
        pair is always included; the others are extra inputs.

    Returns
    -------
    upload : dict
        ``X`` (N, 2), ``E`` (N, m) extra inputs, ``y`` (N,), ``names``, ``plotted``, ``extra``,
        ``scale`` (mean and standard deviation of every input column: see :func:`standardize`).
    problem : str
        ``classification``, ``multiclass`` or ``regression``.
    info : dict
        What the page is told (``uploaded`` message): rows, columns, label, classes.
    """
    X_all, raw, info = parse_csv(text, -1 if label is None else label)
    label = info["label_index"]
    names, fcols = info["names"], info["feature_cols"]
    cols = (fcols[0], fcols[1]) if cols is None else tuple(cols)
    chosen = list(fcols) if features is None else sorted(set(features) | set(cols))
    for nm, c in (("x column", cols[0]), ("y column", cols[1])):
        if c not in fcols:
            raise DataError(f"upload: {nm} must be a feature column {fcols}, got {c}")
    if cols[0] == cols[1]:
        raise DataError("upload: the plotted x and y columns must be different")
    bad = [c for c in chosen if c not in fcols]
    if bad:
        raise DataError(f"upload: feature columns must be among {fcols}, got {bad}")
    big = np.abs(X_all) > schema.MAX_ABS_VALUE
    if info["task"] != "classification":
        big = np.column_stack([big, np.abs(raw) > schema.MAX_ABS_VALUE])
    if big.any():
        r, c = np.argwhere(big)[0]
        col = (fcols + [label % len(names)])[c]
        raise DataError(
            f"upload: values must be within ±{schema.MAX_ABS_VALUE:g}; column"
            f" {names[col]!r}, data row {r + 1} is outside"
        )
    pos = {c: i for i, c in enumerate(fcols)}
    extra = [c for c in chosen if c not in cols]
    X = X_all[:, [pos[cols[0]], pos[cols[1]]]]
    E = X_all[:, [pos[c] for c in extra]].reshape(len(X_all), len(extra))
    if info["task"] == "classification":
        if len(info["class_names"]) == 2:
            problem, y = "classification", np.where(raw == 1, 1.0, -1.0)
        else:
            problem, y = "multiclass", raw.astype(np.int64)
    else:
        if np.ptp(raw) == 0:
            raise DataError("upload: the label column has a single value")
        problem, y = "regression", raw.astype(np.float64)
    XE = np.hstack([X, E])
    upload = {
        "X": X,
        "E": E,
        "y": y,
        "names": names,
        "plotted": [names[cols[0]], names[cols[1]]],
        "extra": [names[c] for c in extra],
        "scale": (XE.mean(axis=0), _spread(XE)),
    }
    reply = {
        "problem": problem,
        "rows": len(X),
        "columns": names,
        "x": cols[0],
        "y": cols[1],
        "labelIndex": label,
        "features": [c for c in fcols if c in chosen],
        "plotted": upload["plotted"],
        "extra": upload["extra"],
        "label": names[label],
        "classes": info["class_names"],
    }
    return upload, problem, reply


def _spread(A: np.ndarray) -> np.ndarray:
    """Standard deviation of each column, 1 for a constant column (nothing to scale)."""
    sd = A.std(axis=0)
    return np.where(sd > 0, sd, 1.0)


def standardize(X: np.ndarray, mean: np.ndarray, std: np.ndarray) -> np.ndarray:
    """``(X - mean) / std`` column by column: an upload's inputs in standard units.

    Columns in real units (height in cm, weight in kg) put the inputs of TF's features far
    outside the range its initial weights suit (``U[-0.5, 0.5)``, tanh saturates beyond
    about 3); after standardizing, every column has mean 0 and standard deviation 1 over the
    uploaded rows.  The plot keeps the real units: the heatmap's grid is standardized the
    same way before it goes through the network.
    """
    return (X - mean) / std


@functools.cache
def dataset_thumbnails() -> dict[str, dict[str, dict[str, Any]]]:
    """Points for the dataset pickers, generated like TF (200 points at noise 0).

    Returns
    -------
    dict
        ``{problem: {name: {"points": [[x, y, label], ...], "domain": d}}}``; labels are
        +-1 (classification), targets (regression) or class ids (multi-class).
    """
    from mlplab.data import datasets
    from mlplab.data import playground as pdata

    def pack(X, y, domain=None):
        X = np.asarray(X, dtype=np.float64)
        d = domain or math.ceil(float(np.max(np.abs(X))) * 1.2 * 2) / 2
        return {"points": clean(np.column_stack([X, y]), 3), "domain": d}

    out: dict[str, dict[str, dict[str, Any]]] = {"classification": {}, "regression": {}}
    for name in ("circle", "xor", "gauss", "spiral"):
        out["classification"][name] = pack(*pdata.generate(name, n=200, noise=0, seed=0), 6.0)
    out["classification"]["quadratic"] = pack(*quadratic_data(317))
    for name in ("reg-plane", "reg-gauss"):
        out["regression"][name] = pack(*pdata.generate(name, n=200, noise=0, seed=0), 6.0)
    mc: dict[str, dict[str, Any]] = {"spiral": pack(*datasets.spiral(67, 3, 0.0, 0))}
    for gate in ("and", "or", "xor", "nand", "nor"):
        X, y = datasets.gates(gate)
        mc[gate] = pack(np.asarray(X, dtype=np.float64) * 2 - 1, y, 1.5)
    out["multiclass"] = mc
    return out
