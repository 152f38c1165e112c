"""Mini-batch index samplers.

Three ways to pick the rows of one training step:

``"shuffle"``
    Each epoch is a fresh permutation of ``0..n-1`` cut into ``ceil(n / batch_size)`` batches;
    every row is used exactly once per epoch and the last batch may be smaller.
``"replace"``
    Each step draws ``batch_size`` indices *with replacement*
    (``rng.choice(n, batch_size)``), as in DLfS's ``train_neuralnet.py`` and the seed notebook;
    an "epoch" is ``max(1, n // batch_size)`` such steps.
``"full"``
    Full-batch gradient descent: one batch of all rows, in order.

``legacy=True`` uses ``np.random.RandomState(seed)`` and draws exactly as the seed notebook /
DLfS do after ``np.random.seed(seed)``: ``np.random.choice(range(n), batch_size)``, which
gives the same numbers as ``rs.choice(n, batch_size)``. So
``BatchSampler(100, 1, "replace", seed=317, legacy=True).draw()`` is ``[74]``, the notebook's
first training point. Following the notebook's ``execute_ann``, ``batch_size >= n`` in
``"replace"`` mode means "use all rows ``list(range(n))`` as one batch".
"""

from __future__ import annotations

import math
from collections.abc import Iterator

import numpy as np

from ..errors import check_choice, check_int

__all__ = ["SAMPLING_MODES", "BatchSampler", "iterations_per_epoch"]

SAMPLING_MODES = ("shuffle", "replace", "full")


def iterations_per_epoch(n: int, batch_size: int, mode: str) -> int:
    """Updates in one epoch of ``n`` rows: ``ceil(n / batch_size)`` for "shuffle",
    ``max(1, n // batch_size)`` for "replace" (DLfS's ``iter_per_epoch``, as an integer), and 1
    for "full" or when ``batch_size >= n`` (the whole set is one batch)."""
    if mode == "full" or batch_size >= n:
        return 1
    if mode == "shuffle":
        return math.ceil(n / batch_size)
    return max(1, n // batch_size)


class BatchSampler:
    """Produce index arrays for mini-batches.

    Parameters
    ----------
    n : int
        Number of rows in the training set (>= 1).
    batch_size : int
        Rows per batch (>= 1). Values above ``n`` are clipped to ``n`` (a full batch).
    mode : {"shuffle", "replace", "full"}
    seed : int, numpy.random.Generator or None
        Seed of ``numpy.random.default_rng`` (or of ``RandomState`` when ``legacy=True``).
        ``None`` draws fresh entropy (not reproducible).
    legacy : bool
        Use the legacy ``RandomState`` stream, reproducing ``np.random.seed(seed)`` code.

    Attributes
    ----------
    iterations_per_epoch : int
        Number of batches :meth:`epoch` yields.

    Examples
    --------
    >>> s = BatchSampler(10, 4, "shuffle", seed=0)
    >>> [len(b) for b in s.epoch()]
    [4, 4, 2]
    """

    def __init__(
        self,
        n: int,
        batch_size: int,
        mode: str = "shuffle",
        seed=None,
        legacy: bool = False,
    ) -> None:
        self.n = check_int("n", n, lo=1)
        self.batch_size = check_int("batch_size", batch_size, lo=1)
        check_choice("mode", mode, SAMPLING_MODES)
        self.mode = mode
        self.legacy = bool(legacy)
        if self.legacy:
            if isinstance(seed, np.random.RandomState):
                self._rs = seed
            else:
                self._rs = np.random.RandomState(seed)
            self._rng = None
        else:
            self._rng = np.random.default_rng(seed)
            self._rs = None
        self._full = self.mode == "full" or self.batch_size >= self.n

    @property
    def effective_batch_size(self) -> int:
        """Rows per (full) batch after clipping to ``n``."""
        return self.n if self._full else self.batch_size

    @property
    def iterations_per_epoch(self) -> int:
        """See :func:`iterations_per_epoch`."""
        return iterations_per_epoch(self.n, self.batch_size, self.mode)

    def _permutation(self) -> np.ndarray:
        if self.legacy:
            return self._rs.permutation(self.n)
        return self._rng.permutation(self.n)

    def _choice(self) -> np.ndarray:
        if self.legacy:
            # == np.random.choice(range(n), bs) after np.random.seed(seed)
            return self._rs.choice(self.n, self.batch_size)
        return self._rng.choice(self.n, self.batch_size)

    def epoch(self) -> Iterator[np.ndarray]:
        """Yield the index arrays of one epoch.

        Yields
        ------
        ndarray of int64, shape (b,)
            ``b = batch_size`` except possibly the last batch in shuffle mode.
        """
        if self._full:
            yield np.arange(self.n)
            return
        if self.mode == "shuffle":
            perm = self._permutation()
            for start in range(0, self.n, self.batch_size):
                yield perm[start : start + self.batch_size]
            return
        for _ in range(self.iterations_per_epoch):
            yield self._choice()

    def __iter__(self) -> Iterator[np.ndarray]:
        return self.epoch()

    def __len__(self) -> int:
        return self.iterations_per_epoch

    def draw(self) -> np.ndarray:
        """One batch of indices.

        ``"replace"`` draws with replacement; ``"shuffle"`` draws ``batch_size`` distinct
        indices (a fresh partial permutation); ``"full"`` (or ``batch_size >= n``) returns all
        indices in order.
        """
        if self._full:
            return np.arange(self.n)
        if self.mode == "replace":
            return self._choice()
        return self._permutation()[: self.batch_size]

    def draws(self, m: int) -> np.ndarray:
        """``m`` batches at once, shape (m, b): equals ``np.stack([self.draw() for _ in
        range(m)])``, and leaves the generator where those ``m`` draws would.

        In ``"replace"`` mode this is one ``choice(n, (m, batch_size))`` call instead of ``m``:
        NumPy's bounded integers (legacy ``RandomState`` and ``Generator`` alike) consume the
        stream value by value, so the m·b values are those of m calls in a row (tested against
        the loop). A speed helper: the per-call overhead of ``choice`` was ~10 % of
        ``notebook-231``'s training.
        """
        m = check_int("m", m, lo=0)
        if self._full:
            return np.tile(np.arange(self.n), (m, 1))
        if self.mode == "replace":
            gen = self._rs if self.legacy else self._rng
            return gen.choice(self.n, (m, self.batch_size))
        batches = [self.draw() for _ in range(m)]
        return np.array(batches, dtype=np.int64).reshape(m, self.batch_size)

    def __repr__(self) -> str:
        return (
            f"BatchSampler(n={self.n}, batch_size={self.batch_size}, mode={self.mode!r}, "
            f"legacy={self.legacy})"
        )
