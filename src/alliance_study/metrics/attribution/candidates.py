"""Candidate finding: reporting cues in a sentence and the speaker phrase each one points to.

For each cue of the rules (outside quotation marks, and a cue by :func:`.cues.is_cue`)
the finder looks for the speaker phrase where the cue's kind puts it -- before the
verb (with an optional appositive), right after it (after a quote, comma or dash),
or after a cue whose speaker follows -- with :class:`~.phrases.PhraseFinder`, which
hands it to :class:`~.speakers.SpeakerResolver`.
"""
from __future__ import annotations

import re
from dataclasses import replace

from ...text import normalise_phrase
from .actors import Speaker
from .coordination import coordinated_after, coordinated_subject
from .cues import document_subject, is_cue, reports_clause
from .model import Found, QuoteChoice, Resolved, Sentence, Token
from .phrases import PhraseFinder
from .quotes import QUOTE_MARKS, choose_quote, quote_mark_before
from .speakers import ArticleState, is_word

__all__ = ["CueFinder", "is_title_case"]

_LETTERS_RE = re.compile(r"[^\W\d_]+")


def is_title_case(text: str) -> bool:
    """Whether most longer words of ``text`` are capitalised, as in a title.

    >>> is_title_case("Officials Say Talks Failed Again"), is_title_case("Officials say talks failed.")
    (True, False)
    """
    words = [w for w in _LETTERS_RE.findall(text) if len(w) > 3]
    return len(words) >= 3 and sum(w[0].isupper() for w in words) / len(words) >= 0.6


def _comma_in_quote(toks: list[Token], b: int) -> bool:
    """Whether a comma stands right before the quotation mark(s) that end before token ``b`` ('," adding')."""
    q = b - 1
    while q >= 0 and (toks[q].text in QUOTE_MARKS or toks[q].text == "'"):
        q -= 1
    return q >= 0 and toks[q].text == ","


def _same_statement(out: list[Found], pattern: str, res: Resolved, cs: int, quote: QuoteChoice) -> int | None:
    """The index of the earlier row of the sentence a participle cue at ``cs`` only goes on with, or None.

    The participle is inside that row's reported clause ("Unions criticised the
    plan, saying it was unfair": the clause 'the plan, saying it was unfair'), or
    the two rows have one speaker and one quote ('The minister denied the report,
    saying it was "pure fiction".'); the earlier row keeps its verb and takes the
    participle's content.  Two quotes stay two rows ('"No comment," he said,
    adding that "the matter is closed."').
    """
    for idx in range(len(out) - 1, -1, -1):
        f = out[idx]
        if f.cue_end > cs or f.pattern == "colon":
            continue
        inside = f.quote.kind == "reported" and f.quote.start <= cs < f.quote.end
        one = (f.resolved.speaker == res.speaker and f.quote.direct and quote.direct
               and (f.quote.start, f.quote.end) == (quote.start, quote.end))
        if inside or one:
            return idx
    return None


