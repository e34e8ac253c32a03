"""The speaker phrase after a cue ("said the minister", "according to X", "said Jane Doe of the Acme
Group") and the author of a document ("a statement from the ministry"): :class:`AfterCue`, the base of
:class:`~.phrases.PhraseFinder`.
"""
from __future__ import annotations

from .bounds import SENT_END, PhraseBounds
from .model import Resolved, Sentence
from .quotes import QUOTE_MARKS
from .speakers import ArticleState, is_word

__all__ = ["AfterCue"]


class AfterCue(PhraseBounds):
    """Resolves the speaker phrase that follows a cue, and a document's author (see the module docstring)."""

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

    def _resolve_after(self, s: Sentence, kend: int, j: int, art: ArticleState,
                       source: bool = False) -> Resolved | None:
        """The speaker phrase ``s.toks[kend:j]`` after a cue, resolved; without an adjective that ends it
        before its preposition ("said a senior official familiar with the talks": the official).

        ``source``: the cue's speaker follows it ("according to"); a mention that an
        ``np_prepositions`` word ends runs on to a comma within ten words ("according
        to people with direct knowledge of the talks, ...": the reported clause comes
        after the comma), also past ``tail_words`` and after an adjective and its
        preposition ("according to people familiar with the talks and officials in
        Brussels, a deal is near": the content is "a deal is near").
        """
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
        prep = (source and res is not None and not adjective and kend < j < len(toks)
                and res.end >= toks[j - 1].end and toks[j].text.lower() in r.np_prepositions)
        if res is not None and (prep or (adjective and res.end >= toks[j - 2].end)):
            # "according to a person familiar with the matter, ...": the mention runs to the comma
            # (the reported clause after it), as "A person familiar with the matter said" does
            e = j + 1
            while (e < len(toks) and e - j < 10 and is_word(toks[e].text)
                   and not (e > j + 2 and toks[e].text.lower() in r.tail_words)):   # not "... on Monday"
                e += 1
            if source and not (e < len(toks) and toks[e].text == ","):
                # "according to people familiar with the talks and officials in Brussels, ...": a comma
                # within ten words ends the mention (then the reported clause), tail words and all
                c = e
                while c < len(toks) and c - j < 10 and is_word(toks[c].text):
                    c += 1
                if c < len(toks) and toks[c].text == ",":
                    e = c
            if not prep or (e < len(toks) and toks[e].text == ","):
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
        while len(person) > 2 and getattr(r.role_type(person[0].text), "speaker_type", None) in r.title_types:
            person = person[1:]         # "said Colonel Ahmed Saleh of the army": the title before the name
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
        if (nxt in SENT_END or nxt == "," or nxt in r.relatives or nxt in r.tail_words or nxt in QUOTE_MARKS
                or nxt in r.coordinators):      # '"We lost," said the coach and left the room.'
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
