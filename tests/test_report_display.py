"""Notebook helpers (alliance_study.report.display) and the sentiment histogram of plots, on the seed corpus."""
from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest
from matplotlib.colors import to_rgb

import alliance_study as als
from alliance_study.plots import group_colors, plot_sentiment_distribution
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


def test_sentiment_distribution_one_panel_per_group(own):
    fig = plot_sentiment_distribution(own, group_by="origin_country")
    groups = sorted(own["origin_country"].dropna().unique())
    labels = [ax.get_title(loc="left") for ax in fig.axes]
    assert labels == [f"{g} (n={int((own['origin_country'] == g).sum())} sent.)" for g in groups]
    for ax, g in zip(fig.axes, groups):  # each panel: the share of its group's sentences per bin
        values = own.loc[own["origin_country"] == g, "sentiment_compound"]
        counts, _ = np.histogram(values, bins=20, range=(-1, 1))
        assert [p.get_height() for p in ax.patches] == pytest.approx(list(counts / len(values)))
        assert ax.patches[0].get_facecolor()[:3] == to_rgb(group_colors(groups)[g])  # the colour of every figure


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


def test_the_packages_errors_show_in_a_notebook_as_their_message_not_a_traceback(tmp_path, capsys):
    """A bad parameter in a notebook showed a 42-line traceback through load_tables with the message
    at the bottom; it is now the message alone (other exceptions keep their traceback: bugs)."""
    from IPython.core.interactiveshell import InteractiveShell

    from alliance_study.report import short_errors

    shell = InteractiveShell.instance()
    try:
        assert short_errors(shell=shell)
        shell.run_cell("from alliance_study.report import process_corpus\n"
                       f"process_corpus('{tmp_path}', '{tmp_path / 'p'}', n_boot='abc')")
        out = capsys.readouterr().out
        assert out.strip().splitlines() == ["ParameterError: parameter: parameter 'n_boot' must be int (default "
                                            "2000); got 'abc': not a whole number. Fix: give a value of that type."]
        shell.run_cell("{}['missing']")  # a bug keeps its traceback
        assert "Traceback" in capsys.readouterr().out
        short_errors(False, shell=shell)
        shell.run_cell(f"process_corpus('{tmp_path}', '{tmp_path / 'p'}', n_boot='abc')")
        assert "Traceback" in capsys.readouterr().out
    finally:
        short_errors(False, shell=shell)
        InteractiveShell.clear_instance()


def test_load_tables_turns_short_errors_on_in_a_kernel_that_imported_the_package_before_it_had_a_shell(capsys):
    """The build's kernels are forked from a helper that imported alliance_study.report with no shell: the
    handler registered at import was never there, so a notebook's first load_tables registers it."""
    from IPython.core.interactiveshell import InteractiveShell

    from alliance_study.report import short_errors

    shell = InteractiveShell.instance()
    try:
        short_errors(False, shell=shell)  # as in the forked kernel: nothing registered
        shell.run_cell("from alliance_study.report import load_tables\n"
                       "load_tables('/nonexistent/study.yaml', '/nonexistent/processed')")
        out = capsys.readouterr().out
        assert out.startswith("StudyError: 1 problem in the study file /nonexistent/study.yaml") and "Traceback" not in out
    finally:
        short_errors(False, shell=shell)
        InteractiveShell.clear_instance()


# ----------------------------------------------------------------------------- tables: p-values, rows left out
@pytest.fixture(scope="module")
def comparison(own):
    return als.compare_groups(own, group_by="origin_country", n_boot=50, n_perm=50)


def _cells(markup: str, column: str) -> list[str]:
    header = re.findall(r"<th>([^<]*)</th>", markup)
    rows = re.findall(r"<tr>\s*(<td>.*?)</tr>", markup, flags=re.S)
    return [re.findall(r"<td>(.*?)</td>", r, flags=re.S)[header.index(column)] for r in rows]


def test_long_table_says_how_many_rows_it_leaves_out_and_where_they_are(comparison):
    from alliance_study.report.display import table_html

    n = len(comparison)
    assert n > 20
    h = table_html(comparison, max_rows=20, source="group_comparison.csv")
    assert len(re.findall(r"<tr>\s*<td>", h)) == 20
    assert h.endswith(f"<p>Showing the first 20 of {n:,} rows; all rows in group_comparison.csv.</p>")
    assert _cells(h, "metric") == comparison["metric"].head(20).tolist()   # the first rows, in order
    whole = table_html(comparison, max_rows=n)
    assert "Showing" not in whole and len(re.findall(r"<tr>\s*<td>", whole)) == n


def test_p_values_are_never_printed_as_zero(comparison):
    from alliance_study.report.display import table_html

    assert comparison["p_value"].notna().any()
    shown = _cells(table_html(comparison, max_rows=None), "p_value")
    for p, cell in zip(comparison["p_value"], shown):
        assert cell == ("" if np.isnan(p) else f"{p:.3f}")   # 50 permutations: p >= 1/51, three decimals
    # the smallest p of 2000 permutations, 1/2001, is below 0.001: not "0.000"
    tiny = comparison.head(3).assign(p_value=[1 / 2001, 0.0123, np.nan])
    cells = _cells(table_html(tiny), "p_value")
    assert cells == ["&lt;0.001", "0.012", ""]
    assert _cells(table_html(tiny), "estimate") == [f"{x:.3f}" for x in tiny["estimate"]]  # other floats as before
