"""Model files: :func:`save` writes one ``.npz``, :func:`load` reads it back safely.

A model file is a zip archive (``numpy.savez``) of ``.npy`` members:

* ``__mlplab__.npy`` — the architecture as JSON text (:meth:`Sequential.config`);
* ``param/W1.npy``, ``param/b1.npy``, ... — the parameters;
* ``state/<layer index>/running_mean.npy`` ... — BatchNorm running statistics.

Model files get passed around (a classmate's file, a download, an upload to the playground),
so :func:`load` treats every byte as untrusted, in this order:

1. the file size is checked against :attr:`ModelLimits.max_file_bytes`;
2. the JSON (at most ``max_meta_bytes``) is validated field by field — format, version,
   dtype, every layer a table of a known type with positive sizes that fit together —
   and its parameter count against ``max_layers``, ``max_units`` and ``max_params``
   **before anything is allocated**;
3. every ``.npy`` member is read through :mod:`zipfile` with its declared size, header,
   dtype (real floats only) and shape checked against what the architecture needs; the data
   is read in chunks and never past the declared size (a zip bomb stops at its claim, a
   member claiming more than the architecture needs is rejected unread); an unknown extra
   member larger than ``max_extra_bytes`` is rejected without reading it;
4. only then is the model built and filled.

Nothing is ever unpickled.  Every problem is a one-line :class:`CheckpointError` naming the
file as the caller gave it (``name=`` for bytes).
"""

from __future__ import annotations

import io
import json
import math
import os
import stat
import zipfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from numpy.lib import format as npy_format

from . import functions as F
from .errors import CheckpointError, MlplabError
from .fileio import atomic_path

FORMAT_VERSION = 1
META = "__mlplab__.npy"
_FLOAT_DTYPES = ("float64", "float32")
_ARRAY_KINDS = {np.dtype(np.float16), np.dtype(np.float32), np.dtype(np.float64)}
_CHUNK = 1 << 20
_NPY_HEADER_MAX = 1 << 16  # numpy writes headers of a few hundred bytes; 64 KiB is plenty


@dataclass(frozen=True)
class ModelLimits:
    """What :func:`load` accepts; the defaults are generous for teaching-size networks.

    Attributes
    ----------
    max_layers : int
        Layers in the description (an Affine, an Activation and a BatchNorm count three).
    max_units : int
        Inputs or outputs of one layer (784-pixel images need 784).
    max_params : int
        Parameters and BatchNorm statistics together (50 million float64 = 400 MB).
    max_file_bytes : int
        Size of the file itself.
    max_meta_bytes : int
        Size of the JSON description member.
    max_extra_bytes : int
        Largest unknown extra member tolerated (it is never read).
    max_members : int
        Members in the archive.
    """

    max_layers: int = 1_000
    max_units: int = 1_000_000
    max_params: int = 50_000_000
    max_file_bytes: int = 1 << 30
    max_meta_bytes: int = 1 << 20
    max_extra_bytes: int = 1 << 20
    max_members: int = 10_000


DEFAULT_LIMITS = ModelLimits()


# ----------------------------------------------------------------------------------------------
# save
# ----------------------------------------------------------------------------------------------


def save(model, path) -> Path:
    """Write ``model`` to ``path`` (``.npz`` appended if missing) atomically; return the path.

    The archive holds the architecture JSON, the parameters and the BatchNorm statistics; a
    crash while writing leaves the previous file untouched.
    """
    path = Path(path)
    if path.suffix != ".npz":
        path = path.with_suffix(path.suffix + ".npz") if path.suffix else path.with_suffix(".npz")
    arrays = {f"param/{k}": v for k, v in model.params.items()}
    for i, layer in enumerate(model.layers):
        for name, arr in layer.state().items():
            arrays[f"state/{i}/{name}"] = arr
    meta = json.dumps(model.config())
    with atomic_path(path, suffix=".npz") as tmp:
        np.savez(tmp, __mlplab__=np.array(meta), **arrays)
    return path


