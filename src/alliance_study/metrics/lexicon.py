"""Cue lexicons kept as data, and one fast matcher for all of them.

Hedges, boosters, vague attribution, frame terms and the study's target terms are all
*cue lexicons*: lists of words and phrases, each with a category, optionally with
context rules that veto a match ("May" followed by a day number is a month, not a
modal).  They live in YAML files under :mod:`alliance_study.lexicons` (or any path
a user gives) and are compiled once into a :class:`CueLexicon`.

YAML format::

    name: hedges
    description: ...
    sources: ["Hyland, K. (2005) Metadiscourse. Continuum."]
    categories:
      epistemic_modal:
        description: modal verbs of possibility
        cues:
          - may
          - "might"
          - cue: could
            exclude_after: '\\s+(?:not\\s+)?(?:afford|see|hear)\\b'   # regex on the text after
          - cue: "not necessarily"
      approximator:
        cues: ["about", "approximately", "roughly"]

A cue is a sequence of space-separated *token patterns*:

* ``word``   matches that word, case-insensitively (curly apostrophes count as straight),
  and its possessive (``strike`` matches *strike's*; *it's*, *let's* are no possessives);
* ``stem*``  matches any word starting with ``stem`` (``suggest*`` matches *suggests*);
* ``a|b|c``  matches any one of the listed words;
* ``...``    matches zero to three arbitrary words (``not ... necessarily``).

Optional per-cue context rules (Python regular expressions, case-insensitive unless
``case_sensitive: true``):

* ``exclude_before``: the match is dropped when this regex matches the text just
  before the cue (it is searched against up to 80 preceding characters and must
  match at their end, e.g. ``'\\bnot\\s+$'``);
* ``exclude_after``: dropped when the regex matches at the start of the text after it;
* ``require_before`` / ``require_after``: kept only when the regex matches there;
* ``case_sensitive: true``: the words must match with their case as written.

Matching is token-based: a sentence is tokenised once with :data:`TOKEN_RE`, cues
are looked up by their first token in a dict, so the cost grows with the number of
tokens, not with the size of the lexicon.  Within one lexicon matches do not
overlap: at each token the longest cue wins, then matching resumes after it.
Several lexicons matched against one text share one :class:`Tokens` (the
lower-case words, with the character spans worked out only when a cue needs them).

Example
-------
>>> lex = CueLexicon.from_dict({"name": "demo", "categories": {
...     "modal": {"cues": ["may", {"cue": "not rule out"}]}}})
>>> [(c.text, c.category) for c in lex.find("We may not rule out a deal.")]
[('may', 'modal'), ('not rule out', 'modal')]
"""
from __future__ import annotations

import re
from itertools import compress
from pathlib import Path
from typing import Iterable

from ..errors import LexiconError  # noqa: F401  (re-exported: the error every malformed lexicon raises)
from ..resources import cached, read_yaml, resolve
from ..text import tokenize  # noqa: F401  (re-exported: callers pass tokenize(text) to find)
from ._lexicon_file import _GAP_MAX, _Entry, _entry_order, compile_lexicon
from .cue_tokens import _CandidateCache, Cue, Tokens, possessive_stem  # noqa: F401  (Cue, Tokens re-exported)

#: characters of context searched by a cue's before/after rules
_CONTEXT = 80


