"""Validation of everything a playground client sends.

The browser keeps the whole setup in one flat dict (the same keys TensorFlow Playground
writes into its URL hash, plus mlplab's extras).  :func:`validate_state` checks every field
explicitly (type, range, choice) and returns a normalized copy; :func:`validate_message`
checks one WebSocket message.  Nothing coming from a client is ever evaluated as code:
values are only compared against fixed lists and numeric ranges.

Errors are :class:`mlplab.errors.ConfigError` / :class:`MlplabTypeError` whose one-line
message names the field, e.g. ``batchSize must be an integer in [1, 30], got 40``.
"""

from __future__ import annotations

import base64
import binascii
import json
import math
from typing import Any

from mlplab.errors import ConfigError, MlplabTypeError
from mlplab.functions import ACTIVATION_NAMES

# --- TF Playground option lists (its `state.ts` and `playground.ts`) ---------------------------
LEARNING_RATES = (0.00001, 0.0001, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0)
REG_RATES = (0.0, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0)
TF_ACTIVATIONS = ("relu", "tanh", "sigmoid", "linear")
#: mlplab's extra hidden activations: every engine activation usable in a hidden layer.
EXTRA_ACTIVATIONS = tuple(
    a for a in ACTIVATION_NAMES if a not in ("identity", "step", "softmax", *TF_ACTIVATIONS)
)
ACTIVATIONS = TF_ACTIVATIONS + EXTRA_ACTIVATIONS
REGULARIZATIONS = ("none", "L1", "L2")
PROBLEMS = ("classification", "regression", "multiclass")
CLASS_DATASETS = ("circle", "xor", "gauss", "spiral", "quadratic", "upload")
REG_DATASETS = ("reg-plane", "reg-gauss", "upload")
MC_DATASETS = ("spiral", "and", "or", "xor", "nand", "nor", "upload")
FEATURES = ("x", "y", "xSquared", "ySquared", "xTimesY", "sinX", "sinY")
LOSSES = ("squared", "crossentropy")
OPTIMIZERS = ("sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adam", "amsgrad")
SCHEDULES = ("none", "step", "exponential", "cosine", "inverse_time")
INITS = ("tf", "xavier_uniform", "xavier_normal", "he_uniform", "he_normal", "lecun_normal")
#: The page's choices for the speed, dropout and class-count selects.
EPOCHS_PER_FRAME = (1, 2, 5, 10, 20, 50, 100)
DROPOUTS = (0.0, 0.1, 0.2, 0.3, 0.5)
HIDABLE = (
    "showTestData",
    "discretize",
    "playButton",
    "stepButton",
    "resetButton",
    "learningRate",
    "activation",
    "regularization",
    "regularizationRate",
    "problem",
    "dataset",
    "percTrainData",
    "noise",
    "batchSize",
    "numHiddenLayers",
)

#: Noise slider 0..50 step 5 (TF).  A URL value up to 80 is kept and raises the slider's max;
#: above 80 it becomes 50, below 0 it becomes 0 (TF ``playground.ts``; see :func:`noise_from_url`).
NOISE_SLIDER_MAX = 50
NOISE_URL_MAX = 80
MAX_LAYERS = 6
MAX_NEURONS = 8
MAX_CLASSES = 6
MAX_EPOCHS_PER_FRAME = 100
MAX_SEED = 2**31 - 1
#: Upload limits: bytes of CSV text, rows, columns.
MAX_UPLOAD_BYTES = 2_000_000
MAX_UPLOAD_ROWS = 5000
MAX_UPLOAD_COLS = 32
#: Longest cell of an uploaded CSV (characters): numbers and class names are short.
MAX_CELL_CHARS = 100
#: Largest magnitude of an uploaded value (larger ones overflow the features, e.g. x^2).
MAX_ABS_VALUE = 1e12
#: Size of a model file (.npz or .json) to import; a playground model is a few KB.
MAX_IMPORT_BYTES = 1_000_000
#: Largest WebSocket message (an upload or a base64 import with room to spare).
MAX_MESSAGE_BYTES = 3_000_000
#: Work budget of a session: data rows x network parameters (weights and biases).  An epoch
#: and a frame then take a bounded time (one epoch at batch 1 and the budget: see docs).
MAX_WORK = 1_000_000
#: Longest number (in characters) in a client's JSON: Python ints have no size limit.
MAX_NUMBER_CHARS = 40
#: Export formats: the model, the page's config, a Python script, the data.
EXPORT_FORMATS = ("npz", "json", "py", "csv")

