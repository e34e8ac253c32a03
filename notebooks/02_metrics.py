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
# # 2. The measures, sentence by sentence
#
# Every sentence gets the same measures (see `alliance_study.score`):
#
# * **sentiment** -- VADER's compound score (-1 very negative .. +1 very positive), a
#   general-purpose lexicon-and-rules measure validated on news editorials (part 4);
# * **hedging** -- cues of uncertainty or distance ("may", "it is possible that",
#   "some experts say"); `hedged` = at least one cue; approximations of a number
#   ("about 40 ships") are *rounders*, counted apart in `rounder_count`: they blur a
#   figure but do not withhold commitment to the claim;
# * **boosters** -- cues of certainty ("clearly", "undoubtedly");
# * **vague attribution** (weasel words) -- claims attributed to unnamed sources;
# * **frames** -- counts of cue words for each frame in the frame lexicon;
# * **alliance target** -- whether the sentence talks about the alliance itself.
#
# All are counts of words from lists, so each number can be traced to the words behind it:
# the examples below show them highlighted. Lexicon measures miss paraphrase and irony,
# and machine translation changes word choice: treat differences of a few cues as noise.

# %% tags=["parameters"]
# Paths are relative to this notebook (run from notebooks/); the build passes absolute ones.
raw_dir = "../data/raw"              # article files (never written)
metadata = None                      # metadata table; None: the corpus default, RAW_DIR/articles.csv
processed_dir = "../data/processed"  # processed tables: read if made from the same inputs, else computed
figures_dir = "../reports/figures"   # PNG + SVG of every figure; empty: show only
on_invalid = "fail"                  # "skip": leave out unreadable files (listed under Data quality)
group_by = "origin_country"          # metadata column that defines the groups compared
roles = ["headline", "body"]         # segment roles that count as the outlet's own text
n_boot = 2000                        # bootstrap resamples for the intervals
n_perm = 2000                        # permutations for the p-values
seed = 20201023                      # random seed: same seed, same numbers
level = 0.95                         # confidence level of the intervals
concordance_terms = []               # keywords for the concordances; empty: the target lexicon
n_examples = 8                       # example sentences shown per measure

# %%
import pandas as pd

from alliance_study import plots
from alliance_study.report import cue_counts, load_tables, show_examples, show_figure, show_table

pd.set_option("display.max_colwidth", 120)
tables = load_tables(raw_dir, processed_dir, metadata, on_invalid=on_invalid, group_by=group_by, roles=roles,
                     n_boot=n_boot, n_perm=n_perm, seed=seed, level=level, concordance_terms=concordance_terms)
articles, sentences = tables.articles, tables.sentences
own = sentences[sentences["role"].isin(roles)].merge(articles[["article_id", group_by]], on="article_id")

# %% [markdown]
# ## Distributions
#
# Sentence sentiment by group. Most news sentences are neutral (compound near 0); a group's
# average is moved by few strongly worded sentences, which is why part 3 compares articles,
# not sentences.

# %%
fig = plots.plot_sentiment_distribution(own, group_by=group_by)
show_figure(fig, "02_sentiment_distribution", figures_dir)

# %%
summary = own.groupby(group_by).agg(
    sentences=("sent_id", "size"),
    mean_sentiment=("sentiment_compound", "mean"),
    share_hedged=("hedged", "mean"),
    hedges_per_100_words=("hedge_count", "sum"),
    boosters_per_100_words=("booster_count", "sum"),
    weasels=("weasel_count", "sum"),
    share_on_target=("target", "mean"),
    words=("n_words", "sum"),
)
for c in ("hedges_per_100_words", "boosters_per_100_words"):
    summary[c] = 100 * summary[c] / summary["words"].where(summary["words"] > 0)
show_table(summary, index=True)

# %% [markdown]
# ## Evidence: the sentences behind the numbers
#
# The most hedged sentences, the most boosted, and the most negative and positive ones,
# with cues marked: <mark style="background:#fde9b0">hedge</mark>,
# <mark style="background:#c8e6f5">booster</mark>, rounder (dotted underline),
# <u>frame</u>, **target**. Text is
# escaped before marking, so nothing in an article can turn into markup here.

# %%
show_examples(own, "hedge_count", group_by, n=n_examples, title="Most hedged sentences")
show_examples(own, "booster_count", group_by, n=n_examples, title="Most boosted sentences")
show_examples(own, "sentiment_compound", group_by, n=n_examples, ascending=True, title="Most negative sentences")
show_examples(own, "sentiment_compound", group_by, n=n_examples, title="Most positive sentences")

# %% [markdown]
# ## Which cues do the work
#
# The hedge and booster cues found most often, per group. A measure driven by one or two
# words (e.g. "may" as a month, "will" as a noun) would show here.

# %%
show_table(cue_counts(own, "hedge_cues", group_by), max_rows=60)
show_table(cue_counts(own, "booster_cues", group_by), max_rows=60)
