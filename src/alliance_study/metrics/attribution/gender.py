"""What an article's own text says of the gender of the people it names, for safe pronoun resolution.

No list of first names is used: the evidence is what the text itself writes
(the words come from the ``genders`` key of ``attribution.yaml``):

* an honorific before a name: "Mr Berg", "Ms. Anna Lund", "Dame Jo Roe";
* a possessive or reflexive right after the person who opens a sentence, with at
  most three lower-case words and no determiner between: "Defence Minister Olaf
  Berg met his counterpart" (Berg: male), "Jo Roe criticised herself";
* a "he" or "she" that was resolved to a person (noted as the finder goes, see
  :meth:`.speakers.ArticleState.antecedent`).

Evidence for a name counts for its last word (the surname) too; a name that is
given both genders (two people of one surname: "Mr and Mrs Roe") has none.

>>> from alliance_study.metrics.attribution.rules import load_speech_rules
>>> from alliance_study.metrics.attribution.names import NameWords
>>> from alliance_study.metrics.attribution.model import Sentence
>>> texts = ["Defence Minister Olaf Berg met his counterpart in Warsaw.", "Ms. Anna Lund was there."]
>>> sents = [Sentence(i, "a", i, None, "body", t, 0, None, [], False, []) for i, t in enumerate(texts)]
>>> g, people = gender_evidence(sents, NameWords(load_speech_rules()))
>>> g.of("Olaf Berg"), g.of("Berg"), g.of("Anna Lund"), g.of("Lund"), g.of("Tom Kay")
('male', 'male', 'female', 'female', None)
>>> [(m.speaker.name, texts[1][m.start:m.end]) for m in people[1]]
[('Anna Lund', 'Anna Lund')]
"""
from __future__ import annotations

import re

from .actors import Mention, Speaker
from .model import Sentence
from .names import POSSESSIVE, NameWords, is_word

__all__ = ["Genders", "UNTITLED", "gender_evidence", "untitled_people"]

#: how many lower-case words may stand between a sentence's opening person and the possessive
_GAP = 3
#: the entity of a person named without a title or description (:func:`untitled_people`)
UNTITLED = "untitled"
#: two or three capitalised words in a row (a longer run: a title or an organisation, cut below)
_CAP_RUN = re.compile(r"(?<![\w'’.-])[A-Z][a-z][\w'’-]*(?:\s+[A-Z][a-z][\w'’-]*)+")


class Genders:
    """name or surname -> the gender the text gives it (see the module docstring)."""

    def __init__(self) -> None:
        self.by_name: dict[str, str] = {}       # "" when the text gives both
        self.full: dict[str, set[str]] = {}     # surname -> the full names seen with it
        self.titled: set[str] = set()           # names written after an honorific ("Ms. Lund": people)

    def seen(self, name: str) -> None:
        """A full name was seen: its surname's evidence is no one's when two full names share it."""
        words = POSSESSIVE.sub("", name.strip()).split()
        if len(words) > 1:
            self.full.setdefault(words[-1], set()).add(" ".join(words))

    def note(self, name: str, gender: str) -> None:
        """The text gives ``name`` (and its last word) ``gender``; both genders for one key give none."""
        name = POSSESSIVE.sub("", name.strip())
        if not name:
            return
        for key in {name, name.split()[-1]}:
            old = self.by_name.get(key)
            self.by_name[key] = gender if old in (None, gender) else ""

    def of(self, name: str) -> str | None:
        """The gender the text gives ``name`` (or its surname, unless two full names seen share it), or None.

        >>> g = Genders(); g.note("Jo Roe", "female"); g.note("Tom Roe", "male"); g.note("Kay", "male")
        >>> g.of("Jo Roe"), g.of("Roe"), g.of("Ann Roe"), g.of("Kay"), g.of("Al Kay")
        ('female', None, None, 'male', 'male')
        >>> g.seen("Al Kay"); g.seen("Ida Kay"); g.of("Kay"), g.of("Al Kay")
        (None, None)
        """
        g = self.by_name.get(name)
        words = name.split()
        shared = len(self.full.get(words[-1], ())) > 1
        if len(words) == 1:
            return None if shared else g or None
        if g is None and not shared:
            g = self.by_name.get(words[-1])
        return g or None


def _honorifics(words: NameWords) -> re.Pattern | None:
    """``(honorific)(.) (Capitalised Name)`` for the honorifics that have a gender, or None."""
    r = words.r
    found = sorted((w for w in r.honorifics if r.genders.get(w)), key=len, reverse=True)
    if not found:
        return None
    alts = "|".join(re.escape(w[:1].upper() + w[1:]) for w in found)
    return re.compile(r"\b(" + alts + r")\b\.?\s+([A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*){0,3})")


