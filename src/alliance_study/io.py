"""Atomic file writes, stable hashing and table I/O by file extension.

Every derived file is written to a temporary file in the same folder and moved into
place with :func:`os.replace`, so a reader sees either the old file or the new one,
never half of one, even when a build is interrupted.

>>> import tempfile, pandas as pd, pathlib
>>> d = pathlib.Path(tempfile.mkdtemp())
>>> write_table(pd.DataFrame({"a": [1, 2]}), d / "t.csv")
>>> read_table(d / "t.csv")["a"].tolist()
[1, 2]
"""
from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import tempfile
import warnings
from pathlib import Path
from typing import Iterator

import pandas as pd

from .errors import InputError

#: table formats by extension
FORMATS = {".csv": "csv", ".tsv": "tsv", ".tab": "tsv", ".jsonl": "jsonl", ".ndjson": "jsonl",
           ".parquet": "parquet", ".pq": "parquet"}


def _temporary_prefix(path: Path) -> str:
    """How :func:`atomic_path` names its temporary files: ``.<name>.`` + 8 random characters + suffix."""
    return f".{path.name}."


def stale_temporaries(path: str | os.PathLike, suffix: str | None = None, *, older_than: float) -> list[Path]:
    """Temporary files :func:`atomic_path` made beside ``path`` (same ``suffix``) and last wrote before
    ``older_than`` (seconds since the epoch): what a writer killed with ``kill -9`` left behind.

    >>> import tempfile, time
    >>> d = Path(tempfile.mkdtemp())
    >>> old = d / ".out.csv.ab1_x9zq.csv"
    >>> _ = old.write_text("partial"); os.utime(old, (0, 0))
    >>> _ = (d / ".out.csv.notes.txt").write_text("not ours")
    >>> [p.name for p in stale_temporaries(d / "out.csv", ".csv", older_than=time.time())]
    ['.out.csv.ab1_x9zq.csv']
    """
    path = Path(path)
    pattern = re.compile(re.escape(_temporary_prefix(path)) + r"[a-z0-9_]{8}" + re.escape(suffix or ".tmp") + r"\Z")
    try:
        candidates = sorted(path.parent.iterdir())
    except OSError:
        return []
    found = []
    for p in candidates:
        if pattern.match(p.name):
            try:
                if p.is_file() and p.stat().st_mtime < older_than:
                    found.append(p)
            except OSError:
                continue
    return found


@contextlib.contextmanager
def atomic_path(path: str | os.PathLike, suffix: str | None = None) -> Iterator[Path]:
    """Yield a temporary path beside ``path``; on success move it into place atomically.

    On any exception (or KeyboardInterrupt) the temporary file is removed and the
    previous ``path``, if any, is left untouched.
    """
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(prefix=_temporary_prefix(path), suffix=suffix or ".tmp", dir=path.parent)
    except OSError as exc:  # a parent that is a file, a read-only or missing place ...
        blocker = next((p for p in path.parents if p.exists()), path.parent)
        why = f"{blocker} is a file, not a folder" if blocker.is_file() else f"{exc.strerror or exc}: {exc.filename}"
        raise InputError(f"{path}: cannot write here ({why}). "
                         f"Fix: choose an output path in a folder you can write to.") from None
    os.close(fd)
    tmp = Path(name)
    try:
        yield tmp
        if tmp.exists():  # mkstemp creates 0600; give the file the mode a plain open() would
            os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
        raise


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_bytes_atomic(path: str | os.PathLike, data: bytes) -> None:
    """Write ``data`` to ``path`` atomically."""
    with atomic_path(path) as tmp:
        tmp.write_bytes(data)


def write_text_atomic(path: str | os.PathLike, text: str) -> None:
    """Write UTF-8 ``text`` to ``path`` atomically (``\\n`` line ends)."""
    write_bytes_atomic(path, text.encode("utf-8"))


def write_json_atomic(path: str | os.PathLike, obj) -> None:
    """Write ``obj`` as sorted, indented JSON, atomically: same object, same bytes."""
    write_text_atomic(path, json.dumps(obj, indent=2, sort_keys=True, ensure_ascii=False, default=str) + "\n")


