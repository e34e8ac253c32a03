"""Agreement on the study's own sentences, faults a tester found: the speaker check against what the
codebook asks (the mention in the sentence, continued quotes), units left out of the machine figures
(ties) counted, sentiment_news checked beside VADER, and a codebook whose examples are real cues."""
from __future__ import annotations

import re
import warnings

import numpy as np
import pandas as pd
import pytest
from scipy.stats import pearsonr

from alliance_study.corpus import load_corpus
from alliance_study.metrics import score_sentences
from alliance_study.metrics.attribution import attributions
from alliance_study.metrics.lexicon import load_lexicon
from alliance_study.metrics.scorer import Scorer
from alliance_study.validity.agreement import COLUMNS, agreement
from alliance_study.validity.coding import codebook, coding_sheet

SEED = 7
#: speakers as a coder following the codebook writes them, from each sentence's own text (seed corpus)
CODED_SPEAKERS = {
    ("tsarizm", 15): "They",                    # "They noted that ..." (the program resolves it: Vasily Kashin)
    ("tsarizm", 21): "none",                    # opens a quote; its speaker is named in the next sentence
    ("tsarizm", 22): "Kashin",                  # '... from them," Kashin noted.'
    ("globaltimes", 11): "none",                # '"We have great trust in each other.' (speaker: next sentence)
    ("globaltimes", 12): "he",                  # '..., well-functioning ties ...," he said.'
    ("topwar", 12): "He",                       # "He also noted that ..."
    ("southfront", 14): "none",                 # opens a quote
    ("southfront", 15): "Xi Jinping",           # '... the West" stated Xi Jinping.'
    ("topwar", 3): "none",                      # a paragraph that a later dash line attributes
    ("topwar", 6): "the Russian president",     # "- said the Russian president."
}


@pytest.fixture(scope="module")
def seed(raw_dir):
    corpus = load_corpus(raw_dir)
    return score_sentences(corpus.sentences), corpus.articles, attributions(corpus)


def whole_sheet(sentences, articles) -> pd.DataFrame:
    """A blank sheet of every headline and body sentence (drawn by the real sampler)."""
    own = sentences[sentences["role"].isin(["headline", "body"])]
    return coding_sheet(sentences, articles, n=len(own), seed=SEED)


def fill(sheet: pd.DataFrame, coder: str, **columns) -> pd.DataFrame:
    """A coder's filled sheet as read_sheet gives it (blank cells NaN / None)."""
    out = sheet[["unit_id", "article_id", "sent_id"]].copy()
    out["row"] = np.arange(1, len(out) + 1)
    for c in [c for c in sheet.columns if c not in ("unit_id", "article_id", "sent_id", "group", "text")]:
        out[c] = columns.get(c, [None if c == "speaker" else np.nan] * len(out))
    out["coder"] = coder
    return out


def quiet(fn, *args, **kw):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")        # measures no coder filled are skipped with a warning
        return fn(*args, **kw)


# ------------------------------------------------------------------ 1. speaker as named in the sentence
def test_speaker_matches_the_mention_in_the_sentence_and_none_for_quote_parts(seed):
    sentences, articles, sources = seed
    sheet = whole_sheet(sentences, articles)
    keys = list(zip(sheet["article_id"], sheet["sent_id"]))
    assert set(CODED_SPEAKERS) <= set(keys)
    coded = [CODED_SPEAKERS.get(k) for k in keys]
    res = quiet(agreement, [fill(sheet, "ann", speaker=coded), fill(sheet, "bob", speaker=coded)],
                sentences, sources, n_boot=50, seed=1).set_index("measure")
    assert res.loc["speaker", "n_units"] == len(CODED_SPEAKERS)
    assert res.loc["speaker", "value"] == 1.0
    # the check can fail: "none" for a sentence that names its speaker, a name the sentence does not hold
    wrong = {**CODED_SPEAKERS, ("globaltimes", 12): "none", ("tsarizm", 15): "Li Lifan"}
    coded = [wrong.get(k) for k in keys]
    res = quiet(agreement, [fill(sheet, "ann", speaker=coded), fill(sheet, "bob", speaker=coded)],
                sentences, sources, n_boot=50, seed=1).set_index("measure")
    assert res.loc["speaker", "value"] == pytest.approx((len(wrong) - 2) / len(wrong))
    # the resolved name is also accepted for a pronoun (a coder who knows who "they" are)
    coded = [{**CODED_SPEAKERS, ("tsarizm", 15): "Vasily Kashin"}.get(k) for k in keys]
    res = quiet(agreement, [fill(sheet, "ann", speaker=coded)], sentences, sources, n_boot=50,
                seed=1).set_index("measure")
    assert res.loc["speaker", "value"] == 1.0


