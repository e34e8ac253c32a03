"""Readers: a CSV, TSV, JSONL or Parquet table read in chunks with one type per column.

:class:`Source` opens a table (format from the extension), checks it, and yields it
chunk by chunk.  Parquet carries its own schema and is read as Arrow record
batches.  CSV, TSV and JSONL are scanned once first so that every chunk is read
with the same column types (rules in :mod:`alliance_study.scale.schema`); the scan
also counts the rows for the progress bar.

>>> import tempfile, pathlib
>>> p = pathlib.Path(tempfile.mkdtemp()) / "t.csv"
>>> _ = p.write_text("id,n,text\\n007,5,It may.\\n008,,Fine.\\n", encoding="utf-8")
>>> src = Source(p, "text", chunksize=1)
>>> src.rows, src.dtypes
(2, {'id': 'str', 'n': 'Int64', 'text': 'str'})
>>> [c["n"].tolist() for c in src.chunks()]
[[5], [<NA>]]
"""
from __future__ import annotations

import contextlib
import json
from pathlib import Path
from typing import Iterator

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from ..errors import InputError
from ..io import LongFirstRow, read_csv, table_format
from . import schema as types

SEPARATORS = {"csv": ",", "tsv": "\t"}


class Source:
    """A table read in chunks of ``chunksize`` rows.

    Attributes
    ----------
    fmt : str
        ``csv``, ``tsv``, ``jsonl`` or ``parquet``.
    columns : list of str
        The input columns, in order.
    rows : int
        Number of data rows.
    dtypes : dict
        ``{column: pandas dtype}`` every chunk of a CSV/TSV/JSONL input has
        (empty for Parquet, whose types are in :attr:`arrow_schema`).
    arrow_schema : pyarrow.Schema or None
        The schema of a Parquet input.
    """

    def __init__(self, path, text_column: str, chunksize: int):
        self.path = Path(path)
        self.fmt = table_format(self.path)
        self.text_column = text_column
        self.chunksize = chunksize
        if not self.path.exists():
            raise InputError(f"{self.path}: file not found. Fix: check the path.")
        if self.path.is_dir():
            raise InputError(f"{self.path}: is a folder, not a {self.fmt} file. "
                             f"Fix: give the path of one table file.")
        self.columns: list[str] = []
        self.rows: int = 0
        self.dtypes: dict[str, str] = {}
        self.arrow_schema: pa.Schema | None = None
        with self._readable():
            self._scan()
        if text_column not in self.columns:
            raise InputError(f"{self.path}: no text column {text_column!r}. Columns available: "
                             f"{', '.join(map(repr, self.columns)) or '(none)'}. "
                             f"Fix: pass the right one with --text-column NAME.")

    # -------------------------------------------------------------- reading
    def chunks(self) -> Iterator:
        """Yield the rows in order: ``pyarrow.RecordBatch`` for Parquet, DataFrames otherwise."""
        with self._readable():
            if self.fmt == "parquet":
                yield from pq.ParquetFile(self.path).iter_batches(batch_size=self.chunksize)
            elif self.fmt in SEPARATORS:
                dtype = {c: (str if d == "str" else d) for c, d in self.dtypes.items()}
                with self._csv(dtype) as reader:
                    yield from reader
            else:
                for records in self._json_records():
                    yield self._json_frame(records)

    # -------------------------------------------------------------- the scan
    def _scan(self) -> None:
        if self.fmt == "parquet":
            pf = pq.ParquetFile(self.path)
            self.arrow_schema = pf.schema_arrow
            self.columns = list(pf.schema_arrow.names)
            self.rows = pf.metadata.num_rows
            return
        if self.path.stat().st_size == 0:
            raise InputError(f"{self.path}: the file is empty (not even a header). "
                             f"Fix: give a table with a header row naming the columns.")
        kinds: dict[str, set] = {}
        missing: dict[str, bool] = {}
        if self.fmt in SEPARATORS:
            self.columns = self._header()
            kinds = {c: set() for c in self.columns}
            missing = dict.fromkeys(self.columns, False)
            # the text column is always a string column: not parsed here (unless it is the only one)
            others = [c for c in self.columns if c != self.text_column] or self.columns
            with self._csv(str, usecols=others) as reader:
                for chunk in reader:
                    self.rows += len(chunk)
                    for c in others:
                        kinds[c].add(types.value_kind(chunk[c]))
                        missing[c] = missing[c] or bool(chunk[c].isna().any())
        else:
            filled: dict[str, int] = {}
            for records in self._json_records():
                self.rows += len(records)
                for rec in records:
                    for c, v in rec.items():
                        kinds.setdefault(c, set()).add(types.json_kind(v))
                        if v is not None:
                            filled[c] = filled.get(c, 0) + 1
            # a key absent from a record, like null, is a missing value
            missing = {c: filled.get(c, 0) < self.rows for c in kinds}
            self.columns = list(kinds)
        self.dtypes = {c: "str" if c == self.text_column else types.unify(kinds[c], missing[c])
                       for c in self.columns}

    # -------------------------------------------------------------- formats
    def _header(self) -> list[str]:
        """The column names; refused when the first data row has more fields than the header.

        pandas would take such a row's extra leading field for an index column for every
        row (index_col=None: every value one column off), or drop the extra fields
        (index_col=False, with only a warning).  A later row with more fields makes the
        read itself fail (:meth:`_readable`); the scan reads too few columns to see it.
        """
        try:
            head = read_csv(self.path, sep=SEPARATORS[self.fmt], nrows=1, dtype=str, keep_default_na=False)
        except LongFirstRow:
            n = len(pd.read_csv(self.path, sep=SEPARATORS[self.fmt], nrows=0).columns)
            raise self._long_row(f"its first data row has more fields than the header's {n}") from None
        return [str(c) for c in head.columns]

    def _long_row(self, reason: str) -> InputError:
        """The error for a row with more fields than the header: its row, line, field counts and fix.

        ``reason`` (pandas' words) is said only if the rows, read again with :mod:`csv`, show no such row.
        """
        from ..corpus.table_read import long_row  # only on this error path: the corpus package is not needed else

        problem = long_row(self.path)
        if problem is not None:
            return InputError(str(problem))
        return InputError(f"{self.path}: {reason}. Fix: put double quotes around a field that contains the "
                          f"separator, or remove the extra fields.")

    def _csv(self, dtype, usecols=None):
        # only an empty cell is missing: "NA", "None", "null" or "N/A" are values (a country code,
        # a word in a text) and are written back as they were; index_col=False: a row with more
        # fields than the header is an error (_readable), never an index column
        return pd.read_csv(self.path, sep=SEPARATORS[self.fmt], chunksize=self.chunksize, dtype=dtype,
                           usecols=usecols, keep_default_na=False, na_values=[""], index_col=False)

    def _json_records(self) -> Iterator[list[dict]]:
        records: list[dict] = []
        with open(self.path, encoding="utf-8") as fh:
            for lineno, line in enumerate(fh, 1):
                if not line.strip():
                    continue
                try:
                    rec = json.loads(line)
                except json.JSONDecodeError as exc:
                    raise InputError(f"{self.path} line {lineno}: not valid JSON ({exc.msg} at column {exc.colno}). "
                                     f"Fix: write one JSON object per line.") from None
                if not isinstance(rec, dict):
                    raise InputError(f"{self.path} line {lineno}: a JSON {type(rec).__name__}, not an object. "
                                     f"Fix: write one JSON object per line ({{\"text\": ...}}).")
                records.append(rec)
                if len(records) == self.chunksize:
                    yield records
                    records = []
        if records:
            yield records

    def _json_frame(self, records: list[dict]) -> pd.DataFrame:
        cols = {}
        for c, dtype in self.dtypes.items():
            values = [rec.get(c) for rec in records]
            if dtype == "str":
                values = [v if v is None or isinstance(v, str) else _json_text(v) for v in values]
            elif dtype == "float64":
                values = [float("nan") if v is None else float(v) for v in values]
            cols[c] = pd.array(values, dtype=dtype)
        return pd.DataFrame(cols, columns=self.columns)

    # -------------------------------------------------------------- errors
    @contextlib.contextmanager
    def _readable(self):
        """Turn a parser's exception into an :class:`InputError` naming the file and the fix."""
        try:
            yield
        except InputError:
            raise
        except (ValueError, OSError, UnicodeDecodeError, pa.ArrowException) as exc:
            reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            if isinstance(exc, pd.errors.ParserError) and " fields in line " in reason:  # "Expected 2 fields in line 4, saw 3"
                raise self._long_row(reason.replace("Error tokenizing data. C error: ", "")) from None
            fix = ("Save it as UTF-8." if isinstance(exc, UnicodeDecodeError)
                   else f"check that the file is a complete {self.fmt} table with a header.")
            raise InputError(f"{self.path}: cannot be read as {self.fmt}: {reason}. Fix: {fix}") from None


def _json_text(value) -> str:
    if isinstance(value, (list, dict)):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)

