"""The scorer's fast paths give exactly what the plain definitions give.

``Scorer.score_columns`` tokenises each text once (``text.normalised_tokens``, spans
on demand), matches the four lexicons in one pass (``lexicon.CueSet``) and scores
VADER through ``FastVader.scores``.  Each shortcut is checked here against the plain
definition it replaces, on real text (the VADER ground truth, the CoNLL-2010
Wikipedia sentences, the seed corpus) and on generated awkward text:

* tokens: ``tokenize``'s fourth field and spans, for every Unicode code point's
  lower-casing and for hypothesis-built strings;
* cue matching: a brute-force matcher written from the documented rules (every
  entry tried at every token, longest cue wins, resume after it);
* the columns: a row-by-row scorer built from the public pieces (``tokenize``,
  ``CueLexicon.find``, the hedging model's ``features``/``decide``,
  ``polarity_scores``), compared value for value, type for type, float bit for bit;
* VADER: ``FastVader.scores`` against vaderSentiment 3.3.2 with the sign of zero.
"""
from __future__ import annotations

import math
import pickle
import re
import sys

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings, strategies as st
from vaderSentiment import vaderSentiment as V

from alliance_study.corpus import load_corpus
from alliance_study.metrics import Scorer, default_scorer
from alliance_study.metrics.fastvader import FastVader
from alliance_study.metrics.hedging import features as hedge_features
from alliance_study.metrics.lexicon import CueSet, Tokens
from alliance_study.text import TOKEN_RE, normalised_tokens, token_spans, tokenize
from alliance_study.validity.gold import read_vader_dir

_W = re.compile(r"\w")


@pytest.fixture(scope="module")
def texts(vader_dir, wikiweasel_csv, raw_dir) -> list:
    gt = read_vader_dir(vader_dir)["text"].tolist()
    wiki = pd.read_csv(wikiweasel_csv)["text"].tolist()
    seed = load_corpus(raw_dir).sentences["text"].tolist()
    assert len(gt) == 23_703 and len(wiki) > 1000 and len(seed) > 100
    return gt + wiki + seed


# ------------------------------------------------------------------ tokens
def test_lower_casing_keeps_every_characters_class():
    """Why tokens can be found in the lower-cased text: no character changes class."""
    changed = []
    for cp in range(sys.maxunicode + 1):
        if 0xD800 <= cp <= 0xDFFF:
            continue
        c = chr(cp)
        low = c.lower()
        if len(low) != 1:  # (U+0130 only: such texts go through tokenize)
            continue
        if bool(_W.match(c)) != bool(_W.match(low)) or (c in "'’") != (low in "'’"):
            changed.append(hex(cp))
    assert changed == []


def _check_tokens(text: str) -> None:
    toks = tokenize(text)
    words = normalised_tokens(text)
    assert words == [t[3] for t in toks], text
    spans = [(t[0], t[1]) for t in toks]
    assert token_spans(text) == spans, text
    assert token_spans(text, words) == spans, text


def test_normalised_tokens_and_spans_equal_tokenize_on_real_text(texts):
    for text in texts:
        _check_tokens(text)


_awkward = st.lists(st.sampled_from(list("aZ9_ '’'-.,!?\t\n\u00a0\u2028İßΣσςﬁǅ😀é\u0301x") + ["can't", "U.S.", "''"]),
                    max_size=30).map("".join)


@settings(max_examples=800, deadline=None)
@given(st.one_of(_awkward, st.text(max_size=40)))
def test_normalised_tokens_and_spans_equal_tokenize_on_generated_text(text):
    _check_tokens(text)


# ------------------------------------------------------------------ cue matching
def _brute_force(lex, text: str) -> list:
    """The documented rules, with no index: every entry tried at every token."""
    toks = tokenize(text)
    n = len(toks)

    def tok_ok(kind, val, word):
        return word == val if kind == "lit" else word.startswith(val) if kind == "pre" else word in val

    def match(e, i):
        w = 2 if e.case_sensitive else 3

        def rec(p, j):
            if p == len(e.tokens):
                return j
            kind, val = e.tokens[p]
            if kind == "gap":
                for skip in range(3, -1, -1):
                    if j + skip <= n:
                        r = rec(p + 1, j + skip)
                        if r >= 0:
                            return r
                return -1
            if j >= n or not tok_ok(kind, val, toks[j][w]):
                return -1
            return rec(p + 1, j + 1)
        return rec(0, i)

    def context_ok(e, s, t):
        before, after = text[max(0, s - 80):s], text[t:t + 80]
        return not ((e.exclude_before and e.exclude_before.search(before))
                    or (e.require_before and not e.require_before.search(before))
                    or (e.exclude_after and e.exclude_after.match(after))
                    or (e.require_after and not e.require_after.match(after)))

    out, i = [], 0
    by_length = sorted(lex.entries, key=lambda e: (-len(e.tokens), e.order))
    while i < n:
        best = None
        for e in by_length:
            if len(e.tokens) == 1:
                continue
            j = match(e, i)
            if j >= 0 and (best is None or j > best[0]) and context_ok(e, toks[i][0], toks[j - 1][1]):
                best = (j, e)
        if best is None:
            for e in sorted(lex.entries, key=lambda e: e.order):
                if len(e.tokens) == 1 and match(e, i) == i + 1 and context_ok(e, toks[i][0], toks[i][1]):
                    best = (i + 1, e)
                    break
        if best is None:
            i += 1
            continue
        j, e = best
        out.append((toks[i][0], toks[j - 1][1], e.category, e.pattern))
        i = j
    return out


