"""Score big tables: streaming, several processes, or a Dask cluster.

:func:`score_file` reads a CSV/TSV/JSONL/Parquet table (format from the extension)
in chunks, scores the text column with :class:`~alliance_study.metrics.Scorer` and
writes every input row, in input order, with the metric columns appended, in any of
the same formats.  Memory stays bounded whatever the input size: at most a few
chunks are held at once, and the output is written as it goes to a temporary file
beside ``output`` that is moved into place only when everything succeeded (an
interrupted run leaves the previous output, if any, untouched).

Engines
-------
``local`` (default)
    ``jobs=1`` scores in this process; ``jobs=N`` uses a pool of N worker
    processes (default: all cores), each building its :class:`Scorer` once.  Chunks
    are cut into pieces, sent as plain lists of texts, and the metric columns come
    back as arrays; results are written in input order, so the output is identical
    to ``jobs=1``.
``dask``
    The same pipeline, with the pieces scored as tasks on a Dask cluster: a
    :class:`distributed.LocalCluster` of ``jobs`` (default 2) single-threaded worker
    processes, or the scheduler at ``scheduler`` (``tcp://host:8786``).  The driver
    reads the input and writes one output file, identical to the local engine's,
    so the input need not be visible to the workers.  Each worker caches one Scorer.

Rules
-----
* Input columns are all kept, in order; metric columns are appended.  An input
  column named like a metric column (``hedged``, ``sentiment_compound`` ...) is an
  error (:class:`~alliance_study.errors.InputError`): rename or drop it first.
* Missing texts (empty cell, NaN, null) are scored as empty text and stay missing
  in the output's text column.
* CSV/TSV/JSONL inputs are scanned once before scoring so every chunk is read with
  the same column types (integers that are missing in some chunk become floats,
  columns of mixed types become strings; the text column is always read as
  strings; JSON values keep their JSON type, strings are never converted to numbers
  or dates), so the Parquet schema is the same for every chunk and chunked output
  equals unchunked output.
* A table with a header but no rows gives an output with the input columns plus the
  metric columns and no rows.  A file with no header at all is an error.

Example
-------
>>> import tempfile, pathlib, pandas as pd
>>> d = pathlib.Path(tempfile.mkdtemp())
>>> pd.DataFrame({"id": [1, 2], "text": ["It may rain.", None]}).to_csv(d / "in.csv", index=False)
>>> info = score_file(d / "in.csv", d / "out.parquet", jobs=1, progress=False)
>>> out = pd.read_parquet(d / "out.parquet")
>>> out[["id", "hedged", "n_words"]].values.tolist()
[[1, True, 3], [2, False, 0]]
"""
from __future__ import annotations

import collections
import json
import math
import os
import sys
import time
from pathlib import Path
from typing import Iterator

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from ..errors import InputError
from ..io import atomic_path, table_format

__all__ = ["score_file", "run_score", "score_texts", "DEFAULT_CHUNKSIZE"]

DEFAULT_CHUNKSIZE = 50_000
#: texts per task sent to a worker (a chunk is cut into pieces of at most this size)
PIECE_MAX = 5_000
#: with the default ``jobs`` (all cores), inputs of at most this many rows are scored in-process
SMALL_INPUT = 2_000
_SEPS = {"csv": ",", "tsv": "\t"}


# ------------------------------------------------------------------ worker side
#: the Scorer of a worker process, sent once by the driver (pool initializer)
_WORKER_SCORER = None


def _init_worker(scorer_bytes: bytes) -> None:
    global _WORKER_SCORER
    import pickle
    _WORKER_SCORER = pickle.loads(scorer_bytes)


def _score_in_worker(texts: list) -> dict:
    return score_texts(texts, _WORKER_SCORER)


def score_texts(texts: list, scorer=None) -> dict:
    """Metric columns for a list of texts: ``{column: numpy array or list of str}``.

    This is the function workers run; arguments and results are plain lists and
    arrays so pickling them is cheap.  ``scorer`` defaults to the packaged lexicons.
    """
    from ..metrics import default_scorer
    s = scorer or default_scorer()
    cols = s.score_columns(texts)
    out = {}
    for name, dtype in _metric_dtypes(s.columns).items():
        out[name] = cols[name] if dtype == "object" else np.asarray(cols[name], dtype=dtype)
    return out