# ----------------------------------------------------------------------------------------------
# the architecture description
# ----------------------------------------------------------------------------------------------


class _Bad(Exception):
    """A problem found in the file; :func:`load` prefixes the file name."""


def _int(where: str, value, lo: int, hi: int, cap: str = "") -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise _Bad(f"{where} must be an integer, got {_show(value)}")
    if value < lo or value > hi:
        extra = f" ({cap})" if cap and value > hi else ""
        raise _Bad(f"{where} must be in [{lo}, {hi}], got {value}{extra}")
    return value


def _number(where: str, value, lo: float, hi: float, hi_open=False) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise _Bad(f"{where} must be a number, got {_show(value)}")
    v = float(value)
    if not (math.isfinite(v) and lo <= v and (v < hi if hi_open else v <= hi)):
        rng = f"[{lo}, {hi})" if hi_open else f"[{lo}, {hi}]"
        raise _Bad(f"{where} must be a number in {rng}, got {_show(value)}")
    return v


def _show(value) -> str:
    text = repr(value) if not isinstance(value, (dict, list)) else type(value).__name__
    return text if len(text) <= 40 else text[:37] + "..."


def _keys(where: str, cfg: dict, required: set, optional: set) -> None:
    missing = sorted(required - set(cfg))
    if missing:
        raise _Bad(f"{where} lacks {missing[0]!r}")
    extra = sorted(set(cfg) - required - optional, key=str)
    if extra:
        allowed = ", ".join(sorted(required | optional))
        raise _Bad(f"{where} has unknown key {_show(extra[0])} (allowed: {allowed})")


def check_config(cfg, limits: ModelLimits | None = None) -> dict[str, tuple[int, ...]]:
    """Validate an architecture description; return the array shapes it needs.

    The result maps member names (``"param/W1"``, ``"state/2/running_mean"``) to shapes.
    Nothing the description claims is allocated.  Raises :class:`CheckpointError` (one line,
    without a file name) for anything :meth:`Sequential.from_config` could not build or that
    exceeds ``limits``.
    """
    try:
        return _check_config(cfg, limits or DEFAULT_LIMITS)
    except _Bad as exc:
        raise CheckpointError(str(exc)) from None


