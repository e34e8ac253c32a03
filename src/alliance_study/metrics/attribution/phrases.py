"""Speaker phrases around a reporting cue: appositives, heads before prepositions, relative clauses.

:class:`PhraseFinder` finds the speaker phrase a cue points to -- before the verb
(with an appositive, a prepositional phrase or a relative clause after its head),
right after it, or after a cue whose speaker follows (those two in
:class:`~.after.AfterCue`) -- and hands it to
:class:`~.speakers.SpeakerResolver`; :class:`~.candidates.CueFinder` calls it for
each cue of a sentence; the token bounds of the phrases come from
:class:`~.bounds.PhraseBounds`.
"""
from __future__ import annotations

import re

from .actors import Speaker
from .after import AfterCue
from .model import Resolved, Sentence
from .quotes import QUOTE_MARKS
from .speakers import ArticleState, is_word

__all__ = ["PhraseFinder"]

#: a negated auxiliary: "didn't", "won’t"
_NEGATION = re.compile(r"n['’]t$", re.IGNORECASE)

class PhraseFinder(AfterCue):
    """Finds and resolves the speaker phrase of a cue (the methods :class:`~.candidates.CueFinder` uses)."""

    def _appositive(self, s: Sentence, b: int, art: ArticleState):
        """``NAME , <appositive> [, <appositive>] , VERB``: (resolved, phrase start token) or None.

        An appositive opens with an article, a number (an age), a relative pronoun
        or a listed opener of up to three words ("for example", "for its part"), or
        holds a role noun; up to three comma-separated parts are passed over ("Jane
        Doe, 39, a teacher, said").
        """
        toks, r = s.toks, self.r
        end = b - 1                      # the comma before the verb
        parts = []
        for _ in range(5):
            c2 = self._comma_before(s, end)
            if c2 is None or c2 <= 0 or end <= c2 + 1:
                return None
            ap = s.text[toks[c2 + 1].start:toks[end - 1].end]
            parts.append(ap)
            first = toks[c2 + 1].text.lower()
            # an opener of one to three words: "however", "for example", "for its part"
            # or a cue whose speaker follows it: "The survey, cited by the Journal, found"
            heads = [" ".join(t.text.lower() for t in toks[c2 + 1:min(end, c2 + 1 + n)]) for n in (1, 2, 3)]
            opener = any(h in r.appositive_openers or getattr(r.cue(h), "kind", "") == "after" for h in heads)
            if (len(parts) == 1 and is_word(toks[c2 - 1].text) and self._is_name(s, c2 + 1, end)
                    and not self._place_tail(s, c2, end)):
                hit = self._named_by_apposition(s, c2, end, art)
                if hit is not None:
                    return hit
            if not (first in r.articles or first in r.relatives or first[:1].isdigit() or opener
                    or r.first_role(ap) or first in r.possessives
                    or (r.participle_suffixes and first.endswith(r.participle_suffixes))
                    or any(p.fullmatch(", " + ap + ",") for _, p in r.name_tags)):
                if self._place_tail(s, c2, end):
                    end = c2             # "of Flint, Mich.,": the state goes with the part before it
                    continue
                return None
            last = c2 - 1                # the phrase before the comma ends at its last word
            if toks[last].text == ")":   # "Sen. Rob Portman (R-Ohio), another incumbent, said"
                last = next((q - 1 for q in range(last - 1, max(0, last - 12), -1) if toks[q].text == "("), last)
            elif toks[last].text == "." and last > 0 and self._abbreviation(s, last):  # "James B. Comey Jr., ..."
                last -= 1
            c3 = self._comma_before(s, c2)
            if c3 is not None and c3 > 0 and self._place_tail(s, c3, c2):
                pass                     # "of Raleigh, N.C., who ...": the phrase before is a place
            elif last >= 0 and is_word(toks[last].text):
                st = self.phrase_back(s, last + 1)
                res = self.speakers.resolve(s, st, last + 1, art, appos=", ".join(reversed(parts)))
                if res is not None and (len(parts) == 1 or res.resolution != "phrase"):
                    return res, st
            end = c2
        return None

    def _named_by_apposition(self, s: Sentence, comma: int, end: int, art: ArticleState):
        """``<role phrase>, NAME, VERB`` ("Her lawyer, Tom Green, said"): (the name, phrase start token) or None.

        Only when the phrase before the name is an unnamed role or noun phrase, or an
        actor table's role noun ("The labour minister, Ruth Okafor, said": the same
        actor twice, or the name when the table gives the role noun to another actor:
        the name is the more specific); the name is typed by its own titles, else by
        that phrase's role noun.
        """
        st = self.phrase_back(s, comma)
        if st >= comma:
            return None
        head = self.speakers.resolve(s, st, comma, art)
        if head is None or head.resolution == "name":
            # "the director of the Federal Bureau of Investigation, James B. Comey, said": the director
            hp = self._head_before_preposition(s, st, comma, art)
            if hp is not None:
                head, st = hp
        if head is None:
            head = self.speakers.generic(s, st, comma)
        if head is None:
            return None
        table_role = head.resolution == "table" and self.r.first_role(s.text[head.start:head.end]) is not None
        if head.resolution not in ("role", "phrase", "possessive") and not table_role:
            return None
        named = self.speakers.resolve(s, comma + 1, end, art)
        if named is None or not named.speaker.named or named.resolution == "pronoun":
            return None
        sp = named.speaker
        if sp.speaker_type == "unknown" and head.speaker.speaker_type not in ("unknown", "anonymous"):
            sp = art.retype(sp, head.speaker.speaker_type)
        return named._replace(speaker=sp, start=head.start), st

    def named_before(self, s: Sentence, k: int, art: ArticleState) -> tuple[Resolved, int] | None:
        """The speaker phrase that ends before token ``k``, resolved (an actor of the table, else the head
        before a preposition: "sources close to the talks"), with its first token; None when there is
        none, or when it is a pronoun or an anaphor (a cue of its own resolves those)."""
        st = self.phrase_back(s, k)
        if st >= k:
            return None
        res = self.speakers.resolve(s, st, k, art)
        if res is None or res.resolution != "table":
            head = self._head_before_preposition(s, st, k, art)
            if head is not None:
                res, st = head
        if res is None or res.resolution in ("pronoun", "anaphora"):
            return None
        return res, st

    def _head_before_preposition(self, s: Sentence, st: int, b: int,
                                 art: ArticleState) -> tuple[Resolved, int] | None:
        """"People familiar with the talks said", "the mayor of Springfield said": the head before the preposition.

        An adjective with its preposition (``np_adjective_prepositions``: "sources
        close to the talks", "a source familiar with the matter") is passed over too,
        and so are up to three nested phrases ("three sources with direct knowledge of
        the matter told": the head before "with", not "direct knowledge"), whose
        head must then be a role noun or an actor, not a capitalised word; so is a
        ``holder_participles`` pair ("Records obtained by the newspaper show", "A
        study published in The Lancet found": the records, the study).

        Only when that head resolves to a known actor, a role noun or a name; the
        speaker span then covers the whole phrase up to the verb.  Returns the
        speaker and the first token of its phrase (a determiner included: "a
        source", where the reported clause before it ends), or None.
        """
        toks, r = s.toks, self.r
        for depth in range(3):
            if st >= 3 and " ".join(t.text.lower() for t in toks[st - 2:st]) in r.np_adjective_prepositions:
                # "sources close to the talks": the head with its adjective ("people close"), else without it
                ends = [st - 1, st - 2]
            elif (depth == 0 and st >= 3
                  and f"{toks[st - 2].text.lower()} {toks[st - 1].text.lower()}" in r.holder_participles):
                ends = [st - 2]     # "Records obtained by the newspaper show": the records, not the newspaper
            elif st >= 2 and toks[st - 1].text.lower() in r.np_prepositions:
                if depth == 0 and self._document_before(s, st - 1) and self._author(s, st, b, art) is not None:
                    return None         # "A statement from the ministry said": the ministry speaks (not "from 2011")
                ends = [st - 1]
            else:
                return None
            for e in ends:
                if not is_word(toks[e - 1].text):
                    return None
                st = self.phrase_back(s, e)
                if st >= e:
                    return None
                res = self.speakers.resolve(s, st, e, art)
                # a nested phrase's head is a role noun or a table actor, not any capitalised word
                if res is not None and res.resolution not in (("pronoun", "anaphora") if depth == 0
                                                              else ("pronoun", "anaphora", "name", "surname")):
                    if depth == 0 and toks[e].text in r.affiliation_prepositions:
                        # "Jane Doe of the Acme Group said": typed as "said Jane Doe of the Acme Group" is
                        res = self._typed_by_affiliation(s, res, st, e, b, art)
                    return res._replace(end=toks[b - 1].end), st
        return None

    def _anonymous(self, s: Sentence, res: Resolved, cs: int) -> Resolved:
        """An unnamed speaker whose phrase says it is not named ("an official with knowledge of the plans",
        "a diplomat, speaking on condition of anonymity,"): typed ``anonymous`` (``anonymity_markers``).

        The phrase is the text from the speaker to the cue, or, for a speaker after
        its cue, to the next quotation mark or the end of the sentence.
        """
        sp = res.speaker
        if sp.named or sp.speaker_type == "anonymous" or res.resolution not in ("role", "phrase", "relative"):
            return res
        if res.start < cs:
            span = s.text[res.start:cs]
        else:
            tail = s.text[res.start:]
            q = next((i for i, ch in enumerate(tail) if ch in QUOTE_MARKS), len(tail))
            span = tail[:q]
        if self.r.anonymity_regex.search(span) is None:
            return res
        return res._replace(speaker=Speaker(sp.name, "anonymous", False, sp.entity, sp.country))

    def _before_relative_clause(self, s: Sentence, b: int, art: ArticleState) -> tuple[Resolved, int] | None:
        """``<speaker> who <clause> VERB`` ("Officials who asked not to be named said"): the phrase before "who".

        Only a relative clause of up to ten words with no punctuation that holds a
        verb of its own (a word that is no stop word, auxiliary, adverb or negation:
        not "a mayor who didn't endorse", where the cue is the clause's verb), and a
        speaker phrase that resolves to an actor, a role noun or a name (the head
        before a preposition first: "Democrats in Iowa who watched the debate said");
        the speaker span runs to the verb.  Returns the speaker and the first token
        of its phrase, or None.
        """
        toks, r = s.toks, self.r
        for q in range(b - 2, max(0, b - 12), -1):
            t = toks[q].text
            if not is_word(t):
                return None
            if t.lower() in r.relatives:
                if q == 0 or not is_word(toks[q - 1].text) or not any(
                        w.text.lower() not in r.stop_words and w.text.lower() not in r.auxiliaries
                        and w.text.lower() not in r.between and not _NEGATION.search(w.text)
                        for w in toks[q + 1:b]):
                    return None
                found = self.named_before(s, q, art)
                if found is None:
                    return None
                res, st = found
                return res._replace(end=toks[b - 1].end), st
        return None

    def _relative(self, s: Sentence, b: int, art: ArticleState):
        """``<antecedent>[,] who said``: the relative pronoun is the mention, resolved to its antecedent."""
        toks = s.toks
        k = b - 1
        ante_end = k - 1 if k >= 1 and toks[k - 1].text == "," else k
        sp = None
        if ante_end >= 1 and is_word(toks[ante_end - 1].text):
            st = self.phrase_back(s, ante_end)
            res = self.speakers.resolve(s, st, ante_end, art) or self.speakers.generic(s, st, ante_end)
            if res is not None:
                sp = res.speaker
        if sp is None:
            sp = Speaker(toks[k].text.lower(), "unknown", False)
        return Resolved(sp, "relative", toks[k].start, toks[k].end)

    def _main_subject(self, s: Sentence, k: int, art: ArticleState):
        """The subject opening the sentence of a participle or coordinated cue, or None.

        "Roe left, saying ..." and "Roe met them and said ..." -> Roe, "The union
        rejected the offer, saying ..." -> the union (a role or organisation noun after a
        determiner); a short
        opening adverbial is passed over ("On Monday, Roe met them and said"), and so
        is a quotation that opens the sentence ('"No comment," Roe said, adding ...').
        """
        toks = s.toks
        starts = [0]
        comma = next((q for q in range(min(k, 8)) if toks[q].text == ","), None)
        if comma is not None:
            starts.append(comma + 1)
        for i in starts:
            res = self._subject_at(s, i, k, art)
            if res is not None:
                return res
        return None

    def _subject_at(self, s: Sentence, i: int, k: int, art: ArticleState):
        toks, r = s.toks, self.r
        while i < k and not is_word(toks[i].text):
            i += 1
        if i >= k or s.inside_quote(toks[i].start):     # not a word of a quotation ('"We won," he said, adding')
            return None
        if r.pronoun_kind(toks[i].text) is not None:
            j = i + 1
        elif toks[i].text.lower() in r.determiners:
            # "The union rejected the offer, saying ...": a determiner, lower-case words, a role or
            # organisation noun, then a lower-case word (the verb)
            j, q = i, i + 1
            while q < min(k, i + 5) and is_word(toks[q].text) and toks[q].text[0].islower() \
                    and toks[q].text.lower() not in r.stop_words:
                q += 1
                low = toks[q - 1].text.lower()
                if r.role_type(low) is not None or low in r.organization_nouns:
                    j = q
            if j == i or not (is_word(toks[j].text) and toks[j].text[0].islower()):
                return None
        else:
            j = i
            while j < k and (is_word(toks[j].text) and self.speakers.is_cap(toks[j].text)
                             or (toks[j].text == "." and j > i and len(toks[j - 1].text) <= 3)):
                j += 1
            if j == i or j >= k or not is_word(toks[j].text) or toks[j].text[0].isupper():
                return None
        return self.speakers.resolve(s, i, j, art)