def test_cue_set_equals_brute_force_matching(texts):
    s = default_scorer()
    lexicons = (s.hedges, s.boosters, s.frames)
    cs = CueSet(lexicons)
    gaps = ["We do not entirely rule out a deal.", "They won't, for now, rule out talks.", "Never rule it out.",
            "It was, as many have long said, true.", "It is often said that it works.", "It has been widely thought so.",
            "We would not exclude any of them, nor rule them out.", "Do not rule out.", "not rule out", "It is said."]
    sample = gaps + texts[::80] + [t for t in texts if re.search(r"\b(?:rule[ds]?|ruling) out\b|\bnot\b.*\bnecessarily\b", t, re.I)]
    found = 0
    for text in sample:
        got = cs.match(Tokens(text))
        for lex, cues in zip(lexicons, got):
            mine = [(c.start, c.end, c.category, c.pattern) for c in cues]
            assert mine == _brute_force(lex, text), (lex.name, text)
            assert [c.text for c in cues] == [text[a:b] for a, b, _, _ in mine]
            found += len(mine)
    assert found > 150  # the sample does exercise the lexicons


# ------------------------------------------------------------------ the columns
def _row_by_row(scorer: Scorer, texts) -> dict:
    """The metric columns built the plain way, one text at a time, from the public pieces."""
    cols = {c: [] for c in scorer.columns}
    for text in texts:
        text = text if isinstance(text, str) else ("" if text is None or (isinstance(text, float) and math.isnan(text))
                                                   else str(text))
        toks = tokenize(text)
        hedges_all = scorer.hedges.find(text, toks)
        hedges = [c for c in hedges_all if c.category not in scorer.rounder_categories]
        boosters = scorer.boosters.find(text, toks)
        frames = scorer.frames.counts(scorer.frames.find(text, toks))
        vader = scorer.sentiment.polarity_scores(text)
        model = scorer.hedge_model
        row = {"n_words": len(toks), "sentiment_compound": vader["compound"], "sentiment_pos": vader["pos"],
               "sentiment_neu": vader["neu"], "sentiment_neg": vader["neg"], "hedge_count": len(hedges),
               "hedged": bool(hedges) if model is None else model.decide(hedge_features(
                   [t[3] for t in toks], hedges_all, boosters, scorer.rounder_categories, scorer.weasel_categories)),
               "hedged_lexicon": bool(hedges), "hedge_cues": ";".join(c.text.lower() for c in hedges),
               "booster_count": len(boosters), "booster_cues": ";".join(c.text.lower() for c in boosters),
               "weasel_count": sum(c.category in scorer.weasel_categories for c in hedges),
               "rounder_count": len(hedges_all) - len(hedges),
               "target": bool(scorer.targets.find(text, toks))}
        row.update({f"frame_{k}": v for k, v in frames.items()})
        for c in cols:
            cols[c].append(row[c])
    return cols


def _same(a: list, b: list) -> bool:
    """Equal values of equal types; floats equal bit for bit (the sign of zero included)."""
    return len(a) == len(b) and all(type(x) is type(y) and (repr(x) == repr(y) if isinstance(x, float) else x == y)
                                    for x, y in zip(a, b))


@pytest.mark.parametrize("make", [default_scorer, lambda: Scorer(hedge_model=None)], ids=["model", "lexicon"])
def test_score_columns_equal_row_by_row(texts, make):
    scorer = make()
    sample = texts[::7] + [None, float("nan"), 12345, "", "  ", "İstanbul: İt may rain", "It’s ’quoted’ and 'quoted'"]
    got = scorer.score_columns(sample)
    want = _row_by_row(scorer, sample)
    assert list(got) == scorer.columns
    assert [c for c in want if not _same(got[c], want[c])] == []
    assert sum(got["hedge_count"]) > 100 and sum(got["booster_count"]) > 50


def test_a_pickled_scorer_scores_the_same(texts):
    scorer = default_scorer()
    sample = texts[::50]
    before = scorer.score_columns(sample)
    copy = pickle.loads(pickle.dumps(scorer))  # as sent to a worker process: caches start empty
    assert len(copy._cue_set()._cache) == 0 and len(copy.sentiment._fast._word) == 0
    after = copy.score_columns(sample)
    assert all(_same(before[c], after[c]) for c in before)


# ------------------------------------------------------------------ VADER
def test_fast_vader_scores_equal_reference_bit_for_bit(texts):
    ref = V.SentimentIntensityAnalyzer()
    fast = FastVader(ref)
    for text in texts[::3] + ["no good", "NO no NO good", "kind of good", "not the least bit good but fine",
                              "but but good but bad", ""]:
        r = ref.polarity_scores(text)
        want = (r["compound"], r["pos"], r["neu"], r["neg"])
        assert repr(fast.scores(text)) == repr(want), text


def test_one_text_is_one_row_and_a_table_is_refused():
    """score("Time will tell.") scored each character as a text (15 rows); score(df) scored the column names."""
    import pandas as pd

    from alliance_study.errors import InputError
    from alliance_study.metrics import score, score_sentences

    one = score("Perhaps talks will resume.")
    assert len(one) == 1 and one.equals(score(["Perhaps talks will resume."]))
    df = pd.DataFrame({"body": ["It may rain.", "It rains.", "Sun."]})
    with pytest.raises(InputError, match=r"not a table \(columns body\).*Fix: pass the text column"):
        score(df)
    with pytest.raises(InputError, match="no 'text' column \\(it has body\\).*Fix: pass text_column="):
        score_sentences(df)
    assert score_sentences(df, text_column="body")["hedged_lexicon"].tolist() == [True, False, False]
    with pytest.raises(InputError, match="takes a sentence table \\(a DataFrame\\), not list"):
        score_sentences(["It may rain."])
