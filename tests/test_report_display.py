"""Notebook helpers (alliance_study.report.display) and the sentiment histogram of plots, on the seed corpus."""
from __future__ import annotations

import re

import pandas as pd
import pytest

import alliance_study as als
from alliance_study.plots import plot_sentiment_distribution
from alliance_study.report import cue_counts, examples_html


@pytest.fixture(scope="module")
def own(raw_dir):
    corpus = als.load_corpus(raw_dir)
    s = als.score_sentences(corpus.sentences)
    s = s[s["role"].isin(["headline", "body"])]
    return s.merge(corpus.articles[["article_id", "origin_country"]], on="article_id")


def test_cue_counts_match_the_cue_columns(own):
    counts = cue_counts(own, "hedge_cues", "origin_country", top=3)
    assert len(counts) and (counts.groupby("origin_country").size() <= 3).all()
    for r in counts.itertuples(index=False):
        in_group = own.loc[own["origin_country"] == r.origin_country, "hedge_cues"].fillna("")
        assert r.count == sum(cues.split(";").count(r.cue) for cues in in_group)
    # within a group: most frequent first, ties by cue
    for _, g in counts.groupby("origin_country"):
        keys = list(zip(-g["count"], g["cue"]))
        assert keys == sorted(keys)


def test_examples_html_shows_top_sentences_escaped_and_highlighted(own):
    h = examples_html(own, "hedge_count", "origin_country", n=3, title="Most <hedged>")
    assert "<h4>Most &lt;hedged&gt;</h4>" in h
    rows = re.findall(r"<tr><td>([^<]*)</td>", h)
    assert len(rows) == 3
    top = own.sort_values(["hedge_count", "article_id", "sent_id"], ascending=[False, True, True]).head(3)
    assert rows == top["article_id"].tolist()
    assert "<mark" in h  # the cues are marked


def test_examples_html_escapes_article_markup():
    s = pd.DataFrame({"article_id": ["x"], "sent_id": [0], "g": ["G"], "hedge_count": [1],
                      "text": ["Officials may <script>alert(1)</script> agree."]})
    h = examples_html(s, "hedge_count", "g")
    assert "<script>" not in h and "&lt;script&gt;" in h


def test_sentiment_distribution_one_layer_per_group(own):
    fig = plot_sentiment_distribution(own, group_by="origin_country")
    ax = fig.axes[0]
    groups = sorted(own["origin_country"].dropna().unique())
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert labels == [f"{g} (n={int((own['origin_country'] == g).sum())})" for g in groups]
    heights = [sum(p.get_height() for p in c) for c in ax.containers]
    assert heights == [int((own["origin_country"] == g).sum()) for g in groups]


def _figure_of(own):
    return plot_sentiment_distribution(own, group_by="origin_country")


def test_show_figure_without_a_folder_draws_no_svg(own, monkeypatch, tmp_path):
    import alliance_study.plots as plots
    from alliance_study.report import show_figure

    # an empty cache: a figure drawn before (by another test or build) would be reused, not drawn
    monkeypatch.setenv("ALLIANCE_STUDY_CACHE", str(tmp_path / "cache"))

    calls, real = [], plots.save

    def spy(fig, stem, formats=("png", "svg"), **kw):
        calls.append(tuple(formats))
        return real(fig, stem, formats=formats, **kw)

    monkeypatch.setattr(plots, "save", spy)
    show_figure(_figure_of(own), "f", None)
    assert calls == [("png",)]
