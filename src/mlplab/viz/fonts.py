"""Fonts and label translations for figures (English / Korean).

Figures are built with :class:`matplotlib.figure.Figure` (never ``pyplot``), so the font is
applied per figure (:func:`apply_font`) instead of through global ``rcParams``; two threads
drawing an English and a Korean figure at the same time do not disturb each other.

For ``lang="ko"`` a Hangul-capable font is needed (Debian/Ubuntu: ``apt install fonts-nanum``).
When none is installed, :func:`resolve_lang` falls back to English once, with a single warning,
instead of letting matplotlib print one "Glyph missing" warning per character.
"""

from __future__ import annotations

import os
import threading
import warnings
from functools import lru_cache

from ..errors import check_choice

LANGS = ("en", "ko")

#: Hangul-capable families, most preferred first.
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

#: Font files tried when the family is not yet in matplotlib's font cache
#: (e.g. the package was installed after the cache was built).
HANGUL_FILES = (
    "/usr/share/fonts/truetype/nanum/NanumGothic.ttf",
    "/usr/share/fonts/truetype/nanum/NanumBarunGothic.ttf",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/truetype/unfonts-core/UnDotum.ttf",
)

_LOCK = threading.Lock()
_WARNED = False

_TEXT = {
    "loss": ("loss", "손실"),
    "accuracy": ("accuracy", "정확도"),
    "acc": ("accuracy", "정확도"),
    "epoch": ("epoch", "에폭"),
    "epochs": ("epochs", "에폭"),
    "step": ("step", "스텝"),
    "iteration": ("iteration", "반복"),
    "iterations": ("iterations", "반복 횟수"),
    "train": ("train", "훈련"),
    "test": ("test", "테스트"),
    "val": ("validation", "검증"),
    "validation": ("validation", "검증"),
    "value": ("value", "값"),
    "frequency": ("frequency", "빈도"),
    "feature1": ("Feature 1", "특성 1"),
    "feature2": ("Feature 2", "특성 2"),
    "decision_boundary": ("Decision Boundary", "결정 경계"),
    "before_update": ("Before Update", "업데이트 전"),
    "after_update": ("After Update", "업데이트 후"),
    "histogram_of": ("Histogram of {}", "{} 히스토그램"),
    "layer": ("{}-layer", "{}층"),
    "derivative": ("derivative", "도함수"),
    "function": ("function", "함수"),
    "activation_functions": ("Activation functions", "활성화 함수"),
    "learning_rate": ("learning rate", "학습률"),
    "gradient": ("gradient", "기울기"),
    "confusion_matrix": ("Confusion matrix", "혼동 행렬"),
    "true_label": ("true label", "실제 레이블"),
    "predicted_label": ("predicted label", "예측 레이블"),
    "first_layer_weights": ("First-layer weights", "첫 층 가중치"),
    "network": ("Network", "신경망"),
    "more": ("… {} more", "… {}개 더"),
    "gd_path": ("Gradient descent", "경사 하강법"),
    "optimizer_paths": ("Optimizer paths", "옵티마이저 경로"),
}


def text(key: str, lang: str = "en", *args) -> str:
    """Translate a label key, e.g. ``text("loss", "ko") == "손실"``.

    Unknown keys are returned unchanged (so any string may be passed through); ``args``
    fill ``{}`` placeholders (``text("layer", "en", 3) == "3-layer"``).
    """
    check_choice("lang", lang, LANGS)
    pair = _TEXT.get(key)
    s = key if pair is None else pair[LANGS.index(lang)]
    return s.format(*args) if args else s


@lru_cache(maxsize=1)
def hangul_family() -> str | None:
    """Return the name of an installed Hangul-capable font family, or ``None``."""
    from matplotlib import font_manager

    with _LOCK:
        names = {f.name for f in font_manager.fontManager.ttflist}
        for fam in HANGUL_FAMILIES:
            if fam in names:
                return fam
        for path in HANGUL_FILES:
            if os.path.exists(path):
                try:
                    font_manager.fontManager.addfont(path)
                except (OSError, RuntimeError, ValueError):  # pragma: no cover - broken file
                    continue
                return font_manager.FontProperties(fname=path).get_name()
    return None


def resolve_lang(lang: str) -> str:
    """Return ``lang`` if it can be drawn, else ``"en"`` (warning once per process)."""
    global _WARNED
    check_choice("lang", lang, LANGS)
    if lang == "ko" and hangul_family() is None:
        if not _WARNED:
            _WARNED = True
            warnings.warn(
                "no Hangul font found (install fonts-nanum); drawing labels in English",
                RuntimeWarning,
                stacklevel=3,
            )
        return "en"
    return lang


def setup_fonts(lang: str = "en") -> list[str]:
    """Return the font family list to use for ``lang`` (Hangul font first for ``"ko"``).

    The font is registered with matplotlib if needed; global ``rcParams`` are not changed.
    Falls back to the default family (with one warning) when no Hangul font exists.
    """
    lang = resolve_lang(lang)
    if lang == "ko":
        # DejaVu Sans second: per-glyph fallback for the minus sign, Greek letters, ∂ ...
        return [hangul_family(), "DejaVu Sans"]
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
