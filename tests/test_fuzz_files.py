"""Fuzzing the built-in experiment and lesson files: whatever a user does to them, mlplab
answers with a result or a one-line error -- never a traceback, never runaway memory.

* Experiment files (``files/*.toml``): hypothesis mutates them (values of every kind in every
  key, unknown keys, deleted keys, variants) and the whole validation runs in this process;
  anything accepted must respect the resource caps, and validation itself stays small.
* Lesson run files (``files/lessons/*.toml``, seconds to run): mutated files go to the real
  ``mlplab run`` command; exit 0, 1 or 2, one line on error, no traceback, bounded memory.
"""

from __future__ import annotations

import copy
import math
import tomllib
import tracemalloc

import pytest
import tomli_w
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mlplab.errors import MlplabError
from mlplab.experiments.classic import builtin_files
from mlplab.experiments.runfiles import lesson_files
from mlplab.experiments.spec import (
    SCHEMA,
    Limits,
    count_params,
    input_dim,
    load_spec,
    model_widths,
)
from test_cli_bad_input import BIN, MAX_RSS_MB, run_measured

EXPERIMENTS = {name: tomllib.loads(p.read_text()) for name, p in builtin_files().items()}
LESSONS = {name: tomllib.loads(p.read_text()) for name, p in lesson_files().items()}

#: Values of every kind, weighted toward the edges (negative, zero, huge, NaN, wrong types).
SCALARS = st.one_of(
    st.sampled_from([-(10**12), -1, 0, 1, 2, 3, 10**12, 2**63 - 1]),
    st.sampled_from([-1.0, 0.0, 1e-9, 0.5, 1.1, 1e9, 1e308, math.inf, -math.inf, math.nan]),
    st.booleans(),
    st.text(max_size=12),
    st.sampled_from(["relu", "he", "adam", "moons", "fashion-mnist", "csv", "x" * 5000, ""]),
)
VALUES = st.one_of(
    SCALARS,
    st.lists(SCALARS, max_size=4),
    st.lists(st.lists(st.integers(-3, 10**8), max_size=3), max_size=3),
    st.dictionaries(st.text(max_size=6), SCALARS, max_size=3),
)
KEYS = sorted({f"{sec}.{k}" for sec, keys in SCHEMA.items() for k in keys}) + ["bogus.key"]


@st.composite
def mutated(draw, files):
    name = draw(st.sampled_from(sorted(files)))
    doc = copy.deepcopy(files[name])
    for _ in range(draw(st.integers(1, 4))):
        action = draw(st.sampled_from(["set", "set", "delete", "variant", "section"]))
        if action == "set":
            sec, _, key = draw(st.sampled_from(KEYS)).partition(".")
            doc.setdefault(sec, {})[key] = draw(VALUES)
        elif action == "delete" and doc:
            sec = draw(st.sampled_from(sorted(doc)))
            if isinstance(doc[sec], dict) and doc[sec]:
                doc[sec].pop(draw(st.sampled_from(sorted(doc[sec]))))
            else:
                doc.pop(sec)
        elif action == "variant":
            key = draw(st.sampled_from(KEYS))
            doc.setdefault("variants", {})[key] = draw(st.lists(VALUES, max_size=5))
        else:
            doc[draw(st.text(max_size=8))] = draw(VALUES)
    return name, doc


def _text(doc: dict) -> str | None:
    """The TOML a user could have written for ``doc`` (None: a value TOML cannot hold)."""
    try:
        return tomli_w.dumps(doc)
    except (TypeError, ValueError):
        return None


def _accepted_respects_the_caps(spec) -> None:
    lim = Limits()
    for _, vs in spec.variant_specs():
        d, m = vs.data, vs.model
        assert count_params(m, model_widths(m, input_dim(d) or 1, 1)) <= lim.params
        if d["source"] == "builtin" and d.get("name") not in ("mnist", "fashion-mnist"):
            assert d.get("n", 1000) * (input_dim(d) or 1) <= lim.data
    assert spec.n_combos() <= lim.variants


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated(EXPERIMENTS))
def test_mutated_experiment_files_validate_or_fail_in_one_line(case):
    name, doc = case
    text = _text(doc)
    if text is None:
        return
    tracemalloc.start()
    try:
        try:
            spec = load_spec(text)
        except MlplabError as exc:
            msg = str(exc)
            assert msg and "\n" not in msg and "Traceback" not in msg
            spec = None
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 30_000_000, (name, peak)
    if spec is not None:
        _accepted_respects_the_caps(spec)
        _accepted_respects_the_caps(spec.quick_spec())


def _lesson_keys(name: str) -> list[str]:
    from mlplab.experiments.registry import get_run

    return [o.name for o in get_run(name).options] + ["seed", "bogus"]


@st.composite
def mutated_lesson(draw):
    """A lesson run file with its own options (and [run] seed/quick/name) set to odd values."""
    name = draw(st.sampled_from(sorted(LESSONS)))
    doc = copy.deepcopy(LESSONS[name])
    opts = doc.setdefault("options", {})
    for _ in range(draw(st.integers(1, 3))):
        where = draw(st.sampled_from(["options", "options", "options", "run"]))
        if where == "run":
            doc["run"][draw(st.sampled_from(["seed", "quick", "name"]))] = draw(SCALARS)
        else:
            opts[draw(st.sampled_from(_lesson_keys(name)))] = draw(SCALARS)
    return name, doc


@pytest.mark.slow
@pytest.mark.skipif(not BIN.exists(), reason="the mlplab console script is not installed")
@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow,
          HealthCheck.function_scoped_fixture])  # fmt: skip
@given(mutated_lesson())
def test_mutated_lesson_files_run_or_fail_in_one_line(tmp_path, case):
    name, doc = case
    text = _text(doc)
    if text is None:
        return
    f = tmp_path / f"{name}-fuzz.toml"
    f.write_text(text, encoding="utf-8")
    code, out, err, rss = run_measured(["run", str(f), "--no-save", "--quick"], tmp_path,
                                       timeout=240)  # fmt: skip
    assert code in (0, 1, 2), (code, err[-2000:])
    assert "Traceback" not in out + err, err[-2000:]
    if code == 2:
        assert err.count("\n") == 1 and err.startswith("mlplab: error: "), err
    assert rss < MAX_RSS_MB + 200, rss
