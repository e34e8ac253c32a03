"""compare_groups / compare_pairs / article_table / concordance / sourcing: statistics checked against known cases.

Most tables are synthetic (several groups, several articles per group, known properties);
the last tests run on the seed corpus.
"""
from __future__ import annotations

import inspect

import numpy as np
import pandas as pd
import pytest


import alliance_study
import alliance_study.compare as compare_module
from alliance_study.compare import (article_table, compare_groups, compare_pairs, concordance, keyness,
                                    sourcing_by_type, sourcing_profile)
from alliance_study.compare.estimates import RESULT_COLUMNS
from alliance_study.defaults import DEFAULTS
from alliance_study.errors import InputError
from conftest import PILOT_ACTORS, PILOT_STUDY, PILOT_TARGETS


def make_scored(values_by_article: dict, group_of: dict, **cols) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Sentence table with given sentiment values per article (other metrics neutral)."""
    rows = []
    for aid, vals in values_by_article.items():
        for k, v in enumerate(vals):
            rows.append({"article_id": aid, "sent_id": k, "role": "body", "n_words": 10,
                         "sentiment_compound": float(v), "hedged": False, "hedge_count": 0,
                         "booster_count": 0, "weasel_count": 0, "frame_x": 0, "target": False})
    s = pd.DataFrame(rows)
    for c, v in cols.items():
        s[c] = v
    a = pd.DataFrame({"article_id": list(group_of), "grp": list(group_of.values())})
    return s, a


def simulate(n_articles: int, mu: float, rng, n_sent: int = 10, sd_article: float = 0.3, sd_sent: float = 0.3,
             group: str = "g", prefix: str = ""):
    vals, groups = {}, {}
    for i in range(n_articles):
        eff = rng.normal(0, sd_article)
        vals[f"{prefix}{i}"] = mu + eff + rng.normal(0, sd_sent, n_sent)
        groups[f"{prefix}{i}"] = group
    return vals, groups


def est(out, group, metric, col="estimate"):
    row = out[(out["group"] == group) & (out["metric"] == metric)]
    assert len(row) == 1
    return row.iloc[0][col]


# ----------------------------------------------------------------------------- bootstrap
def test_interval_covers_known_mean_at_nominal_rate():
    """Over 40 simulated corpora with clustered data the 95% interval covers the true mean
    in roughly 95% of them (a naive sentence bootstrap would cover far less here)."""
    rng = np.random.default_rng(1)
    mu, covered, widths = 0.2, 0, []
    for rep in range(40):
        vals, groups = simulate(30, mu, rng, sd_article=0.4, sd_sent=0.2)
        s, a = make_scored(vals, groups)
        out = compare_groups(s, a, group_by="grp", n_boot=400, n_perm=0, seed=rep)
        lo, hi = est(out, "g", "mean_sentiment", "ci_low"), est(out, "g", "mean_sentiment", "ci_high")
        covered += lo <= mu <= hi
        widths.append(hi - lo)
    assert covered >= 34, covered  # P(Binomial(40, .95) < 34) < 0.5%
    # the expected half-width is about 1.96 * sd_article / sqrt(30) = 0.143
    assert 0.2 < np.mean(widths) < 0.42


def test_interval_shrinks_with_more_articles():
    rng = np.random.default_rng(2)
    w = {}
    for n in (10, 160):
        vals, groups = simulate(n, 0.0, rng)
        s, a = make_scored(vals, groups)
        out = compare_groups(s, a, group_by="grp", n_boot=500, n_perm=0)
        w[n] = est(out, "g", "mean_sentiment", "ci_high") - est(out, "g", "mean_sentiment", "ci_low")
        assert est(out, "g", "mean_sentiment", "ci_low") <= 0.0 <= est(out, "g", "mean_sentiment", "ci_high") or n == 10
    # sqrt(160 / 10) = 4: the interval is about four times narrower
    assert 2.5 < w[10] / w[160] < 6.5


def test_one_article_interval_reflects_within_article_variation_and_is_flagged():
    s, a = make_scored({"only": [-0.5, 0.0, 0.5, 1.0, -1.0, 0.2]}, {"only": "g"})
    out = compare_groups(s, a, group_by="grp", n_boot=500, n_perm=100)
    row = out[out["metric"] == "mean_sentiment"].iloc[0]
    assert row["n_articles"] == 1 and bool(row["small_n"])
    assert "within-article" in row["note"]
    assert row["ci_low"] < row["estimate"] < row["ci_high"]  # sentences resampled within the article
    assert np.isnan(row["p_value"])  # one group: nothing to test against
    # article-only resampling carries no information with one article: a zero-width interval
    out1 = compare_groups(s, a, group_by="grp", n_boot=200, n_perm=0, stages=1)
    r1 = out1[out1["metric"] == "mean_sentiment"].iloc[0]
    assert r1["ci_low"] == pytest.approx(r1["estimate"]) == pytest.approx(r1["ci_high"])


def test_every_estimate_inside_its_interval_even_when_degenerate():
    rng = np.random.default_rng(3)
    vals = {f"a{i}": np.full(5, 0.3) for i in range(4)}  # no variation at all
    vals.update({f"b{i}": rng.normal(0, 1, 3) for i in range(2)})
    s, a = make_scored(vals, {**{f"a{i}": "A" for i in range(4)}, **{f"b{i}": "B" for i in range(2)}})
    out = compare_groups(s, a, group_by="grp", n_boot=300, n_perm=100)
    ok = out.dropna(subset=["estimate"])
    assert ((ok["ci_low"] <= ok["estimate"]) & (ok["estimate"] <= ok["ci_high"])).all()
    for col in ("ci_low", "estimate", "ci_high"):  # zero width, up to float round-off
        assert est(out, "A", "mean_sentiment", col) == pytest.approx(0.3, abs=1e-12)
    assert out.loc[out["group"] == "B", "small_n"].all() and not out.loc[out["group"] == "A", "small_n"].any()
    # no target sentences anywhere: undefined, and said so
    assert np.isnan(est(out, "A", "target_share_hedged"))
    assert est(out, "A", "target_share_hedged", "note").startswith("no units")


# ----------------------------------------------------------------------------- ratio estimators
def test_ratio_estimators_exact_on_hand_example():
    s = pd.DataFrame({
        "article_id": ["p", "p", "q", "q", "r"],
        "sent_id": [0, 1, 0, 1, 0],
        "role": ["headline", "body", "body", "body", "body"],
        "n_words": [10, 20, 30, 0, 40],
        "sentiment_compound": [0.5, -0.1, 0.3, np.nan, 0.0],
        "hedged": [True, True, False, False, True],
        "hedge_count": [1, 2, 0, 0, 3],
        "booster_count": [0, 1, 1, 0, 0],
        "weasel_count": [1, 0, 0, 0, 0],
        "frame_war": [2, 0, 1, 0, 0],
        "frame_money": [0, 0, 0, 0, 0],
        "target": [True, True, True, False, False],
    })
    a = pd.DataFrame({"article_id": ["p", "q", "r"], "side": ["one", "one", "two"]})
    out = compare_groups(s, a, group_by="side", n_boot=200, n_perm=50)
    # group one = p, q: 4 sentences, 60 words
    assert est(out, "one", "hedges_per_100w") == pytest.approx((1 + 2 + 0 + 0) / 60 * 100)
    assert est(out, "one", "boosters_per_100w") == pytest.approx(2 / 60 * 100)
    assert est(out, "one", "weasels_per_100w") == pytest.approx(1 / 60 * 100)
    assert est(out, "one", "share_hedged") == pytest.approx(2 / 4)
    assert est(out, "one", "mean_sentiment") == pytest.approx((0.5 - 0.1 + 0.3) / 3)  # NaN not scored
    assert est(out, "one", "target_share_hedged") == pytest.approx(2 / 3)
    assert est(out, "one", "target_mean_sentiment") == pytest.approx((0.5 - 0.1 + 0.3) / 3)
    assert est(out, "one", "frame_share_war") == pytest.approx(2 / 4)  # sentences with >= 1 cue, not cue counts
    assert est(out, "one", "frame_share_money") == 0.0
    assert est(out, "one", "hedges_per_100w", "n_units") == 60
    assert est(out, "one", "share_hedged", "n_units") == 4 and est(out, "one", "share_hedged", "n_sentences") == 4
    assert est(out, "one", "target_share_hedged", "n_units") == 3
    assert est(out, "two", "hedges_per_100w") == pytest.approx(3 / 40 * 100)
    assert list(out.columns) == RESULT_COLUMNS
    assert out["group"].tolist() == sorted(out["group"])
    # the headline-only view changes the numbers as expected
    h = compare_groups(s, a, group_by="side", roles=("headline",), n_boot=50, n_perm=0)
    assert h["group"].unique().tolist() == ["one"]
    assert est(h, "one", "hedges_per_100w") == pytest.approx(10.0)


def test_speech_shares_from_attributions():
    s, a = make_scored({"x1": [0, 0], "x2": [0], "y1": [0]}, {"x1": "X", "x2": "X", "y1": "Y"})
    q = pd.DataFrame({"article_id": ["x1", "x1", "x2", "y1", "zz"],
                      "speaker_type": ["official", "expert", "official", "anonymous", "official"],
                      "speaker": "s", "role": "body"})
    out = compare_groups(s, a, group_by="grp", attributions=q, n_boot=100, n_perm=50)
    assert est(out, "X", "speech_share_official") == pytest.approx(2 / 3)
    assert est(out, "X", "speech_share_expert") == pytest.approx(1 / 3)
    assert est(out, "Y", "speech_share_anonymous") == 1.0
    assert est(out, "X", "speech_share_official", "n_units") == 3  # "zz" has no sentences: left out


# ----------------------------------------------------------------------------- permutation tests
def test_permutation_p_small_for_different_groups_and_one_for_identical():
    rng = np.random.default_rng(4)
    v1, g1 = simulate(8, 0.5, rng, group="hi", prefix="h", sd_article=0.05, sd_sent=0.05)
    v2, g2 = simulate(8, -0.5, rng, group="lo", prefix="l", sd_article=0.05, sd_sent=0.05)
    s, a = make_scored({**v1, **v2}, {**g1, **g2})
    out = compare_groups(s, a, group_by="grp", n_boot=200, n_perm=999)
    # 16 articles, 8 per group: only 2 of C(16, 8) = 12870 labelings are as extreme
    assert est(out, "hi", "mean_sentiment", "p_value") < 0.01
    assert est(out, "hi", "mean_sentiment", "p_value") >= 1 / 1000  # never below its resolution
    d = compare_pairs(s, a, group_by="grp", n_boot=200, n_perm=999)
    row = d[d["metric"] == "mean_sentiment"].iloc[0]
    assert (row["group_a"], row["group_b"]) == ("hi", "lo")
    assert row["p_value"] < 0.01 and row["ci_low"] > 0.8

    # identical distributions: group B is an exact copy of group A's articles
    vals, groups = simulate(6, 0.0, rng, group="A", prefix="a")
    copy = {k.replace("a", "b"): v for k, v in vals.items()}
    s, a = make_scored({**vals, **copy}, {**groups, **{k: "B" for k in copy}})
    out = compare_groups(s, a, group_by="grp", n_boot=200, n_perm=500)
    assert est(out, "A", "mean_sentiment", "p_value") == 1.0
    d = compare_pairs(s, a, group_by="grp", n_boot=200, n_perm=500)
    row = d[d["metric"] == "mean_sentiment"].iloc[0]
    assert row["difference"] == pytest.approx(0.0, abs=1e-12) and row["p_value"] == 1.0
    assert row["ci_low"] < 0 < row["ci_high"]


def test_permutation_p_values_roughly_uniform_under_the_null():
    rng = np.random.default_rng(5)
    ps = []
    for rep in range(40):
        v1, g1 = simulate(6, 0.0, rng, group="A", prefix="a", n_sent=4)
        v2, g2 = simulate(6, 0.0, rng, group="B", prefix="b", n_sent=4)
        s, a = make_scored({**v1, **v2}, {**g1, **g2})
        out = compare_groups(s, a, group_by="grp", n_boot=1, n_perm=200, seed=rep)
        ps.append(est(out, "A", "mean_sentiment", "p_value"))
    ps = np.array(ps)
    assert (ps < 0.05).sum() <= 6  # about 2 expected
    assert 0.3 < np.median(ps) < 0.7


def test_compare_pairs_consistent_with_compare_groups_and_deterministic():
    rng = np.random.default_rng(6)
    vals, groups = {}, {}
    for g, mu in (("c", 0.1), ("a", 0.0), ("b", -0.2)):
        v, gg = simulate(5, mu, rng, group=g, prefix=g)
        vals.update(v)
        groups.update(gg)
    s, a = make_scored(vals, groups)
    out = compare_groups(s, a, group_by="grp", n_boot=300, n_perm=100)
    d = compare_pairs(s, a, group_by="grp", n_boot=300, n_perm=100)
    assert d[["group_a", "group_b"]].drop_duplicates().values.tolist() == [["a", "b"], ["a", "c"], ["b", "c"]]
    for _, r in d.iterrows():
        assert r["difference"] == pytest.approx(est(out, r["group_a"], r["metric"]) - est(out, r["group_b"], r["metric"]),
                                                nan_ok=True)
    pd.testing.assert_frame_equal(out, compare_groups(s, a, group_by="grp", n_boot=300, n_perm=100))
    pd.testing.assert_frame_equal(d, compare_pairs(s, a, group_by="grp", n_boot=300, n_perm=100))
    # shuffling the input rows changes nothing
    pd.testing.assert_frame_equal(out, compare_groups(s.sample(frac=1, random_state=0), a.iloc[::-1], group_by="grp",
                                               n_boot=300, n_perm=100))


def test_reader_group_and_scoring_on_the_fly(pilot_scorer):
    from alliance_study.metrics import score_sentences
    s = pd.DataFrame({
        "article_id": [1, 1, 1, 2, 2],
        "sent_id": [0, 1, 2, 0, 1],
        "role": ["headline", "body", "reader_comment", "body", "reader_comment"],
        "text": ["Allies may have met.", "They met.", "This is possibly fake.", "Trade grew.", "Surely not."],
    })
    a = pd.DataFrame({"article_id": [1, 2], "kind": ["u", "v"]})
    plain = compare_groups(s, a, group_by="kind", n_boot=50, n_perm=0)
    assert sorted(plain["group"].unique()) == ["u", "v"]
    assert est(plain, "u", "share_hedged", "n_sentences") == 2
    r = compare_groups(s, a, group_by="kind", n_boot=50, n_perm=20, reader_group=True)
    assert sorted(r["group"].unique()) == ["readers", "u", "v"]
    assert est(r, "readers", "share_hedged", "n_sentences") == 2
    assert est(r, "readers", "share_hedged", "n_articles") == 2
    assert est(r, "readers", "share_hedged") == 0.5
    # scored on the fly with the package lexicons: no target terms, so no sentence is about a target
    assert np.isnan(est(r, "u", "target_share_hedged"))
    # scored with the pilot's targets first: "Allies may have met." is about the target and hedged
    p = compare_groups(score_sentences(s, pilot_scorer), a, group_by="kind", n_boot=50, n_perm=20, reader_group=True)
    assert est(p, "u", "target_share_hedged") == 1.0
    assert est(p, "readers", "share_hedged") == 0.5


# ----------------------------------------------------------------------------- concordance
def test_concordance_multiword_targets_and_offsets():
    text1 = "Moscow and Beijing deny a military alliance, but a military-political union is possible."
    text2 = "No bloc here.\nOnly allies."
    s = pd.DataFrame({"article_id": ["a", "b"], "sent_id": [3, 0], "start": [50, 0], "role": "body",
                      "text": [text1, text2]})
    a = pd.DataFrame({"article_id": ["a", "b"], "grp": ["G1", "G2"]})
    # the package targets list is empty: a concordance needs the study's targets (or terms), and says so
    with pytest.raises(InputError, match="packaged targets lexicon is empty.*Fix: pass terms="):
        concordance(s, a, group_by="grp")
    kw = concordance(s, a, terms=PILOT_TARGETS, group_by="grp", width=12)
    assert kw["keyword"].tolist() == ["alliance", "military-political union", "bloc", "allies"]
    for _, r in kw.iterrows():
        text, base = (text1, 50) if r["article_id"] == "a" else (text2, 0)
        assert text[r["start"] - base:r["end"] - base] == r["keyword"]
    first = kw.iloc[0]
    assert first["left"] == " a military " and first["right"] == ", but a mili"
    assert kw.iloc[3]["left"] == " here. Only "  # newline flattened to a space
    own = concordance(s, a, terms=["military pact", "military-political union"], group_by="grp")
    assert own["keyword"].tolist() == ["military-political union"]
    assert int(own.iloc[0]["start"]) == 50 + text1.index("military-political")
    assert not any("<" in str(v) for v in kw.to_numpy().ravel())


# ----------------------------------------------------------------------------- sourcing
def test_library_calls_that_read_wrong_are_refused_or_read_as_meant(seed):
    """One role as text is that role (it was split into letters: empty tables); a table given where
    options go, a wrong type, or a string where a table goes get a message with a fix."""
    s, a, _ = seed
    assert keyness(s, a, group_by="outlet", roles="body").equals(keyness(s, a, group_by="outlet", roles=["body"]))
    one = compare_groups(s, a, group_by="outlet", roles="body", n_boot=20, n_perm=0)
    assert one.equals(compare_groups(s, a, group_by="outlet", roles=["body"], n_boot=20, n_perm=0))
    with pytest.raises(InputError, match=r"not str \('outlet'\).*group_by='outlet' go by name"):
        compare_groups(s, "outlet")
    with pytest.raises(TypeError):  # options are keyword-only
        compare_groups(s, a, "outlet")
    with pytest.raises(InputError, match="n_boot must be a whole number, not str.*Fix"):
        compare_groups(s, a, group_by="outlet", n_boot="100")
    with pytest.raises(InputError, match="lacks column.*'nope'.*Fix"):
        keyness(s, a, group_by="nope")


def test_sourcing_profile_counts():
    q = pd.DataFrame({
        "article_id": [1, 1, 2, 2, 3, 3, 3],
        "sent_id": [0, 1, 0, 1, 0, 1, 2],
        "speaker": ["Putin", "Putin", " Putin ", "experts", "Xi", None, "Xi"],
        "speaker_type": ["official", "official", "official", "anonymous", "official", "unknown", "official"],
        "direct": [True, False, True, False, True, False, False],
        "role": "body",
    })
    a = pd.DataFrame({"article_id": [1, 2, 3], "grp": ["P", "P", "Q"]})
    prof = sourcing_profile(q, a, group_by="grp")
    p = prof.set_index(["group", "speaker"])
    assert p.loc[("P", "Putin"), "n_quotes"] == 3 and p.loc[("P", "Putin"), "n_direct"] == 2
    assert p.loc[("P", "Putin"), "n_indirect"] == 1 and p.loc[("P", "Putin"), "n_articles"] == 2
    assert p.loc[("P", "Putin"), "share_of_group"] == pytest.approx(3 / 4)
    assert p.loc[("Q", "(unnamed)"), "speaker_type"] == "unknown"
    assert prof["group"].tolist() == ["P", "P", "Q", "Q"] and prof.iloc[0]["speaker"] == "Putin"
    bt = sourcing_by_type(q, a, group_by="grp")
    assert bt["speaker_type"].tolist() == ["official", "anonymous", "unknown"] * 2
    assert bt.groupby("group")["share_of_group"].sum().tolist() == pytest.approx([1.0, 1.0])
    t = bt.set_index(["group", "speaker_type"])
    assert t.loc[("Q", "official"), "n_quotes"] == 2 and t.loc[("P", "unknown"), "n_quotes"] == 0


# ----------------------------------------------------------------------------- seed corpus
@pytest.fixture(scope="module")
def seed(raw_dir, pilot_scorer):
    """The seed corpus scored with the pilot's lexicons (frames, targets, actors)."""
    from alliance_study.corpus import load_corpus
    from alliance_study.metrics import score_sentences
    from alliance_study.metrics.attribution import attributions
    corpus = load_corpus(raw_dir)
    return score_sentences(corpus.sentences, pilot_scorer), corpus.articles, attributions(corpus, actors=PILOT_ACTORS)


