"""IDX files (MNIST, Fashion-MNIST): reading, finding and downloading.

IDX layout (big-endian)::

    bytes 0-1   0x00 0x00
    byte  2     dtype code: 0x08 uint8, 0x09 int8, 0x0B int16, 0x0C int32, 0x0D float32,
                0x0E float64
    byte  3     number of dimensions d
    4 * d       the sizes, uint32 each
    ...         prod(sizes) values, row-major

Files may be gzip-compressed (detected from the content, not the name).  The header is read
first: a shape whose size exceeds ``max_bytes`` is rejected before anything is allocated, and
the data is read (decompressed) only up to the size the header states.

:func:`load_mnist` mirrors DLfS's ``dataset/mnist.py`` ``load_mnist(normalize, flatten,
one_hot_label)``. Where the files come from (no directory is searched recursively):

- a ``path`` you give (``--data DIR``): ``DIR`` itself or ``DIR/mnist`` /
  ``DIR/fashion-mnist`` -- and nowhere else;
- otherwise, ``kind="fashion"``: ``$MLPLAB_DATA/fashion-mnist``, then Debian's
  ``dataset-fashion-mnist`` package (``/usr/share/datasets/fashion-mnist/``), then
  ``~/.cache/mlplab/fashion-mnist``. No download.
- otherwise, ``kind="mnist"``: ``$MLPLAB_DATA/mnist``, ``$MLPLAB_DATA``, then
  ``~/.cache/mlplab/mnist``; if still missing, the four files are downloaded from known mirrors
  into the cache (MD5-checked, written atomically).

:func:`find_mnist_dir` says which directory will be used (runs print it).
"""

from __future__ import annotations

import gzip
import hashlib
import math
import os
import zlib
from pathlib import Path

import numpy as np

from ..errors import DataError, check_choice
from ..fileio import atomic_write

__all__ = [
    "FILES",
    "MNIST_MD5",
    "MNIST_MIRRORS",
    "fashion_available",
    "find_dataset",
    "find_mnist_dir",
    "load_mnist",
    "read_idx",
    "write_idx",
]

_DTYPES: dict[int, np.dtype] = {
    0x08: np.dtype(np.uint8),
    0x09: np.dtype(np.int8),
    0x0B: np.dtype(">i2"),
    0x0C: np.dtype(">i4"),
    0x0D: np.dtype(">f4"),
    0x0E: np.dtype(">f8"),
}
_CODES = {dt.newbyteorder("=").str[1:]: code for code, dt in _DTYPES.items()}

#: The four file stems, by role.
FILES = {
    "train_images": "train-images-idx3-ubyte",
    "train_labels": "train-labels-idx1-ubyte",
    "test_images": "t10k-images-idx3-ubyte",
    "test_labels": "t10k-labels-idx1-ubyte",
}

#: MD5 of the original gzip files of MNIST.
MNIST_MD5 = {
    "train-images-idx3-ubyte.gz": "f68b3c2dcbeaaa9fbdd348bbdeb94873",
    "train-labels-idx1-ubyte.gz": "d53e105ee54ea40749a09fcbcd1e9432",
    "t10k-images-idx3-ubyte.gz": "9fb629c4189551a2d022fa330f9573f3",
    "t10k-labels-idx1-ubyte.gz": "ec29112dd5afa0611ce80d1b7f02629c",
}

#: Mirrors tried in order (the same files as yann.lecun.com's originals).
MNIST_MIRRORS = (
    "https://ossci-datasets.s3.amazonaws.com/mnist/",
    "https://storage.googleapis.com/cvdf-datasets/mnist/",
    "http://yann.lecun.com/exdb/mnist/",
)

#: Where Debian's ``dataset-fashion-mnist`` package puts its files.
DEBIAN_FASHION_DIR = Path("/usr/share/datasets/fashion-mnist")

DOWNLOAD_TIMEOUT = 10.0  # seconds per connection attempt
#: Largest IDX data :func:`read_idx` accepts by default (MNIST's training images: 47 MB).
MAX_IDX_BYTES = 1 << 30

_SUBDIR = {"mnist": "mnist", "fashion": "fashion-mnist"}