class CueFinder(PhraseFinder):
    """Finds the attributions of one sentence (see :meth:`sentence`)."""

    def _names_speaker(self, s: Sentence, res: Resolved, kend: int) -> bool:
        """Whether a cue form that also names (``naming_forms``: "Trump called the plan a disaster") reports
        here: its speaker is a name, an actor, a pronoun or a known role, not an unnamed phrase ("a group
        called Democracy Now"); no ``naming_not_after`` word stands before the speaker ("what he called a
        crisis"); no stop word or ``naming_not_before`` word follows the cue ("called into a radio show",
        "called off the deal")."""
        toks, r = s.toks, self.r
        k = s.tok_index(res.start)
        while k > 0 and toks[k - 1].text.lower() in r.determiners:
            k -= 1
        return (res.resolution in ("name", "surname", "table", "pronoun", "anaphora", "possessive")
                and not (k > 0 and toks[k - 1].text.lower() in r.naming_not_after)
                and kend < len(toks) and toks[kend].text.lower() not in r.stop_words
                and toks[kend].text.lower() not in r.naming_not_before)

    def _colon(self, s: Sentence, art: ArticleState) -> Found | None:
        """``SPEAKER: what was said`` opening a sentence (headline "Minister: talks will go on", a
        transcript's "WALLACE: ..."): pattern ``colon``, verb ``colon_verb``; or None.

        The phrase before the colon is the sentence's first words (at most eight, no
        punctuation but apostrophes, points and hyphens) and resolves to an actor, a
        role noun or a name (the head before a preposition first: "Obama on Climate
        Change: ..."); not a ``colon_not_speakers`` label, whole or its last word
        ("The Latest: ...", "Delegate Update: ..."), nor before a ``colon_not_before``
        word ("Brexit: what happens next"), nor holding a cue ('Roe told reporters:
        "..."': the verb's pattern); at least three words follow the colon
        ("Clinton: 547." is a tally).  Outside a headline only a transcript's name in
        capitals ("WALLACE: ...") or a colon before a quotation mark ('Bush: "The
        mission is ..."') counts: in body text a phrase before a colon is mostly a
        section label ("Contributing: ...", "Rubio: Finish second.").
        """
        r, toks, text = self.r, s.toks, s.text
        k = next((i for i, t in enumerate(toks[:9]) if t.text == ":"), None)
        if k is None or k == 0 or k + 1 >= len(toks) or s.inside_quote(toks[k].start):
            return None
        if any(not is_word(t.text) and t.text not in ("'", "’", ".", "-") for t in toks[:k]):
            return None
        nxt = toks[k + 1].text
        if (not (is_word(nxt) or nxt in QUOTE_MARKS) or nxt.lower() in r.colon_not_before
                or sum(is_word(t.text) for t in toks[k + 1:]) < 3):
            return None
        label = normalise_phrase(text[:toks[k].start])
        if (label in r.colon_not_speakers or label.rsplit(" ", 1)[-1] in r.colon_not_speakers
                or r.cue_regex.search(text[:toks[k].start]) is not None):   # 'Roe told reporters: "..."'
            return None
        if s.role != "headline" and nxt not in QUOTE_MARKS and not label.upper() == text[:toks[k].start].strip():
            return None
        found = self.named_before(s, k, art)
        if found is None or not all(t.text.lower() in r.determiners for t in toks[:found[1]]):
            return None
        res, st = found
        cs, ce = toks[k].start, toks[k].end
        quote = choose_quote(r, s, cs, ce, min(res.start, toks[st].start), ce, ce, "before")
        return Found(res, r.colon_verb, cs, ce, ":", quote.pattern or "colon", quote, "")

    # ------------------------------------------------------------ main per sentence
    def sentence(self, s: Sentence, art: ArticleState, title_case: bool | None = None) -> list[Found]:
        """The attributions of sentence ``s`` (updating the article state ``art``).

        ``title_case``: whether the sentence is a title, where a capitalised cue form
        may stand mid-sentence; None: decided from its words (:func:`is_title_case`)
        when a capitalised cue calls for it.
        """
        r = self.r
        text = s.text
        art.sentence = s.idx
        cues = list(r.cue_regex.finditer(text))
        colon = self._colon(s, art) if ":" in text and r.colon_verb else None
        if not cues and colon is None:     # most sentences: only the mentions to remember, in text order
            for mn in sorted(s.mentions + s.people, key=lambda m: m.start):
                art.see(mn.speaker)
            return []
        out: list[Found] = []
        toks = s.toks
        mentions = iter(sorted(s.mentions + s.people, key=lambda m: m.start))
        pending = next(mentions, None)
        if colon is not None:
            out.append(colon)
            if colon.resolved.speaker.named:
                art.remember(colon.resolved.speaker)
        blocked = [(x.start(), x.end()) for x in r.not_cue_regex.finditer(text)]
        for m in cues:
            cs, ce = m.start(), m.end()
            if s.inside_quote(cs) or any(a < ce and cs < b for a, b in blocked):
                continue
            info = r.cue(m.group())
            if info is None:
                continue
            if not is_cue(r, s, cs, ce):
                continue
            if r.nested_cues and info.label not in r.nested_cues and any(
                    f.quote.kind == "reported" and f.label in r.nested_cues and f.quote.start <= cs < f.quote.end
                    for f in out):
                continue    # "She said the two countries agreed on ...": a weak cue inside a reported clause
            lead = text[:cs].strip().lstrip("".join(r.dash_marks) + "“\"").strip()
            if m.group()[0].isupper() and lead:
                if title_case is None:
                    title_case = is_title_case(text)
                if not title_case:
                    continue
            # mentions before the cue count as antecedents of a pronoun subject
            while pending is not None and pending.end <= cs:
                art.see(pending.speaker)
                pending = next(mentions, None)
            k = s.tok_index(cs)
            kend = s.tok_index(ce)
            res = None
            members: list[Speaker] = []      # the parts of a coordinated speaker
            phrase_end = 0                    # the end of the phrase of a speaker after its verb
            pattern = ""
            clause_start = cs
            if info.kind == "after":
                j = self.phrase_fwd(s, kend)
                res = self._resolve_after(s, kend, j, art, source=True) or self.speakers.generic(s, kend, j)
                pattern = "speaker_after"
                pair = coordinated_after(self, s, kend, j, res, art) if res is not None else None
                if pair is not None:     # "according to officials and companies"
                    res, members = pair
            else:
                # skip adverbs/auxiliaries between subject and verb
                b = k
                while b > 0 and k - b < 3:
                    t = toks[b - 1].text
                    if t.lower() in r.between or (t.islower() and t.endswith("ly") and len(t) > 4):
                        b -= 1
                    else:
                        break
                prev = toks[b - 1].text if b > 0 else ""
                # one word in -ing ("saying", "telling"); not "was quoted as saying", a finite verb phrase
                participle = (bool(r.participle_suffixes) and len(m.group().split()) == 1
                              and m.group().lower().endswith(r.participle_suffixes))
                noun_form = m.group().lower() in r.noun_forms
                if prev == "," and b >= 2:
                    hit = self._appositive(s, b, art)
                    if hit is not None:
                        res, st = hit
                        group = coordinated_subject(self, s, st, res, art)
                        if group is not None:      # "Officials and companies, however, said": the group
                            res, st, members = group
                        pattern = "subject_verb"
                        clause_start = toks[st].start
                if res is None and prev.lower() in r.relatives and not participle:
                    res = self._relative(s, b, art)
                    pattern = "subject_verb"
                    clause_start = res.start
                elif res is None and participle and (prev == "," or (quote_mark_before(toks, b)
                                                                      and _comma_in_quote(toks, b))):
                    # the subject that opens the sentence, else ('"No comment," he said, adding that "..."')
                    # the speaker of the cue before it in the sentence
                    res = self._main_subject(s, k, art)
                    earlier = [f for f in out if f.cue_end <= cs and f.pattern != "colon"]
                    if res is None and earlier:
                        res = earlier[-1].resolved
                    pattern = "participle"
                elif res is None and prev.lower() in r.coordinators and not participle:
                    res = self._main_subject(s, b - 1, art)
                    pattern = "coordinated"
                elif res is None and prev == ")" and not participle:
                    o = next((q for q in range(b - 2, max(-1, b - 12), -1) if toks[q].text == "("), None)
                    if o is not None and o > 0 and is_word(toks[o - 1].text):
                        st = self.phrase_back(s, o)
                        if st < o:
                            res = self.speakers.resolve(s, st, o, art)
                            if res is not None:
                                res = res._replace(end=toks[b - 1].end)
                                pattern = "subject_verb"
                                clause_start = toks[st].start
                elif res is None and (prev in (",", ":", "(") or quote_mark_before(toks, b) or prev in r.dash_marks
                                      or b == 0):
                    j = self.phrase_fwd(s, kend, verb=True)
                    c = next((q for q in range(kend + 1, j - 1) if toks[q].text.lower() in r.coordinators), None)
                    if c is not None and not any(self.speakers.is_cap(t.text) for t in toks[c + 1:j]) \
                            and r.first_role(text[toks[c + 1].start:toks[j - 1].end]) is None:
                        j = c       # '"We lost," said Jane Doe and left the room.': a second verb, no speaker
                    if kend < len(toks) and is_word(toks[kend].text):
                        res = self._subject_after(s, kend, j, art, participle or noun_form)
                        pattern = "verb_subject"
                        if res is not None and j > kend:
                            phrase_end = toks[j - 1].end    # "said Jane Doe of the Acme Group": all speaker
                        if res is not None and not quote_mark_before(toks, b) and (
                                self._opens_clause(s, kend, j) or self._opens_clause(s, kend, self.phrase_fwd(s, kend))):
                            # "X, Y, said the government would ...", "said the unrest at the rally was
                            # ...": a clause's subject
                            res = None
                        pair = coordinated_after(self, s, kend, j, res, art) if res is not None else None
                        if pair is not None:     # "..., said Jane Doe and John Roe."
                            res, members = pair
                        # "said X, a professor ...": appositive after the name types a new name
                        if res is not None and res.resolution == "name" and res.speaker.speaker_type == "unknown":
                            am = re.match(r"\s*,\s*([^,.;]{1,120})", text[toks[j - 1].end:])
                            rt = r.first_role(am.group(1)) if am else None
                            if rt:
                                sp = art.retype(res.speaker, rt.speaker_type)
                                res = res._replace(speaker=sp)
                elif (res is None and prev.lower() in r.quantifiers and not participle
                      and (b < 2 or not is_word(toks[b - 2].text) or toks[b - 2].text.lower() in r.stop_words)):
                    res = Resolved(Speaker(prev.lower(), "anonymous", False, "group"), "role",
                                   toks[b - 1].start, toks[b - 1].end)
                    pattern = "subject_verb"
                    clause_start = res.start
                elif res is None and prev and is_word(prev) and (not prev.endswith(("'s", "’s"))
                                                                  or r.pronoun_kind(prev) is not None):
                    st = self.phrase_back(s, b)
                    if st < b:
                        res = self.speakers.resolve(s, st, b, art)
                        if res is None or res.resolution != "table":
                            head = self._head_before_preposition(s, st, b, art)
                            if head is not None:
                                res, st = head
                        if res is None and not participle and not noun_form:
                            res = self.speakers.generic(s, st, b)
                        if res is None and not participle:
                            hit = self._before_relative_clause(s, b, art)
                            if hit is not None:
                                res, st = hit
                        group = coordinated_subject(self, s, st, res, art) if res is not None else None
                        if group is not None:      # "Officials and companies said": the whole group
                            res, st, members = group
                        pattern = "subject_verb"
                        clause_start = toks[st].start
            if res is None or (m.group().lower() in r.naming_forms and not self._names_speaker(s, res, kend)):
                continue
            if (m.group().lower() in r.clause_cues
                    and not document_subject(r, s, k) and not reports_clause(r, s, cs, ce)):
                continue    # "Markets showed little reaction", "Police found the body": no content, no document
            res = self._anonymous(s, res, cs)
            for sp in members or [res.speaker]:      # a group's named parts, one by one
                if sp.named:
                    art.remember(sp)
            via = ""
            # the reported clause follows the cue, or the speaker when it stands after the cue
            # ("Prices will rise, said the minister in a statement.")
            after_pos = ce if info.kind == "before" and res.start < ce else max(res.end, phrase_end)
            if info.kind == "before" and info.recipient:
                j = self.phrase_fwd(s, kend, verb=True)
                if j > kend:
                    vm = [x for x in s.mentions if x.start >= toks[kend].start and x.end <= toks[j - 1].end]
                    if vm:
                        via = vm[0].speaker.name
                        after_pos = vm[0].end
                    else:
                        k0 = kend + 1 if toks[kend].text.lower() in r.definite else kend
                        run = (self.speakers.cap_run(s, kend, j) or self.speakers.cap_run(s, k0, kend + 2)
                               or self.speakers.cap_run(s, k0, k0 + 1))     # "told Reuters the talks failed"
                        if run:
                            via = text[run[0]:run[1]]
                            after_pos = run[1]
                    lead = text[:min(res.start, clause_start)].rstrip()
                    if (j >= len(toks) or toks[j].text in ".!?") and lead.endswith((",",) + tuple(QUOTE_MARKS)):
                        # ", Lavrov told Rossiya-1 state television.": the recipient ends the sentence,
                        # what was said stands before the speaker
                        after_pos = max(after_pos, toks[j - 1].end)
                        if not via and self.speakers.is_cap(toks[kend].text):
                            via = text[toks[kend].start:toks[j - 1].end]
                # "told reporters the talks failed", "told the committee the plan ...": a role noun recipient
                k1 = kend + 1 if kend < len(toks) and toks[kend].text.lower() in r.determiners else kend
                if (k1 + 1 < len(toks) and is_word(toks[k1].text) and r.role_type(toks[k1].text) is not None
                        and is_word(toks[k1 + 1].text)):
                    after_pos = max(after_pos, toks[k1].end)
                # "told reporters in Brasilia that ...": the clause after "that"
                q = next((q for q in range(kend, min(len(toks), kend + 8))
                          if not is_word(toks[q].text) or toks[q].text in r.complementizers), None)
                if q is not None and toks[q].text in r.complementizers and toks[q].start >= after_pos:
                    after_pos = toks[q].end
            elif info.kind == "before" and res.start < ce and kend < len(toks) and toks[kend].text in r.tail_words:
                # "said in a statement that ...", "said on Monday that ...": the clause after "that"
                q = next((q for q in range(kend + 1, min(len(toks), kend + 8))
                          if not is_word(toks[q].text) or toks[q].text in r.complementizers), None)
                if q is not None and toks[q].text in r.complementizers and toks[q].start >= after_pos:
                    after_pos = toks[q].end
            # a participle's or a second verb's subject stands apart from it ('"No comment," he said, adding
            # that "..."'): a quote after the verb itself
            second = pattern in ("participle", "coordinated")
            lo, hi = (cs, ce) if second else (min(res.start, clause_start), max(res.end, ce))
            quote = choose_quote(r, s, cs, ce, lo, hi, after_pos, info.kind, second)
            same = _same_statement(out, pattern, res, cs, quote) if pattern == "participle" else None
            if same is not None:     # "Unions criticised the plan, saying it was unfair": one row, what was said
                out[same] = replace(out[same], quote=quote)
                continue
            out.append(Found(res, info.label, cs, ce, m.group(), quote.pattern or pattern, quote, via))
        while pending is not None:
            art.see(pending.speaker)
            pending = next(mentions, None)
        return out
