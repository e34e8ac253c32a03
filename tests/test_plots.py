"""plots: every figure saves PNG + SVG, two saves are byte-identical, axes are labelled, n is shown."""
from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import numpy as np
import pandas as pd
import pytest

from alliance_study import plots
from alliance_study.compare import article_table, compare_groups, keyness, sourcing_by_type
from alliance_study.metrics import registry


#: the synthetic groups' column: any metadata column works (passed explicitly, not the default)
G = "region"


@pytest.fixture(scope="module")
def tables(pilot_scorer):
    """Nine articles in three groups, scored with the pilot's frames and targets."""
    rng = np.random.default_rng(0)
    words = ["alliance", "trade", "military", "sanctions", "partner", "talks", "energy", "bloc"]
    rows = []
    arts = []
    for i in range(9):
        g = ["East", "North", "West"][i % 3]
        arts.append({"article_id": f"a{i}", G: g, "outlet": f"Outlet {i}",
                     "published": ["2020-10-23", "2020-10", "2016", "2019-01-05", None, "2021-03"][i % 6]})
        for k in range(6):
            text = " ".join(rng.choice(words, 6)) + "."
            if k == 0:
                text = "The alliance may be possible."
            rows.append({"article_id": f"a{i}", "sent_id": k, "role": "body", "text": text})
    s = pd.DataFrame(rows)
    from alliance_study.metrics import score_sentences
    s = score_sentences(s, pilot_scorer)
    a = pd.DataFrame(arts)
    q = pd.DataFrame({"article_id": [f"a{i % 9}" for i in range(20)], "speaker": [f"S{i % 4}" for i in range(20)],
                      "speaker_type": [["official", "expert", "media", "anonymous"][i % 4] for i in range(20)],
                      "direct": [i % 2 == 0 for i in range(20)]})
    res = compare_groups(s, a, group_by=G, attributions=q, n_boot=100, n_perm=50)
    return {"s": s, "a": a, "q": q, "res": res, "key": keyness(s, a, group_by=G, min_count=1),
            "by_type": sourcing_by_type(q, a, group_by=G)}


FIGURES = {
    "estimates": lambda t: plots.plot_estimates(t["res"]),
    "hedging_vs_sentiment": lambda t: plots.plot_hedging_vs_sentiment(t["s"], t["a"], group_by=G, label_col="outlet"),
    "keyness": lambda t: plots.plot_keyness(t["key"], top=5),
    "frame_heatmap": lambda t: plots.plot_frame_heatmap(t["res"]),
    "sourcing": lambda t: plots.plot_sourcing(t["by_type"]),
    "target_hedged": lambda t: plots.plot_target_hedged(t["s"], t["a"], group_by=G),
    "timeline": lambda t: plots.plot_timeline(t["a"], group_by=G),
    "sentiment_distribution": lambda t: plots.plot_sentiment_distribution(t["s"].merge(t["a"], on="article_id"),
                                                                          group_by=G),
}


@pytest.mark.parametrize("name", sorted(FIGURES))
def test_figure_saves_byte_identical_and_is_labelled(name, tables, tmp_path):
    fig = FIGURES[name](tables)
    p1 = plots.save(fig, tmp_path / "one" / name)
    fig2 = FIGURES[name](tables)  # rebuilt from scratch: same bytes
    p2 = plots.save(fig2, tmp_path / "two" / name)
    assert [p.suffix for p in p1] == [".png", ".svg"]
    for a, b in zip(p1, p2):
        assert a.stat().st_size > 1000
        assert a.read_bytes() == b.read_bytes(), f"{a.name} differs between runs"
    svg = p1[1].read_text(encoding="utf-8")
    assert "<dc:date>" not in svg
    assert p1[0].read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    visible = [ax for ax in fig.axes if ax.axison and ax.get_label() != "<colorbar>"]
    assert visible
    for ax in visible:  # panels sharing an x axis: labelled once, under the bottom one
        shown = [a.get_xlabel() for a in ax.get_shared_x_axes().get_siblings(ax) if a.xaxis.label.get_visible()]
        assert any(label.strip() for label in shown), f"{name}: unlabeled x axis"
    assert any(ax.get_ylabel().strip() for ax in visible)
    assert any("n = " in t.get_text() for t in fig.texts), f"{name}: no n on the figure"