def test_continued_quote_is_none_and_pronoun_is_the_mention():
    texts = ["Maria Lopez, a nurse at the city hospital, said the ward was short of staff.",
             '"I would love a day off," she said.',
             '"Nobody has thanked us."',
             "The hospital did not comment."]
    s = pd.DataFrame({"article_id": "n1", "sent_id": range(4), "role": "body", "text": texts})
    sources = attributions(s)
    assert sources["pattern"].tolist() == ["subject_verb", "subject_verb", "continued"]
    assert set(sources["speaker"]) == {"Maria Lopez"}
    sentences = score_sentences(s)
    sheet = coding_sheet(sentences, pd.DataFrame({"article_id": ["n1"], "outlet": ["X"]}), n=4, seed=1)
    as_written = {0: "Maria Lopez", 1: "she", 2: "none", 3: "none"}
    coded = [as_written[i] for i in sheet["sent_id"]]
    res = quiet(agreement, [fill(sheet, "ann", speaker=coded)], sentences, sources, n_boot=20,
                seed=1).set_index("measure")
    assert res.loc["speaker", "value"] == 1.0 and res.loc["speaker", "n_value_units"] == 4
    # the continued quote coded with its speaker is a mismatch: the sentence does not name her
    coded = [{**as_written, 2: "Maria Lopez"}[i] for i in sheet["sent_id"]]
    res = quiet(agreement, [fill(sheet, "ann", speaker=coded)], sentences, sources, n_boot=20,
                seed=1).set_index("measure")
    assert res.loc["speaker", "value"] == pytest.approx(3 / 4)


# ------------------------------------------------------------------ 2. ties are counted, not hidden
def test_units_left_out_of_the_machine_figure_are_counted(seed):
    sentences, articles, sources = seed
    sheet = whole_sheet(sentences, articles)
    mach = sheet[["article_id", "sent_id"]].merge(sentences, on=["article_id", "sent_id"], how="left")
    hedged = mach["hedged"].to_numpy(dtype=bool).astype(float)
    rng = np.random.default_rng(3)
    a, b = hedged.copy(), hedged.copy()
    flip = rng.choice(len(a), 12, replace=False)
    a[flip[:6]] = 1 - a[flip[:6]]                    # both coders against the machine on 6 units
    b[flip[:6]] = 1 - b[flip[:6]]
    a[flip[6:]] = 1.0                                # the coders disagree on 6 units: ties
    b[flip[6:]] = 0.0
    res = quiet(agreement, [fill(sheet, "ann", hedged=a), fill(sheet, "bob", hedged=b)], sentences, sources,
                n_boot=50, seed=1)
    assert list(res.columns[:10]) == ["measure", "n_units", "n_coders", "alpha", "alpha_low",
                                               "alpha_high", "statistic", "value", "value_low", "value_high"]
    assert list(res.columns) == COLUMNS and COLUMNS[10:] == ["n_value_units"]
    row = res.set_index("measure").loc["hedged"]
    assert row["n_units"] == len(sheet)
    assert row["n_value_units"] == len(sheet) - 6
    keep = np.ones(len(sheet), bool)
    keep[flip[6:]] = False
    pred, gold = hedged[keep] == 1, a[keep] == 1
    f1 = 2 * (pred & gold).sum() / (pred.sum() + gold.sum())
    assert row["value"] == pytest.approx(f1)


