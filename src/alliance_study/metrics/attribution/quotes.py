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

__all__ = ["quote_spans", "single_quotes", "choose_quote", "find_open", "slice_text", "previous_block",
           "QUOTE_MARKS", "quote_mark_before", "whole_quote"]

#: characters after which a straight double quote opens a quote
_OPEN_CTX = set(" \t\n([{—–-:/")
#: the last word of a text and the space before it
_LAST_WORD = re.compile(r"\s+(\S+)$")
#: double quotation marks (two straight apostrophes '' count as one double quote); curly single
#: quotes that delimit a quote are read as double ones first (:func:`single_quotes`)
QUOTE_MARKS = frozenset({'"', "“", "”", "„", "«", "»"})
#: a sentence without a match holds no quotation mark (most sentences: no per-character scan)
_ANY_MARK_RE = re.compile("[\"“”„«»]|''")
#: the characters the scan of :func:`quote_spans` looks at (every other character is skipped)
_MARK_CHAR_RE = re.compile("[\"“”„«»']")


#: a curly single quotation mark (opening or closing; the closing one is also the apostrophe)
_SINGLE_RE = re.compile("[‘’]")
#: how many sentences a single quote opened and not closed may run on (as :func:`find_open` looks)
_SINGLE_SPAN = 8


def _single_closers(text: str, marks: list[int]) -> list[int]:
    """The positions among ``marks`` where a ’ may close a single quote: after a non-space, before no letter
    or digit (not "don’t", "Lopez’s", "the ’90s")."""
    n = len(text)
    return [i for i in marks if text[i] == "’" and i > 0 and not text[i - 1].isspace()
            and not (i + 1 < n and text[i + 1].isalnum())]


def _single_spans(text: str, carried: bool) -> tuple[list[tuple[int, str]], bool]:
    """The delimiting curly single quotes of one sentence with no double mark: ``[(offset, mark)]`` and
    whether a quote is still open at its end (``carried``: one was open when it began)."""
    marks = [m.start() for m in _SINGLE_RE.finditer(text)]
    n = len(text)
    closers = _single_closers(text, marks)
    closer_set = set(closers)
    openers = {i for i in marks if text[i] == "‘" and i + 1 < n and text[i + 1].isalpha()
               and (i == 0 or text[i - 1] in _OPEN_CTX or text[i - 1] in "‘’“”\"")}
    if carried and text.lstrip()[:1] == "‘":
        carried = False          # a new paragraph of a quote opens again without closing the last one
    out: list[tuple[int, str]] = []
    depth, open_at = (1 if carried else 0), None
    for x, i in enumerate(marks):
        if i in openers:
            if depth == 0:
                open_at = i
            depth += 1
        elif i in closer_set and depth > 0:
            if text[i - 1] in "sS" and text[i + 1:i + 2] == " " and text[i + 2:i + 3].isalpha():
                # "our members’ jobs,’": a plural possessive when a closer follows before the next opener,
                # or, with none, after more than three quoted words (not "the ‘crisis’ talks")
                later = next((j for j in marks[x + 1:] if j in openers or j in closer_set), None)
                if later in closer_set or (later is None and (
                        open_at is None or len(text[open_at + 1:i].split()) > 3)):
                    continue
            depth -= 1
            if depth == 0:
                if open_at is not None:
                    out.append((open_at, "“"))
                out.append((i, "”"))
                open_at = None
    if depth > 0 and open_at is not None:
        # opened here, not closed: a quote that runs on only when it opens with a capital ("‘We ...")
        if text[open_at + 1].isupper():
            out.append((open_at, "“"))
            return out, True
        return out, False
    return out, depth > 0


