"""One-click presets: a partial state and, optionally, fixed initial weights."""

from __future__ import annotations

from typing import Any

#: The notebook's 2-3-1 network (seed 001): a_j = b1j + w1j*x1 + w2j*x2, W1[i, j] = w(i+1)(j+1).
NOTEBOOK_PARAMS = {
    "W1": [[0.2, 0.3, 0.8], [0.7, 0.8, 0.3]],
    "b1": [0.0, 0.0, 0.0],
    "W2": [[0.3], [0.1], [0.2]],
    "b2": [0.0],
}

#: name -> {"state": partial state, "params": fixed initial weights (optional)}
PRESETS: dict[str, dict[str, Any]] = {
    "notebook-231": {
        "state": {
            "problem": "classification",
            "dataset": "quadratic",
            "features": ["x", "y"],
            "networkShape": [3],
            "activation": "relu",
            "loss": "crossentropy",
            "learningRate": 0.1,
            "batchSize": 20,
            "percTrainData": 50,
            "noise": 0,
            "seed": 317,
            "optimizer": "sgd",
            "regularization": "none",
            "batchNorm": False,
            "dropout": 0.0,
        },
        "params": NOTEBOOK_PARAMS,
    },
}
#: What every preset sets unless it says otherwise.
PRESET_BASE = {
    "problem": "classification",
    "features": ["x", "y"],
    "loss": "squared",
    "learningRate": 0.03,
    "batchSize": 10,
    "optimizer": "sgd",
    "regularization": "none",
    "percTrainData": 50,
    "noise": 0,
}
