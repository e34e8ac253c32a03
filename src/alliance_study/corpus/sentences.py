"""Sentence spans with NLTK's Punkt algorithm, fully offline.

The tokenizer is built from :class:`nltk.tokenize.punkt.PunktParameters` whose
abbreviation list is read from the shipped ``lexicons/abbreviations.txt`` (no
``nltk.download``, no ``nltk.data.load``).  Punkt's own heuristics keep initials
("Vladimir V. Putin") together, keep a closing quote or bracket with the sentence
it ends (NLTK >= 3.9 realigns ``"``, ``'``, ``)``, ``]``, ``}`` and curly quotes
and guillemets) and treat ``...`` as an ellipsis.

Bounded time on any input: a sentence longer than ``max_chars`` is cut at the last
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
from functools import lru_cache
from pathlib import Path

from nltk.tokenize.punkt import PunktParameters, PunktSentenceTokenizer

from ..errors import InputError
from ..metrics.lexicon import packaged

_PUNCT_RE = re.compile(r"[.,;:!?)\]}»”’\-–—/]")


def read_abbreviations(path: str | Path | None = None) -> set[str]:
    """Abbreviation types (lower case, no final period) from a one-per-line file.

    >>> {"u.s", "mr", "oct"} <= read_abbreviations()
    True
    """
    path = Path(path) if path else packaged("abbreviations.txt")
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: cannot read the abbreviation list ({exc}). Check the file.") from None
    out = set()
    for line in lines:
        item = line.split("#", 1)[0].strip().lower().rstrip(".")
        if item:
            out.add(item)
    return out


@lru_cache(maxsize=8)
def punkt_tokenizer(abbreviations_path: str | None = None) -> PunktSentenceTokenizer:
    """A Punkt sentence tokenizer with the shipped (or given) abbreviation list."""
    params = PunktParameters()
    params.abbrev_types = read_abbreviations(abbreviations_path)
    return PunktSentenceTokenizer(params)


def _cap_span(text: str, start: int, end: int, max_chars: int):
    """Split ``text[start:end]`` into pieces of at most ``max_chars`` characters."""
    while end - start > max_chars:
        window = text[start:start + max_chars]
        cut = max(window.rfind(" "), window.rfind("\n"), window.rfind("\t"))
        if cut <= 0:
            m = None
            for m in _PUNCT_RE.finditer(window):
                pass
            cut = m.end() if m is not None and m.end() < len(window) else len(window)
        piece_end = start + cut
        yield start, piece_end
        start = piece_end
        while start < end and text[start].isspace():
            start += 1
    if end > start:
        yield start, end


def sentence_spans(text: str, max_chars: int = 1000, abbreviations_path: str | None = None):
    """``(start, end)`` spans of the sentences of ``text``, stripped of surrounding whitespace.

    Parameters
    ----------
    text : str
        One segment (sentences never cross segments; call once per segment).
    max_chars : int, default 1000
        Longer sentences are split at the last whitespace/punctuation before the cap.

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
    tok = punkt_tokenizer(str(abbreviations_path) if abbreviations_path else None)
    out = []
    for s, e in tok.span_tokenize(text):
        piece = text[s:e]
        stripped = piece.strip()
        if not stripped:
            continue
        s = s + (len(piece) - len(piece.lstrip()))
        e = s + len(stripped)
        out.extend(_cap_span(text, s, e, max_chars))
    return [(s, e) for s, e in out if text[s:e].strip()]
