"""The actor table: known speakers, their surface variants and role nouns (``lexicons/actors.csv``).

>>> t = load_actors(pd.DataFrame({"name": ["Ruth Okafor"], "variants": ["Ruth Okafor;Okafor"],
...     "role_nouns": ["labour minister"], "speaker_type": ["official"]}))
>>> t.lookup("Okafor").name, t.lookup("the labour minister").speaker_type
('Ruth Okafor', 'official')
>>> len(load_actors())  # the packaged table is empty: actors are a study's own choice
0
"""
from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

import pandas as pd

from ...errors import LexiconError, did_you_mean
from ...resources import cached, resolve
from ..registry import SPEAKER_TYPES
from .wordlists import trie_body

__all__ = ["Speaker", "Mention", "ActorTable", "load_actors"]


@dataclass(frozen=True)
class Speaker:
    """A resolved speaker (also used for actor-table rows)."""

    name: str
    speaker_type: str
    named: bool = True
    entity: str = "person"
    country: str = ""


class Mention(NamedTuple):
    """An actor-table variant or role noun found in a sentence (offsets relative to it)."""

    start: int
    end: int
    speaker: Speaker


def _whole_words(body: str, flags: int) -> re.Pattern:
    return re.compile(r"(?<![\w])(?:" + body + r")(?![\w])", flags)


def _split(value: Any) -> list[str]:
    if value is None or (isinstance(value, float) and value != value):
        return []
    return [v.strip() for v in str(value).split(";") if v.strip()]


#: the values of the optional columns (``speaker_type`` blank = unknown, ``entity`` blank = person,
#: ``named`` blank = true); anything else is refused (a typo would type a speaker wrongly), but a
#: study may give its own speaker type (a lower-case word not within a typo of these: "activist")
ACTOR_SPEAKER_TYPES = tuple(t for t in SPEAKER_TYPES if t != "unknown") + ("other", "unknown")
ENTITIES = ("person", "organization", "group")
_TRUE = ("true", "yes", "y", "1")
_FALSE = ("false", "no", "n", "0")


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, float) and value != value) or str(value).strip() == ""


def _choice(value: Any, allowed: tuple, default: str, at: str, column: str, custom: bool = False) -> str:
    """``value`` lower-cased when it is one of ``allowed`` (``default`` when blank); else refused.

    With ``custom``, a new lower-case word is a study's own value ("activist") unless it is
    within a letter or two of an allowed one ("offical", "experts"): that is taken for a typo.
    """
    if _blank(value):
        return default
    v = str(value).strip().lower()
    if (custom and v not in allowed and re.fullmatch(r"[a-z][a-z0-9_]*", v)
            and not did_you_mean(v, allowed, cutoff=0.8)):
        return v
    if v not in allowed:
        raise LexiconError(f"{at}, column {column}: {str(value).strip()!r} is not allowed"
                           f"{did_you_mean(v, allowed)}. "
                           f"Fix: write one of {', '.join(allowed)} (or leave it blank for {default}).")
    return v


def _truthy(value: Any, at: str = "<actor table>") -> bool:
    """The ``named`` column: true/false, yes/no, y/n, 1/0 (any case); blank is true; else refused."""
    if isinstance(value, bool):
        return value
    if _blank(value):
        return True
    v = str(value).strip().lower()
    if v in _TRUE or v in _FALSE:
        return v in _TRUE
    raise LexiconError(f"{at}, column named: {str(value).strip()!r} is neither true nor false. "
                       f"Fix: write true (a named person or organisation) or false (a generic row such as "
                       f"'some experts'), or leave it blank for true.")


