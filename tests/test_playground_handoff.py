"""Sessions handed between the server's worker processes (mlplab.playground.handoff)."""

from __future__ import annotations

import json

import numpy as np
import pytest

from mlplab.errors import MlplabError
from mlplab.playground.handoff import Handoff, restore
from mlplab.playground.lessons import catalog
from mlplab.playground.session import Session


def test_a_session_goes_over_with_its_settings_weights_epoch_and_lesson(tmp_path):
    lessons = catalog(None)
    name = next(iter(lessons))
    s = Session({"seed": 2, "activation": "relu", "networkShape": [3]}, lesson=lessons[name])
    s.run_epochs(4)
    h = Handoff(tmp_path)
    token = h.put("abcdefgh1234", s)
    assert token and h.exists("abcdefgh1234")
    kind, doc = h.take("abcdefgh1234")
    assert kind == "theirs" and not h.exists("abcdefgh1234")  # claimed: gone for the others
    t = restore(doc, lessons)
    assert t.epoch == 4 and t.state == s.state and t.lesson is lessons[name]
    for k, v in s.model.params.items():
        np.testing.assert_allclose(t.model.params[k], v, rtol=0, atol=1e-8)
    assert h.take("abcdefgh1234") == ("none", None)  # exactly one process gets it


def test_reset_after_a_handoff_returns_to_the_sessions_first_weights(tmp_path):
    s = Session({"seed": 3, "initSeed": 5})
    first = {k: v.copy() for k, v in s.model.params.items()}
    s.run_epochs(5)
    h = Handoff(tmp_path)
    h.put("resetsession1", s)
    t = restore(h.take("resetsession1")[1])
    assert not np.array_equal(t.model.params["W1"], first["W1"])  # trained weights came over
    t.reset(same=True)
    assert t.epoch == 0
    for k, v in first.items():
        np.testing.assert_array_equal(t.model.params[k], v)
    bad = Session({"seed": 3})
    bad.run_epochs(2)
    h.put("resetsession2", bad)
    doc = h.take("resetsession2")[1]
    doc["initial"]["W1"] = [[1.0]]  # a crafted file: Reset falls back to the handed weights
    u = restore(doc)
    u.reset(same=True)
    np.testing.assert_allclose(u.model.params["W1"], bad.model.params["W1"], atol=1e-8)


def test_the_writer_resumes_its_own_copy_and_knows_when_it_is_stale(tmp_path):
    s = Session({"seed": 1})
    h = Handoff(tmp_path)
    token = h.put("sessionid0001", s)
    assert h.take("sessionid0001", mine=token) == ("mine", None)
    h.put("sessionid0001", s)  # another process wrote a newer copy
    kind, doc = h.take("sessionid0001", mine=token)
    assert kind == "theirs" and doc["epoch"] == 0


@pytest.mark.parametrize("sid", ["../../etc/passwd", "a/b", "", "x" * 65, "short", None, 5])
def test_only_session_ids_name_files(tmp_path, sid):
    h = Handoff(tmp_path)
    assert h.put(sid, Session({"seed": 1})) is None
    assert h.take(sid) == ("none", None) and not h.exists(sid)
    assert sorted(p.name for p in tmp_path.rglob("*")) == ["handoff"]


def test_uploads_stay_and_without_a_directory_nothing_is_written(tmp_path):
    s = Session({"seed": 1})
    s.set_upload("a,b,label\n" + "".join(f"{i},{i % 3},{i % 2}\n" for i in range(40)))
    assert Handoff(tmp_path).put("sessionid0002", s) is None
    assert Handoff(None).put("sessionid0003", Session({"seed": 1})) is None


def test_a_crafted_file_is_refused_in_one_line(tmp_path):
    h = Handoff(tmp_path)
    (tmp_path / "handoff" / "sessionid0004.json").write_text("[1, 2]")
    assert h.take("sessionid0004") == ("none", None)
    doc = {"format": "mlplab-playground", "version": 1, "state": {"networkShape": [10**6]},
           "sizes": [2, 1], "epoch": 3, "params": {}}  # fmt: skip
    with pytest.raises(MlplabError) as info:
        restore(json.loads(json.dumps(doc)))
    assert "\n" not in str(info.value)