@pytest.fixture(scope="module")
def seed_generic(raw_dir):
    """The seed corpus scored with the package lexicons (and the news tone when the processing default has it)."""
    from alliance_study.corpus import load_corpus
    from alliance_study.metrics import Scorer, score_sentences
    from alliance_study.metrics.attribution import attributions
    corpus = load_corpus(raw_dir)
    scorer = Scorer(news_sentiment=DEFAULTS["news_sentiment"])
    return score_sentences(corpus.sentences, scorer), corpus.articles, attributions(corpus)


def test_seed_corpus_estimates(seed):
    sents, articles, _ = seed
    out = compare_groups(sents, articles, group_by="origin_country", n_boot=100, n_perm=100)
    assert len(out) and ((out["ci_low"] <= out["estimate"]) | out["estimate"].isna()).all()
    assert (out["n_articles"] >= 1).all()
    assert sorted(out["group"].unique()) == sorted(articles["origin_country"].unique())


# ----------------------------------------------------------------------------- defaults and names
_DEFAULTED = ("group_by", "roles", "n_boot", "n_perm", "seed", "level")


@pytest.mark.parametrize("func", [compare_groups, compare_pairs, keyness, concordance, sourcing_profile,
                                  sourcing_by_type, article_table])
def test_defaults_are_the_reports(func):
    """Every comparison function takes its defaults from alliance_study.defaults.DEFAULTS."""
    params = inspect.signature(func).parameters
    shared = [name for name in _DEFAULTED if name in params]
    assert "group_by" in shared and "roles" in shared
    for name in shared:
        assert params[name].default == DEFAULTS[name], (func.__name__, name)


