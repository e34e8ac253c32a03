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
# Every sentence gets the same measures (see `alliance_study.score`; the README's measures
# table and `docs/measures.md` say how each is made):
#
# * **sentiment** (`sentiment_compound`) -- VADER's compound score (-1 very negative .. +1
#   very positive), a general-purpose lexicon-and-rules measure validated on news
#   editorials (part 4);
# * **news tone** (`sentiment_news`, when the parameter `news_sentiment` is on) -- a neural
#   model: a small pre-trained sentence encoder (all-MiniLM-L6-v2) and VADER's scores
#   through a linear head trained on news sentences rated by people. It reads the tone of
#   the wording, not the stance toward an actor or the target;
# * **hedging** -- `hedge_count` counts the cues of uncertainty or distance of the hedge
#   lexicon ("may", "it is possible that", "some experts say") and `hedge_cues` lists
#   them; `hedged_lexicon` is the lexicon's decision (at least one cue); `hedged`, the
#   decision the comparisons use, is the hedging model's: a logistic regression over those
#   cues, weasel-wording patterns and the sentence's words, except that a cue that hedges
#   wherever it occurs -- "might", "may have", "possibly", "reportedly", "did not rule
#   out" -- always makes a sentence hedged (the lexicon's decision when a study changes the
#   hedge or booster lists). So a sentence can have a cue and not be `hedged`, or be
#   `hedged` with no cue; `alliance_study.explain_hedged(sentence)` says why. Approximations of a number ("about 40 ships")
#   are *rounders*, counted apart in `rounder_count`: they blur a figure but do not
#   withhold commitment to the claim;
# * **boosters** (`booster_count`) -- cues of certainty ("clearly", "undoubtedly");
# * **vague attribution** (`weasel_count`, weasel words) -- claims attributed to unnamed
#   sources;
# * **frames** -- counts of cue words for each frame of the study's frame lexicon;
# * **target** -- whether the sentence mentions the study's target (its target terms).
#
# The counts are counts of words from lists, so each can be traced to the words behind it:
# the examples below show them highlighted. The two models (`hedged`, `sentiment_news`)
# also weigh words that are on no list: their decisions cannot be traced word by word
# (part 4 gives their agreement with people). Lexicon measures miss paraphrase and irony,
# and an article read in translation carries the translator's word choice: treat differences
# of a few cues as noise.

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
n_examples = 8                       # example sentences shown per measure

# %%
import pandas as pd

from alliance_study import plots
from alliance_study.report import (load_tables, measure_summary, show_examples, show_figure, show_note, show_table,
                                   study_scorer, top_cues)
from alliance_study.text import natural_sorted

pd.set_option("display.max_colwidth", 120)
tables = load_tables(study, processed_dir, on_invalid=on_invalid, group_by=group_by, roles=roles, n_boot=n_boot,
                     n_perm=n_perm, seed=seed, level=level, concordance_terms=concordance_terms,
                     news_sentiment=news_sentiment)
group_by, roles = tables.params["group_by"], tables.params["roles"]  # the values in force (study file, defaults)
# a fixed-seed sample of each group's sentences (in the roles counted): all of them in a small corpus
sample = tables.sentence_sample
own = sample.assign(**{group_by: sample["group"]})
scorer = study_scorer(study)  # the study's lexicons, for marking the cues
sizes = sample.groupby("group")["group_sentences"].first()
sizes = sizes.reindex(natural_sorted(sizes.index))  # 1, 2, 10: the groups' order in every table
show_note("Distributions and examples below use {what}.",
          what="every sentence" if len(sample) == sizes.sum() else
          "a fixed-seed random sample of each group's sentences (" +
          "; ".join(f"{g}: {(sample['group'] == g).sum():,} of {n:,}" for g, n in sizes.items()) + ")")

# %% [markdown]
# ## Distributions
#
# Sentence sentiment (VADER compound) by group: one panel per group on the same axes, the
# share of the group's sentences in each bin. Most news sentences are neutral (compound
# near 0); a group's average is moved by few strongly worded sentences, which is why part 3
# compares articles, not sentences.

# %%
fig = plots.plot_sentiment_distribution(own, group_by=group_by)
show_figure(fig, "02_sentiment_distribution", figures_dir)

# %% [markdown]
# The group estimates of every measure (pooled over sentences; rates per 100 words), as
# compared with their uncertainty in part 3:

# %%
show_table(measure_summary(tables.group_comparison, tables.study.get("frame_labels")), index=True)

# %% [markdown]
# ## Evidence: the sentences behind the numbers
#
# The sentences with the most hedge cues (ranked by `hedge_count`, the lexicon's count, not
# by the model's `hedged`), with the most booster cues (`booster_count`), and the most
# negative and positive ones (`sentiment_compound`), with cues marked:
# <mark style="background:#fde9b0">hedge</mark>, <mark style="background:#c8e6f5">booster</mark>,
# rounder (dotted underline), <u>frame</u>, **target**. Text is escaped before marking, so
# nothing in an article can turn into markup here.

# %%
for column, low, title in [("hedge_count", False, "Most hedge cues (hedge_count)"),
                           ("booster_count", False, "Most booster cues (booster_count)"),
                           ("sentiment_compound", True, "Most negative sentences"),
                           ("sentiment_compound", False, "Most positive sentences")]:
    show_examples(own, column, group_by, n=n_examples, ascending=low, title=title, scorer=scorer)

# %% [markdown]
# ## Which cues do the work
#
# The hedge and booster cues found most often, per group. A measure driven by one or two
# words (e.g. "may" as a month, "will" as a noun) would show here.

# %%
show_table(top_cues(tables.cue_counts, "hedge_cues"), max_rows=60, empty="No hedge cue was found.")
show_table(top_cues(tables.cue_counts, "booster_cues"), max_rows=60, empty="No booster cue was found.")
