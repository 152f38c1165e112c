"""Tests for mlplab.data.idx (IDX files, MNIST / Fashion-MNIST). No test touches the network."""

from __future__ import annotations

import gzip
import os
import struct
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from memory import peak_bytes
from mlplab.data import idx
from mlplab.errors import ConfigError, DataError


@pytest.fixture(autouse=True)
def _isolated(monkeypatch, tmp_path):
    """No real cache, no MLPLAB_DATA, and a downloader that fails loudly if reached."""
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.delenv("MLPLAB_DATA", raising=False)
    calls = []

    def no_network(url, timeout):
        calls.append(url)
        raise OSError("network disabled in tests")

    monkeypatch.setattr(idx, "_fetch", no_network)
    return calls


def _raw_idx(array: np.ndarray, code: int, be_dtype: str) -> bytes:
    head = bytes([0, 0, code, array.ndim]) + struct.pack(f">{array.ndim}I", *array.shape)
    return head + array.astype(be_dtype).tobytes()


def _fake_mnist(directory: Path, n_train=12, n_test=5, gz=True, seed=0):
    rng = np.random.default_rng(seed)
    directory.mkdir(parents=True, exist_ok=True)
    arrays = {
        "train-images-idx3-ubyte": rng.integers(0, 256, (n_train, 28, 28), dtype=np.uint8),
        "train-labels-idx1-ubyte": rng.integers(0, 10, n_train, dtype=np.uint8),
        "t10k-images-idx3-ubyte": rng.integers(0, 256, (n_test, 28, 28), dtype=np.uint8),
        "t10k-labels-idx1-ubyte": rng.integers(0, 10, n_test, dtype=np.uint8),
    }
    for stem, a in arrays.items():
        data = _raw_idx(a, 0x08, "u1")
        if gz:
            (directory / (stem + ".gz")).write_bytes(gzip.compress(data))
        else:
            (directory / stem).write_bytes(data)
    return arrays


# --------------------------------------------------------------------------------------------
# read_idx / write_idx
# --------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "dtype, code, be",
    [
        (np.uint8, 0x08, "u1"),
        (np.int8, 0x09, "i1"),
        (np.int16, 0x0B, ">i2"),
        (np.int32, 0x0C, ">i4"),
        (np.float32, 0x0D, ">f4"),
        (np.float64, 0x0E, ">f8"),
    ],
)
@pytest.mark.parametrize("gz", [False, True])
def test_read_idx_handwritten_files(tmp_path, dtype, code, be, gz):
    a = (np.arange(2 * 3 * 4) - 7).reshape(2, 3, 4).astype(dtype)
    if dtype == np.uint8:
        a = np.arange(24, dtype=np.uint8).reshape(2, 3, 4)
    data = _raw_idx(a, code, be)
    f = tmp_path / ("a.idx" + (".gz" if gz else ""))
    f.write_bytes(gzip.compress(data) if gz else data)
    b = idx.read_idx(f)
    assert b.shape == (2, 3, 4) and b.dtype == np.dtype(dtype)
    assert b.dtype.isnative
    assert np.array_equal(a, b)


@settings(max_examples=25, deadline=None)
@given(
    shape=st.lists(st.integers(1, 5), min_size=1, max_size=4),
    dtype=st.sampled_from(["uint8", "int8", "int16", "int32", "float32", "float64"]),
    gz=st.booleans(),
)
def test_write_read_round_trip(tmp_path_factory, shape, dtype, gz):
    rng = np.random.default_rng(len(shape))
    a = (rng.standard_normal(shape) * 50).astype(dtype)
    f = tmp_path_factory.mktemp("rt") / ("x.idx.gz" if gz else "x.idx")
    idx.write_idx(f, a)
    assert (f.read_bytes()[:2] == b"\x1f\x8b") == gz
    b = idx.read_idx(f)
    assert b.dtype == a.dtype and np.array_equal(a, b)


