"""Sentence spans with NLTK's Punkt algorithm, fully offline.

The tokenizer is built from :class:`nltk.tokenize.punkt.PunktParameters` whose
abbreviation list is read from the shipped ``lexicons/abbreviations.txt`` (no
``nltk.download``, no ``nltk.data.load``).  Punkt's own heuristics keep initials
("John F. Kennedy") together, keep a closing quote or bracket with the sentence
it ends (NLTK >= 3.9 realigns ``"``, ``'``, ``)``, ``]``, ``}`` and curly quotes
and guillemets) and treat ``...`` as an ellipsis.

Bounded time on any input.  Punkt costs roughly 0.1-0.2 ms per candidate boundary
(each ``.``, ``?`` or ``!``); a text with more than :data:`PUNKT_MAX_CANDIDATES`
candidates (a real news article has a few hundred; a 5 MB dump can have a
million) is split by :func:`fast_spans` instead: a linear-time rule -- break after
``.``/``?``/``!`` (plus closing quotes or brackets) followed by whitespace, unless
the word before is a listed abbreviation or a single-letter initial, or the next
word starts in lower case.  Punkt itself runs on windows of at most
:data:`WINDOW_CHARS` characters (see :func:`_windows`).  Finally a sentence longer than ``max_chars`` is cut at the last
whitespace (or, failing that, punctuation) before the cap, and hard at the cap when
there is neither -- so a 5 MB line without a full stop becomes ~5 000 pieces
instead of stalling the pipeline.

Example
-------
>>> text = "Mr. Smith met John F. Kennedy in the U.S. on Oct. 3. They talked."
>>> [text[s:e] for s, e in sentence_spans(text)]
['Mr. Smith met John F. Kennedy in the U.S. on Oct. 3.', 'They talked.']
"""
from __future__ import annotations

import functools
import re
from pathlib import Path
from typing import TYPE_CHECKING

from ..resources import cached, read_lines, resolve

_PUNCT_CHARS = ".,;:!?)]}»”’-–—/"
_SPACE_CHARS = " \n\t\u00a0\u2009\u3000\f\v"
_BREAK_RE = re.compile(r"[.!?][\"'”’»)\]]*\s+")
_FAST_RE = re.compile(r"(?<![.!?])[.!?]++[\"'”’»)\]]*+(?=\s+(?![a-z])(\S))")
#: above this many candidate boundaries in one text, :func:`fast_spans` replaces Punkt
PUNKT_MAX_CANDIDATES = 5_000
_CAND_RE = re.compile(r"[.!?]")
#: Punkt is run on windows of at most this many characters (see :func:`_windows`)
WINDOW_CHARS = 20_000

if TYPE_CHECKING:  # NLTK is imported when a tokenizer is first built (importing it takes seconds)
    from nltk.tokenize.punkt import PunktSentenceTokenizer


def _parse_abbreviations(path: Path) -> frozenset:
    return frozenset(item.lower().rstrip(".") for item in read_lines(path, what="abbreviation list"))


def read_abbreviations(path: str | Path | None = None) -> set[str]:
    """Abbreviation types (lower case, no final period) from a one-per-line file (cached).

    >>> {"u.s", "mr", "oct"} <= read_abbreviations()
    True
    """
    return set(_abbreviations(path))


def _abbreviations(path: str | Path | None) -> frozenset:
    return cached(_parse_abbreviations, resolve(path or "abbreviations", suffix=".txt", what="abbreviation list"))


@functools.lru_cache(maxsize=1)
def _memo_punkt_class() -> type:
    """:class:`PunktSentenceTokenizer` that remembers its decisions (NLTK imported here, once)."""
    from nltk.tokenize.punkt import PunktParameters, PunktSentenceTokenizer

    class _MemoPunkt(PunktSentenceTokenizer):
        """Punkt that remembers its decision for each candidate context.

        Punkt decides each candidate boundary from a short context (the word before
        the ``.``/``?``/``!``, the mark and the next token: ``"said. The"``) with fixed
        parameters, so the decision is a function of that string; news text repeats
        such contexts often, and a remembered decision costs a dict look-up instead of
        tokenizing and annotating the context again.  At most :attr:`MEMO_MAX` contexts
        are kept (then the memo starts afresh).
        """

        MEMO_MAX = 200_000

        def __init__(self, params: PunktParameters):
            super().__init__(params)
            self._memo: dict[str, bool] = {}

        def text_contains_sentbreak(self, text: str) -> bool:
            found = self._memo.get(text)
            if found is None:
                found = super().text_contains_sentbreak(text)
                if len(self._memo) >= self.MEMO_MAX:
                    self._memo.clear()
                self._memo[text] = found
            return found

    return _MemoPunkt


