# ---
# jupyter:
#   jupytext:
#     cell_metadata_filter: tags,-all
#     formats: ipynb,py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#       jupytext_version: 1.19.6
#   kernelspec:
#     display_name: Python (alliance-study)
#     language: python
#     name: alliance-study
# ---

# %% [markdown]
# # 3. Framing compared between groups
#
# Each measure pools the sentences of a group: a share or mean over all its sentences, and
# rates per 100 words as total cues over total words, so a long article weighs more than a
# short one. The intervals, at the confidence `level` set for the study (95% by default;
# the level in force is stated below), come from a two-stage cluster bootstrap (resample
# articles within the group, then add the variation of sentences within each article,
# computed from each article's sums and sums of squares), and p-values from permuting
# whole articles between groups. Everything is computed from one row of sums per article, so it runs the
# same on five articles or five hundred thousand. The intervals say how far the data can be
# trusted: the next section states how many articles each group has and what that allows.

# %% tags=["parameters"]
# Paths are relative to this notebook (run from notebooks/); the build passes absolute ones.
study = "../study.yaml"              # the study file: corpus, lexicons, title, question, parameters
processed_dir = "../data/processed"  # processed tables: read if made from the same inputs, else computed
figures_dir = "../reports/figures"   # PNG + SVG of every figure; empty: show only
on_invalid = "fail"                  # "skip": leave out unreadable files (listed under Data quality)
# Analysis parameters: None takes the study file's value, else the package default
# (alliance_study.defaults.DEFAULTS). Set one here to try another choice.
group_by = None                      # metadata column whose groups are compared (default "outlet")
roles = None                         # segment roles that count as the outlet's own text (headline, body)
n_boot = None                        # bootstrap resamples for the intervals (2000)
n_perm = None                        # permutations for the p-values (2000)
seed = None                          # random seed: same seed, same numbers (20201023)
level = None                         # confidence level of the intervals (0.95)
concordance_terms = None             # keywords for the concordances; empty: the study's target terms
news_sentiment = None                # also score the model-based news tone, sentiment_news (True)

# %%
import pandas as pd

from alliance_study import plots
from alliance_study.compare import group_labels
from alliance_study.report import load_tables, show_figure, show_note, show_table
from alliance_study.report.display import FEW_ARTICLES
from alliance_study.text import natural_sorted

pd.set_option("display.max_colwidth", 120)
tables = load_tables(study, processed_dir, on_invalid=on_invalid, group_by=group_by, roles=roles, n_boot=n_boot,
                     n_perm=n_perm, seed=seed, level=level, concordance_terms=concordance_terms,
                     news_sentiment=news_sentiment)
group_by, roles = tables.params["group_by"], tables.params["roles"]  # the values in force (study file, defaults)
level = tables.params["level"]  # the confidence level of every interval below
articles, measures = tables.articles, tables.article_measures  # per article: the sums behind every measure
gc = tables.group_comparison
frame_labels, target = tables.study.get("frame_labels"), tables.study.get("target_label", "the target")
groups = natural_sorted(group_labels(articles[group_by].dropna()).unique())  # 1, 2, 10: as in every table

# %% [markdown]
# ## How much can this corpus tell us?

# %%
grouped = articles.dropna(subset=[group_by])
per_group = grouped.groupby(group_labels(grouped[group_by]))["article_id"].nunique().reindex(groups)
small = bool(per_group.min() < FEW_ARTICLES or ("small_n" in gc and gc["small_n"].any()))
show_note("Groups by <code>{g}</code>: {listing}.", g=group_by,
          listing="; ".join(f"{k}: {v} article(s)" for k, v in per_group.items()))
show_note("Intervals: {lv} cluster-bootstrap intervals from {b} resamples; p-values from {p} permutations "
          "(seed {s}).", lv=f"{100 * level:g}%", b=f"{tables.params['n_boot']:,}", p=f"{tables.params['n_perm']:,}",
          s=tables.params["seed"])