def test_gzip_detected_from_content_not_name(tmp_path):
    a = np.arange(6, dtype=np.uint8)
    f = tmp_path / "no-suffix"
    f.write_bytes(gzip.compress(_raw_idx(a, 0x08, "u1")))
    assert np.array_equal(idx.read_idx(f), a)


def _corrupt_cases():
    good = _raw_idx(np.arange(10, dtype=np.uint8).reshape(2, 5), 0x08, "u1")
    return {
        "truncated data": (good[:-3], "truncated IDX data"),
        "trailing bytes": (good + b"\x00\x00", "trailing bytes"),
        "bad magic": (b"\x01\x02" + good[2:], "magic number"),
        "unknown code": (good[:2] + b"\x07" + good[3:], "type code 0x07"),
        "truncated header": (good[:6], "truncated IDX header"),
        "tiny": (b"\x00", "only 1 bytes"),
        "zero dims": (b"\x00\x00\x08\x00", "0 dimensions"),
        "truncated gzip": (gzip.compress(good)[:-10], "gzip"),
        "garbage gzip": (b"\x1f\x8b" + b"garbage" * 5, "gzip"),
    }


@pytest.mark.parametrize("case", list(_corrupt_cases()))
def test_read_idx_corrupt_files(tmp_path, case):
    data, msg = _corrupt_cases()[case]
    f = tmp_path / "bad.idx"
    f.write_bytes(data)
    with pytest.raises(DataError, match=msg) as info:
        idx.read_idx(f)
    assert str(f) in str(info.value) and "\n" not in str(info.value)


def test_dimensions_whose_product_overflows_are_one_line(tmp_path):
    f = tmp_path / "huge.idx"
    f.write_bytes(b"\x00\x00\x08\x04" + (65536).to_bytes(4, "big") * 4 + b"\x00" * 16)
    with pytest.raises(DataError) as info:
        idx.read_idx(f)
    assert str(info.value) == (
        f"{f}: IDX shape (65536, 65536, 65536, 65536) needs 18446744073709551616 bytes, "
        f"more than max_bytes={idx.MAX_IDX_BYTES}"
    )


def test_a_gzip_is_never_decompressed_past_its_header_size(tmp_path):
    """The issue's 1.9 MB file became 2 GB; here 64 MB of zeros behind a 100-byte shape."""
    head = b"\x00\x00\x08\x01" + (100).to_bytes(4, "big")
    f = tmp_path / "bomb.idx.gz"
    f.write_bytes(gzip.compress(head + b"\x00" * (64 << 20), compresslevel=9))
    assert f.stat().st_size < 200_000
    errors = []

    def run():
        with pytest.raises(DataError) as info:
            idx.read_idx(f)
        errors.append(str(info.value))

    assert peak_bytes(run) < 2_000_000
    assert errors[0] == f"{f}: unexpected trailing bytes after shape (100,)"
    big = tmp_path / "claims.idx.gz"  # a header claiming 2 GB with almost nothing behind it
    big.write_bytes(gzip.compress(b"\x00\x00\x08\x01" + (2 << 30).to_bytes(4, "big") + b"x"))
    with pytest.raises(DataError, match="more than max_bytes"):
        idx.read_idx(big)
    small = tmp_path / "small-limit.idx.gz"
    small.write_bytes(gzip.compress(head + bytes(100)))
    assert idx.read_idx(small).shape == (100,)
    with pytest.raises(DataError, match="needs 100 bytes, more than max_bytes=99"):
        idx.read_idx(small, max_bytes=99)


def test_read_idx_missing_file(tmp_path):
    with pytest.raises(DataError, match="not found"):
        idx.read_idx(tmp_path / "nope")


def test_write_idx_rejects_unsupported_dtype(tmp_path):
    with pytest.raises(DataError, match="dtype"):
        idx.write_idx(tmp_path / "x", np.zeros(3, dtype=np.complex64))


