"""The ``score`` pipeline: read in chunks, score in pieces, write in input order.

:func:`score_file` ties a :class:`~alliance_study.scale.sources.Source`, an engine
(:mod:`alliance_study.scale.engines`) and a :class:`~alliance_study.scale.sinks.Sink`
together; :func:`run_score` is the command line's entry.  At most two chunks are
held at once (one being scored while the next is queued), so memory stays bounded
whatever the input size, and the output goes to a temporary file beside
``output`` that is moved into place only when everything succeeded.  A temporary file
left there by a score that was killed (``kill -9``: it could not tidy up) is removed by
the next score to the same output (:func:`stale_temporary_files`).  Each piece of texts has a
generous time limit (:func:`~alliance_study.scale.engines.piece_time_limit`, or
``$ALLIANCE_STUDY_PARTITION_TIMEOUT``): past it, on every engine, the score stops with a
:class:`~alliance_study.scale.limits.TaskTimeout` naming the rows, and ends its workers.
"""
from __future__ import annotations

import collections
import functools
import math
import os
import sys
import time
from pathlib import Path

import pandas as pd
import pyarrow as pa

from ..errors import InputError
from ..io import atomic_path, holds_char, stale_temporaries, table_format
from ..metrics import Scorer, default_scorer
from ..metrics.news_sentiment import SENTENCES_PER_SECOND
from ..metrics.scorer import as_text
from . import schema as types
from .columns import concat, metric_dtypes
from .engines import make_engine, piece_time_limit, timed_out
from .limits import wait
from .sinks import Sink
from .sources import Source

__all__ = ["score_file", "run_score", "stale_temporary_files", "DEFAULT_CHUNKSIZE", "PIECE_MAX"]

DEFAULT_CHUNKSIZE = 50_000
#: texts per task sent to a worker (a chunk is cut into pieces of at most this size)
PIECE_MAX = 5_000


def score_file(input: str | Path, output: str | Path, text_column: str = "text", jobs: int | None = None, engine: str = "local",
               scheduler: str | None = None, chunksize: int | None = DEFAULT_CHUNKSIZE,
               progress: bool = True, scorer: Scorer | None = None) -> dict:
    """Score the text column of a table file and write it with the metric columns added.

    Parameters
    ----------
    input, output : str or path
        Tables; the format of each comes from its extension (``.csv``, ``.tsv``,
        ``.jsonl``, ``.parquet`` ...), any combination.  ``output`` is replaced
        atomically at the end.
    text_column : str
        Column holding the texts (default ``"text"``).
    jobs : int, optional
        Worker processes: default all cores (``os.cpu_count()``) for the local
        engine (but in-process for inputs of at most
        :data:`~alliance_study.scale.engines.SMALL_INPUT` rows), 2 for a Dask
        LocalCluster; 1 scores in this process.
    engine : {"local", "dask"}
    scheduler : str, optional
        Dask scheduler address; without it a LocalCluster is started (dask engine).
    chunksize : int
        Rows read, held and written at a time (default 50,000).
    progress : bool
        Progress bar on stderr (never on stdout).
    scorer : Scorer, optional
        Custom lexicons (default: the packaged ones).  Workers receive a copy of
        this very object, so every process scores with the same lexicons.

    Returns
    -------
    dict
        ``rows``, ``seconds``, ``output``, ``engine``, ``jobs``; ``blank``: rows whose
        text is blank or missing, ``nul``: rows whose text holds a NUL character
        (``\\x00``; kept and scored as they are).

    Raises
    ------
    InputError
        Unreadable input, unknown format, missing text column, an input column
        named like a metric column, bad options.

    Examples
    --------
    >>> import tempfile, pathlib, pandas as pd
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> pd.DataFrame({"id": [1, 2], "text": ["It may rain.", None]}).to_csv(d / "in.csv", index=False)
    >>> info = score_file(d / "in.csv", d / "out.parquet", jobs=1, progress=False)
    >>> info["rows"], pd.read_parquet(d / "out.parquet")[["id", "n_words"]].values.tolist()
    (2, [[1, 3], [2, 0]])
    """
    t0 = time.perf_counter()
    input, output = Path(input), Path(output)
    if engine not in ("local", "dask"):
        raise InputError(f"unknown engine {engine!r}. Fix: use 'local' or 'dask'.")
    if scheduler and engine != "dask":
        raise InputError("--scheduler needs --engine dask. Fix: add --engine dask or drop --scheduler.")
    chunksize = DEFAULT_CHUNKSIZE if chunksize is None else int(chunksize)
    if chunksize < 1:
        raise InputError(f"chunksize must be at least 1 (got {chunksize}). Fix: pass --chunksize 1 or more.")
    if jobs is not None and jobs < 1:
        raise InputError(f"jobs must be at least 1 (got {jobs}). "
                         f"Fix: pass --jobs 1 or more, or leave it out to use all cores.")
    out_fmt = table_format(output)
    if output.resolve() == input.resolve():
        raise InputError(f"{output}: the output would overwrite the input. Fix: write to another file.")
    src = Source(input, text_column, chunksize)
    scorer = scorer or default_scorer()
    metrics = metric_dtypes(scorer)
    clash = [c for c in metrics if c in src.columns]
    if clash:
        raise InputError(f"{input}: input columns {', '.join(map(repr, clash))} have the names of metric "
                         f"columns this command adds. Fix: rename or drop them first (is the file already scored?).")
    schema = _output_schema(src, metrics)

    ex, workers = make_engine(engine, jobs, scheduler, scorer, src.rows)
    piece = max(1, min(PIECE_MAX, math.ceil(chunksize / (2 * workers)))) if workers > 1 else chunksize
    bar = _progress(progress, src.rows)
    rows = blank = nul = read = 0
    ok = False
    removed = _remove_stale(output)
    try:
        with atomic_path(output, suffix=output.suffix) as tmp:
            sink = Sink(tmp, out_fmt, schema if out_fmt == "parquet" else None)
            try:
                pending: collections.deque = collections.deque()
                for chunk in src.chunks():
                    texts = _texts(chunk, text_column)
                    blank += sum(not as_text(t).strip() for t in texts)  # scored as empty text
                    nul += _nul_count(chunk, text_column)
                    pending.append((chunk, [_submit(ex, texts[i:i + piece], read + i, input)
                                            for i in range(0, len(texts), piece)]))
                    read += len(texts)
                    while len(pending) > 1:  # one chunk scoring while the next is queued
                        rows += _write(pending.popleft(), sink, schema, metrics, bar)
                while pending:
                    rows += _write(pending.popleft(), sink, schema, metrics, bar)
                if rows == 0:  # no rows: still write the header / schema
                    sink.write(schema.empty_table() if src.arrow_schema is not None
                               else types.empty_frame({**src.dtypes, **metrics}))
            finally:
                sink.close()
        ok = True
    finally:
        ex.close(cancel=not ok, kill=not ok)  # a piece that never returns is not waited for
        bar.close()
    return {"rows": rows, "seconds": time.perf_counter() - t0, "output": str(output), "engine": engine,
            "jobs": workers, "blank": blank, "nul": nul, "removed": removed}


