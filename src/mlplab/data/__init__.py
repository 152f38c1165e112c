"""Data sets and data handling for mlplab.

- :mod:`~mlplab.data.datasets`: the lessons' synthetic sets (seed-notebook ``quadratic``,
  logic ``gates``, ``spiral``, ``moons``, ``blobs4``) and :func:`load_builtin` by name.
- :mod:`~mlplab.data.playground`: TensorFlow Playground generators, split and input features.
- :mod:`~mlplab.data.idx`: IDX files, MNIST / Fashion-MNIST (:func:`load_mnist`).
- :mod:`~mlplab.data.csvdata`: CSV loading with line-numbered errors, and saving.
- :mod:`~mlplab.data.utils`: split, standardize, one-hot, checks.
- :mod:`~mlplab.data.sampling`: mini-batch index samplers (:class:`BatchSampler`).

Only NumPy and :mod:`mlplab.errors` are needed.
"""

from __future__ import annotations

from . import playground
from .csvdata import load_csv, save_csv
from .datasets import (
    BUILTIN_NAMES,
    blobs4,
    gates,
    load_builtin,
    moons,
    quadratic,
    quadratic_rng_state,
    spiral,
)
from .idx import fashion_available, find_dataset, load_mnist, read_idx, write_idx
from .sampling import SAMPLING_MODES, BatchSampler
from .utils import check_xy, one_hot, standardize, to_labels, train_test_split

__all__ = [
    "BUILTIN_NAMES",
    "SAMPLING_MODES",
    "BatchSampler",
    "blobs4",
    "check_xy",
    "fashion_available",
    "find_dataset",
    "gates",
    "load_builtin",
    "load_csv",
    "load_mnist",
    "moons",
    "one_hot",
    "playground",
    "quadratic",
    "quadratic_rng_state",
    "read_idx",
    "save_csv",
    "spiral",
    "standardize",
    "to_labels",
    "train_test_split",
    "write_idx",
]
