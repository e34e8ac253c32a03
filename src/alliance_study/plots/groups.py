"""Figures of group estimates: intervals, frames heatmap, keyness, sourcing, target hedged."""
from __future__ import annotations

from typing import Mapping, Sequence

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from ..defaults import GROUP_BY, LEVEL, ROLES
from ..errors import InputError
from ..metrics.registry import label
from ..text import natural_sorted


from ._style import (OKABE_ITO, _empty, _n_text, chars_per_inch, fingerprinted, group_colors, per_group, style,
                     text_inches, text_lines, wrap)
from .articles import _article_table

@fingerprinted
def plot_estimates(results: pd.DataFrame, metrics: Sequence[str] | None = None, ncols: int = 3,
                   panel_size: tuple[float, float] = (3.2, 2.2),
                   frame_labels: Mapping[str, str] | None = None, *, level: float = LEVEL) -> Figure:
    r"""Estimates with their intervals per group, one panel per metric.

    Parameters
    ----------
    results : DataFrame
        Output of :func:`alliance_study.compare.compare_groups` (``group, metric, estimate,
        ci_low, ci_high, n_articles``; ``small_n`` optional).
    metrics : sequence of str, optional
        Metrics to show, in this order (default: all, in table order, except those that are
        0 in every group, such as a speaker type never quoted: the
        caption names them).
    frame_labels : mapping, optional
        Frame name -> label (the frames lexicon's ``labels``) for the panel titles.
    level : float, optional
        The confidence level the intervals of ``results`` were computed at (the ``level``
        of :func:`alliance_study.compare.compare_groups`; default
        :data:`alliance_study.defaults.LEVEL`), said in the caption.  The figure draws
        ``ci_low`` and ``ci_high`` as they are: pass the level they were made with.

    Panel titles and axis units are the registry's (:func:`alliance_study.metrics.registry.label`).

    Hollow markers flag estimates the interval cannot vouch for: groups with fewer than
    three articles (``small_n``), and groups with no variation in the measure (an interval
    of zero width, or one replaced by an exact bound: the ``note`` of
    :func:`~alliance_study.compare.compare_groups` says "no variation").

    >>> est = pd.DataFrame({"group": ["a", "b"], "metric": "share_hedged", "estimate": [.2, .4],
    ...                     "ci_low": [.1, .3], "ci_high": [.3, .5], "n_articles": [4, 5]})
    >>> caption = plot_estimates(est, level=0.9).texts[0].get_text().replace("\n", " ")
    >>> "bars: 90% cluster-bootstrap intervals" in caption
    True
    """
    if not 0 < level < 1:
        raise InputError(f"plot_estimates: level={level!r} is not a confidence level between 0 and 1. "
                         "Fix: pass the level the intervals were computed at, e.g. level=0.95.")
    with style():
        zero: list[str] = []
        if metrics is None:
            metrics = list(dict.fromkeys(results["metric"]))
            zero = _all_zero(results, metrics)
            metrics = [m for m in metrics if m not in zero]
        else:
            metrics = list(metrics)
        groups = natural_sorted(results["group"].astype(str).unique())
        colors = group_colors(groups)
        n = max(1, len(metrics))
        ncols = max(1, min(ncols, n))
        nrows = int(np.ceil(n / ncols))
        n_art = per_group(results, "n_articles")
        # group names come from the study: wrapped, and written once per row of panels (first column)
        labels = [wrap(g, tail=f"(n={int(n_art.get(g, 0))})") for g in groups]
        label_w = text_inches(labels) + 0.5
        row_h = max(panel_size[1], 0.28 * text_lines(labels) + 1.1)
        fig = Figure(figsize=(panel_size[0] * ncols + label_w, row_h * nrows + 0.4))
        if not metrics:
            return _empty(fig, "no metrics to show")
        axes = fig.subplots(nrows, ncols, squeeze=False)
        title_chars = int(panel_size[0] * chars_per_inch(10))  # characters of a 10-pt title across one panel
        for k, metric in enumerate(metrics):
            ax = axes[k // ncols][k % ncols]
            d = results[results["metric"] == metric].assign(group=lambda x: x["group"].astype(str)).set_index("group")
            for y, g in enumerate(groups):
                if g not in d.index or not np.isfinite(d.loc[g, "estimate"]):
                    ax.text(0.02, y, "n/a", va="center", fontsize=7, transform=ax.get_yaxis_transform())
                    continue
                r = d.loc[g]
                small = bool(r.get("small_n", False)) or _no_variation(r)
                ax.errorbar([r["estimate"]], [y], xerr=[[r["estimate"] - r["ci_low"]], [r["ci_high"] - r["estimate"]]],
                            fmt="o", color=colors[g], mfc="white" if small else colors[g], capsize=3, lw=1.2, ms=5)
            title, unit = label(metric, frame_labels)
            ax.set_title(wrap(title, title_chars))  # wrapped only when wider than the panel
            ax.set_xlabel(wrap(unit, int(title_chars * 10 / 9)))
            ax.set_yticks(range(len(groups)), labels if k % ncols == 0 else [""] * len(groups))
            ax.set_ylim(-0.6, len(groups) - 0.4)
            ax.invert_yaxis()
            ax.set_ylabel("group (articles)" if k % ncols == 0 else "")
        for k in range(n, nrows * ncols):
            axes[k // ncols][k % ncols].set_axis_off()
        caption = (f"Points: estimates; bars: {percent(level)} cluster-bootstrap intervals (exact bounds where a "
                   "group has no variation); hollow: fewer than 3 articles, or no variation in the group. "
                   f"n = {int(n_art.sum())} articles.")
        if zero:
            caption += " Not shown, 0 in every group: " + "; ".join(label(m, frame_labels)[0] for m in zero) + "."
        caption = wrap(caption, int(fig.get_figwidth() * chars_per_inch(7)) - 2)
        _n_text(fig, caption)
        fig.tight_layout(rect=(0, max(0.04, (0.12 * text_lines([caption]) + 0.08) / fig.get_figheight()), 1, 1))
    return fig


def percent(level: float) -> str:
    """A confidence level as the percentage a caption prints: no trailing zeros, no float noise.

    >>> percent(0.95), percent(0.9), percent(0.975), percent(0.999)
    ('95%', '90%', '97.5%', '99.9%')
    """
    return f"{round(level * 100, 6):g}%"


def _no_variation(row: pd.Series) -> bool:
    """Whether a row of group estimates has no variation: a zero-wide interval, or a note that says so."""
    return bool(row["ci_low"] == row["ci_high"]) or "no variation" in str(row.get("note", "") or "")


def _all_zero(results: pd.DataFrame, metrics: Sequence[str]) -> list[str]:
    """The metrics whose estimate is 0 in every group (nothing to compare; their intervals are
    then only the exact bounds of groups with no variation)."""
    r = results[["metric", "estimate"]]
    seen = set(r.loc[r["estimate"].fillna(1.0).ne(0), "metric"])
    return [m for m in metrics if m not in seen and (r["metric"] == m).any()]


#: the keyness figure's guide line: |z| above it is "over-used" at the two-sided 5% level of one
#: normal test -- a rough guide only (words are not independent)
KEYNESS_Z = 1.96


#: width of a keyness panel's bars (inches); the term labels and the title add to it as they need
KEYNESS_BAR_INCHES = 2.6
#: a term label longer than this many characters is wrapped (a hyphenated compound, a URL)
_TERM_CHARS = 28


@fingerprinted
def plot_keyness(keyness_table: pd.DataFrame, top: int = 10, ncols: int = 3) -> Figure:
    r"""Top ``top`` over-used terms per group (highest weighted log-odds z), one panel per group.

    Keyness compares each group with the rest: with a single group there is no rest, and
    the figure says so instead of drawing bars of nothing.

    Every panel is as wide as its longest term label (wrapped past 28 characters) plus
    :data:`KEYNESS_BAR_INCHES` of bars; a panel title (the group's name, from the study) is
    wrapped to the width of the bars, and the rows are as tall as their titles need, so long
    group names and terms stay on the canvas and out of the next panel.

    >>> k = pd.DataFrame({"group": ["The Northern Industrial Waterfront Courier"] * 2 + ["B"] * 2,
    ...                   "term": ["counter-proliferation-arrangements", "tariff", "levy", "steel"],
    ...                   "count": [4, 3, 5, 2], "log_odds_z": [2.5, 1.0, 2.1, 0.4]})
    >>> fig = plot_keyness(k)
    >>> [ax.get_title() for ax in fig.axes]
    ['B: over-used terms', 'The Northern Industrial\nWaterfront Courier: over-used\nterms']
    >>> fig.axes[1].get_yticklabels()[0].get_text()
    'counter-proliferation-arrang\nements (4)'
    """
    with style():
        groups = natural_sorted(keyness_table["group"].astype(str).unique()) if len(keyness_table) else []
        colors = group_colors(groups)
        ncols = max(1, min(ncols, len(groups) or 1))
        nrows = int(np.ceil(max(len(groups), 1) / ncols))
        tops = {g: (keyness_table[keyness_table["group"].astype(str) == g]
                    .sort_values(["log_odds_z", "term"], ascending=[False, True], kind="mergesort").head(top))
                for g in groups}
        ticks = {g: [wrap(t, _TERM_CHARS, tail=f"({c})") for t, c in zip(d["term"], d["count"])]
                 for g, d in tops.items()}
        title_chars = int(KEYNESS_BAR_INCHES * chars_per_inch(10))  # a 10-pt title across the bars
        titles = {g: wrap(f"{g}: over-used terms", title_chars) for g in groups}
        label_w = text_inches([t for ts in ticks.values() for t in ts]) + 0.55  # + the y-axis label
        title_lines = [max((text_lines([titles[g]]) for g in groups[r * ncols:(r + 1) * ncols]), default=1)
                       for r in range(nrows)]
        height = 0.22 * top * nrows + 1.0 * nrows + 0.18 * sum(n - 1 for n in title_lines) + 0.3
        fig = Figure(figsize=((KEYNESS_BAR_INCHES + label_w) * ncols, height))
        if not groups:
            return _empty(fig, "no terms")
        if len(groups) == 1:
            return _empty(fig, f"one group only ({wrap(groups[0], 40)}):\n"
                               "keyness compares groups, there is no other group")
        axes = fig.subplots(nrows, ncols, squeeze=False)
        for k, g in enumerate(groups):
            ax = axes[k // ncols][k % ncols]
            d = tops[g]
            y = np.arange(len(d))
            ax.barh(y, d["log_odds_z"], color=colors[g])
            ax.set_yticks(y, ticks[g])
            ax.invert_yaxis()
            ax.axvline(KEYNESS_Z, color="#888888", lw=0.8, ls="--")
            ax.set_title(titles[g])
            ax.set_xlabel("log-odds z (Monroe et al. 2008)")
            ax.set_ylabel("term (count in group)" if k % ncols == 0 else "")
        for k in range(len(groups), nrows * ncols):
            axes[k // ncols][k % ncols].set_axis_off()
        n_tok = keyness_table.groupby(keyness_table["group"].astype(str))["count"].sum()
        note = ("Weighted log-odds with informative Dirichlet prior, each group against the rest; "
                f"dashed line: z = {KEYNESS_Z}. n = {int(n_tok.sum())} tokens of the reported terms "
                f"({', '.join(f'{g}: {int(n_tok.get(g, 0))}' for g in groups)}).")
        note = wrap(note, int(fig.get_figwidth() * chars_per_inch(7)) - 2)  # the note is 7-pt text
        _n_text(fig, note)
        fig.tight_layout(rect=(0, min(0.3, (0.12 * (note.count("\n") + 1) + 0.08) / fig.get_figheight()), 1, 1))
    return fig


@fingerprinted
def plot_frame_heatmap(results: pd.DataFrame, prefix: str = "frame_share_",
                       frame_labels: Mapping[str, str] | None = None) -> Figure:
    """Frame shares by group as a heatmap (rows groups, columns frames), values written in cells.

    Every ``frame_share_<name>`` row of ``results`` is a column, so a frame added to the
    frames file appears with no other edit; ``frame_labels`` (frame -> label) names them.
    """
    with style():
        d = results[results["metric"].astype(str).str.startswith(prefix)].copy()
        d["frame"] = d["metric"].astype(str).str[len(prefix):]
        frames = list(dict.fromkeys(d["frame"]))
        groups = natural_sorted(d["group"].astype(str).unique())
        n_sent = per_group(d, "n_sentences")
        names = frame_labels or {}
        xlabels = [wrap(names.get(f, f.replace("_", " ")), 18) for f in frames]
        ylabels = [wrap(g, tail=f"(n={int(n_sent.get(g, 0))} sent.)") for g in groups]
        x_h = 0.5 * text_inches(xlabels) + 0.16 * max((x.count("\n") + 1 for x in xlabels), default=1)  # rotated 30°
        fig = Figure(figsize=(1.1 * max(len(frames), 2) + text_inches(ylabels) + 2.2,
                              max(0.3 * text_lines(ylabels), 1.0) + x_h + 1.4))
        if d.empty:
            return _empty(fig, "no frame metrics")
        M = (d.assign(group=d["group"].astype(str)).pivot(index="group", columns="frame", values="estimate")
             .reindex(index=groups, columns=frames).to_numpy(dtype=float))
        ax = fig.add_subplot()
        vmax = np.nanmax(M) if np.isfinite(M).any() and np.nanmax(M) > 0 else 1.0
        im = ax.imshow(M, cmap="cividis", vmin=0, vmax=vmax, aspect="auto")
        for i in range(M.shape[0]):
            for j in range(M.shape[1]):
                v = M[i, j]
                ax.text(j, i, "n/a" if not np.isfinite(v) else f"{v:.2f}", ha="center", va="center", fontsize=8,
                        color="black" if np.isfinite(v) and v > 0.6 * vmax else "white")
        ax.set_xticks(range(len(frames)), xlabels, rotation=30, ha="right", rotation_mode="anchor")
        ax.set_yticks(range(len(groups)), ylabels)
        ax.grid(False)
        ax.set_xlabel("frame")
        ax.set_ylabel("group")
        cb = fig.colorbar(im, ax=ax)
        cb.set_label("share of sentences\nwith a frame cue")
        _n_text(fig, f"n = {int(n_sent.sum())} sentences in {len(groups)} group{'s' if len(groups) != 1 else ''}.")
        fig.tight_layout(rect=(0, 0.05, 1, 1))
    return fig


@fingerprinted
def plot_sourcing(by_type: pd.DataFrame) -> Figure:
    """Composition of quoted sources by speaker type: stacked horizontal bars of shares per group.

    ``by_type`` is the output of :func:`alliance_study.compare.sourcing_by_type`.
    """
    with style():
        groups = natural_sorted(by_type["group"].astype(str).unique()) if len(by_type) else []
        n_q = by_type.groupby(by_type["group"].astype(str))["n_quotes"].sum() if len(by_type) else pd.Series(dtype=int)
        ylabels = [wrap(g, tail=f"(n={int(n_q.get(g, 0))} quotes)") for g in groups]
        # room for the group names on the left and the legend of speaker types on the right
        fig = Figure(figsize=(5.6 + text_inches(ylabels), 0.3 * max(text_lines(ylabels), 6) + 1.2))
        if by_type.empty or by_type["n_quotes"].sum() == 0:
            return _empty(fig, "no attributed quotes")
        types = list(dict.fromkeys(by_type["speaker_type"]))
        tab = (by_type.assign(group=by_type["group"].astype(str))
               .pivot(index="group", columns="speaker_type", values="n_quotes")
               .reindex(index=groups, columns=types).fillna(0))
        totals = tab.sum(axis=1)
        shares = tab.div(totals.where(totals > 0, 1), axis=0)
        ax = fig.add_subplot()
        left = np.zeros(len(groups))
        for i, t in enumerate(types):
            ax.barh(range(len(groups)), shares[t], left=left, color=OKABE_ITO[i % len(OKABE_ITO)],
                    label=t, edgecolor="white", linewidth=0.5)
            left += shares[t].to_numpy()
        ax.set_yticks(range(len(groups)), ylabels)
        ax.invert_yaxis()
        ax.set_xlim(0, 1)
        ax.set_xlabel("share of attributed quotes")
        ax.set_ylabel("group")
        ax.legend(title="speaker type", loc="upper left", bbox_to_anchor=(1.02, 1))
        _n_text(fig, f"n = {int(totals.sum())} quotes.")
        fig.tight_layout(rect=(0, 0.04, 1, 1))
    return fig


def _target_counts(table: pd.DataFrame, articles: pd.DataFrame | None, group_by: str,
                   roles: Sequence[str] | None) -> tuple[list, pd.Series, pd.Series, pd.Series | None, pd.Series]:
    """Per group: hedged and all target sentences, the articles with a target sentence (None: not
    known, from a comparison table) and all the group's articles."""
    m = "target_share_hedged"
    if "metric" in table.columns:  # compare_groups: the estimate is hedged / target sentences
        d = table[table["metric"] == m].assign(group=lambda x: x["group"].astype(str)).set_index("group")
        groups = natural_sorted(d.index)
        total = d["n_units"].reindex(groups, fill_value=0).round().astype("int64")
        hedged = (d["estimate"].fillna(0) * d["n_units"]).reindex(groups, fill_value=0).round().astype("int64")
        n_art = d["n_articles"].reindex(groups, fill_value=0)
        return groups, hedged, total, None, n_art
    per = _article_table(table, articles, group_by, roles, [m], parts=True)
    groups = natural_sorted(per["group"].unique())
    by_group = per.groupby("group")
    hedged = by_group[f"{m}_numerator"].sum().reindex(groups, fill_value=0).astype("int64")
    total = by_group[f"{m}_denominator"].sum().reindex(groups, fill_value=0).astype("int64")
    n_with = (per[f"{m}_denominator"] > 0).groupby(per["group"]).sum().reindex(groups, fill_value=0)
    return groups, hedged, total, n_with, per.groupby("group").size().reindex(groups, fill_value=0)


@fingerprinted
def plot_target_hedged(sentences: pd.DataFrame, articles: pd.DataFrame | None = None,
                       group_by: str = GROUP_BY, roles: Sequence[str] | None = ROLES) -> Figure:
    """Sentences about the target (column ``target``): hedged or not, counts per group.

    "Hedged" is the sentence's ``hedged`` decision (the hedging model; see the registry), so
    the rest are the sentences the model does not call hedged -- they may still hold a hedge
    cue (``hedge_count``), and are not "assertive" in any stronger sense.
    The counts are the numerator and denominator of the registry's ``target_share_hedged``
    (:func:`alliance_study.compare.article_table` with ``parts=True``).  ``sentences`` is
    the sentence table, the article measures (:func:`alliance_study.compare.article_measures`:
    the same figure), or the group comparison (:func:`alliance_study.compare.compare_groups`:
    counts from ``estimate x n_units``; the articles counted per group are then all the
    group's articles, ``n_articles``, not only those with target sentences -- the same
    figure when every article mentions the target, as in the seed corpus).

    Each group is labelled with what is counted: ``(n art.)``, the group's articles, or
    ``(k of n art.)`` when some articles have no target sentence (``k``: those that have one;
    not known from a comparison table).
    """
    with style():
        groups, hedged, total, n_with, n_art = _target_counts(sentences, articles, group_by, roles)
        partly = n_with is not None and bool((n_with != n_art).any())   # some articles without a target sentence
        with_target = n_with if n_with is not None else n_art
        ylabels = [wrap(g, tail=f"({int(with_target[g])} of {int(n_art[g])} art.)" if partly
                        else f"({int(n_art[g])} art.)")
                   for g in groups]
        fig = Figure(figsize=(5.6 + text_inches(ylabels), 0.3 * max(text_lines(ylabels), 2) + 1.9))
        if int(total.sum()) == 0:
            return _empty(fig, "no sentences about the target")
        not_hedged = total - hedged
        ax = fig.add_subplot()
        y = np.arange(len(groups))
        ax.barh(y, hedged, color=OKABE_ITO[4], label="hedged")
        ax.barh(y, not_hedged, left=hedged, color=OKABE_ITO[0], label="not hedged")
        for i, g in enumerate(groups):
            if total[g]:
                ax.text(total[g], i, f"  {hedged[g] / total[g]:.0%} hedged", va="center", fontsize=8)
        ax.set_yticks(y, ylabels)
        ax.invert_yaxis()
        ax.set_xlim(0, max(total.max(), 1) * 1.45)
        ax.set_xlabel("sentences about the target (count)")
        ax.set_ylabel("group")
        ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.25), ncols=2)
        _n_text(fig, f"n = {int(total.sum())} target sentences in {int(with_target.sum())} of {int(n_art.sum())} articles "
                     "(per group: articles with a target sentence, of all its articles)." if partly
                else f"n = {int(total.sum())} target sentences in {int(n_art.sum())} articles.")
        fig.tight_layout(rect=(0, 0.05, 1, 1))
    return fig