class ActorTable:
    """Known speakers: canonical names, surface variants and role nouns, one compiled regex.

    Build with :func:`load_actors` (CSV) or directly from a DataFrame with columns
    ``name, variants, role_nouns, speaker_type`` and optionally ``entity, named,
    country`` (see ``lexicons/actors.csv``).  Variants match case-sensitively as
    whole words, role nouns case-insensitively.  ``speaker_type`` is one of
    :data:`ACTOR_SPEAKER_TYPES` (blank: unknown) or a study's own lower-case type
    ("activist", not a near-miss such as "offical"), ``entity`` one of :data:`ENTITIES`
    (blank: person), ``named`` true/false (blank: true); another value, a name given
    twice or a row without a name is refused, naming the line (``lines``: the file line
    of each row; without it, the row number).

    >>> t = ActorTable(pd.DataFrame({"name": ["Ann Lee"], "variants": ["Ann Lee;Dr Lee"],
    ...     "role_nouns": ["the bank's governor"], "speaker_type": ["official"]}))
    >>> [m.speaker.name for m in t.mentions("Dr Lee met the Bank's Governor.")]
    ['Ann Lee', 'Ann Lee']
    """

    REQUIRED = ("name", "variants", "role_nouns", "speaker_type")

    def __init__(self, df: pd.DataFrame, source: str = "<DataFrame>", lines: list[int] | None = None):
        missing = [c for c in self.REQUIRED if c not in df.columns]
        if missing:
            raise LexiconError(f"{source}: actor table lacks column(s) {missing}. "
                               f"Fix: give the columns {list(self.REQUIRED)} (see lexicons/actors.csv).")
        self.source = source
        self.actors: dict[str, Speaker] = {}
        self._variant: dict[str, str] = {}
        self._role: dict[str, str] = {}
        self.full_variants: dict[str, set[str]] = {}
        alts: list[tuple[int, str]] = []
        variant_forms: set[str] = set()
        role_forms: set[str] = set()
        if lines is not None and len(lines) != len(df):
            lines = None  # the CSV reader and the line count disagree: name rows by number instead
        first: dict[str, str] = {}
        for k, row in enumerate(df.to_dict("records")):
            at = f"{source} line {lines[k]}" if lines is not None else f"{source} row {k + 1}"
            name = "" if _blank(row.get("name")) else str(row.get("name")).strip()
            if name.startswith("#"):
                continue
            if not name:
                if any(not _blank(v) for v in row.values()):
                    raise LexiconError(f"{at}: the row has no name. Fix: give its canonical name in the "
                                       f"name column, or delete the row.")
                continue
            if name in first:
                raise LexiconError(f"{at}: {name!r} is listed twice (also on {first[name]}). Fix: merge the "
                                   f"two rows into one (variants and role nouns are ;-separated).")
            first[name] = at.replace(f"{source} ", "", 1)
            stype = _choice(row.get("speaker_type"), ACTOR_SPEAKER_TYPES, "unknown", at, "speaker_type", custom=True)
            entity = _choice(row.get("entity"), ENTITIES, "person", at, "entity")
            named = _truthy(row.get("named"), at)
            country = row.get("country")
            country = "" if country is None or country != country else str(country)
            self.actors[name] = Speaker(name, stype, named, entity, country)
            variants = _split(row.get("variants"))
            if named and name not in variants and not name.endswith(")"):
                variants.append(name)
            for v in variants:
                self._variant.setdefault(v, name)
                alts.append((len(v), re.escape(v)))
                variant_forms.add(v)
                if len(v.split()) > 1:
                    self.full_variants.setdefault(name, set()).add(v)
            for r in _split(row.get("role_nouns")):
                self._role.setdefault(r.lower(), name)
                alts.append((len(r), "(?i:" + re.escape(r) + ")"))
                role_forms.add(r)
        alts.sort(key=lambda a: -a[0])
        body = "|".join(a for _, a in alts) or r"(?!x)x"
        #: the definition: every variant (case-sensitive) and role noun (any case), longest first
        self.regex = re.compile(r"(?<![\w])(?:" + body + r")(?![\w])")
        # what mentions() runs: one trie per kind, the longer of their matches where both match
        self._variant_rx = _whole_words(trie_body(sorted(variant_forms), re.escape(" ")), 0) if variant_forms else None
        self._role_rx = None
        if role_forms:
            if all(r.isascii() for r in role_forms):
                body = trie_body(sorted({r.lower() for r in role_forms}), re.escape(" "))
            else:
                body = "|".join(re.escape(r) for r in sorted(role_forms, key=len, reverse=True))
            self._role_rx = _whole_words(body, re.IGNORECASE)

    def lookup(self, text: str) -> Speaker | None:
        """The actor a matched variant or role noun stands for (None if unknown)."""
        name = self._variant.get(text) or self._role.get(text.lower())
        if name is None and text.lower().startswith(("the ", "a ", "an ")):
            return self.lookup(text.split(None, 1)[1])
        return self.actors.get(name) if name else None

    def _matches(self, text: str):
        """``(start, end)`` of the matches of :attr:`regex`, left to right, found with the two tries.

        :attr:`regex` takes, at the leftmost position where any form matches, the
        longest form (forms are literal: a longer form is a longer match), then goes
        on after it; so does this, taking the longer of the two tries' leftmost matches.
        """
        va, ro = self._variant_rx, self._role_rx
        pos = 0
        while True:
            a = va.search(text, pos) if va is not None else None
            b = ro.search(text, pos) if ro is not None else None
            if a is None and b is None:
                return
            if b is None or (a is not None and (a.start(), -a.end()) <= (b.start(), -b.end())):
                m = a
            else:
                m = b
            assert m is not None, "one of the two matched (checked above)"
            yield m.start(), m.end()
            pos = m.end()

    def mentions(self, text: str) -> list[Mention]:
        """Every actor variant or role noun in ``text`` that resolves to an actor, in text order."""
        out = []
        for start, end in self._matches(text):
            sp = self.lookup(text[start:end])
            if sp is not None:
                out.append(Mention(start, end, sp))
        return out

    def surnames(self, names: set[str]) -> dict[str, str]:
        """First/last words of the given persons' canonical names -> name (ambiguous ones dropped)."""
        out: dict[str, str] = {}
        clash: set[str] = set()
        for n in names:
            a = self.actors.get(n)
            if a is None or a.entity != "person" or not a.named:
                continue
            words = n.split()
            if len(words) < 2:
                continue
            for w in {words[0], words[-1]}:
                if w in out and out[w] != n:
                    clash.add(w)
                out[w] = n
        return {k: v for k, v in out.items() if k not in clash}

    def __len__(self) -> int:
        return len(self.actors)