#: Defaults: TF Playground's (`state.ts`) plus mlplab's neutral extras.
DEFAULTS: dict[str, Any] = {
    "learningRate": 0.03,
    "activation": "tanh",
    "regularization": "none",
    "regularizationRate": 0.0,
    "problem": "classification",
    "dataset": "circle",
    "regDataset": "reg-plane",
    "mcDataset": "spiral",
    "numClasses": 3,
    "percTrainData": 50,
    "noise": 0,
    "batchSize": 10,
    "features": ["x", "y"],
    "networkShape": [4, 2],
    "seed": 0,
    "initSeed": 0,
    "showTestData": False,
    "discretize": False,
    "initZero": False,
    "loss": "squared",
    "optimizer": "sgd",
    "lrSchedule": "none",
    "init": "tf",
    "batchNorm": False,
    "dropout": 0.0,
    "epochsPerFrame": 1,
    "maxEpochs": 0,
    "targetLoss": 0.0,
    "standardize": True,
    "hideText": False,
    "hide": [],
}

#: Fields whose change needs new data (and therefore a network reset).
DATA_KEYS = frozenset(
    {
        "problem",
        "dataset",
        "regDataset",
        "mcDataset",
        "numClasses",
        "percTrainData",
        "noise",
        "seed",
    }
)
#: Fields whose change rebuilds the network (TF: "Reset").
MODEL_KEYS = frozenset(
    {
        "activation",
        "regularization",
        "regularizationRate",
        "batchSize",
        "features",
        "networkShape",
        "initZero",
        "initSeed",
        "loss",
        "optimizer",
        "lrSchedule",
        "init",
        "batchNorm",
        "dropout",
        "standardize",
    }
)
#: Fields applied live without a reset.
LIVE_KEYS = frozenset(
    {
        "learningRate",
        "epochsPerFrame",
        "maxEpochs",
        "targetLoss",
        "showTestData",
        "discretize",
        "hideText",
        "hide",
    }
)


def _num(name: str, v: Any, lo: float, hi: float) -> float:
    if isinstance(v, bool) or not isinstance(v, (int, float)):
        raise MlplabTypeError(f"{name} must be a number, got {type(v).__name__}")
    v = float(v)
    if not math.isfinite(v) or v < lo or v > hi:
        raise ConfigError(f"{name} must be a number in [{lo:g}, {hi:g}], got {v!r}")
    return v


def _int(name: str, v: Any, lo: int, hi: int) -> int:
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    if isinstance(v, bool) or not isinstance(v, int):
        raise MlplabTypeError(f"{name} must be an integer, got {v!r}")
    if v < lo or v > hi:
        raise ConfigError(f"{name} must be an integer in [{lo}, {hi}], got {v}")
    return v


def _choice(name: str, v: Any, allowed: tuple) -> str:
    if not isinstance(v, str) or v not in allowed:
        raise ConfigError(f"{name} must be one of {', '.join(allowed)}; got {v!r}")
    return v


def _bool(name: str, v: Any) -> bool:
    if not isinstance(v, bool):
        raise MlplabTypeError(f"{name} must be true or false, got {v!r}")
    return v


def _str_list(name: str, v: Any, allowed: tuple, *, min_len: int = 0) -> list[str]:
    if not isinstance(v, list) or len(v) > len(allowed):
        raise MlplabTypeError(f"{name} must be a list of at most {len(allowed)} names")
    out = [_choice(f"{name}[{i}]", s, allowed) for i, s in enumerate(v)]
    if len(set(out)) != len(out):
        raise ConfigError(f"{name} must not repeat names, got {out}")
    if len(out) < min_len:
        raise ConfigError(f"{name} must name at least {min_len} item(s)")
    return [a for a in allowed if a in out]  # canonical order