def _check_config(cfg, lim: ModelLimits) -> dict[str, tuple[int, ...]]:
    if not isinstance(cfg, dict) or cfg.get("format") != "mlplab.Sequential":
        raise _Bad("not an mlplab model description (missing format 'mlplab.Sequential')")
    _keys(
        "the description",
        cfg,
        {"format", "version", "layers"},
        {"dtype", "input_dim", "head", "regularization"},
    )
    version = cfg["version"]
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        raise _Bad(f"version must be a positive integer, got {_show(version)}")
    if version > FORMAT_VERSION:
        raise _Bad(
            f"model file version {version} is newer than this mlplab understands "
            f"({FORMAT_VERSION}); upgrade mlplab"
        )
    dtype = cfg.get("dtype", "float64")
    if dtype not in _FLOAT_DTYPES:
        raise _Bad(f"dtype must be 'float64' or 'float32', got {_show(dtype)}")
    units_cap = f"limit max_units={lim.max_units}"
    dim = cfg.get("input_dim")
    if dim is not None:
        dim = _int("input_dim", dim, 1, lim.max_units, units_cap)
    layers = cfg["layers"]
    if not isinstance(layers, list):
        raise _Bad(f"layers must be a list of tables, got {_show(layers)}")
    if len(layers) > lim.max_layers:
        raise _Bad(
            f"the model has {len(layers)} layers, more than the limit max_layers={lim.max_layers}"
        )
    shapes: dict[str, tuple[int, ...]] = {}
    n_params = 0
    n_affine = 0
    names: set[str] = set()
    for i, lc in enumerate(layers):
        where = f"layer {i + 1}"
        if not isinstance(lc, dict):
            raise _Bad(f"{where} must be a table with a 'type', got {_show(lc)}")
        kind = lc.get("type")
        params: dict[str, tuple[int, ...]] = {}
        if kind == "Affine":
            _keys(where, lc, {"type", "in", "out"}, {"bias"})
            d_in = _int(f"{where} (Affine) in", lc["in"], 1, lim.max_units, units_cap)
            d_out = _int(f"{where} (Affine) out", lc["out"], 1, lim.max_units, units_cap)
            if dim is not None and d_in != dim:
                raise _Bad(f"{where} (Affine) takes {d_in} inputs but receives {dim}")
            bias = lc.get("bias", True)
            if not isinstance(bias, bool):
                raise _Bad(f"{where} (Affine) bias must be true or false, got {_show(bias)}")
            n_affine += 1
            params["W"] = (d_in, d_out)
            if bias:
                params["b"] = (d_out,)
            dim = d_out
        elif kind == "Activation":
            _keys(where, lc, {"type", "name"}, {"alpha"})
            if not isinstance(lc["name"], str):
                raise _Bad(f"{where} (Activation) name must be text, got {_show(lc['name'])}")
            extra = {k: v for k, v in lc.items() if k not in ("type", "name")}
            for k, v in extra.items():
                _number(f"{where} (Activation) {k}", v, -1e6, 1e6)
            try:
                F.get_activation(lc["name"], **extra)
            except MlplabError as exc:
                raise _Bad(f"{where}: {exc}") from None
        elif kind in ("BatchNorm", "LayerNorm"):
            opt = {"eps", "affine"}
            if kind == "BatchNorm":
                opt |= {"momentum", "batch_stats"}
            _keys(where, lc, {"type", "dim"}, opt)
            d = _int(f"{where} ({kind}) dim", lc["dim"], 1, lim.max_units, units_cap)
            if dim is not None and d != dim:
                raise _Bad(f"{where} ({kind}) normalizes {d} features but receives {dim}")
            dim = d
            if "eps" in lc:
                _number(f"{where} ({kind}) eps", lc["eps"], 0.0, 1.0)
            if "momentum" in lc:
                _number(f"{where} ({kind}) momentum", lc["momentum"], 0.0, 1.0, hi_open=True)
            if lc.get("batch_stats", "train") not in ("train", "always"):
                raise _Bad(
                    f"{where} ({kind}) batch_stats must be 'train' or 'always', "
                    f"got {_show(lc['batch_stats'])}"
                )
            affine = lc.get("affine", True)
            if not isinstance(affine, bool):
                raise _Bad(f"{where} ({kind}) affine must be true or false, got {_show(affine)}")
            if affine:
                params["gamma"] = params["beta"] = (d,)
            if kind == "BatchNorm":
                shapes[f"state/{i}/running_mean"] = shapes[f"state/{i}/running_var"] = (d,)
                n_params += 2 * d
        elif kind == "Dropout":
            _keys(where, lc, {"type", "rate"}, set())
            _number(f"{where} (Dropout) rate", lc["rate"], 0.0, 1.0, hi_open=True)
        else:
            known = "Affine, Activation, BatchNorm, LayerNorm, Dropout"
            raise _Bad(f"{where} has unknown type {_show(kind)} (known: {known})")
        for pname, shape in params.items():  # the names Sequential._index_params gives
            key = f"{pname}{max(n_affine, 1)}"
            if key in names:
                key = f"{pname}{max(n_affine, 1)}_{len(names)}"
            names.add(key)
            shapes[f"param/{key}"] = shape
            n_params += math.prod(shape)
        if n_params > lim.max_params:
            raise _Bad(
                f"the model needs more than {lim.max_params} numbers "
                f"(limit max_params={lim.max_params})"
            )
    head = cfg.get("head")
    if head is not None:
        if not isinstance(head, dict):
            raise _Bad(f"head must be a table, got {_show(head)}")
        _keys("head", head, {"activation", "loss"}, set())
        try:
            F.canonical_activation(head["activation"])
            F.canonical_loss(head["loss"])
        except MlplabError as exc:
            raise _Bad(f"head: {exc}") from None
    reg = cfg.get("regularization")
    if reg is not None:
        if not isinstance(reg, dict):
            raise _Bad(f"regularization must be a table, got {_show(reg)}")
        _keys("regularization", reg, set(), {"l1", "l2"})
        for k, v in reg.items():
            _number(f"regularization {k}", v, 0.0, 1e6)
    return shapes


