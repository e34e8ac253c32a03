"""Who is quoted, and how: one row per attribution (speaker + reporting cue + quote).

:func:`attributions` reads a :class:`~alliance_study.corpus.Corpus` (or any sentence
table) and finds reported speech with general, data-driven patterns.  Nothing here
knows a name: reporting verbs, role nouns and word lists come from
``lexicons/attribution.yaml`` and the people and outlets from ``lexicons/actors.csv``;
both can be replaced (``speech=PATH``, ``actors=PATH``).

Patterns (``pattern`` column)
-----------------------------
``subject_verb``
    a speaker phrase right before a reporting verb: "Cui said", "X said that ...",
    "..., X said.", "the ministry announced", "Putin recently stated", also with an
    appositive: "X, a professor at Y University, told Reuters that ...";
``verb_subject``
    after a quote, a comma or a dash the speaker may follow the verb: "..., said X,
    a ...", "..." stated Xi Jinping", "..., reported agency TASS", "- said the minister";
``speaker_after``
    cues whose speaker follows them: "according to X", "was expressed by X";
``dash_block``
    a line that opens with a dash, holds a cue and no quotation marks attributes
    the paragraph before it ("<quoted paragraph>" / "- said the Russian president.");
    the row is attached to the first sentence of that paragraph;
``reader_comment``
    every sentence of role ``reader_comment`` is attributed to the comment's author
    (from ``Corpus.segments`` or an ``author`` column), ``speaker_type`` ``reader``.

Speaker resolution (``resolution`` column)
------------------------------------------
``table``  the phrase holds a variant or role noun of the actor table ("Russian
           President Vladimir Putin", "the Russian president" -> Vladimir Putin);
``surname`` first or last word of a name seen in full earlier in the same article
           ("Cui said" after "Cui Heng, ...") -- table actors and new names alike;
``pronoun`` he/she/they: the most recent person in the same article, i.e. the
           latest of (a) named speakers found so far and (b) person mentions of the
           actor table before the pronoun; "it": the latest organisation;
``anaphora`` a bare definite role noun ("the expert", "the minister") with no name:
           the most recent named speaker of that role noun's type in the article;
``name``   a capitalised name not in the table ("Jane Doe"); titles are stripped
           ("State Councilor Shi Yinhong" -> "Shi Yinhong") and the type comes from
           the first role noun of the appositive/phrase (professor -> expert), else
           from words of the name (Post, Times -> media), else ``unknown``;
``possessive`` "its/their" + a role noun ("Its spokesperson stressed"): that role
           of the latest organisation in the article ("Chinese Defense Ministry
           spokesperson"), type of the role noun, ``named`` False;
``role``   an unnamed role phrase ("a spokesman", "officials"): type of the role
           noun, plural -> ``anonymous``; ``named`` is False.
Unresolved pronouns give speaker = the pronoun and type ``unknown``.

Quotes and offsets
------------------
``direct`` is True when quotation marks (straight or curly double quotes; single
quotes are ignored, they are mostly scare quotes or apostrophes) stand in the
sentence outside the cue, and for dash blocks and reader comments.  ``quote`` is
the quoted text without the marks; for indirect speech it is the reported clause
(the text after "that"/after the cue, or before ", X said"), possibly empty.
``quote_start``/``quote_end`` are character offsets **relative to the start of the
sentence** ``sent_id``; a quote that runs over several sentences (quote opened in
one sentence and closed in a later one, or a dash block) is attached to the
sentence where it begins and ``quote_end`` may exceed that sentence's length.
With a ``Corpus`` (or a ``start`` column) adding the sentence ``start`` gives the
offset in the article text; for multi-sentence quotes without a ``Corpus`` the
quote text is the sentences joined with one space.  ``cue_sent_id``/``cue_start``
locate the cue itself.  Reporting verbs inside quotation marks are ignored.

Example
-------
>>> import pandas as pd
>>> s = pd.DataFrame({"article_id": ["a", "a"], "sent_id": [0, 1], "text": [
...     "Jane Doe, a professor at Example University, told Reuters that talks failed.",
...     '"We will see," she said.']})
>>> attributions(s)[["speaker", "speaker_type", "verb", "direct", "via"]].values.tolist()
[['Jane Doe', 'expert', 'told', False, 'Reuters'], ['Jane Doe', 'expert', 'said', True, '']]
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from ..errors import InputError
from ..errors import LexiconError
from ..resources import packaged

__all__ = ["attributions", "ActorTable", "SpeechRules", "load_actors", "load_speech_rules", "COLUMNS"]

#: columns of the table :func:`attributions` returns, in order
COLUMNS = ["article_id", "sent_id", "role", "speaker", "speaker_type", "named", "verb", "direct",
           "quote", "quote_start", "quote_end", "cue", "via", "country", "speaker_text",
           "resolution", "pattern", "cue_sent_id", "cue_start"]

_TOKEN = re.compile(r"[^\W_]+(?:['’][^\W_]+)*(?:[-‐][^\W_]+)*(?:['’])?|[^\w\s]")
_OPEN_CTX = set(" \t\n([{—–-:/")
_QUOTE_PUNCT = {'"', "“", "”", "„", "«", "»"}
_SENT_END = ".!?;:"
#: speaker types whose capitalised role nouns are personal titles stripped from names
_TITLE_TYPES = frozenset({"official", "expert"})
#: words that open a short adverbial after a verb ("..., X said during a briefing.")
_TAIL_WORDS = frozenset("during on in at via last this yesterday today after before when while as "
                        "on in at to from with".split())


# ======================================================================= actor table
@dataclass(frozen=True)
class Speaker:
    """A resolved speaker (also used for actor-table rows)."""

    name: str
    speaker_type: str
    named: bool = True
    entity: str = "person"
    country: str = ""


def _split(value: Any) -> list[str]:
    if value is None or (isinstance(value, float) and value != value):
        return []
    return [v.strip() for v in str(value).split(";") if v.strip()]


def _truthy(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    return str(value).strip().lower() not in ("false", "0", "no", "n", "")


class ActorTable:
    """Known speakers: canonical names, surface variants and role nouns, one compiled regex.

    Build with :func:`load_actors` (CSV) or directly from a DataFrame with columns
    ``name, variants, role_nouns, speaker_type`` and optionally ``entity, named,
    country`` (see ``lexicons/actors.csv``).  Variants match case-sensitively as
    whole words, role nouns case-insensitively.

    >>> t = ActorTable(pd.DataFrame({"name": ["Ann Lee"], "variants": ["Ann Lee;Dr Lee"],
    ...     "role_nouns": ["the bank's governor"], "speaker_type": ["official"]}))
    >>> [t.lookup(m.group()).name for m in t.regex.finditer("Dr Lee met the Bank's Governor.")]
    ['Ann Lee', 'Ann Lee']
    """

    REQUIRED = ("name", "variants", "role_nouns", "speaker_type")

    def __init__(self, df: pd.DataFrame, source: str = "<DataFrame>"):
        missing = [c for c in self.REQUIRED if c not in df.columns]
        if missing:
            raise LexiconError(f"{source}: actor table lacks column(s) {missing}; "
                               f"needs {list(self.REQUIRED)} (see lexicons/actors.csv)")
        self.source = source
        self.actors: dict[str, Speaker] = {}
        self._variant: dict[str, str] = {}
        self._role: dict[str, str] = {}
        self.full_variants: dict[str, set[str]] = {}
        alts: list[tuple[int, str]] = []
        for i, row in enumerate(df.to_dict("records")):
            name = str(row.get("name") or "").strip()
            if not name or name.startswith("#"):
                continue
            stype = str(row.get("speaker_type") or "unknown").strip().lower()
            entity = str(row.get("entity") or "person").strip().lower()
            named = _truthy(row.get("named", True)) if "named" in row else True
            country = row.get("country")
            country = "" if country is None or country != country else str(country)
            self.actors[name] = Speaker(name, stype, named, entity, country)
            variants = _split(row.get("variants"))
            if named and name not in variants and not name.endswith(")"):
                variants.append(name)
            for v in variants:
                self._variant.setdefault(v, name)
                alts.append((len(v), re.escape(v)))
                if len(v.split()) > 1:
                    self.full_variants.setdefault(name, set()).add(v)
            for r in _split(row.get("role_nouns")):
                self._role.setdefault(r.lower(), name)
                alts.append((len(r), "(?i:" + re.escape(r) + ")"))
        alts.sort(key=lambda a: -a[0])
        body = "|".join(a for _, a in alts) or r"(?!x)x"
        self.regex = re.compile(r"(?<![\w])(?:" + body + r")(?![\w])")

    def lookup(self, text: str) -> Speaker | None:
        """The actor a matched variant or role noun stands for (None if unknown)."""
        name = self._variant.get(text) or self._role.get(text.lower())
        if name is None and text.lower().startswith(("the ", "a ", "an ")):
            return self.lookup(text.split(None, 1)[1])
        return self.actors.get(name) if name else None

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


def _read_actor_csv(path: Path) -> pd.DataFrame:
    try:
        return pd.read_csv(path, comment="#", dtype=str, keep_default_na=False, skipinitialspace=True)
    except FileNotFoundError:
        raise LexiconError(f"{path}: actor table not found") from None
    except (pd.errors.ParserError, UnicodeDecodeError) as exc:
        raise LexiconError(f"{path}: not a readable CSV actor table: {exc}") from None


@lru_cache(maxsize=16)
def _actors_cached(path: str, mtime: float) -> ActorTable:
    return ActorTable(_read_actor_csv(Path(path)), source=path)


def load_actors(actors: Any = None) -> ActorTable:
    """The actor table: packaged ``actors.csv`` (None), a CSV path, a DataFrame or an ActorTable.

    >>> load_actors().lookup("Russian President Vladimir Putin").name
    'Vladimir Putin'
    """
    if isinstance(actors, ActorTable):
        return actors
    if isinstance(actors, pd.DataFrame):
        return ActorTable(actors)
    p = Path(actors) if actors is not None else packaged("actors.csv")
    if not p.exists():
        raise LexiconError(f"{p}: actor table not found (give a CSV path, a DataFrame, or None for the packaged one)")
    return _actors_cached(str(p.resolve()), p.stat().st_mtime)


# ======================================================================= speech rules
def _plurals(noun: str) -> list[str]:
    words = noun.split()
    last = words[-1]
    if last.endswith("man"):
        pl = [last[:-3] + "men"]
    elif last.endswith("y") and len(last) > 2 and last[-2] not in "aeiou":
        pl = [last[:-1] + "ies"]
    elif last.endswith(("s", "sh", "ch", "x")):
        pl = [last + "es"]
    else:
        pl = [last + "s"]
    return [" ".join(words[:-1] + [p]) for p in pl]


def _alt_regex(words, flags=re.IGNORECASE) -> re.Pattern:
    words = sorted(set(words), key=len, reverse=True)
    body = "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in words) or r"(?!x)x"
    return re.compile(r"(?<![\w])(?:" + body + r")(?![\w])", flags)


class SpeechRules:
    """Compiled ``attribution.yaml``: reporting cues, role nouns, word lists.

    >>> r = load_speech_rules()
    >>> r.cue("told"), r.role_type("spokesmen")
    (('told', 'before', True), ('official', True))
    """

    def __init__(self, data: dict, source: str = "<dict>"):
        if not isinstance(data, dict) or "speech_verbs" not in data:
            raise LexiconError(f"{source}: an attribution rules file needs a 'speech_verbs' mapping")
        self.source = source
        self._cues: dict[str, tuple[str, str, bool]] = {}
        for kind, key in (("before", "speech_verbs"), ("after", "speaker_after")):
            for label, body in (data.get(key) or {}).items():
                recipient = False
                if isinstance(body, dict):
                    recipient = bool(body.get("recipient", False))
                    body = body.get("forms")
                if not isinstance(body, list) or not body:
                    raise LexiconError(f"{source}: {key}.{label} needs a list of surface forms")
                for form in body:
                    self._cues[" ".join(str(form).lower().split())] = (str(label), kind, recipient)
        self.cue_regex = _alt_regex(self._cues)
        self._roles: dict[str, tuple[str, bool]] = {}
        for stype, nouns in (data.get("role_nouns") or {}).items():
            for n in nouns or []:
                n = " ".join(str(n).lower().split())
                self._roles.setdefault(n, (str(stype), False))
                for p in _plurals(n):
                    self._roles.setdefault(p, (str(stype), True))
        self.role_regex = _alt_regex(self._roles)
        self.role_words = frozenset(w for n in self._roles for w in n.split())
        self.name_words: dict[str, str] = {}
        for stype, words in (data.get("name_words") or {}).items():
            for w in words or []:
                self.name_words.setdefault(str(w), str(stype))
        low = lambda key: frozenset(str(w).lower() for w in (data.get(key) or []))  # noqa: E731
        self.pronouns = {str(k).lower(): str(v) for k, v in (data.get("pronouns") or {}).items()}
        self.determiners = low("determiners")
        self.definite = low("definite")
        self.between = low("between_subject_and_verb")
        self.stop_words = low("stop_words")
        self.not_names = frozenset(str(w) for w in (data.get("not_names") or []))
        self.particles = low("name_particles")
        self.after_stops = low("after_phrase_stops")
        self.skip_roles = frozenset(str(w) for w in (data.get("skip_roles") or []))
        self.reader_role = str(data.get("reader_role") or "reader_comment")
        self.reader_verb = str(data.get("reader_verb") or "commented")
        self.dash_marks = tuple(str(d) for d in (data.get("dash_marks") or ["-", "–", "—"]))

    def cue(self, surface: str) -> tuple[str, str, bool] | None:
        """``(label, 'before'|'after', takes_recipient)`` for a cue's surface form."""
        return self._cues.get(" ".join(surface.lower().split()))

    def role_type(self, noun: str) -> tuple[str, bool] | None:
        """``(speaker_type, is_plural)`` of a role noun, or None."""
        return self._roles.get(" ".join(noun.lower().split()))


