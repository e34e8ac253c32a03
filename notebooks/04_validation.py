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
# Every measure is checked against human judgement. First on public gold data that are
# not part of this corpus:
#
# * **Sentiment** against the human ratings published with VADER (Hutto & Gilbert,
#   ICWSM 2014): Pearson correlation of the compound score with the mean human rating,
#   per text type; and the figures of the model-based **news tone** (`sentiment_news`),
#   cross-validated by document on news sentences rated by people.
# * **Hedging** against the CoNLL-2010 shared task (Farkas et al. 2010), Wikipedia
#   sentences labelled as containing uncertainty or weasel cues: precision, recall and F1.
# * **Attribution** against PolNeAR (Newell, Margolin & Ruths 2018), political news with
#   the sources of reported statements marked by annotators.
#
# Then, when the study file lists coded sheets (`validation: coding:`), on the study's own
# sentences: agreement between the human coders, and of the machine with them.
#
# The public checks bound how much trust the measures deserve; they do not certify them
# for this study's material. Only the study's own coding does that.

# %% tags=["parameters"]
# Paths are relative to this notebook (run from notebooks/); when a file is absent the
# notebook says where to get it instead of failing.
study = "../study.yaml"                                        # the study file (its coded sheets, if any)
processed_dir = "../data/processed"                            # processed tables of the study
vader_dir = "../../shared/validation/vader_icwsm2014"          # VADER ground truth (4 *_GroundTruth.txt files)
wikiweasel_csv = "../../shared/validation/wikiweasel/dev.csv"  # CoNLL-2010 Wikipedia sentences (text,label)
polnear_dir = "../../shared/validation/polnear"                # PolNeAR articles + gold attributions

# %%
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pandas as pd

from alliance_study import validity
from alliance_study.metrics.news_sentiment import training_figures
from alliance_study.report import as_study, cached_call, show_note, show_table

# %% [markdown]
# ## Sentiment against human ratings

# %%
missing = validity.missing_vader_files(vader_dir)
if not missing:
    vr = cached_call(validity.vader_validation, vader_dir)  # reused while the files and code are unchanged
    show_table(vr)
    nyt = vr.set_index("file")["pearson_r"].get("nyt_editorials")
    if nyt is not None:
        show_note("On news editorials VADER's compound score correlates r = {r} with the human mean: it "
                  "tracks the direction of tone, but a single sentence's score is a noisy reading "
                  "(r&sup2; = {r2}). Averages over many sentences are more reliable than any one sentence.",
                  r=f"{nyt:.2f}", r2=f"{nyt * nyt:.2f}")
else:
    show_note("Skipped: the VADER ground truth was not found at <code>{p}</code> (missing: {m}). It is published with "
              "vaderSentiment (Hutto &amp; Gilbert 2014; github.com/cjhutto/vaderSentiment, "
              "additional_resources/hutto_ICWSM_2014.tar.gz); unpack the four *_GroundTruth.txt files "
              "there, or pass <code>-p vader_dir PATH</code> or set <code>parameters: vader_dir: PATH</code> in the study file.", p=vader_dir, m=", ".join(missing))

# %% [markdown]
# ### News tone, the second sentiment measure
#
# `sentiment_news` reads a sentence with a small pre-trained encoder (all-MiniLM-L6-v2) and
# VADER's scores, through a linear head the project trained on news sentences rated by
# people (`scripts/train_sentiment.py`). The figures below are cross-validated with whole
# documents held out, so no sentence is scored by a model that saw its article. It measures
# the tone of the wording, not the stance toward an actor or the target.

# %%
figs = training_figures()
rows = [("NYT editorial sentences (Hutto & Gilbert 2014)", figs["nyt_editorials"]),
        ("EmoBank NYT/WSJ news sentences (Buechel & Hahn 2017)", figs["emobank_news"])]


