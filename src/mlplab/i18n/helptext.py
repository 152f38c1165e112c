"""argparse in the user's language: the parser of ``mlplab`` and ``mlplab search``.

* ``-h, --help`` explained in ``lang`` (the other help sentences are given by the caller, from
  :mod:`mlplab.i18n.messages` ``help.*``); argparse's own words (``usage:``, ``options:``) stay.
* Help text wrapped by terminal columns, not characters: a Hangul syllable takes two columns,
  so Korean help wraps as wide as English help (ASCII text wraps exactly as argparse does).
* Errors are one line (exit code 2), in ``lang`` (:func:`mlplab.i18n.errors.line`: argparse's
  English message translated, the option, the value and the choices kept).
"""

from __future__ import annotations

import argparse

from . import t, width
from .errors import line

__all__ = ["Parser", "HelpFormatter"]


class HelpFormatter(argparse.HelpFormatter):
    """argparse's formatter, wrapping text with wide characters by their terminal width."""

    def _split_lines(self, text, width_):
        if width(text) == len(text):  # no wide characters: argparse's own wrapping
            return super()._split_lines(text, width_)
        return _wrap(self._whitespace_matcher.sub(" ", text).strip(), width_)

    def _fill_text(self, text, width_, indent):
        if width(text) == len(text):
            return super()._fill_text(text, width_, indent)
        text = self._whitespace_matcher.sub(" ", text).strip()
        return "\n".join(indent + line for line in _wrap(text, width_ - len(indent)))


def _wrap(text: str, columns: int) -> list[str]:
    """Words of ``text`` greedily into lines of at most ``columns`` terminal columns."""
    lines: list[str] = []
    cur = ""
    for word in text.split(" "):
        cand = f"{cur} {word}" if cur else word
        if cur and width(cand) > columns:
            lines.append(cur)
            cur = word
        else:
            cur = cand
    if cur:
        lines.append(cur)
    return lines


class Parser(argparse.ArgumentParser):
    """argparse with one-line errors (exit code 2) and ``-h`` explained in ``lang``."""

    def __init__(self, *args, lang: str = "en", **kw):
        add_help = kw.pop("add_help", True)
        kw.setdefault("formatter_class", HelpFormatter)
        super().__init__(*args, add_help=False, **kw)
        self.lang = lang
        if add_help:
            self.add_argument("-h", "--help", action="help", default=argparse.SUPPRESS,
                              help=t("help.help", lang))  # fmt: skip

    def error(self, message):
        self.exit(2, line(self.prog, message, self.lang) + "\n")