def sha256_file(path: str | os.PathLike, chunk: int = 1 << 20) -> str:
    """Hex SHA-256 of a file's bytes."""
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(chunk), b""):
            h.update(block)
    return h.hexdigest()


def table_format(path: str | os.PathLike) -> str:
    """``csv``, ``tsv``, ``jsonl`` or ``parquet`` from the file extension, or an :class:`InputError`."""
    ext = Path(path).suffix.lower()
    if ext not in FORMATS:
        raise InputError(f"{path}: unknown table format {ext or '(no extension)'!r}. "
                         f"Fix: give the file one of the extensions {', '.join(sorted(FORMATS))}.")
    return FORMATS[ext]


def read_table(path: str | os.PathLike, **kwargs) -> pd.DataFrame:
    """Read a whole CSV/TSV/JSONL/Parquet table (format from the extension)."""
    fmt = table_format(path)
    if not Path(path).exists():
        raise InputError(f"{path}: file not found. Fix: check the path.")
    try:
        if fmt in ("csv", "tsv"):
            return read_csv(path, **{"sep": "," if fmt == "csv" else "\t", **kwargs})
        if fmt == "jsonl":
            return pd.read_json(path, lines=True, **kwargs)
        return pd.read_parquet(path, **kwargs)
    except (ValueError, OSError, UnicodeDecodeError, pd.errors.ParserError) as exc:
        raise InputError(f"{path}: cannot be read as {fmt}: {exc}. "
                         f"Fix: check that the file is a complete {fmt} table (UTF-8, with a header).") from None


class LongFirstRow(InputError):
    """The first data row of a CSV/TSV file has more fields than its header (:func:`read_csv`)."""


def read_csv(path: str | os.PathLike, **kwargs) -> pd.DataFrame:
    """``pandas.read_csv`` that refuses a first data row with more fields than the header (:class:`LongFirstRow`).

    pandas would take that row's extra leading fields for an index column of every row (every
    value one column off), or, with ``index_col=False``, drop them with only a warning: here the
    warning is the error.

    >>> import io as _io
    >>> read_csv(_io.StringIO("id,text\\n1,Talks collapsed, officials said.\\n"))
    Traceback (most recent call last):
    alliance_study.io.LongFirstRow: <_io.StringIO object at ...>: its first data row has more fields than the \
header. Fix: put double quotes around a field that contains the separator, or remove the extra fields.
    """
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", pd.errors.ParserWarning)
        df = pd.read_csv(path, **{"index_col": False, **kwargs})
    if any(issubclass(w.category, pd.errors.ParserWarning) and "header" in str(w.message) for w in caught):
        raise LongFirstRow(f"{path}: its first data row has more fields than the header. Fix: put double "
                           f"quotes around a field that contains the separator, or remove the extra fields.")
    return df


#: a quoted CSV field (inner quotes doubled) or a line end outside quotes
_QUOTED_OR_CRLF = re.compile(r'("[^"]*")|\r\n')


def write_csv(df: pd.DataFrame, target, sep: str = ",", header: bool = True) -> None:
    """Write ``df`` as CSV/TSV (no index, ``\\n`` line ends) to a path or an open text file.

    What is written reads back as the same table, also when a value holds a lone
    carriage return: the :mod:`csv` writer pandas uses quotes a value holding the
    separator, a quote or ``\\n``, but not one holding a ``\\r`` alone when rows end
    with ``\\n``, and a reader takes that ``\\r`` for the end of a row.  A table with
    no ``\\r`` is written by pandas as it is (the same bytes); one with a ``\\r``
    somewhere is written with ``\\r\\n`` row ends (the writer then quotes every value
    holding ``\\r`` or ``\\n``) turned into ``\\n`` outside the quoted values.

    >>> import io
    >>> buf = io.StringIO()
    >>> write_csv(pd.DataFrame({"id": [1, 2], "text": ["Line one.\\rLine two.", "Other."]}), buf)
    >>> buf.getvalue()
    'id,text\\n1,"Line one.\\rLine two."\\n2,Other.\\n'
    """
    if not has_cr(df):
        df.to_csv(target, sep=sep, index=False, header=header, lineterminator="\n")
        return
    text = df.to_csv(None, sep=sep, index=False, header=header, lineterminator="\r\n")
    # every '"' of the text belongs to a quoted value (a value holding one is quoted, and it doubled),
    # so a "\r\n" outside the quoted values is a row end
    text = _QUOTED_OR_CRLF.sub(lambda m: m.group(1) if m.group(1) is not None else "\n", text)
    if isinstance(target, (str, os.PathLike)):
        with open(target, "w", encoding="utf-8", newline="") as fh:
            fh.write(text)
    else:
        target.write(text)


