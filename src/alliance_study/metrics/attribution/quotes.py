"""Quote spans: quotation marks in a sentence, quotes running over sentences, reported clauses.

>>> quote_spans('He said: "We won." Then "more')
([QuoteSpan(start=10, end=17, kind='full'), QuoteSpan(start=25, end=29, kind='cont_out')], True)
>>> quote_spans("''It's over,'' he said.")
([QuoteSpan(start=2, end=12, kind='full')], True)
"""
from __future__ import annotations

import re

from .model import QuoteChoice, QuoteSpan, Sentence
from .rules import SpeechRules

__all__ = ["quote_spans", "choose_quote", "find_open", "slice_text", "previous_block", "QUOTE_MARKS",
           "quote_mark_before", "whole_quote"]

#: characters after which a straight double quote opens a quote
_OPEN_CTX = set(" \t\n([{—–-:/")
#: double quotation marks (single quotes are ignored: mostly scare quotes or apostrophes;
#: two straight apostrophes '' count as one double quote)
#: the last word of a text and the space before it
_LAST_WORD = re.compile(r"\s+(\S+)$")
QUOTE_MARKS = frozenset({'"', "“", "”", "„", "«", "»"})
#: a sentence without a match holds no quotation mark (most sentences: no per-character scan)
_ANY_MARK_RE = re.compile("[\"“”„«»]|''")
#: the characters the scan of :func:`quote_spans` looks at (every other character is skipped)
_MARK_CHAR_RE = re.compile("[\"“”„«»']")


def quote_mark_before(toks, b: int) -> bool:
    """Whether the token before index ``b`` closes/opens a quotation (a double mark or ``''``)."""
    if b <= 0:
        return False
    t = toks[b - 1].text
    if t in QUOTE_MARKS:
        return True
    return t == "'" and b >= 2 and toks[b - 2].text.endswith("'") and toks[b - 2].end == toks[b - 1].start


def quote_spans(text: str) -> tuple[list[QuoteSpan], bool]:
    """Double-quote spans of a sentence, and whether it holds any double quotation mark.

    Straight quotes (``"``, or ``''`` as some newspapers write them) open after a
    space/bracket/dash or at the start, else close.
    A second opening mark inside an open quote is treated as nested and ignored.
    """
    if _ANY_MARK_RE.search(text) is None:
        return [], False
    spans: list[QuoteSpan] = []
    open_at = None
    seen = False
    skip = -1
    for mark in _MARK_CHAR_RE.finditer(text):
        i, ch = mark.start(), mark.group()
        width = 1
        if i == skip:
            continue
        if ch in "“„«":
            kind = "open"
        elif ch in "”»":
            kind = "close"
        elif ch == '"' or (ch == "'" and text[i + 1:i + 2] == "'" and text[i + 2:i + 3] != "'"):
            # a straight double quote, or two straight apostrophes standing for one (''so'')
            width = 1 if ch == '"' else 2
            skip = i + 1 if width == 2 else -1
            kind = "open" if (i == 0 or text[i - 1] in _OPEN_CTX) and open_at is None else "close"
        else:
            continue
        seen = True
        if kind == "open":
            if open_at is None:
                open_at = i + width
        else:
            if open_at is not None:
                spans.append(QuoteSpan(open_at, i, "full"))
                open_at = None
            elif not spans:
                spans.append(QuoteSpan(0, i, "cont_in"))
    if open_at is not None:
        spans.append(QuoteSpan(open_at, len(text), "cont_out"))
    return spans, seen


def whole_quote(s: Sentence) -> QuoteSpan | None:
    """The one quote that makes up the whole sentence (outside it only marks and punctuation), or None.

    >>> from .model import Sentence
    >>> def sent(text):
    ...     return Sentence(0, "a", 0, None, "body", text, 0, [], *quote_spans(text), [])
    >>> whole_quote(sent('"The employers stopped answering."')), whole_quote(sent('"No," he said.'))
    (QuoteSpan(start=1, end=33, kind='full'), None)
    """
    if len(s.quotes) != 1:
        return None
    q = s.quotes[0]
    outside = s.text[:q.start] + s.text[q.end:]
    return q if not any(ch.isalnum() for ch in outside) else None