def r3(r: float) -> str:
    """A recorded r (4 decimals) to 3, half up as the README prints it (0.6485 -> 0.649; float formatting gives 0.648)."""
    return str(Decimal(str(r)).quantize(Decimal("0.001"), rounding=ROUND_HALF_UP))


show_table(pd.DataFrame([{"data": name, "sentences": f["n_sentences"], "documents": f["n_documents"],
                          "news tone, grouped-CV r": r3(f["grouped_cv_r"]), "VADER r": r3(f["vader_compound_r"])}
                         for name, f in rows]))

# %% [markdown]
# ## Hedging against CoNLL-2010

# %%
if Path(wikiweasel_csv).is_file():
    ht = cached_call(validity.hedging_table, wikiweasel_csv)
    show_table(ht)
    lex = ht.set_index("decision").loc["hedged_lexicon"]
    model_cv = ht.set_index("decision").loc["hedged", "cv_f1"]
    show_note("<code>hedged_lexicon</code> counts a sentence as hedged when it has at least one hedge cue: "
              "precision {p}, recall {r}, F1 {f}. <code>hedged</code> is a logistic regression over those "
              "cues and the words around them, trained on this file, with a marked modal, an epistemic "
              "adverb or a not-ruling-out cue always counting: its honest figure is the F1 "
              "cross-validated by article, {cv} (the in-sample row above is optimistic). Wikipedia weasel "
              "words are another genre than news; expect lower agreement on news, not higher.",
              p=f"{lex['precision']:.2f}", r=f"{lex['recall']:.2f}", f=f"{lex['f1']:.2f}", cv=f"{model_cv:.3f}")
else:
    show_note("Skipped: the CoNLL-2010 Wikipedia sentences were not found at <code>{p}</code>. They come "
              "from the CoNLL-2010 shared task, Task 1 (Farkas et al. 2010); save them as a CSV with "
              "columns text,label and pass <code>-p wikiweasel_csv PATH</code> or set <code>parameters: wikiweasel_csv: PATH</code> in the study file.", p=wikiweasel_csv)

# %% [markdown]
# ## Who is quoted: attribution against PolNeAR
#
# A speaker found by the attribution rules counts as correct when its span in the text
# overlaps a source span marked by the annotators in the same article. Recall is the share
# of annotated sources found. The rules were written on the train part, but the dev part
# shown here was measured after each change, so it is not strictly held out: read its
# figures as a little optimistic.

# %%
missing = validity.missing_polnear_files(polnear_dir)
if not missing:
    av = cached_call(validity.validate_attribution, polnear_dir, splits=["dev"])
    show_table(av.by_compartment)
else:
    show_note("Skipped: PolNeAR was not found at <code>{p}</code> (missing: {m}; pass <code>-p polnear_dir PATH</code> or set <code>parameters: polnear_dir: PATH</code> in the study file).",
              p=polnear_dir, m=", ".join(missing))

# %% [markdown]
# ## On the study's own sentences
#
# Coders fill copies of a blind coding sheet (`alliance-study sample`); their agreement is
# Krippendorff's alpha (interval for sentiment, nominal for the rest), and the machine's
# validity is its correlation (sentiment) or precision/recall/F1 (hedged, frames) against
# the coders' mean or majority, with bootstrap intervals.

# %%
the_study = as_study(study)
if the_study.coding:
    from alliance_study.report.coding import study_agreement

    show_table(study_agreement(the_study, processed_dir=processed_dir), max_rows=60)
else:
    show_note("This study lists no coded sheets yet. To check the measures on its own material: "
              "<code>alliance-study sample --study study.yaml --n 200 -o coding/sheet.csv</code>, have two or "
              "more people fill copies, list them in the study file (<code>validation: coding: coding/*.csv"
              "</code>) and rebuild.")

# %% [markdown]
# ## What this means for the comparison
#
# Differences between groups smaller than the measurement noise shown here should not be
# read as differences in framing. The comparison in part 3 is between articles, and the
# public validation is on sentences of other genres: both limits apply at once.
