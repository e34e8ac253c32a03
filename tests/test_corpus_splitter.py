"""The loader's sentence splitter gives what plain NLTK Punkt gives, on real news text.

:class:`~alliance_study.corpus.sentences.SentenceSplitter` resolves the
abbreviation list once per load, skips Punkt on texts without a candidate
boundary and remembers Punkt's decision per candidate context.  Checked here
against a plain ``PunktSentenceTokenizer`` with the same parameters on PolNeAR
articles (../shared/validation/polnear).
"""
from __future__ import annotations

import pytest
from nltk.tokenize.punkt import PunktParameters, PunktSentenceTokenizer

from alliance_study.corpus.segment import segment_text
from alliance_study.corpus.sentences import (WINDOW_CHARS, SentenceSplitter, punkt_tokenizer, read_abbreviations,
                                             sentence_spans)


@pytest.fixture(scope="module")
def segments(shared) -> list[str]:
    arts = sorted((shared / "validation" / "polnear" / "articles").glob("*.txt"))[::10]
    return [s.text for f in arts for s in segment_text(f.read_text(encoding="utf-8"))]


def _plain_punkt() -> PunktSentenceTokenizer:
    """NLTK's Punkt with the shipped abbreviation list and nothing else (what the splitter must reproduce)."""
    params = PunktParameters()
    params.abbrev_types = read_abbreviations()
    return PunktSentenceTokenizer(params)


def _plain_spans(text: str, plain: PunktSentenceTokenizer) -> list[tuple[int, int]]:
    """The definition: plain Punkt's sentences, each stripped of surrounding whitespace, a sentence whose
    first letter (after opening quotes or brackets) is lower case joined to the one before."""
    out: list[tuple[int, int]] = []
    for s, e in plain.span_tokenize(text):
        piece = text[s:e]
        if not piece.strip():
            continue
        a = s + len(piece) - len(piece.lstrip())
        b = a + len(piece.strip())
        first = next((c for c in text[a:b] if c not in "\"'“‘«([{"), "")
        if out and first.islower():
            out[-1] = (out[-1][0], b)
        else:
            out.append((a, b))
    return out


def test_splitter_equals_plain_punkt(segments):
    plain = _plain_punkt()
    split = SentenceSplitter(max_chars=10**6)      # no cap: the sentences as Punkt cuts them
    assert len(segments) > 500 and max(map(len, segments)) < WINDOW_CHARS
    n = 0
    for text in segments + [""] + ["   ", "No full stop here", "Ends with space. "]:
        got = split.spans(text, method="punkt")
        assert got == _plain_spans(text, plain), text[:200]
        assert got == sentence_spans(text, 10**6, method="punkt")
        n += len(got)
    assert n > len(segments)                       # paragraphs hold several sentences


def test_remembered_decisions_equal_fresh_ones(segments):
    tok, plain = punkt_tokenizer(), _plain_punkt()
    for text in segments[:400] + segments[:400]:    # the second pass answers from the memo
        assert list(tok.span_tokenize(text)) == list(plain.span_tokenize(text))


@pytest.mark.parametrize("text, want", [
    ('"Who covers the shifts?" she said. Then he left.', ['"Who covers the shifts?" she said.', "Then he left."]),
    ("“We are ready!” the minister said.", ["“We are ready!” the minister said."]),
    ('"It is over." he said.', ['"It is over." he said.']),
    ("Why? Because.", ["Why?", "Because."]),
])
def test_a_speech_tag_in_lower_case_stays_with_its_quote(text, want):
    """Punkt broke after a quoted question or exclamation before 'she said', so the quote lost its speaker
    (the fast splitter for huge texts never breaks before a word in lower case; now neither does Punkt)."""
    from alliance_study.corpus.sentences import sentence_spans

    assert [text[s:e] for s, e in sentence_spans(text, method="punkt")] == want
    assert [text[s:e] for s, e in sentence_spans(text, method="fast")] == want
