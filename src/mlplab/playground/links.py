"""Share links: the page's URL hash, in mlplab's form or TensorFlow Playground's.

The page sends its raw hash (``#activation=relu&networkShape=4,2&...``) when it opens a
session; :func:`parse_link` reads it here, key by key, so that a teacher's existing TF
Playground links open the same setup:

* **TF's form** (``state.ts``): every input feature as its own boolean
  (``x=true&y=true&xSquared=false&...&cosX=false``), the seed as a string such as
  ``seed=0.12345``, ``networkShape=4,2`` (empty: no hidden layer), ``batchSize``,
  ``percTrainData``, ``regDataset``, ``problem``, ``initZero``, ``hideText``,
  ``collectStats``, ``tutorial`` and ``<control>_hide=true``.  Booleans follow TF: any value
  but ``false`` is true.  URL noise follows TF's rule (:func:`~mlplab.playground.schema.noise_from_url`).
* **mlplab's form** (what the page writes): the same keys, features as one list
  (``features=x,y``), integer seeds (``seed``, ``initSeed``), mlplab's own fields
  (``loss``, ``optimizer``, ``standardize``, ...), ``lang=ko``, ``lesson=NAME``.

Every key is checked on its own (:func:`mlplab.playground.schema.validate_state`): a key the
page does not know or a value outside its range is left out, and :attr:`Link.notes` says so
in one line each, while everything else in the link is used.  TF's seed strings become
mlplab's integer seeds (``0.12345`` -> ``12345``): the same link always gives the same points,
though not TF's points (TF's random generator is another one).  A link without a seed gets
one drawn at random by the caller (TF does the same; :data:`FRESH_SEEDS`), which the page's
link then pins.
"""

from __future__ import annotations

import math
import zlib
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote

from mlplab.errors import MlplabError
from mlplab.i18n import LANGS
from mlplab.playground import schema

#: TF keys with no effect in TF itself (dead state): accepted and dropped without a note.
TF_DEAD_KEYS = frozenset({"cosX", "cosY", "collectStats"})
#: Keys the page handles itself (the access token travels in the hash too).
PAGE_KEYS = frozenset({"token"})
#: Longest link read (characters); a longer one is cut there.
MAX_LINK_CHARS = 8000
#: Seeds drawn when a link has none: mlplab's range of fresh seeds.
FRESH_SEEDS = 1_000_000
_BOOL_KEYS = frozenset(k for k, v in schema.DEFAULTS.items() if isinstance(v, bool))


@dataclass
class Link:
    """What a link says.

    Attributes
    ----------
    state : dict
        Partial state, every field valid on its own.
    lang : str or None
        ``en`` or ``ko`` when the link says.
    lesson : str or None
        The lesson named by ``lesson=`` (checked against the lessons by the caller).
    notes : list of str
        One line per key that was not used (or read in another form), for the page.
    """

    state: dict[str, Any] = field(default_factory=dict)
    lang: str | None = None
    lesson: str | None = None
    notes: list[str] = field(default_factory=list)


def tf_seed(text: str) -> int:
    """mlplab's integer seed for a TF seed string.

    TF writes ``Math.random().toFixed(5)``, a decimal in [0, 1): its five decimals are the
    seed (``"0.12345"`` -> ``12345``).  Any other text becomes its CRC-32 modulo the seed
    range, so the same link always gives the same seed.
    """
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if 0 <= value < 1:
        return int(round(value * 100_000))
    return zlib.crc32(text.encode("utf-8")) % (schema.MAX_SEED + 1)


def _pairs(text: str) -> list[tuple[str, str]]:
    text = text[:MAX_LINK_CHARS].lstrip("#")
    out = []
    for part in text.split("&"):
        if not part:
            continue
        key, _, value = part.partition("=")
        out.append((unquote(key), unquote(value)))
    return out