def has_cr(df: pd.DataFrame) -> bool:
    """True when a column name or a text value of ``df`` holds a carriage return (``\\r``).

    Numeric, boolean and date columns cannot hold one and are not looked at.

    >>> has_cr(pd.DataFrame({"n": [1], "s": ["a\\rb"]})), has_cr(pd.DataFrame({"s": ["a\\nb", None]}))
    (True, False)
    """
    if any("\r" in str(c) for c in df.columns):
        return True
    for _, col in df.items():
        dtype = col.dtype
        if pd.api.types.is_numeric_dtype(dtype) or pd.api.types.is_bool_dtype(dtype) \
                or pd.api.types.is_datetime64_any_dtype(dtype) or pd.api.types.is_timedelta64_dtype(dtype):
            continue
        if holds_char(dtype.categories if isinstance(dtype, pd.CategoricalDtype) else col.array, "\r"):
            return True
    return False


def holds_char(values, char: str) -> bool:
    """Whether a text value of a column holds the ASCII character ``char``.

    ``values``: a pandas array, Series or Index, or a pyarrow Array or ChunkedArray.
    Arrow string data (pandas' ``str`` columns) is scanned as bytes, with no loop over
    the values; other columns value by value (only strings can hold it).

    >>> import pyarrow as pa
    >>> holds_char(pd.array(["a", None, "b\\x00c"], dtype="str"), "\\x00"), holds_char(pa.array(["a", None]), "\\x00")
    (True, False)
    >>> holds_char(pa.array(["a\\rb", "c"]).slice(1), "\\r")  # a slice: its own values only
    False
    """
    import pyarrow as pa

    if isinstance(values, (pd.Series, pd.Index)):
        values = values.array
    if isinstance(getattr(values, "dtype", None), pd.StringDtype) and hasattr(values, "__arrow_array__"):
        values = values.__arrow_array__()
    if isinstance(values, (pa.Array, pa.ChunkedArray)):
        chunks = values.chunks if isinstance(values, pa.ChunkedArray) else [values]
        if all(pa.types.is_string(c.type) or pa.types.is_large_string(c.type) for c in chunks):
            needle = char.encode("ascii")
            return any(needle in _string_bytes(c) for c in chunks)
        values = values.to_pylist()
    return any(isinstance(v, str) and char in v for v in values)


def _string_bytes(array) -> bytes:
    """The UTF-8 bytes of the values of a pyarrow string array (of a slice: its values only)."""
    import numpy as np

    if len(array) == 0 or array.buffers()[2] is None:
        return b""
    offsets = np.frombuffer(array.buffers()[1], dtype=np.int64 if str(array.type) == "large_string" else np.int32)
    return memoryview(array.buffers()[2])[offsets[array.offset]:offsets[array.offset + len(array)]].tobytes()


def write_table(df: pd.DataFrame, path: str | os.PathLike) -> None:
    """Write a table atomically in the format named by the extension.

    Output is deterministic: no index, stable column order, Parquet without
    pandas' creation metadata varying between runs.
    """
    fmt = table_format(path)
    with atomic_path(path, suffix=Path(path).suffix) as tmp:
        if fmt in ("csv", "tsv"):
            write_csv(df, tmp, sep="," if fmt == "csv" else "\t")
        elif fmt == "jsonl":
            df.to_json(tmp, orient="records", lines=True, force_ascii=False, double_precision=15)
        else:
            import pyarrow as pa
            import pyarrow.parquet as pq

            # one chunk per column: the bytes then depend on the rows alone, not on how the
            # frame was assembled (a concatenation of pieces keeps its pieces as chunks)
            table = pa.Table.from_pandas(df, preserve_index=False).combine_chunks()
            pq.write_table(table, tmp, compression="zstd")
