"""Figures with one mark per article or sentence: hedging vs sentiment, timeline, sentiment distribution.

Above ``MAX_POINTS`` articles a fixed-seed sample per group is drawn, and the figure says so.
"""
from __future__ import annotations

import re
from typing import Sequence

from matplotlib import dates as mdates
import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from ..compare import article_table, group_labels
from ..compare.aggregates import READERS_COLUMN, measure_parts
from ..compare.partials import sample_keys
from ..defaults import GROUP_BY, ROLES, SEED
from ..errors import InputError
from ..metrics.registry import label, measure
from ..text import group_order, natural_sorted


from ._style import (_empty, _n_text, chars_per_inch, fingerprinted, group_colors, style, text_inches,
                     text_lines, wrap)

MAX_POINTS = 2000


def _is_article_measures(table: pd.DataFrame) -> bool:
    """The per-article sums of :func:`alliance_study.compare.article_measures` (no sentence text)."""
    return {"article_id", "n_sentences"} <= set(table.columns) and not {"text", "hedged"} & set(table.columns)


def _article_table(table: pd.DataFrame, articles: pd.DataFrame | None, group_by: str,
                   roles: Sequence[str] | None, names: Sequence[str], parts: bool = False) -> pd.DataFrame:
    """Per-article values of the registry measures ``names`` (and with ``parts`` their
    ``<m>_numerator`` / ``<m>_denominator``), as :func:`alliance_study.compare.article_table`
    gives them: from a sentence table, or from the sums of an article measures table
    (:func:`alliance_study.compare.article_measures`, its groups joined from ``articles``;
    articles without sentences and rows of reader comments left out, as from sentences)."""
    if not _is_article_measures(table):
        return article_table(table, articles, group_by, roles, measures=list(names), parts=parts)
    if articles is None or group_by not in articles.columns:
        raise InputError(f"an article measures table has no groups: pass the articles table with the "
                         f"column {group_by!r}. Fix: plot_...(article_measures, articles, group_by=...).")
    made_with = table.attrs.get("roles", "unknown")
    if made_with != "unknown" and made_with != (None if roles is None else sorted(map(str, roles))):
        raise InputError(f"the article measures were computed with roles={made_with!r}, the figure asks for "
                         f"roles={roles!r}. Fix: pass the roles of the table (tables.params['roles']).")
    t = table[(table["n_sentences"] > 0).to_numpy()]
    if READERS_COLUMN in t.columns:
        t = t[(t[READERS_COLUMN] == 0).to_numpy()]
    groups = articles.drop_duplicates("article_id").set_index("article_id")[group_by]
    t = t.assign(group=t["article_id"].map(groups))
    t = t[t["group"].notna()].assign(group=lambda x: x["group"].astype(str))
    t = t.sort_values(["group", "article_id"], key=group_order(t), kind="mergesort").reset_index(drop=True)
    out = t[["group", "article_id", "n_sentences", "n_words"]].copy()
    for name in names:
        p = measure_parts(measure(name))
        N = t[p.num].to_numpy(dtype=float)
        D = t[p.den].to_numpy(dtype=float)
        with np.errstate(invalid="ignore", divide="ignore"):
            out[name] = np.where(D > 0, N / D, np.nan)
        if parts:
            out[f"{name}_numerator"], out[f"{name}_denominator"] = N, D
    return out


def _sample_articles(per: pd.DataFrame, max_points: int, seed: int, by: str = "group") -> pd.DataFrame:
    """At most about ``max_points`` articles, each group's share kept (at least 50 per group, or all):
    the ones with the smallest keys of ``(seed, article_id)`` (same draw every run)."""
    sizes = per.groupby(by).size()
    quota = np.maximum(np.minimum(sizes, 50), np.floor(max_points * sizes / sizes.sum())).astype(int)
    keyed = per.assign(_key=sample_keys(seed, per["article_id"]))
    keyed = keyed.sort_values([by, "_key", "article_id"], kind="mergesort")
    keep = keyed.groupby(by, sort=False).cumcount() < keyed[by].map(quota)
    return keyed[keep].drop(columns="_key").sort_index(kind="mergesort")