class CueLexicon:
    """A compiled cue lexicon (see the module docstring for the YAML format).

    Parameters
    ----------
    name : str
        Lexicon name, reported in :class:`Cue.lexicon`.
    entries : list
        Compiled entries (use :meth:`from_dict` or :meth:`from_yaml`).
    meta : dict
        The remaining top-level keys of the YAML file (description, sources, ...).
    """

    def __init__(self, name: str, entries: list[_Entry], meta: dict | None = None):
        self.name = name
        self.entries = entries
        self.meta = meta or {}
        self.categories = list(dict.fromkeys(e.category for e in entries))
        #: category -> the name shown in reports (the category's ``label:``, else its name with spaces)
        self.labels = {c: c.replace("_", " ") for c in self.categories}
        # index by first token: literal/alternative word -> entries; prefixes kept apart
        self._by_lit: dict[str, list[_Entry]] = {}
        self._prefixes: list[tuple[str, _Entry]] = []
        self._by_prefix: dict[str, list[_Entry]] = {}
        for e in entries:
            kind, val = e.tokens[0]
            if kind == "lit":
                self._by_lit.setdefault(val.lower(), []).append(e)
            elif kind == "alt":
                for a in val:
                    self._by_lit.setdefault(a.lower(), []).append(e)
            elif kind == "pre":
                self._prefixes.append((val.lower(), e))
                self._by_prefix.setdefault(val.lower(), []).append(e)
        #: the lengths of the prefixes, so a word is checked against them with one lookup per length
        self._prefix_lengths = sorted({len(p) for p in self._by_prefix})
        for lst in self._by_lit.values():
            lst.sort(key=_entry_order)
        # lower-case word -> candidate entries (literal + prefix), filled lazily: a
        # word's candidates are worked out once, so the cost per token is one dict lookup
        self._cache = _CandidateCache(self._work_out)

    # ------------------------------------------------------------------ loading
    @classmethod
    def from_dict(cls, data: dict, source: str = "<dict>") -> "CueLexicon":
        """Compile a lexicon given as a dict (the YAML format of the module docstring).

        Mistakes are refused, not ignored: an unknown key of a category or a cue
        (``exclude_befor:``), a category without cues, a ``categories`` that is no
        mapping.  ``categories: {}`` is a lexicon with no cues (the packaged targets
        file is one: the target is the study's own choice).

        >>> CueLexicon.from_dict({"categories": {"modal": {"cues": [{"cue": "may", "exclude_befor": "x"}]}}})
        ... # doctest: +ELLIPSIS
        Traceback (most recent call last):
        alliance_study.errors.LexiconError: <dict>: category 'modal', cue #1: unknown key 'exclude_befor' (did you \
mean 'exclude_before'?); a cue takes cue, case_sensitive, ... Fix: correct the file ...
        """
        c = compile_lexicon(data, source)
        lex = cls(c.name, c.entries, c.meta)
        lex.labels = {k: c.labels.get(k, k.replace("_", " ")) for k in lex.categories}
        return lex

    @classmethod
    def from_yaml(cls, path: str | Path) -> "CueLexicon":
        """Compile the YAML file at ``path`` (see :func:`load_lexicon` for the cached form)."""
        return cls.from_dict(read_yaml(path, what="lexicon file"), source=str(path))

    # ----------------------------------------------------------------- matching
    def _candidates(self, low: str) -> tuple:
        """Entries whose first token can match the lower-case word ``low``.

        Returned as ``(one, two, rest)``: single-token entries (in lexicon order);
        a dict from the lower-case second word to the multi-token entries whose
        second token is a word or alternatives; the other multi-token entries
        (second token a gap or a prefix).  Multi-token lists are longest first.
        """
        return self._cache[low]

    def _work_out(self, low: str) -> tuple:
        """:meth:`_candidates` of a word not yet in the cache."""
        lst = list(self._by_lit.get(low, ()))
        stem = possessive_stem(low)
        if stem is not None:
            lst.extend(self._by_lit.get(stem, ()))
        for n in self._prefix_lengths:  # low.startswith(p) for each prefix p of length n
            if n > len(low):
                break
            lst.extend(self._by_prefix.get(low[:n], ()))
        lst.sort(key=_entry_order)
        one = tuple(e for e in lst if len(e.tokens) == 1)
        two: dict[str, list] = {}
        rest = []
        for e in lst:
            if len(e.tokens) == 1:
                continue
            kind, val = e.tokens[1]
            if kind == "lit":
                two.setdefault(val.lower(), []).append(e)
            elif kind == "alt":
                for a in val:
                    two.setdefault(a.lower(), []).append(e)
            else:
                rest.append(e)
        by_second = {}
        for k, v in two.items():
            v.sort(key=_entry_order)
            by_second[k] = tuple(v)
        return (one, by_second, tuple(rest)) if (one or by_second or rest) else ()

    @staticmethod
    def _tok_ok(kind: str, val, word: str) -> bool:
        if kind == "lit":
            return word == val or possessive_stem(word) == val
        if kind == "pre":
            return word.startswith(val)
        return word in val or possessive_stem(word) in val

    def _match_at(self, e: _Entry, doc: Tokens, i: int) -> int:
        """Return the index after the last token matched by entry ``e`` at ``i``, or -1."""
        pats = e.tokens
        words = doc.originals if e.case_sensitive else doc.words
        n = len(words)
        if not e.has_gap:
            if i + len(pats) > n:
                return -1
            tok_ok = self._tok_ok
            for p, (kind, val) in enumerate(pats):
                if not tok_ok(kind, val, words[i + p]):
                    return -1
            return i + len(pats)
        if e.last is not None:  # the last token must occur within the longest span (it is never the first)
            kind, val = e.last
            window = words[i + 1:i + e.span_max]
            if (val not in window) if kind == "lit" else val.isdisjoint(window):
                stems = {possessive_stem(w) for w in window}
                if (val not in stems) if kind == "lit" else val.isdisjoint(stems):
                    return -1

        def rec(p: int, j: int) -> int:
            if p == len(pats):
                return j
            kind, val = pats[p]
            if kind == "gap":
                for skip in range(_GAP_MAX, -1, -1):  # greedy: the longest gap that lets the rest match
                    if j + skip <= n:
                        r = rec(p + 1, j + skip)
                        if r >= 0:
                            return r
                return -1
            if j >= n or not self._tok_ok(kind, val, words[j]):
                return -1
            return rec(p + 1, j + 1)

        return rec(0, i)

    def _context_ok(self, e: _Entry, text: str, start: int, end: int) -> bool:
        if not e.has_context:
            return True
        if e.exclude_before is not None or e.require_before is not None:
            before = text[max(0, start - _CONTEXT):start]
            if e.exclude_before is not None and _search_end(e.exclude_before, before):
                return False
            if e.require_before is not None and not _search_end(e.require_before, before):
                return False
        if e.exclude_after is not None or e.require_after is not None:
            after = text[end:end + _CONTEXT]
            if e.exclude_after is not None and e.exclude_after.match(after):
                return False
            if e.require_after is not None and not e.require_after.match(after):
                return False
        return True

    def find(self, text: str, tokens: list | None = None) -> list[Cue]:
        """All non-overlapping cues in ``text``, left to right.

        ``tokens`` may be passed by callers that match several lexicons against the
        same text (see :func:`tokenize`), so the text is tokenised once; or use
        :meth:`match` with one :class:`Tokens`.
        """
        return self.match(Tokens(text) if tokens is None else Tokens.from_tokens(text, tokens))

    def match(self, doc: Tokens) -> list[Cue]:
        """:meth:`find` on a text already prepared as :class:`Tokens` (shared by several lexicons).

        >>> lex = CueLexicon.from_dict({"name": "demo", "categories": {"modal": {"cues": ["may"]}}})
        >>> [c.text for c in lex.match(Tokens("It MAY rain, it may not."))]
        ['MAY', 'may']
        """
        # one dict lookup per word, in C: most words start no cue and cost nothing more
        hits = list(map(self._cache.__getitem__, doc.words))
        if not any(hits):
            return []
        return self._match_hits(doc, [(i, hits[i]) for i in compress(range(len(hits)), hits)])

    def _match_hits(self, doc: Tokens, hits: list) -> list[Cue]:
        """The cues of ``doc`` given ``(token index, candidates)`` of the words that start a cue, in order."""
        words = doc.words
        text = doc.text
        out: list[Cue] = []
        n, resume = len(words), 0
        match_at, context_ok = self._match_at, self._context_ok
        for i, (one, two, rest) in hits:
            if i < resume:  # inside the previous match
                continue
            best = None
            # multi-token cues first (they are longer than any single-token cue)
            multi = _second(two, words[i + 1]) if two and i + 1 < n else ()
            if rest:
                multi = tuple(sorted(multi + rest, key=_entry_order)) if multi else rest
            for e in multi:
                j = match_at(e, doc, i)
                if j < 0 or (best is not None and j <= best[0]):
                    continue
                spans = doc.spans
                s, t = spans[i][0], spans[j - 1][1]
                if context_ok(e, text, s, t):
                    best = (j, e, s, t)
            if best is None:
                for e in one:
                    if e.case_sensitive:
                        kind, val = e.tokens[0]
                        if not self._tok_ok(kind, val, doc.originals[i]):
                            continue
                    s, t = doc.spans[i]
                    if context_ok(e, text, s, t):
                        best = (i + 1, e, s, t)
                        break
            if best is None:
                continue
            j, e, s, t = best
            out.append(Cue(s, t, text[s:t], e.category, self.name, e.pattern))
            resume = j
        return out

    def counts(self, cues: Iterable[Cue]) -> dict[str, int]:
        """Count cues per category (every category present, zero where none matched)."""
        c = dict.fromkeys(self.categories, 0)
        for cue in cues:
            c[cue.category] = c.get(cue.category, 0) + 1
        return c

    def __repr__(self) -> str:
        return f"CueLexicon({self.name!r}, {len(self.entries)} cues, categories={self.categories})"