# --------------------------------------------------------------------------------------------
# load_mnist
# --------------------------------------------------------------------------------------------
@pytest.mark.parametrize("gz", [True, False])
def test_load_mnist_from_path_like_dlfs(tmp_path, gz):
    arrays = _fake_mnist(tmp_path / "m", gz=gz)
    (xtr, ttr), (xte, tte) = idx.load_mnist(tmp_path / "m")
    assert xtr.shape == (12, 784) and xte.shape == (5, 784)
    assert xtr.dtype == np.float32 and 0 <= xtr.min() and xtr.max() <= 1
    expect = arrays["train-images-idx3-ubyte"].reshape(12, -1).astype(np.float32) / 255
    assert np.array_equal(xtr, expect)
    assert np.array_equal(ttr, arrays["train-labels-idx1-ubyte"]) and ttr.dtype == np.int64
    assert np.array_equal(tte, arrays["t10k-labels-idx1-ubyte"])


def test_load_mnist_options(tmp_path):
    arrays = _fake_mnist(tmp_path / "m")
    (x, t), _ = idx.load_mnist(
        tmp_path / "m", normalize=False, flatten=False, one_hot_label=True, dtype=None
    )
    assert x.shape == (12, 1, 28, 28) and x.dtype == np.uint8
    assert np.array_equal(x[:, 0], arrays["train-images-idx3-ubyte"])
    assert t.shape == (12, 10) and np.array_equal(t.argmax(1), arrays["train-labels-idx1-ubyte"])
    assert np.all(t.sum(1) == 1)
    (x64, _), _ = idx.load_mnist(tmp_path / "m", dtype="float64")
    assert x64.dtype == np.float64


def test_load_mnist_looks_only_in_the_given_dir_and_its_kind_subdir(tmp_path, monkeypatch):
    _fake_mnist(tmp_path / "root" / "mnist", n_train=5)
    (x, _), _ = idx.load_mnist(tmp_path / "root")
    assert x.shape == (5, 784)
    assert idx.find_mnist_dir(tmp_path / "root") == tmp_path / "root" / "mnist"
    _fake_mnist(tmp_path / "deep" / "a" / "b")  # `--data /` scanned the whole disk for these
    with pytest.raises(DataError, match=r"not found in the directory given \(looked in "):
        idx.load_mnist(tmp_path / "deep")
    _fake_mnist(tmp_path / "envdata" / "mnist", n_train=3)
    monkeypatch.setenv("MLPLAB_DATA", str(tmp_path / "envdata"))
    assert idx.find_dataset("mnist") == tmp_path / "envdata" / "mnist"
    (x, _), _ = idx.load_mnist()
    assert x.shape == (3, 784)
    with pytest.raises(DataError, match="directory given"):  # a given dir has no fallback
        idx.load_mnist(tmp_path / "deep")


def test_load_mnist_uses_cache_dir(tmp_path):
    _fake_mnist(tmp_path / "home" / ".cache" / "mlplab" / "mnist", n_train=4)
    assert idx.find_dataset("mnist") is not None
    (x, _), _ = idx.load_mnist()
    assert x.shape == (4, 784)


def test_load_mnist_mismatched_counts(tmp_path):
    _fake_mnist(tmp_path / "m")
    lab = np.zeros(3, dtype=np.uint8)
    (tmp_path / "m" / "train-labels-idx1-ubyte.gz").write_bytes(
        gzip.compress(_raw_idx(lab, 0x08, "u1"))
    )
    with pytest.raises(DataError, match="do not match"):
        idx.load_mnist(tmp_path / "m")


def test_missing_mnist_download_fails_with_one_line_hint(tmp_path, _isolated):
    (tmp_path / "empty").mkdir()
    with pytest.raises(DataError) as info:
        idx.load_mnist(tmp_path / "empty")
    msg = str(info.value)
    assert "--data DIR" in msg and "MLPLAB_DATA" in msg and "\n" not in msg
    assert str(tmp_path / "empty") in msg
    assert _isolated == []  # a directory you name is the only place looked in
    with pytest.raises(DataError) as info:
        idx.load_mnist()
    assert "download failed" in str(info.value) and "--data DIR" in str(info.value)
    assert _isolated and all(u.startswith(idx.MNIST_MIRRORS) for u in _isolated)
    assert not (
        tmp_path / "home" / ".cache" / "mlplab" / "mnist" / "train-images-idx3-ubyte.gz"
    ).exists()


