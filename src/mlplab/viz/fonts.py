"""Fonts and label translations for figures (English / Korean).

Figures are built with :class:`matplotlib.figure.Figure` (never ``pyplot``), so the font is
applied per figure (:func:`apply_font`) instead of through global ``rcParams``; two threads
drawing an English and a Korean figure at the same time do not disturb each other.

Hangul needs a Korean font.  mlplab depends on the pip package ``koreanize-matplotlib``
(MIT licence), which ships **NanumGothic** (© NAVER Corporation, SIL Open Font License 1.1 —
the same file as Debian's ``fonts-nanum``), so ``lang="ko"`` works after a plain
``pip install`` on any OS, without apt.  mlplab only reads the font file from that package: it
never imports ``koreanize_matplotlib`` (whose import changes matplotlib's global settings and
fails on Python ≥ 3.12).  The bundled font is preferred over system fonts so that Korean
figures look the same everywhere; installed Nanum/Noto CJK fonts are used when it is missing.
Without any Hangul font, ``lang="ko"`` is a one-line error — never a silent English figure.

Labels are translated by :func:`text`, which reads the project's one glossary
(:mod:`mlplab.i18n`).
"""

from __future__ import annotations

import importlib.util
import os
import threading
from functools import lru_cache
from pathlib import Path

from .. import i18n
from ..errors import MlplabError, check_choice

LANGS = i18n.LANGS

#: The pip package that ships the Korean font, and the font file in it.
FONT_PACKAGE = "koreanize_matplotlib"
FONT_FILE = "fonts/NanumGothic.ttf"
#: Named in reports and the README: what the font is and under which licence it comes.
FONT_LICENSE = (
    "NanumGothic © NAVER Corporation, SIL Open Font License 1.1 (via koreanize-matplotlib, MIT)"
)

#: Hangul-capable families already known to matplotlib, most preferred first.
HANGUL_FAMILIES = (
    "NanumGothic",
    "NanumBarunGothic",
    "NanumSquare",
    "Noto Sans CJK KR",
    "Noto Sans KR",
    "Malgun Gothic",
    "AppleGothic",
    "UnDotum",
)

#: System font files tried when the bundled font is missing.
HANGUL_FILES = (
    "/usr/share/fonts/truetype/nanum/NanumGothic.ttf",
    "/usr/share/fonts/truetype/nanum/NanumBarunGothic.ttf",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/truetype/unfonts-core/UnDotum.ttf",
)

_LOCK = threading.Lock()


class FontError(MlplabError, RuntimeError):
    """No font can draw Hangul (``lang="ko"``)."""


def bundled_font_path() -> Path | None:
    """The NanumGothic file shipped by ``koreanize-matplotlib``, found without importing it."""
    try:
        spec = importlib.util.find_spec(FONT_PACKAGE)
    except (ImportError, ValueError):
        return None
    for base in (spec.submodule_search_locations or []) if spec else []:
        path = Path(base) / FONT_FILE
        if path.is_file():
            return path
    return None


def text(key: str, lang: str = "en", *args) -> str:
    """Translate a label key, e.g. ``text("loss", "ko") == "손실"``.

    Keys are glossary terms or messages of :mod:`mlplab.i18n`; unknown keys are returned
    unchanged (so any string may be passed through); ``args`` fill ``{}`` placeholders
    (``text("layer", "en", 3) == "3-layer"``).
    """
    check_choice("lang", lang, LANGS)
    pair = i18n.TERMS.get(key) or i18n.MESSAGES.get(key)
    s = key if pair is None else pair[LANGS.index(lang)]
    return s.format(*args) if args else s


def _add_font(path) -> str | None:
    from matplotlib import font_manager

    try:
        font_manager.fontManager.addfont(str(path))
        return font_manager.FontProperties(fname=str(path)).get_name()
    except (OSError, RuntimeError, ValueError):  # pragma: no cover - broken file
        return None


@lru_cache(maxsize=1)
def hangul_family() -> str | None:
    """The name of a Hangul-capable font family (registered with matplotlib), or ``None``."""
    from matplotlib import font_manager

    with _LOCK:
        bundled = bundled_font_path()
        if bundled is not None:
            name = _add_font(bundled)
            if name:
                return name
        names = {f.name for f in font_manager.fontManager.ttflist}
        for fam in HANGUL_FAMILIES:
            if fam in names:
                return fam
        for path in HANGUL_FILES:
            if os.path.exists(path):
                name = _add_font(path)
                if name:
                    return name
    return None


def resolve_lang(lang: str) -> str:
    """Return ``lang`` if it can be drawn; ``"ko"`` without a Hangul font is a FontError."""
    check_choice("lang", lang, LANGS)
    if lang == "ko" and hangul_family() is None:
        raise FontError(
            "no font can draw Korean: reinstall mlplab (it depends on koreanize-matplotlib, "
            "which ships NanumGothic) or use --lang en"
        )
    return lang


def setup_fonts(lang: str = "en") -> list[str]:
    """The font family list to use for ``lang`` (the Hangul font first for ``"ko"``).

    The font is registered with matplotlib if needed; global ``rcParams`` are not changed.
    """
    lang = resolve_lang(lang)
    if lang == "ko":
        # DejaVu Sans first, as in English figures (digits, −, Greek, ∂ look the same);
        # matplotlib takes every glyph DejaVu lacks — Hangul — from the Korean font.
        return ["DejaVu Sans", hangul_family()]
    return ["DejaVu Sans"]


def apply_font(fig, lang: str = "en"):
    """Set the font family of every text artist of ``fig`` (thread-safe, per figure)."""
    from matplotlib.text import Text

    families = setup_fonts(lang)
    if families == ["DejaVu Sans"]:
        return fig
    for t in fig.findobj(Text):
        t.set_fontfamily(families)
    return fig