def _parse_actor_csv(path: Path) -> ActorTable:
    try:
        df = pd.read_csv(path, comment="#", dtype=str, keep_default_na=False, skipinitialspace=True)
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as exc:
        raise LexiconError(f"{path}: not a readable CSV actor table ({exc}). "
                           "Fix: save it as UTF-8 CSV with the columns of lexicons/actors.csv.") from None
    return ActorTable(df, source=str(path), lines=_record_lines(path))


def _record_lines(path: Path) -> list[int] | None:
    """The line number on which each data row of the actor CSV starts (comment and blank lines skipped).

    >>> import tempfile
    >>> f = Path(tempfile.mkdtemp()) / "a.csv"
    >>> _ = f.write_text('# note\\nname,notes\\n\\nAnn,"two\\nlines"\\nBo,x\\n', encoding="utf-8")
    >>> _record_lines(f)
    [4, 6]
    """
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return None
    kept = [(n, line) for n, line in enumerate(text.split("\n"), 1) if not line.startswith("#")]
    reader = csv.reader(line for _, line in kept)
    out, used = [], 0
    for record in reader:  # a record starts on the first kept line the reader had not used
        start, used = kept[used][0], reader.line_num
        if len(record) > 1 or (record and record[0].strip()):  # pandas skips blank lines only
            out.append(start)
    return out[1:]  # the first record is the header


def load_actors(actors: Any = None) -> ActorTable:
    """The actor table: packaged ``actors.csv`` (None), a CSV path, a DataFrame or an ActorTable.

    Files are parsed once per version (:func:`alliance_study.resources.cached`).

    >>> load_actors().lookup("the labour minister") is None  # packaged table: empty
    True
    >>> load_actors(pd.DataFrame({"name": ["Ruth Okafor"], "variants": ["Okafor"], "role_nouns": [""],
    ...     "speaker_type": ["official"]})).lookup("Okafor").name
    'Ruth Okafor'
    """
    if isinstance(actors, ActorTable):
        return actors
    if isinstance(actors, pd.DataFrame):
        return ActorTable(actors)
    path = resolve(actors if actors is not None else "actors", suffix=".csv", what="actor table")
    return cached(_parse_actor_csv, path)
