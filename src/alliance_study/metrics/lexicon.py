"""Cue lexicons kept as data, and one fast matcher for all of them.

Hedges, boosters, vague attribution, frame terms and alliance-target terms are all
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

* ``word``   matches that word, case-insensitively (curly apostrophes count as straight);
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

Example
-------
>>> lex = CueLexicon.from_dict({"name": "demo", "categories": {
...     "modal": {"cues": ["may", {"cue": "not rule out"}]}}})
>>> [(c.text, c.category) for c in lex.find("We may not rule out a deal.")]
[('may', 'modal'), ('not rule out', 'modal')]
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

from ..errors import LexiconError
from ..resources import cached, read_yaml, resolve
from ..text import TOKEN_RE, tokenize
_CONTEXT = 80
_GAP_MAX = 3
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


@dataclass
class _Entry:
    pattern: str
    category: str
    tokens: list  # list of ("lit", str) | ("pre", str) | ("alt", frozenset) | ("gap", None)
    case_sensitive: bool = False
    exclude_before: re.Pattern | None = None
    exclude_after: re.Pattern | None = None
    require_before: re.Pattern | None = None
    require_after: re.Pattern | None = None
    order: int = 0
    has_gap: bool = False
    has_context: bool = False

    def __post_init__(self) -> None:
        self.has_gap = any(k == "gap" for k, _ in self.tokens)
        self.has_context = any(r is not None for r in (self.exclude_before, self.exclude_after,
                                                       self.require_before, self.require_after))


def _norm(tok: str) -> str:
    return tok.replace("’", "'")


def _compile_tokens(pattern: str, case_sensitive: bool, where: str) -> list:
    toks: list[tuple[str, Any]] = []
    for raw in pattern.split():
        t = raw if case_sensitive else raw.lower()
        t = _norm(t)
        if t in ("...", "…"):
            toks.append(("gap", None))
        elif "|" in t:
            toks.append(("alt", frozenset(a for a in t.split("|") if a)))
        elif t.endswith("*") and len(t) > 1:
            toks.append(("pre", t[:-1]))
        else:
            # split like the text is split: "military-political" -> two tokens, "U.S." -> "u", "s"
            parts = TOKEN_RE.findall(t)
            if not parts:
                raise LexiconError(f"{where}: cue {pattern!r} has a part with no word characters: {raw!r}")
            toks.extend(("lit", p) for p in parts)
    if not toks:
        raise LexiconError(f"{where}: empty cue")
    if toks[0][0] == "gap" or toks[-1][0] == "gap":
        raise LexiconError(f"{where}: cue {pattern!r} may not start or end with '...'")
    return toks


def _rx(value: Any, flags: int, where: str) -> re.Pattern | None:
    if value in (None, ""):
        return None
    try:
        return re.compile(value, flags)
    except re.error as exc:
        raise LexiconError(f"{where}: bad regular expression {value!r}: {exc}") from None


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
        for e in entries:
            kind, val = e.tokens[0]
            if kind == "lit":
                self._by_lit.setdefault(val.lower(), []).append(e)
            elif kind == "alt":
                for a in val:
                    self._by_lit.setdefault(a.lower(), []).append(e)
            elif kind == "pre":
                self._prefixes.append((val.lower(), e))
        for lst in self._by_lit.values():
            lst.sort(key=lambda e: (-len(e.tokens), e.order))
        # lower-case word -> candidate entries (literal + prefix), filled lazily: a
        # word's candidates are worked out once, so the cost per token is one dict lookup
        self._cache: dict[str, tuple] = {}

    # ------------------------------------------------------------------ loading
    @classmethod
    def from_dict(cls, data: dict, source: str = "<dict>") -> "CueLexicon":
        if not isinstance(data, dict) or "categories" not in data:
            raise LexiconError(f"{source}: a lexicon needs a top-level 'categories' mapping")
        name = str(data.get("name") or Path(source).stem)
        entries: list[_Entry] = []
        labels: dict[str, str] = {}
        cats = data["categories"] or {}
        if not isinstance(cats, dict):
            raise LexiconError(f"{source}: 'categories' must map category names to {{cues: [...]}}")
        for cat, body in cats.items():
            cues = body.get("cues") if isinstance(body, dict) else body
            if isinstance(body, dict) and body.get("label"):
                labels[str(cat)] = str(body["label"])
            if not isinstance(cues, list):
                raise LexiconError(f"{source}: category {cat!r} needs a list of cues")
            for i, item in enumerate(cues):
                where = f"{source}: category {cat!r}, cue #{i + 1}"
                if isinstance(item, str):
                    item = {"cue": item}
                if not isinstance(item, dict) or not item.get("cue"):
                    raise LexiconError(f"{where}: expected a string or a mapping with 'cue'")
                cs = bool(item.get("case_sensitive", False))
                flags = 0 if cs else re.IGNORECASE
                entries.append(_Entry(
                    pattern=str(item["cue"]),
                    category=str(cat),
                    tokens=_compile_tokens(str(item["cue"]), cs, where),
                    case_sensitive=cs,
                    exclude_before=_rx(item.get("exclude_before"), flags, where),
                    exclude_after=_rx(item.get("exclude_after"), flags, where),
                    require_before=_rx(item.get("require_before"), flags, where),
                    require_after=_rx(item.get("require_after"), flags, where),
                    order=len(entries),
                ))
        meta = {k: v for k, v in data.items() if k != "categories"}
        lex = cls(name, entries, meta)
        lex.labels = {c: labels.get(c, c.replace("_", " ")) for c in lex.categories}
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
        c = self._cache.get(low)
        if c is None:
            lst = list(self._by_lit.get(low, ()))
            lst.extend(e for pre, e in self._prefixes if low.startswith(pre))
            lst.sort(key=lambda e: (-len(e.tokens), e.order))
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
                v.sort(key=lambda e: (-len(e.tokens), e.order))
                by_second[k] = tuple(v)
            c = (one, by_second, tuple(rest)) if (one or by_second or rest) else ()
            if len(self._cache) < _CACHE_MAX:
                self._cache[low] = c
        return c

    @staticmethod
    def _tok_ok(kind: str, val, word: str) -> bool:
        if kind == "lit":
            return word == val
        if kind == "pre":
            return word.startswith(val)
        return word in val

    def _match_at(self, e: _Entry, toks: list, i: int) -> int:
        """Return the index after the last token matched by entry ``e`` at ``i``, or -1."""
        pats = e.tokens
        n = len(toks)
        w = 2 if e.case_sensitive else 3
        if not e.has_gap:
            if i + len(pats) > n:
                return -1
            tok_ok = self._tok_ok
            for p, (kind, val) in enumerate(pats):
                if not tok_ok(kind, val, toks[i + p][w]):
                    return -1
            return i + len(pats)

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
            if j >= n or not self._tok_ok(kind, val, toks[j][w]):
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
        same text (see :func:`tokenize`), so the text is tokenised once.
        """
        toks = tokens if tokens is not None else tokenize(text)
        out: list[Cue] = []
        i, n = 0, len(toks)
        cache, candidates, match_at, context_ok = self._cache, self._candidates, self._match_at, self._context_ok
        while i < n:
            tok = toks[i]
            c = cache.get(tok[3])
            if c is None:
                c = candidates(tok[3])
            if not c:
                i += 1
                continue
            one, two, rest = c
            best = None
            # multi-token cues first (they are longer than any single-token cue)
            multi = two.get(toks[i + 1][3], ()) if two and i + 1 < n else ()
            if rest:
                multi = sorted(multi + rest, key=lambda e: (-len(e.tokens), e.order)) if multi else rest
            for e in multi:
                j = match_at(e, toks, i)
                if j < 0 or (best is not None and j <= best[0]):
                    continue
                s, t = tok[0], toks[j - 1][1]
                if context_ok(e, text, s, t):
                    best = (j, e, s, t)
            if best is None:
                for e in one:
                    kind, val = e.tokens[0]
                    if e.case_sensitive and not self._tok_ok(kind, val, tok[2]):
                        continue
                    if context_ok(e, text, tok[0], tok[1]):
                        best = (i + 1, e, tok[0], tok[1])
                        break
            if best is None:
                i += 1
                continue
            j, e, s, t = best
            out.append(Cue(s, t, text[s:t], e.category, self.name, e.pattern))
            i = j
        return out

    def counts(self, cues: Iterable[Cue]) -> dict[str, int]:
        """Count cues per category (every category present, zero where none matched)."""
        c = dict.fromkeys(self.categories, 0)
        for cue in cues:
            c[cue.category] = c.get(cue.category, 0) + 1
        return c

    def __repr__(self) -> str:
        return f"CueLexicon({self.name!r}, {len(self.entries)} cues, categories={self.categories})"


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