@lru_cache(maxsize=16)
def _rules_cached(path: str, mtime: float) -> SpeechRules:
    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise LexiconError(f"{path}: not valid YAML: {exc}") from None
    return SpeechRules(data, source=path)


def load_speech_rules(speech: Any = None) -> SpeechRules:
    """Attribution rules: packaged ``attribution.yaml`` (None), a YAML path, a dict or SpeechRules."""
    if isinstance(speech, SpeechRules):
        return speech
    if isinstance(speech, dict):
        return SpeechRules(speech)
    p = Path(speech) if speech is not None else packaged("attribution.yaml")
    if not p.exists():
        raise LexiconError(f"{p}: attribution rules file not found")
    return _rules_cached(str(p.resolve()), p.stat().st_mtime)


# ======================================================================= per sentence
@dataclass
class _Sent:
    idx: int
    article_id: Any
    sent_id: Any
    seg_id: Any
    role: str
    text: str
    start: int
    toks: list          # (start, end, token)
    quotes: list        # (qs, qe, kind) kind in full | cont_in | cont_out
    has_marks: bool
    mentions: list      # (start, end, Speaker)


def _quote_spans(text: str) -> tuple[list[tuple[int, int, str]], bool]:
    """Double-quote spans of a sentence: ``(content_start, content_end, kind)``.

    kind ``full`` (opened and closed here), ``cont_in`` (closed here, opened in an
    earlier sentence), ``cont_out`` (opened here, closed later).  Straight quotes
    open after a space/bracket/dash or at the start, else close.  A second opening
    mark inside an open quote is treated as nested and ignored.
    """
    spans = []
    open_at = None
    seen = False
    for i, ch in enumerate(text):
        if ch in "“„«":
            kind = "open"
        elif ch in "”»":
            kind = "close"
        elif ch == '"':
            kind = "open" if (i == 0 or text[i - 1] in _OPEN_CTX) and open_at is None else "close"
        else:
            continue
        seen = True
        if kind == "open":
            if open_at is None:
                open_at = i + 1
        else:
            if open_at is not None:
                spans.append((open_at, i, "full"))
                open_at = None
            elif not spans:
                spans.append((0, i, "cont_in"))
    if open_at is not None:
        spans.append((open_at, len(text), "cont_out"))
    return spans, seen