def test_download_disabled_never_fetches(tmp_path, _isolated):
    with pytest.raises(DataError, match="--data DIR"):
        idx.load_mnist(tmp_path, download=False)
    assert _isolated == []


def test_download_verifies_md5_and_writes_atomically(tmp_path, monkeypatch):
    payloads = {name: f"payload {name}".encode() for name in idx.MNIST_MD5}
    import hashlib

    fake_md5 = {name: hashlib.md5(p).hexdigest() for name, p in payloads.items()}
    monkeypatch.setattr(idx, "MNIST_MD5", fake_md5)
    seen = []

    def fetch(url, timeout):
        seen.append(url)
        if url.startswith(idx.MNIST_MIRRORS[0]):
            return b"corrupted bytes"  # first mirror serves garbage: MD5 must reject it
        return payloads[url.rsplit("/", 1)[1]]

    monkeypatch.setattr(idx, "_fetch", fetch)
    dest = tmp_path / "dl"
    idx._download_mnist(dest, timeout=1)
    for name, p in payloads.items():
        assert (dest / name).read_bytes() == p
    assert sorted(os.listdir(dest)) == sorted(payloads)  # no temp files left behind
    n_before = len(seen)
    idx._download_mnist(dest, timeout=1)  # already present and verified: no fetch
    assert len(seen) == n_before


def test_find_dataset_kind_checked():
    with pytest.raises(ConfigError, match="kind"):
        idx.find_dataset("cifar")
    with pytest.raises(ConfigError, match="kind"):
        idx.load_mnist(kind="cifar")


# --------------------------------------------------------------------------------------------
# Fashion-MNIST (Debian package dataset-fashion-mnist), when installed
# --------------------------------------------------------------------------------------------
def test_fashion_missing_message(tmp_path, monkeypatch, _isolated):
    monkeypatch.setattr(idx, "DEBIAN_FASHION_DIR", tmp_path / "nothing")
    assert not idx.fashion_available()
    with pytest.raises(DataError, match="dataset-fashion-mnist.*--data DIR"):
        idx.load_mnist(kind="fashion")
    assert _isolated == []  # no download for fashion


needs_fashion = pytest.mark.skipif(
    not (idx.DEBIAN_FASHION_DIR / "t10k-labels-idx1-ubyte.gz").exists(),
    reason="Debian package dataset-fashion-mnist not installed",
)


@needs_fashion
def test_fashion_mnist_real_files():
    assert idx.fashion_available()
    assert idx.find_dataset("fashion") == idx.DEBIAN_FASHION_DIR
    labels = idx.read_idx(idx.DEBIAN_FASHION_DIR / "t10k-labels-idx1-ubyte.gz")
    assert labels.shape == (10000,) and np.array_equal(np.bincount(labels), [1000] * 10)
    images = idx.read_idx(idx.DEBIAN_FASHION_DIR / "t10k-images-idx3-ubyte.gz")
    assert images.shape == (10000, 28, 28) and images.dtype == np.uint8
    # first training label of Fashion-MNIST is 9 (ankle boot)
    train_labels = idx.read_idx(idx.DEBIAN_FASHION_DIR / "train-labels-idx1-ubyte.gz")
    assert train_labels.shape == (60000,) and train_labels[0] == 9


@needs_fashion
def test_load_mnist_fashion_full():
    (xtr, ttr), (xte, tte) = idx.load_mnist(kind="fashion", one_hot_label=True)
    assert xtr.shape == (60000, 784) and xte.shape == (10000, 784)
    assert xtr.dtype == np.float32 and float(xtr.max()) == 1.0 and float(xtr.min()) == 0.0
    assert ttr.shape == (60000, 10) and np.array_equal(ttr.sum(0), [6000] * 10)