def choose_quote(rules: SpeechRules, s: Sentence, cs: int, ce: int, clause_s: int, clause_e: int,
                 after_pos: int, kind: str) -> QuoteChoice:
    """What the cue at ``cs:ce`` attributes: the nearest quote outside the clause, a dash block, or the reported clause.

    ``clause_s:clause_e`` is the speaker + cue clause, ``after_pos`` where the
    reported clause may start (after the cue or after the speaker/recipient).
    """
    cands = [q for q in s.quotes if not (q.start <= cs < q.end)]
    if cands:
        def dist(q: QuoteSpan) -> int:
            if q.end <= clause_s:
                return clause_s - q.end
            if q.start >= clause_e:
                return q.start - clause_e
            return 0
        q = min(cands, key=dist)
        return QuoteChoice(True, q.kind, q.start, q.end)
    text = s.text
    lead = text[:clause_s].rstrip()
    if s.text.lstrip()[:1] in rules.dash_marks and not s.has_marks:
        return QuoteChoice(True, "block", pattern="dash_block")
    after = text[after_pos:].strip()
    short_tail = (not after.strip(".!?…\"'”’ ") or after.startswith(",")
                  or (len(after.split()) <= 6 and after.split()[0].lower() in rules.tail_words))
    if lead.endswith(",") and short_tail:
        qs = len(text) - len(text.lstrip())
        qe = len(lead) - 1
        st = text[qs:qe].lstrip("".join(rules.dash_marks) + " ")
        qs = qe - len(st)
    else:
        rest = text[after_pos:]
        mm = rules.clause_lead.match(rest)
        qs = after_pos + (mm.end() if mm else 0)
        qe = len(text.rstrip().rstrip(".!?…").rstrip())
        first = rest.split(None, 1)[0] if rest.split() else ""
        if kind == "after" and lead and not lead.endswith(",") and first not in rules.complementizers:
            # "X is true, according to Y." -> reported clause before the cue; "The closure was first
            # reported by Y" -> "The closure" (no auxiliary); not "It was reported by Y that ..."
            core = lead.rstrip(",")
            aux = _LAST_WORD.search(core)
            while aux is not None and aux.group(1).lower() in rules.auxiliaries:
                core = core[:aux.start()]
                aux = _LAST_WORD.search(core)
            qs, qe = 0, len(core)
    if qe < qs:
        qe = qs
    return QuoteChoice(False, "reported", qs, qe, text[qs:qe])


def find_open(sents: list[Sentence], i: int, backward: bool) -> Sentence | None:
    """The sentence where a quote closed (opened) in sentence ``i`` was opened (closed), or None."""
    rng = range(i - 1, max(-1, i - 9), -1) if backward else range(i + 1, min(len(sents), i + 9))
    for j in rng:
        q = sents[j].quotes
        if backward and q and q[-1].kind == "cont_out":
            return sents[j]
        if not backward and q and q[0].kind == "cont_in":
            return sents[j]
        if any(x.kind == "full" for x in q) or (q and not backward and q[0].kind != "cont_in"):
            return None
    return None


def slice_text(sents: list[Sentence], first: Sentence, qs: int, qe: int, full_text: str | None) -> str:
    """Text from ``qs`` to ``qe`` (relative to ``first``): from the article text, or the sentences joined by one space."""
    if full_text is not None:
        return full_text[first.start + qs:first.start + qe]
    if qe <= len(first.text):
        return first.text[qs:qe]
    parts, i = [], first.idx
    while i < len(sents) and sents[i].start < first.start + qe:
        s = sents[i]
        a = max(0, first.start + qs - s.start)
        b = min(len(s.text), first.start + qe - s.start)
        parts.append(s.text[a:b])
        i += 1
    return " ".join(p for p in parts if p)


def previous_block(sents: list[Sentence], s: Sentence, rules: SpeechRules) -> list[Sentence]:
    """The paragraph a dash line attributes: the previous segment (or the previous sentence)."""
    i = s.idx
    if i == 0:
        return []
    prev = sents[i - 1]
    if prev.role in rules.skip_roles or prev.role == rules.reader_role:
        return []
    if s.seg_id is None or s.seg_id != s.seg_id:
        return [prev]
    target = prev.seg_id if prev.seg_id != s.seg_id else s.seg_id
    block = []
    j = i - 1
    while j >= 0 and sents[j].seg_id == target:
        block.append(sents[j])
        j -= 1
    return list(reversed(block))
