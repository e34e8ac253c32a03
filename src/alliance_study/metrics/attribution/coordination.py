"""Coordinated speakers: "Officials and companies said", "..., unions and employers said this week."

:func:`coordinated_subject` widens the speaker phrase that
:class:`~.candidates.CueFinder` found right before a verb ("companies") to the
coordination it closes ("officials and companies", "officials, lawyers and
companies"), so that the speaker is the whole group and, after a clause, the
reported clause is the text before the comma, as for one speaker.

A coordination of clauses is no coordination of subjects ("The firm cut jobs and
unions said ...": the firm cut jobs; unions speak), so a conjunct is accepted only
when it is a noun phrase the rules can read as a speaker and the coordination
opens its clause:

* each conjunct resolves (:meth:`~.speakers.SpeakerResolver.resolve`, or an
  unnamed phrase of at most two words) to a name, an actor of the table, a role
  phrase or an unnamed noun phrase whose mention ends where the conjunct ends;
* a singular role noun without a determiner is a title, not a subject
  ("journalist and author Hiro Aida", "Florida senator and Republican candidate");
* in a role or noun phrase at most two words stand before the head, at most one
  of them a lower-case word that is no role noun, and no such word follows a
  capitalised word or a role noun ("The strike hurt workers", "Police arrested
  protesters": a verb, not a modifier);
* the first conjunct opens the sentence (after at most one ``not_names`` word
  that is no preposition: "But officials and ...", not "In Berlin, officials
  and ...") or follows a comma, a colon, a semicolon, a bracket, a quotation mark
  or a dash ("..., officials and companies said.");
* a name before a comma and a role phrase is a name and its appositive, not a
  list ("Jane Doe, a lawyer, and John Roe said": no coordination is read);
* one new capitalised word that opens the sentence before a comma is no part of
  a list ("Instead, Roe and Lee said"; so "Germany, France and Italy said" gives
  "France and Italy": the finder cannot tell an adverb from a name there);
* the conjunctions are the rules' ``coordinators`` ("and"); a list separates the
  conjuncts before the last by commas (an Oxford comma before "and" only in a list
  of three or more).

The speaker's type comes from the types the text gives its parts (a part typed
``unknown`` gives none): one type, that type ("Current and former officials":
``anonymous``; "Jane Doe and her lawyer": ``expert``); none, ``unknown``; two or
more, ``coordination_mixed_type`` of the rules (``other``: a group of officials
and companies is no official); a first part of one new capitalised word before a
last part with a modifier types nothing ("Federal and state officials",
"Democratic and independent analysts": an adjective sharing the head).  It is
``named`` when every part is; the named
parts are remembered one by one (as antecedents of later pronouns and surnames).
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from .actors import Speaker
from .model import Resolved, Sentence
from .quotes import QUOTE_MARKS
from .speakers import ArticleState, is_word

if TYPE_CHECKING:  # pragma: no cover - the finder passes itself
    from .phrases import PhraseFinder

__all__ = ["coordinated_subject", "coordinated_after", "group_speaker"]

#: punctuation before a coordination that opens a clause
_BOUNDARY = frozenset(",;:([") | QUOTE_MARKS
#: resolutions of a conjunct that is a name or an actor
_NAMED = ("table", "name", "surname")
#: resolutions of a conjunct that is a role or noun phrase
_PHRASES = ("role", "phrase", "possessive", "anaphora")


def _conjunct(finder: PhraseFinder, s: Sentence, st: int, e: int, art: ArticleState) -> Resolved | None:
    """The speaker of the conjunct ``s.toks[st:e]``, or None when it is no speaker noun phrase."""
    toks, r = s.toks, finder.r
    a = st
    while a < e and toks[a].text.lower() in r.determiners:
        a += 1
    words = toks[a:e]
    if not words or not all(is_word(t.text) or t.text in ("'", "’", ".", "-") for t in words):
        return None
    res = finder.speakers.resolve(s, st, e, art)
    if res is None and e - a <= 2:
        res = finder.speakers.generic(s, st, e)
    if res is None or res.end != toks[e - 1].end or res.resolution not in _NAMED + _PHRASES:
        return None
    if res.resolution == "table":       # an actor's variant or role noun: the whole conjunct
        return res if res.start <= toks[a].start else None
    if res.resolution in _NAMED:         # a name: capitalised words (particles, points) from the first word
        return res if finder._is_name(s, a, e) else None
    if a == st and res.resolution in ("role", "phrase") and res.speaker.entity == "person":
        return None                      # "journalist and author Hiro Aida": a bare singular noun is a title
    mods = [t.text for t in words[:-1] if is_word(t.text)]
    if len(mods) > 2:
        return None
    loose = 0                            # lower-case words that are no role noun
    capped = False                       # a capitalised word or a role noun stood before
    for w in mods:
        if w[:1].isupper() or r.role_type(w) is not None:
            capped = True
            continue
        if capped:
            return None                  # "Police arrested protesters": a verb after the subject
        loose += 1
    return res if loose <= 1 else None


def _typing(parts: list[tuple[int, int, Resolved]], s: Sentence, finder: PhraseFinder,
            art: ArticleState) -> list[Speaker]:
    """The parts' speakers that type the group: without a first part that is one new capitalised word
    (not in capitals, not typed by the article) before a last part of a modifier and its head with no
    determiner ("Federal and state officials", "Democratic and independent analysts": an adjective that
    shares the last part's head, no speaker of its own; not "RT and its defenders")."""
    speakers = [p.speaker for _, _, p in parts]
    first, (st_last, _, last) = parts[0][2], parts[-1]
    word = s.text[first.start:first.end].strip()
    if (len(parts) == 2 and first.resolution == "name" and " " not in word and not word.isupper()
            and art.type_of(word) is None and s.toks[st_last].text.lower() not in finder.r.determiners
            and " " in s.text[last.start:last.end].strip() and last.resolution in _PHRASES):
        return speakers[1:]
    return speakers


def _boundary(s: Sentence, st: int, finder: PhraseFinder) -> bool:
    """Whether the conjunct at token ``st`` opens its clause."""
    toks, r = s.toks, finder.r
    if st == 0:
        return True
    prev = toks[st - 1].text
    if prev in _BOUNDARY or prev in r.dash_marks:
        return True
    # "But officials and ...", not "In Berlin, officials and ..." (a preposition opens no subject)
    low = prev.lower()
    return (st == 1 and prev in r.not_names and low not in r.head_prepositions and low not in r.np_prepositions
            and low not in r.tail_words)


def group_speaker(parts: list[Speaker], joins: list[str], mixed: str, art: ArticleState,
                  typing: list[Speaker] | None = None) -> Speaker:
    """One speaker for a coordination of ``parts`` joined by ``joins`` (", ", " and "), typed by the
    parts ``typing`` (default all).

    >>> a, b = Speaker("officials", "anonymous", False, "group"), Speaker("companies", "other", False, "group")
    >>> group_speaker([a, b], [" and "], "other", ArticleState({}))
    Speaker(name='officials and companies', speaker_type='other', named=False, entity='group', country='')
    >>> doe = Speaker("Jane Doe", "unknown")          # a name the text does not type
    >>> [group_speaker(g, [" and "], "other", ArticleState({})).speaker_type for g in ([a, a], [doe, a], [doe, doe])]
    ['anonymous', 'anonymous', 'unknown']
    """
    kinds = set()
    for sp in parts if typing is None else typing:
        t = sp.speaker_type
        if t == "unknown" and sp.named:
            t = art.type_of(sp.name) or t
        if t != "unknown":
            kinds.add(t)
    stype = kinds.pop() if len(kinds) == 1 else mixed if kinds else "unknown"
    name = parts[0].name + "".join(j + sp.name for j, sp in zip(joins, parts[1:]))
    countries = {sp.country for sp in parts}
    return Speaker(name, stype, all(sp.named for sp in parts), "group",
                   countries.pop() if len(countries) == 1 else "")


def coordinated_subject(finder: PhraseFinder, s: Sentence, st: int, res: Resolved,
                        art: ArticleState) -> tuple[Resolved, int, list[Speaker]] | None:
    """The coordination that the speaker phrase at token ``st`` (resolved as ``res``) closes, or None.

    Returns the group's :class:`~.model.Resolved` (its mention from the first
    conjunct to the end of ``res``, resolution ``coordination``), the first token
    of its phrase and the parts' speakers.
    """
    toks, r = s.toks, finder.r
    if st < 2 or toks[st - 1].text.lower() not in r.coordinators:
        return None
    parts: list[tuple[int, int, Resolved]] = [(st, -1, res)]     # (first token, end token, speaker)
    sep = st - 1                         # the conjunction or comma before the earliest conjunct so far
    while True:
        e = sep
        oxford = sep == st - 1 and e >= 1 and toks[e - 1].text == ","    # "A, B, and C"
        if oxford:
            e -= 1
        if e < 1 or not is_word(toks[e - 1].text):
            break
        cst = finder.phrase_back(s, e)
        if cst >= e:
            break
        part = _conjunct(finder, s, cst, e, art)
        if part is None:
            break
        if oxford and not (cst >= 2 and toks[cst - 1].text == ","):
            break                        # "A, and B": a list of two takes no comma
        if len(parts) >= 2 and part.speaker.named and parts[0][2].resolution in _PHRASES:
            if _boundary(s, cst, finder):
                return None              # "Jane Doe, a lawyer, and John Roe said": an appositive, not a list
            break                        # "In Berlin, officials and ...": no part of the list
        if (e == cst + 1 and cst == 0 and part.resolution == "name" and e < len(toks)
                and toks[e].text == ","):
            break                        # "Instead, Roe and Lee said": one new capitalised word opening it
        parts.insert(0, (cst, e, part))
        if cst >= 2 and toks[cst - 1].text == "," and is_word(toks[cst - 2].text):
            sep = cst - 1
            continue
        break
    # the coordination opens its clause: drop leading conjuncts until one does
    while len(parts) >= 2 and not _boundary(s, parts[0][0], finder):
        parts.pop(0)
    if len(parts) < 2:
        return None
    joins = [" " + " ".join(s.text[toks[e - 1].end:toks[nxt].start].split()) + " "
             for (_, e, _), (nxt, _, _) in zip(parts, parts[1:])]
    joins = [j[1:] if j.startswith(" ,") else j for j in joins]
    speakers = [p.speaker for _, _, p in parts]
    group = group_speaker(speakers, joins, r.coordination_mixed_type, art, _typing(parts, s, finder, art))
    first_st, _, first = parts[0]
    return Resolved(group, "coordination", first.start, res.end), first_st, speakers


def coordinated_after(finder: PhraseFinder, s: Sentence, kend: int, j: int, res: Resolved,
                      art: ArticleState) -> tuple[Resolved, list[Speaker]] | None:
    """The coordination of two speakers after a cue ("..., said Jane Doe and John Roe.", "according to
    officials and companies"): the phrase ``s.toks[kend:j]`` holds one coordinator and each side is a
    conjunct as before a verb; ``res`` (the speaker found in it) must end inside the phrase.  Returns
    the group (resolution ``coordination``) and the parts' speakers, or None."""
    toks, r = s.toks, finder.r
    if j - kend < 3 or res.end > toks[j - 1].end or res.start < toks[kend].start:
        return None
    cuts = [q for q in range(kend + 1, j - 1) if toks[q].text.lower() in r.coordinators]
    if len(cuts) != 1:
        return None
    c = cuts[0]
    first, second = _conjunct(finder, s, kend, c, art), _conjunct(finder, s, c + 1, j, art)
    if first is None or second is None:
        return None
    join = " " + " ".join(s.text[toks[c - 1].end:toks[c + 1].start].split()) + " "
    if second.resolution not in _NAMED:     # "her deputy": the part as the rules name it ("deputy")
        join = " " + toks[c].text + " "
    group = group_speaker([first.speaker, second.speaker], [join], r.coordination_mixed_type, art,
                          _typing([(kend, c, first), (c + 1, j, second)], s, finder, art))
    return Resolved(group, "coordination", first.start, second.end), [first.speaker, second.speaker]
