"""Output rows: a found attribution, a quote that continues one, a reader comment.

:func:`found_row` maps a :class:`~.model.Found` of a sentence to the row of
:func:`~alliance_study.metrics.attribution.attributions` (its quote moved to the
sentence where it begins); :func:`split_rows` adds a row for the second part of a
quote that its cue splits ('"No comment," he said, "the matter is closed."');
:func:`continued_row` one for a sentence that only goes on with the quote before
it; :func:`reader_row` one for a reader comment.
"""
from __future__ import annotations

import pandas as pd

from .model import Found, Sentence
from .quotes import find_open, previous_block, slice_text, whole_quote
from .rules import SpeechRules
from .speakers import ArticleState

__all__ = ["found_row", "split_rows", "continued_row", "reader_row"]

#: what may stand between a cue clause and the quotation mark of the quote it goes on with
_BETWEEN_CLAUSE_AND_QUOTE = " \t\n,:;—–-\"“„«'"
#: the most words an appositive between the clause and that quote may have
_APPOSITIVE_WORDS = 12


def _only_appositive(between: str) -> bool:
    """Whether ``between`` (from a cue clause to the next quote) is punctuation, or an appositive between
    commas (", a nurse at the clinic, "): no quotation mark, no sentence end, at most twelve words.

    >>> _only_appositive(", "), _only_appositive(', a nurse at the clinic, "'), _only_appositive('. Then "')
    (True, True, False)
    """
    inner = between.strip(_BETWEEN_CLAUSE_AND_QUOTE)
    if not inner:
        return True
    body = between.strip(" \t\n\"“„«'")     # the quote's opening mark ends ``between``
    return (body.startswith(",") and body.endswith(",") and len(inner.split()) <= _APPOSITIVE_WORDS
            and not any(ch in inner for ch in ".!?;:\"“”„«»"))


def _as_continued(prev: dict, s: Sentence, sents: list[Sentence], full_text: str | None, qs: int, qe: int,
                  kind: str) -> dict:
    """``prev`` again for the quote ``qs:qe`` of sentence ``s`` (to its end in a later sentence when ``cont_out``)."""
    if kind == "cont_out":
        last = find_open(sents, s.idx, backward=False)
        if last is not None:
            qe = (last.start - s.start) + last.quotes[0].end
    return dict(prev, sent_id=s.sent_id, quote=slice_text(sents, s, qs, qe, full_text), quote_start=qs,
                quote_end=qe, speaker_text="", pattern="continued", speaker_start=pd.NA, speaker_end=pd.NA,
                content_start=s.start + qs if qe > qs else pd.NA, content_end=s.start + qe if qe > qs else pd.NA)


def split_rows(rows: list[dict], s: Sentence, sents: list[Sentence], full_text: str | None) -> list[dict]:
    """``rows`` of sentence ``s`` with a ``continued`` row after each direct quote whose cue splits it.

    '"No comment," he said, "the matter is closed."': the quote before the cue
    clause is the row's; a quote that no row holds and that follows the clause
    with only punctuation between (a comma, a colon, a dash) or an appositive
    between commas ('"We tried," said Roe, a nurse, "but ..."') goes on with it,
    same speaker and cue, no speaker mention (as :func:`continued_row`).
    """
    used = {r["quote_start"] for r in rows if r["direct"] and r["sent_id"] == s.sent_id}
    free = [q for q in s.quotes if q.kind in ("full", "cont_out") and q.start not in used]
    if not free:
        return rows
    out: list[dict] = []
    for r in rows:
        out.append(r)
        if not r["direct"] or r["cue_sent_id"] != s.sent_id or r["sent_id"] != s.sent_id or r["pattern"] in (
                "dash_block", "continued") or r["content_end"] is pd.NA:
            continue
        clause_s = min(r["speaker_start"], r["cue_start"]) - s.start
        clause_e = max(r["speaker_end"], r["cue_end"]) - s.start
        if r["content_end"] - s.start > clause_s:        # its quote is not before the clause
            continue
        q = next((q for q in free if q.start >= clause_e), None)
        if q is not None and _only_appositive(s.text[clause_e:q.start]):
            out.append(_as_continued(r, s, sents, full_text, q.start, q.end, q.kind))
            free.remove(q)
    return out


