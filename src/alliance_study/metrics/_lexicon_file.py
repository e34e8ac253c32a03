"""Reading a cue lexicon's YAML data into compiled entries (private: see :mod:`.lexicon`).

Every mistake in a lexicon file is refused here with the file, category and cue
number, the reason and a fix: an unknown key, a category without cues, a bad or
catastrophically backtracking regular expression, a cue that one category
shadows in another.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

from ..errors import LexiconError, did_you_mean
from ..text import TOKEN_RE, backtracking_risk, straight_apostrophes

#: the most words a ``...`` gap in a cue may stand for
_GAP_MAX = 3
#: the way out of every malformed-lexicon error
_FIX = " Fix: correct the file (the packaged lexicons in alliance_study/lexicons/ show the format)."


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
    #: with gaps: the most tokens a match can span, and the last token when it is a word or
    #: alternatives (a match needs it within that span: checked before trying the gaps)
    span_max: int = 0
    last: tuple | None = None

    def __post_init__(self) -> None:
        self.has_gap = any(k == "gap" for k, _ in self.tokens)
        self.has_context = any(r is not None for r in (self.exclude_before, self.exclude_after,
                                                       self.require_before, self.require_after))
        self.span_max = sum(_GAP_MAX if k == "gap" else 1 for k, _ in self.tokens)
        self.last = self.tokens[-1] if self.tokens[-1][0] in ("lit", "alt") else None


def _entry_order(e: _Entry) -> tuple:
    """Longest cue first, then lexicon order."""
    return (-len(e.tokens), e.order)


def _compile_tokens(pattern: str, case_sensitive: bool, where: str) -> list:
    toks: list[tuple[str, Any]] = []
    for raw in pattern.split():
        t = raw if case_sensitive else raw.lower()
        t = straight_apostrophes(t)
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
                raise LexiconError(f"{where}: cue {pattern!r} has a part with no word characters: {raw!r}.{_FIX}")
            toks.extend(("lit", p) for p in parts)
    if not toks:
        raise LexiconError(f"{where}: empty cue.{_FIX}")
    if toks[0][0] == "gap" or toks[-1][0] == "gap":
        raise LexiconError(f"{where}: cue {pattern!r} may not start or end with '...'.{_FIX}")
    return toks


def _rx(value: Any, flags: int, where: str) -> re.Pattern | None:
    if value in (None, ""):
        return None
    if not isinstance(value, str):
        raise LexiconError(f"{where}: a context rule must be a regular expression in quotes, not {value!r}.{_FIX}")
    try:
        compiled = re.compile(value, flags)
    except re.error as exc:
        raise LexiconError(f"{where}: bad regular expression '{value}': {exc}.{_FIX}") from None
    risk = backtracking_risk(value)
    if risk:
        raise LexiconError(f"{where}: the regular expression '{value}' could take hours on one sentence ({risk}). "
                           f"Fix: let each repeat need its own text, e.g. (\\w+\\s)+ instead of (\\w+\\s?)+.")
    return compiled


#: the keys a cue mapping and a category mapping may have (anything else is a typo, refused)
_CUE_KEYS = ("cue", "case_sensitive", "exclude_before", "exclude_after", "require_before", "require_after")
_CATEGORY_KEYS = ("cues", "description", "label")


def _check_keys(mapping: dict, allowed: tuple, where: str, what: str) -> None:
    """Refuse the first key of ``mapping`` not in ``allowed`` (a misspelt option would be ignored)."""
    for key in mapping:
        if key not in allowed:
            raise LexiconError(f"{where}: unknown key {key!r}{did_you_mean(key, allowed)}; {what} takes "
                               f"{', '.join(allowed)}.{_FIX}")


def _refuse_shadowed(entries: list[_Entry], source: str) -> None:
    """Refuse a cue of one category that another category already has (same words, no context rule
    of its own to tell them apart): matches do not overlap, so only the first category would count it.

    >>> compile_lexicon({"categories": {"a": {"cues": ["week"]}, "b": {"cues": ["Week", "plan"]}}})
    Traceback (most recent call last):
    alliance_study.errors.LexiconError: <dict>: cue 'Week' of category 'b' is also cue 'week' of category 'a'; \