# ---------------------------------------------------------------------------------------------
# Reading and writing
# ---------------------------------------------------------------------------------------------
def read_idx(path, *, max_bytes: int = MAX_IDX_BYTES) -> np.ndarray:
    """Read an IDX file (raw or gzip-compressed).

    Parameters
    ----------
    path : str or Path
    max_bytes : int
        Largest data size accepted (the header's shape times the item size).

    Returns
    -------
    ndarray
        Shape from the header, dtype from the type code in native byte order (MNIST images:
        ``(N, 28, 28)`` uint8; labels: ``(N,)`` uint8).

    Raises
    ------
    DataError
        Missing file, bad magic number, unknown type code, a shape over ``max_bytes``,
        truncated or oversized data, corrupt gzip stream. The message names the file.
    """
    path = Path(path)
    try:
        fh = open(path, "rb")  # noqa: SIM115 - closed below
    except FileNotFoundError:
        raise DataError(f"IDX file not found: {path}") from None
    except OSError as exc:
        raise DataError(f"cannot read IDX file {path}: {exc.strerror or exc}") from None
    with fh:
        compressed = fh.read(2) == b"\x1f\x8b"
        fh.seek(0)
        try:
            if compressed:
                with gzip.GzipFile(fileobj=fh) as gz:
                    return _read_idx_stream(gz, path, max_bytes, None)
            return _read_idx_stream(fh, path, max_bytes, os.fstat(fh.fileno()).st_size)
        except (OSError, EOFError, zlib.error) as exc:
            raise DataError(f"corrupt or truncated gzip file {path}: {exc}") from None


def _read_exactly(f, n: int) -> bytes:
    parts, left = [], n
    while left:
        chunk = f.read(min(left, 1 << 20))
        if not chunk:
            break
        parts.append(chunk)
        left -= len(chunk)
    return b"".join(parts)


def _read_idx_stream(f, path: Path, max_bytes: int, size: int | None) -> np.ndarray:
    """The array of an IDX stream; ``size`` is the file size when not compressed."""
    head = _read_exactly(f, 4)
    if len(head) < 4:
        raise DataError(f"{path} is not an IDX file: only {len(head)} bytes")
    if head[0] != 0 or head[1] != 0:
        raise DataError(
            f"{path} is not an IDX file: magic number starts with {head[:2].hex()}, expected 0000"
        )
    code, ndim = head[2], head[3]
    if code not in _DTYPES:
        raise DataError(f"{path}: unknown IDX type code 0x{code:02X}")
    if ndim == 0:
        raise DataError(f"{path}: IDX header declares 0 dimensions")
    header = 4 + 4 * ndim
    raw_dims = _read_exactly(f, 4 * ndim)
    if len(raw_dims) < 4 * ndim:
        raise DataError(f"{path}: truncated IDX header ({4 + len(raw_dims)} bytes, need {header})")
    dims = tuple(int.from_bytes(raw_dims[i : i + 4], "big") for i in range(0, 4 * ndim, 4))
    dtype = _DTYPES[code]
    nbytes = math.prod(dims) * dtype.itemsize  # Python ints: 65536**4 does not overflow
    if nbytes > max_bytes:
        raise DataError(
            f"{path}: IDX shape {dims} needs {nbytes} bytes, more than max_bytes={max_bytes}"
        )
    expected = header + nbytes
    if size is not None and size < expected:
        raise DataError(
            f"{path}: truncated IDX data, {size} bytes but shape {dims} needs {expected}"
        )
    if size is not None and size > expected:
        raise DataError(f"{path}: {size - expected} unexpected trailing bytes after shape {dims}")
    out = np.empty(dims, dtype=dtype.newbyteorder("="))
    buf = memoryview(out.reshape(-1).view(np.uint8))
    got = 0
    while got < nbytes:
        n = f.readinto(buf[got : got + (1 << 20)])
        if not n:
            raise DataError(
                f"{path}: truncated IDX data, {header + got} bytes but shape {dims} needs "
                f"{expected}"
            )
        got += n
    if f.read(1):  # never decompress further than one byte past the stated size
        raise DataError(f"{path}: unexpected trailing bytes after shape {dims}")
    if dtype.byteorder == ">" and dtype.itemsize > 1:
        out.byteswap(inplace=True)  # the file is big-endian
    return out


def write_idx(path, array, *, compress: bool | None = None) -> Path:
    """Write ``array`` as an IDX file (gzip when ``compress`` or the name ends in ``.gz``).

    Supported dtypes: uint8, int8, int16, int32, float32, float64. Written atomically.
    """
    path = Path(path)
    a = np.asarray(array)
    key = a.dtype.newbyteorder("=").str[1:]
    if key not in _CODES:
        raise DataError(f"cannot write dtype {a.dtype} to IDX; use uint8/int8/int16/int32/f4/f8")
    if a.ndim == 0 or a.ndim > 255:
        raise DataError(f"IDX arrays need 1..255 dimensions, got {a.ndim}")
    code = _CODES[key]
    header = bytes([0, 0, code, a.ndim]) + np.asarray(a.shape, dtype=">u4").tobytes()
    body = np.ascontiguousarray(a, dtype=_DTYPES[code]).tobytes()
    data = header + body
    if compress is None:
        compress = path.suffix == ".gz"
    if compress:
        data = gzip.compress(data)
    _atomic_write(path, data)
    return path