def _metric_dtypes(columns) -> dict:
    from ..metrics.registry import dtypes
    return dtypes(columns)


# ------------------------------------------------------------------ reading
class _Source:
    """A table read in chunks of pandas DataFrames with consistent column types."""

    def __init__(self, path: Path, text_column: str, chunksize: int):
        self.path = path
        self.fmt = table_format(path)
        self.text_column = text_column
        self.chunksize = chunksize
        if not path.exists():
            raise InputError(f"{path}: file not found. Check the path.")
        if path.is_dir():
            raise InputError(f"{path}: is a folder, not a {self.fmt} file. Give the path of one table file.")
        self.columns: list[str] = []
        self.rows: int | None = None
        self.arrow_schema: pa.Schema | None = None
        self._dtypes: dict = {}
        try:
            self._scan()
        except InputError:
            raise
        except (ValueError, OSError, UnicodeDecodeError, pa.ArrowException) as exc:
            raise self._unreadable(exc) from None
        if text_column not in self.columns:
            raise InputError(f"{path}: no text column {text_column!r}. Columns available: "
                             f"{', '.join(map(repr, self.columns)) or '(none)'}. "
                             f"Pass the right one with --text-column NAME.")

    def _unreadable(self, exc: Exception) -> InputError:
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        hint = " Save it as UTF-8." if isinstance(exc, UnicodeDecodeError) else ""
        return InputError(f"{self.path}: cannot be read as {self.fmt}: {reason}.{hint} "
                          f"Check that the file is a complete {self.fmt} table with a header.")

    # one pass over the file: columns, row count and one dtype per column for every chunk
    def _scan(self) -> None:
        if self.fmt == "parquet":
            pf = pq.ParquetFile(self.path)
            self.arrow_schema = pf.schema_arrow
            self.columns = list(pf.schema_arrow.names)
            self.rows = pf.metadata.num_rows
            return
        if self.path.stat().st_size == 0:
            raise InputError(f"{self.path}: the file is empty (not even a header). "
                             f"Give a table with a header row naming the columns.")
        seen: dict[str, set] = {}
        rows = 0
        for chunk in self._raw_chunks(dtype=None):
            if not self.columns:
                self.columns = [str(c) for c in chunk.columns]
            for c in chunk.columns:
                seen.setdefault(str(c), set()).add(_kind(chunk[c]))
            rows += len(chunk)
        self.rows = rows
        self._dtypes = {c: _unify(kinds) for c, kinds in seen.items()}
        if self.text_column in self._dtypes:
            self._dtypes[self.text_column] = "str"

    def _raw_chunks(self, dtype) -> Iterator[pd.DataFrame]:
        if self.fmt in _SEPS:
            if dtype is None:  # scanning: the header alone tells the columns even with no rows
                header = pd.read_csv(self.path, sep=_SEPS[self.fmt], nrows=0)
                self.columns = [str(c) for c in header.columns]
                dtype = {self.text_column: str} if self.text_column in self.columns else None
            reader = pd.read_csv(self.path, sep=_SEPS[self.fmt], chunksize=self.chunksize, dtype=dtype)
            with reader:
                yield from reader
        else:  # jsonl
            # dtype=False, convert_dates=False: JSON strings stay strings ("1_1" is not 11,
            # "2024-05-01" is not a timestamp), numbers stay numbers, parsed exactly
            reader = pd.read_json(self.path, lines=True, chunksize=self.chunksize, dtype=False,
                                  precise_float=True)
            with reader:
                for chunk in reader:
                    if dtype:
                        chunk = _cast(chunk, dtype)
                    yield chunk

    def chunks(self) -> Iterator:
        """Yield chunks: ``pyarrow.RecordBatch`` for Parquet input, DataFrames otherwise."""
        try:
            if self.fmt == "parquet":
                pf = pq.ParquetFile(self.path)
                yield from pf.iter_batches(batch_size=self.chunksize)
            else:
                dtype = {c: ("str" if k == "str" else k) for c, k in self._dtypes.items()}
                yield from self._raw_chunks(dtype)
        except InputError:
            raise
        except (ValueError, OSError, UnicodeDecodeError, pa.ArrowException) as exc:
            raise self._unreadable(exc) from None


