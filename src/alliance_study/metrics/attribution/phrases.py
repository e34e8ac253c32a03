"""Speaker phrases around a reporting cue: appositives, heads before prepositions, relative clauses.

:class:`PhraseFinder` finds the speaker phrase a cue points to -- before the verb
(with an appositive, a prepositional phrase or a relative clause after its head),
right after it, or after a cue whose speaker follows -- and hands it to
:class:`~.speakers.SpeakerResolver`; :class:`~.candidates.CueFinder` calls it for
each cue of a sentence; the token bounds of the phrases come from
:class:`~.bounds.PhraseBounds`.
"""
from __future__ import annotations

import re

from .actors import Speaker
from .bounds import PhraseBounds, SENT_END
from .model import Resolved, Sentence
from .quotes import QUOTE_MARKS
from .speakers import ArticleState, is_word

__all__ = ["PhraseFinder"]

#: a negated auxiliary: "didn't", "won’t"
_NEGATION = re.compile(r"n['’]t$", re.IGNORECASE)

class PhraseFinder(PhraseBounds):
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
        head must then be a role noun or an actor, not a capitalised word.

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

    def _typed_by_affiliation(self, s: Sentence, res: Resolved, st: int, p: int, b: int,
                              art: ArticleState) -> Resolved:
        """A new name ``s.toks[st:p]`` of two or more capitalised words (none a name word or role word, the
        last not in ``affiliation_not_before``) before the ``affiliation_prepositions`` word at ``p``, with no
        type the text gives: typed by the words of the organisation ``s.toks[p+1:b]`` (a role noun, else a
        name word), when they give one; else ``res`` as it is."""
        toks, r, sp = s.toks, self.r, self.speakers
        if (res.resolution != "name" or res.speaker.entity != "person" or res.speaker.speaker_type != "unknown"
                or p + 1 >= b or not self._is_name(s, st, p)):
            return res
        person = [t for t in toks[st:p] if is_word(t.text)]
        if len(person) < 2 or person[-1].text in r.affiliation_not_before or any(
                t.text.lower() in r.role_words or t.text in r.name_words for t in person):
            return res
        org = s.text[toks[p + 1].start:toks[b - 1].end]
        rt = r.first_role(org)
        stype = rt.speaker_type if rt is not None else sp.name_type(org)
        return res if stype is None else res._replace(speaker=art.retype(res.speaker, stype))

    def _author(self, s: Sentence, a: int, b: int, art: ArticleState, after: bool = False) -> Resolved | None:
        """The author after a document's preposition (tokens ``a:b``), resolved, when the text types it
        ("from the foreign ministry": official), else None ("from 2011", "from the game", "from Iowa")."""
        res = self.speakers.resolve(s, a, b, art, after=after) or self.speakers.generic(s, a, b)
        return res if res is not None and res.speaker.speaker_type != "unknown" else None

    def _document_before(self, s: Sentence, p: int) -> bool:
        """Token ``p`` is a ``document_prepositions`` word after a ``source_documents`` noun ("statement from")."""
        toks, r = s.toks, self.r
        if p < 1 or toks[p].text.lower() not in r.document_prepositions:
            return False
        one = toks[p - 1].text.lower()
        two = f"{toks[p - 2].text.lower()} {one}" if p >= 2 else ""
        return one in r.source_documents or two in r.source_documents

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

        "Roe left, saying ..." and "Roe met them and said ..." -> Roe; a short
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
        else:
            j = i
            while j < k and (is_word(toks[j].text) and self.speakers.is_cap(toks[j].text)
                             or (toks[j].text == "." and j > i and len(toks[j - 1].text) <= 3)):
                j += 1
            if j == i or j >= k or not is_word(toks[j].text) or toks[j].text[0].isupper():
                return None
        return self.speakers.resolve(s, i, j, art)

    def _resolve_after(self, s: Sentence, kend: int, j: int, art: ArticleState) -> Resolved | None:
        """The speaker phrase ``s.toks[kend:j]`` after a cue, resolved; without an adjective that ends it
        before its preposition ("said a senior official familiar with the talks": the official)."""
        toks, r = s.toks, self.r
        aff = self._affiliated_after(s, kend, j, art)
        if aff is not None:
            return aff
        p = next((q for q in range(kend + 1, min(j, kend + 4)) if self._document_before(s, q)), None)
        if p is not None and p + 1 < j and all(toks[q].text.lower() in r.determiners or is_word(toks[q].text)
                                               for q in range(kend, p)):
            author = self._author(s, p + 1, j, art, after=True)
            if author is not None:     # "..., said a statement from the ministry": the ministry
                return author
        res = self.speakers.resolve(s, kend, j, art, after=True)
        adjective = (kend < j - 1 and j < len(toks)
                     and f"{toks[j - 1].text.lower()} {toks[j].text.lower()}" in r.np_adjective_prepositions)
        if res is None and adjective:
            res = self.speakers.resolve(s, kend, j - 1, art, after=True)
            if res is not None:
                res = res._replace(end=toks[j - 1].end)
        if res is not None and adjective and res.end >= toks[j - 2].end:
            # "according to a person familiar with the matter, ...": the mention runs to the comma
            # (the reported clause after it), as "A person familiar with the matter said" does
            e = j + 1
            while (e < len(toks) and e - j < 10 and is_word(toks[e].text)
                   and not (e > j + 2 and toks[e].text.lower() in r.tail_words)):   # not "... on Monday"
                e += 1
            res = res._replace(end=toks[e - 1].end)
        return res

    def _affiliated_after(self, s: Sentence, kend: int, j: int, art: ArticleState) -> Resolved | None:
        """``said NAME of the ORGANISATION``: the person before the ``affiliation_prepositions`` word, or None.

        Only when a determiner follows the preposition (without one the name run
        holds the preposition and :meth:`~.speakers.SpeakerResolver.resolve` splits
        it) and the words before it are one name of capitalised words, none a name
        word or role word, the last not in ``affiliation_not_before`` ("said the
        Bank of the West" stays whole), resolved to a person; a new name with no
        type takes the type the organisation's words give.  The speaker span is
        the name.
        """
        toks, r, sp = s.toks, self.r, self.speakers
        p = next((q for q in range(kend + 1, j - 2) if toks[q].text in r.affiliation_prepositions
                  and toks[q + 1].text.lower() in r.determiners), None)
        if p is None or not self._is_name(s, kend, p):
            return None
        person = [t for t in toks[kend:p] if is_word(t.text)]
        if person[-1].text in r.affiliation_not_before or any(
                t.text.lower() in r.role_words or t.text in r.name_words for t in person):
            return None
        res = sp.resolve(s, kend, p, art, after=True)
        if res is None or res.speaker.entity != "person" or res.resolution not in ("name", "surname", "table"):
            return None
        if res.resolution == "name" and len(person) < 2:
            return None                 # "said Acme of the ...": one new capitalised word is no name
        return self._typed_by_affiliation(s, res, kend, p, j, art)

    def _subject_after(self, s: Sentence, kend: int, j: int, art: ArticleState, participle: bool):
        """The speaker right after a verb ("..., said the board."); unnamed phrases only before a clause end."""
        toks, r = s.toks, self.r
        res = self._resolve_after(s, kend, j, art)
        if res is not None or participle or j <= kend:
            return res
        if toks[kend].text.lower() in r.possessive_determiners:
            return None
        nxt = toks[j].text.lower() if j < len(toks) else "."
        if nxt in SENT_END or nxt == "," or nxt in r.relatives or nxt in r.tail_words or nxt in QUOTE_MARKS:
            return self.speakers.generic(s, kend, j)
        return None

    def _opens_clause(self, s: Sentence, kend: int, j: int) -> bool:
        """Whether the phrase ``s.toks[kend:j]`` after a cue is the subject of a reported clause.

        So when a function word that neither ends a speaker phrase (``tail_words``,
        ``relative_pronouns``) nor may stand inside one follows it: an auxiliary, a
        modal, a conjunction ("said the government would study ...", "said he had ...");
        not when the phrase opens with a preposition, as no subject does ("Asked by
        Starnes if ...": the agent).  The caller asks only for cues with no quotation
        mark before them.
        """
        toks, r = s.toks, self.r
        if j >= len(toks) or j <= kend:
            return False
        t, first = toks[j].text, toks[kend].text.lower()
        low = t.lower()
        if first in r.stop_words and first not in r.determiners and r.pronoun_kind(first) is None:
            return False
        return (is_word(t) and t[0].islower() and (low in r.stop_words or low in r.after_stops)
                and low not in r.tail_words and low not in r.relatives)