def test_palette_and_partial_dates():
    assert plots.group_colors(["z", "a", "m"]) == {"a": "#E69F00", "m": "#56B4E9", "z": "#009E73"}
    assert plots.parse_partial_date("2020-10-23") == (pd.Timestamp("2020-10-23"), "day")
    assert plots.parse_partial_date("2016") == (pd.Timestamp("2016-01-01"), "year")
    assert plots.parse_partial_date("unknown") == (None, "none")
    assert plots.parse_partial_date(None) == (None, "none")


def test_small_n_drawn_hollow(tables):
    res = tables["res"].copy()
    res["small_n"] = res["group"].eq("East")
    fig = plots.plot_estimates(res, metrics=["share_hedged"])
    ax = fig.axes[0]
    faces = [line.get_markerfacecolor() for line in ax.lines if line.get_marker() == "o"]
    assert "white" in faces and len(set(faces)) == 3


def test_titles_and_units_are_the_registrys(tables):
    res = tables["res"]
    fig = plots.plot_estimates(res)
    nonzero = res.loc[res["estimate"].fillna(1).ne(0), "metric"]
    metrics = [m for m in dict.fromkeys(res["metric"]) if m in set(nonzero)]  # all-zero ones are left out
    shown = [(ax.get_title(), ax.get_xlabel()) for ax in fig.axes if ax.axison]
    assert shown == [registry.label(m) for m in metrics]
    assert ("Hedged target sentences", "share of target sentences, 0-1") in shown
    assert ("Quotes: official speakers", "share of quotes, 0-1") in shown
    # a frame label from the frames lexicon replaces the name
    fig = plots.plot_estimates(res, metrics=["frame_share_economy_trade"], frame_labels={"economy_trade": "Trade"})
    assert fig.axes[0].get_title() == "Frame: Trade"


def test_hedging_vs_sentiment_points_are_the_article_measures(tables):
    fig = plots.plot_hedging_vs_sentiment(tables["s"], tables["a"], group_by=G)
    points = np.vstack([c.get_offsets() for c in fig.axes[0].collections])
    per = article_table(tables["s"], tables["a"], group_by=G, measures=["hedges_per_100w", "mean_sentiment"])
    assert len(points) == len(per) == 9
    assert sorted(map(tuple, points)) == sorted(zip(per["hedges_per_100w"], per["mean_sentiment"]))
    # the article's own sentences: hedges per 100 words recomputed by hand for one article
    s = tables["s"][tables["s"]["article_id"] == "a0"]
    r = per.set_index("article_id").loc["a0"]
    assert r["hedges_per_100w"] == pytest.approx(100 * s["hedge_count"].sum() / s["n_words"].sum())
    assert r["mean_sentiment"] == pytest.approx(s["sentiment_compound"].mean())


def test_target_hedged_counts(tables):
    s, a = tables["s"], tables["a"]
    fig = plots.plot_target_hedged(s, a, group_by=G)
    ax = fig.axes[0]
    about = s[s["target"]].merge(a[["article_id", G]], on="article_id")
    assert len(about) >= 9  # "The alliance may be possible." opens every article
    hedged = about[about["hedged"]].groupby(G).size()
    widths = [p.get_width() for p in ax.patches[:3]]  # first the hedged bars, one per group (sorted)
    assert widths == hedged.reindex(sorted(a[G].unique()), fill_value=0).tolist()
    assert any(f"n = {len(about)} target sentences" in t.get_text() for t in fig.texts)


# ------------------------------------------------------------------ drawn once, reused (report.show_figure)
@pytest.mark.parametrize("name", sorted(FIGURES))
def test_fingerprint_is_the_inputs_and_is_dropped_by_a_change(name, tables):
    a, b = FIGURES[name](tables), FIGURES[name](tables)
    assert plots.fingerprint(a) is not None and plots.fingerprint(a) == plots.fingerprint(b)
    b.axes[0].set_title("changed after the plot function")
    assert plots.fingerprint(b) is None  # a changed figure is drawn again, never taken from the cache


def test_fingerprint_changes_with_the_data_and_the_settings(tables):
    res = tables["res"]
    base = plots.fingerprint(plots.plot_estimates(res))
    other = res.assign(ci_high=res["ci_high"] + 1e-12)  # below any printed precision
    assert plots.fingerprint(plots.plot_estimates(other)) != base
    assert plots.fingerprint(plots.plot_estimates(res, ncols=2)) != base
    with matplotlib.rc_context({"lines.linewidth": 3.0}):
        assert plots.fingerprint(plots.plot_estimates(res)) != base


