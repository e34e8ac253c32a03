"""Figures for the framing comparison: one style, tidy tables in, a Figure out.

Layer: above :mod:`alliance_study.compare`; it may import ``compare`` (public names),
``metrics.registry`` (labels and units) and the bottom layer, never ``scale``,
``report`` or ``cli``.

Every function takes the tidy tables of :mod:`alliance_study.compare` (or the
sentence / article tables), builds a :class:`matplotlib.figure.Figure` without
touching pyplot's global state, and returns it; :func:`save` writes PNG and SVG
that are byte-identical from one run to the next (no dates, fixed SVG hash salt,
fixed dpi, Agg renderer).

Style: the Okabe & Ito (2008) colour-blind-safe palette ("Color Universal Design",
https://jfly.uni-koeln.de/color/), the perceptually uniform, colour-blind-friendly
*cividis* map for heatmaps (Nuñez, Anderton & Renslow 2018, PLOS ONE 13(7)),
labelled axes with units, and the number of articles / sentences / quotes printed
on every figure.  Titles and units of measures come from the registry of measures
(:func:`alliance_study.metrics.registry.label`) and per-article values from
:func:`alliance_study.compare.article_table`, so a figure never re-derives a measure.

Example
-------
>>> import pandas as pd, tempfile, pathlib
>>> est = pd.DataFrame({"group": ["a", "b"], "metric": "share_hedged", "estimate": [.2, .4],
...                     "ci_low": [.1, .3], "ci_high": [.3, .5], "n_articles": [4, 5],
...                     "n_sentences": [40, 50], "small_n": [False, False]})
>>> fig = plot_estimates(est)
>>> paths = save(fig, pathlib.Path(tempfile.mkdtemp()) / "estimates")
>>> sorted(p.suffix for p in paths)
['.png', '.svg']
"""
from __future__ import annotations

import contextlib
import io as _io
import re
from pathlib import Path
from typing import Any, Iterator, Mapping, Sequence, cast

import matplotlib as mpl
from cycler import cycler
from matplotlib import dates as mdates
import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from .compare import article_table
from .compare.aggregates import READERS_COLUMN, measure_parts
from .compare.partials import sample_keys
from .defaults import GROUP_BY, ROLES, SEED
from .errors import InputError
from .io import write_bytes_atomic
from .metrics.registry import label, measure

__all__ = ["OKABE_ITO", "STYLE", "style", "group_colors", "save",
           "plot_estimates", "plot_hedging_vs_sentiment", "plot_keyness", "plot_frame_heatmap",
           "plot_sourcing", "plot_target_hedged", "plot_timeline", "parse_partial_date"]

#: Okabe & Ito (2008) palette, in the order groups get their colours (yellow late: low contrast on white)
OKABE_ITO = ["#E69F00", "#56B4E9", "#009E73", "#D55E00", "#0072B2", "#CC79A7", "#F0E442", "#000000"]
SVG_SALT = "alliance-study"
DPI = 150

STYLE = {
    "axes.prop_cycle": cycler(color=OKABE_ITO),
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "grid.color": "#DDDDDD",
    "grid.linewidth": 0.6,
    "axes.axisbelow": True,
    "axes.titlesize": 10,
    "axes.labelsize": 9,
    "xtick.labelsize": 8,
    "ytick.labelsize": 8,
    "legend.fontsize": 8,
    "legend.frameon": False,
    "font.family": "DejaVu Sans",   # ships with matplotlib: same glyphs everywhere
    "figure.dpi": 100,
    "savefig.dpi": DPI,
    "savefig.bbox": None,           # fixed canvas size: stable bytes
    "svg.fonttype": "path",
    "svg.hashsalt": SVG_SALT,
    "image.cmap": "cividis",
    "path.simplify": False,
}


@contextlib.contextmanager
def style() -> Iterator[None]:
    """Context manager: the project's matplotlib style (rcParams restored afterwards).

    >>> with style():
    ...     import matplotlib as mpl; mpl.rcParams["svg.hashsalt"]
    'alliance-study'
    """
    with mpl.rc_context(cast(Any, STYLE)):
        yield


