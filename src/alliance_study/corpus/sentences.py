"""Sentence spans with NLTK's Punkt algorithm, fully offline.

The tokenizer is built from :class:`nltk.tokenize.punkt.PunktParameters` whose
abbreviation list is read from the shipped ``lexicons/abbreviations.txt`` (no
``nltk.download``, no ``nltk.data.load``).  Punkt's own heuristics keep initials
("Vladimir V. Putin") together, keep a closing quote or bracket with the sentence
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
>>> text = "Mr. Smith met Vladimir V. Putin in the U.S. on Oct. 3. They talked."
>>> [text[s:e] for s, e in sentence_spans(text)]
['Mr. Smith met Vladimir V. Putin in the U.S. on Oct. 3.', 'They talked.']
"""
from __future__ import annotations

import re
from pathlib import Path

from nltk.tokenize.punkt import PunktParameters, PunktSentenceTokenizer

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


def _build_punkt(path: Path) -> PunktSentenceTokenizer:
    params = PunktParameters()
    params.abbrev_types = set(_abbreviations(path))
    return PunktSentenceTokenizer(params)


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
    if max_chars < 1:
        raise ValueError("max_chars must be at least 1")
    if method == "auto":
        method = "fast" if n_candidates(text) > PUNKT_MAX_CANDIDATES else "punkt"
    if method == "fast":
        spans = fast_spans(text, read_abbreviations(abbreviations_path) if abbreviations_path else None)
    elif method == "punkt":
        tok = punkt_tokenizer(str(abbreviations_path) if abbreviations_path else None)
        spans = ((w0 + s, w0 + e) for w0, w1 in _windows(text) for s, e in tok.span_tokenize(text[w0:w1]))
    else:
        raise ValueError(f"method must be 'auto', 'punkt' or 'fast', not {method!r}")
    out = []
    for s, e in spans:
        piece = text[s:e]
        stripped = piece.strip()
        if not stripped:
            continue
        s = s + (len(piece) - len(piece.lstrip()))
        e = s + len(stripped)
        out.extend(_cap_span(text, s, e, max_chars))
    return [(s, e) for s, e in out if text[s:e].strip()]
