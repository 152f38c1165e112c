"""Tests of mlplab.modelfile: round trips (path and bytes) and crafted files that must be
rejected in one line, naming the file as given, before anything large is allocated."""

from __future__ import annotations

import io
import json
import os
import struct
import zipfile

import numpy as np
import pytest

import mlplab
from memory import peak_bytes
from mlplab import MLP, Sequential
from mlplab.errors import CheckpointError
from mlplab.layers import Activation, Affine
from mlplab.modelfile import ModelLimits, check_config, load, save


def _meta(model) -> dict:
    return json.loads(json.dumps(model.config()))


def _npz(path, meta, **arrays):
    """An npz like np.savez writes, with any description (dict or text) and arrays."""
    text = meta if isinstance(meta, str) else json.dumps(meta)
    np.savez(path, __mlplab__=np.array(text), **arrays)
    return path


def _params(model) -> dict:
    return {f"param/{k}": v for k, v in model.params.items()}


def _set_declared_size(path, member: str, size: int) -> None:
    """Patch the uncompressed size of ``member`` in the local and central headers."""
    data = bytearray(path.read_bytes())
    name = member.encode()
    pos = 0
    while (pos := data.find(b"PK\x03\x04", pos)) >= 0:  # local headers
        n, m = struct.unpack_from("<HH", data, pos + 26)
        if data[pos + 30 : pos + 30 + n] == name:
            struct.pack_into("<I", data, pos + 22, size)
        pos += 4
    pos = 0
    while (pos := data.find(b"PK\x01\x02", pos)) >= 0:  # central directory
        n = struct.unpack_from("<H", data, pos + 28)[0]
        if data[pos + 46 : pos + 46 + n] == name:
            struct.pack_into("<I", data, pos + 24, size)
        pos += 4
    path.write_bytes(bytes(data))


def _err(source, **kw) -> str:
    with pytest.raises(CheckpointError) as info:
        load(source, **kw)
    msg = str(info.value)
    assert msg and "\n" not in msg
    return msg


# ----------------------------------------------------------------------------------------------
# round trips and the old entry points
# ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("dtype", ["float64", "float32"])
def test_round_trip_from_a_path_and_from_bytes(tmp_path, dtype):
    model = MLP([3, 5, 2], loss="cce", batchnorm=True, dropout=0.2, dtype=dtype, seed=1)
    model.regularization["l1"] = 0.001
    X = np.random.default_rng(0).standard_normal((8, 3))
    model.gradient(X, np.array([0, 1] * 4))  # move the BatchNorm statistics
    path = save(model, tmp_path / "m")
    assert path.name == "m.npz"
    for again in (load(path), load(path.read_bytes(), name="upload.npz")):
        assert again.config() == model.config()
        for k in model.params:
            np.testing.assert_array_equal(again.params[k], model.params[k])
        np.testing.assert_array_equal(again.predict(X), model.predict(X))


def test_the_old_entry_points_still_work(tmp_path):
    model = MLP([2, 3, 1], loss="bce", seed=0)
    p = model.save(tmp_path / "m.npz")
    for loader in (mlplab.load, mlplab.model.load):
        np.testing.assert_array_equal(loader(p).params["W1"], model.params["W1"])
    bias_free = Sequential([Affine(np.ones((2, 2)), None), Activation("tanh")], loss="mse")
    assert list(load(bias_free.save(tmp_path / "nb")).params) == ["W1"]


def test_a_file_written_in_fortran_order_loads(tmp_path):
    model = MLP([2, 3, 1], loss="bce", seed=0)
    arrays = {k: np.asfortranarray(v) for k, v in _params(model).items()}
    p = _npz(tmp_path / "f.npz", _meta(model), **arrays)
    np.testing.assert_array_equal(load(p).params["W1"], model.params["W1"])


# ----------------------------------------------------------------------------------------------
# crafted descriptions: rejected before anything is allocated
# ----------------------------------------------------------------------------------------------


