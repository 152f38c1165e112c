"""Is an output Korean?  Lines that still teach in English, found by their words.

A line of Korean output may hold English names (ReLU, Xavier, np.random.seed, --data, run keys
like ``weight decay 0.1``) but no English sentence: three English words in a row, or two of
English's small words (the, of, and, ...; lower case), outside the names the caller allows, is a line left
untranslated.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys

#: three words of two or more letters in a row, separated by spaces (a list "a, b, c" of names
#: is not a sentence)
ENGLISH_RUN = re.compile(r"\b[A-Za-z]{2,}(?:'s)?(?: +[A-Za-z]{2,}(?:'s)?){2,}\b")


#: English's small words: two in a line are a sentence, not a name
SMALL = {"the", "of", "and", "to", "in", "on", "at", "is", "are", "for", "with", "not", "as",
         "by", "from", "an", "or", "its", "each", "every", "per", "when", "after", "before",
         "than", "this", "that", "be", "vs", "into", "over", "only", "all", "no", "here"}  # fmt: skip


def hangul(s: str) -> bool:
    return any("\uac00" <= ch <= "\ud7a3" for ch in s)


def english_lines(text: str, allowed=()) -> list[str]:
    """The lines of ``text`` with an English phrase once every string of ``allowed`` is cut."""
    out = []
    for line in text.splitlines():
        rest = line
        for a in sorted(allowed, key=len, reverse=True):
            rest = rest.replace(a, " ")
        small = [w for w in re.findall(r"[A-Za-z_]+", rest) if w in SMALL]
        if ENGLISH_RUN.search(rest) or len(small) >= 2:
            out.append(line)
    return out


def mlplab_cli(args, cwd, env=None) -> subprocess.CompletedProcess:
    """The real ``mlplab`` command in ``cwd`` with no language from this shell (``LANG``,
    ``LC_*``, ``MLPLAB_LANG`` removed), then ``env`` added: the language is what a test sets."""
    base = {k: v for k, v in os.environ.items() if k not in ("LANG", "LC_ALL", "LC_MESSAGES")}
    base.pop("MLPLAB_LANG", None)
    return subprocess.run(
        [sys.executable, "-m", "mlplab.cli", *args],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=cwd,
        env={**base, **(env or {})},
    )
