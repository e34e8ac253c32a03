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
# # 4. Do the measures measure what they claim?
#
# Two external checks against human judgements, on data that are not part of this
# corpus:
#
# * **Sentiment** against the human ratings published with VADER (Hutto & Gilbert,
#   ICWSM 2014): Pearson correlation of the compound score with the mean of 20 human
#   ratings, per text type. News editorials are the closest to our material.
# * **Hedging** against the CoNLL-2010 shared task (Farkas et al. 2010), Wikipedia
#   sentences labelled as containing uncertainty/weasel cues: precision, recall and F1 of
#   `hedged`.
#
# Neither check covers machine-translated news about international politics; they bound
# how much trust the measures deserve, they do not certify them for this corpus.

# %% tags=["parameters"]
# Paths are relative to this notebook (run from notebooks/); when a file is absent the
# notebook says where to get it instead of failing.
vader_dir = "../../shared/validation/vader_icwsm2014"        # VADER ground truth (4 *_GroundTruth.txt files)
wikiweasel_csv = "../../shared/validation/wikiweasel/dev.csv"  # CoNLL-2010 Wikipedia sentences (text,label)

# %%
from pathlib import Path

import pandas as pd

from alliance_study import validity
from alliance_study.report import show_note, show_table

# %% [markdown]
# ## Sentiment against human ratings

# %%
if Path(vader_dir).is_dir():
    vr = validity.vader_validation(vader_dir)
    show_table(vr)
    nyt = vr.set_index("file")["pearson_r"].get("nyt_editorials")
    if nyt is not None:
        show_note("On news editorials the compound score correlates r = {r} with the human mean: it "
                  "tracks the direction of tone, but a single sentence's score is a noisy reading "
                  "(r&sup2; = {r2}). Averages over many sentences are more reliable than any one sentence.",
                  r=f"{nyt:.2f}", r2=f"{nyt * nyt:.2f}")
else:
    show_note("Skipped: the VADER ground truth was not found at <code>{p}</code>. It is published with "
              "vaderSentiment (Hutto &amp; Gilbert 2014; github.com/cjhutto/vaderSentiment, "
              "additional_resources/hutto_ICWSM_2014.tar.gz); unpack the four *_GroundTruth.txt files "
              "there or pass <code>-p vader_dir PATH</code>.", p=vader_dir)

# %% [markdown]
# ## Hedging against CoNLL-2010

# %%
if Path(wikiweasel_csv).is_file():
    hv = validity.hedging_validation(wikiweasel_csv)
    show_table(pd.DataFrame([hv]))
    show_note("A sentence counts as hedged when it has at least one hedge cue. Precision {p}: "
              "of the sentences we call hedged, that share were labelled uncertain by annotators; "
              "recall {r}: the share of labelled-uncertain sentences we find. Wikipedia weasel words "
              "are a different genre from news; expect lower agreement on our corpus, not higher.",
              p=f"{hv['precision']:.2f}", r=f"{hv['recall']:.2f}")
else:
    show_note("Skipped: the CoNLL-2010 Wikipedia sentences were not found at <code>{p}</code>. They come "
              "from the CoNLL-2010 shared task, Task 1 (Farkas et al. 2010); save them as a CSV with "
              "columns text,label and pass <code>-p wikiweasel_csv PATH</code>.", p=wikiweasel_csv)

# %% [markdown]
# ## What this means for the comparison
#
# Differences between groups smaller than the measurement noise shown here should not be
# read as differences in framing. The comparison in part 3 is between articles, and the
# validation is on sentences of other genres: both limits apply at once.