def noise_from_url(value: float) -> int:
    """TF Playground's rule for a ``noise`` value read from the URL hash.

    ``v > 80 -> 50``; ``v < 0`` (or not a number) ``-> 0``; otherwise ``v`` rounded to an
    integer (halves up, like JS ``Math.round``).  A kept value above the slider's 50 raises the
    slider's max to ``v`` (the page does that).

    Parameters
    ----------
    value : float
        The number parsed from ``noise=...``.

    Returns
    -------
    int
        The noise percentage in ``[0, NOISE_URL_MAX]``.
    """
    if isinstance(value, bool) or not isinstance(value, (int, float)) or math.isnan(value):
        return 0
    if value > NOISE_URL_MAX:
        return NOISE_SLIDER_MAX
    if value < 0:
        return 0
    return math.floor(value + 0.5)  # JS Math.round: halves go up


def validate_state(raw: Any, base: dict | None = None) -> dict[str, Any]:
    """Validate a (partial) client state and return the full normalized state.

    Parameters
    ----------
    raw : dict
        Client fields (any subset of :data:`DEFAULTS`); unknown keys are an error.
    base : dict, optional
        Current full state the partial update applies to (default :data:`DEFAULTS`).

    Returns
    -------
    dict
        A new dict with every key of :data:`DEFAULTS`, each value checked.
    """
    if not isinstance(raw, dict):
        raise MlplabTypeError(f"state must be an object, got {type(raw).__name__}")
    unknown = sorted(k for k in raw if k not in DEFAULTS)
    if unknown:
        raise ConfigError(f"unknown state field(s): {', '.join(map(str, unknown[:5]))}")
    s = dict(DEFAULTS if base is None else base)
    s.update(raw)
    out: dict[str, Any] = {}
    out["learningRate"] = _num("learningRate", s["learningRate"], 1e-6, 10.0)
    if out["learningRate"] <= 0:
        raise ConfigError("learningRate must be > 0")
    out["activation"] = _choice("activation", s["activation"], ACTIVATIONS)
    out["regularization"] = _choice("regularization", s["regularization"], REGULARIZATIONS)
    out["regularizationRate"] = _num("regularizationRate", s["regularizationRate"], 0.0, 10.0)
    out["problem"] = _choice("problem", s["problem"], PROBLEMS)
    out["dataset"] = _choice("dataset", s["dataset"], CLASS_DATASETS)
    out["regDataset"] = _choice("regDataset", s["regDataset"], REG_DATASETS)
    out["mcDataset"] = _choice("mcDataset", s["mcDataset"], MC_DATASETS)
    out["numClasses"] = _int("numClasses", s["numClasses"], 2, MAX_CLASSES)
    out["percTrainData"] = _int("percTrainData", s["percTrainData"], 10, 90)
    if out["percTrainData"] % 10:
        raise ConfigError(f"percTrainData must be a multiple of 10, got {out['percTrainData']}")
    out["noise"] = _int("noise", s["noise"], 0, NOISE_URL_MAX)
    out["batchSize"] = _int("batchSize", s["batchSize"], 1, 30)
    out["features"] = _str_list("features", s["features"], FEATURES, min_len=1)
    shape = s["networkShape"]
    if not isinstance(shape, list) or len(shape) > MAX_LAYERS:
        raise ConfigError(f"networkShape must be a list of 0..{MAX_LAYERS} layer sizes")
    out["networkShape"] = [
        _int(f"networkShape[{i}]", n, 1, MAX_NEURONS) for i, n in enumerate(shape)
    ]
    out["seed"] = _int("seed", s["seed"], 0, MAX_SEED)
    out["initSeed"] = _int("initSeed", s["initSeed"], 0, MAX_SEED)
    for key in ("showTestData", "discretize", "initZero", "batchNorm", "standardize", "hideText"):
        out[key] = _bool(key, s[key])
    out["loss"] = _choice("loss", s["loss"], LOSSES)
    out["optimizer"] = _choice("optimizer", s["optimizer"], OPTIMIZERS)
    out["lrSchedule"] = _choice("lrSchedule", s["lrSchedule"], SCHEDULES)
    out["init"] = _choice("init", s["init"], INITS)
    out["dropout"] = _num("dropout", s["dropout"], 0.0, 0.9)
    out["epochsPerFrame"] = _int("epochsPerFrame", s["epochsPerFrame"], 1, MAX_EPOCHS_PER_FRAME)
    out["maxEpochs"] = _int("maxEpochs", s["maxEpochs"], 0, 10_000_000)
    out["targetLoss"] = _num("targetLoss", s["targetLoss"], 0.0, 100.0)
    out["hide"] = _str_list("hide", s["hide"], HIDABLE + FEATURES)
    return out