def test_compare_groups_with_defaults_reproduces_the_processing_step(seed_generic, raw_dir, tmp_path):
    """compare_groups with nothing but the tables gives the report's group_comparison table
    (a corpus folder without a study file: package lexicons and DEFAULTS)."""
    from alliance_study.report.process import process_corpus
    tables = process_corpus(raw_dir, tmp_path, write=False)
    sents, articles, sources = seed_generic
    mine = compare_groups(sents, articles, attributions=sources)
    theirs = tables["group_comparison"]
    key = ["group", "metric"]
    pd.testing.assert_frame_equal(mine.sort_values(key, kind="mergesort").reset_index(drop=True),
                                  theirs.sort_values(key, kind="mergesort").reset_index(drop=True), check_exact=True)
    pairs = compare_pairs(sents, articles, attributions=sources)
    key = ["group_a", "group_b", "metric"]
    pd.testing.assert_frame_equal(pairs.sort_values(key, kind="mergesort").reset_index(drop=True),
                                  tables["group_differences"].sort_values(key, kind="mergesort").reset_index(drop=True),
                                  check_exact=True)


def test_processing_a_study_file_uses_its_lexicons_and_group_by(seed, tmp_path):
    """process_corpus(study.yaml) = compare_groups on the study's scoring with the study's group_by."""
    from alliance_study.report.process import process_corpus
    tables = process_corpus(PILOT_STUDY, tmp_path, write=False, n_boot=200, n_perm=200, news_sentiment=False)
    sents, articles, sources = seed
    mine = compare_groups(sents, articles, group_by="origin_country", attributions=sources, n_boot=200, n_perm=200)
    key = ["group", "metric"]
    pd.testing.assert_frame_equal(mine.sort_values(key, kind="mergesort").reset_index(drop=True),
                                  tables["group_comparison"].sort_values(key, kind="mergesort").reset_index(drop=True),
                                  check_exact=True)
    assert "frame_share_security_military" in set(mine["metric"])


