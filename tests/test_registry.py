"""The registry of measures (metrics/registry.py): one declaration per measure, read by
the scorer, the statistics (compare) and the figures (plots) alike.

The main test adds a frame in a frames file of its own and follows it, with no other
edit, from the scorer through compare_groups, compare_pairs and article_table to the
panel titles of plot_estimates and the columns of plot_frame_heatmap.
"""
from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import numpy as np
import pandas as pd
import pytest

from alliance_study import plots
from alliance_study.compare import article_table, compare_groups, compare_pairs
from alliance_study.corpus import load_corpus
from alliance_study.defaults import DEFAULTS
from alliance_study.errors import InputError
from alliance_study.metrics import Scorer, registry, score_sentences

FRAMES_YAML = """\
name: frames
description: a study's own frame file (test)
categories:
  economy_trade:
    cues: [trade, economy, economic, sanctions]
  joint_drills:
    label: Joint military drills
    cues: [exercises, drills, "missile*"]
"""


@pytest.fixture(scope="module")
def corpus(raw_dir):
    return load_corpus(raw_dir)


@pytest.fixture(scope="module")
def custom(corpus, tmp_path_factory):
    path = tmp_path_factory.mktemp("study") / "my_frames.yaml"
    path.write_text(FRAMES_YAML, encoding="utf-8")
    scorer = Scorer(frames=path)
    return scorer, score_sentences(corpus.sentences, scorer)


def test_a_new_frame_reaches_estimates_and_figures(corpus, custom):
    scorer, sents = custom
    assert scorer.frame_names == ["economy_trade", "joint_drills"]
    assert [c for c in sents.columns if c.startswith("frame_")] == ["frame_economy_trade", "frame_joint_drills"]
    articles = corpus.articles
    out = compare_groups(sents, articles, n_boot=50, n_perm=20)
    frames = [m for m in dict.fromkeys(out["metric"]) if m.startswith("frame_share_")]
    assert frames == ["frame_share_economy_trade", "frame_share_joint_drills"]  # the packaged frames are gone
    # the estimate is the share of the group's sentences with at least one cue of the new frame
    g = DEFAULTS["group_by"]  # compare_groups above groups by the default column
    own = sents[sents["role"].isin(DEFAULTS["roles"])].merge(articles[["article_id", g]])
    share = own.groupby(g)["frame_joint_drills"].apply(lambda c: float((c > 0).mean()))
    assert share.sum() > 0, "the seed corpus has sentences about drills"
    got = out[out["metric"] == "frame_share_joint_drills"].set_index("group")["estimate"]
    pd.testing.assert_series_equal(got.sort_index(), share.sort_index(), check_names=False)
    pairs = compare_pairs(sents, articles, n_boot=20, n_perm=0)
    assert "frame_share_joint_drills" in set(pairs["metric"])
    per = article_table(sents, articles)
    assert "frame_share_joint_drills" in per.columns
    assert per["frame_share_joint_drills"].notna().all()

    titles = [ax.get_title() for ax in plots.plot_estimates(out).axes if ax.axison]
    assert "Frame: joint drills" in titles and "Frame: economy trade" in titles
    labelled = plots.plot_estimates(out, frame_labels=scorer.frames.labels)
    assert "Frame: Joint military drills" in [ax.get_title() for ax in labelled.axes]
    heat = plots.plot_frame_heatmap(out, frame_labels=scorer.frames.labels)
    # long labels are wrapped onto lines (plots.wrap): the words are the frames file's label
    assert [" ".join(t.get_text().split()) for t in heat.axes[0].get_xticklabels()] == ["economy trade",
                                                                                       "Joint military drills"]


def test_scorer_columns_and_dtypes_are_the_registrys(corpus):
    scorer = Scorer()
    assert scorer.columns == registry.column_names(scorer.frame_names)
    scored = score_sentences(corpus.sentences.head(40), scorer)
    want = registry.dtypes(scorer.columns)
    assert {c: str(scored[c].dtype) for c in scorer.columns} == want
    assert registry.frame_names_of(scored.columns) == scorer.frame_names
    assert registry.TARGET in scored.columns