class _Article:
    """Per-article resolution state (surnames, last person/organisation, named speakers)."""

    def __init__(self, surnames: dict[str, Speaker]):
        self.surnames = surnames            # word -> Speaker (activated table surnames + new names)
        self.names: dict[str, Speaker] = {}  # full new names -> Speaker
        self.last_person: Speaker | None = None
        self.last_org: Speaker | None = None
        self.named: list[Speaker] = []

    def remember(self, sp: Speaker) -> None:
        if not sp.named:
            return
        if sp.entity == "person":
            self.last_person = sp
        elif sp.entity == "organization":
            self.last_org = sp
        self.named.append(sp)

    def see(self, sp: Speaker) -> None:
        """A mention (not necessarily a speaker) of a table actor."""
        if sp.named and sp.entity == "person":
            self.last_person = sp
        elif sp.named and sp.entity == "organization":
            self.last_org = sp


class _Finder:
    def __init__(self, actors: ActorTable, rules: SpeechRules):
        self.a = actors
        self.r = rules

    # ------------------------------------------------------------ phrase helpers
    def _is_word(self, tok: str) -> bool:
        return tok[0].isalnum()

    def _is_cap(self, tok: str) -> bool:
        return tok[0].isupper() and tok not in self.r.not_names

    def _first_role(self, text: str) -> tuple[str, bool] | None:
        m = self.r.role_regex.search(text)
        return self.r.role_type(m.group()) if m else None

    def _name_type(self, name: str) -> str | None:
        for w in name.split():
            t = self.r.name_words.get(w.rstrip("’'s"))
            if t:
                return t
        return None

    def _resolve_phrase(self, s: _Sent, ti: int, tj: int, art: _Article, appos: str = "",
                        after: bool = False):
        """Resolve tokens ``s.toks[ti:tj]`` to ``(Speaker, resolution, span_start, span_end)`` or None."""
        toks = s.toks
        r = self.r
        while ti < tj and toks[ti][2].lower() in r.determiners:
            ti += 1
        det = s.toks[ti - 1][2].lower() if ti > 0 and ti <= len(toks) and toks[ti - 1][2].lower() in r.determiners else ""
        if ti >= tj:
            return None
        ps, pe = toks[ti][0], toks[tj - 1][1]
        phrase = s.text[ps:pe]
        # 1. actor-table mention: the last one with no capitalised word after it
        best = None
        for ms, me, sp in s.mentions:
            if me > ps and me <= pe and (ms >= ps or me == pe):  # inside, or ending the phrase
                # only role-noun words may follow the mention ("TASS news agency")
                later = [t for t in toks[ti:tj] if t[0] >= me and self._is_word(t[2])
                         and t[2].lower() not in r.role_words]
                if not later:
                    if best is None or (sp.entity == "person") >= (best[2].entity == "person"):
                        best = (ms, me, sp)
        if best is not None:
            return best[2], "table", min(best[0], ps), best[1]
        words = [t for t in toks[ti:tj] if self._is_word(t[2])]
        if not words:
            return None
        # 2. pronoun
        if len(words) == 1 and words[0][2].lower() in r.pronouns and not det:
            kind = r.pronouns[words[0][2].lower()]
            ante = art.last_person if kind == "person" else art.last_org
            if ante is not None:
                return ante, "pronoun", ps, pe
            return Speaker(words[0][2].lower(), "unknown", False, kind), "pronoun", ps, pe
        # 3. lower-case role phrase head ("a spokesman", "officials", "the expert")
        head_end = tj
        if after:  # "a professor at X University": head before the first preposition
            for k in range(ti, tj):
                if toks[k][2].lower() in ("of", "at", "from", "in", "with", "for") and k > ti:
                    head_end = k
                    break
        head_text = s.text[ps:toks[head_end - 1][1]]
        hm = None
        for m in r.role_regex.finditer(head_text):
            hm = m
        role_head = (hm is not None and hm.end() == len(head_text) and not hm.group()[0].isupper())
        tail_run = self._cap_run(s, ti, tj)
        tail_is_person = tail_run is not None and not self._name_type(s.text[tail_run[0]:tail_run[1]])
        if role_head and not (tail_is_person and head_end < tj) and not (tail_run and head_end == tj
                                                                         and tail_run[1] == pe):
            stype, plural = r.role_type(hm.group())
            bare = head_text[:hm.start()].strip() == ""
            if det in r.definite and bare and not plural:
                for sp in reversed(art.named):
                    if sp.speaker_type == stype:
                        return sp, "anaphora", ps, pe
            if det in ("its", "their") and bare and art.last_org is not None:
                org = art.last_org
                return (Speaker(f"{org.name} {head_text.strip().lower()}", stype if not plural else "anonymous",
                                False, "group" if plural else "person", org.country),
                        "possessive", ps, pe)
            text = head_text.strip()
            if not any(w[0].isupper() for w in text.split()[1:]):
                text = text[0].lower() + text[1:]
            return Speaker(text, "anonymous" if plural else stype, False, "group" if plural else "person"), "role", ps, pe
        # 4. capitalised name at the end of the phrase
        if tail_run is None:
            return None
        rs, re_, run = tail_run[0], tail_run[1], tail_run[2]
        # strip titles: everything up to the last personal title ("State Councilor",
        # "President"): a role noun of a person type that is not an organisation word
        cut = 0
        for k, t in enumerate(run[:-1]):
            if t[2] in r.name_words:
                continue
            rt = r.role_type(t[2])
            if rt is not None and rt[0] in _TITLE_TYPES:
                cut = k + 1
        run = run[cut:]
        while run and run[0][2].lower() in r.particles:
            run = run[1:]
        if not run:
            return None
        rs = run[0][0]
        name = s.text[rs:re_]
        name = re.sub(r"['’]s?$", "", name)
        # surname or earlier full name in this article
        if name in art.names:
            return art.names[name], "surname", rs, re_
        if name in art.surnames:
            return art.surnames[name], "surname", rs, re_
        stype = None
        for src in (appos, phrase):
            rt = self._first_role(src) if src else None
            if rt:
                stype = rt[0]
                break
        nt = self._name_type(name)
        if stype is None:
            stype = nt or "unknown"
        entity = "organization" if (nt or stype == "media") else "person"
        sp = Speaker(name, stype, True, entity)
        if entity == "person" and len(name.split()) > 1:
            art.names[name] = sp
            for w in {name.split()[0], name.split()[-1]}:
                art.surnames.setdefault(w, sp)
        return sp, "name", rs, re_

    def _cap_run(self, s: _Sent, ti: int, tj: int):
        """The run of capitalised words (with inner particles) ending at token tj-1, or None."""
        toks = s.toks
        k = tj - 1
        if k < ti or not self._is_cap(toks[k][2]) or not self._is_word(toks[k][2]):
            return None
        run = []
        while k >= ti:
            t = toks[k][2]
            if self._is_word(t) and self._is_cap(t):
                run.append(toks[k])
            elif (t.lower() in self.r.particles and run and k - 1 >= ti
                  and self._is_cap(toks[k - 1][2]) and self._is_word(toks[k - 1][2])):
                run.append(toks[k])
            else:
                break
            k -= 1
            if len(run) >= 8:
                break
        run.reverse()
        return run[0][0], run[-1][1], run

    # ------------------------------------------------------------ speaker phrases
    def _phrase_back(self, s: _Sent, k: int) -> int:
        """Start token index of the speaker phrase that ends before token k."""
        toks, r = s.toks, self.r
        j = k
        while j > 0 and k - j < 8:
            t = toks[j - 1][2]
            low = t.lower()
            if not self._is_word(t):
                if t in ("'", "’") and j - 1 > 0:  # "Sciences’ Institute"
                    j -= 1
                    continue
                break
            if low in r.determiners:
                j -= 1
                break
            if low in r.pronouns and j == k:
                j -= 1
                break
            if t in r.not_names:
                break
            if low in r.particles and j - 2 >= 0 and j < k and self._is_cap(toks[j - 2][2]) and self._is_cap(toks[j][2]):
                j -= 1
                continue
            if low in r.stop_words and not (low in r.pronouns and j == k):
                break
            if t[0].islower() and (t.endswith(("'s", "’s"))):
                break
            j -= 1
        return j

    def _phrase_fwd(self, s: _Sent, k: int) -> int:
        """End token index (exclusive) of the speaker phrase starting at token k."""
        toks, r = s.toks, self.r
        j = k
        while j < len(toks) and j - k < 15:
            t = toks[j][2]
            if not self._is_word(t):
                if t in ("'", "’"):
                    j += 1
                    continue
                break
            if t.lower() in r.after_stops and j > k:
                break
            j += 1
        return j

    def _tok_index(self, s: _Sent, pos: int) -> int:
        """Index of the first token starting at or after ``pos``."""
        for i, t in enumerate(s.toks):
            if t[0] >= pos:
                return i
        return len(s.toks)

    # ------------------------------------------------------------ main per sentence
    def sentence(self, s: _Sent, art: _Article, title_case: bool) -> list[dict]:
        r = self.r
        out = []
        text = s.text
        inside = lambda p: any(qs <= p < qe for qs, qe, _ in s.quotes)  # noqa: E731
        mentions = iter(sorted(s.mentions, key=lambda m: m[0]))
        pending = next(mentions, None)
        for m in r.cue_regex.finditer(text):
            cs, ce = m.start(), m.end()
            if inside(cs):
                continue
            info = r.cue(m.group())
            if info is None:
                continue
            label, kind, recipient = info
            lead = text[:cs].strip().lstrip("".join(r.dash_marks) + "“\"").strip()
            if m.group()[0].isupper() and lead and not title_case:
                continue
            # mentions before the cue count as antecedents of a pronoun subject
            while pending is not None and pending[1] <= cs:
                art.see(pending[2])
                pending = next(mentions, None)
            k = self._tok_index(s, cs)
            kend = self._tok_index(s, ce)
            res = None
            pattern = ""
            appos = ""
            clause_start = cs
            if kind == "after":
                j = self._phrase_fwd(s, kend)
                res = self._resolve_phrase(s, kend, j, art, after=True)
                pattern = "speaker_after"
            else:
                # skip adverbs/auxiliaries between subject and verb
                b = k
                while b > 0 and k - b < 3:
                    t = s.toks[b - 1][2]
                    if t.lower() in r.between or (t.islower() and t.endswith("ly") and len(t) > 4):
                        b -= 1
                    else:
                        break
                prev = s.toks[b - 1][2] if b > 0 else ""
                if prev == "," and b >= 2:
                    # appositive: NAME , a/the <role> ... , VERB
                    c2 = None
                    for q in range(b - 2, max(-1, b - 40), -1):
                        if s.toks[q][2] == ",":
                            c2 = q
                            break
                        if s.toks[q][2] in _QUOTE_PUNCT or s.toks[q][2] in _SENT_END:
                            break
                    if c2 is not None and c2 > 0 and b - 1 > c2 + 1:
                        ap_s, ap_e = s.toks[c2 + 1][0], s.toks[b - 2][1]
                        ap = text[ap_s:ap_e]
                        first = s.toks[c2 + 1][2].lower()
                        if (first in ("a", "an", "the") or self._first_role(ap)) and self._is_word(s.toks[c2 - 1][2]):
                            st = self._phrase_back(s, c2)
                            res = self._resolve_phrase(s, st, c2, art, appos=ap)
                            if res is not None:
                                appos = ap
                                pattern = "subject_verb"
                                clause_start = s.toks[st][0]
                if res is None and (prev in (",", ":") or prev in _QUOTE_PUNCT or prev in r.dash_marks or b == 0
                                    or prev in ("(",)):
                    j = self._phrase_fwd(s, kend)
                    if kend < len(s.toks) and self._is_word(s.toks[kend][2]):
                        res = self._resolve_phrase(s, kend, j, art, after=True)
                        pattern = "verb_subject"
                        # "said X, a professor ...": appositive after the name types a new name
                        if res is not None and res[1] == "name" and res[0].speaker_type == "unknown":
                            tail = text[s.toks[j - 1][1]:]
                            am = re.match(r"\s*,\s*([^,.;]{1,120})", tail)
                            rt = self._first_role(am.group(1)) if am else None
                            if rt:
                                sp = Speaker(res[0].name, rt[0], True, res[0].entity)
                                art.names[sp.name] = sp
                                res = (sp,) + res[1:]
                elif res is None and prev and self._is_word(prev) and not prev.endswith(("'s", "’s")):
                    st = self._phrase_back(s, b)
                    if st < b:
                        res = self._resolve_phrase(s, st, b, art)
                        pattern = "subject_verb"
                        clause_start = s.toks[st][0]
            if res is None:
                continue
            sp, resolution, ss, se = res
            if sp.named and resolution not in ("pronoun",):
                art.remember(sp)
            elif resolution == "pronoun" and sp.named:
                art.remember(sp)
            via = ""
            after_pos = ce if kind == "before" else se
            if kind == "before" and recipient:
                j = self._phrase_fwd(s, kend)
                if j > kend:
                    vm = [x for x in s.mentions if x[0] >= s.toks[kend][0] and x[1] <= s.toks[j - 1][1]]
                    if vm:
                        via = vm[0][2].name
                        after_pos = vm[0][1]
                    else:
                        run = self._cap_run(s, kend, j) or self._cap_run(s, kend + 1 if s.toks[kend][2].lower() == "the" else kend, kend + 2)
                        if run:
                            via = text[run[0]:run[1]]
                            after_pos = run[1]
            row = self._quote(s, cs, ce, min(ss, clause_start), max(se, ce), after_pos, kind)
            row.update(speaker=sp.name, speaker_type=sp.speaker_type, named=sp.named, verb=label,
                       cue=m.group(), via=via, country=sp.country, speaker_text=text[ss:se],
                       resolution=resolution, pattern=row.get("pattern") or pattern,
                       cue_sent_id=s.sent_id, cue_start=cs)
            out.append(row)
        while pending is not None:
            art.see(pending[2])
            pending = next(mentions, None)
        return out

    def _quote(self, s: _Sent, cs: int, ce: int, clause_s: int, clause_e: int, after_pos: int, kind: str) -> dict:
        """Direct quote (nearest quote span outside the clause) or reported clause."""
        cands = [q for q in s.quotes if not (q[0] <= cs < q[1])]
        if cands:
            def dist(q):
                if q[1] <= clause_s:
                    return clause_s - q[1]
                if q[0] >= clause_e:
                    return q[0] - clause_e
                return 0
            qs, qe, qkind = min(cands, key=dist)
            return {"direct": True, "_span": (qs, qe, qkind)}
        text = s.text
        lead = text[:clause_s].rstrip()
        if s.text.lstrip()[:1] in self.r.dash_marks and not s.has_marks:
            return {"direct": True, "_block": True, "pattern": "dash_block"}
        after = text[after_pos:].strip()
        short_tail = (not after.strip(".!?…\"'”’ ") or after.startswith(",")
                      or (len(after.split()) <= 6 and after.split()[0].lower() in _TAIL_WORDS))
        if lead.endswith(",") and short_tail:
            qs = len(text) - len(text.lstrip())
            qe = len(lead) - 1
            st = text[qs:qe].lstrip("".join(self.r.dash_marks) + " ")
            qs = qe - len(st)
        else:
            rest = text[after_pos:]
            mm = re.match(r"\s*(?:[,:]\s*)?(?:(?:[\w'’]+\s+){0,2}?that\s+)?", rest)
            qs = after_pos + (mm.end() if mm else 0)
            qe = len(text.rstrip().rstrip(".!?…").rstrip())
            if kind == "after" and lead and not lead.endswith(","):
                # "X is true, according to Y." -> reported clause before the cue
                qs, qe = 0, len(lead.rstrip(","))
        if qe < qs:
            qe = qs
        return {"direct": False, "quote": text[qs:qe], "quote_start": qs, "quote_end": qe}


