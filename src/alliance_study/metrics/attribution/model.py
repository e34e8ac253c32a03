"""Named records passed between the attribution steps (no logic beyond small helpers).

Offsets in these records are character offsets relative to the start of a
sentence's text unless said otherwise.
"""
from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from ...text import punct_tokens
from .actors import Mention, Speaker

__all__ = ["Token", "QuoteSpan", "Sentence", "Resolved", "QuoteChoice", "Found"]


class Token(NamedTuple):
    """A word or punctuation mark (:func:`alliance_study.text.punct_tokens`)."""

    start: int
    end: int
    text: str


class QuoteSpan(NamedTuple):
    """The content between double quotation marks in one sentence.

    ``kind``: ``full`` (opened and closed in the sentence), ``cont_in`` (closed
    here, opened in an earlier sentence), ``cont_out`` (opened here, closed later).
    """

    start: int
    end: int
    kind: str


@dataclass
class Sentence:
    """One sentence of an article with what the finder needs of it."""

    idx: int                  #: position in the article's sentence list
    article_id: Any
    sent_id: Any
    seg_id: Any
    role: str
    text: str
    start: int                #: offset of the sentence in the article text
    tokens: list[Token] | None  #: its tokens, or None: made on first use of :attr:`toks`
    quotes: list[QuoteSpan]
    has_marks: bool           #: any double quotation mark in the sentence (after :func:`.quotes.single_quotes`)
    mentions: list[Mention]   #: actor-table mentions, in text order
    people: list[Mention] = field(default_factory=list)  #: names the text describes (:mod:`.describe`)
    #: the sentence as written when :attr:`text` differs from it (curly single quotes read as double
    #: ones, same offsets); None: as :attr:`text`.  Output text is cut from :attr:`written`.
    source: str | None = None

    @property
    def written(self) -> str:
        """The sentence as written (``text`` with its quotation marks as they stand in the article)."""
        return self.text if self.source is None else self.source

    @property
    def toks(self) -> list[Token]:
        """Words and punctuation marks (:func:`alliance_study.text.punct_tokens`), made on first use.

        Most sentences hold no reporting cue and no description of a person and are
        never tokenized.

        >>> Sentence(0, "a", 0, None, "body", "Hi, you.", 0, None, [], False, []).toks[:2]
        [Token(start=0, end=2, text='Hi'), Token(start=2, end=3, text=',')]
        """
        if self.tokens is None:
            self.tokens = [Token(*t) for t in punct_tokens(self.text)]
        return self.tokens

    def inside_quote(self, pos: int) -> bool:
        """Whether ``pos`` lies between quotation marks of this sentence."""
        return any(q.start <= pos < q.end for q in self.quotes)

    def tok_index(self, pos: int) -> int:
        """Index of the first token starting at or after ``pos``.

        >>> s = Sentence(0, "a", 0, None, "body", "Hi, you.", 0,
        ...              [Token(0, 2, "Hi"), Token(2, 3, ","), Token(4, 7, "you"), Token(7, 8, ".")], [], False, [])
        >>> s.tok_index(0), s.tok_index(3), s.tok_index(4), s.tok_index(9)
        (0, 2, 2, 4)
        """
        memo = self.__dict__.get("_starts")  # (the token list, its start offsets), built on first use
        if memo is None or memo[0] is not self.toks:
            memo = self.__dict__["_starts"] = (self.toks, [t.start for t in self.toks])
        return bisect_left(memo[1], pos)


class Resolved(NamedTuple):
    """A speaker phrase resolved to a speaker; ``start``/``end`` locate the mention in the sentence."""

    speaker: Speaker
    resolution: str
    start: int
    end: int


@dataclass
class QuoteChoice:
    """What a cue attributes.

    ``kind`` is ``full``/``cont_in``/``cont_out`` for a direct quote in quotation
    marks (a :class:`QuoteSpan` of the cue sentence), ``block`` for the paragraph
    before a dash line, ``reported`` for an indirect clause (``text`` given).
    """

    direct: bool
    kind: str
    start: int = 0
    end: int = 0
    text: str = ""
    pattern: str = ""         #: overrides the finder's pattern (``dash_block``)


@dataclass
class Found:
    """One attribution found in a sentence (before quotes are mapped to the article)."""

    resolved: Resolved
    label: str                #: canonical verb / cue label
    cue_start: int
    cue_end: int
    cue: str                  #: the cue's surface text
    pattern: str
    quote: QuoteChoice
    via: str = ""