class CueSet:
    """Several lexicons matched against one text with one lookup per word.

    ``match(doc)`` returns, for each lexicon in order, what its :meth:`CueLexicon.match`
    returns; a text none of whose words starts a cue of any lexicon costs one dict
    lookup per word in all.

    >>> cs = CueSet([load_lexicon("hedges"), load_lexicon("boosters")])
    >>> [[c.text for c in found] for found in cs.match(Tokens("It will certainly rain, perhaps."))]
    [['perhaps'], ['certainly']]
    """

    def __init__(self, lexicons: Iterable[CueLexicon]) -> None:
        self.lexicons = tuple(lexicons)
        self._cache = _CandidateCache(self._work_out)

    def _work_out(self, low: str):
        """``((lexicon index, candidates, second words or None), ...)`` of a word, or None.

        The second words are given when every candidate cue of that lexicon has more
        than one token and a fixed second word: the word starts none of them unless
        the next word is one of those (true of most function words: "the", "to").
        """
        found = []
        for k, lex in enumerate(self.lexicons):
            c = lex._candidates(low)
            if c:
                one, two, rest = c
                found.append((k, c, None if (one or rest) else two))
        return tuple(found) or None

    def match(self, doc: Tokens) -> list[list[Cue]]:
        words = doc.words
        hits = list(map(self._cache.__getitem__, words))
        if not any(hits):
            return [[] for _ in self.lexicons]
        per: list[list] = [[] for _ in self.lexicons]
        last = len(words) - 1
        for i in compress(range(len(hits)), hits):
            for k, c, second in hits[i]:
                if second is not None and (i == last or not _second(second, words[i + 1])):
                    continue  # no cue of lexicon k can start here
                per[k].append((i, c))
        return [lex._match_hits(doc, mine) if mine else [] for lex, mine in zip(self.lexicons, per)]


def _second(by_second: dict, word: str) -> tuple:
    """The multi-token entries whose second token is ``word`` (or the word its possessive is made from)."""
    found = by_second.get(word)
    if found is None:
        stem = possessive_stem(word)
        found = by_second.get(stem) if stem is not None else None
    return found or ()


def _search_end(rx: re.Pattern, before: str) -> bool:
    """True when ``rx`` matches a suffix of ``before`` (patterns are written ending in ``$``)."""
    return rx.search(before) is not None


def _lexicon_from_file(path: Path) -> CueLexicon:
    return CueLexicon.from_yaml(path)


def load_lexicon(path_or_name: str | Path) -> CueLexicon:
    """Load a cue lexicon by packaged name (``"hedges"``) or by file path; cached per file version.

    >>> load_lexicon("hedges").name
    'hedges'
    """
    return cached(_lexicon_from_file, resolve(path_or_name, suffix=".yaml", what="lexicon file"))