# ======================================================================= driver
def _as_tables(corpus_or_sentences):
    """(sentences, segments or None, text_of(article_id) or None)."""
    if isinstance(corpus_or_sentences, pd.DataFrame):
        s = corpus_or_sentences
        need = [c for c in ("article_id", "sent_id", "text") if c not in s.columns]
        if need:
            raise InputError(f"sentence table lacks column(s) {need}; attributions() needs "
                             "article_id, sent_id, text (optionally role, start, seg_id, author)")
        return s, None, None
    sents = getattr(corpus_or_sentences, "sentences", None)
    if not isinstance(sents, pd.DataFrame):
        raise InputError("attributions() takes a Corpus (from load_corpus) or a sentence DataFrame, "
                         f"not {type(corpus_or_sentences).__name__}")
    segs = getattr(corpus_or_sentences, "segments", None)
    return sents, segs, getattr(corpus_or_sentences, "text", None)


def _title_case(text: str) -> bool:
    words = [w for w in re.findall(r"[^\W\d_]+", text) if len(w) > 3]
    return len(words) >= 3 and sum(w[0].isupper() for w in words) / len(words) >= 0.6


def attributions(corpus_or_sentences, actors=None, speech=None) -> pd.DataFrame:
    """Attributed speech: one row per (speaker, reporting cue) found in the corpus.

    Parameters
    ----------
    corpus_or_sentences : Corpus or pandas.DataFrame
        A :class:`~alliance_study.corpus.Corpus` (its ``sentences``; its ``segments``
        give reader-comment authors; its texts give exact multi-sentence quotes) or
        a sentence table with ``article_id, sent_id, text`` and optionally ``role``,
        ``start``, ``seg_id`` and ``author``.
    actors : path, DataFrame or ActorTable, optional
        Actor table; default the packaged ``lexicons/actors.csv``.
    speech : path, dict or SpeechRules, optional
        Attribution rules; default the packaged ``lexicons/attribution.yaml``.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`COLUMNS`: ``article_id, sent_id, role, speaker, speaker_type,
        named, verb, direct, quote, quote_start, quote_end, cue, via, country,
        speaker_text, resolution, pattern, cue_sent_id, cue_start``.  ``speaker_type``
        is one of official, expert, media, anonymous, reader, other, unknown.
        Offsets are relative to the sentence ``sent_id`` (see the module docstring).
        Rows are in corpus order.

    Examples
    --------
    >>> import pandas as pd
    >>> s = pd.DataFrame({"article_id": [1], "sent_id": [0],
    ...     "text": ['"Talks went well," said Sergei Lavrov, according to officials.']})
    >>> attributions(s)[["speaker", "speaker_type", "direct", "quote"]].values.tolist()
    [['Sergei Lavrov', 'official', True, 'Talks went well,'], ['unnamed officials', 'anonymous', True, 'Talks went well,']]
    """
    table = load_actors(actors)
    rules = load_speech_rules(speech)
    finder = _Finder(table, rules)
    sents, segs, text_of = _as_tables(corpus_or_sentences)
    if sents.empty:
        return pd.DataFrame(columns=COLUMNS)
    authors: dict = {}
    if segs is not None and "author" in segs.columns and "seg_id" in segs.columns:
        for a, g, au in zip(segs["article_id"], segs["seg_id"], segs["author"]):
            if isinstance(au, str) and au.strip():
                authors[(a, g)] = au.strip()
    has = set(sents.columns)
    rows: list[dict] = []
    order = sents.reset_index(drop=True)
    key = ["start"] if "start" in has else ["sent_id"]
    order = order.assign(_a=pd.factorize(order["article_id"])[0]).sort_values(["_a"] + key, kind="stable")
    cols = [c for c in ("article_id", "sent_id", "seg_id", "role", "start", "text", "author") if c in has]
    records = order[cols].to_dict("records")          # one conversion for the whole table
    codes = order["_a"].to_numpy()
    lo = 0
    for hi in range(1, len(records) + 1):
        if hi == len(records) or codes[hi] != codes[lo]:
            rows.extend(_article(finder, records[lo:hi], has, authors, text_of))
            lo = hi
    df = pd.DataFrame.from_records(rows, columns=COLUMNS)
    df["quote_start"] = df["quote_start"].astype("Int64")
    df["quote_end"] = df["quote_end"].astype("Int64")
    df["direct"] = df["direct"].astype(bool)
    df["named"] = df["named"].astype(bool)
    return df


