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
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any, Iterable

import yaml

from ..errors import AllianceStudyError

#: Word tokens: runs of letters/digits with internal apostrophes kept ("don't",
#: "China's"); hyphens and periods split ("China-Russia" -> "China", "Russia").
TOKEN_RE = re.compile(r"\w+(?:['’]\w+)*", re.UNICODE)
_CONTEXT = 80
_GAP_MAX = 3


class LexiconError(AllianceStudyError, ValueError):
    """A lexicon file is malformed; the message names the file and the entry."""


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


def _norm(tok: str) -> str:
    return tok.replace("’", "'")


def _compile_tokens(pattern: str, case_sensitive: bool, where: str) -> list:
    toks = []
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
        # index by first token: literal -> entries; prefixes and alternatives kept apart
        self._by_lit: dict[str, list[_Entry]] = {}
        self._by_pre: dict[str, list[tuple[str, _Entry]]] = {}  # first 2 chars of prefix -> entries
        for e in entries:
            kind, val = e.tokens[0]
            if kind == "lit":
                self._by_lit.setdefault(val if not e.case_sensitive else val.lower(), []).append(e)
            elif kind == "alt":
                for a in val:
                    self._by_lit.setdefault(a.lower(), []).append(e)
            elif kind == "pre":
                self._by_pre.setdefault(val[:2].lower(), []).append((val.lower(), e))
        for lst in self._by_lit.values():
            lst.sort(key=lambda e: (-len(e.tokens), e.order))

    # ------------------------------------------------------------------ loading
    @classmethod
    def from_dict(cls, data: dict, source: str = "<dict>") -> "CueLexicon":
        if not isinstance(data, dict) or "categories" not in data:
            raise LexiconError(f"{source}: a lexicon needs a top-level 'categories' mapping")
        name = str(data.get("name") or Path(source).stem)
        entries: list[_Entry] = []
        cats = data["categories"]
        if not isinstance(cats, dict):
            raise LexiconError(f"{source}: 'categories' must map category names to {{cues: [...]}}")
        for cat, body in cats.items():
            cues = body.get("cues") if isinstance(body, dict) else body
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
        return cls(name, entries, meta)

    @classmethod
    def from_yaml(cls, path: str | Path) -> "CueLexicon":
        path = Path(path)
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise LexiconError(f"{path}: lexicon file not found") from None
        except yaml.YAMLError as exc:
            raise LexiconError(f"{path}: not valid YAML: {exc}") from None
        return cls.from_dict(data, source=str(path))

    # ----------------------------------------------------------------- matching
    def _match_at(self, e: _Entry, toks: list, i: int) -> int:
        """Return the index after the last token matched by entry ``e`` at ``i``, or -1."""
        pats = e.tokens
        n = len(toks)

        def rec(p: int, j: int) -> int:
            if p == len(pats):
                return j
            kind, val = pats[p]
            if kind == "gap":
                for skip in range(_GAP_MAX, -1, -1):  # greedy, but longest overall is fine
                    if j + skip <= n:
                        r = rec(p + 1, j + skip)
                        if r >= 0:
                            return r
                return -1
            if j >= n:
                return -1
            word = toks[j][2] if e.case_sensitive else toks[j][3]
            if kind == "lit":
                ok = word == val
            elif kind == "pre":
                ok = word.startswith(val)
            else:
                ok = word in val
            return rec(p + 1, j + 1) if ok else -1

        return rec(0, i)

    def _context_ok(self, e: _Entry, text: str, start: int, end: int) -> bool:
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
        by_lit, by_pre = self._by_lit, self._by_pre
        while i < n:
            low = toks[i][3]
            cands = by_lit.get(low)
            pres = by_pre.get(low[:2]) if by_pre else None
            if pres:
                cands = list(cands or []) + [e for pre, e in pres if low.startswith(pre)]
                cands.sort(key=lambda e: (-len(e.tokens), e.order))
            best = None
            if cands:
                for e in cands:
                    j = self._match_at(e, toks, i)
                    if j < 0:
                        continue
                    s, t = toks[i][0], toks[j - 1][1]
                    if not self._context_ok(e, text, s, t):
                        continue
                    if best is None or j > best[0]:
                        best = (j, e, s, t)
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


def tokenize(text: str) -> list[tuple[int, int, str, str]]:
    """Word tokens of ``text`` as ``(start, end, token, normalised_lowercase)`` tuples.

    >>> [t[2] for t in tokenize("China’s U.S.-led rival")]
    ['China’s', 'U', 'S', 'led', 'rival']
    """
    return [(m.start(), m.end(), m.group(), _norm(m.group()).lower()) for m in TOKEN_RE.finditer(text)]


# --------------------------------------------------------------------- packaged data
def packaged(name: str) -> Path:
    """Path of a data file shipped in :mod:`alliance_study.lexicons`."""
    return Path(str(resources.files("alliance_study.lexicons").joinpath(name)))


@lru_cache(maxsize=64)
def _load_cached(path: str, mtime: float) -> CueLexicon:
    return CueLexicon.from_yaml(path)


def load_lexicon(path_or_name: str | Path) -> CueLexicon:
    """Load a cue lexicon by packaged name (``"hedges"``) or by file path; cached per file version.

    >>> load_lexicon("hedges").name
    'hedges'
    """
    p = Path(path_or_name)
    if not p.suffix and not p.exists():
        p = packaged(f"{path_or_name}.yaml")
    if not p.exists():
        raise LexiconError(f"{p}: lexicon file not found (give a packaged name such as 'hedges' or a path to a YAML file)")
    return _load_cached(str(p.resolve()), p.stat().st_mtime)