def _process_start() -> float:
    """When this process started (seconds since the epoch; the time of this module's import where unknown)."""
    try:
        return os.stat(f"/proc/{os.getpid()}").st_ctime
    except OSError:  # pragma: no cover - no /proc
        return _IMPORTED


_IMPORTED = time.time()


def stale_temporary_files(output: str | Path) -> list[Path]:
    """The temporary files of earlier scores to ``output`` that were killed (:func:`alliance_study.io.stale_temporaries`
    of the output, written before this process started)."""
    output = Path(output)
    return stale_temporaries(output, output.suffix, older_than=_process_start())


def _remove_stale(output: Path) -> list[str]:
    removed = []
    for p in stale_temporary_files(output):
        try:
            p.unlink()
            removed.append(p.name)
        except OSError:
            pass
    return removed


def _output_schema(src: Source, metrics: dict) -> pa.Schema:
    """The Arrow schema of the output: the input columns' types, then the metric columns'."""
    if src.arrow_schema is None:
        return types.arrow_schema({**src.dtypes, **metrics})
    schema = src.arrow_schema
    for field in types.arrow_schema(metrics):
        schema = schema.append(field)
    return schema


def _texts(chunk, text_column: str) -> list:
    if isinstance(chunk, pa.RecordBatch):
        return chunk.column(text_column).to_pylist()
    return chunk[text_column].tolist()


def _nul_count(chunk, text_column: str) -> int:
    """Rows of a chunk whose text holds a NUL character (``\\x00``).

    The column's bytes are scanned first (no loop over the rows): rows are looked at
    one by one only in a chunk that has one.

    >>> _nul_count(pd.DataFrame({"text": pd.array(["a\\x00b", None, "c"], dtype="str")}), "text")
    1
    """
    values = chunk.column(text_column) if isinstance(chunk, pa.RecordBatch) else chunk[text_column].array
    if not holds_char(values, "\x00"):
        return 0
    return sum(isinstance(t, str) and "\x00" in t for t in _texts(chunk, text_column))


