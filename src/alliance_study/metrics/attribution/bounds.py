"""Where a speaker phrase starts and ends: the token bounds :class:`~.phrases.PhraseFinder` works with.

:class:`PhraseBounds` scans back from a cue to the start of the phrase before it
and forward to the end of the phrase after it, and tells the small shapes of an
appositive apart (a comma in the same clause, an abbreviation's point, a state
after a place, a name of capitalised words).
"""
from __future__ import annotations

from .actors import ActorTable
from .model import Sentence
from .quotes import QUOTE_MARKS
from .rules import SpeechRules
from .speakers import SpeakerResolver, is_word

__all__ = ["PhraseBounds", "CLAUSE_END", "SENT_END"]

#: punctuation that ends a sentence or clause (a point may also end an abbreviation)
SENT_END = ".!?;:"
#: punctuation that ends a clause inside a sentence ("." left out: "Mrs.")
CLAUSE_END = "!?;:"


class PhraseBounds:
    """Token bounds of speaker phrases (the base of :class:`~.phrases.PhraseFinder`)."""

    def __init__(self, actors: ActorTable, rules: SpeechRules):
        self.a = actors
        self.r = rules
        self.speakers = SpeakerResolver(actors, rules)

    # ------------------------------------------------------------ speaker phrases
    def phrase_back(self, s: Sentence, k: int) -> int:
        """Start token index of the speaker phrase that ends before token ``k``."""
        toks, r = s.toks, self.r
        j = k
        while j > 0 and k - j < 8:
            t = toks[j - 1].text
            low = t.lower()
            if not is_word(t):
                if t in ("'", "’") and j - 1 > 0:  # "Sciences’ Institute"
                    j -= 1
                    continue
                if t == "." and j < k and self.speakers.initial(toks, j - 1, True):   # "James B. Comey", "Sen. Jo Roe"
                    j -= 1
                    continue
                if t == "." and j < k and self.speakers.honorific_point(toks, j - 1):   # "Mr. Smith’s lawyer"
                    j -= 1
                    continue
                break
            if j < k and self.speakers.initial(toks, j):    # "A." in "Richard A. Posner" is no article
                j -= 1
                continue
            if low in r.determiners:
                j -= 1
                break
            if j == k and r.pronoun_kind(t) is not None:
                j -= 1
                break
            if t in r.not_names and not (j < k and self.speakers.opens_name(t, toks[j].text,
                                                                            toks[j - 2].text if j > 1 else "")):
                break
            if low in r.particles and j < k and self.speakers.is_cap(toks[j].text):
                q = self.speakers.particles_before(toks, j - 1)   # "Ursula von der Leyen", "Jornal do Porto"
                if q >= 0:
                    j = q + 1
                    continue
            if low in r.stop_words and not (low in r.pronouns and j == k):
                break
            if t[0].islower() and (t.endswith(("'s", "’s"))):
                break
            j -= 1
        return j

    def phrase_fwd(self, s: Sentence, k: int, verb: bool = False) -> int:
        """End token index (exclusive) of the speaker phrase starting at token ``k``.

        ``verb``: the phrase follows a reporting verb, so it also ends at the
        ``verb_after_phrase_stops`` ("said Jane Doe at a news conference").
        """
        toks, r = s.toks, self.r
        stops = r.verb_after_stops if verb else r.after_stops
        j = k
        while j < len(toks) and j - k < 15:
            t = toks[j].text
            if not is_word(t):
                if t in ("'", "’"):
                    j += 1
                    continue
                if (t == "." and j > k and toks[j - 1].end == toks[j].start and len(toks[j - 1].text) <= 3
                        and toks[j - 1].text[0].isupper() and j + 1 < len(toks) and toks[j + 1].text[0].isupper()):
                    j += 1      # an abbreviated title inside the name: "Mr. Smith", "Sen. Roe"
                    continue
                break
            if t.lower() in stops and j > k:
                break
            j += 1
        return j

    def _comma_before(self, s: Sentence, end: int) -> int | None:
        """Index of the comma before token ``end`` in the same clause (no quote mark or clause end between)."""
        toks = s.toks
        for q in range(end - 1, max(-1, end - 40), -1):
            if toks[q].text == ",":
                return q
            if toks[q].text in QUOTE_MARKS or toks[q].text in CLAUSE_END:  # "." inside a sentence: "Mrs."
                return None
        return None

    def _abbreviation(self, s: Sentence, k: int) -> bool:
        """Token ``k`` is the point of a short capitalised abbreviation ("Jr.", "Pa.", "N.C.")."""
        toks = s.toks
        w = toks[k - 1].text
        return is_word(w) and w[0].isupper() and len(w) <= 3 and toks[k - 1].end == toks[k].start

    def _place_tail(self, s: Sentence, c2: int, end: int) -> bool:
        """``s.toks[c2+1:end]`` is a state or country after a place ("of Flint, Mich.,", "in Allentown, Pa.,"):
        at most three capitalised words or abbreviations, after a capitalised name that a preposition
        opens ("of Flint"; not "of the Federal Bureau of Investigation, Ann K. Roe,")."""
        toks, sp = s.toks, self.speakers
        words = [t for t in toks[c2 + 1:end] if is_word(t.text)]
        if not (0 < len(words) <= 3 and all(sp.is_cap(t.text) for t in words)
                and all(is_word(t.text) or t.text == "." for t in toks[c2 + 1:end])):
            return False
        q = c2 - 1
        while q >= 0 and is_word(toks[q].text) and (
                sp.is_cap(toks[q].text) or (toks[q].text.lower() in self.r.particles and q > 0
                                            and is_word(toks[q - 1].text) and sp.is_cap(toks[q - 1].text))):
            q -= 1
        return q < c2 - 1 and q >= 0 and toks[q].text.lower() in self.r.head_prepositions

    def _is_name(self, s: Sentence, a: int, b: int) -> bool:
        """Tokens ``a:b`` are one name: capitalised words, inner particles, abbreviation points ("Sen. Jo Roe")."""
        toks, sp = s.toks, self.speakers
        if b <= a or not (is_word(toks[a].text) and sp.is_cap(toks[a].text)) or not sp.is_cap(toks[b - 1].text):
            return False
        for q in range(a + 1, b):
            t = toks[q].text
            if is_word(t) and (sp.is_cap(t) or t.lower() in self.r.particles):
                continue
            if t == "." and len(toks[q - 1].text) <= 4 and toks[q - 1].end == toks[q].start:
                continue
            return False
        return True