def _atomic_write(path: Path, data: bytes) -> None:
    atomic_write(path, data)


# ---------------------------------------------------------------------------------------------
# Finding files
# ---------------------------------------------------------------------------------------------
def _file_in(directory: Path, stem: str) -> Path | None:
    for name in (stem + ".gz", stem):
        p = directory / name
        if p.is_file():
            return p
    return None


def _complete_dir(directory: Path) -> Path | None:
    """``directory`` if it holds all four IDX files (raw or .gz), else None (no recursion)."""
    try:
        if not directory.is_dir():
            return None
    except OSError:
        return None
    if all(_file_in(directory, stem) for stem in FILES.values()):
        return directory
    return None


def _cache_root() -> Path:
    return Path(os.path.expanduser("~")) / ".cache" / "mlplab"


def _search_dirs(kind: str) -> list[Path]:
    dirs: list[Path] = []
    env = os.environ.get("MLPLAB_DATA")
    if env:
        dirs.append(Path(env) / _SUBDIR[kind])
        if kind == "mnist":
            dirs.append(Path(env))
    if kind == "fashion":
        dirs.append(DEBIAN_FASHION_DIR)
    dirs.append(_cache_root() / _SUBDIR[kind])
    return dirs


def find_dataset(kind: str = "mnist") -> Path | None:
    """Directory holding the four IDX files of ``kind``, or None.

    Looked in (not recursively): ``$MLPLAB_DATA/<mnist|fashion-mnist>`` (and for MNIST
    ``$MLPLAB_DATA`` itself), for Fashion-MNIST ``/usr/share/datasets/fashion-mnist`` (Debian
    package ``dataset-fashion-mnist``), then ``~/.cache/mlplab/<mnist|fashion-mnist>``.
    """
    check_choice("kind", kind, tuple(_SUBDIR))
    for d in _search_dirs(kind):
        found = _complete_dir(d)
        if found is not None:
            return found
    return None


def fashion_available() -> bool:
    """True when Fashion-MNIST can be loaded without a download."""
    return find_dataset("fashion") is not None


# ---------------------------------------------------------------------------------------------
# Downloading
# ---------------------------------------------------------------------------------------------
def _fetch(url: str, timeout: float) -> bytes:
    """Return the body of ``url`` (monkeypatched in tests; never called by the test suite)."""
    import urllib.request  # here: its import (http, email, ssl) costs ~0.03 s of every run

    req = urllib.request.Request(url, headers={"User-Agent": "mlplab"})
    with urllib.request.urlopen(req, timeout=timeout) as resp:  # noqa: S310 (fixed https URLs)
        return resp.read()


def _download_mnist(dest: Path, timeout: float = DOWNLOAD_TIMEOUT) -> Path:
    """Download the four MNIST files into ``dest`` (MD5-checked, atomic); return ``dest``."""
    errors: list[str] = []
    for name, md5 in MNIST_MD5.items():
        target = dest / name
        if target.is_file() and hashlib.md5(target.read_bytes()).hexdigest() == md5:
            continue
        for mirror in MNIST_MIRRORS:
            try:
                data = _fetch(mirror + name, timeout)
            except Exception as exc:  # network errors of every kind: try the next mirror
                errors.append(f"{mirror}: {type(exc).__name__}")
                continue
            if hashlib.md5(data).hexdigest() != md5:
                errors.append(f"{mirror}{name}: MD5 mismatch")
                continue
            _atomic_write(target, data)
            break
        else:
            raise DataError(f"could not download {name} ({'; '.join(errors[-3:])})")
    return dest


def _missing_message(kind: str, searched: list[Path], given: bool = False) -> str:
    where = ", ".join(str(d) for d in searched)
    if given:
        return (
            f"{'Fashion-MNIST' if kind == 'fashion' else 'MNIST'} files not found in the "
            f"directory given (looked in {where}); put the four files "
            "train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz, t10k-images-idx3-ubyte.gz, "
            "t10k-labels-idx1-ubyte.gz (or without .gz) in it, or pass another --data DIR "
            "(or set MLPLAB_DATA)"
        )
    if kind == "fashion":
        hint = "install the Debian package dataset-fashion-mnist or put"
    else:
        hint = "download failed; put"
    return (
        f"{'Fashion-MNIST' if kind == 'fashion' else 'MNIST'} files not found (looked in {where});"
        f" {hint} the four files train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz,"
        " t10k-images-idx3-ubyte.gz, t10k-labels-idx1-ubyte.gz in a directory and pass"
        " --data DIR (or set MLPLAB_DATA)"
    )


