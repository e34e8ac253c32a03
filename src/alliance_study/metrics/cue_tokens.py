"""What the cue matcher works on: a text's tokens (:class:`Tokens`), a match (:class:`Cue`), the
per-word candidate cache, and possessives.

:mod:`alliance_study.metrics.lexicon` compiles lexicons and matches them; it re-exports
:class:`Cue`, :class:`Tokens` and :func:`possessive_stem`.

Example
-------
>>> Tokens("The strike’s end.").words
['the', "strike's", 'end']
"""
from __future__ import annotations

from dataclasses import dataclass

from ..text import normalised_tokens, token_spans

_CACHE_MAX = 200_000  # distinct words whose candidate list is remembered per lexicon


@dataclass(frozen=True)
class Cue:
    """One matched cue: character span in the text, the matched text, its category and lexicon."""

    start: int
    end: int
    text: str
    category: str
    lexicon: str
    pattern: str


class Tokens:
    """One text prepared for matching, shared by the lexicons matched against it.

    ``words`` are the lower-case tokens (:func:`alliance_study.text.normalised_tokens`);
    ``spans`` (character offsets) and ``originals`` (tokens as written) are worked
    out on first use only, since most words start no cue.

    >>> t = Tokens("It’s May.")
    >>> t.words, t.spans, t.originals
    (["it's", 'may'], [(0, 4), (5, 8)], ['It’s', 'May'])
    """

    __slots__ = ("text", "words", "_spans", "_originals")

    def __init__(self, text: str, words: list | None = None) -> None:
        self.text = text
        self.words = normalised_tokens(text) if words is None else words
        self._spans: list | None = None
        self._originals: list | None = None

    @classmethod
    def from_tokens(cls, text: str, tokens: list) -> "Tokens":
        """From the ``(start, end, token, lower)`` tuples of :func:`alliance_study.text.tokenize`."""
        t = cls(text, [tok[3] for tok in tokens])
        t._spans = [(tok[0], tok[1]) for tok in tokens]
        t._originals = [tok[2] for tok in tokens]
        return t

    @property
    def spans(self) -> list:
        if self._spans is None:
            self._spans = token_spans(self.text, self.words)
        return self._spans

    @property
    def originals(self) -> list:
        if self._originals is None:
            text = self.text
            self._originals = [text[a:b] for a, b in self.spans]
        return self._originals


class _CandidateCache(dict):
    """Lower-case word -> its candidates (:meth:`CueLexicon._candidates`), each worked out once.

    A dict whose missing keys are computed on lookup, so a whole sentence is looked
    up with one ``map`` over its words; at most ``_CACHE_MAX`` words are kept.
    Pickled empty (workers rebuild it).
    """

    __slots__ = ("_compute",)

    def __init__(self, compute) -> None:
        super().__init__()
        self._compute = compute

    def __missing__(self, low: str) -> tuple:
        c = self._compute(low)
        if len(self) < _CACHE_MAX:
            self[low] = c
        return c

    def __reduce__(self):
        return (type(self), (self._compute,))


#: words whose "'s" is "is", "has" or "us", not a possessive ("it's", "let's")
_NOT_POSSESSIVE = frozenset("it he she that there here what who where how when why let".split())


def possessive_stem(word: str) -> str | None:
    """The word a possessive token is made from, or None: a cue matches its possessive.

    The tokenizer keeps "strike's" as one token; a cue ``strike`` matches it too (as
    ``strike*`` always did).  A contraction of "is", "has" or "us" ("it's", "let's") is no
    possessive.

    >>> possessive_stem("strike's"), possessive_stem("Smith’s"), possessive_stem("it's"), possessive_stem("strike")
    ('strike', 'Smith', None, None)
    """
    if len(word) > 2 and word[-1] in "sS" and word[-2] in "'’":
        stem = word[:-2]
        return None if stem.lower() in _NOT_POSSESSIVE else stem
    return None