def loads(text: str, what: str = "message") -> Any:
    """Parse JSON from a client, refusing what Python's ``json`` would let through.

    Numbers longer than :data:`MAX_NUMBER_CHARS` (a 5000-digit integer), numbers outside
    the float range (``1e999`` would become ``inf``) and ``NaN``/``Infinity`` are one-line
    :class:`ConfigError` s, like malformed or too deeply nested JSON.
    """

    def number(s: str, convert) -> Any:
        if len(s) > MAX_NUMBER_CHARS:
            raise ConfigError(
                f"{what}: numbers must have at most {MAX_NUMBER_CHARS} characters,"
                f" got one of {len(s)}"
            )
        v = convert(s)
        if not math.isfinite(v):
            raise ConfigError(f"{what}: the number {s} is outside the float range (±1.8e308)")
        return v

    def constant(s: str) -> Any:
        raise ConfigError(f"{what}: {s} is not a number; send finite numbers")

    try:
        return json.loads(
            text,
            parse_int=lambda s: number(s, int),
            parse_float=lambda s: number(s, float),
            parse_constant=constant,
        )
    except json.JSONDecodeError as e:
        raise ConfigError(f"{what} is not valid JSON (line {e.lineno}, column {e.colno})") from None
    except RecursionError:
        raise ConfigError(f"{what} is nested too deeply") from None


#: Message types a client may send, with the fields each one carries.
MESSAGE_TYPES = (
    "config",
    "play",
    "pause",
    "step",
    "reset",
    "regenerate",
    "edit",
    "focus",
    "preset",
    "upload",
    "import",
    "export",
    "lesson",
)
#: One-click presets (:mod:`mlplab.playground.presets`); seed 002's quizzes are lessons.
PRESETS = ("notebook-231",)
#: Longest lesson name (:mod:`mlplab.playground.lessons`).
MAX_LESSON_NAME = 40


