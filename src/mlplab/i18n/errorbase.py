"""What the tables of error forms share: :class:`Form` and the small Korean helpers.

:mod:`mlplab.i18n.errors` (the validators, the command line, argparse) and
:mod:`mlplab.i18n.fileerrors` (data, model, experiment and lesson files, and the parse errors of
``tomllib`` and ``json`` inside them) build their forms from these.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from .glossary import TERMS

#: The last part of a field name (``--mlp-lr``, ``train.lr``, ``options.lr``) -> glossary key.
_FIELD_TERMS = {
    "lr": "learning_rate",
    "mlp_lr": "learning_rate",
    "epochs": "epochs",
    "mlp_epochs": "epochs",
    "batch_size": "batch_size",
    "iterations": "iterations",
    "activation": "activation",
    "hidden": "hidden_layer",
    "seed": "random_seed",
    "optimizer": "optimizer",
    "loss": "loss_function",
    "init": "initialization",
    "weight_decay": "weight_decay",
    "dropout": "dropout",
    "batchnorm": "batch_normalization",
    "layernorm": "layer_normalization",
}


def _field(name: str) -> str:
    """``--lr`` -> ``--lr(학습률)``: a field with a glossary term gets the Korean word."""
    last = re.sub(r"\[\d+\]$", "", name).lstrip("-").rsplit(".", 1)[-1].replace("-", "_")
    key = _FIELD_TERMS.get(last)
    if key is None or " " in name:
        return name
    return f"{name}({TERMS[key][1]})"


def _josa(word: str, with_final: str, without_final: str) -> str:
    """The particle after ``word``: ``with_final`` after a closed Hangul syllable (받침)."""
    ch = word[-1:]
    if "가" <= ch <= "힣":
        return with_final if (ord(ch) - 0xAC00) % 28 else without_final
    return with_final


def _be(noun: str) -> str:
    """``"수"`` -> ``"수여야 합니다"``, ``"문자열"`` -> ``"문자열이어야 합니다"``."""
    return noun + _josa(noun, "이어야", "여야") + " 합니다"


def _or(text: str) -> str:
    """``'a', 'b' or 'c'`` -> ``'a', 'b' 또는 'c'``."""
    return re.sub(r" or ", " 또는 ", text)


@dataclass(frozen=True)
class Form:
    """One message shape: ``pattern`` (matches a whole English message), the Korean (a template
    with the pattern's groups, ``{field}`` glossed, or a function of the match) and examples."""

    pattern: re.Pattern
    ko: str | Callable[[re.Match], str | None]
    examples: tuple[str, ...]

    def render(self, m: re.Match) -> str | None:
        if callable(self.ko):
            return self.ko(m)
        groups = {k: v if v is not None else "" for k, v in m.groupdict().items()}
        if "field" in groups:
            groups["field"] = _field(groups["field"])
        return self.ko.format(**groups)


def _f(pattern: str, ko, *examples: str) -> Form:
    return Form(re.compile(pattern), ko, examples)


#: OS error texts (``strerror``) a user meets when a file cannot be read or written.
_OS = {
    "Permission denied": "권한이 없습니다",
    "No such file or directory": "파일이나 폴더가 없습니다",
    "File exists": "이미 있는 파일입니다",
    "Is a directory": "폴더입니다(파일이 아님)",
    "Not a directory": "폴더가 아닙니다",
    "No space left on device": "디스크에 남은 공간이 없습니다",
    "Read-only file system": "읽기 전용 파일 시스템입니다",
    "File name too long": "파일 이름이 너무 깁니다",
}
_OS_RE = "|".join(map(re.escape, _OS))
