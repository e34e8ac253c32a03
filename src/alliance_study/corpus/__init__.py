"""Raw article files + a metadata table, or one table of articles -> a tidy :class:`Corpus`.

* :func:`load_corpus` decodes every listed file, splits it into segments (lines)
  with roles (headline, body, caption, byline, boilerplate, reader_comment) and
  sentences (offline Punkt), with exact character offsets into the decoded text;
* ``load_corpus(table="news.jsonl", columns={...})`` does the same for a table
  (CSV, TSV, JSON Lines, Parquet; one row per article), read in batches by
  :func:`iter_table_articles`;
* :func:`validate_corpus` lists every :class:`Problem` with file, metadata line,
  reason and fix, without loading;
* :class:`CorpusError` carries the problems when a load cannot proceed.

Layer: beside :mod:`alliance_study.metrics`, above the bottom.  It may import only
:mod:`alliance_study.errors`, :mod:`~alliance_study.resources` (role rules,
abbreviations), :mod:`~alliance_study.text` (the tokenizer) and
:mod:`~alliance_study.io`; never ``metrics`` or anything above.

Example
-------
>>> from alliance_study.corpus import load_corpus
>>> corpus = load_corpus("data/raw")                        # doctest: +SKIP
>>> corpus.sentences.query("role == 'body'").shape[0] > 0   # doctest: +SKIP
True
"""
from __future__ import annotations

from .model import Corpus, CorpusError, Problem
from .load import load_corpus
from .table import ArticleBatch, TableArticle, iter_table_articles, parse_columns
from .validate import validate_corpus

__all__ = ["load_corpus", "Corpus", "CorpusError", "Problem", "validate_corpus", "iter_table_articles",
           "ArticleBatch", "TableArticle", "parse_columns"]
