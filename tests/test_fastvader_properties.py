"""Differential test: FastVader must equal the reference vaderSentiment on ANY text.

The 23,703 ground-truth sentences (tests/test_scale.py) are one sample; here
hypothesis builds sentences from the very vocabulary VADER's rules react to --
lexicon words, negations, booster words, "but", special idioms, ALL CAPS,
exclamation and question marks, emoticons/emoji and arbitrary Unicode -- so that
each rule path is exercised on text nobody chose by hand.
"""
from __future__ import annotations

from hypothesis import HealthCheck, given, settings, strategies as st
from vaderSentiment import vaderSentiment as V

from alliance_study.metrics.fastvader import FastVader

_REF = V.SentimentIntensityAnalyzer()
_FAST = FastVader(_REF)

_lex = sorted(_REF.lexicon)
_words = st.one_of(
    st.sampled_from(_lex),
    st.sampled_from(sorted(V.NEGATE)),
    st.sampled_from(sorted(V.BOOSTER_DICT)),
    st.sampled_from(sorted(V.SPECIAL_CASES)),
    st.sampled_from(["but", "BUT", "kind of", "least", "at least", "very", "no", "never", "without", "so"]),
    st.sampled_from(sorted(_REF.emojis)[:200]),
    st.text(min_size=1, max_size=8),
)
_token = st.tuples(_words, st.sampled_from(["", "", "", "!", "!!", "?", "??", ".", ",", "'s", "n't"]),
                   st.booleans()).map(lambda t: (t[0].upper() if t[2] else t[0]) + t[1])
_sentence = st.lists(_token, min_size=0, max_size=25).map(" ".join)


@settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_sentence)
def test_fast_vader_equals_reference_on_generated_text(text):
    assert _FAST.polarity_scores(text) == _REF.polarity_scores(text)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=200))
def test_fast_vader_equals_reference_on_arbitrary_unicode(text):
    assert _FAST.polarity_scores(text) == _REF.polarity_scores(text)