def _given_dirs(path, kind: str) -> list[Path]:
    p = Path(path).expanduser()
    return [p, p / _SUBDIR[kind]]


def find_mnist_dir(path=None, kind: str = "mnist", download: bool = False) -> Path:
    """The directory :func:`load_mnist` reads for ``path`` and ``kind`` (see the module doc).

    A ``path`` you give is the only place looked in (``path`` or ``path/<mnist|fashion-mnist>``).

    Raises
    ------
    DataError
        One line listing where it looked.
    """
    check_choice("kind", kind, tuple(_SUBDIR))
    if path is not None and str(path) != "":
        dirs = _given_dirs(path, kind)
        for d in dirs:
            found = _complete_dir(d)
            if found is not None:
                return found
        raise DataError(_missing_message(kind, dirs, given=True))
    dirs = _search_dirs(kind)
    for d in dirs:
        found = _complete_dir(d)
        if found is not None:
            return found
    if kind == "mnist" and download:
        try:
            return _download_mnist(_cache_root() / "mnist")
        except (DataError, OSError):
            pass
    raise DataError(_missing_message(kind, dirs))


def _resolve_dir(path, kind: str, download: bool) -> Path:
    return find_mnist_dir(path, kind, download)


# ---------------------------------------------------------------------------------------------
# load_mnist
# ---------------------------------------------------------------------------------------------
def load_mnist(
    path=None,
    *,
    kind: str = "mnist",
    normalize: bool = True,
    flatten: bool = True,
    one_hot_label: bool = False,
    dtype="float32",
    download: bool = True,
):
    """Load MNIST or Fashion-MNIST like DLfS's ``load_mnist``.

    Parameters
    ----------
    path : str or Path, optional
        Directory with the four IDX files (``.gz`` or raw), directly or in its ``mnist`` /
        ``fashion-mnist`` sub-directory; no other place is looked in. Without it the default
        places are (see the module docstring).
    kind : {"mnist", "fashion"}
    normalize : bool
        Scale pixels to ``[0, 1]``: ``x / 255`` in ``dtype``. When False the pixel values
        0..255 are returned cast to ``dtype`` (``dtype=None`` keeps uint8, as DLfS does).
    flatten : bool
        ``(N, 784)`` when True, else ``(N, 1, 28, 28)`` (DLfS's channel-first layout).
    one_hot_label : bool
        Labels as one-hot ``(N, 10)`` in ``dtype`` (float64 if ``dtype`` is None) instead of
        int64 class ids ``(N,)``.
    dtype : str or numpy dtype or None
        Image dtype; DLfS uses float32.
    download : bool
        For ``kind="mnist"``, allow downloading into ``~/.cache/mlplab/mnist``.

    Returns
    -------
    (x_train, t_train), (x_test, t_test)
        60000 / 10000 rows for the real data sets.

    Raises
    ------
    DataError
        Files missing (one line saying to pass ``--data DIR`` or set ``MLPLAB_DATA``), corrupt,
        or with inconsistent image/label counts.
    """
    check_choice("kind", kind, tuple(_SUBDIR))
    directory = _resolve_dir(path, kind, download)
    arrays = {}
    for role, stem in FILES.items():
        f = _file_in(directory, stem)
        if f is None:  # pragma: no cover - _complete_dir guarantees presence
            raise DataError(f"{stem} missing in {directory}")
        arrays[role] = read_idx(f)

    out = []
    for part in ("train", "test"):
        x = arrays[f"{part}_images"]
        t = arrays[f"{part}_labels"]
        if x.ndim != 3 or t.ndim != 1 or x.shape[0] != t.shape[0]:
            raise DataError(
                f"{directory}: {part} images {x.shape} and labels {t.shape} do not match;"
                " expected (N, rows, cols) and (N,)"
            )
        if normalize:
            x = x.astype(dtype or np.float32) / np.asarray(255, dtype=dtype or np.float32)
        elif dtype is not None:
            x = x.astype(dtype)
        x = x.reshape(x.shape[0], -1) if flatten else x[:, None, :, :]
        t = t.astype(np.int64)
        if one_hot_label:
            k = max(10, int(t.max()) + 1) if t.size else 10
            onehot = np.zeros((t.shape[0], k), dtype=dtype or np.float64)
            onehot[np.arange(t.shape[0]), t] = 1
            t = onehot
        out.append((x, t))
    return out[0], out[1]
