"""Name words: which tokens may make up a name, and how an unnamed speaker phrase is written.

:class:`NameWords` is the base of :class:`~.speakers.SpeakerResolver`: capitalised
words, initials and abbreviated titles, honorifics, name particles, the
capitalised run that ends a phrase, the type a name's words give.
"""
from __future__ import annotations

import re

from .model import Sentence, Token
from .rules import SpeechRules

#: a possessive ending of a name word: "Times's", "Reuters'", "Post’s"
POSSESSIVE = re.compile(r"(?:['’]s|['’])$")

__all__ = ["NameWords", "is_word", "POSSESSIVE"]


def _uncapitalise(phrase: str) -> str:
    """A sentence-initial capital lowered ("The spokesman" -> "the spokesman"); an acronym kept ("GOP aides").

    >>> _uncapitalise("The board"), _uncapitalise("GOP presidential candidate"), _uncapitalise("A")
    ('the board', 'GOP presidential candidate', 'a')
    """
    first = phrase.split(" ", 1)[0]
    if len(first) > 1 and not first[1].islower():
        return phrase
    return phrase[:1].lower() + phrase[1:]


def is_word(tok: str) -> bool:
    """Whether a token is a word (not punctuation)."""
    return tok[0].isalnum()


class NameWords:
    """Tells the words of names apart with the rules' word lists (``not_names``, ``name_particles``,
    ``name_prefixes``, ``honorifics``, ``name_words``, role nouns)."""

    def __init__(self, rules: SpeechRules):
        self.r = rules

    def is_cap(self, tok: str) -> bool:
        """A capitalised word that may be part of a name, also after a lower-case prefix ("al-Sisi").

        >>> from alliance_study.metrics.attribution import load_speech_rules
        >>> sr = NameWords(load_speech_rules())
        >>> sr.is_cap("Sisi"), sr.is_cap("al-Sisi"), sr.is_cap("pro-Western"), sr.is_cap("The")
        (True, True, False, False)
        """
        if tok[0].isupper():
            return tok not in self.r.not_names
        pre, sep, rest = tok.partition("-")
        return bool(sep) and rest[:1].isupper() and pre.lower() in self.r.name_prefixes

    def initial(self, toks: list[Token], k: int, titles: bool = False) -> bool:
        """Token ``k`` is the point of a name's initial ("B." in "James B. Comey"): one capital letter before
        it, touching, and a capitalised word after it; with ``titles`` also the point of an abbreviated
        title that is a role noun of a ``title_types`` type ("Sen. Jo Roe", "Gov. Ann Lee"; not "Mr.")."""
        if not (0 < k < len(toks) - 1 and toks[k].text == "." and toks[k - 1].text[:1].isupper()
                and toks[k - 1].text.isalpha() and toks[k - 1].end == toks[k].start
                and is_word(toks[k + 1].text) and self.is_cap(toks[k + 1].text)):
            return False
        if len(toks[k - 1].text) == 1:
            return True
        rt = self.r.role_type(toks[k - 1].text) if titles else None
        return rt is not None and rt.speaker_type in self.r.title_types

    def honorific_point(self, toks: list[Token], k: int) -> bool:
        """Token ``k`` is the point of an honorific before a capitalised word ("Mr." in "Mr. Smith’s lawyer").

        >>> from alliance_study.metrics.attribution import load_speech_rules
        >>> from alliance_study.text import punct_tokens
        >>> sr = NameWords(load_speech_rules())
        >>> toks = [Token(*t) for t in punct_tokens("Mr. Smith’s lawyer and Co. staff")]
        >>> sr.honorific_point(toks, 1), sr.honorific_point(toks, 6)
        (True, False)
        """
        return (0 < k < len(toks) - 1 and toks[k].text == "." and toks[k - 1].end == toks[k].start
                and toks[k - 1].text.lower() in self.r.honorifics and toks[k - 1].text[:1].isupper()
                and is_word(toks[k + 1].text) and self.is_cap(toks[k + 1].text))

    def particles_before(self, toks: list[Token], k: int, lo: int = 0) -> int:
        """Index of the capitalised word before the particles that end at token ``k`` ("Ursula von der"
        before "Leyen" -> "Ursula"), or -1 when ``toks[k]`` is no particle or no such word stands before them."""
        q = k
        while q >= lo and toks[q].text.lower() in self.r.particles:
            q -= 1
        if q == k or q < lo or not is_word(toks[q].text) or not self.is_cap(toks[q].text):
            return -1
        return q

    def opens_name(self, tok: str, nxt: str, prev: str = "") -> bool:
        """A ``not_names`` word that still opens a name: before a name word, after "the" or at the start.

        "The Sunday Times said", "Sunday Telegraph editors said"; not "On Sunday Times
        reporters said" nor "Sunday Smith said".

        >>> from alliance_study.metrics.attribution import load_speech_rules
        >>> sr = NameWords(load_speech_rules())
        >>> sr.opens_name("Sunday", "Times", "The"), sr.opens_name("Sunday", "Times", "On")
        (True, False)
        >>> sr.opens_name("Sunday", "Smith"), sr.opens_name("The", "Times")
        (False, False)
        """
        low = tok.lower()
        return (tok in self.r.not_names and tok[:1].isupper() and nxt in self.r.name_words
                and low not in self.r.stop_words and low not in self.r.determiners
                and (not prev or not is_word(prev) or prev.lower() in self.r.determiners))

    def unnamed(self, phrase: str) -> str:
        """An unnamed speaker phrase as reported: its sentence-initial capital lowered ("the spokesman"),
        but not an acronym's ("GOP aides"), a name word's ("Times reporters"), a name's possessive or an
        honorific ("Mr. Smith’s lawyer"), nor that of a name of several capitalised words
        ("European Union leaders").

        >>> from alliance_study.metrics.attribution import load_speech_rules
        >>> sr = NameWords(load_speech_rules())
        >>> sr.unnamed("The spokesman"), sr.unnamed("Times reporters"), sr.unnamed("GOP aides")
        ('the spokesman', 'Times reporters', 'GOP aides')
        >>> sr.unnamed("Smith’s lawyer"), sr.unnamed("Mr. Smith’s lawyer"), sr.unnamed("Its spokesman")
        ('Smith’s lawyer', 'Mr. Smith’s lawyer', 'its spokesman')
        >>> sr.unnamed("European Union leaders"), sr.unnamed("The EU leaders"), sr.unnamed("Western diplomats")
        ('European Union leaders', 'the EU leaders', 'western diplomats')
        """
        first = phrase.split(" ", 1)[0]
        if POSSESSIVE.sub("", first) in self.r.name_words:
            return phrase
        if first[:1].isupper() and (first.rstrip(".").lower() in self.r.honorifics or (
                POSSESSIVE.search(first) and first not in self.r.not_names)):
            return phrase             # a name's possessive or an honorific: "Smith’s lawyer", "Mr. Smith’s lawyer"
        low = first.lower()
        if (low not in self.r.determiners and first not in self.r.not_names
                and any(w[:1].isupper() for w in phrase.split()[1:])):
            return phrase             # a name of several words: "European Union leaders"
        return _uncapitalise(phrase)

    def name_type(self, name: str) -> str | None:
        """The type a word of a name gives ("Post", "Times's" -> media), or None."""
        for w in name.split():
            t = self.r.name_words.get(POSSESSIVE.sub("", w))  # not rstrip("'s"): "Times" is no "Time"
            if t:
                return t
        return None

    def cap_run(self, s: Sentence, ti: int, tj: int) -> tuple[int, int, list[Token]] | None:
        """``(start, end, tokens)`` of the capitalised run (with inner particles) ending at token ``tj-1``."""
        toks = s.toks
        k = tj - 1
        if k < ti or not self.is_cap(toks[k].text) or not is_word(toks[k].text):
            return None
        run: list[Token] = []
        while k >= ti:
            t = toks[k].text
            if is_word(t) and (self.is_cap(t) or (run and self.opens_name(t, run[-1].text,
                                                                        toks[k - 1].text if k else ""))):
                run.append(toks[k])
            elif run and self.initial(toks, k, True) and k - 1 >= ti:   # "James B. Comey", "Sen. Jo Roe"
                run.extend((toks[k], toks[k - 1]))
                k -= 2
                continue
            elif run and self.particles_before(toks, k, ti) >= 0:
                q = self.particles_before(toks, k, ti)     # "von der" between "Ursula" and "Leyen"
                run.extend(reversed(toks[q + 1:k + 1]))
                k = q
                continue
            else:
                break
            k -= 1
            if len(run) >= 8:
                break
        run.reverse()
        return run[0].start, run[-1].end, run