def test_show_figure_reuses_the_drawn_files_only_for_an_unchanged_figure(tables, tmp_path, monkeypatch):
    from alliance_study.report import show_figure

    monkeypatch.setenv("ALLIANCE_STUDY_CACHE", str(tmp_path / "cache"))
    draws, real = [], plots.save

    def spy(fig, stem, formats=("png", "svg"), **kw):
        draws.append(stem.name)
        return real(fig, stem, formats=formats, **kw)

    monkeypatch.setattr(plots, "save", spy)
    ref = real(FIGURES["keyness"](tables), tmp_path / "ref" / "k")
    for run in ("first", "second"):
        show_figure(FIGURES["keyness"](tables), "k", tmp_path / run)
        for p in ref:
            assert (tmp_path / run / p.name).read_bytes() == p.read_bytes(), (run, p.name)
    assert draws == ["k"]  # drawn once; the second figure (same inputs) came from the cache
    changed = FIGURES["keyness"](tables)
    changed.axes[0].set_title("changed")
    show_figure(changed, "k", tmp_path / "third")
    assert draws == ["k", "k"]
    assert (tmp_path / "third" / "k.png").read_bytes() != ref[0].read_bytes()
    assert (tmp_path / "third" / "k.svg").read_bytes() == real(changed, tmp_path / "ref2" / "k")[1].read_bytes()


def test_timeline_leaves_out_articles_with_no_group_and_says_so(tables):
    """A blank group value (missing or spaces, in a pandas str column) has no lane: it is counted
    in the caption, as the build's note says it is left out of the comparison."""
    a = tables["a"].copy()
    a[G] = a[G].astype("str")
    a.loc[[0, 4], G] = None
    a.loc[5, G] = "  "
    fig = plots.plot_timeline(a, group_by=G)
    ax = fig.axes[0]
    assert [t.get_text().split("\n")[0] for t in ax.get_yticklabels()] == ["East (n=2)", "North (n=2)", "West (n=2)"]
    caption = " ".join(t.get_text() for t in fig.texts)
    assert f"n = {len(a)} articles" in caption and f"3 with no {G} (not shown)" in caption


def test_a_dollar_sign_in_a_group_name_is_text_not_math(tables):
    """matplotlib reads text between two "$" as TeX math: an unknown command in it could not even be drawn."""
    import io

    a = tables["a"].copy()
    a[G] = a[G].astype(str).replace({"East": r"Paper $\x Daily$"})
    fig = plots.plot_timeline(a, group_by=G)
    buf = io.BytesIO()
    fig.savefig(buf, format="png")  # raised ValueError (mathtext) before
    assert buf.getvalue()[:4] == b"\x89PNG"
    assert any(r"Paper $\x Daily$" in t.get_text() for t in fig.axes[0].get_yticklabels())


@pytest.mark.parametrize("codes", [{"East": 10, "North": 2, "West": 1}, {"East": "10", "North": "2", "West": "1"},
                                   {"East": "Desk 10", "North": "Desk 2", "West": "Desk 1"}])
def test_numbered_groups_are_in_numeric_order(tables, codes):
    """Outlet codes or desk numbers as groups: 1, 2, 10 (by value), in the tables and in the figures."""
    a = tables["a"].assign(**{G: tables["a"][G].map(codes)})
    want = [str(v) for v in sorted(codes.values(), key=lambda v: int(str(v).split()[-1]))]
    res = compare_groups(tables["s"], a, group_by=G, attributions=tables["q"], n_boot=20, n_perm=0)
    assert [str(g) for g in dict.fromkeys(res["group"])] == want
    key = keyness(tables["s"], a, group_by=G, min_count=1)
    assert [str(g) for g in dict.fromkeys(key["group"])] == want
    by_type = sourcing_by_type(tables["q"], a, group_by=G)
    assert [str(g) for g in dict.fromkeys(by_type["group"])] == want
    lanes = [t.get_text().split("\n")[0].split(" (n=")[0] for t in plots.plot_timeline(a, group_by=G).axes[0].get_yticklabels()]
    assert lanes == want
    rows = [t.get_text().split(" (n=")[0] for t in plots.plot_estimates(res).axes[0].get_yticklabels()]
    assert rows == want
    assert list(plots.group_colors(want)) == want