def _opening_person(s: Sentence, words: NameWords) -> tuple[str, str] | None:
    """``(name, gender)`` from a possessive or reflexive right after the person who opens ``s``, or None."""
    r = words.r
    toks = s.toks
    i = 0
    while i < len(toks) and toks[i].text.lower() in r.determiners and toks[i].text.lower() not in r.genders:
        i += 1                      # "The Defence Minister Olaf Berg"
    first = i
    while i < len(toks) and i - first < 8:
        t = toks[i].text
        if is_word(t) and words.is_cap(t) and not r.gender(t):
            i += 1
        elif t == "." and i > first and toks[i - 1].end == toks[i].start and len(toks[i - 1].text) <= 4:
            i += 1                  # "Sen. Jo Roe", "James B. Comey"
        else:
            break
    if i == first or i >= len(toks) or not is_word(toks[i].text) or not toks[i].text[0].islower():
        return None
    name = s.text[toks[first].start:toks[i - 1].end]
    for q in range(i, min(len(toks), i + _GAP + 1)):
        t = toks[q].text
        low = t.lower()
        g = r.gender(t)
        if g is not None:
            reflexive = low.endswith("self")
            n = q + 1
            while n < q + 3 and n + 1 < len(toks) and is_word(toks[n].text) and toks[n].text[0].isupper() \
                    and is_word(toks[n + 1].text):
                n += 1              # "met his French counterpart": capitalised adjectives before the noun
            possessive = low in r.possessive_determiners and n < len(toks) and is_word(toks[n].text) \
                and toks[n].text[0].islower() and toks[n].text.lower() not in r.stop_words \
                and toks[n].text.lower() not in r.determiners     # "met her counterpart", not "met her in"
            return (name, g) if (reflexive or possessive) and q > i else None
        if (not is_word(t) or not t[0].islower() or low in r.determiners or r.pronoun_kind(t) is not None):
            return None
    return None


def gender_evidence(sents: list[Sentence], words: NameWords) -> tuple[Genders, dict[int, list[Mention]]]:
    """``(genders, people)``: the genders an article's sentences give the names in them (honorifics and
    possessives; see above), and per sentence index the names written after an honorific, as mentions
    of people (a pronoun may refer to them)."""
    r = words.r
    out = Genders()
    people: dict[int, list[Mention]] = {}
    if not r.genders:
        return out, people
    hon = _honorifics(words)
    own = [w for w in r.genders if w in r.possessive_determiners or w.endswith("self")]
    own_re = re.compile(r"\b(?:" + "|".join(re.escape(w) for w in own) + r")\b", re.IGNORECASE) if own else None
    for s in sents:
        if hon is not None:
            for m in hon.finditer(s.text):
                g = r.gender(m.group(1))
                name = POSSESSIVE.sub("", m.group(2))
                if g and name not in r.not_names:
                    out.note(name, g)
                    out.titled.add(name)
                    people.setdefault(s.idx, []).append(
                        Mention(m.start(2), m.start(2) + len(name), Speaker(name, "unknown", True, "person")))
        if own_re is not None and own_re.search(s.text):
            found = _opening_person(s, words)
            if found is not None:
                out.note(*found)
    return out, people


def _opening_subject(text: str, start: int, end: int, cut: int, words: NameWords) -> bool:
    """Whether the two capitalised words ``text[start:end]`` open the sentence as the subject of a verb:
    nothing but quote marks before them, no title cut off, and the lower-case word after them reads as
    a verb (it ends in "ed", or a capitalised word, a determiner or a pronoun follows it: "Sophie
    Marchand met Finance Minister Karl Ober", "Jo Roe visited the plant"), not as a noun they modify
    (no role, organisation or place word: "Boca Raton lawyers said", "Hewlett Packard shares fell").

    >>> from alliance_study.metrics.attribution.rules import load_speech_rules
    >>> w = NameWords(load_speech_rules())
    >>> [_opening_subject(t, 0, 15, 0, w) for t in ("Sophie Marchand met Finance Minister Karl Ober.",
    ...     "Sophie Marchand visited a school.", "Sophie Marchand met him.", "Hewlett Packard shares fell.",
    ...     "Sophie Marchand lawyers said no.")]
    [True, True, True, False, False]
    """
    r = words.r
    if cut or len(text[start:end].split()) != 2 or text[:start].strip(" \"'“‘"):
        return False
    nxt = re.match(r"\s*([a-z][\w'’-]*)(?:\s+([\w'’-]+))?", text[end:])
    if nxt is None:
        return False
    verb, then = nxt.group(1), nxt.group(2) or ""
    if (verb in r.stop_words or r.role_type(verb) is not None or verb in r.role_words
            or verb in r.organization_nouns or verb in r.place_words):
        return False
    low = then.lower()
    return verb.endswith("ed") or (then[:1].isupper() and low not in r.stop_words) or low in r.determiners \
        or r.pronoun_kind(then) is not None


