"""Property tests: arbitrary text never breaks the metrics, and every value stays in range."""
from __future__ import annotations

import html
import re

from hypothesis import given, settings, strategies as st

from alliance_study import explain, score
from alliance_study.metrics import highlight

WORDS = st.sampled_from([
    "may", "May", "might", "could", "not", "necessarily", "clearly", "absolutely", "about", "40",
    "some", "experts", "say", "in", "principle", "do", "exclude", "will", "tell", "time", "<b>", "&amp;",
    "’", "İstanbul", "…", "😀", ".", ",", "Россия", "中国", "\n", "\t", "\r\n",
])
TEXT = st.one_of(st.text(max_size=200), st.lists(WORDS, max_size=40).map(" ".join),
                 st.lists(st.one_of(WORDS, st.text(max_size=5)), max_size=30).map("".join))
SETTINGS = settings(deadline=None, max_examples=150)


@SETTINGS
@given(TEXT)
def test_score_never_crashes_and_stays_in_range(text):
    row = score([text]).iloc[0]
    assert -1.0 <= row["sentiment_compound"] <= 1.0
    for k in ("sentiment_pos", "sentiment_neu", "sentiment_neg"):
        assert 0.0 <= row[k] <= 1.0
    for k in ("hedge_count", "booster_count", "weasel_count", "n_words"):
        assert row[k] >= 0
    assert row["weasel_count"] <= row["hedge_count"]
    assert bool(row["hedged_lexicon"]) == (row["hedge_count"] > 0)
    assert (row["hedge_cues"] == "") == (row["hedge_count"] == 0)
    assert (row["booster_cues"] == "") == (row["booster_count"] == 0)


@SETTINGS
@given(TEXT)
def test_explain_spans_give_back_the_text(text):
    table = explain(text)
    for r in table.itertuples():
        assert 0 <= r.start < r.end <= len(text)
        assert text[r.start:r.end] == r.text
    row = score([text]).iloc[0]
    assert (table["measure"] == "booster").sum() == row["booster_count"]


@SETTINGS
@given(TEXT)
def test_highlight_escapes_the_input(text):
    out = highlight(text)
    # strip our own markup: what is left is the escaped input
    inner = re.sub(r'<mark class="[^"]*" style="[^"]*" title="[^"]*">|</mark>', "", out)
    assert "<" not in inner and ">" not in inner
    assert html.unescape(inner) == text


def test_sentiment_reads_curly_apostrophes_as_straight_ones():
    """Negated contractions typeset with ’ score as with ' (VADER's negation test only knows n't),
    and the straight form keeps the reference's numbers."""
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    straight = ["The minister didn't support the plan.", "It wasn't a disaster after all.",
                "She didn't win the election.", "The talks weren't a success, officials said.",
                "Investors aren't happy with the results."]
    curly = [t.replace("'", "’") for t in straight]
    cols = ["sentiment_compound", "sentiment_pos", "sentiment_neu", "sentiment_neg"]
    a, b = score(straight)[cols], score(curly)[cols]
    assert (a.to_numpy() == b.to_numpy()).all()
    ref = SentimentIntensityAnalyzer()
    assert a["sentiment_compound"].tolist() == [ref.polarity_scores(t)["compound"] for t in straight]
    # the reference itself flips sign on the curly form: the case this guards
    assert any((ref.polarity_scores(c)["compound"] > 0) != (ref.polarity_scores(s)["compound"] > 0)
               for s, c in zip(straight, curly))


def test_cue_columns_count_one_phrase_one_way():
    """Cue strings in hedge_cues/booster_cues do not split by typesetting (’ vs ', line breaks, double spaces)."""
    texts = ["It can't be ruled out.", "It can’t be ruled out.", "Time will tell.", "Time will\ntell.",
             "Time  will tell.", "It is clearly  and definitely\nso."]
    d = score(texts)
    assert d["hedge_cues"].tolist()[:5] == ["can't be ruled out"] * 2 + ["time will tell"] * 3
    assert all("\n" not in c and "  " not in c and "’" not in c for c in d["hedge_cues"].tolist() + d["booster_cues"].tolist())