if small:
    show_note("<strong>Caveat.</strong> The smallest group has {m} article(s) and the largest {M}. "
              "With so few articles per group the intervals below are wide, a single article can "
              "decide a group's value, and the p-values cannot support general statements about how "
              "outlets of one kind frame the story. Read the comparisons as a description of these "
              "articles and as a test of the method, not as findings.", m=per_group.min(), M=per_group.max())
else:
    show_note("Every group has at least {m} articles; intervals still describe sampling uncertainty only, "
              "not the uncertainty of the measures themselves (see part 4).", m=per_group.min())
missing = plots.missing_glyphs(groups)
if missing:
    show_note("The figures' font (DejaVu Sans, the same on every machine) cannot draw the character(s) {c} of "
              "some group names: in the figures they show as empty boxes; the tables show the names in full.",
              c=" ".join(missing))
if len(groups) < 2:
    show_note("<strong>One group only.</strong> Every article has the same <code>{g}</code>, so nothing is "
              "compared: the estimates below describe the whole corpus, there are no p-values, and keyness "
              "(words of one group against the others) has nothing to show. Choose another "
              "<code>group_by</code> to compare.", g=group_by)

# %% [markdown]
# ## Estimates with intervals
#
# One row per group and measure: the estimate, its bootstrap interval (`ci_low`, `ci_high`,
# at the level stated above), the number of articles and sentences behind it (`n_units`:
# how many of its `unit` -- sentences, words or quotes -- the measure pools), and the
# permutation p-value of the difference from the other groups. `small_n` marks estimates
# resting on too few articles to say much; `note` says what else limits an interval (a
# group with no variation in a measure -- none of its sentences has the property, or all
# do -- gets an exact bound on its pooled count instead of a bootstrap interval, which
# would have zero width).
#
# **Many tests at once.** `p_value` is not corrected for multiple comparisons: with many
# groups and measures some p-values fall below 0.05 by chance alone, so read them as a
# screen for differences worth a closer look, not as findings. `p_holm` is the same
# p-value adjusted by Holm's method over every p-value of the table; a difference with
# `p_holm` below 0.05 survives that correction. p-values below 0.001 are shown as `<0.001`
# (a permutation p-value is never 0).

# %%
# counts (n_...) are shown as whole numbers, also those that arrive as floats
counts = {c: "Int64" for c in gc if c.startswith("n_") and gc[c].dtype.kind == "f" and (gc[c].dropna() % 1 == 0).all()}
show_table(gc.astype(counts), max_rows=200, source="the processed table group_comparison (csv and parquet)")
fig = plots.plot_estimates(gc, frame_labels=frame_labels, level=level)
show_figure(fig, "03_estimates", figures_dir)

# %% [markdown]
# ### Two readings of tone
#
# `mean_sentiment` is VADER, the field's default (comparable with the literature);
# `mean_sentiment_news` is the news tone model, which agrees better with people on news
# sentences (part 4). Where the two rank the groups differently, the difference in tone is
# not robust to how tone is measured.

# %%
tone = gc[gc["metric"].isin(["mean_sentiment", "mean_sentiment_news"])]
if tone["metric"].nunique() == 2:
    show_table(tone.pivot(index="group", columns="metric", values="estimate"), index=True)
else:
    show_note("The news tone model was not run (parameter <code>news_sentiment</code> is false).")

# %% [markdown]
# ## Hedging and sentiment together
#
# Each point is an article: how much it hedges against how positive it is. A group whose
# articles spread across the plot has no single "framing".

# %%
fig = plots.plot_hedging_vs_sentiment(measures, articles, group_by=group_by, roles=roles,
                                      label_col="outlet" if len(articles) <= 12 and "outlet" in articles else None)
show_figure(fig, "03_hedging_vs_sentiment", figures_dir)

# %% [markdown]
# ## Words that distinguish the groups (keyness)
#
# Terms used more by one group than the others, ranked by the log-odds z-score with an
# informative prior (Monroe et al. 2008). z above 1.96 (the dashed line in the figure) is a
# rough guide, not a test: words are not independent, and with few articles one article's
# topic dominates.