def test_estimates_leave_out_a_measure_that_is_zero_everywhere_and_say_so(tables):
    """No reader was quoted in any group: that panel would be three dots at 0; the caption names it instead."""
    res = tables["res"]
    assert set(res.loc[res["metric"] == "speech_share_reader", "estimate"]) == {0.0}
    fig = plots.plot_estimates(res)
    titles = [ax.get_title() for ax in fig.axes if ax.get_title()]
    assert "Quotes: reader speakers" not in titles and "Quotes: official speakers" in titles
    caption = " ".join(t.get_text() for t in fig.texts).replace("\n", " ")
    assert "Not shown, 0 in every group: " in caption
    assert "Quotes: reader speakers" in caption.split("Not shown, 0 in every group: ")[1]
    asked = plots.plot_estimates(res, metrics=["speech_share_reader"])  # asked for by name: drawn
    assert [ax.get_title() for ax in asked.axes] == ["Quotes: reader speakers"]


def test_estimates_caption_says_the_level_of_the_intervals(tables):
    """The caption names the level the intervals were computed at, not a fixed 95%."""
    def caption(fig):
        return " ".join(t.get_text() for t in fig.texts).replace("\n", " ")

    res90 = compare_groups(tables["s"], tables["a"], group_by=G, n_boot=50, n_perm=0, level=0.9)
    assert "bars: 90% cluster-bootstrap intervals" in caption(plots.plot_estimates(res90, level=0.9))
    assert "95%" not in caption(plots.plot_estimates(res90, level=0.9))
    assert "bars: 95% cluster-bootstrap intervals" in caption(plots.plot_estimates(tables["res"]))  # the default
    assert "bars: 97.5% cluster-bootstrap" in caption(plots.plot_estimates(tables["res"], level=0.975))
    from alliance_study.errors import InputError
    with pytest.raises(InputError, match="level.*Fix:"):
        plots.plot_estimates(tables["res"], level=95)


def test_target_hedged_names_the_rest_not_hedged(tables):
    """The other bars are the sentences the hedging model does not call hedged (some hold a hedge cue):
    not hedged, never "assertive (no hedge)"."""
    s, a = tables["s"], tables["a"]
    fig = plots.plot_target_hedged(s, a, group_by=G)
    assert [t.get_text() for t in fig.axes[0].get_legend().get_texts()] == ["hedged", "not hedged"]
    about = s[s["target"]].merge(a[["article_id", G]], on="article_id")
    rest = about[~about["hedged"]].groupby(G).size().reindex(sorted(a[G].unique()), fill_value=0)
    assert [p.get_width() for p in fig.axes[0].patches[3:6]] == rest.tolist()


def test_sentiment_distribution_one_panel_per_group_in_the_groups_colours(tables):
    """Five groups stay readable: a panel per group, same axes, each in the colour the group has everywhere."""
    s = tables["s"].merge(tables["a"][["article_id", "outlet"]], on="article_id")
    s = s[s["outlet"].isin([f"Outlet {i}" for i in range(5)])]
    fig = plots.plot_sentiment_distribution(s, group_by="outlet")
    groups = [f"Outlet {i}" for i in range(5)]
    colors = plots.group_colors(groups)
    assert [ax.get_title(loc="left").split(" (n=")[0] for ax in fig.axes] == groups
    for ax, g in zip(fig.axes, groups):
        assert {matplotlib.colors.to_hex(p.get_facecolor()) for p in ax.patches} == {colors[g].lower()}
        assert ax.get_xlim() == fig.axes[0].get_xlim() and ax.get_ylim() == fig.axes[0].get_ylim()
        assert sum(p.get_height() for p in ax.patches) == pytest.approx(1.0)
        assert f"(n={int((s['outlet'] == g).sum())} sent.)" in ax.get_title(loc="left")
    assert all(p.get_alpha() in (None, 1) for ax in fig.axes for p in ax.patches)  # no translucent layers


def test_keyness_line_is_the_threshold_named(tables):
    fig = plots.plot_keyness(tables["key"], top=5)
    dashed = {line.get_xdata()[0] for ax in fig.axes for line in ax.lines if line.get_linestyle() == "--"}
    assert dashed == {plots.KEYNESS_Z}
    assert f"z = {plots.KEYNESS_Z}" in " ".join(t.get_text() for t in fig.texts)