def _article(finder: _Finder, g: list[dict], has: set, authors: dict, text_of) -> list[dict]:
    rules, table = finder.r, finder.a
    sents: list[_Sent] = []
    pos = 0
    for i, rec in enumerate(g):
        text = rec["text"] if isinstance(rec["text"], str) else ""
        start = int(rec["start"]) if "start" in has and rec["start"] == rec["start"] else pos
        pos = start + len(text) + 1
        quotes, marks = _quote_spans(text)
        mentions = [(m.start(), m.end(), table.lookup(m.group())) for m in table.regex.finditer(text)]
        sents.append(_Sent(i, rec["article_id"], rec["sent_id"], rec.get("seg_id"), str(rec.get("role") or "body"),
                           text, start, [(m.start(), m.end(), m.group()) for m in _TOKEN.finditer(text)],
                           quotes, marks, [x for x in mentions if x[2] is not None]))
    # surnames of table persons named in full somewhere in this article
    full = set()
    for s in sents:
        for ms, me, sp in s.mentions:
            if " " in s.text[ms:me] and s.text[ms:me] in table.full_variants.get(sp.name, ()):
                full.add(sp.name)
    art = _Article({w: table.actors[n] for w, n in table.surnames(full).items()})
    aid = sents[0].article_id if sents else None
    full_text = None
    if text_of is not None:
        try:
            full_text = text_of(aid)
        except Exception:  # noqa: BLE001 - a sentence table from elsewhere: fall back to joining
            full_text = None
    out: list[dict] = []
    for s in sents:
        if s.role in rules.skip_roles:
            continue
        if s.role == rules.reader_role:
            au = authors.get((s.article_id, s.seg_id))
            if au is None and "author" in has:
                v = g[s.idx].get("author")
                au = v.strip() if isinstance(v, str) and v.strip() else None
            if au:
                out.append(dict(article_id=s.article_id, sent_id=s.sent_id, role=s.role, speaker=au,
                                speaker_type="reader", named=True, verb=rules.reader_verb, direct=True,
                                quote=s.text, quote_start=0, quote_end=len(s.text), cue="", via="",
                                country="", speaker_text=au, resolution="author", pattern="reader_comment",
                                cue_sent_id=s.sent_id, cue_start=0))
            continue
        title = s.role == "headline" or _title_case(s.text)
        for row in finder.sentence(s, art, title):
            row.update(article_id=s.article_id, role=s.role)
            first, qs, qe, qtext = s, row.get("quote_start"), row.get("quote_end"), row.get("quote")
            if "_span" in row:
                qs, qe, qkind = row.pop("_span")
                if qkind == "cont_in":
                    first = _find_open(sents, s.idx, backward=True)
                    if first is not None:
                        qs0 = first.quotes[-1][0]
                        qs, qe = qs0, (s.start - first.start) + qe
                    else:
                        first = s
                elif qkind == "cont_out":
                    last = _find_open(sents, s.idx, backward=False)
                    if last is not None:
                        qe = (last.start - s.start) + last.quotes[0][1]
                qtext = _slice(sents, first, qs, qe, full_text)
            elif row.pop("_block", False):
                block = _previous_block(sents, s, rules)
                if not block:
                    continue
                first = block[0]
                qs, qe = 0, (block[-1].start - first.start) + len(block[-1].text)
                qtext = _slice(sents, first, qs, qe, full_text)
            row.update(sent_id=first.sent_id, quote=qtext, quote_start=qs, quote_end=qe)
            if first is not s:
                row["role"] = first.role
            out.append(row)
    return out