def test_compare_is_a_module_and_compare_groups_the_function():
    assert not callable(compare_module)  # no callable-module trick
    assert alliance_study.compare_groups is compare_groups
    assert "compare" not in compare_module.__all__


# ----------------------------------------------------------------------------- per-article measures
def test_article_table_equals_one_group_per_article(seed):
    """An article's value is the group estimate of a group made of that article alone."""
    sents, articles, _ = seed
    per = article_table(sents, articles, group_by="origin_country")
    assert sorted(per["article_id"]) == sorted(articles["article_id"])
    assert per[["group", "article_id"]].values.tolist() == sorted(per[["group", "article_id"]].values.tolist())
    one_each = articles.assign(alone=articles["article_id"])
    est_each = compare_groups(sents, one_each, group_by="alone", n_boot=1, n_perm=0)
    wide = est_each.pivot(index="group", columns="metric", values="estimate")
    by_article = per.set_index("article_id")
    measures = [m for m in wide.columns if not m.startswith("speech_share_")]
    assert "frame_share_economy_trade" in measures and "hedges_per_100w" in measures
    for aid, row in by_article.iterrows():
        for m in measures:
            assert row[m] == pytest.approx(wide.loc[aid, m], nan_ok=True, rel=1e-12), (aid, m)
    n_sent = sents[sents["role"].isin(DEFAULTS["roles"])].groupby("article_id").size()
    assert by_article["n_sentences"].to_dict() == n_sent.to_dict()


def test_article_table_parts_and_unknown_measure(seed):
    from alliance_study.errors import InputError
    sents, articles, _ = seed
    t = article_table(sents, articles, measures=["target_share_hedged"], parts=True)
    body = sents[sents["role"].isin(DEFAULTS["roles"])]
    about = body[body["target"]]
    assert t["target_share_hedged_denominator"].sum() == len(about) > 0
    assert t["target_share_hedged_numerator"].sum() == about["hedged"].sum()
    with pytest.raises(InputError, match="not in the registry"):
        article_table(sents, articles, measures=["share_sarcastic"])
    with pytest.raises(InputError, match="quotes"):
        article_table(sents, articles, measures=["speech_share_official"])
