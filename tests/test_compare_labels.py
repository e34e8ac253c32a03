"""Group labels and what the comparison tables and figures count, on the seed corpus: a numeric
group column with a blank, articles left out of a comparison, groups nobody is quoted in,
quotes without a speaker, and the target figure's article counts."""
from __future__ import annotations

import warnings

import matplotlib

matplotlib.use("Agg")

import numpy as np
import pandas as pd
import pytest

from alliance_study import plots
from alliance_study.compare import compare_groups, finalize, merge_partials, partials, sourcing_by_type
from alliance_study.compare.sources import UNNAMED
from alliance_study.defaults import ROLES


@pytest.fixture(scope="module")
def seed(pilot_scored):
    return pilot_scored.sentences, pilot_scored.articles, pilot_scored.sources


def _years(a: pd.DataFrame) -> pd.DataFrame:
    """A numeric grouping column with one blank (read from a file, it would be floats)."""
    years = [2019.0, 2019.0, 2020.0, np.nan, 2020.0] + [2021.0] * (len(a) - 5)
    return a.assign(year=years[:len(a)])


def test_a_numeric_group_column_with_a_blank_labels_whole_years_and_warns_of_what_it_leaves_out(seed):
    s, a, _ = seed
    a = _years(a)
    assert a["year"].dtype == float
    with pytest.warns(UserWarning, match=r"1 article\(s\) have .*'year'.*left out.*Fix") as got:
        out = compare_groups(s, a, group_by="year", n_boot=20, n_perm=0)
    assert str(a.loc[a["year"].isna(), "article_id"].iloc[0]) in str(got[0].message)
    assert sorted(out["group"].unique()) == ["2019", "2020"]
    # the articles behind each label are those of that year
    n = out.drop_duplicates("group").set_index("group")["n_articles"]
    assert n.to_dict() == a.dropna(subset=["year"]).groupby("year").size().rename(lambda y: str(int(y))).to_dict()


def test_articles_missing_from_the_articles_table_are_counted_in_a_warning(seed):
    s, a, _ = seed
    with pytest.warns(UserWarning, match=r"2 article\(s\) have no row in the articles table"):
        out = compare_groups(s, a.iloc[2:], group_by="origin_country", n_boot=20, n_perm=0)
    assert out["n_articles"].drop_duplicates().sum() <= len(a) - 2
    with warnings.catch_warnings():
        warnings.simplefilter("error")   # every article has its group: nothing to say
        compare_groups(s, a, group_by="origin_country", n_boot=20, n_perm=0)


def test_sourcing_by_type_lists_groups_nobody_is_quoted_in_and_does_not_count_unnamed_as_a_speaker(seed):
    s, a, q = seed
    g = "origin_country"
    assert len(q) and q["article_id"].isin(a["article_id"]).all()
    quiet = a.loc[0, g]  # nobody in this group's articles is quoted
    q2 = q[~q["article_id"].isin(a.loc[a[g] == quiet, "article_id"])].copy()
    q2.loc[q2.index[:3], "speaker"] = ""   # three quotes without a speaker
    bt = sourcing_by_type(q2, a, group_by=g)
    assert quiet in set(bt["group"])
    zero = bt[bt["group"] == quiet]
    assert (zero[["n_quotes", "n_speakers", "n_articles"]] == 0).all().all() and zero["share_of_group"].isna().all()
    # n_speakers: distinct named speakers per group and type, counted by hand
    kept = q2.merge(a[["article_id", g]], on="article_id")
    kept = kept[kept["role"].isin(ROLES)] if "role" in kept else kept
    speaker = kept["speaker"].fillna("").astype(str).str.strip()
    kind = kept["speaker_type"].fillna("unknown").astype(str).str.strip().str.lower()
    named = kept[speaker.ne("")].assign(_s=speaker, _t=kind)
    want = named.groupby([g, "_t"])["_s"].nunique()
    got = bt[bt["n_speakers"] > 0].set_index(["group", "speaker_type"])["n_speakers"]
    assert got.to_dict() == {k: v for k, v in want.to_dict().items()}
    assert (speaker.eq("") | speaker.eq(UNNAMED)).sum() >= 3
    # the build's path (partials merged, then finalize) gives the same table, blank groups left out silently
    merged = merge_partials([partials(s, a, q2, group_by=g, roles=ROLES, seed=7)])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        built = finalize(merged, a[["article_id", g]], n_boot=10, n_perm=0)["sourcing_by_type"]
    pd.testing.assert_frame_equal(built.reset_index(drop=True), bt.reset_index(drop=True), check_dtype=False)


def test_target_figure_labels_say_which_articles_they_count(seed):
    s, a, _ = seed
    g = "origin_country"
    first = a.loc[a[g] == a.loc[0, g], "article_id"].iloc[0]
    s2 = s.assign(target=s["target"] & s["article_id"].ne(first))   # one article with no target sentence
    fig = plots.plot_target_hedged(s2, a, group_by=g, roles=ROLES)
    labels = {t.get_text().split("\n")[0].split(" (")[0]: t.get_text().replace("\n", " ")
              for t in fig.axes[0].get_yticklabels()}
    own = s2[s2["role"].isin(ROLES)].merge(a[["article_id", g]], on="article_id")
    for group, rows in own.groupby(g):
        n_all = rows["article_id"].nunique()
        n_with = rows.loc[rows["target"], "article_id"].nunique()
        assert labels[group].endswith(f"({n_with} of {n_all} art.)"), labels[group]
    assert any(" of " in t.get_text() and "with a target sentence" in t.get_text() for t in fig.texts)


def test_figures_label_a_numeric_group_as_the_tables_do(seed):
    s, a, _ = seed
    a = _years(a)
    fig = plots.plot_timeline(a, group_by="year")
    shown = [t.get_text().split(" (")[0] for ax in fig.axes for t in ax.get_yticklabels() if t.get_text()]
    assert shown == ["2019", "2020"]
    own = s.merge(a[["article_id", "year"]], on="article_id")
    titles = [ax.get_title(loc="left").split(" (")[0] for ax in plots.plot_sentiment_distribution(own, group_by="year").axes
              if ax.get_title(loc="left")]
    assert titles == ["2019", "2020"]


def test_finalize_leaves_blank_groups_to_its_caller_and_says_nothing_twice(seed):
    s, a, q = seed
    a = _years(a)
    merged = merge_partials([partials(s, a, q, group_by="year", roles=ROLES, seed=7)])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        t = finalize(merged, a[["article_id", "year"]], n_boot=10, n_perm=0)
    assert sorted(t["group_comparison"]["group"].unique()) == ["2019", "2020"]
    with pytest.warns(UserWarning, match=r"1 article\(s\) have .*'year'"):   # the library call itself does say it
        compare_groups(merged.article_measures, a, group_by="year", n_boot=10, n_perm=0)
