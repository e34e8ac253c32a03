"""Score big tables: streaming in chunks, several processes, or a Dask cluster.

What the room holds: ``alliance-study score``, which reads a CSV/TSV/JSONL/Parquet
table (format from the extension) in chunks, scores its text column with the
metrics :class:`~alliance_study.metrics.Scorer` and writes every input row, in
input order, with the metric columns appended, in any of the same formats.  Memory
stays bounded whatever the input size; an interrupted run leaves the previous
output, if any, untouched.

Modules, by concept:

* :mod:`~alliance_study.scale.sources` -- readers: a table in chunks, one type per column;
* :mod:`~alliance_study.scale.schema` -- the rules that give each column of a CSV,
  TSV or JSONL file one type for the whole file (integers stay integers, nullable
  ``Int64`` where some are missing; ids such as ``"007"`` stay strings);
* :mod:`~alliance_study.scale.columns` -- the metric columns: the one place the
  scorer is called (:func:`score_texts`);
* :mod:`~alliance_study.scale.engines` -- in this process, a process pool, or Dask;
* :mod:`~alliance_study.scale.sinks` -- writers, one file per output format;
* :mod:`~alliance_study.scale.score` -- the pipeline: :func:`score_file`, :func:`run_score`.

Imports: this layer may import everything below it -- :mod:`alliance_study.metrics`
(public names only), ``corpus``, ``compare``, :mod:`alliance_study.io`,
:mod:`alliance_study.errors` and the other bottom modules -- never
``alliance_study.report`` or ``alliance_study.cli``.

Rules
-----
* Input columns are all kept, in order, with their values and types; metric
  columns are appended.  An input column named like a metric column (``hedged``,
  ``sentiment_compound`` ...) is an :class:`~alliance_study.errors.InputError`:
  rename or drop it first.
* Missing texts (empty cell, NaN, null) are scored as empty text and stay missing
  in the output's text column.
* CSV/TSV/JSONL inputs are scanned once before scoring so every chunk is read with
  the same column types (:mod:`alliance_study.scale.schema`); the output is the
  same whatever the chunk size, in every format.
* A table with a header but no rows gives an output with the input columns plus the
  metric columns and no rows.  A file with no header at all is an error.

Example
-------
>>> import tempfile, pathlib, pandas as pd
>>> d = pathlib.Path(tempfile.mkdtemp())
>>> _ = (d / "in.csv").write_text("id,n,text\\n007,5,It may rain.\\n008,,\\n", encoding="utf-8")
>>> info = score_file(d / "in.csv", d / "out.parquet", jobs=1, progress=False, chunksize=1)
>>> out = pd.read_parquet(d / "out.parquet")
>>> out["id"].tolist(), out["n"].tolist(), out["n"].dtype, out["hedged"].tolist()
(['007', '008'], [5, <NA>], Int64Dtype(), [True, False])
"""
from __future__ import annotations

from .columns import metric_dtypes, score_texts
from .engines import SMALL_INPUT
from .score import DEFAULT_CHUNKSIZE, PIECE_MAX, run_score, score_file

__all__ = ["score_file", "run_score", "score_texts", "metric_dtypes", "DEFAULT_CHUNKSIZE", "PIECE_MAX",
           "SMALL_INPUT"]