def _kind(s: pd.Series) -> str:
    if pd.api.types.is_bool_dtype(s.dtype):
        return "bool"
    if pd.api.types.is_integer_dtype(s.dtype):
        return "int64"
    if pd.api.types.is_float_dtype(s.dtype):
        return "float64" if s.notna().any() else "empty"
    if isinstance(s.dtype, pd.DatetimeTZDtype) or pd.api.types.is_datetime64_any_dtype(s.dtype):
        return str(s.dtype)
    return "str"


def _unify(kinds: set) -> str:
    kinds = set(kinds)
    if kinds == {"empty"}:
        return "float64"
    kinds.discard("empty")  # an all-missing chunk fits any type
    if len(kinds) == 1:
        k = next(iter(kinds))
        return "float64" if k == "int64" and "empty" in kinds else k
    if kinds <= {"int64", "float64"}:
        return "float64"
    return "str"


def _cast(df: pd.DataFrame, dtypes: dict) -> pd.DataFrame:
    for c, k in dtypes.items():
        if c in df.columns and _kind(df[c]) != k and not (k == "float64" and _kind(df[c]) == "empty"):
            df[c] = df[c].astype(k)
    return df


# ------------------------------------------------------------------ writing
class _Sink:
    """Appends scored chunks to a temporary file in the output format."""

    def __init__(self, tmp: Path, fmt: str):
        self.tmp, self.fmt = tmp, fmt
        self._writer: pq.ParquetWriter | None = None
        self._schema: pa.Schema | None = None
        self._fh = None if fmt == "parquet" else open(tmp, "w", encoding="utf-8", newline="")
        self._header = True

    def write(self, chunk) -> None:
        if self.fmt == "parquet":
            table = chunk if isinstance(chunk, pa.Table) else pa.Table.from_pandas(
                chunk, preserve_index=False, schema=self._schema)
            if self._writer is None:
                self._schema = table.schema
                self._writer = pq.ParquetWriter(self.tmp, self._schema, compression="zstd")
            elif table.schema != self._schema:
                table = table.cast(self._schema)
            self._writer.write_table(table)
            return
        df = chunk.to_pandas() if isinstance(chunk, pa.Table) else chunk
        if self.fmt in _SEPS:
            df.to_csv(self._fh, sep=_SEPS[self.fmt], index=False, header=self._header, lineterminator="\n")
        elif len(df):
            # json.dumps rather than DataFrame.to_json: floats are written exactly (repr),
            # not rounded to 10 digits; missing values become null
            records = df.astype(object).where(df.notna(), None).to_dict("records")
            self._fh.write("".join(json.dumps(r, ensure_ascii=False, allow_nan=False, default=_json_default)
                                   + "\n" for r in records))
        self._header = False

    def close(self) -> None:
        if self._writer is not None:
            self._writer.close()
        if self._fh is not None:
            self._fh.close()


def _json_default(value):
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if hasattr(value, "item"):  # numpy scalars
        return value.item()
    return str(value)


# ------------------------------------------------------------------ executors
class _InProcess:
    """jobs=1: score right here (no pickling, no start-up cost)."""

    def __init__(self, scorer):
        self.scorer = scorer

    def submit(self, texts):
        return _Done(score_texts(texts, self.scorer))

    def close(self, cancel=False):
        pass


class _Done:
    def __init__(self, value):
        self._value = value

    def result(self):
        return self._value