# ------------------------------------------------------------------ 3. sentiment_news beside VADER
def test_sentiment_news_is_checked_when_the_machine_has_it(seed):
    sentences, articles, sources = seed
    with_news = score_sentences(sentences[["article_id", "sent_id", "role", "text"]], Scorer(news_sentiment=True))
    assert "sentiment_news" in with_news.columns
    sheet = whole_sheet(with_news, articles)
    mach = sheet[["article_id", "sent_id"]].merge(with_news, on=["article_id", "sent_id"], how="left")
    rng = np.random.default_rng(5)
    base = mach["sentiment_compound"].to_numpy() * 2 + mach["sentiment_news"].to_numpy() * 2
    ann = np.clip(np.round(base + rng.normal(0, 1, len(base))), -4, 4)
    bob = np.clip(np.round(base + rng.normal(0, 1, len(base))), -4, 4)
    bob[::7] = np.nan                                            # left blank
    sheets = [fill(sheet, "ann", sentiment=ann), fill(sheet, "bob", sentiment=bob)]
    res = quiet(agreement, sheets, with_news, sources, n_boot=100, seed=1).set_index("measure")
    assert res.index[:2].tolist() == ["sentiment_compound", "sentiment_news"]
    news, vader = res.loc["sentiment_news"], res.loc["sentiment_compound"]
    assert news["statistic"] == "pearson_r"
    assert news["alpha"] == vader["alpha"] and news["n_units"] == vader["n_units"]
    mean = np.nanmean(np.vstack([ann, bob]), axis=0)
    assert news["value"] == pytest.approx(pearsonr(mach["sentiment_news"], mean)[0], abs=0.01)
    assert news["value"] != pytest.approx(vader["value"], abs=1e-6)
    assert news["n_value_units"] == len(sheet)
    assert news["value_low"] <= news["value"] <= news["value_high"]
    # r is scale-free: the news tone on the coders' -4..4 scale gives the same r
    rescaled = with_news.assign(sentiment_news=with_news["sentiment_news"] * 4)
    again = quiet(agreement, sheets, rescaled, sources, n_boot=100, seed=1).set_index("measure")
    assert again.loc["sentiment_news", "value"] == pytest.approx(news["value"], abs=1e-9)
    # without the column there is no such row
    plain = quiet(agreement, sheets, sentences, sources, n_boot=20, seed=1)
    assert "sentiment_news" not in set(plain["measure"])


# ------------------------------------------------------------------ 4. the codebook
def test_codebook_examples_are_cues_of_their_category_and_group_is_explained():
    book = codebook(["security_military"])
    hedges = load_lexicon("hedges")
    lines = [ln for ln in book.splitlines() if re.match(r"- \*\*[a-z ]+\*\* -- ", ln) and "Examples:" in ln]
    assert len(lines) >= 8
    for line in lines:
        category = re.match(r"- \*\*([a-z ]+)\*\*", line).group(1).replace(" ", "_")
        examples = re.findall(r"\*([^*]+)\*", line.split("Examples:")[1])
        assert examples, line
        for ex in examples:
            text = ex.replace("…", "")
            found = {c.category for c in hedges.find(text)}
            assert category in found, (category, ex, found)
    marked = next(ln for ln in lines if ln.startswith("- **marked modal**"))
    assert "*may*" not in marked and "*may well*" in marked
    assert "## group" in book
    group = book.split("## group")[1].split("\n## ")[0]
    assert "influence" in group
    # what counts as a match of the speaker, and how ties are handled, are said
    speaker = book.split("## speaker")[1].split("\n## ")[0]
    assert "she" in speaker and "none" in speaker
    assert "tie" in book.lower()