def _crafted(tmp_path, change, arrays=None):
    model = MLP([2, 3, 1], loss="bce", seed=0)
    meta = _meta(model)
    change(meta)
    return _npz(tmp_path / "crafted.npz", meta, **(_params(model) if arrays is None else arrays))


@pytest.mark.parametrize(
    "change, expected",
    [
        (lambda m: m.update(version="1.0"), "version must be a positive integer, got '1.0'"),
        (lambda m: m.update(version="abc"), "version must be a positive integer"),
        (lambda m: m.update(version=7), "newer than this mlplab"),
        (lambda m: m.update(dtype="complex128"), "dtype must be 'float64' or 'float32'"),
        (lambda m: m["layers"][0].update({"in": -2}), "layer 1 (Affine) in must be in [1, "),
        (lambda m: m["layers"][0].update(out=0), "layer 1 (Affine) out must be in [1, "),
        (lambda m: m["layers"][0].update(out=2.5), "out must be an integer, got 2.5"),
        (lambda m: m["layers"].__setitem__(1, 5), "layer 2 must be a table with a 'type', got 5"),
        (lambda m: m["layers"].__setitem__(1, "relu"), "layer 2 must be a table"),
        (lambda m: m.update(layers={"a": 1}), "layers must be a list of tables"),
        (lambda m: m["layers"][1].update(type="Conv2D"), "layer 2 has unknown type 'Conv2D'"),
        (lambda m: m["layers"][1].update(name="gelu9"), "layer 2: unknown activation 'gelu9'"),
        (lambda m: m["layers"][1].update(alpha="x"), "alpha must be a number"),
        (lambda m: m["layers"][2].update({"in": 4}), "layer 3 (Affine) takes 4 inputs but"),
        (lambda m: m["layers"][0].update(bias="yes"), "bias must be true or false"),
        (lambda m: m["layers"][0].update(evil=1), "layer 1 has unknown key 'evil'"),
        (lambda m: m.update(head=[1]), "head must be a table"),
        (lambda m: m["head"].update(loss="hinge9"), "head: unknown loss 'hinge9'"),
        (lambda m: m.update(regularization={"l2": -1}), "regularization l2 must be a number"),
        (lambda m: m.update(input_dim=-1), "input_dim must be in [1, "),
        (lambda m: m.pop("layers"), "lacks 'layers'"),
        (lambda m: m.update(format="other"), "not an mlplab model description"),
    ],
)
def test_a_crafted_description_is_one_line_naming_the_file(tmp_path, change, expected):
    path = _crafted(tmp_path, change)
    msg = _err(path)
    assert msg.startswith(f"{path}: ")
    assert expected in msg