def untitled_people(sents: list[Sentence], words: NameWords) -> dict[int, list[Mention]]:
    """Per sentence index the people it names by two or three capitalised words without a title or
    description the finder records ("met Sophie Marchand in Paris"), as mentions of entity ``UNTITLED``.

    They count only among the people a he/she may refer to
    (:meth:`.speakers.ArticleState.antecedent`): with a titled person in the same
    sentence, a pronoun after it is no longer taken for the titled one when nothing
    tells the two apart.  A run that overlaps a mention already found, holds a name
    word, an organisation, role or place word, stands after a ``place_prepositions`` word
    or a determiner ("in New York", "the Philippine Star") or before a lower-case
    word that is neither a stop word nor a cue ("a Boca Raton lawyer"; so is one
    before another verb inside the sentence, which a noun cannot be told from) is no
    person, unless it is two words opening the sentence before a word that reads as
    a verb (:func:`_opening_subject`: "Sophie Marchand met Finance Minister Karl
    Ober"); leading titles and ``not_names`` words are cut off ("Finance Minister
    Karl Ober" is recorded by its title elsewhere).

    >>> from alliance_study.metrics.attribution.rules import load_speech_rules
    >>> texts = ["Finance Minister Karl Ober met Sophie Marchand in New York on Monday.",
    ...          "Sophie Marchand and Karl Ober said a New Jersey company and Acme Group, Paul Lind's firm, agreed."]
    >>> sents = [Sentence(i, "a", i, None, "body", t, 0, None, [], False, []) for i, t in enumerate(texts)]
    >>> found = untitled_people(sents, NameWords(load_speech_rules()))
    >>> [[texts[i][m.start:m.end] for m in found[i]] for i in found]
    [['Sophie Marchand'], ['Sophie Marchand', 'Karl Ober']]
    """
    r = words.r
    out: dict[int, list[Mention]] = {}
    for s in sents:
        taken = [(m.start, m.end) for m in s.mentions + s.people]
        for m in _CAP_RUN.finditer(s.text):
            parts = [(w.start(), w.end()) for w in re.finditer(r"\S+", m.group())]
            cut = 0
            for k, (a, b) in enumerate(parts):
                w = POSSESSIVE.sub("", m.group()[a:b])
                if w in r.not_names or w.lower() in r.honorifics or w.lower() in r.determiners \
                        or r.role_type(w) is not None:
                    cut = k + 1
            parts = parts[cut:]
            if not 2 <= len(parts) <= 3:
                continue
            start, end = m.start() + parts[0][0], m.start() + parts[-1][1]
            name = s.text[start:end]
            if POSSESSIVE.search(name):
                continue            # "Jo Roe's statement": a possessive, no one acting in the sentence
            low = [w.lower() for w in name.split()]
            before = s.text[:start].split()
            after = re.match(r"\s*([\w'’-]+)", s.text[end:])
            if (any(a < end and start < b for a, b in taken)
                    or (cut == 0 and before and (before[-1].lower() in r.place_prepositions
                                                 or before[-1].lower() in r.determiners))
                    or (after is not None and not after.group(1)[0].islower())  # "Hewlett-Packard CEO"
                    or (after is not None and after.group(1).lower() not in r.stop_words  # "a Boca Raton lawyer"
                        and not r.cue(after.group(1)) and not _opening_subject(s.text, start, end, cut, words))
                    or s.text[end:].lstrip().startswith("(")                       # "Maricopa County (Ariz.)"
                    or words.name_type(name) or name.split()[-1] in r.affiliation_not_before
                    or any(w in r.organization_nouns or w in r.role_words or w in r.stop_words
                           or w in r.place_words for w in low)):
                continue
            out.setdefault(s.idx, []).append(Mention(start, start + len(name), Speaker(name, "unknown", True,
                                                                                        UNTITLED)))
    return out