# %%
kw = tables.keyness
if len(groups) >= 2:
    show_table(kw.groupby("group", sort=False).head(12),  # in group order, most distinctive first
               max_rows=100, empty="No terms to compare: the groups' texts have no words in common use.")
fig = plots.plot_keyness(kw)
show_figure(fig, "03_keyness", figures_dir)

# %% [markdown]
# ## Frames
#
# Share of sentences with at least one cue of each of the study's frames, by group. A frame
# lexicon is a list of words chosen by the researchers; a cell reads "this group used words
# from this list in more of its sentences", nothing more (part 4 says how to check it).

# %%
fig = plots.plot_frame_heatmap(gc, frame_labels=frame_labels)
show_figure(fig, "03_frame_heatmap", figures_dir)

# %% [markdown]
# ## Who speaks: sourcing
#
# Attributed statements found by the attribution rules ("X said", quotes, "according to"),
# by kind of speaker: the study's actor table types the speakers it lists, the others are
# typed from what the text says of them ("a spokesperson", "analysts"). Quotations are as
# reported by the outlet, not checked against what the speakers said.

# %%
no_quotes = ("No attributed statement was found in these articles ({n} of them): the attribution rules found no "
             "\"X said\", quotation or \"according to\", so there is nothing to show about who speaks."
             ).format(n=articles["article_id"].nunique())
show_table(tables.sourcing_by_type, max_rows=100, empty=no_quotes, source="the processed table sourcing_by_type")
if len(tables.sourcing_by_type):
    show_table(tables.sourcing, max_rows=40, source="the processed table sourcing")
    src = tables.head("sources", 40).merge(articles[["article_id", group_by]], on="article_id", how="left")
    show_table(src[[c for c in ["article_id", group_by, "speaker", "speaker_type", "verb", "direct", "quote"]
                    if c in src]], max_rows=40)
fig = plots.plot_sourcing(tables.sourcing_by_type)
show_figure(fig, "03_sourcing", figures_dir)

# %% [markdown]
# ## Talking about the target: hedged or not?
#
# Among sentences that mention the study's target (its target terms), how many the hedging
# model calls hedged (`hedged`) and how many it does not, by group. "Not hedged" is the
# model's decision, not a finding that the sentence asserts: it may still hold a hedge cue.

# %%
n_target = int(measures["n_sentences_target"].sum())
show_note("The target: <strong>{t}</strong>; {n} sentence(s) mention it.", t=target, n=n_target)
if n_target == 0:
    show_note("No sentence mentions the target, so the target-restricted measures (hedged target sentences, "
              "tone of target sentences) are undefined and shown blank above. To measure them, list the terms "
              "of the study's target in its targets file (study file: <code>lexicons: targets:</code>).")
fig = plots.plot_target_hedged(measures, articles, group_by=group_by, roles=roles)
show_figure(fig, "03_target_hedged", figures_dir)

# %% [markdown]
# ## Over time
#
# Publication dates with their precision (a year, a month or a day, as precise as known);
# articles years apart respond to different events.

# %%
fig = plots.plot_timeline(articles, group_by=group_by,  # outlet names on the points only while they stay readable
                          label_col="outlet" if len(articles) <= 12 and group_by != "outlet" else None)
show_figure(fig, "03_timeline", figures_dir)

# %% [markdown]
# ## Concordances
#
# Keywords in context, so that each count can be read where it occurs: a fixed-seed random
# sample of the lines of each group and term (all of them when there are few).

# %%
conc = tables.concordance
show_table(conc[[c for c in ["group", "article_id", "sent_id", "left", "keyword", "right"] if c in conc]],
           max_rows=40, source="the processed table concordance", empty="No concordance lines: no keyword was found in the text (the keywords are the "
                               "parameter concordance_terms, else the study's target terms).")