def _find_open(sents: list[_Sent], i: int, backward: bool) -> _Sent | None:
    """The sentence where a quote closed (opened) in sentence i was opened (closed)."""
    rng = range(i - 1, max(-1, i - 9), -1) if backward else range(i + 1, min(len(sents), i + 9))
    for j in rng:
        q = sents[j].quotes
        if backward and q and q[-1][2] == "cont_out":
            return sents[j]
        if not backward and q and q[0][2] == "cont_in":
            return sents[j]
        if any(k == "full" for _, _, k in q) or (q and not backward and q[0][2] != "cont_in"):
            return None
    return None


def _slice(sents: list[_Sent], first: _Sent, qs: int, qe: int, full_text: str | None) -> str:
    if full_text is not None:
        return full_text[first.start + qs:first.start + qe]
    if qe <= len(first.text):
        return first.text[qs:qe]
    parts, i = [], first.idx
    while i < len(sents) and sents[i].start < first.start + qe:
        s = sents[i]
        a = max(0, first.start + qs - s.start)
        b = min(len(s.text), first.start + qe - s.start)
        parts.append(s.text[a:b])
        i += 1
    return " ".join(p for p in parts if p)


def _previous_block(sents: list[_Sent], s: _Sent, rules: SpeechRules) -> list[_Sent]:
    """The paragraph a dash line attributes: the previous segment (or the previous sentence)."""
    i = s.idx
    if i == 0:
        return []
    prev = sents[i - 1]
    if prev.role in rules.skip_roles or prev.role == rules.reader_role:
        return []
    if s.seg_id is None or s.seg_id != s.seg_id:
        return [prev]
    target = prev.seg_id if prev.seg_id != s.seg_id else s.seg_id
    block = []
    j = i - 1
    while j >= 0 and sents[j].seg_id == target:
        block.append(sents[j])
        j -= 1
    return list(reversed(block))
