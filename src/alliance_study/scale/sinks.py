"""Writers: scored chunks appended to one CSV, TSV, JSONL or Parquet file.

:class:`Sink` writes chunk after chunk to a (temporary) file; every chunk has the
same columns and types, so the output is the same whatever the chunk size:

* CSV/TSV: pandas' writer (``\\n`` line ends, header once) through
  :func:`alliance_study.io.write_csv` (a value holding a lone ``\\r`` is quoted);
  nullable integers and booleans write their missing values as empty cells;
  nested Parquet values (lists, structs, maps) as JSON text, their numbers as
  Parquet holds them (``[1, 2]``, ``{"x": 1}``);
* JSONL: one object per row through :func:`json.dumps` (floats exact, missing
  values ``null``, integers as JSON integers, dates as ISO text, nested Parquet
  values as JSON lists and objects);
* Parquet: zstd-compressed row groups of one fixed schema, given up front, with
  pandas' metadata (``Int64``/``boolean`` columns come back as such).

>>> import tempfile, pathlib, pandas as pd
>>> p = pathlib.Path(tempfile.mkdtemp()) / "t.jsonl"
>>> sink = Sink(p, "jsonl")
>>> sink.write(pd.DataFrame({"n": pd.array([5, None], dtype="Int64"), "x": [0.1, 2.0]}))
>>> sink.close()
>>> p.read_text()
'{"n": 5, "x": 0.1}\\n{"n": null, "x": 2.0}\\n'
"""
from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from ..io import write_csv

SEPARATORS = {"csv": ",", "tsv": "\t"}


class Sink:
    """Append chunks (DataFrames or Arrow tables) to ``path`` in format ``fmt``.

    Parameters
    ----------
    path : path
    fmt : {"csv", "tsv", "jsonl", "parquet"}
    schema : pyarrow.Schema, optional
        The Parquet schema every chunk is written with (required for Parquet).
    """

    def __init__(self, path, fmt: str, schema: pa.Schema | None = None):
        self.path, self.fmt, self.schema = Path(path), fmt, schema
        if fmt == "parquet" and schema is None:
            raise ValueError("a Parquet sink needs the schema of its chunks")
        self._writer: pq.ParquetWriter | None = None
        self._fh = None if fmt == "parquet" else open(self.path, "w", encoding="utf-8", newline="")
        self._header = True

    def write(self, chunk) -> None:
        """Append one chunk; its columns must be those of every other chunk."""
        if self.fmt == "parquet":
            self._write_parquet(chunk)
            return
        assert self._fh is not None
        df = _frame(chunk, as_text=self.fmt in SEPARATORS) if isinstance(chunk, pa.Table) else chunk
        if self.fmt in SEPARATORS:
            write_csv(df, self._fh, sep=SEPARATORS[self.fmt], header=self._header)
        elif len(df):
            # json.dumps rather than DataFrame.to_json: floats are written exactly (repr),
            # not rounded to 10 digits; missing values become null
            records = df.astype(object).where(df.notna(), None).to_dict("records")
            self._fh.write("".join(json.dumps(r, ensure_ascii=False, allow_nan=False, default=_json_default)
                                   + "\n" for r in records))
        self._header = False

    def _write_parquet(self, chunk) -> None:
        if isinstance(chunk, pa.Table):
            table = chunk if chunk.schema.equals(self.schema) else chunk.cast(self.schema)
        else:
            table = pa.Table.from_pandas(chunk, schema=self.schema, preserve_index=False)
        if self._writer is None:
            self._writer = pq.ParquetWriter(self.path, self.schema, compression="zstd")
        self._writer.write_table(table)

    def close(self) -> None:
        """Finish the file (also when writing failed half-way)."""
        if self._writer is not None:
            self._writer.close()
        if self._fh is not None:
            self._fh.close()


def _frame(table: pa.Table, as_text: bool) -> pd.DataFrame:
    """An Arrow table as a DataFrame; nested columns as JSON text (``as_text``) or as Python lists and dicts.

    pandas would give a list column numpy arrays (written ``['a' 'b']``, ints turned floats
    by a null) and a struct column dicts written as Python text (``{'x': 1.0}``).  pandas'
    metadata is ignored: a stored index column stays a column, where it is in the Parquet
    output (it would become the index, which is not written).
    """
    df = table.to_pandas(types_mapper=_nullable, ignore_metadata=True)
    for i, field in enumerate(table.schema):
        if pa.types.is_nested(field.type) and field.name in df.columns:
            values = [None if v is None else _json_safe(v) for v in table.column(i).to_pylist()]
            if as_text:
                values = [None if v is None else json.dumps(v, ensure_ascii=False, allow_nan=False,
                                                            default=_json_default) for v in values]
            df[field.name] = pd.Series(values, index=df.index, dtype=object)
    return df


def _json_safe(value):
    """A nested value with JSON's missing value for a NaN or infinity (JSON has no such numbers); maps as pairs."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {k: _json_safe(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_json_safe(v) for v in value]
    return value


def _nullable(arrow_type: pa.DataType):
    """Arrow integers and booleans as pandas' nullable types, so a null never turns 5 into 5.0."""
    if pa.types.is_integer(arrow_type):
        return pd.api.types.pandas_dtype(str(arrow_type).capitalize().replace("Uint", "UInt"))
    if pa.types.is_boolean(arrow_type):
        return pd.BooleanDtype()
    return None


def _json_default(value):
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if isinstance(value, np.ndarray):  # a list held by a DataFrame cell
        return value.tolist()
    if hasattr(value, "item"):  # numpy scalars
        return value.item()
    return str(value)