def continued_row(prev: dict, s: Sentence, sents: list[Sentence],
               full_text: str | None) -> tuple[dict | None, dict | None]:
    """A sentence with no cue after a direct quote: (the quote it continues or None, its row or None).

    A sentence that is one quotation and nothing else ('"We have no choice,"
    said Roe. "They stopped calling."') continues the speaker of the quote before
    it: the row copies that row's speaker and cue (``pattern`` ``continued``, no
    speaker mention).  A sentence already inside the earlier row's quote (a quote
    over several sentences) gives no row but passes the quote on.
    """
    q = whole_quote(s)
    if q is None or s.role != prev["role"]:
        return None, None
    end = prev["content_end"]
    if end is not pd.NA and s.start < end:     # inside the quote that row already holds
        return prev, None
    row = _as_continued(prev, s, sents, full_text, q.start, q.end, q.kind)
    return row, row


def reader_row(s: Sentence, g: list[dict], has: set, authors: dict, rules: SpeechRules) -> dict | None:
    au = authors.get((s.article_id, s.seg_id))
    if au is None and "author" in has:
        v = g[s.idx].get("author")
        au = v.strip() if isinstance(v, str) and v.strip() else None
    if not au:
        return None
    return dict(article_id=s.article_id, sent_id=s.sent_id, role=s.role, speaker=au,
                speaker_type="reader", named=True, verb=rules.reader_verb, direct=True,
                quote=s.written, quote_start=0, quote_end=len(s.text), cue="", via="",
                country="", speaker_text=au, resolution="author", pattern="reader_comment",
                cue_sent_id=s.sent_id, cue_start=pd.NA, cue_end=pd.NA, speaker_start=pd.NA, speaker_end=pd.NA,
                content_start=s.start, content_end=s.start + len(s.text))


def found_row(f: Found, s: Sentence, sents: list[Sentence], full_text: str | None, rules: SpeechRules,
         art: ArticleState) -> dict | None:
    """The output row of a found attribution, its quote mapped to the sentence where it begins."""
    q = f.quote
    first, qs, qe, qtext = s, q.start, q.end, q.text
    if q.kind in ("full", "cont_in", "cont_out"):
        if q.kind == "cont_in":
            opened = find_open(sents, s.idx, backward=True)
            if opened is not None:
                first = opened
                qs, qe = opened.quotes[-1].start, (s.start - opened.start) + qe
        elif q.kind == "cont_out":
            last = find_open(sents, s.idx, backward=False)
            if last is not None:
                qe = (last.start - s.start) + last.quotes[0].end
        qtext = slice_text(sents, first, qs, qe, full_text)
    elif q.kind == "block":
        block = previous_block(sents, s, rules)
        if not block:
            return None
        first = block[0]
        qs, qe = 0, (block[-1].start - first.start) + len(block[-1].text)
        qtext = slice_text(sents, first, qs, qe, full_text)
    sp = f.resolved.speaker
    stype = sp.speaker_type
    if stype == "unknown" and sp.named:
        stype = art.type_of(sp.name) or stype
    return dict(article_id=s.article_id, sent_id=first.sent_id, role=first.role, speaker=sp.name,
                speaker_type=stype, named=sp.named, verb=f.label, direct=q.direct,
                quote=qtext, quote_start=qs, quote_end=qe, cue=f.cue, via=f.via, country=sp.country,
                speaker_text=s.written[f.resolved.start:f.resolved.end], resolution=f.resolved.resolution,
                pattern=f.pattern, cue_sent_id=s.sent_id, cue_start=s.start + f.cue_start,
                cue_end=s.start + f.cue_end, speaker_start=s.start + f.resolved.start,
                speaker_end=s.start + f.resolved.end,
                content_start=first.start + qs if qe > qs else pd.NA,
                content_end=first.start + qe if qe > qs else pd.NA)