def _build_punkt(path: Path) -> PunktSentenceTokenizer:
    from nltk.tokenize.punkt import PunktParameters

    params = PunktParameters()
    params.abbrev_types = set(_abbreviations(path))
    return _memo_punkt_class()(params)


def punkt_tokenizer(abbreviations_path: str | Path | None = None) -> PunktSentenceTokenizer:
    """A Punkt sentence tokenizer with the shipped (or given) abbreviation list (cached per file version)."""
    return cached(_build_punkt, resolve(abbreviations_path or "abbreviations", suffix=".txt", what="abbreviation list"))


def _cap_span(text: str, start: int, end: int, max_chars: int):
    """Split ``text[start:end]`` (stripped) into stripped pieces of at most ``max_chars`` characters.

    Each cut is at the last whitespace within reach, else just after the last
    punctuation mark, else hard at the cap.
    """
    while end - start > max_chars:
        reach = text[start:start + max_chars + 1]  # whitespace right after the cap is fine too
        cut = max(reach.rfind(c) for c in _SPACE_CHARS)
        piece_end = start + cut
        while piece_end > start and text[piece_end - 1].isspace():
            piece_end -= 1
        if piece_end <= start:
            window = reach[:max_chars]
            last = max(window.rfind(c) for c in _PUNCT_CHARS)
            piece_end = start + (last + 1 if 0 <= last < len(window) - 1 else len(window))
        yield start, piece_end
        start = piece_end
        while start < end and text[start].isspace():
            start += 1
    if end > start:
        yield start, end