def _short(key: str, value: str) -> str:
    """``key=value`` as the page shows it: printable, at most 40 characters each."""

    def cut(text: str) -> str:
        text = "".join(c if c.isprintable() else "?" for c in text)
        return text if len(text) <= 40 else text[:39] + "…"

    return f"{cut(key)}={cut(value)}" if value != "" else cut(key)


def _convert(key: str, value: str) -> Any:
    """A link's text as the state field's type (validated afterwards)."""
    default = schema.DEFAULTS[key]
    if key in _BOOL_KEYS:
        return value != "false"  # TF: any value but "false" is true
    if key in ("features", "hide"):
        return [v for v in value.split(",") if v] if value else []
    if key == "networkShape":
        return [_number(v) for v in value.split(",")] if value else []
    if isinstance(default, (int, float)):
        return _number(value)
    return value


def _number(text: str) -> int | float | str:
    try:
        v = float(text)
    except ValueError:
        return text  # the validation names it
    if not math.isfinite(v):
        return text
    return int(v) if v.is_integer() and "." not in text and "e" not in text.lower() else v


def parse_link(text: str, *, lessons: set[str] | frozenset[str] = frozenset()) -> Link:
    """Read a share link's hash (TF's or mlplab's form).

    Parameters
    ----------
    text : str
        The hash, with or without its ``#``.
    lessons : set of str
        Lesson names that ``lesson=`` may name.

    Returns
    -------
    Link
        The usable state and what the page should be told about the rest.
    """
    link = Link()
    raw: dict[str, Any] = {}
    tf_features: dict[str, bool] = {}
    hide: dict[str, bool] = {}
    for key, value in _pairs(text):
        if key in PAGE_KEYS or key in TF_DEAD_KEYS:
            continue
        if key == "lang":
            if value in LANGS:
                link.lang = value
            else:
                link.notes.append(f"{_short(key, value)}: lang must be one of {', '.join(LANGS)}")
        elif key == "lesson":
            if value in lessons:
                link.lesson = value
            else:
                link.notes.append(f"{_short(key, value)}: no lesson of that name")
        elif key == "tutorial":
            if value:
                link.notes.append(f"{_short(key, value)}: TF Playground's tutorials are not here")
        elif key.endswith("_hide"):
            name = key[: -len("_hide")]
            if name in schema.HIDABLE or name in schema.FEATURES:
                hide[name] = value != "false"
            else:
                link.notes.append(f"{_short(key, value)}: no control of that name to hide")
        elif key in schema.FEATURES:  # TF's form: one boolean per input feature
            tf_features[key] = value != "false"
        elif key == "seed" or key == "initSeed":
            try:
                seed = int(value)
            except ValueError:
                raw[key] = tf_seed(value)
                if key == "seed":
                    link.notes.append(
                        f"{_short(key, value)}: TF's seed read as seed={raw[key]} (the same"
                        " points every time, not TF's points)"
                    )
                else:
                    link.notes.append(f"{_short(key, value)}: initSeed must be an integer")
                    del raw[key]
            else:
                raw[key] = seed
        elif key == "noise":
            raw[key] = schema.noise_from_url(_number(value))
        elif key in schema.DEFAULTS:
            raw[key] = _convert(key, value)
        else:
            link.notes.append(f"{_short(key, value)}: not a playground setting")
    if "features" not in raw and tf_features:
        raw["features"] = [f for f in schema.FEATURES if tf_features.get(f)]
    if hide:
        raw["hide"] = sorted(set(raw.get("hide", [])) | {k for k, on in hide.items() if on})
    for key, value in raw.items():
        try:
            checked = schema.validate_state({key: value})[key]
        except MlplabError as exc:
            link.notes.append(f"{_short(key, _text(value))}: {exc}")
            continue
        ds = {"dataset", "regDataset", "mcDataset"}
        if key in ds and checked == "upload":
            link.notes.append(f"{key}=upload: upload the CSV file again (files are not in links)")
            continue
        link.state[key] = checked
    return link


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return ",".join(map(str, value))
    return str(value)
