"""Whole-word matchers of word lists: one regex per list, compiled as a character trie.

:class:`WordList` finds the words of a list in a text (case-insensitive, whole
words, longest first); :func:`alt_regex` is its regex; :func:`trie_body` the trie
both are built from.  Used by :mod:`.rules` (cue forms, role nouns) and
:mod:`.actors` (actor-table variants).
"""
from __future__ import annotations

import re
from typing import NamedTuple

__all__ = ["Hit", "WordList", "alt_regex", "trie_body"]


def trie_body(words: list[str], space: str = r"\s+") -> str:
    """The words as a character trie: ``said|says|saying`` -> ``sa(?:id|y(?:s|ing))``.

    Children come before the end of a word, so backtracking finds the longest word
    first; a space matches ``space`` (any run of whitespace unless told otherwise).
    """
    trie: dict = {}
    for w in words:
        node = trie
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = {}

    def emit(node: dict) -> str:
        alts = [(space if ch == " " else re.escape(ch)) + emit(child)
                for ch, child in sorted(node.items()) if ch]
        if "" in node:
            alts.append("")
        if len(alts) == 1:
            return alts[0]
        return "(?:" + "|".join(alts) + ")"

    return emit(trie)


class Hit(NamedTuple):
    """One match of a :class:`WordList` (the subset of :class:`re.Match` the finder uses)."""

    begin: int
    stop: int
    surface: str     #: the matched text, as written

    def start(self) -> int:
        """Offset of the first matched character."""
        return self.begin

    def end(self) -> int:
        """Offset just after the match."""
        return self.stop

    def group(self) -> str:
        """The matched text, as written."""
        return self.surface


class WordList:
    """Whole-word, case-insensitive matcher of a word list: :func:`alt_regex`, faster on ASCII text.

    On an ASCII text a case-insensitive match is a case-sensitive match in the
    lower-cased text (same length, same word boundaries), which Python's regex
    engine runs about twice as fast; other texts use the case-insensitive regex.

    >>> wl = WordList(["said", "told"])
    >>> [(h.start(), h.group()) for h in wl.finditer("Lee SAID, Ana told.")], wl.search("Él said").group()
    ([(4, 'SAID'), (14, 'told')], 'said')
    """

    def __init__(self, words):
        words = list(words)
        self.regex = alt_regex(words)
        self.pattern = self.regex.pattern
        self._lower: re.Pattern | None = None
        if words and all(w and w.isascii() and w == " ".join(w.split()) for w in words):
            self._lower = re.compile(r"(?<![\w])(?:" + trie_body(sorted({w.lower() for w in words})) + r")(?![\w])")

    def finditer(self, text: str) -> list[Hit]:
        """Every non-overlapping match, left to right (as ``re.finditer``)."""
        if self._lower is not None and text.isascii():
            return [Hit(m.start(), m.end(), text[m.start():m.end()]) for m in self._lower.finditer(text.lower())]
        return [Hit(m.start(), m.end(), m.group()) for m in self.regex.finditer(text)]

    def search(self, text: str) -> Hit | None:
        """The first match, or None (as ``re.search``)."""
        if self._lower is not None and text.isascii():
            m = self._lower.search(text.lower())
            return None if m is None else Hit(m.start(), m.end(), text[m.start():m.end()])
        m = self.regex.search(text)
        return None if m is None else Hit(m.start(), m.end(), m.group())


def alt_regex(words, flags=re.IGNORECASE) -> re.Pattern:
    """One regex matching any of ``words`` as whole words, longest first (spaces match any whitespace).

    The words are compiled as a character trie (one branch per next character, not
    one per word), which finds the same matches as the plain alternation of the
    words sorted longest first: at any position the text selects one path through
    the trie, and backtracking from its end tries the longest word first.  Words
    for which that argument does not hold (non-ASCII, other whitespace than single
    spaces) keep the plain alternation.

    >>> rx = alt_regex(["said", "says", "said that", "say"])
    >>> [m.group() for m in rx.finditer("He said  that; she says, they say.")]
    ['said  that', 'says', 'say']
    """
    words = sorted(set(words), key=len, reverse=True)
    if words and all(w and w.isascii() and w == " ".join(w.split()) for w in words):
        keys = sorted({w.lower() for w in words} if flags & re.IGNORECASE else set(words))
        body = trie_body(keys)
    else:
        body = "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in words) or r"(?!x)x"
    return re.compile(r"(?<![\w])(?:" + body + r")(?![\w])", flags)