def test_messages_name_the_file_as_given_never_another_path(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    _crafted(tmp_path, lambda m: m.update(version="x"))
    assert _err("crafted.npz").startswith("crafted.npz: version")
    data = (tmp_path / "crafted.npz").read_bytes()
    assert _err(data).startswith("model file: version")
    assert _err(data, name="upload.npz").startswith("upload.npz: version")
    assert str(tmp_path) not in _err(data[:100], name="upload.npz")
    assert "does not exist" in _err("missing.npz")
    assert "not a regular file" in _err(".")


def test_limits_are_checked_and_named(tmp_path):
    p = MLP([4, 30, 30, 2], seed=0).save(tmp_path / "m.npz")
    assert "limit max_params=100" in _err(p, limits=ModelLimits(max_params=100))
    assert "limit max_units=10" in _err(p, limits=ModelLimits(max_units=10))
    assert "limit max_layers=2" in _err(p, limits=ModelLimits(max_layers=2))
    assert "limit max_file_bytes=100" in _err(p, limits=ModelLimits(max_file_bytes=100))
    assert "max_file_bytes=100" in _err(p.read_bytes(), limits=ModelLimits(max_file_bytes=100))
    load(p, limits=ModelLimits(max_params=2000, max_units=30, max_layers=6))


def test_limits_given_to_load_are_the_ones_used(tmp_path, monkeypatch):
    import mlplab.modelfile as mf

    p = MLP([4, 30, 2], seed=0).save(tmp_path / "m.npz")
    monkeypatch.setattr(mf, "DEFAULT_LIMITS", ModelLimits(max_params=10))
    assert "max_params=10" in _err(p)
    load(p, limits=ModelLimits(max_params=1000))  # raised limits are not overridden later


def test_a_small_file_claiming_15000x15000_allocates_nothing_big(tmp_path):
    meta = {
        "format": "mlplab.Sequential",
        "version": 1,
        "dtype": "float64",
        "input_dim": 15000,
        "layers": [{"type": "Affine", "in": 15000, "out": 15000}],
        "head": {"activation": "identity", "loss": "mse"},
    }
    p = _npz(tmp_path / "claim.npz", meta, **{"param/W1": np.zeros((2, 2)), "param/b1": [0.0]})
    assert p.stat().st_size < 2000  # like the 1.3 KB file
    generous = ModelLimits(max_params=10**9)  # the budget alone does not save us
    msgs = []
    peak = peak_bytes(lambda: msgs.append(_err(p, limits=generous)))
    assert "parameter W1 has shape (2, 2), the model needs (15000, 15000)" in msgs[0]
    assert peak < 2_000_000, peak  # was 1.8 GB
    assert "max_params" in _err(p)  # the default budget rejects it even earlier


def test_a_member_claiming_the_right_size_but_holding_less_is_truncated(tmp_path):
    """Declared 15000x15000 float64 with only a header behind it: read stops at the data."""
    meta = {
        "format": "mlplab.Sequential",
        "version": 1,
        "layers": [{"type": "Affine", "in": 15000, "out": 15000, "bias": False}],
    }
    p = tmp_path / "liar.npz"
    buf = io.BytesIO()
    np.lib.format.write_array_header_1_0(
        buf, {"descr": "<f8", "fortran_order": False, "shape": (15000, 15000)}
    )
    with zipfile.ZipFile(p, "w") as zf:
        zf.writestr("__mlplab__.npy", _npy(np.array(json.dumps(meta))))
        zf.writestr("param/W1.npy", buf.getvalue() + b"\0" * 64)
    _set_declared_size(p, "param/W1.npy", len(buf.getvalue()) + 15000 * 15000 * 8)
    msgs = []
    peak = peak_bytes(lambda: msgs.append(_err(p, limits=ModelLimits(max_params=10**9))))
    assert "parameter W1" in msgs[0] or "corrupt" in msgs[0], msgs[0]
    assert peak < 4_000_000, peak


def _npy(arr) -> bytes:
    buf = io.BytesIO()
    np.lib.format.write_array(buf, arr, allow_pickle=False)
    return buf.getvalue()


@pytest.mark.parametrize(
    "array, expected",
    [
        (np.array([["a", "b", "c"], ["d", "e", "f"]]), "dtype <U1; model arrays must be real"),
        (np.zeros((2, 3), complex), "dtype complex128; model arrays must be real floats"),
        (np.zeros((2, 3), np.int64), "dtype int64"),
        (np.zeros((3, 2)), "parameter W1 has shape (3, 2), the model needs (2, 3)"),
    ],
)
def test_arrays_of_the_wrong_kind_are_rejected(tmp_path, array, expected):
    model = MLP([2, 3, 1], loss="bce", seed=0)
    arrays = {**_params(model), "param/W1": array}
    msg = _err(_npz(tmp_path / "a.npz", _meta(model), **arrays))
    assert expected in msg


def test_an_object_array_is_never_unpickled(tmp_path):
    model = MLP([2, 3, 1], loss="bce", seed=0)
    obj = np.empty(1, dtype=object)
    obj[0] = {"evil": True}
    p = tmp_path / "pickled.npz"
    np.savez(
        p, __mlplab__=np.array(json.dumps(_meta(model))), **{"param/W1": obj}, allow_pickle=True
    )
    assert "dtype object" in _err(p)


def test_a_missing_parameter_and_old_files_without_statistics(tmp_path):
    model = MLP([2, 3, 1], loss="bce", batchnorm=True, seed=0)
    arrays = _params(model)
    p = _npz(tmp_path / "nostate.npz", _meta(model), **arrays)
    load(p)  # BatchNorm statistics are optional (older files)
    del arrays["param/W2"]
    assert "parameter W2 is missing" in _err(_npz(tmp_path / "m.npz", _meta(model), **arrays))


def test_an_800_mb_extra_member_is_rejected_unread(tmp_path):
    model = MLP([2, 3, 1], loss="bce", seed=0)
    p = _npz(tmp_path / "extra.npz", _meta(model), **_params(model))
    with zipfile.ZipFile(p, "a", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("junk.bin", b"\0" * 4096)
    _set_declared_size(p, "junk.bin", 800 * 2**20)
    msgs = []
    peak = peak_bytes(lambda: msgs.append(_err(p)))
    assert "unexpected member 'junk.bin' of 838860800 bytes" in msgs[0]
    assert "max_extra_bytes" in msgs[0]
    assert peak < 1_000_000, peak
    small = _npz(tmp_path / "small.npz", _meta(model), **_params(model), notes=np.zeros(3))
    load(small)  # a small unknown member is tolerated (and never read)


def test_a_zip_bomb_stops_at_its_declared_size(tmp_path):
    """A member whose deflated stream expands to 64 MB while it declares its real 176 bytes."""
    model = MLP([2, 3, 1], loss="bce", seed=0)
    good = _npy(model.params["W1"])
    p = _npz(
        tmp_path / "bomb.npz",
        _meta(model),
        **{k: v for k, v in _params(model).items() if k != "param/W1"},
    )
    with zipfile.ZipFile(p, "a", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("param/W1.npy", good + b"\0" * (64 << 20))
    _set_declared_size(p, "param/W1.npy", len(good))
    assert p.stat().st_size < 200_000
    msgs = []
    peak = peak_bytes(lambda: msgs.append(_err(p)))
    assert "corrupt" in msgs[0] or "more data" in msgs[0], msgs[0]
    assert peak < 4_000_000, peak


def test_a_bomb_that_declares_its_full_size_is_rejected_unread(tmp_path):
    model = MLP([2, 3, 1], loss="bce", seed=0)
    p = _npz(
        tmp_path / "bomb2.npz",
        _meta(model),
        **{k: v for k, v in _params(model).items() if k != "param/W1"},
    )
    with zipfile.ZipFile(p, "a", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("param/W1.npy", _npy(model.params["W1"]) + b"\0" * (8 << 20))
    msg = _err(p)
    assert "parameter W1 claims" in msg and "needs at most 48" in msg


@pytest.mark.parametrize(
    "content, expected",
    [
        ("{not json", "not valid JSON"),
        ("[" * 100_000 + "]" * 100_000, "not valid JSON"),
        ("[1, 2]", "not an mlplab model description"),
    ],
)
def test_bad_descriptions(tmp_path, content, expected):
    assert expected in _err(_npz(tmp_path / "d.npz", content))


def test_corrupt_archives(tmp_path):
    good = MLP([2, 3, 1], loss="bce", seed=0).save(tmp_path / "good.npz").read_bytes()
    assert "corrupt" in _err(good[: len(good) // 2], name="half.npz")
    assert "corrupt" in _err(os.urandom(300), name="noise.npz")
    flipped = bytearray(good)
    flipped[len(good) // 2] ^= 0xFF
    assert "half" not in _err(bytes(flipped), name="flip.npz")
    p = tmp_path / "plain.zip"
    with zipfile.ZipFile(p, "w") as zf:
        zf.writestr("hello.txt", "not a model")
    assert "no __mlplab__ entry" in _err(p)


def test_check_config_returns_the_shapes_without_a_file():
    model = MLP([2, 3, 1], loss="bce", batchnorm=True, seed=0)
    shapes = check_config(model.config())
    assert shapes["param/W1"] == (2, 3) and shapes["state/1/running_mean"] == (3,)
    assert set(k for k in shapes if k.startswith("param/")) == {f"param/{k}" for k in model.params}
    with pytest.raises(CheckpointError, match="version"):
        Sequential.from_config({**model.config(), "version": "one"})