@fingerprinted
def plot_hedging_vs_sentiment(sentences: pd.DataFrame, articles: pd.DataFrame | None = None,
                              group_by: str = GROUP_BY, roles: Sequence[str] | None = ROLES,
                              label_col: str | None = None, *, max_points: int = MAX_POINTS,
                              seed: int = SEED) -> Figure:
    """One point per article: hedges per 100 words against mean sentiment, coloured by group.

    Both values are the registry's measures ``hedges_per_100w`` and ``mean_sentiment``
    over the article's sentences (:func:`alliance_study.compare.article_table`).
    ``sentences`` is the sentence table, or the article measures of a corpus processed
    in partitions (:func:`alliance_study.compare.article_measures`: same points).

    Marker area grows with the article's word count. ``label_col`` (a column of
    ``articles``) writes a label beside each point -- useful for small corpora only.
    With more than ``max_points`` articles a fixed-seed random sample of about
    ``max_points`` is drawn (every group's share kept, at least 50 per group), without
    labels, and the figure says so.
    """
    with style():
        per = _article_table(sentences, articles, group_by, roles, ["mean_sentiment", "hedges_per_100w"])
        # the legend (group names from the study, wrapped) sits right of the axes, never over the points
        legend_w = text_inches([wrap(g, 36, tail="(n=00000 of 00000)") for g in per["group"].unique()]) + 0.6
        fig = Figure(figsize=(5.0 + legend_w, 4.4))
        if per.empty:
            return _empty(fig, "no articles")
        ax = fig.add_subplot()
        colors = group_colors(per["group"])
        size = 12 + 60 * np.sqrt(per["n_words"] / max(per["n_words"].max(), 1))
        sampled = len(per) > max_points
        shown = _sample_articles(per, max_points, seed) if sampled else per
        for g in sorted(colors):
            d = shown[shown["group"] == g]
            n_g = int((per["group"] == g).sum())
            ax.scatter(d["hedges_per_100w"], d["mean_sentiment"], s=size[d.index], color=colors[g],
                       alpha=0.5 if sampled else 0.8, edgecolor="white", linewidth=0.5,
                       label=wrap(g, 36, tail=f"(n={len(d)} of {n_g})" if sampled else f"(n={len(d)})"))
        if label_col and articles is not None and label_col in articles.columns and not sampled:
            lab = articles.drop_duplicates("article_id").set_index("article_id")[label_col]
            for _, r in per.iterrows():
                ax.annotate(str(lab.get(r["article_id"], "")), (r["hedges_per_100w"], r["mean_sentiment"]),
                            xytext=(4, 3), textcoords="offset points", fontsize=7)
        ax.axhline(0, color="#888888", lw=0.8)
        ax.set_xlabel("hedges per 100 words (per article)")
        ax.set_ylabel("mean sentiment (VADER compound, -1 to 1)")
        ax.legend(title=wrap(group_by), loc="upper left", bbox_to_anchor=(1.02, 1))
        note = (f"\nShown: a random sample of {len(shown)} articles (fixed seed {seed}; each group's share kept)."
                if sampled else "")
        _n_text(fig, f"n = {len(per)} articles, {int(per['n_sentences'].sum())} sentences; "
                     "marker area ~ article length." + note)
        fig.tight_layout(rect=(0, 0.08 if sampled else 0.04, 1, 1))
    return fig


_DATE = re.compile(r"^\s*(\d{4})(?:-(\d{1,2}))?(?:-(\d{1,2}))?")


def parse_partial_date(value: object) -> tuple[pd.Timestamp | None, str]:
    """An ISO (partial) date -> (start of its period, precision ``day|month|year|none``).

    >>> parse_partial_date("2016-07")
    (Timestamp('2016-07-01 00:00:00'), 'month')
    """
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return None, "none"
    m = _DATE.match(str(value))
    if not m:
        return None, "none"
    y, mo, d = m.group(1), m.group(2), m.group(3)
    try:
        return pd.Timestamp(int(y), int(mo or 1), int(d or 1)), ("day" if d else "month" if mo else "year")
    except ValueError:
        return None, "none"


