"""Files in and out of a playground session: exports (model, config, data) and imports.

The Python export, the page as a script, is :mod:`mlplab.playground.snippet`.
"""

from __future__ import annotations

import io
import os
import tempfile
from typing import Any

import numpy as np

from mlplab.errors import CheckpointError, MlplabError
from mlplab.playground import schema
from mlplab.playground.frames import clean


def _import_limits():
    from mlplab.modelfile import ModelLimits

    units = len(schema.FEATURES) + schema.MAX_UPLOAD_COLS  # the widest input layer
    return ModelLimits(
        max_layers=4 * (schema.MAX_LAYERS + 1),  # Affine, BatchNorm, Activation, Dropout
        max_units=max(units, schema.MAX_NEURONS, schema.MAX_CLASSES),
        max_params=20_000,
        max_file_bytes=schema.MAX_IMPORT_BYTES,
        max_meta_bytes=64_000,
        max_extra_bytes=64_000,
        max_members=100,
    )


#: What an imported model file may be (:class:`mlplab.modelfile.ModelLimits`): a network the
#: playground can hold, in a file of at most :data:`schema.MAX_IMPORT_BYTES`.
IMPORT_LIMITS = _import_limits()


def export_csv(s) -> str:
    """The session's data as CSV: ``x1,x2[,extra columns],label,split`` (real units)."""
    buf = io.StringIO()
    extra = s.upload["extra"] if s.uses_upload() else []
    buf.write(",".join(["x1", "x2", *extra, "label", "split"]) + "\n")
    for part, X, E, y in (
        ("train", s.X_train, s.E_train, s.y_train),
        ("test", s.X_test, s.E_test, s.y_test),
    ):
        for row, c in zip(np.hstack([X, E]), y):
            buf.write(",".join(f"{v:.6g}" for v in row) + f",{c:.6g},{part}\n")
    return buf.getvalue()


def export_config(s) -> dict[str, Any]:
    """JSON config: the playground state, the model config, the epoch and the parameters."""
    try:
        model_cfg = s.model.config()
    except Exception:  # noqa: BLE001 - config() is informative only
        model_cfg = None
    return {
        "format": "mlplab-playground",
        "version": 1,
        "state": s.state,
        "sizes": s.sizes(),
        "epoch": s.epoch,
        "model": model_cfg,
        "params": {k: clean(v, 8) for k, v in s.model.params.items()},
    }


def export_npz(s) -> bytes:
    """The model saved by ``model.save`` as ``.npz`` bytes."""
    with tempfile.TemporaryDirectory() as d:
        path = os.path.join(d, "model.npz")
        s.model.save(path)
        with open(path, "rb") as f:
            return f.read()


def read_model_file(data: bytes) -> tuple[dict | None, dict[str, Any], Any]:
    """An imported ``.npz`` model (mlplab) or ``.json`` playground config.

    Returns
    -------
    state : dict or None
        The config's playground state (None for a model file).
    params : dict
        Parameters by name (``W1``, ``b1``, ...), arrays or nested lists (checked later).
    sizes : list of int (unchecked for a JSON config)
        The layer sizes ``[inputs, ..., outputs]``.
    """
    if len(data) > schema.MAX_IMPORT_BYTES:
        raise CheckpointError(f"import: file must be at most {schema.MAX_IMPORT_BYTES} bytes")
    if data[:2] == b"PK":
        params = _read_npz(data)
        W = sorted(
            (k for k in params if k[:1] == "W" and k[1:].isdigit()),
            key=lambda k: int(k[1:]),
        )
        if not W or any(params[k].ndim != 2 for k in W):
            raise CheckpointError("import: the model has no weight matrices W1, W2, ...")
        sizes = [params[W[0]].shape[0]] + [params[k].shape[1] for k in W]
        return None, params, sizes
    try:
        cfg = schema.loads(data.decode("utf-8"), "import")
    except UnicodeDecodeError:
        raise CheckpointError("import: not an .npz model nor a JSON config") from None
    except MlplabError as e:
        raise CheckpointError(f"{e}; not an .npz model nor a JSON config") from None
    if not isinstance(cfg, dict) or cfg.get("format") != "mlplab-playground":
        raise CheckpointError("import: JSON is not an mlplab playground config")
    state, params, sizes = cfg.get("state", {}), cfg.get("params") or {}, cfg.get("sizes")
    if not isinstance(state, dict) or not isinstance(params, dict):
        raise CheckpointError("import: 'state' and 'params' must be JSON objects")
    return state, params, sizes


def _read_npz(data: bytes) -> dict[str, np.ndarray]:
    """The parameters of a model file (``.npz`` bytes), read by :func:`mlplab.modelfile.load`
    within :data:`IMPORT_LIMITS`: the architecture is checked before anything is allocated
    and no member is read past what it needs (one-line errors naming the import)."""
    from mlplab.modelfile import load

    other = load(data, limits=IMPORT_LIMITS, name="import")
    return {k: np.asarray(v) for k, v in other.params.items()}
