"""plots at scale: the per-article figures and the histogram also take what a corpus processed in
partitions has (article measures, the group comparison, the sentence sample) and draw the same figure
on the seeds; above ``max_points`` articles the scatter draws a fixed-seed sample and says so."""
from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import numpy as np
import pandas as pd
import pytest

from alliance_study import plots
from alliance_study.compare import article_measures, compare_groups, merge_partials, partials
from alliance_study.errors import InputError

ROLES = ("headline", "body")


@pytest.fixture(scope="module")
def seeds(pilot_scored):
    """The seed corpus scored as report/process.py scores it, and its pieces merged from one partition per article."""
    s, a, q, g = pilot_scored.sentences, pilot_scored.articles, pilot_scored.sources, pilot_scored.group_by
    merged = merge_partials(partials(s[s["article_id"] == i], a[a["article_id"] == i], q[q["article_id"] == i],
                                     group_by=g, roles=ROLES, terms=pilot_scored.scorer.targets, seed=7)
                            for i in sorted(a["article_id"]))
    return dict(s=s, a=a, q=q, g=g, merged=merged)


def _bytes(fig, tmp_path, name):
    return [p.read_bytes() for p in plots.save(fig, tmp_path / name)]


def test_seed_figures_identical_from_every_input(seeds, tmp_path):
    s, a, g, m = seeds["s"], seeds["a"], seeds["g"], seeds["merged"]
    am = m.article_measures
    own = s[s["role"].isin(ROLES)].merge(a[["article_id", g]], on="article_id")
    assert m.sentence_sample["group_sentences"].max() <= 300  # the default sample holds every seed sentence
    gc = compare_groups(s, a, group_by=g, roles=ROLES, n_boot=20, n_perm=0)
    pairs = {
        "hedging_vs_sentiment": (plots.plot_hedging_vs_sentiment(s, a, group_by=g, roles=ROLES, label_col="outlet"),
                                 plots.plot_hedging_vs_sentiment(am, a, group_by=g, roles=ROLES, label_col="outlet")),
        "target_hedged_measures": (plots.plot_target_hedged(s, a, group_by=g, roles=ROLES),
                                   plots.plot_target_hedged(am, a, group_by=g, roles=ROLES)),
        "target_hedged_comparison": (plots.plot_target_hedged(s, a, group_by=g, roles=ROLES),
                                     plots.plot_target_hedged(gc, group_by=g)),
    }
    full_sample = merge_partials([partials(s, a, group_by=g, roles=ROLES, seed=7)]).sentence_sample
    pairs["sentiment_distribution"] = (plots.plot_sentiment_distribution(own, group_by=g),
                                       plots.plot_sentiment_distribution(full_sample, group_by=g))
    for name, (old, new) in pairs.items():
        assert _bytes(old, tmp_path, f"{name}_old") == _bytes(new, tmp_path, f"{name}_new"), name


def _replicated(seeds, copies: int):
    """The seed articles' measures ``copies`` times under new ids (values varied per copy)."""
    am = article_measures(seeds["s"], seeds["a"], roles=ROLES)
    rng = np.random.default_rng(1)
    big = pd.concat([am.assign(article_id=am["article_id"] + f"-{i}") for i in range(copies)], ignore_index=True)
    big["hedges_per_100w_num"] = big["hedges_per_100w_num"] * rng.uniform(0.5, 1.5, len(big))
    big.attrs = am.attrs
    arts = pd.concat([seeds["a"].assign(article_id=seeds["a"]["article_id"] + f"-{i}") for i in range(copies)],
                     ignore_index=True)
    return big, arts


def test_many_articles_are_sampled_and_the_figure_says_so(seeds):
    g = seeds["g"]
    big, arts = _replicated(seeds, 60)  # 300 articles
    sizes = arts.groupby(g).size()
    fig = plots.plot_hedging_vs_sentiment(big, arts, group_by=g, roles=ROLES, label_col="outlet", max_points=120)
    ax = fig.axes[0]
    shown = {c.get_label().split(" (")[0]: len(c.get_offsets()) for c in ax.collections}
    # each group's share of 120, at least 50 (or all) per group
    expected = {k: int(max(min(n, 50), np.floor(120 * n / sizes.sum()))) for k, n in sizes.items()}
    assert shown == expected
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert legend == [f"{k} (n={expected[k]} of {sizes[k]})" for k in sorted(sizes.index)]
    caption = " ".join(t.get_text() for t in fig.texts)
    assert f"n = {len(big)} articles" in caption and "random sample" in caption and "fixed seed" in caption
    assert not ax.texts  # no per-article labels when sampled
    # the sample is a fixed draw: the same points every time, another seed another draw
    again = plots.plot_hedging_vs_sentiment(big, arts, group_by=g, roles=ROLES, max_points=120)
    other = plots.plot_hedging_vs_sentiment(big, arts, group_by=g, roles=ROLES, max_points=120, seed=1)
    pts = [np.vstack([c.get_offsets() for c in f.axes[0].collections]) for f in (fig, again, other)]
    assert np.array_equal(pts[0], pts[1]) and not np.array_equal(pts[0], pts[2])
    # few articles: every one drawn
    small = plots.plot_hedging_vs_sentiment(big, arts, group_by=g, roles=ROLES)
    assert sum(len(c.get_offsets()) for c in small.axes[0].collections) == len(big)


def test_histogram_of_a_partial_sample_says_so(seeds):
    s, a, g = seeds["s"], seeds["a"], seeds["g"]
    sample = merge_partials([partials(s, a, group_by=g, roles=ROLES, seed=7, sample_size=10)]).sentence_sample
    fig = plots.plot_sentiment_distribution(sample, group_by=g)
    totals = sample.groupby("group")["group_sentences"].first()
    assert [ax.get_title(loc="left") for ax in fig.axes] == \
        [f"{k} (sample of 10 of {totals[k]} sent.)" for k in sorted(totals.index)]
    for ax in fig.axes:  # each panel: shares of its group's 10 sampled sentences
        counts = [p.get_height() * 10 for p in ax.patches]
        assert sum(counts) == pytest.approx(10) and counts == pytest.approx(np.round(counts))
    assert any("random sample" in t.get_text() for t in fig.texts)


def test_article_measures_need_groups_and_matching_roles(seeds):
    am = seeds["merged"].article_measures
    with pytest.raises(InputError, match="articles table.*Fix:"):
        plots.plot_hedging_vs_sentiment(am, None, group_by=seeds["g"], roles=ROLES)
    with pytest.raises(InputError, match="roles.*Fix:"):
        plots.plot_target_hedged(am, seeds["a"], group_by=seeds["g"], roles=("body",))


def test_timeline_samples_many_articles(seeds):
    g = seeds["g"]
    _, arts = _replicated(seeds, 60)  # 300 articles, every seed article dated
    dated = arts[arts["published"].notna()]
    assert len(dated) == len(arts)
    fig = plots.plot_timeline(arts, group_by=g, max_points=120)
    ax = fig.axes[0]
    markers = [ln for ln in ax.lines if ln.get_marker() == "o"]
    sizes = arts.groupby(g).size()
    assert len(markers) == sum(int(max(min(n, 50), np.floor(120 * n / len(arts)))) for n in sizes)
    assert not ax.texts  # no outlet labels on a sample
    caption = " ".join(t.get_text() for t in fig.texts)
    assert f"n = {len(arts)} articles" in caption and f"random sample of {len(markers)} of the {len(dated)}" in caption
    full = plots.plot_timeline(arts, group_by=g)  # below the default 2,000: every article
    assert sum(ln.get_marker() == "o" for ln in full.axes[0].lines) == len(dated)