# ----------------------------------------------------------------------------------------------
# load
# ----------------------------------------------------------------------------------------------


def load(source, *, limits: ModelLimits | None = None, name: str | None = None):
    """Load a model written by :func:`save` from a path or from ``bytes``.

    Parameters
    ----------
    source : str, path-like or bytes
        The file, or its content (an upload).
    limits : ModelLimits, optional
        What to accept (default :class:`ModelLimits`).
    name : str, optional
        How messages name the file (default: the path as given, or ``"model file"``).

    Raises
    ------
    CheckpointError
        One line naming the file, for anything wrong with it.  Nothing is unpickled, and
        nothing is allocated beyond what the file's arrays actually hold.
    """
    from .model import Sequential

    lim = limits or DEFAULT_LIMITS
    if isinstance(source, (bytes, bytearray, memoryview)):
        label = name or "model file"
        if len(source) > lim.max_file_bytes:
            raise CheckpointError(
                f"{label} is {len(source)} bytes, more than the limit "
                f"max_file_bytes={lim.max_file_bytes}"
            )
        opener = lambda: io.BytesIO(source)  # noqa: E731
    else:
        path = os.fspath(source)
        label = name or str(path)
        try:
            st = os.stat(path)
        except FileNotFoundError:
            raise CheckpointError(f"model file {label!r} does not exist") from None
        except OSError as exc:
            raise CheckpointError(f"{label}: cannot read ({exc.strerror})") from None
        if not stat.S_ISREG(st.st_mode):
            raise CheckpointError(f"{label} is not a regular file")
        if st.st_size > lim.max_file_bytes:
            raise CheckpointError(
                f"{label} is {st.st_size} bytes, more than the limit "
                f"max_file_bytes={lim.max_file_bytes}"
            )
        opener = lambda: open(path, "rb")  # noqa: E731
    try:
        with opener() as fh:
            cfg, arrays = _read(fh, lim)
        model = Sequential.from_config(cfg, lim)
    except _Bad as exc:
        raise CheckpointError(f"{label}: {exc}") from None
    except CheckpointError as exc:
        raise CheckpointError(f"{label}: {exc}") from None
    except MlplabError as exc:  # e.g. a layer option from_config rejects
        raise CheckpointError(f"{label}: the model description is invalid ({exc})") from None
    except zipfile.BadZipFile as exc:
        raise CheckpointError(f"{label} is corrupt or not an mlplab .npz file ({exc})") from None
    except Exception as exc:  # zlib.error, EOFError, NotImplementedError (compression), ...
        raise CheckpointError(
            f"{label} is corrupt or not an mlplab .npz file ({type(exc).__name__})"
        ) from None
    for key, arr in model.params.items():
        np.copyto(arr, arrays[f"param/{key}"])
    for i, layer in enumerate(model.layers):
        for sname, arr in layer.state().items():
            src = arrays.get(f"state/{i}/{sname}")
            if src is not None:
                np.copyto(arr, src)
    return model


