"""One table of English and Korean words and messages for everything that teaches.

The command line, the figures, the run reports, the notebooks and the playground page read
their words from here, so a term is translated once and the same everywhere — with the
course material's own Korean terms (에포크, 학습률, 활성화 함수, 은닉층, 배치 크기, 갱신,
반복/이터레이션; see :data:`mlplab.i18n.glossary.TERMS`).

* :func:`t` — a term or a message in a language, with ``{placeholders}`` filled:
  ``t("epoch", "ko") == "에포크"``, ``t("cli.run_folder", "ko", path="runs/x")``.
* :func:`default_lang` — the language of the command line when ``--lang`` is not given:
  ``MLPLAB_LANG`` (``en`` or ``ko``), else the locale (``LC_ALL``, ``LC_MESSAGES``, ``LANG``,
  first one set, as POSIX): ``ko_KR.UTF-8`` and any ``ko*`` mean Korean, anything else English.
* :func:`check_lang` — validate a language code (one-line :class:`~mlplab.errors.ConfigError`).
* :func:`table` — the whole table as plain JSON-able dicts (for the playground page).
* :func:`width` / :func:`pad` — a string's width on a terminal (Hangul takes two columns) and
  padding to a width, so Korean table columns line up.
"""

from __future__ import annotations

import os
import unicodedata
from collections.abc import Mapping

from ..errors import ConfigError
from .glossary import TERMS
from .messages import MESSAGES

__all__ = [
    "LANGS",
    "TERMS",
    "MESSAGES",
    "t",
    "term",
    "has",
    "default_lang",
    "check_lang",
    "table",
    "width",
    "pad",
]

#: Supported languages, English first (the fallback of the code, not of the user).
LANGS = ("en", "ko")


def check_lang(lang, name: str = "--lang") -> str:
    """Return ``lang`` if it is a supported language code, else raise a one-line ConfigError."""
    if lang not in LANGS:
        raise ConfigError(f"{name} must be one of {', '.join(LANGS)}; got {lang!r}")
    return lang


def default_lang(environ: Mapping[str, str] | None = None) -> str:
    """The user's language: ``MLPLAB_LANG``, else ``ko`` for a Korean locale, else ``en``.

    ``MLPLAB_LANG`` must be ``en`` or ``ko`` (anything else is a one-line error naming it).
    The locale is the first non-empty of ``LC_ALL``, ``LC_MESSAGES`` and ``LANG`` (the POSIX
    order for messages); it is Korean when it starts with ``ko`` (``ko_KR.UTF-8``, ``ko``).
    """
    env = os.environ if environ is None else environ
    forced = (env.get("MLPLAB_LANG") or "").strip()
    if forced:
        return check_lang(forced.lower(), "MLPLAB_LANG")
    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = (env.get(var) or "").strip()
        if value:
            return "ko" if value.lower().startswith("ko") else "en"
    return "en"


def has(key: str) -> bool:
    """True if ``key`` is a term or a message of the table."""
    return key in TERMS or key in MESSAGES


def t(key: str, lang: str = "en", /, **kw) -> str:
    """The term or message ``key`` in ``lang``, with ``{name}`` placeholders filled from ``kw``.

    Raises ``KeyError`` for an unknown key (a typo must not silently print the key).
    """
    check_lang(lang, "lang")
    pair = TERMS.get(key) or MESSAGES.get(key)
    if pair is None:
        raise KeyError(f"no term or message {key!r} in mlplab.i18n")
    s = pair[LANGS.index(lang)]
    return s.format(**kw) if kw else s


def term(key: str, lang: str = "en") -> str:
    """A glossary term (``term("learning_rate", "ko") == "학습률"``)."""
    check_lang(lang, "lang")
    return TERMS[key][LANGS.index(lang)]


def table() -> dict:
    """``{"terms": {key: {"en": ..., "ko": ...}}, "messages": {...}}`` for other front ends."""
    return {
        "terms": {k: dict(zip(LANGS, v)) for k, v in TERMS.items()},
        "messages": {k: dict(zip(LANGS, v)) for k, v in MESSAGES.items()},
    }


def width(s: str) -> int:
    """Columns ``s`` takes on a terminal: 2 for a wide character (Hangul, CJK), else 1."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in s)


def pad(s: str, n: int, align: str = "<") -> str:
    """``s`` padded with spaces to ``n`` terminal columns (``f"{s:<n}"`` for ASCII text).

    ``align`` is ``"<"`` (left) or ``">"`` (right); a string wider than ``n`` is unchanged.
    """
    fill = " " * max(0, n - width(s))
    return fill + s if align == ">" else s + fill