def validate_message(msg: Any) -> dict[str, Any]:
    """Validate one WebSocket message (already JSON-decoded).

    Returns
    -------
    dict
        ``{"type": ..., ...}`` with checked fields:
        ``config`` -> ``state`` (partial dict, validated later against the session state);
        ``reset`` -> ``same`` (bool, reuse the initial weights);
        ``edit`` -> ``param`` (``"W3"`` / ``"b2"``), ``index`` (list of 1-2 ints), ``value``;
        ``focus`` -> ``node`` (``None`` or ``[layer, unit]``);
        ``preset`` -> ``name``.
    """
    if not isinstance(msg, dict):
        raise MlplabTypeError(f"message must be a JSON object, got {type(msg).__name__}")
    kind = _choice("type", msg.get("type"), MESSAGE_TYPES)
    out: dict[str, Any] = {"type": kind}
    if kind == "config":
        if not isinstance(msg.get("state"), dict):
            raise MlplabTypeError("config.state must be an object")
        out["state"] = msg["state"]
    elif kind == "reset":
        out["same"] = _bool("reset.same", msg.get("same", False))
    elif kind == "edit":
        p = msg.get("param")
        if (
            not isinstance(p, str)
            or len(p) < 2
            or p[0] not in "Wb"
            or not p[1:].isdigit()
            or len(p) > 4
        ):
            raise ConfigError(f"edit.param must look like 'W2' or 'b3', got {p!r}")
        out["param"] = p
        idx = msg.get("index")
        if not isinstance(idx, list) or not 1 <= len(idx) <= 2:
            raise ConfigError("edit.index must be a list of 1 or 2 integers")
        out["index"] = [_int(f"edit.index[{i}]", v, 0, 64) for i, v in enumerate(idx)]
        out["value"] = _num("edit.value", msg.get("value"), -1e6, 1e6)
    elif kind == "focus":
        node = msg.get("node")
        if node is not None:
            if not isinstance(node, list) or len(node) != 2:
                raise ConfigError("focus.node must be null or [layer, unit]")
            node = [
                _int("focus.node[0]", node[0], 0, MAX_LAYERS + 1),
                _int("focus.node[1]", node[1], 0, 64),
            ]
        out["node"] = node
    elif kind == "preset":
        out["name"] = _choice("preset.name", msg.get("name"), PRESETS)
    elif kind == "upload":
        out.update(_upload_message(msg))
    elif kind == "import":
        data = msg.get("data")
        limit = 4 * (-(-MAX_IMPORT_BYTES // 3))  # base64 of MAX_IMPORT_BYTES
        if not isinstance(data, str):
            raise MlplabTypeError("import.data must be the file as base64 text")
        if len(data) > limit:
            raise ConfigError(f"import: the file must be at most {MAX_IMPORT_BYTES} bytes")
        try:
            out["data"] = base64.b64decode(data, validate=True)
        except (binascii.Error, ValueError):
            raise ConfigError("import.data is not valid base64") from None
    elif kind == "export":
        out["format"] = _choice("export.format", msg.get("format"), EXPORT_FORMATS)
    elif kind == "lesson":
        name = msg.get("name")
        if name is not None and (not isinstance(name, str) or not 0 < len(name) <= MAX_LESSON_NAME):
            raise ConfigError(f"lesson.name must be null or a lesson's name, got {name!r}")
        out["name"] = name
    return out


def page_options() -> dict[str, Any]:
    """Every choice of the page's controls, TF's first (the page builds its selects from it)."""
    return {
        "learningRate": list(LEARNING_RATES),
        "activation": {"tf": list(TF_ACTIVATIONS), "extra": list(EXTRA_ACTIVATIONS)},
        "regularization": list(REGULARIZATIONS),
        "regularizationRate": list(REG_RATES),
        "problem": {"tf": ["classification", "regression"], "extra": ["multiclass"]},
        "epochsPerFrame": list(EPOCHS_PER_FRAME),
        "loss": list(LOSSES),
        "optimizer": list(OPTIMIZERS),
        "lrSchedule": list(SCHEDULES),
        "init": list(INITS),
        "dropout": list(DROPOUTS),
        "numClasses": list(range(2, MAX_CLASSES + 1)),
        "datasets": {
            "classification": [d for d in CLASS_DATASETS if d != "upload"],
            "regression": [d for d in REG_DATASETS if d != "upload"],
            "multiclass": [d for d in MC_DATASETS if d != "upload"],
        },
        "features": list(FEATURES),
        "hidable": list(HIDABLE),
        "presets": list(PRESETS),
        "maxLayers": MAX_LAYERS,
        "maxNeurons": MAX_NEURONS,
    }


def _upload_message(msg: dict) -> dict[str, Any]:
    """``upload``: ``csv`` (text), optional ``x``/``y`` (both or neither), ``label``, ``features``."""
    text = msg.get("csv")
    if not isinstance(text, str):
        raise MlplabTypeError("upload.csv must be the file's text")
    if len(text) > MAX_UPLOAD_BYTES or len(text.encode("utf-8", "replace")) > MAX_UPLOAD_BYTES:
        raise ConfigError(f"upload must be at most {MAX_UPLOAD_BYTES} bytes")
    if (msg.get("x") is None) != (msg.get("y") is None):
        raise ConfigError("upload: give both x and y columns, or neither")
    hi = MAX_UPLOAD_COLS - 1
    out: dict[str, Any] = {"csv": text, "cols": None, "label": None, "features": None}
    if msg.get("x") is not None:
        out["cols"] = (_int("upload.x", msg["x"], 0, hi), _int("upload.y", msg["y"], 0, hi))
    if msg.get("label") is not None:
        label = _int("upload.label", msg["label"], -MAX_UPLOAD_COLS, hi)
        out["label"] = None if label == -1 else label
    feats = msg.get("features")
    if feats is not None:
        if not isinstance(feats, list) or len(feats) > MAX_UPLOAD_COLS:
            raise MlplabTypeError(
                f"upload.features must be a list of at most {MAX_UPLOAD_COLS} column numbers"
            )
        out["features"] = [_int(f"upload.features[{i}]", c, 0, hi) for i, c in enumerate(feats)]
    return out
