"""What the page is sent: JSON helpers, the heatmap grid encoding, frames and data messages.

A ``frame`` (after every epoch the page shows) carries the epoch, losses, the output heatmap
(100 x 100, one byte a cell), every neuron's 10 x 10 thumbnail, the parameters and the loss
history since the last frame; a ``data`` message (when the data or the network change) the
points, the plotted extent and the input features' thumbnails.  Values in [-1, 1] travel as
bytes (:func:`encode_unit`).
"""

from __future__ import annotations

import base64
import json
import math
from typing import Any

import numpy as np

GRID = 100  #: heatmap resolution (TF: DENSITY = 100)
THUMB = 10  #: thumbnail resolution (TF: 10x10, average-pooled by 10)


def dumps(obj: Any) -> str:
    """Compact JSON for the page (NaN/inf must already be ``None``: see :func:`clean`)."""
    return json.dumps(obj, separators=(",", ":"), allow_nan=False)


def encode_unit(values: np.ndarray) -> str:
    """Quantize values in [-1, 1] to uint8 and base64 them.

    ``q = round((clip(v, -1, 1) + 1) * 127)`` in 0..254; NaN / inf -> 255 (drawn grey).
    """
    v = np.asarray(values, dtype=np.float64)
    bad = ~np.isfinite(v)
    q = np.rint((np.clip(np.nan_to_num(v), -1.0, 1.0) + 1.0) * 127.0).astype(np.uint8)
    q[bad] = 255
    return base64.b64encode(q.tobytes()).decode("ascii")


def clean(a: Any, digits: int = 5) -> Any:
    """Array -> nested lists of rounded floats with ``None`` for NaN/inf (valid JSON)."""
    arr = np.asarray(a, dtype=np.float64)
    if arr.ndim == 0:
        x = float(arr)
        return round(x, digits) if math.isfinite(x) else None
    return (
        [clean(r, digits) for r in arr]
        if arr.ndim > 1
        else [round(float(x), digits) if math.isfinite(x) else None for x in arr]
    )


def finite_or_none(x: float | None) -> float | None:
    return None if x is None or not math.isfinite(x) else float(x)


def pool(grid: np.ndarray, factor: int = GRID // THUMB) -> np.ndarray:
    """Average-pool the last two axes ``(..., 100, 100) -> (..., 10, 10)`` (TF ``reduceMatrix``)."""
    *lead, h, w = grid.shape
    return grid.reshape(*lead, h // factor, factor, w // factor, factor).mean(axis=(-3, -1))


def grid_points(extent: list[float]) -> np.ndarray:
    """The heatmap's cell centres over ``extent``, shape ``(GRID * GRID, 2)``, row 0 = top."""
    x0, x1, y0, y1 = extent
    cx = x0 + (np.arange(GRID) + 0.5) * ((x1 - x0) / GRID)
    cy = y0 + (np.arange(GRID) + 0.5) * ((y1 - y0) / GRID)
    gx, gy = np.meshgrid(cx, cy[::-1])  # row 0 = top = y1
    return np.stack([gx.ravel(), gy.ravel()], axis=1)


def neuron_outputs(outs: list[np.ndarray], model: Any) -> list[np.ndarray]:
    """Each hidden layer's post-activation output, then the final output (probabilities).

    ``model.layer_outputs`` lists the output of every engine layer (Affine, BatchNorm,
    Activation, Dropout, ...) followed by the head's prediction; the hidden neurons' values
    are the outputs of the ``Activation`` layers (dropout is the identity in eval mode).
    """
    from mlplab.layers import Activation

    hidden = [o for layer, o in zip(model.layers, outs) if isinstance(layer, Activation)]
    return [*hidden, outs[-1]]


def frame_message(s, *, full_history: bool = False) -> dict[str, Any]:
    """A JSON-able snapshot of session ``s`` for the page (grid, thumbnails, weights, losses)."""
    layers = s.grid_outputs()
    out = layers[-1]
    msg: dict[str, Any] = {
        "type": "frame",
        "epoch": s.epoch,
        "lossTrain": s.loss_train,
        "lossTest": s.loss_test,
        "accTrain": s.acc_train,
        "accTest": s.acc_test,
        "lr": s.current_lr(),
        "playing": s.playing,
        "stopped": s.stopped,
        "goal": s.goal_status(),
    }
    if s.state["problem"] == "multiclass":
        probs = out.reshape(s.classes, -1)
        cls = probs.argmax(axis=0).astype(np.uint8)
        bad = ~np.all(np.isfinite(probs), axis=0)
        cls[bad] = 255
        msg["grid"] = base64.b64encode(cls.tobytes()).decode("ascii")
        msg["conf"] = encode_unit(2 * probs.max(axis=0) - 1)
        thumbs = [pool(x) for x in layers[:-1]] + [pool(2 * out - 1)]
    else:
        disp = 2 * out[0] - 1 if s.loss_name == "bce" else out[0]
        msg["grid"] = encode_unit(disp)
        msg["conf"] = None
        thumbs = [pool(x) for x in layers[:-1]] + [pool(disp[None])]
    if s.focus is not None:
        li, ui = s.focus
        if li < len(layers) - 1 and ui < layers[li].shape[0]:
            msg["focusGrid"] = encode_unit(layers[li][ui])
    msg["thumbs"] = encode_unit(np.concatenate([t.reshape(-1) for t in thumbs]))
    msg["diverged"] = not all(np.all(np.isfinite(v)) for v in s.model.params.values())
    msg["params"] = {k: clean(v) for k, v in s.model.params.items()}
    msg["dead"] = {k: np.argwhere(m).tolist() for k, m in s.dead.items() if m.any()}
    if full_history or s.hist_sent == 0:
        msg["hist"] = clean(s.history)
        msg["histFull"] = True
    else:
        msg["hist"] = clean(s.history[s.hist_sent :])
        msg["histFull"] = False
    s.hist_sent = len(s.history)
    return msg


def data_message(s) -> dict[str, Any]:
    """Points, extent, input-feature thumbnails and the state (sent when the data change)."""
    from mlplab.playground import schema
    from mlplab.playground.data import feature_matrix

    grid = grid_points(s.extent)
    fx = feature_matrix(grid, list(schema.FEATURES)).T.reshape(-1, GRID, GRID)
    s.hist_sent = 0  # the page starts a new chart: the next frame carries all of it
    upload = s.upload if s.uses_upload() else None
    return {
        "type": "data",
        "version": s.data_version,
        "problem": s.state["problem"],
        "classes": s.classes,
        "classNames": s.class_names(),
        "domain": s.domain,
        "extent": s.extent,
        "extraInputs": [] if upload is None else upload["extra"],
        "extraMeans": clean(s.extra_means, 4),
        "plotted": None if upload is None else upload["plotted"],
        "standardized": None
        if upload is None or not s.state["standardize"]
        else {
            "columns": [*upload["plotted"], *upload["extra"]],
            "mean": clean(upload["scale"][0], 4),
            "std": clean(upload["scale"][1], 4),
        },
        "train": clean(np.column_stack([s.X_train, s.y_train]), 4),
        "test": clean(np.column_stack([s.X_test, s.y_test]), 4),
        "featureThumbs": encode_unit(pool(fx).reshape(-1)),
        "sizes": s.sizes(),
        "state": s.state,
        "lesson": None if s.lesson is None else s.lesson.name,
    }