class _Pool:
    def __init__(self, jobs: int, scorer):
        import concurrent.futures
        import multiprocessing as mp
        import pickle
        import threading
        methods = mp.get_all_start_methods()
        # fork starts workers at once with everything imported, but is only safe while this
        # process runs a single thread (e.g. the CLI); otherwise forkserver (or spawn)
        if "fork" in methods and threading.active_count() == 1:
            method = "fork"
        else:
            method = "forkserver" if "forkserver" in methods else "spawn"
        ctx = mp.get_context(method)
        if method == "forkserver":
            ctx.set_forkserver_preload(["alliance_study.metrics", "alliance_study.scale"])
        self._ex = concurrent.futures.ProcessPoolExecutor(max_workers=jobs, mp_context=ctx,
                                                          initializer=_init_worker,
                                                          initargs=(pickle.dumps(scorer),))

    def submit(self, texts):
        return self._ex.submit(_score_in_worker, texts)

    def close(self, cancel=False):
        self._ex.shutdown(wait=True, cancel_futures=cancel)


class _Dask:
    def __init__(self, jobs: int | None, scheduler: str | None, scorer):
        import logging
        from distributed import Client, LocalCluster
        self._cluster = None
        if scheduler:
            try:
                self.client = Client(scheduler, timeout="20s")
            except (OSError, TimeoutError) as exc:
                raise InputError(f"cannot connect to the Dask scheduler at {scheduler!r}: {exc}. "
                                 f"Check the address (e.g. tcp://host:8786) and that the scheduler runs.") from None
        else:
            self._cluster = LocalCluster(n_workers=jobs or 2, threads_per_worker=1, processes=True,
                                         dashboard_address=None, silence_logs=logging.ERROR)
            self.client = Client(self._cluster)
        # one copy of the driver's Scorer on every worker, shared by all its tasks
        self._scorer = self.client.scatter(scorer, broadcast=True, hash=False)

    def submit(self, texts):
        return self.client.submit(score_texts, texts, self._scorer, pure=False)

    def close(self, cancel=False):
        self.client.close()
        if self._cluster is not None:
            self._cluster.close()