def single_quotes(texts: list[str]) -> list[str]:
    """The sentences of one article with the curly single quotes that delimit a quote written as double ones.

    British outlets quote direct speech in single marks (‘We will not back down,’
    the union leader said.).  Since ’ is also the apostrophe, a ‘ opens a quote
    only at a word start before a letter, and the quote closes at the first ’
    after it that follows a non-space and stands before no letter or digit
    ("Lopez’s", "don’t", "the ’90s" are apostrophes); a ’ after an "s" before a
    word ("our members’ jobs") is an apostrophe when another closer follows before
    the next opener or, when none follows, after more than three quoted words (a
    short quote is closed: "the ‘crisis’ talks").  A ‘ inside an open single quote is nested (its marks stay).
    A quote opened and not closed in a sentence runs on to a later sentence only
    when it opens with a capital letter, for at most eight sentences.  Double
    quotes take precedence: a sentence with a double mark, and the sentences
    inside a double quote that runs over several, keep their single marks (a
    quote within the quote).  Straight single quotes (') are not read as quotation
    marks: they are too often apostrophes.  Only the marks change, so every offset
    stays the same.

    >>> single_quotes(["‘We will not back down,’ the union leader said."])
    ['“We will not back down,” the union leader said.']
    >>> single_quotes(["Lopez’s aides said the ’90s are over.", "He said “it’s ‘done’.”"])
    ['Lopez’s aides said the ’90s are over.', 'He said “it’s ‘done’.”']
    >>> single_quotes(["‘We will fight for our members’ jobs.", "We will win,’ she said."])
    ['“We will fight for our members’ jobs.', 'We will win,” she said.']
    """
    out: list[str] = []
    double_open = False     # a double quote opened in an earlier sentence and not closed yet
    single_open = 0         # sentences a single quote opened earlier may still run on
    for text in texts:
        spans, seen = quote_spans(text)
        if seen:
            double_open = bool(spans) and spans[-1].kind == "cont_out"
            single_open = 0
            out.append(text)
            continue
        if double_open or ("‘" not in text and "’" not in text):
            single_open = max(0, single_open - 1)
            out.append(text)
            continue
        marks, still = _single_spans(text, single_open > 0)
        single_open = (_SINGLE_SPAN if not single_open or any(m == "“" for _, m in marks) else single_open - 1
                       ) if still else 0
        if marks:
            chars = list(text)
            for i, m in marks:
                chars[i] = m
            text = "".join(chars)
        out.append(text)
    return out


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
                 after_pos: int, kind: str, following: bool = False) -> QuoteChoice:
    """What the cue at ``cs:ce`` attributes: the nearest quote outside the clause, a dash block, or the reported clause.

    ``clause_s:clause_e`` is the speaker + cue clause, ``after_pos`` where the
    reported clause may start (after the cue or after the speaker/recipient).
    ``following``: only a quote after the cue counts, else the reported clause (a
    participle or a second verb: '"No comment," he said, adding that ...' -- the
    quote before belongs to the verb before).
    """
    cands = [q for q in s.quotes if not (q.start <= cs < q.end) and (not following or q.start >= ce)]
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
        cont = _goes_on(rules, text, after_pos) if kind == "before" else None
        if cont is not None:
            # "The agreement, the minister said, would be signed ...": the clause goes on after the cue;
            # the span covers both parts (and the cue between them), the text joins them
            return QuoteChoice(False, "reported", qs, cont[1], f"{s.written[qs:qe]} {s.written[cont[0]:cont[1]]}")
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
    return QuoteChoice(False, "reported", qs, qe, s.written[qs:qe])


def _goes_on(rules: SpeechRules, text: str, after_pos: int) -> tuple[int, int] | None:
    """``(start, end)`` of the rest of a reported clause that a cue set off by commas interrupts, or None.

    After ", X said," the clause goes on when the next word is lower case and an
    auxiliary ("would be signed"), or no stop word, ``tail_words`` word, relative
    pronoun, determiner, reporting cue or participle ("in a statement", "and ...", "a lawyer",
    "adding that ..." do not go on).  Only for a cue whose speaker stands before it or
    right after it ("said"), not one whose speaker follows it ("cited by").

    >>> from alliance_study.metrics.attribution import load_speech_rules
    >>> r = load_speech_rules()
    >>> t = "The agreement, the minister said, would be signed soon."
    >>> a, b = _goes_on(r, t, t.index(" said") + 5); t[a:b]
    'would be signed soon'
    >>> t = "Prices will rise, the minister said, in a statement."
    >>> _goes_on(r, t, t.index(" said") + 5) is None
    True
    """
    m = re.match(r"\s*,\s*", text[after_pos:])
    if m is None:
        return None
    start = after_pos + m.end()
    end = len(text.rstrip().rstrip(".!?…").rstrip())
    words = text[start:end].split()
    if len(words) < 2 or not words[0][:1].islower():
        return None
    low = words[0].lower()
    if low not in rules.auxiliaries and (low in rules.stop_words or low in rules.tail_words or low in rules.relatives
                                         or low in rules.determiners or low[:1].isdigit() or rules.cue(low) is not None
                                         or (rules.participle_suffixes and low.endswith(rules.participle_suffixes))):
        return None
    return start, end


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
        return first.written[qs:qe]
    parts, i = [], first.idx
    while i < len(sents) and sents[i].start < first.start + qe:
        s = sents[i]
        a = max(0, first.start + qs - s.start)
        b = min(len(s.text), first.start + qe - s.start)
        parts.append(s.written[a:b])
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