def _submit(ex, texts: list, first: int, input: Path) -> tuple:
    """``(future, seconds, what)``: a piece of texts (rows ``first + 1`` on of ``input``) sent to the engine,
    with its time limit (:func:`~alliance_study.scale.engines.piece_time_limit`) and its name in messages."""
    seconds = piece_time_limit(len(texts))
    what = f"rows {first + 1:,} to {first + len(texts):,} of {input}"
    return ex.submit(texts, seconds, what), seconds, what


def _write(item: tuple, sink: Sink, schema: pa.Schema, metrics: dict, bar) -> int:
    """Wait for a chunk's pieces, each within its time limit, and write the chunk with its metric columns;
    returns its rows."""
    chunk, pieces = item
    cols = concat([wait(f, seconds, functools.partial(timed_out, what, seconds)) for f, seconds, what in pieces],
                  metrics)
    if isinstance(chunk, pa.RecordBatch):
        table = pa.Table.from_batches([chunk])
        for c in metrics:
            table = table.append_column(schema.field(c), pa.array(cols[c], type=schema.field(c).type))
        sink.write(table)
        n = chunk.num_rows
    else:
        scored = pd.DataFrame({c: pd.Series(v, dtype="str" if metrics[c] == "object" else metrics[c])
                               for c, v in cols.items()}, columns=list(metrics))
        sink.write(pd.concat([chunk.reset_index(drop=True), scored], axis=1))
        n = len(chunk)
    bar.update(n)
    return n


class _NoBar:
    def update(self, n):
        pass

    def close(self):
        pass


def _progress(enabled: bool, total: int | None):
    if not enabled:
        return _NoBar()
    from tqdm import tqdm
    tty = sys.stderr.isatty()
    # on a terminal: a live bar; in a log file: one line every 30 s at most
    return tqdm(total=total, unit="rows", unit_scale=True, file=sys.stderr, desc="scoring",
                mininterval=0.5 if tty else 30.0, dynamic_ncols=tty, ascii=not tty)


def run_score(input: str | Path, output: str | Path, text_column: str = "text", jobs: int | None = None, engine: str = "local",
              scheduler: str | None = None, chunksize: int | None = None, progress: bool = True,
              news_sentiment: bool = False, lexicons: dict | None = None) -> int:
    """Command-line entry: :func:`score_file`, then one summary line on stderr; returns the exit code.

    ``lexicons`` are :class:`~alliance_study.metrics.Scorer` arguments (a study's
    ``hedges``, ``boosters``, ``frames``, ``targets``); ``news_sentiment`` adds ``sentiment_news``.

    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (d / "in.tsv").write_text("text\\nIt may rain.\\n", encoding="utf-8")
    >>> run_score(d / "in.tsv", d / "out.jsonl", jobs=1, progress=False)
    0
    """
    scorer = Scorer(**(lexicons or {}), news_sentiment=news_sentiment) if (news_sentiment or lexicons) else None
    if news_sentiment:
        print(f"alliance-study score: --news-sentiment runs a sentence encoder: about {SENTENCES_PER_SECOND} "
              f"sentences a second per core; --jobs N or --engine dask spread it.", file=sys.stderr)
    info = score_file(input, output, text_column=text_column, jobs=jobs, engine=engine, scheduler=scheduler,
                      chunksize=DEFAULT_CHUNKSIZE if chunksize is None else chunksize, progress=progress,
                      scorer=scorer)
    if info["removed"]:
        print(f"alliance-study score: removed {len(info['removed'])} temporary file(s) left beside {output} by an "
              f"earlier score that was killed: {', '.join(info['removed'])}", file=sys.stderr)
    if info["blank"]:  # kept, in order, with measures of an empty text: said, so a wrong --text-column shows
        print(f"alliance-study score: note: {info['blank']:,} of {info['rows']:,} rows of {input} have a blank or "
              f"missing {text_column!r}; they are kept, with the measures of an empty text (0 words).",
              file=sys.stderr)
    if info["nul"]:
        print(f"alliance-study score: note: {info['nul']:,} of {info['rows']:,} rows of {input} have NUL characters "
              f"(\\x00, binary data or a broken export?) in {text_column!r}; they are kept and scored as they are. "
              f"Fix: check how the file was exported (tr -d '\\000' < in > out removes them).", file=sys.stderr)
    rate = info["rows"] / info["seconds"] if info["seconds"] > 0 else float("nan")
    print(f"alliance-study score: {info['rows']:,} rows -> {info['output']} in {info['seconds']:.1f} s "
          f"({rate:,.0f} rows/s, engine {info['engine']}, {info['jobs']} job(s))", file=sys.stderr)
    return 0