def _windows(text: str, size: int = WINDOW_CHARS):
    """Cut ``text`` into windows of at most ``size`` characters for Punkt.

    NLTK's Punkt guards its regexes with a time limit and raises on very long
    inputs; windows keep its cost linear.  A window ends after the last
    sentence-final punctuation followed by whitespace, else at the last whitespace,
    else hard at ``size`` -- so a cut inside a real sentence is rare (at most once per
    ``size`` characters, and only in texts with such huge lines).
    """
    start, n = 0, len(text)
    while n - start > size:
        window = text[start:start + size]
        m = None
        for m in _BREAK_RE.finditer(window, size // 2):
            pass
        if m is not None:
            cut = m.end()
        else:
            ws = max(window.rfind(" "), window.rfind("\n"), window.rfind("\t"))
            cut = ws + 1 if ws > 0 else size
        yield start, start + cut
        start += cut
    yield start, n


def n_candidates(text: str) -> int:
    """Number of candidate sentence ends (``.``, ``?``, ``!``) in ``text``.

    >>> n_candidates("Hi. Yes?! No")
    3
    """
    return len(_CAND_RE.findall(text))


def fast_spans(text: str, abbreviations: set[str] | None = None):
    """Linear-time sentence spans (unstripped) for huge texts; see the module notes.

    >>> t = "Dr. Li met the U.S. envoy. He left! then came back. End"
    >>> [t[s:e] for s, e in fast_spans(t)]
    ['Dr. Li met the U.S. envoy.', 'He left! then came back.', 'End']
    """
    abbrevs = _abbreviations(None) if abbreviations is None else abbreviations
    out, start = [], 0
    for m in _FAST_RE.finditer(text):
        nxt = m.group(1)
        if nxt.islower():
            continue
        before = text[max(start, m.start() - 60):m.start()].split()
        word = before[-1].lower().lstrip("\"'“‘«([{") if before else ""
        if text[m.start()] == "." and (word in abbrevs or (len(word) == 1 and word.isalpha())):
            continue
        out.append((start, m.end()))
        start = m.start(1)
    if start < len(text):
        out.append((start, len(text)))
    return out


_OPENERS = "\"'“‘«([{"


def _join_lower_starts(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Punkt's spans with a break before a word in lower case undone, as :func:`fast_spans` never makes it:
    a reported-speech tag after a quoted question or exclamation stays with its quote.

    >>> t = '"Who covers the shifts?" she said. Then he left.'
    >>> [t[s:e] for s, e in _join_lower_starts(t, [(0, 24), (25, 34), (35, 48)])]
    ['"Who covers the shifts?" she said.', 'Then he left.']
    """
    out: list[tuple[int, int]] = []
    for s, e in spans:
        head = text[s:e].lstrip().lstrip(_OPENERS)
        if out and head[:1].islower():
            out[-1] = (out[-1][0], e)
        else:
            out.append((s, e))
    return out


class SentenceSplitter:
    """Sentence spans with one abbreviation list, looked up once (the loader keeps one per load).

    :func:`sentence_spans` builds one per call; a loader splitting thousands of
    segments keeps one, so the abbreviation file is resolved and checked once, not
    once per segment.

    >>> split = SentenceSplitter(max_chars=1000)
    >>> t = "Mr. Smith left. Then?! Yes"
    >>> [t[s:e] for s, e in split.spans(t)]
    ['Mr. Smith left.', 'Then?!', 'Yes']
    """

    def __init__(self, abbreviations_path: str | Path | None = None, max_chars: int = 1000):
        if max_chars < 1:
            raise ValueError("max_chars must be at least 1")
        self.max_chars = max_chars
        self.abbreviations_path = abbreviations_path
        self._punkt: PunktSentenceTokenizer | None = None
        self._abbrevs: set[str] | None = None

    def _raw_spans(self, text: str, method: str):
        if method == "fast":
            if self._abbrevs is None:
                self._abbrevs = (read_abbreviations(self.abbreviations_path) if self.abbreviations_path
                                 else set(_abbreviations(None)))
            return fast_spans(text, self._abbrevs)
        if method != "punkt":
            raise ValueError(f"method must be 'auto', 'punkt' or 'fast', not {method!r}")
        if self._punkt is None:
            self._punkt = punkt_tokenizer(str(self.abbreviations_path) if self.abbreviations_path else None)
        tok = self._punkt
        spans = []
        for w0, w1 in _windows(text):
            window = text[w0:w1]
            if _CAND_RE.search(window) is None:
                # no candidate boundary: Punkt gives the window up to its trailing whitespace
                end = len(window.rstrip())
                if end:
                    spans.append((w0, w0 + end))
                continue
            spans.extend((w0 + s, w0 + e) for s, e in tok.span_tokenize(window))
        return _join_lower_starts(text, spans)

    def spans(self, text: str, method: str = "auto") -> list[tuple[int, int]]:
        """``(start, end)`` spans of the sentences of ``text``; see :func:`sentence_spans`."""
        if method == "auto":
            method = "fast" if n_candidates(text) > PUNKT_MAX_CANDIDATES else "punkt"
        max_chars = self.max_chars
        out = []
        for s, e in self._raw_spans(text, method):
            piece = text[s:e]
            stripped = piece.strip()
            if not stripped:
                continue
            s = s + (len(piece) - len(piece.lstrip()))
            e = s + len(stripped)
            if e - s <= max_chars:
                out.append((s, e))      # stripped and non-empty: nothing for _cap_span to do
            else:
                out.extend(p for p in _cap_span(text, s, e, max_chars) if text[p[0]:p[1]].strip())
        return out


def sentence_spans(text: str, max_chars: int = 1000, abbreviations_path: str | None = None,
                   method: str = "auto"):
    """``(start, end)`` spans of the sentences of ``text``, stripped of surrounding whitespace.

    Parameters
    ----------
    text : str
        One segment (sentences never cross segments; call once per segment).
    max_chars : int, default 1000
        Longer sentences are split at the last whitespace/punctuation before the cap.
    method : {"auto", "punkt", "fast"}, default "auto"
        ``"auto"``: Punkt unless ``text`` has more than :data:`PUNKT_MAX_CANDIDATES`
        candidate boundaries.  The loader decides once per article so that all
        sentences of an article are split the same way.

    Returns
    -------
    list of (int, int)
        In text order, non-overlapping, each non-empty and without leading or
        trailing whitespace.

    Examples
    --------
    >>> t = '"We agree." He left (quietly.) Then...'
    >>> [t[s:e] for s, e in sentence_spans(t)]
    ['"We agree."', 'He left (quietly.)', 'Then...']
    >>> [e - s for s, e in sentence_spans("x" * 25, max_chars=10)]
    [10, 10, 5]
    """
    return SentenceSplitter(abbreviations_path, max_chars).spans(text, method)
