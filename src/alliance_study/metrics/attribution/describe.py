"""What an article says of the people it names: types for names that are not in the actor table.

Before speakers are resolved, every sentence of an article is scanned for three
ways news text describes a person or body (the words come from ``attribution.yaml``):

* a role noun or title right before a name: "Republican nominee Donald Trump",
  "Sen. Jane Roe", "campaign manager John Doe";
* an appositive after a name: "Jane Roe, a professor at ...", "John Doe, the
  paper's editor";
* a tag after a name matching one of the ``name_tags`` patterns ("Jane Roe (D-Ohio)").

The first description of a name in the article gives its type, and its last word
(the surname) inherits it.  Each description is also a mention of a person that a
later pronoun may refer to.

>>> from alliance_study.metrics.attribution.rules import load_speech_rules
>>> from alliance_study.metrics.attribution.actors import load_actors
>>> from alliance_study.metrics.attribution.speakers import SpeakerResolver
>>> from alliance_study.metrics.attribution.model import Sentence, Token
>>> from alliance_study.text import punct_tokens
>>> t = "Analyst Jane Roe met Tom Poe, a senator from Ohio."
>>> s = Sentence(0, "a", 0, None, "body", t, 0, [Token(*x) for x in punct_tokens(t)], [], False, [])
>>> types, _ = describe_people([s], SpeakerResolver(load_actors(), load_speech_rules()))
>>> types["Jane Roe"], types["Roe"], types["Tom Poe"]
('expert', 'expert', 'official')
"""
from __future__ import annotations

import re

from ...text import PUNCT_TOKEN_RE
from .actors import Mention, Speaker
from .model import Sentence
from .rules import SpeechRules
from .speakers import SpeakerResolver, is_word

__all__ = ["describe_people"]


def _run_forward(res: SpeakerResolver, s: Sentence, k: int, limit: int = 4) -> tuple[int, int] | None:
    """Token range ``(k, j)`` of the capitalised run starting at token ``k`` (at most ``limit`` words)."""
    toks = s.toks
    j = k
    while j < len(toks) and j - k < limit:
        t = toks[j].text
        if is_word(t) and res.is_cap(t):
            j += 1
        elif t.lower() in res.r.particles and j > k:
            q = j        # "von der" before "Leyen"
            while q < len(toks) and toks[q].text.lower() in res.r.particles:
                q += 1
            if q >= len(toks) or not is_word(toks[q].text) or not res.is_cap(toks[q].text):
                break
            j = q
        else:
            break
    return (k, j) if j > k else None


def _opens_appositive(r: SpeechRules, token: str) -> bool:
    """Whether ``token`` after a comma may open an appositive: an article, a possessive or a number."""
    first = token.lower()
    return first in r.articles or first in r.possessives or first[:1].isdigit()


def _name(s: Sentence, k: int, j: int) -> str:
    return re.sub(r"['’]s?$", "", s.text[s.toks[k].start:s.toks[j - 1].end])


def describe_people(sents: list[Sentence], res: SpeakerResolver) -> tuple[dict[str, str], dict[int, list[Mention]]]:
    """``(types, people)``: name or surname -> speaker type, and per sentence index the described names."""
    r = res.r
    types: dict[str, str] = {}
    people: dict[int, list[Mention]] = {}

    def add(s: Sentence, k: int, j: int, stype: str, entity: str) -> None:
        name = _name(s, k, j)
        if not name or name in r.not_names:
            return
        known = res.a.lookup(name)  # the actor table's type wins over the description's, as for the name itself
        speaker = known if known is not None else Speaker(name, stype, True, entity)
        types.setdefault(name, speaker.speaker_type)
        words = name.split()
        if len(words) > 1:
            types.setdefault(words[-1], speaker.speaker_type)
        people.setdefault(s.idx, []).append(Mention(s.toks[k].start, s.toks[j - 1].end, speaker))

    for s in sents:
        # tokens only where a role noun, a comma or a name tag calls for them (most sentences: none)
        text = s.text
        # 1. role noun or title right before a name
        for m in r.role_regex.finditer(text):
            rt = r.role_type(m.group())
            if rt is None or rt.plural:
                continue
            toks = s.toks
            k = s.tok_index(m.end())
            if k < len(toks) and toks[k].text == "." and toks[k].start == m.end():
                k += 1
            if k >= len(toks) or text[m.end():toks[k].start].strip(". ") != "":
                continue
            if toks[k].text.lower() in r.particles and k + 1 < len(toks) and res.is_cap(toks[k + 1].text):
                k += 1          # "Secretary of State Jane Roe": the run holds the office's rest
            run = _run_forward(res, s, k)
            if run:
                entity = "organization" if m.group().lower() in r.organization_nouns else "person"
                add(s, run[0], run[1], rt.speaker_type, entity)
        # 2. appositive after a name: "Jane Roe, a professor at ..."
        #    (only the comma tokens matter: find them from the commas of the text, and tokenize
        #    the sentence only when the token after one (punct_tokens: the next PUNCT_TOKEN_RE
        #    match) opens an appositive)
        p = text.find(",")
        while p >= 0:
            comma, p = p, text.find(",", p + 1)
            nxt = PUNCT_TOKEN_RE.search(text, comma + 1)
            if nxt is None or not _opens_appositive(r, nxt.group()):
                continue
            toks = s.toks
            i = s.tok_index(comma)
            if i >= len(toks) or toks[i].text != "," or i == 0 or i + 1 >= len(toks):
                continue
            if not _opens_appositive(r, toks[i + 1].text):
                continue
            cap = res.cap_run(s, 0, i)
            if cap is None:
                continue
            seg_end = next((q for q in range(i + 1, min(len(toks), i + 14)) if toks[q].text in ",;:!?()"),
                           min(len(toks), i + 14))
            rt = r.first_role(text[toks[i + 1].start:toks[seg_end - 1].end])
            if rt is not None:
                k = s.tok_index(cap[0])
                add(s, k, s.tok_index(cap[1]), rt.speaker_type, "person")
        # 3. a tag after a name: "Jane Roe (D-Ohio)"
        for stype, pattern in r.name_tags:
            for tag in pattern.finditer(text):
                if not s.toks:
                    break
                j = s.tok_index(tag.start())
                cap = res.cap_run(s, 0, j)
                if cap is not None:
                    add(s, s.tok_index(cap[0]), j, stype, "person")
    return types, people
