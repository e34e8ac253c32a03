"""One type per column for the whole file: how text tables keep their values across chunks.

A CSV, TSV or JSONL file says nothing about its column types, and a reader that
guesses them chunk by chunk guesses differently for different chunks: an integer
column empty in one chunk, a column of ids that look numeric in one chunk only.
So :class:`~alliance_study.scale.sources.Source` reads the file once before
scoring and gives every column one type, from every value of the file, with these
rules (:func:`value_kind` for CSV/TSV text, :func:`json_kind` for JSON values,
:func:`unify` for the whole column):

* **integers** (``5``, ``-12``; no leading zero, fits 64 bits) stay integers:
  ``int64`` when no value is missing, pandas' nullable ``Int64`` when some are
  (written as an empty cell in CSV/TSV, ``null`` in JSONL, a null in Parquet);
* **booleans** (``True``/``False``/``true``/``false``/``TRUE``/``FALSE``; JSON
  ``true``/``false``): ``bool``, or nullable ``boolean`` when some are missing;
* **numbers** with a decimal point or exponent (or a mix of integers and such
  numbers): ``float64``;
* everything else is a **string**, kept exactly as written: a column is a string
  column as soon as one value is not a number (``"A12"``), and numbers with a
  leading zero (``"007"``) are strings, so ids keep their zeros;
* a column with no value at all is ``float64`` (all missing);
* the text column is always a string column.

Missing values are pandas' defaults (an empty cell, ``NA``, ``null``, ``NaN`` ...).
Nested JSON values (lists, objects) are written as JSON text in a string column.

>>> unify({"int"}, missing=True), unify({"int", "empty"}, missing=True), unify({"int", "float"}, missing=False)
('Int64', 'Int64', 'float64')
>>> [value_kind(pd.Series(v, dtype="str")) for v in (["5", "12"], ["007"], ["1.5", "2"], ["true"], [None])]
['int', 'str', 'float', 'bool', 'empty']
"""
from __future__ import annotations

import re

import pandas as pd
import pyarrow as pa

#: what :func:`unify` returns, as pandas dtypes
DTYPES = ("int64", "Int64", "float64", "bool", "boolean", "str")
#: the literals pandas' CSV reader parses as booleans
BOOL_WORDS = frozenset({"True", "False", "true", "false", "TRUE", "FALSE"})
_INT = r"[+-]?(?:0|[1-9][0-9]*)"
_FLOAT = r"[+-]?(?:(?:0|[1-9][0-9]*)(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?|[+-]?(?:inf|Inf|INF|infinity|Infinity)"
_INT64_MAX = 2 ** 63 - 1
_INT_RE, _FLOAT_RE = re.compile(_INT), re.compile(_FLOAT)


def value_kind(values: pd.Series) -> str:
    """The kind of a chunk of CSV/TSV cells read as strings: int, float, bool, str or empty.

    ``empty`` when every cell is missing; otherwise the narrowest kind that fits every
    cell that is not missing.
    """
    v = values.dropna()
    if v.empty:
        return "empty"
    head = v.iloc[0]  # one value decides most columns at once (a word: a string column)
    if head in BOOL_WORDS:
        return "bool" if v.isin(BOOL_WORDS).all() else "str"
    if not _FLOAT_RE.fullmatch(head):
        return "str"
    if _INT_RE.fullmatch(head) and v.str.fullmatch(_INT).all():
        long = v[v.str.len() > 18]
        return "int" if all(-_INT64_MAX - 1 <= int(x) <= _INT64_MAX for x in long) else "float"
    return "float" if v.str.fullmatch(_FLOAT).all() else "str"


def json_kind(value) -> str:
    """The kind of one JSON value: int, float, bool, str or empty (null).

    >>> [json_kind(v) for v in (3, 3.0, True, "3", None, [1], 2 ** 70)]
    ['int', 'float', 'bool', 'str', 'empty', 'str', 'str']
    """
    if value is None:
        return "empty"
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int):
        return "int" if -_INT64_MAX - 1 <= value <= _INT64_MAX else "str"
    if isinstance(value, float):
        return "float"
    return "str"


def unify(kinds: set, missing: bool) -> str:
    """The pandas dtype of a column from the kinds of all its chunks (or values).

    ``missing``: whether any value of the column is missing (chooses the nullable
    ``Int64``/``boolean`` over ``int64``/``bool``).
    """
    kinds = set(kinds) - {"empty"}
    if not kinds:
        return "float64"
    if kinds == {"int"}:
        return "Int64" if missing else "int64"
    if kinds == {"bool"}:
        return "boolean" if missing else "bool"
    if kinds <= {"int", "float"}:
        return "float64"
    return "str"


def empty_frame(dtypes: dict) -> pd.DataFrame:
    """A DataFrame with no rows and these ``{column: dtype}`` (``object`` becomes ``str``).

    >>> empty_frame({"n": "Int64", "cues": "object"}).dtypes.astype(str).tolist()
    ['Int64', 'str']
    """
    return pd.DataFrame({c: pd.Series([], dtype="str" if d == "object" else d) for c, d in dtypes.items()})


def arrow_schema(dtypes: dict) -> pa.Schema:
    """The Parquet schema of a table with these pandas dtypes, with pandas' metadata.

    The metadata lets ``pandas.read_parquet`` give back ``Int64``/``boolean`` columns;
    string columns are ``large_string`` (as pandas writes them) even when empty.

    >>> arrow_schema({"n": "Int64", "s": "str", "x": "float64"}).types
    [DataType(int64), DataType(large_string), DataType(double)]
    """
    schema = pa.Schema.from_pandas(empty_frame(dtypes), preserve_index=False)
    for i, field in enumerate(schema):
        if pa.types.is_null(field.type):
            schema = schema.set(i, field.with_type(pa.large_string()))
    return schema