def group_colors(groups: Sequence) -> dict:
    """Colour per group: sorted group names get the Okabe-Ito colours in order (cycled).

    >>> group_colors(["b", "a"])
    {'a': '#E69F00', 'b': '#56B4E9'}
    """
    return {g: OKABE_ITO[i % len(OKABE_ITO)] for i, g in enumerate(sorted(set(map(str, groups))))}


def save(fig: Figure, path_stem: str | Path, formats: Sequence[str] = ("png", "svg"), dpi: int = DPI) -> list[Path]:
    """Write ``fig`` as ``<path_stem>.png`` and ``<path_stem>.svg`` (atomically) and return the paths.

    Output is byte-stable: no creation date, a fixed SVG hash salt, fixed dpi and size.
    """
    stem = Path(path_stem)
    out = []
    for fmt in formats:
        meta = {"png": {"Software": "alliance-study"}, "svg": {"Date": None, "Creator": "alliance-study"},
                "pdf": {"CreationDate": None, "ModDate": None, "Creator": "alliance-study", "Producer": None}}.get(fmt)
        buf = _io.BytesIO()
        with mpl.rc_context({"svg.hashsalt": SVG_SALT, "svg.fonttype": "path"}):
            fig.savefig(buf, format=fmt, dpi=dpi, metadata=meta)
        path = stem.with_name(f"{stem.name}.{fmt}")
        write_bytes_atomic(path, buf.getvalue())
        out.append(path)
    return out


def _n_text(fig: Figure, text: str) -> None:
    fig.text(0.01, 0.005, text, ha="left", va="bottom", fontsize=7, color="#444444")


def _empty(fig: Figure, msg: str) -> Figure:
    ax = fig.add_subplot()
    ax.set_axis_off()
    ax.text(0.5, 0.5, msg, ha="center", va="center", fontsize=10)
    return fig