@fingerprinted
def plot_timeline(articles: pd.DataFrame, group_by: str = GROUP_BY, date_col: str = "published",
                  label_col: str | None = "outlet", *, max_points: int = MAX_POINTS, seed: int = SEED) -> Figure:
    """Articles on a timeline by publication date, one lane per group.

    Partial dates are placed at the start of their period (``2016-07`` -> 1 July 2016)
    and drawn hollow with a bar spanning the period, so their imprecision is visible;
    undated articles and articles with no group are counted in the caption.  With more than ``max_points`` dated
    articles a fixed-seed random sample of about ``max_points`` is drawn (each group's
    share kept, at least 50 per group), without labels, and the caption says so.
    """
    with style():
        a = articles.copy()
        n_all = len(a)
        if group_by in a.columns:  # articles with no group have no lane: counted in the caption
            a = a[a[group_by].notna() & (a[group_by].astype(str).str.strip() != "")].copy()
        n_no_group = n_all - len(a)
        parsed = [parse_partial_date(v) for v in a[date_col]] if date_col in a.columns else [(None, "none")] * len(a)
        a["_date"] = [p[0] for p in parsed]
        a["_prec"] = [p[1] for p in parsed]
        a["_group"] = group_labels(a[group_by]) if group_by in a.columns else "all"  # as the tables write them
        dated = a[a["_prec"] != "none"].sort_values(["_group", "_date", "article_id"], kind="mergesort")
        groups = natural_sorted(a["_group"].unique())
        colors = group_colors(groups)
        ylabels = [wrap(g, tail=f"(n={int((a['_group'] == g).sum())})") for g in groups]
        # group names (wrapped) on the left, the legend of date precision on the right
        fig = Figure(figsize=(5.0 + text_inches(ylabels) + 2.3,
                              0.3 * max(text_lines(ylabels), 2) + 0.25 * len(groups) + 1.6))
        if dated.empty:
            return _empty(fig, "no dated articles")
        ax = fig.add_subplot()
        lane = {g: i for i, g in enumerate(groups)}
        sampled = len(dated) > max_points
        shown = _sample_articles(dated, max_points, seed, by="_group") if sampled else dated
        for _, r in shown.iterrows():
            y = lane[r["_group"]]
            x = mdates.date2num(r["_date"].to_pydatetime())
            approx = r["_prec"] != "day"
            if approx:
                end = r["_date"] + (pd.offsets.MonthBegin(1) if r["_prec"] == "month" else pd.offsets.YearBegin(1))
                ax.plot([x, mdates.date2num(end.to_pydatetime())], [y, y], color=colors[r["_group"]], lw=3, alpha=0.35,
                        solid_capstyle="butt")
            ax.plot([x], [y], "o", ms=7, color=colors[r["_group"]], mfc="white" if approx else colors[r["_group"]])
            if label_col and label_col in dated.columns and pd.notna(r[label_col]) and not sampled:
                ax.annotate(str(r[label_col]), (x, y), xytext=(0, 7), textcoords="offset points", fontsize=7,
                            ha="center", rotation=20)
        loc = mdates.AutoDateLocator()
        ax.xaxis.set_major_locator(loc)
        ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(loc))
        ax.set_yticks(range(len(groups)), ylabels)
        ax.set_ylim(-0.7, len(groups) - 0.3)
        ax.invert_yaxis()
        ax.set_xlabel("publication date")
        ax.set_ylabel("group (articles)")
        handles = [Line2D([], [], marker="o", ls="", color="#444444", label="exact date"),
                   Line2D([], [], marker="o", ls="", color="#444444", mfc="white",
                          label="approximate: start\nof month/year"),
                   Patch(color="#444444", alpha=0.35, label="period of an\napproximate date")]
        ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.02, 1))
        n_approx = int((dated["_prec"] != "day").sum())
        n_none = int(len(a) - len(dated))
        note = (f"\nShown: a random sample of {len(shown)} of the {len(dated)} dated articles (fixed seed {seed}; "
                "each group's share kept)." if sampled else "")
        no_group = f"; {n_no_group} with no {group_by} (not shown)" if n_no_group else ""
        _n_text(fig, f"n = {n_all} articles; {n_approx} with approximate dates; {n_none} undated (not shown)"
                     f"{no_group}." + note)
        fig.tight_layout(rect=(0, 0.09 if sampled else 0.05, 1, 1))
    return fig


