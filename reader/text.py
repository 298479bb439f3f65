"""The one normaliser: how Parallax folds text before it compares or searches it.

Outlets write the same words with different typography: curly or straight quotes, a hyphen, an
en dash or a non-breaking hyphen, "..." or "…", non-breaking or thin spaces. None of that is a
difference between two reports, and none of it should stop a search. Every comparison folds text
the same way (CollateX keeps the original beside the normalised form; so does Parallax: a
``Sentence`` keeps its ``text`` and its ``norm``, and spans always point into the original).

- ``fold_chars``: one character for one character (quotes, dashes, spaces), so offsets into the
  folded text are offsets into the original: what search highlights use;
- ``fold``: ``fold_chars`` plus the folds that change length ("…" to "...", zero-width marks
  dropped) and case: the form two words are compared in;
- ``normalise``: ``fold`` with runs of whitespace made one space: ``Sentence.norm``.
"""

from __future__ import annotations

import re

_ONE_FOR_ONE = str.maketrans(
    {
        "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'", "\u00b4": "'", "`": "'",
        "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"', "\u00ab": '"', "\u00bb": '"',
        "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2015": "-", "\u2212": "-",
        "\u00a0": " ", "\u202f": " ", "\u2009": " ", "\u2007": " ",
    }
)  # fmt: skip
_RESIZING = str.maketrans({"\u2026": "...", "\u200b": "", "\u200c": "", "\u200d": "", "\ufeff": ""})
_SPACE = re.compile(r"\s+")


def fold_chars(text: str) -> str:
    """Quotes, dashes and spaces made plain, one character for one: offsets still fit the original."""
    return text.translate(_ONE_FOR_ONE)


def fold(text: str) -> str:
    """The form two words are compared in: typography and case folded."""
    return text.translate(_ONE_FOR_ONE).translate(_RESIZING).casefold()


def normalise(text: str) -> str:
    """The form two passages are compared or searched in: ``fold`` with whitespace made single spaces."""
    return _SPACE.sub(" ", fold(text)).strip()
