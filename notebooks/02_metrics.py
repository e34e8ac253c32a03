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
concordance_terms = []               # keywords for the concordances; empty: the target lexicon
n_examples = 8                       # example sentences shown per measure

# %%
import html

import pandas as pd
from IPython.display import HTML, display

import alliance_study as als
from alliance_study.build import show_figure, show_note, show_table
from alliance_study.pipeline import load_tables

pd.set_option("display.max_colwidth", 120)
tables = load_tables(raw_dir, processed_dir, metadata, on_invalid=on_invalid, group_by=group_by, roles=roles,
                     n_boot=n_boot, n_perm=n_perm, seed=seed, concordance_terms=concordance_terms)
articles, segments, sentences = tables.articles, tables.segments, tables.sentences
from matplotlib.figure import Figure

own = sentences[sentences["role"].isin(roles)].merge(articles[["article_id", group_by]], on="article_id")
groups = sorted(own[group_by].dropna().unique())

# %% [markdown]
# ## Distributions
#
# Sentence sentiment by group. Most news sentences are neutral (compound near 0); a group's
# average is moved by few strongly worded sentences, which is why part 3 compares articles,
# not sentences.

# %%
fig = Figure(figsize=(7, 3.2))
ax = fig.subplots()
for g in groups:
    ax.hist(own.loc[own[group_by] == g, "sentiment_compound"], bins=20, range=(-1, 1), alpha=0.5,
            label=f"{g} (n={int((own[group_by] == g).sum())})")
ax.set_xlabel("VADER compound score per sentence")
ax.set_ylabel("sentences")
ax.legend(fontsize=8)
fig.tight_layout()
show_figure(fig, "02_sentiment_distribution", figures_dir)

# %%
frame_cols = [c for c in sentences.columns if c.startswith("frame_")]
summary = own.groupby(group_by).agg(
    sentences=("sent_id", "size"),
    mean_sentiment=("sentiment_compound", "mean"),
    share_hedged=("hedged", "mean"),
    hedges_per_100_words=("hedge_count", "sum"),
    boosters_per_100_words=("booster_count", "sum"),
    weasels=("weasel_count", "sum"),
    share_on_alliance=("alliance_target", "mean"),
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
def examples(df, column, ascending=False, title=""):
    pick = df.sort_values([column, "article_id", "sent_id"], ascending=[ascending, True, True]).head(n_examples)
    rows = "".join(
        f"<tr><td>{html.escape(str(r.article_id))}</td><td>{html.escape(str(getattr(r, group_by)))}</td>"
        f"<td>{html.escape(f'{getattr(r, column):.3g}')}</td><td>{als.highlight(r.text)}</td></tr>"
        for r in pick.itertuples(index=False))
    display(HTML(f"<h4>{html.escape(title)}</h4><table class='as-table'><tr><th>article</th><th>group</th>"
                 f"<th>{html.escape(column)}</th><th>sentence</th></tr>{rows}</table>"))


examples(own, "hedge_count", title="Most hedged sentences")
examples(own, "booster_count", title="Most boosted sentences")
examples(own, "sentiment_compound", ascending=True, title="Most negative sentences")
examples(own, "sentiment_compound", title="Most positive sentences")

# %% [markdown]
# ## Which cues do the work
#
# The hedge and booster cues found most often, per group. A measure driven by one or two
# words (e.g. "may" as a month, "will" as a noun) would show here.

# %%
def cue_counts(column):
    s = own[[group_by, column]].assign(cue=own[column].fillna("").str.split(";")).explode("cue")
    s = s[s["cue"].astype(bool)]
    return s.groupby([group_by, "cue"]).size().rename("count").reset_index().sort_values(
        [group_by, "count", "cue"], ascending=[True, False, True]).groupby(group_by).head(8)


show_table(cue_counts("hedge_cues"), max_rows=60)
show_table(cue_counts("booster_cues"), max_rows=60)
