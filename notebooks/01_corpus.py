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
# # 1. The corpus
#
# This study asks how outlets frame one story -- here, talk of a China-Russia military
# alliance -- and whether the framing differs between groups of outlets (by default the
# country the outlet comes from). This first part describes the material: which articles,
# from whom, how each file was split into headline, body, captions, site furniture and
# reader comments, and what could not be read.
#
# **Read every number in this report with the corpus size in mind.** The pilot corpus is a
# handful of articles; several were machine-translated into English before we saw them, so
# word choice partly reflects the translation engine, not the outlet. Quotations reported by
# an outlet are the outlet's claims: they were not checked against the original speeches.

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

# %%
import pandas as pd

from alliance_study.report import load_tables, show_note, show_table

pd.set_option("display.max_colwidth", 120)
tables = load_tables(raw_dir, processed_dir, metadata, on_invalid=on_invalid, group_by=group_by, roles=roles,
                     n_boot=n_boot, n_perm=n_perm, seed=seed, level=level, concordance_terms=concordance_terms)
articles, segments, sentences = tables.articles, tables.segments, tables.sentences

# %% [markdown]
# ## The articles
#
# One row per article: the metadata table (outlet, kind of outlet, country of origin,
# original language, whether we read a translation, publication date and its precision)
# joined with counts computed from the text. `sha256` identifies the exact file read.

# %%
cols = [c for c in ["article_id", "outlet", "outlet_type", "origin_country", "language_original", "translated",
                    "published", group_by, "n_segments", "n_sentences", "n_words"] if c in articles.columns]
show_table(articles[list(dict.fromkeys(cols))], max_rows=50)
show_note("{n} articles from {k} outlets; grouped by <code>{g}</code> into {ng} groups: {groups}.",
          n=len(articles), k=articles["outlet"].nunique() if "outlet" in articles else "?", g=group_by,
          ng=articles[group_by].nunique(), groups=", ".join(map(str, sorted(articles[group_by].dropna().unique()))))

# %% [markdown]
# Notes recorded with the metadata (how the date was inferred, what is known of the source):

# %%
if "notes" in articles.columns:
    show_table(articles[["article_id", "notes"]].dropna(), max_rows=50)

# %% [markdown]
# ## Data quality
#
# Problems found while reading the corpus. With `on_invalid = "fail"` (the default) any
# error stops the build before this report is made, so errors listed here are files that
# were **left out** of a build run with `--on-invalid skip`; warnings are kept articles with
# something worth knowing (e.g. an odd encoding).

# %%
problems = tables.problems
if len(problems):
    skipped = problems[problems["severity"] == "error"]
    show_note("{n} problem(s); {s} file(s) skipped: {files}.", n=len(problems), s=skipped["file"].nunique(),
              files=", ".join(sorted(skipped["file"].unique())) or "none")
    show_table(problems[["file", "line", "severity", "reason", "fix"]], max_rows=100)
else:
    show_note("No problems: every file listed in the metadata was read, and every file was listed.")

# %% [markdown]
# ## What each article is made of
#
# Each file is split into segments with a role. Only the roles chosen in the parameters
# count as the outlet's own text in the comparisons; reader comments, captions and site
# furniture are kept in the tables but measured separately. Words per role and article:

# %%
words = segments.assign(n_words=segments["text"].str.split().str.len())
show_table(words.pivot_table(index="article_id", columns="role", values="n_words", aggfunc="sum", fill_value=0),
           index=True, max_rows=50)
show_note("Roles counted as the outlet's own text: {roles}.", roles=", ".join(roles))

# %% [markdown]
# ## The segments
#
# The first segments of the table (text shortened). The full table is
# `segments.parquet` / `segments.csv` in the processed folder, with exact character
# offsets into the raw file.

# %%
seg = segments.assign(text=segments["text"].str.slice(0, 160))
show_table(seg[[c for c in ["article_id", "seg_id", "role", "start", "end", "author", "text"] if c in seg]],
           max_rows=25)

# %% [markdown]
# ## Sentences and groups
#
# Sentences are the unit of measurement; articles are the unit of comparison. How much text
# each group contributes (in the roles counted):

# %%
own = sentences[sentences["role"].isin(roles)].merge(articles[["article_id", group_by]], on="article_id")
per_group = own.groupby(group_by).agg(articles=("article_id", "nunique"), sentences=("sent_id", "size"),
                                      words=("n_words", "sum"))
show_table(per_group, index=True)
