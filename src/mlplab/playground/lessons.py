"""Lessons: a setup, a question, a goal checked live, hints and an explanation.

A lesson is a small TOML file a teacher writes (format: ``docs/playground-lessons.md``)::

    title.en = "XOR: is a linear network enough?"
    title.ko = "XOR: 선형 신경망으로 충분할까?"
    question.en = "..."
    question.ko = "..."

    [setup]                # the page's settings when the lesson opens (link keys, mlplab's form)
    dataset = "xor"
    activation = "linear"
    networkShape = [4, 2]
    seed = 1

    [goal]                 # checked after every epoch
    test_loss_below = 0.1  # and/or train_loss_below, test_accuracy_above, train_accuracy_above
    within = 200           # epochs
    max_neurons = 4        # optional: hidden neurons in all; max_layers: hidden layers

    [[hints]]              # shown one at a time, on request
    en = "..."
    ko = "..."

    [answer]               # settings that meet the goal (shown on request; tests check them)
    activation = "relu"

    [explanation]          # shown when the goal is met
    en = "..."
    ko = "..."

Every text is given in English and Korean.  :func:`load_lesson` checks everything a file says
and answers a mistake with one line naming the file, the field and what is allowed.  The
built-in lessons (``lessons/*.toml`` in this package, seed 002's Playground quizzes) and a
teacher's folder (``mlplab playground --lessons DIR``) make the :func:`catalog`.
"""

from __future__ import annotations

import math
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mlplab.errors import ConfigError, MlplabError
from mlplab.i18n import LANGS, t
from mlplab.playground import schema

BUILTIN = Path(__file__).with_name("lessons")
#: The metrics a goal may bound: key -> (frame field, "below" or "above").
METRICS = {
    "test_loss_below": ("loss_test", "below"),
    "train_loss_below": ("loss_train", "below"),
    "test_accuracy_above": ("acc_test", "above"),
    "train_accuracy_above": ("acc_train", "above"),
}
MAX_WITHIN = 100_000
MAX_LESSON_BYTES = 64_000
MAX_TEXT_CHARS = 2000
MAX_HINTS = 10
NAME = re.compile(r"^[a-z0-9][a-z0-9_-]{0,39}$")
_TOP = {"title", "question", "setup", "goal", "hints", "answer", "explanation"}
_GOAL = {*METRICS, "within", "max_neurons", "max_layers", "keep"}


#: Settings a goal may keep fixed, with the page word that names each one.
KEEPABLE = {
    "learningRate": "lr",
    "activation": "activation",
    "regularization": "regularization",
    "regularizationRate": "regRate",
    "batchSize": "batch",
    "features": "features",
    "problem": "problem",
    "dataset": "dataset",
    "noise": "noise",
    "percTrainData": "ratio",
    "optimizer": "optimizer",
    "loss": "loss",
}


@dataclass(frozen=True)
class Goal:
    """What the network must reach, in how many epochs, with how big a network, and which
    of the setup's settings must stay as they are."""

    metrics: dict[str, float]  #: METRICS key -> bound
    within: int  #: epochs
    max_neurons: int | None = None  #: hidden neurons in all
    max_layers: int | None = None  #: hidden layers
    keep: tuple[str, ...] = ()  #: KEEPABLE settings that must keep the setup's value

    def text(self, lang: str) -> str:
        """The goal in words, e.g. ``test loss < 0.1 within 200 epochs, at most 4 hidden neurons``."""
        parts = [t(f"page.goal_{k}", lang, value=f"{v:g}") for k, v in self.metrics.items()]
        out = t("page.goal_within", lang, what=t("page.goal_and", lang).join(parts), n=self.within)
        if self.max_layers == 0:
            out += t("page.goal_no_hidden", lang)
        elif self.max_layers is not None:
            out += t("page.goal_max_layers", lang, n=self.max_layers)
        if self.max_neurons is not None:
            out += t("page.goal_max_neurons", lang, n=self.max_neurons)
        if self.keep:
            names = ", ".join(t(f"page.{KEEPABLE[k]}", lang) for k in self.keep)
            out += t("page.goal_keep", lang, names=names)
        return out

    def broken(self, state: dict[str, Any], setup: dict[str, Any]) -> list[str]:
        """The rules a setup ``state`` breaks: ``max_layers``, ``max_neurons`` or a kept key."""
        shape = state["networkShape"]
        out = []
        if self.max_layers is not None and len(shape) > self.max_layers:
            out.append("max_layers")
        if self.max_neurons is not None and sum(shape) > self.max_neurons:
            out.append("max_neurons")
        defaults = schema.DEFAULTS
        out += [k for k in self.keep if state[k] != setup.get(k, defaults[k])]
        return out

    def reached(self, s) -> bool:
        """True if session ``s``'s current losses/accuracies meet every bound."""
        for key, bound in self.metrics.items():
            attr, side = METRICS[key]
            v = getattr(s, attr)
            if v is None or not math.isfinite(v):
                return False
            if (side == "below" and not v < bound) or (side == "above" and not v > bound):
                return False
        return True


