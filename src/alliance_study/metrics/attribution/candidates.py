"""Candidate finding: reporting cues in a sentence and the speaker phrase each one points to.

For each cue of the rules (outside quotation marks) the finder looks for the
speaker phrase where the cue's kind puts it -- before the verb (with an optional
appositive), right after it (after a quote, comma or dash), or after a cue whose
speaker follows -- and hands it to :class:`~.speakers.SpeakerResolver`.
"""
from __future__ import annotations

import re

from .actors import ActorTable, Speaker
from .model import Found, Sentence
from .quotes import QUOTE_MARKS, choose_quote
from .rules import SpeechRules
from .speakers import ArticleState, SpeakerResolver, is_word

__all__ = ["CueFinder"]

_SENT_END = ".!?;:"


class CueFinder:
    """Finds the attributions of one sentence (see :meth:`sentence`)."""

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
                break
            if low in r.determiners:
                j -= 1
                break
            if low in r.pronouns and j == k:
                j -= 1
                break
            if t in r.not_names:
                break
            if (low in r.particles and j - 2 >= 0 and j < k and self.speakers.is_cap(toks[j - 2].text)
                    and self.speakers.is_cap(toks[j].text)):
                j -= 1
                continue
            if low in r.stop_words and not (low in r.pronouns and j == k):
                break
            if t[0].islower() and (t.endswith(("'s", "’s"))):
                break
            j -= 1
        return j

    def phrase_fwd(self, s: Sentence, k: int) -> int:
        """End token index (exclusive) of the speaker phrase starting at token ``k``."""
        toks, r = s.toks, self.r
        j = k
        while j < len(toks) and j - k < 15:
            t = toks[j].text
            if not is_word(t):
                if t in ("'", "’"):
                    j += 1
                    continue
                break
            if t.lower() in r.after_stops and j > k:
                break
            j += 1
        return j

    def _appositive(self, s: Sentence, b: int, art: ArticleState):
        """``NAME , a/the <role> ... , VERB``: (resolved, appositive text, phrase start token) or None."""
        toks, r = s.toks, self.r
        c2 = None
        for q in range(b - 2, max(-1, b - 40), -1):
            if toks[q].text == ",":
                c2 = q
                break
            if toks[q].text in QUOTE_MARKS or toks[q].text in _SENT_END:
                break
        if c2 is None or c2 <= 0 or b - 1 <= c2 + 1:
            return None
        ap = s.text[toks[c2 + 1].start:toks[b - 2].end]
        first = toks[c2 + 1].text.lower()
        if not ((first in r.articles or r.first_role(ap)) and is_word(toks[c2 - 1].text)):
            return None
        st = self.phrase_back(s, c2)
        res = self.speakers.resolve(s, st, c2, art, appos=ap)
        return (res, ap, st) if res is not None else None

    # ------------------------------------------------------------ main per sentence
    def sentence(self, s: Sentence, art: ArticleState, title_case: bool) -> list[Found]:
        """The attributions of sentence ``s`` (updating the article state ``art``)."""
        r = self.r
        out: list[Found] = []
        text = s.text
        toks = s.toks
        mentions = iter(sorted(s.mentions, key=lambda m: m.start))
        pending = next(mentions, None)
        for m in r.cue_regex.finditer(text):
            cs, ce = m.start(), m.end()
            if s.inside_quote(cs):
                continue
            info = r.cue(m.group())
            if info is None:
                continue
            lead = text[:cs].strip().lstrip("".join(r.dash_marks) + "“\"").strip()
            if m.group()[0].isupper() and lead and not title_case:
                continue
            # mentions before the cue count as antecedents of a pronoun subject
            while pending is not None and pending.end <= cs:
                art.see(pending.speaker)
                pending = next(mentions, None)
            k = s.tok_index(cs)
            kend = s.tok_index(ce)
            res = None
            pattern = ""
            clause_start = cs
            if info.kind == "after":
                j = self.phrase_fwd(s, kend)
                res = self.speakers.resolve(s, kend, j, art, after=True)
                pattern = "speaker_after"
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
                if prev == "," and b >= 2:
                    hit = self._appositive(s, b, art)
                    if hit is not None:
                        res, _, st = hit
                        pattern = "subject_verb"
                        clause_start = toks[st].start
                if res is None and (prev in (",", ":", "(") or prev in QUOTE_MARKS or prev in r.dash_marks
                                    or b == 0):
                    j = self.phrase_fwd(s, kend)
                    if kend < len(toks) and is_word(toks[kend].text):
                        res = self.speakers.resolve(s, kend, j, art, after=True)
                        pattern = "verb_subject"
                        # "said X, a professor ...": appositive after the name types a new name
                        if res is not None and res.resolution == "name" and res.speaker.speaker_type == "unknown":
                            am = re.match(r"\s*,\s*([^,.;]{1,120})", text[toks[j - 1].end:])
                            rt = r.first_role(am.group(1)) if am else None
                            if rt:
                                sp = Speaker(res.speaker.name, rt.speaker_type, True, res.speaker.entity)
                                art.names[sp.name] = sp
                                res = res._replace(speaker=sp)
                elif res is None and prev and is_word(prev) and not prev.endswith(("'s", "’s")):
                    st = self.phrase_back(s, b)
                    if st < b:
                        res = self.speakers.resolve(s, st, b, art)
                        pattern = "subject_verb"
                        clause_start = toks[st].start
            if res is None:
                continue
            if res.speaker.named:
                art.remember(res.speaker)
            via = ""
            after_pos = ce if info.kind == "before" else res.end
            if info.kind == "before" and info.recipient:
                j = self.phrase_fwd(s, kend)
                if j > kend:
                    vm = [x for x in s.mentions if x.start >= toks[kend].start and x.end <= toks[j - 1].end]
                    if vm:
                        via = vm[0].speaker.name
                        after_pos = vm[0].end
                    else:
                        k0 = kend + 1 if toks[kend].text.lower() in r.definite else kend
                        run = self.speakers.cap_run(s, kend, j) or self.speakers.cap_run(s, k0, kend + 2)
                        if run:
                            via = text[run[0]:run[1]]
                            after_pos = run[1]
            quote = choose_quote(r, s, cs, ce, min(res.start, clause_start), max(res.end, ce), after_pos, info.kind)
            out.append(Found(res, info.label, cs, ce, m.group(), quote.pattern or pattern, quote, via))
        while pending is not None:
            art.see(pending.speaker)
            pending = next(mentions, None)
        return out
