"""Property tests: any text file loads or is reported; offsets always give back the text."""
from __future__ import annotations

import string
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from alliance_study.corpus import load_corpus
from alliance_study.corpus.segment import segment_text
from alliance_study.corpus.sentences import sentence_spans

# text with the characters that matter: punctuation, quotes, newlines, CR, indentation,
# digits (comment headers, dates), plus arbitrary Unicode
_ALPHABET = st.sampled_from(list(string.ascii_letters + string.digits + " .!?…,;:\"'()[]“”‘’«»-–•\n\r\t ")
                            + ["U.S.", "Dr.", " Offline ", " 1. ", "March 6, 2021 at 10:08 am", "1 comment",
                               "Follow us", "Related articles", "\u00a0", "\u2028", "\ufeff"])
TEXT = st.one_of(st.text(max_size=400),
                 st.lists(st.one_of(_ALPHABET, st.characters()), max_size=150).map("".join))
SETTINGS = dict(max_examples=int(__import__("os").environ.get("PROP_EXAMPLES", 60)), deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _check_corpus(text_bytes: bytes, max_chars: int):
    with tempfile.TemporaryDirectory() as d:
        raw = Path(d)
        (raw / "a.txt").write_bytes(text_bytes)
        (raw / "articles.csv").write_text("article_id,file,outlet\na,a.txt,X\n")
        c = load_corpus(raw, on_invalid="skip", max_sentence_chars=max_chars)
        if len(c.articles) == 0:  # rejected: the reason is recorded, nothing crashed
            assert [p.severity for p in c.problems if p.article_id == "a"] == ["error"]
            return None
        text = c.text("a")
        for tbl in (c.segments, c.sentences):
            for r in tbl.itertuples():
                assert text[r.start:r.end] == r.text and r.text.strip() == r.text and r.text
                assert r.end - r.start <= (max_chars if tbl is c.sentences else len(text))
        assert list(c.sentences.sent_id) == list(range(len(c.sentences)))
        # every non-whitespace character lies in exactly one segment and one sentence
        for tbl in (c.segments, c.sentences):
            covered = [0] * len(text)
            for r in tbl.itertuples():
                for i in range(r.start, r.end):
                    covered[i] += 1
            assert all(covered[i] == 1 for i, ch in enumerate(text) if not ch.isspace()), tbl.columns
        return c


@given(TEXT, st.sampled_from([5, 40, 1000]))
@settings(**SETTINGS)
def test_any_utf8_text_loads_or_is_reported(text, max_chars):
    _check_corpus(text.encode("utf-8", "surrogatepass"), max_chars)


@given(st.binary(max_size=300))
@settings(**SETTINGS)
def test_any_bytes_never_crash(data):
    _check_corpus(data, 1000)


@given(TEXT)
@settings(**SETTINGS)
def test_segments_are_ordered_stripped_lines(text):
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    segs = segment_text(text)
    assert [s.text for s in segs] == [ln.strip() for ln in text.split("\n") if ln.strip()]
    assert all(text[s.start:s.end] == s.text for s in segs)
    assert all(s.role in {"headline", "body", "caption", "byline", "boilerplate", "reader_comment"}
               for s in segs)


@given(TEXT, st.integers(min_value=1, max_value=60))
@settings(**SETTINGS)
def test_sentence_spans_cover_text_in_order(text, cap):
    spans = sentence_spans(text, max_chars=cap)
    assert all(0 <= a < b <= len(text) and b - a <= cap for a, b in spans)
    assert all(b1 <= a2 for (_, b1), (a2, _) in zip(spans, spans[1:]))
    # the spans hold every non-whitespace character, in order, exactly once
    assert "".join("".join(text[a:b].split()) for a, b in spans) == "".join(text.split())