@dataclass(frozen=True)
class Lesson:
    """One lesson (see the module docstring for the file format)."""

    name: str
    title: dict[str, str]
    question: dict[str, str]
    setup: dict[str, Any]
    goal: Goal
    hints: tuple[dict[str, str], ...] = ()
    answer: dict[str, Any] = field(default_factory=dict)
    explanation: dict[str, str] = field(default_factory=dict)
    source: str = ""  #: where it came from ("built-in" or the file's name)

    def state(self, base: dict[str, Any] | None = None) -> dict[str, Any]:
        """The full state of the lesson's start: the defaults, then :attr:`setup`
        (the hidden controls of ``base`` stay, unless the setup hides its own)."""
        raw = dict(self.setup)
        if base is not None and "hide" not in raw:
            raw["hide"] = base["hide"]
        return schema.validate_state(raw)

    def progress(self) -> Progress:
        return Progress(self.goal, self.setup)

    def message(self) -> dict[str, Any]:
        """The ``lesson`` message: every text in both languages, the goal in words."""
        return {
            "type": "lesson",
            "name": self.name,
            "title": self.title,
            "question": self.question,
            "goal": {lang: self.goal.text(lang) for lang in LANGS},
            "within": self.goal.within,
            "hints": list(self.hints),
            "answer": self.answer,
            "explanation": self.explanation,
        }


class Progress:
    """A lesson's goal over one run of the network (a new one after every reset).

    After every epoch :meth:`after_epoch` checks the goal; it is **met** at the first epoch
    ``<= within`` where every bound holds and no rule is broken (size limits, kept
    settings), and **missed** when epoch ``within`` passes without that.  Training pauses
    once at either moment (:attr:`pause_now`), so the class sees it; Play goes on from there.
    """

    def __init__(self, goal: Goal, setup: dict[str, Any]):
        self.goal = goal
        self.setup = setup
        self.met_epoch: int | None = None
        self.missed = False
        self.pause_now = False

    def after_epoch(self, s) -> None:
        g = self.goal
        self.pause_now = False
        if self.met_epoch is not None or self.missed:
            return
        if s.epoch <= g.within and not g.broken(s.state, self.setup) and g.reached(s):
            self.met_epoch = s.epoch
            self.pause_now = True
        elif s.epoch >= g.within:
            self.missed = True
            self.pause_now = True

    def status(self, s) -> dict[str, Any]:
        """``{"state": "met" | "missed" | "trying" | "broken", "epoch", "within", "broken"}``;
        ``broken`` lists the rules the current setup breaks (``max_layers``, ``max_neurons``
        or a kept setting's name)."""
        broken = self.goal.broken(s.state, self.setup)
        if self.met_epoch is not None:
            state = "met"
        elif broken:
            state = "broken"
        elif self.missed:
            state = "missed"
        else:
            state = "trying"
        return {
            "state": state,
            "epoch": self.met_epoch if self.met_epoch is not None else s.epoch,
            "within": self.goal.within,
            "broken": broken,
        }


# --- reading lesson files --------------------------------------------------------------------
def _fail(where: str, message: str) -> None:
    raise ConfigError(f"lesson {where}: {message}")


def _texts(where: str, key: str, value: Any) -> dict[str, str]:
    """A text in every language: ``{en = "...", ko = "..."}``."""
    if not isinstance(value, dict):
        _fail(where, f'{key} must be a table of texts {{en = "...", ko = "..."}}')
    missing = [lang for lang in LANGS if not isinstance(value.get(lang), str) or not value[lang]]
    if missing:
        _fail(
            where, f"{key} needs a text in {' and '.join(missing)} (languages: {', '.join(LANGS)})"
        )
    extra = sorted(set(value) - set(LANGS))
    if extra:
        _fail(where, f"{key} has unknown language(s) {', '.join(extra)}; use {', '.join(LANGS)}")
    for lang in LANGS:
        if len(value[lang]) > MAX_TEXT_CHARS:
            _fail(where, f"{key}.{lang} must be at most {MAX_TEXT_CHARS} characters")
    return {lang: _paragraphs(value[lang]) for lang in LANGS}


def _paragraphs(text: str) -> str:
    """A text as the page shows it: the lines of a paragraph joined, blank lines kept."""
    paras = re.split(r"\n\s*\n", text.strip())
    return "\n\n".join(" ".join(p.split()) for p in paras)


def _settings(where: str, key: str, value: Any) -> dict[str, Any]:
    """A partial page state, every field checked (``setup`` and ``answer``)."""
    if not isinstance(value, dict):
        _fail(where, f"[{key}] must be a table of page settings")
    unknown = sorted(k for k in value if k not in schema.DEFAULTS)
    if unknown:
        _fail(where, f"{key}.{unknown[0]} is not a page setting (see schema.DEFAULTS)")
    out = {}
    for k, v in value.items():
        try:
            out[k] = schema.validate_state({k: v})[k]
        except MlplabError as exc:
            _fail(where, f"{key}: {exc}")
        if k in ("dataset", "regDataset", "mcDataset") and v == "upload":
            _fail(where, f"{key}.{k} cannot be 'upload' (a lesson has no file)")
    return out