def _read(fh, lim: ModelLimits) -> tuple[dict, dict[str, np.ndarray]]:
    """Read and check the archive: the description, then the arrays it needs."""
    with zipfile.ZipFile(fh) as zf:
        infos = zf.infolist()
        if len(infos) > lim.max_members:
            raise _Bad(
                f"the archive has {len(infos)} members, more than the limit "
                f"max_members={lim.max_members}"
            )
        members = {}
        for info in infos:
            if info.filename in members:
                raise _Bad(f"the archive holds {info.filename!r} twice")
            members[info.filename] = info
        if META not in members:
            raise _Bad("not an mlplab model file (no __mlplab__ entry)")
        text = _read_meta(zf, members[META], lim)
        try:
            cfg = json.loads(text)
        except (json.JSONDecodeError, RecursionError):
            raise _Bad("the model description is not valid JSON") from None
        try:
            shapes = _check_config(cfg, lim)
        except RecursionError:  # pragma: no cover - json nesting is bounded by max_meta_bytes
            raise _Bad("the model description is nested too deeply") from None
        dtype = np.dtype(cfg.get("dtype", "float64"))
        for fname, info in members.items():
            if fname == META or fname.removesuffix(".npy") in shapes:
                continue
            if info.file_size > lim.max_extra_bytes:
                raise _Bad(
                    f"unexpected member {fname[:60]!r} of {info.file_size} bytes (more than "
                    f"the limit max_extra_bytes={lim.max_extra_bytes})"
                )
        arrays = {}
        for key, shape in shapes.items():
            info = members.get(key + ".npy")
            if info is None:
                if key.startswith("state/"):
                    continue  # files of older versions may lack the statistics
                raise _Bad(f"parameter {key.removeprefix('param/')} is missing")
            arrays[key] = _read_array(zf, info, key, shape, dtype)
    return cfg, arrays


def _read_meta(zf: zipfile.ZipFile, info: zipfile.ZipInfo, lim: ModelLimits) -> str:
    if info.file_size > lim.max_meta_bytes + _NPY_HEADER_MAX:
        raise _Bad(
            f"the model description is {info.file_size} bytes, more than the limit "
            f"max_meta_bytes={lim.max_meta_bytes}"
        )
    with zf.open(info) as f:
        shape, _, arr_dtype = _header(f, "the model description")
        if arr_dtype.kind != "U" or shape != () or arr_dtype.itemsize > info.file_size:
            raise _Bad("the model description is not a text entry")
        raw = _exactly(f, arr_dtype.itemsize, "the model description")
        _at_end(f, "the model description")
    return np.frombuffer(raw, arr_dtype)[0].item()


def _header(f, what: str):
    try:
        version = npy_format.read_magic(f)
        if version == (1, 0):
            return npy_format.read_array_header_1_0(f)
        if version in ((2, 0), (3, 0)):
            return npy_format.read_array_header_2_0(f)
    except (ValueError, SyntaxError, TypeError, KeyError):
        pass
    raise _Bad(f"{what} is not a valid .npy array")


def _read_array(zf, info, key: str, shape: tuple[int, ...], model_dtype) -> np.ndarray:
    what = key.replace("param/", "parameter ")
    n = math.prod(shape)
    # any accepted dtype has at most 8 bytes per number; the header is small
    if info.file_size > 8 * n + _NPY_HEADER_MAX:
        raise _Bad(f"{what} claims {info.file_size} bytes but shape {shape} needs at most {8 * n}")
    with zf.open(info) as f:
        arr_shape, fortran, arr_dtype = _header(f, what)
        if arr_dtype not in _ARRAY_KINDS:
            raise _Bad(f"{what} has dtype {arr_dtype}; model arrays must be real floats")
        if tuple(arr_shape) != shape:
            raise _Bad(f"{what} has shape {tuple(arr_shape)}, the model needs {shape}")
        nbytes = n * arr_dtype.itemsize
        if info.file_size - f.tell() != nbytes:
            raise _Bad(f"{what} has {info.file_size - f.tell()} data bytes, expected {nbytes}")
        raw = _exactly(f, nbytes, what)
        _at_end(f, what)
    arr = np.frombuffer(raw, arr_dtype).reshape(shape, order="F" if fortran else "C")
    return arr.astype(model_dtype, copy=False)


def _exactly(f, nbytes: int, what: str) -> bytes:
    """Read ``nbytes`` in chunks (memory grows only with data that really arrives)."""
    parts, left = [], nbytes
    while left:
        chunk = f.read(min(left, _CHUNK))
        if not chunk:
            raise _Bad(f"{what} is truncated")
        parts.append(chunk)
        left -= len(chunk)
    return b"".join(parts)


def _at_end(f, what: str) -> None:
    if f.read(1):  # also makes zipfile check the CRC
        raise _Bad(f"{what} has more data than its header says")