def test_ratio_parts_of_each_kind():
    units = pd.DataFrame({
        "sentiment_compound": [0.5, np.nan, -0.25, 0.0],
        "hedged": [True, False, True, None],
        "hedge_count": [1, 0, 2, 3],
        "n_words": [10, 20, 30, 40],
        "target": [True, True, False, False],
        "frame_war": [0, 2, 1, 0],
    })

    def value(name):
        num, den = registry.measure(name).ratio_parts(units)
        return num.sum() / den.sum()

    assert value("mean_sentiment") == pytest.approx((0.5 - 0.25 + 0.0) / 3)  # a missing score is not a zero
    assert value("share_hedged") == pytest.approx(2 / 4)                      # a missing flag counts as not hedged
    assert value("hedges_per_100w") == pytest.approx(100 * 6 / 100)
    assert value("target_share_hedged") == pytest.approx(1 / 2)
    assert value("target_mean_sentiment") == pytest.approx(0.5)               # the NaN target sentence left out
    assert value("frame_share_war") == pytest.approx(2 / 4)                   # sentences with a cue, not cues
    quotes = pd.DataFrame({"speaker_type": ["Official ", "expert", None, "official"]})
    num, den = registry.measure("speech_share_official").ratio_parts(quotes)
    assert (num.tolist(), den.tolist()) == ([1.0, 0.0, 0.0, 1.0], [1.0, 1.0, 1.0, 1.0])
    assert registry.measure("speech_share_unknown").ratio_parts(quotes)[0].tolist() == [0.0, 0.0, 1.0, 0.0]


def test_lookup_labels_and_order():
    assert [m.name for m in registry.sentence_measures(["b", "a"])][-2:] == ["frame_share_b", "frame_share_a"]
    assert [m.name for m in registry.quote_measures(["zeta", "Expert"])] == (
        [f"speech_share_{t}" for t in registry.SPEAKER_TYPES] + ["speech_share_zeta"])
    assert registry.measure("hedges_per_100w").needs == ("hedge_count", "n_words")
    assert registry.measure("target_share_hedged").needs == ("hedged", registry.TARGET)
    with pytest.raises(KeyError):
        registry.measure("share_sarcastic")
    assert registry.label("frame_share_joint_drills", {"joint_drills": "Drills"}) == (
        "Frame: Drills", "share of sentences with a cue, 0-1")
    assert registry.label("speech_share_media") == ("Quotes: media speakers", "share of quotes, 0-1")
    with pytest.raises(KeyError):
        registry.dtypes(["not_a_column"])


# ----------------------------------------------------------------------------- yes/no columns held otherwise
@pytest.fixture(scope="module")
def seed_scored(raw_dir, pilot_scorer):
    """The seed corpus scored with the pilot's targets (so some sentences are about the target)."""
    c = load_corpus(raw_dir)
    return score_sentences(c.sentences, pilot_scorer), c.articles


def test_yes_no_columns_as_text_or_numbers_give_the_same_estimates(seed_scored):
    s, a = seed_scored
    assert s["hedged"].any() and s["target"].any() and not s["target"].all()
    group_by = "origin_country"
    base = compare_groups(s, a, group_by=group_by, n_boot=20, n_perm=0)
    cols = ["group", "metric", "estimate", "n_units"]
    picked = base["metric"].isin(["share_hedged", "target_share_hedged", "target_mean_sentiment"])
    assert base.loc[picked, "estimate"].notna().any()
    as_text = s.assign(hedged=s["hedged"].map({True: "True", False: "false"}).astype("string"),
                       target=s["target"].map({True: " TRUE", False: "0"}).astype(object))
    as_numbers = s.assign(hedged=s["hedged"].astype("int64"), target=s["target"].astype(float))
    for other in (as_text, as_numbers):
        out = compare_groups(other, a, group_by=group_by, n_boot=20, n_perm=0)
        pd.testing.assert_frame_equal(out.loc[picked, cols], base.loc[picked, cols])
    # the share of hedged sentences, counted by hand from the boolean column
    own = s[s["role"].isin(DEFAULTS["roles"])].merge(a[["article_id", group_by]], on="article_id")
    by_hand = own.groupby(group_by)["hedged"].mean()
    got = base[base["metric"] == "share_hedged"].set_index("group")["estimate"]
    assert got.to_dict() == pytest.approx(by_hand.to_dict())


@pytest.mark.parametrize("column, values", [("target", {True: "yes", False: "no"}), ("target", {True: 2, False: 0}),
                                            ("hedged", {True: "y", False: ""})])
def test_yes_no_columns_holding_anything_else_are_refused(seed_scored, column, values):
    s, a = seed_scored
    bad = s.assign(**{column: s[column].map(values)})
    with pytest.raises(InputError) as err:
        compare_groups(bad, a, group_by="origin_country", n_boot=5, n_perm=0)
    assert f"column {column!r}" in str(err.value) and "Fix:" in str(err.value)