def _int(where: str, key: str, value: Any, lo: int, hi: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not lo <= value <= hi:
        _fail(where, f"{key} must be an integer in [{lo}, {hi}], got {value!r}")
    return value


def _goal(where: str, value: Any) -> Goal:
    if not isinstance(value, dict):
        _fail(where, "[goal] must be a table")
    unknown = sorted(set(value) - _GOAL)
    if unknown:
        _fail(where, f"goal.{unknown[0]} is unknown; a goal has {', '.join(sorted(_GOAL))}")
    metrics = {}
    for key in METRICS:
        if key in value:
            v = value[key]
            if isinstance(v, bool) or not isinstance(v, (int, float)) or not 0 < v <= 100:
                _fail(where, f"goal.{key} must be a number in (0, 100], got {v!r}")
            if "accuracy" in key and v >= 1:
                _fail(where, f"goal.{key} is a fraction in (0, 1), got {v!r}")
            metrics[key] = float(v)
    if not metrics:
        _fail(where, f"[goal] needs one of {', '.join(METRICS)}")
    if "within" not in value:
        _fail(where, "goal.within (epochs) is missing")
    within = _int(where, "goal.within", value["within"], 1, MAX_WITHIN)
    mx_n = value.get("max_neurons")
    mx_l = value.get("max_layers")
    if mx_n is not None:
        mx_n = _int(where, "goal.max_neurons", mx_n, 0, schema.MAX_LAYERS * schema.MAX_NEURONS)
    if mx_l is not None:
        mx_l = _int(where, "goal.max_layers", mx_l, 0, schema.MAX_LAYERS)
    keep = value.get("keep", [])
    if not isinstance(keep, list) or any(k not in KEEPABLE for k in keep):
        _fail(where, f"goal.keep must be a list of settings among {', '.join(KEEPABLE)}")
    return Goal(metrics, within, mx_n, mx_l, tuple(keep))


def parse_lesson(
    text: str, name: str, where: str | None = None, source: str | None = None
) -> Lesson:
    """A lesson from TOML text (see the module docstring); one-line errors name ``where``."""
    where = where or name
    if not NAME.match(name):
        _fail(where, "the file name must be 1-40 of a-z, 0-9, - and _ (it is the lesson's name)")
    if len(text.encode("utf-8")) > MAX_LESSON_BYTES:
        _fail(where, f"the file must be at most {MAX_LESSON_BYTES} bytes")
    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        _fail(where, f"not valid TOML ({' '.join(str(exc).split())})")
    unknown = sorted(set(doc) - _TOP)
    if unknown:
        _fail(where, f"'{unknown[0]}' is unknown; a lesson has {', '.join(sorted(_TOP))}")
    for key in ("title", "question", "setup", "goal"):
        if key not in doc:
            _fail(where, f"'{key}' is missing")
    hints = doc.get("hints", [])
    if not isinstance(hints, list) or len(hints) > MAX_HINTS:
        _fail(where, f"hints must be a list of at most {MAX_HINTS} [[hints]] tables")
    setup = _settings(where, "setup", doc["setup"])
    return Lesson(
        name=name,
        title=_texts(where, "title", doc["title"]),
        question=_texts(where, "question", doc["question"]),
        setup=setup,
        goal=_goal(where, doc["goal"]),
        hints=tuple(_texts(where, f"hints[{i}]", h) for i, h in enumerate(hints)),
        answer=_settings(where, "answer", doc.get("answer", {})),
        explanation=_texts(where, "explanation", doc["explanation"])
        if "explanation" in doc
        else {},
        source=source or where,
    )


def load_lesson(path: str | Path, source: str | None = None) -> Lesson:
    """A lesson file; its name is the file name without ``.toml``."""
    path = Path(path)
    try:
        size = path.stat().st_size
        if size > MAX_LESSON_BYTES:
            _fail(path.name, f"the file must be at most {MAX_LESSON_BYTES} bytes")
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        _fail(path.name, "the file must be UTF-8 text")
    except OSError as exc:
        _fail(path.name, f"cannot be read ({exc.strerror})")
    return parse_lesson(text, path.stem, path.name, source)


def load_folder(folder: str | Path, source: str | None = None) -> dict[str, Lesson]:
    """Every ``*.toml`` lesson of a folder, by name (the first error stops: one line)."""
    folder = Path(folder)
    if not folder.is_dir():
        raise ConfigError(f"--lessons must be a folder of .toml lesson files, got {str(folder)!r}")
    out = {}
    for path in sorted(folder.glob("*.toml")):
        lesson = load_lesson(path, source)
        out[lesson.name] = lesson
    if not out:
        raise ConfigError(f"--lessons: no .toml lesson file in {str(folder)!r}")
    return out


def catalog(folder: str | Path | None = None) -> dict[str, Lesson]:
    """The built-in lessons, then a teacher's folder's (a name in both: the folder's)."""
    out = load_folder(BUILTIN, "built-in")
    if folder is not None:
        out.update(load_folder(folder))
    return out