# ------------------------------------------------------------------ the pipeline
def score_file(input, output, text_column: str = "text", jobs: int | None = None, engine: str = "local",
               scheduler: str | None = None, chunksize: int | None = DEFAULT_CHUNKSIZE,
               progress: bool = True, scorer=None) -> dict:
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
        engine (but in-process for inputs of at most :data:`SMALL_INPUT` rows),
        2 for a Dask LocalCluster; 1 scores in this process.
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
        ``rows``, ``seconds``, ``output``, ``engine``, ``jobs``.
    """
    t0 = time.perf_counter()
    input, output = Path(input), Path(output)
    if engine not in ("local", "dask"):
        raise InputError(f"unknown engine {engine!r}: use 'local' or 'dask'.")
    if scheduler and engine != "dask":
        raise InputError("--scheduler needs --engine dask.")
    chunksize = int(chunksize or DEFAULT_CHUNKSIZE)
    if chunksize < 1:
        raise InputError(f"chunksize must be at least 1 (got {chunksize}).")
    if jobs is not None and jobs < 1:
        raise InputError(f"jobs must be at least 1 (got {jobs}).")
    out_fmt = table_format(output)
    if output.resolve() == input.resolve():
        raise InputError(f"{output}: the output would overwrite the input. Write to another file.")
    src = _Source(input, text_column, chunksize)

    from ..metrics import default_scorer
    scorer = scorer or default_scorer()
    columns = scorer.columns
    clash = [c for c in columns if c in src.columns]
    if clash:
        raise InputError(f"{input}: input columns {', '.join(map(repr, clash))} have the names of metric "
                         f"columns this command adds. Rename or drop them first (is the file already scored?).")

    if engine == "dask":
        ex = _Dask(jobs, scheduler, scorer)
        workers = jobs or 2
    else:
        workers = jobs or os.cpu_count() or 1
        if jobs is None and src.rows is not None and src.rows <= SMALL_INPUT:
            workers = 1  # starting worker processes would take longer than scoring
        ex = _InProcess(scorer) if workers == 1 else _Pool(workers, scorer)
    piece = max(1, min(PIECE_MAX, math.ceil(chunksize / (2 * workers)))) if workers > 1 else chunksize
    bar = _progress(progress, src.rows)
    rows = 0
    ok = False
    try:
        with atomic_path(output, suffix=output.suffix) as tmp:
            sink = _Sink(tmp, out_fmt)
            try:
                pending: collections.deque = collections.deque()
                wrote = False
                for chunk in src.chunks():
                    texts = _texts(chunk, text_column)
                    futs = [ex.submit(texts[i:i + piece]) for i in range(0, len(texts), piece)]
                    pending.append((chunk, futs))
                    while len(pending) > 1:  # one chunk scoring while the next is queued
                        rows += _flush(pending.popleft(), sink, columns, bar)
                        wrote = True
                while pending:
                    rows += _flush(pending.popleft(), sink, columns, bar)
                    wrote = True
                if not wrote:  # no rows: still write the header / schema
                    sink.write(_empty(src, columns))
            finally:
                sink.close()
        ok = True
    finally:
        ex.close(cancel=not ok)
        bar.close()
    seconds = time.perf_counter() - t0
    return {"rows": rows, "seconds": seconds, "output": str(output), "engine": engine, "jobs": workers}


def _texts(chunk, text_column: str) -> list:
    if isinstance(chunk, pa.RecordBatch):
        return chunk.column(text_column).to_pylist()
    return chunk[text_column].tolist()


def _flush(item, sink: _Sink, columns: list, bar) -> int:
    chunk, futs = item
    parts = [f.result() for f in futs]
    metrics = {c: _concat([p[c] for p in parts]) for c in columns} if parts else _empty_metrics(columns)
    if isinstance(chunk, pa.RecordBatch):
        table = pa.Table.from_batches([chunk])
        for c in columns:
            table = table.append_column(c, pa.array(metrics[c]))
        sink.write(table)
    else:
        df = chunk.reset_index(drop=True)
        sink.write(pd.concat([df, pd.DataFrame(metrics, columns=columns)], axis=1))
    n = len(chunk) if not isinstance(chunk, pa.RecordBatch) else chunk.num_rows
    bar.update(n)
    return n


def _concat(parts: list):
    if isinstance(parts[0], np.ndarray):
        return np.concatenate(parts)
    out = []
    for p in parts:
        out.extend(p)
    return out


def _empty_metrics(columns) -> dict:
    return {c: (np.array([], dtype=d) if d != "object" else []) for c, d in _metric_dtypes(columns).items()}


def _empty(src: _Source, columns) -> object:
    metrics = _empty_metrics(columns)
    if src.arrow_schema is not None:
        table = src.arrow_schema.empty_table()
        for c in columns:
            table = table.append_column(c, pa.array(metrics[c], type=pa.string() if isinstance(metrics[c], list) else None))
        return table
    df = pd.DataFrame({c: pd.Series([], dtype=("str" if src._dtypes.get(c) == "str" else src._dtypes.get(c, "str")))
                       for c in src.columns})
    return pd.concat([df, pd.DataFrame(metrics, columns=columns).astype(
        {c: ("str" if d == "object" else d) for c, d in _metric_dtypes(columns).items()})], axis=1)


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


def run_score(input, output, text_column: str = "text", jobs: int | None = None, engine: str = "local",
              scheduler: str | None = None, chunksize: int | None = None, progress: bool = True) -> int:
    """CLI entry: :func:`score_file`, then one summary line on stderr; returns the exit code."""
    info = score_file(input, output, text_column=text_column, jobs=jobs, engine=engine, scheduler=scheduler,
                      chunksize=chunksize or DEFAULT_CHUNKSIZE, progress=progress)
    rate = info["rows"] / info["seconds"] if info["seconds"] > 0 else float("nan")
    print(f"alliance-study score: {info['rows']:,} rows -> {info['output']} in {info['seconds']:.1f} s "
          f"({rate:,.0f} rows/s, engine {info['engine']}, {info['jobs']} job(s))", file=sys.stderr)
    return 0
