"""Tests for mlplab.data.sampling.BatchSampler."""

# The notebook / DLfS code is reproduced verbatim on the legacy global RNG on purpose.
# ruff: noqa: NPY002

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mlplab.data.sampling import BatchSampler
from mlplab.errors import ConfigError, MlplabTypeError


def test_legacy_first_draw_is_the_notebooks_74():
    # seed notebook: np.random.seed(317); np.random.choice(range(len(y)), 1) -> [74]
    s = BatchSampler(100, 1, "replace", seed=317, legacy=True)
    assert s.draw().tolist() == [74]


def test_legacy_stream_equals_global_rng_code():
    state = np.random.get_state()
    try:
        np.random.seed(317)
        expected = [np.random.choice(range(100), 10) for _ in range(25)]
    finally:
        np.random.set_state(state)
    s = BatchSampler(100, 10, "replace", seed=317, legacy=True)
    got = [b for _ in range(3) for b in s.epoch()][:25]
    assert len(got) == 25
    for a, b in zip(got, expected, strict=True):
        assert np.array_equal(a, b)


def test_notebook_full_batch_rule():
    # execute_ann: batch_size >= len(y) -> batch_index = list(range(len(y)))
    s = BatchSampler(100, 150, "replace", seed=317, legacy=True)
    assert s.iterations_per_epoch == 1 and s.effective_batch_size == 100
    assert s.draw().tolist() == list(range(100))
    assert [b.tolist() for b in s.epoch()] == [list(range(100))]


def test_modes_are_seeded_and_differ():
    a = [b.tolist() for b in BatchSampler(20, 6, seed=1).epoch()]
    b = [b.tolist() for b in BatchSampler(20, 6, seed=1).epoch()]
    c = [b.tolist() for b in BatchSampler(20, 6, seed=2).epoch()]
    assert a == b and a != c
    s = BatchSampler(20, 6, seed=1)
    assert [x.tolist() for x in s.epoch()] != [x.tolist() for x in s.epoch()]  # fresh shuffle


def test_full_mode_and_iteration_protocol():
    s = BatchSampler(7, 3, "full")
    assert len(s) == 1 and [b.tolist() for b in s] == [list(range(7))]
    assert s.draw().tolist() == list(range(7))


def test_shuffle_draw_distinct():
    d = BatchSampler(50, 20, "shuffle", seed=0).draw()
    assert len(d) == 20 and len(set(d.tolist())) == 20


def test_validation():
    with pytest.raises(ConfigError, match="mode"):
        BatchSampler(10, 2, "random")
    with pytest.raises(ConfigError, match="batch_size"):
        BatchSampler(10, 0)
    with pytest.raises(ConfigError, match="n must"):
        BatchSampler(0, 1)
    with pytest.raises(MlplabTypeError):
        BatchSampler(10, 2.5)


@settings(max_examples=60, deadline=None)
@given(n=st.integers(1, 200), bs=st.integers(1, 250), seed=st.integers(0, 2**31 - 1))
def test_shuffle_epoch_covers_each_index_once(n, bs, seed):
    s = BatchSampler(n, bs, "shuffle", seed=seed)
    batches = list(s.epoch())
    assert len(batches) == s.iterations_per_epoch == (1 if bs >= n else math.ceil(n / bs))
    sizes = [len(b) for b in batches]
    assert all(x == min(bs, n) for x in sizes[:-1]) and 1 <= sizes[-1] <= min(bs, n)
    assert sorted(np.concatenate(batches).tolist()) == list(range(n))


@settings(max_examples=60, deadline=None)
@given(
    n=st.integers(1, 200),
    bs=st.integers(1, 250),
    seed=st.integers(0, 2**31 - 1),
    legacy=st.booleans(),
)
def test_replace_epoch_sizes_and_range(n, bs, seed, legacy):
    s = BatchSampler(n, bs, "replace", seed=seed, legacy=legacy)
    batches = list(s.epoch())
    if bs >= n:
        assert [b.tolist() for b in batches] == [list(range(n))]
    else:
        assert len(batches) == s.iterations_per_epoch == max(1, n // bs)
        for b in batches:
            assert b.shape == (bs,) and b.min() >= 0 and b.max() < n


def test_replace_actually_replaces():
    # with replacement, 100 draws of 50 from 50 nearly always contain a repeat
    s = BatchSampler(51, 50, "replace", seed=0)
    assert any(len(set(s.draw().tolist())) < 50 for _ in range(20))


@settings(max_examples=60, deadline=None)
@given(
    n=st.one_of(st.integers(1, 300), st.just(2**33)),
    bs=st.integers(1, 40),
    m=st.integers(0, 60),
    seed=st.integers(0, 2**32 - 1),
    mode=st.sampled_from(["replace", "shuffle", "full"]),
    legacy=st.booleans(),
)
def test_draws_equal_draw_in_a_loop(n, bs, m, seed, mode, legacy):
    # draws(m) is a speed helper: the same batches as m draw() calls, and the same stream after
    if mode != "replace" and n > 10**6:
        n = 300  # a permutation (or arange) of 2**33 rows is not a test
    one = BatchSampler(n, bs, mode, seed=seed, legacy=legacy)
    bulk = BatchSampler(n, bs, mode, seed=seed, legacy=legacy)
    expected = [one.draw() for _ in range(m)]
    got = bulk.draws(m)
    assert got.shape == (m, one.effective_batch_size)
    assert got.dtype == np.int64
    for a, b in zip(got, expected, strict=True):
        assert np.array_equal(a, b)
    assert np.array_equal(bulk.draw(), one.draw())  # the generators are at the same place


def test_draws_is_the_notebooks_stream():
    assert BatchSampler(100, 1, "replace", seed=317, legacy=True).draws(3)[0].tolist() == [74]
    with pytest.raises(ConfigError, match="m must be an integer in"):
        BatchSampler(100, 1, "replace", seed=317, legacy=True).draws(-1)
