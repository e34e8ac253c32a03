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
# The study asks how outlets frame one story, and whether the framing differs between
# groups of outlets. The study file names the story (the title and question at the top of
# this report), the corpus, the terms that mark the study's target, the frames and the
# actors. This first part describes the material: which articles, from whom, how each text
# was split into headline, body, captions, site furniture and reader comments, and what
# could not be read.
#
# **Read every number in this report with the corpus size in mind**: how many articles each
# group has, and how many were read in translation, is stated below. Quotations reported by
# an outlet are the outlet's claims: they were not checked against what the speakers said.

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

from alliance_study.report import load_tables, show_html, show_note, show_table
from alliance_study.report.display import corpus_caveats
from alliance_study.text import natural_sorted

pd.set_option("display.max_colwidth", 120)
tables = load_tables(study, processed_dir, on_invalid=on_invalid, group_by=group_by, roles=roles, n_boot=n_boot,
                     n_perm=n_perm, seed=seed, level=level, concordance_terms=concordance_terms,
                     news_sentiment=news_sentiment)
group_by, roles = tables.params["group_by"], tables.params["roles"]  # the values in force (study file, defaults)
articles, by_role = tables.articles, tables.article_roles  # one row per article; sentences and words per role

# %%
show_html("<p>" + corpus_caveats(articles, group_by) + "</p>")  # group sizes and translations, from the data

# %% [markdown]
# ## The articles
#
# One row per article: the study's metadata (outlet, date and whatever else the corpus
# records) joined with counts computed from the text. The full table, with the `sha256`
# of the exact text read, is `articles.parquet` in the processed folder.

# %%
hidden = {"title", "notes", "file", "sha256", "encoding", "table_file", "table_row"}
cols = ["article_id"] + [c for c in articles.columns if c not in hidden and c != "article_id"]
show_table(articles[cols], max_rows=50)
show_note("{n} articles from {k} outlet(s); grouped by <code>{g}</code> into {ng} group(s): {groups}.",
          n=len(articles), k=articles["outlet"].nunique() if "outlet" in articles else "?", g=group_by,
          ng=articles[group_by].nunique(), groups=", ".join(map(str, natural_sorted(articles[group_by].dropna().unique()))))

# %% [markdown]
# Notes recorded with the metadata, when the corpus has a `notes` column:

# %%
if "notes" in articles.columns:
    show_table(articles[["article_id", "notes"]].dropna(), max_rows=50)

# %% [markdown]
# ## Data quality
#
# Problems found while reading the corpus. With `on_invalid = "fail"` (the default) any
# error stops the build before this report is made, so errors listed here are articles
# that were **left out** of a build run with `--on-invalid skip`; warnings are kept articles
# with something worth knowing (e.g. an odd encoding, or no value of the grouping column, which
# leaves the article out of the group comparison).

# %%
problems = tables.problems
if len(problems):
    errors = problems[problems["severity"] == "error"]
    # one article per file of a folder, one per row of a table (an article may have several errors)
    left_out = errors.drop_duplicates(["file", "line", "row"] if "row" in errors.columns else ["file", "line"])
    show_note("{n} problem(s): {k} article(s) could not be read and were left out (from {files}); "
              "{w} warning(s) about articles that were kept.", n=len(problems), k=len(left_out),
              files=", ".join(sorted(errors["file"].unique())) or "none", w=len(problems) - len(errors))
    show_table(problems[["file", "line", "row", "severity", "reason", "fix"]], max_rows=100)
else:
    show_note("No problems: every article listed was read, and nothing was left out.")

# %% [markdown]
# ## What each article is made of
#
# Each file is split into segments with a role. Only the roles chosen in the parameters
# count as the outlet's own text in the comparisons; reader comments, captions and site
# furniture are kept in the tables but measured separately. Words per role and article:

# %%
words = by_role.set_index("article_id").filter(like="n_words_")
words.columns = [c.removeprefix("n_words_") for c in words.columns]
show_table(words, index=True, max_rows=50)
show_note("Words per role, corpus total: {totals}. Roles counted as the outlet's own text: {roles}.",
          totals="; ".join(f"{r}: {n:,}" for r, n in words.sum().items()), roles=", ".join(roles))

# %% [markdown]
# ## The segments
#
# The first segments of the table (text shortened). The full table is
# `segments.parquet` in the processed folder (a folder of Parquet files, one per partition), with exact character
# offsets into the article's text.

# %%
segments = tables.head("segments", 25)  # the first rows only: the whole table can be large
seg = segments.assign(text=segments["text"].str.slice(0, 160))
show_table(seg[[c for c in ["article_id", "seg_id", "role", "start", "end", "author", "text"] if c in seg]],
           max_rows=25)

# %% [markdown]
# ## Sentences and groups
#
# Sentences are the unit of measurement; articles are the unit of comparison. How much text
# each group contributes (in the roles counted):

# %%
own = by_role.merge(articles[["article_id", group_by]], on="article_id")
own = own.assign(sentences=own.reindex(columns=[f"n_sentences_{r}" for r in roles], fill_value=0).sum(axis=1),
                 words=own.reindex(columns=[f"n_words_{r}" for r in roles], fill_value=0).sum(axis=1))
per_group = own.groupby(group_by).agg(articles=("article_id", "nunique"), sentences=("sentences", "sum"),
                                      words=("words", "sum"))
show_table(per_group, index=True)