#: x-axis label of the sentence columns the sentiment histogram is usually drawn for
_SENTENCE_SCALES = {"sentiment_compound": "VADER compound score per sentence",
                    "sentiment_news": "news tone per sentence (sentiment_news)"}


@fingerprinted
def plot_sentiment_distribution(sentences: pd.DataFrame, group_by: str = GROUP_BY,
                                column: str = "sentiment_compound", bins: int = 20) -> Figure:
    """Histogram of sentence sentiment: one row per group (sorted), the same axes, each in its group's colour.

    Each group has a small panel of its own, one under the other, sharing the x axis
    (-1 to 1) and the y axis (share of the group's sentences per bin), so the shapes can be
    compared however many groups there are and however different their sizes; the colours
    are the groups' colours in every other figure (:func:`group_colors`), and each panel's
    title gives the group and its number of sentences (``n=...``, or ``sample of k of N``).

    ``sentences`` must already carry the ``group_by`` column (e.g. merged from the articles),
    or be the fixed-seed sentence sample of a corpus processed in partitions
    (:func:`alliance_study.compare.partials`, groups in ``group``): where the sample holds
    only part of a group its title says so and the note under the axes says
    the histogram is of a random sample.

    >>> s = pd.DataFrame({"g": ["a", "a", "b"], "sentiment_compound": [-0.5, 0.2, 0.9]})
    >>> fig = plot_sentiment_distribution(s, group_by="g")
    >>> [ax.get_title(loc="left") for ax in fig.axes]
    ['a (n=2 sent.)', 'b (n=1 sent.)']
    >>> [round(float(sum(p.get_height() for p in ax.patches)), 6) for ax in fig.axes]
    [1.0, 1.0]
    """
    if group_by not in sentences.columns and "group_sentences" in sentences.columns:
        group_by = "group"  # the sentence sample names its groups ``group``
    named = sentences[sentences[group_by].notna()]
    names = group_labels(named[group_by])
    groups = natural_sorted(names.unique())
    colors = group_colors(groups)
    with style():
        titles = []
        partial = []
        for g in groups:
            in_group = (names == g).to_numpy()
            n = int(in_group.sum())
            of = int(named.loc[in_group, "group_sentences"].iloc[0]) if "group_sentences" in named.columns else n
            if of > n:
                partial.append(g)
            titles.append(wrap(g, 48, tail=f"(n={n} sent.)" if of == n else f"(sample of {n} of {of} sent.)"))
        row_h = [0.75 + 0.16 * text_lines([t]) for t in titles]
        n_all = int(len(named))
        note = (f"n = {n_all} sentences in {len(groups)} group{'s' if len(groups) != 1 else ''}"
                + ("; a fixed-seed random sample of each group's sentences (the same every run)." if partial else "."))
        width = max(5.6, text_inches(titles, 9) + 1.2)
        note = wrap(note, int(width * chars_per_inch(7)) - 2)  # the note is 7-pt text
        fig = Figure(figsize=(width, sum(row_h) + 0.9 + 0.12 * text_lines([note])))
        if not groups:
            return _empty(fig, "no sentences")
        axes = fig.subplots(len(groups), 1, sharex=True, sharey=True, squeeze=False,
                            gridspec_kw={"height_ratios": row_h})[:, 0]
        for ax, g, title in zip(axes, groups, titles):
            values = named.loc[(names == g).to_numpy(), column].to_numpy(dtype=float)
            values = values[np.isfinite(values)]
            ax.hist(values, bins=bins, range=(-1, 1), weights=np.full(len(values), 1 / max(len(values), 1)),
                    color=colors[g], edgecolor="white", linewidth=0.4)
            ax.axvline(0, color="#888888", lw=0.8)
            ax.set_title(title, loc="left", fontsize=9)
            ax.set_xlim(-1, 1)
            ax.set_xlabel(_SENTENCE_SCALES.get(column, f"{column} per sentence"))
            ax.xaxis.label.set_visible(ax is axes[-1])  # said once, under the bottom panel
        axes[len(axes) // 2].set_ylabel("share of the group's sentences" if not partial
                                        else "share of the group's sampled sentences")
        _n_text(fig, note)
        fig.tight_layout(rect=(0, (0.12 * text_lines([note]) + 0.08) / fig.get_figheight(), 1, 1), h_pad=0.4)
    return fig