within one lexicon matches do not overlap, so it would only ever count for 'a'. Fix: keep the cue in the one \
category it signals, or give the categories context rules (require_after, ...) that tell them apart.
    """
    def rules(e: _Entry) -> tuple:
        return tuple(r.pattern if r is not None else None
                     for r in (e.exclude_before, e.exclude_after, e.require_before, e.require_after))

    first: dict[tuple, _Entry] = {}
    for e in entries:
        key = (tuple((k, tuple(sorted(v)) if isinstance(v, frozenset) else v) for k, v in e.tokens), e.case_sensitive)
        prev = first.setdefault(key, e)
        if prev is not e and prev.category != e.category and (not prev.has_context or rules(prev) == rules(e)):
            raise LexiconError(f"{source}: cue {e.pattern!r} of category {e.category!r} is also cue {prev.pattern!r} "
                               f"of category {prev.category!r}; within one lexicon matches do not overlap, so it "
                               f"would only ever count for {prev.category!r}. Fix: keep the cue in the one category "
                               f"it signals, or give the categories context rules (require_after, ...) that tell "
                               f"them apart.")


class Compiled(NamedTuple):
    """A lexicon's data, checked and compiled: what :class:`~.lexicon.CueLexicon` is built from."""

    name: str
    entries: list
    meta: dict
    #: category -> its ``label:`` where the file gives one
    labels: dict


def compile_lexicon(data: Any, source: str = "<dict>") -> Compiled:
    """Check and compile a lexicon given as a dict (the YAML format of :mod:`.lexicon`'s docstring).

    Mistakes are refused, not ignored: an unknown key of a category or a cue
    (``exclude_befor:``), a category without cues, a ``categories`` that is no
    mapping.  ``categories: {}`` is a lexicon with no cues (the packaged targets
    file is one: the target is the study's own choice).

    >>> compile_lexicon({"categories": {"modal": {"cues": [{"cue": "may", "exclude_befor": "x"}]}}})
    ... # doctest: +ELLIPSIS
    Traceback (most recent call last):
    alliance_study.errors.LexiconError: <dict>: category 'modal', cue #1: unknown key 'exclude_befor' (did you \
mean 'exclude_before'?); a cue takes cue, case_sensitive, ... Fix: correct the file ...
    """
    if not isinstance(data, dict) or "categories" not in data:
        raise LexiconError(f"{source}: a lexicon needs a top-level 'categories' mapping (the file is empty or "
                           f"has none).{_FIX}")
    name = str(data.get("name") or Path(source).stem)
    entries: list[_Entry] = []
    labels: dict[str, str] = {}
    cats = data["categories"]
    if not isinstance(cats, dict):
        got = "empty" if cats is None else f"a {type(cats).__name__}"
        raise LexiconError(f"{source}: 'categories' must map category names to {{cues: [...]}} (it is {got}; "
                           f"write `categories: {{}}` for a lexicon that deliberately has no cues).{_FIX}")
    for cat, body in cats.items():
        where = f"{source}: category {cat!r}"
        if isinstance(body, dict):
            _check_keys(body, _CATEGORY_KEYS, where, "a category")
            cues = body.get("cues")
            if body.get("label"):
                labels[str(cat)] = str(body["label"])
        else:
            cues = body
        if not isinstance(cues, list):
            raise LexiconError(f"{where} needs a list of cues (`cues: [word, ...]`).{_FIX}")
        if not cues:
            # a category without cues would be a column of zeros in every table: "never
            # found" for something never looked for
            raise LexiconError(f"{where} has no cues: it would count zero in every sentence. Fix: give "
                               f"it at least one cue, or delete the category.")
        for i, item in enumerate(cues):
            where = f"{source}: category {cat!r}, cue #{i + 1}"
            if isinstance(item, str):
                item = {"cue": item}
            if not isinstance(item, dict) or not item.get("cue") or not isinstance(item["cue"], (str, int)):
                raise LexiconError(f"{where}: expected a string or a mapping with 'cue'.{_FIX}")
            _check_keys(item, _CUE_KEYS, where, "a cue")
            cs = item.get("case_sensitive", False)
            if not isinstance(cs, bool):
                raise LexiconError(f"{where}: case_sensitive must be true or false, not {cs!r}.{_FIX}")
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
    _refuse_shadowed(entries, source)
    meta = {k: v for k, v in data.items() if k != "categories"}
    return Compiled(name, entries, meta, labels)