# --------------------------------------------------------------------------- figures
def plot_estimates(results: pd.DataFrame, metrics: Sequence[str] | None = None, ncols: int = 3,
                   panel_size: tuple[float, float] = (3.2, 2.2),
                   frame_labels: Mapping[str, str] | None = None) -> Figure:
    """Estimates with 95 % intervals per group, one panel per metric.

    Parameters
    ----------
    results : DataFrame
        Output of :func:`alliance_study.compare.compare_groups` (``group, metric, estimate,
        ci_low, ci_high, n_articles``; ``small_n`` optional).
    metrics : sequence of str, optional
        Metrics to show, in this order (default: all, in table order).
    frame_labels : mapping, optional
        Frame name -> label (the frames lexicon's ``labels``) for the panel titles.

    Panel titles and axis units are the registry's (:func:`alliance_study.metrics.registry.label`).

    Hollow markers flag groups with fewer than three articles (``small_n``).
    """
    with style():
        metrics = list(dict.fromkeys(results["metric"])) if metrics is None else list(metrics)
        groups = sorted(results["group"].astype(str).unique())
        colors = group_colors(groups)
        n = max(1, len(metrics))
        ncols = max(1, min(ncols, n))
        nrows = int(np.ceil(n / ncols))
        fig = Figure(figsize=(panel_size[0] * ncols, panel_size[1] * nrows + 0.4 + 0.15 * len(groups)))
        if not metrics:
            return _empty(fig, "no metrics to show")
        n_art = results.drop_duplicates("group").set_index(results.drop_duplicates("group")["group"].astype(str))["n_articles"]
        labels = [f"{g} (n={int(n_art.get(g, 0))})" for g in groups]
        axes = fig.subplots(nrows, ncols, squeeze=False)
        for k, metric in enumerate(metrics):
            ax = axes[k // ncols][k % ncols]
            d = results[results["metric"] == metric].assign(group=lambda x: x["group"].astype(str)).set_index("group")
            for y, g in enumerate(groups):
                if g not in d.index or not np.isfinite(d.loc[g, "estimate"]):
                    ax.text(0.02, y, "n/a", va="center", fontsize=7, transform=ax.get_yaxis_transform())
                    continue
                r = d.loc[g]
                small = bool(r.get("small_n", False))
                ax.errorbar([r["estimate"]], [y], xerr=[[r["estimate"] - r["ci_low"]], [r["ci_high"] - r["estimate"]]],
                            fmt="o", color=colors[g], mfc="white" if small else colors[g], capsize=3, lw=1.2, ms=5)
            title, unit = label(metric, frame_labels)
            ax.set_title(title)
            ax.set_xlabel(unit)
            ax.set_yticks(range(len(groups)), labels)
            ax.set_ylim(-0.6, len(groups) - 0.4)
            ax.invert_yaxis()
            ax.set_ylabel("group (articles)" if k % ncols == 0 else "")
        for k in range(n, nrows * ncols):
            axes[k // ncols][k % ncols].set_axis_off()
        _n_text(fig, "Points: estimates; bars: 95% cluster-bootstrap intervals; hollow: fewer than 3 articles. "
                     f"n = {int(n_art.sum())} articles.")
        fig.tight_layout(rect=(0, 0.04, 1, 1))
    return fig


#: above this many articles, figures with one mark per article draw a fixed-seed sample of them
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
    t = t.sort_values(["group", "article_id"], kind="mergesort").reset_index(drop=True)
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
        fig = Figure(figsize=(6.4, 4.4))
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
                       label=f"{g} (n={len(d)} of {n_g})" if sampled else f"{g} (n={len(d)})")
        if label_col and articles is not None and label_col in articles.columns and not sampled:
            lab = articles.drop_duplicates("article_id").set_index("article_id")[label_col]
            for _, r in per.iterrows():
                ax.annotate(str(lab.get(r["article_id"], "")), (r["hedges_per_100w"], r["mean_sentiment"]),
                            xytext=(4, 3), textcoords="offset points", fontsize=7)
        ax.axhline(0, color="#888888", lw=0.8)
        ax.set_xlabel("hedges per 100 words (per article)")
        ax.set_ylabel("mean sentiment (VADER compound, -1 to 1)")
        ax.legend(title=group_by, loc="best")
        note = (f"\nShown: a random sample of {len(shown)} articles (fixed seed {seed}; each group's share kept)."
                if sampled else "")
        _n_text(fig, f"n = {len(per)} articles, {int(per['n_sentences'].sum())} sentences; "
                     "marker area ~ article length." + note)
        fig.tight_layout(rect=(0, 0.08 if sampled else 0.04, 1, 1))
    return fig


def plot_keyness(keyness_table: pd.DataFrame, top: int = 10, ncols: int = 3) -> Figure:
    """Top ``top`` over-used terms per group (highest weighted log-odds z), one panel per group."""
    with style():
        groups = sorted(keyness_table["group"].astype(str).unique()) if len(keyness_table) else []
        colors = group_colors(groups)
        ncols = max(1, min(ncols, len(groups) or 1))
        nrows = int(np.ceil(max(len(groups), 1) / ncols))
        fig = Figure(figsize=(3.2 * ncols, 0.22 * top * nrows + 1.0 * nrows + 0.3))
        if not groups:
            return _empty(fig, "no terms")
        axes = fig.subplots(nrows, ncols, squeeze=False)
        for k, g in enumerate(groups):
            ax = axes[k // ncols][k % ncols]
            d = (keyness_table[keyness_table["group"].astype(str) == g]
                 .sort_values(["log_odds_z", "term"], ascending=[False, True], kind="mergesort").head(top))
            y = np.arange(len(d))
            ax.barh(y, d["log_odds_z"], color=colors[g])
            ax.set_yticks(y, [f"{t} ({c})" for t, c in zip(d["term"], d["count"])])
            ax.invert_yaxis()
            ax.axvline(1.96, color="#888888", lw=0.8, ls="--")
            ax.set_title(f"{g}: over-used terms")
            ax.set_xlabel("log-odds z (Monroe et al. 2008)")
            ax.set_ylabel("term (count in group)" if k % ncols == 0 else "")
        for k in range(len(groups), nrows * ncols):
            axes[k // ncols][k % ncols].set_axis_off()
        n_tok = keyness_table.groupby(keyness_table["group"].astype(str))["count"].sum()
        _n_text(fig, "Weighted log-odds with informative Dirichlet prior, each group against the rest; "
                     f"dashed line: z = 1.96. n = {int(n_tok.sum())} tokens of the reported terms "
                     f"({', '.join(f'{g}: {int(n_tok.get(g, 0))}' for g in groups)}).")
        fig.tight_layout(rect=(0, 0.05, 1, 1))
    return fig


def plot_frame_heatmap(results: pd.DataFrame, prefix: str = "frame_share_",
                       frame_labels: Mapping[str, str] | None = None) -> Figure:
    """Frame shares by group as a heatmap (rows groups, columns frames), values written in cells.

    Every ``frame_share_<name>`` row of ``results`` is a column, so a frame added to the
    frames file appears with no other edit; ``frame_labels`` (frame -> label) names them.
    """
    with style():
        d = results[results["metric"].astype(str).str.startswith(prefix)].copy()
        fig = Figure(figsize=(1.1 * max(d["metric"].nunique(), 2) + 2.4, 0.45 * max(d["group"].nunique(), 1) + 1.8))
        if d.empty:
            return _empty(fig, "no frame metrics")
        d["frame"] = d["metric"].str[len(prefix):]
        frames = list(dict.fromkeys(d["frame"]))
        groups = sorted(d["group"].astype(str).unique())
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
        n_sent = d.drop_duplicates("group").set_index(d.drop_duplicates("group")["group"].astype(str))["n_sentences"]
        names = frame_labels or {}
        ax.set_xticks(range(len(frames)), [names.get(f, f.replace("_", " ")) for f in frames], rotation=30, ha="right")
        ax.set_yticks(range(len(groups)), [f"{g} (n={int(n_sent.get(g, 0))} sent.)" for g in groups])
        ax.grid(False)
        ax.set_xlabel("frame")
        ax.set_ylabel("group")
        cb = fig.colorbar(im, ax=ax)
        cb.set_label("share of sentences with a frame cue")
        _n_text(fig, f"n = {int(n_sent.sum())} sentences in {len(groups)} groups.")
        fig.tight_layout(rect=(0, 0.05, 1, 1))
    return fig


def plot_sourcing(by_type: pd.DataFrame) -> Figure:
    """Composition of quoted sources by speaker type: stacked horizontal bars of shares per group.

    ``by_type`` is the output of :func:`alliance_study.compare.sourcing_by_type`.
    """
    with style():
        fig = Figure(figsize=(6.4, 0.45 * max(by_type["group"].nunique() if len(by_type) else 1, 1) + 1.9))
        if by_type.empty or by_type["n_quotes"].sum() == 0:
            return _empty(fig, "no attributed quotes")
        groups = sorted(by_type["group"].astype(str).unique())
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
        ax.set_yticks(range(len(groups)), [f"{g} (n={int(totals[g])} quotes)" for g in groups])
        ax.invert_yaxis()
        ax.set_xlim(0, 1)
        ax.set_xlabel("share of attributed quotes")
        ax.set_ylabel("group")
        ax.legend(title="speaker type", ncols=min(len(types), 6), loc="upper center", bbox_to_anchor=(0.5, -0.28))
        _n_text(fig, f"n = {int(totals.sum())} quotes.")
        fig.tight_layout(rect=(0, 0.04, 1, 1))
    return fig


def _target_counts(table: pd.DataFrame, articles: pd.DataFrame | None, group_by: str,
                   roles: Sequence[str] | None) -> tuple[list, pd.Series, pd.Series, pd.Series]:
    """Per group: hedged and all target sentences, and the articles they come from."""
    m = "target_share_hedged"
    if "metric" in table.columns:  # compare_groups: the estimate is hedged / target sentences
        d = table[table["metric"] == m].assign(group=lambda x: x["group"].astype(str)).set_index("group")
        groups = sorted(d.index)
        total = d["n_units"].reindex(groups, fill_value=0).round().astype("int64")
        hedged = (d["estimate"].fillna(0) * d["n_units"]).reindex(groups, fill_value=0).round().astype("int64")
        n_art = d["n_articles"].reindex(groups, fill_value=0)
        return groups, hedged, total, n_art
    per = _article_table(table, articles, group_by, roles, [m], parts=True)
    groups = sorted(per["group"].unique())
    by_group = per.groupby("group")
    hedged = by_group[f"{m}_numerator"].sum().reindex(groups, fill_value=0).astype("int64")
    total = by_group[f"{m}_denominator"].sum().reindex(groups, fill_value=0).astype("int64")
    n_art = (per[f"{m}_denominator"] > 0).groupby(per["group"]).sum().reindex(groups, fill_value=0)
    return groups, hedged, total, n_art


def plot_target_hedged(sentences: pd.DataFrame, articles: pd.DataFrame | None = None,
                       group_by: str = GROUP_BY, roles: Sequence[str] | None = ROLES) -> Figure:
    """Sentences about the target (column ``target``): hedged vs assertive, counts per group.

    The counts are the numerator and denominator of the registry's ``target_share_hedged``
    (:func:`alliance_study.compare.article_table` with ``parts=True``).  ``sentences`` is
    the sentence table, the article measures (:func:`alliance_study.compare.article_measures`:
    the same figure), or the group comparison (:func:`alliance_study.compare.compare_groups`:
    counts from ``estimate x n_units``; the articles counted per group are then all the
    group's articles, ``n_articles``, not only those with target sentences -- the same
    figure when every article mentions the target, as in the seed corpus).
    """
    with style():
        groups, hedged, total, n_art = _target_counts(sentences, articles, group_by, roles)
        fig = Figure(figsize=(6.4, 0.45 * max(len(groups), 1) + 1.6))
        if int(total.sum()) == 0:
            return _empty(fig, "no sentences about the target")
        assertive = total - hedged
        ax = fig.add_subplot()
        y = np.arange(len(groups))
        ax.barh(y, hedged, color=OKABE_ITO[4], label="hedged")
        ax.barh(y, assertive, left=hedged, color=OKABE_ITO[0], label="assertive (no hedge)")
        for i, g in enumerate(groups):
            if total[g]:
                ax.text(total[g], i, f"  {hedged[g] / total[g]:.0%} hedged", va="center", fontsize=8)
        ax.set_yticks(y, [f"{g} ({int(n_art[g])} art.)" for g in groups])
        ax.invert_yaxis()
        ax.set_xlim(0, max(total.max(), 1) * 1.3)
        ax.set_xlabel("sentences about the target (count)")
        ax.set_ylabel("group")
        ax.legend(loc="lower right")
        _n_text(fig, f"n = {int(total.sum())} target sentences in {int(n_art.sum())} articles.")
        fig.tight_layout(rect=(0, 0.05, 1, 1))
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


def plot_timeline(articles: pd.DataFrame, group_by: str = GROUP_BY, date_col: str = "published",
                  label_col: str | None = "outlet", *, max_points: int = MAX_POINTS, seed: int = SEED) -> Figure:
    """Articles on a timeline by publication date, one lane per group.

    Partial dates are placed at the start of their period (``2016-07`` -> 1 July 2016)
    and drawn hollow with a bar spanning the period, so their imprecision is visible;
    undated articles are counted in the caption.  With more than ``max_points`` dated
    articles a fixed-seed random sample of about ``max_points`` is drawn (each group's
    share kept, at least 50 per group), without labels, and the caption says so.
    """
    with style():
        a = articles.copy()
        parsed = [parse_partial_date(v) for v in a[date_col]] if date_col in a.columns else [(None, "none")] * len(a)
        a["_date"] = [p[0] for p in parsed]
        a["_prec"] = [p[1] for p in parsed]
        a["_group"] = a[group_by].astype(str) if group_by in a.columns else "all"
        dated = a[a["_prec"] != "none"].sort_values(["_group", "_date", "article_id"], kind="mergesort")
        groups = sorted(a["_group"].unique())
        colors = group_colors(groups)
        fig = Figure(figsize=(7.2, 0.55 * max(len(groups), 1) + 1.8))
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
        ax.set_yticks(range(len(groups)), [f"{g} (n={int((a['_group'] == g).sum())})" for g in groups])
        ax.set_ylim(-0.7, len(groups) - 0.3)
        ax.invert_yaxis()
        ax.set_xlabel("publication date")
        ax.set_ylabel("group (articles)")
        handles = [Line2D([], [], marker="o", ls="", color="#444444", label="exact date"),
                   Line2D([], [], marker="o", ls="", color="#444444", mfc="white", label="approximate: start of month/year"),
                   Patch(color="#444444", alpha=0.35, label="period of an approximate date")]
        ax.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, -0.3), ncols=3)
        n_approx = int((dated["_prec"] != "day").sum())
        n_none = int(len(a) - len(dated))
        note = (f"\nShown: a random sample of {len(shown)} of the {len(dated)} dated articles (fixed seed {seed}; "
                "each group's share kept)." if sampled else "")
        _n_text(fig, f"n = {len(a)} articles; {n_approx} with approximate dates; {n_none} undated (not shown)." + note)
        fig.tight_layout(rect=(0, 0.09 if sampled else 0.05, 1, 1))
    return fig


def plot_sentiment_distribution(sentences: pd.DataFrame, group_by: str = GROUP_BY,
                                column: str = "sentiment_compound", bins: int = 20) -> Figure:
    """Histogram of sentence sentiment, one translucent layer per group (sorted), ``n`` in the legend.

    ``sentences`` must already carry the ``group_by`` column (e.g. merged from the articles),
    or be the fixed-seed sentence sample of a corpus processed in partitions
    (:func:`alliance_study.compare.partials`, groups in ``group``): where the sample holds
    only part of a group the legend says ``sample of k of N`` and a note under the axes says
    the histogram is of a random sample.
    Drawn with the current rcParams, like any figure a notebook makes.

    >>> s = pd.DataFrame({"g": ["a", "a", "b"], "sentiment_compound": [-0.5, 0.2, 0.9]})
    >>> fig = plot_sentiment_distribution(s, group_by="g")
    >>> [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    ['a (n=2)', 'b (n=1)']
    """
    if group_by not in sentences.columns and "group_sentences" in sentences.columns:
        group_by = "group"  # the sentence sample names its groups ``group``
    fig = Figure(figsize=(7, 3.2))
    ax = fig.subplots()
    partial = []
    for g in sorted(sentences[group_by].dropna().unique()):
        in_group = sentences[group_by] == g
        n = int(in_group.sum())
        of = int(sentences.loc[in_group, "group_sentences"].iloc[0]) if "group_sentences" in sentences.columns else n
        if of > n:
            partial.append(g)
        ax.hist(sentences.loc[in_group, column], bins=bins, range=(-1, 1), alpha=0.5,
                label=f"{g} (n={n})" if of == n else f"{g} (sample of {n} of {of})")
    ax.set_xlabel("VADER compound score per sentence")
    ax.set_ylabel("sentences (in the sample)" if partial else "sentences")
    ax.legend(fontsize=8)
    if partial:
        _n_text(fig, "Fixed-seed random sample of sentences per group (the same every run).")
        fig.tight_layout(rect=(0, 0.05, 1, 1))
    else:
        fig.tight_layout()
    return fig
