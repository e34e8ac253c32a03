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
import tempfile
from pathlib import Path
from typing import Iterator

import pandas as pd

from .errors import InputError

#: table formats by extension
FORMATS = {".csv": "csv", ".tsv": "tsv", ".tab": "tsv", ".jsonl": "jsonl", ".ndjson": "jsonl",
           ".parquet": "parquet", ".pq": "parquet"}


@contextlib.contextmanager
def atomic_path(path: str | os.PathLike, suffix: str | None = None) -> Iterator[Path]:
    """Yield a temporary path beside ``path``; on success move it into place atomically.

    On any exception (or KeyboardInterrupt) the temporary file is removed and the
    previous ``path``, if any, is left untouched.
    """
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=suffix or ".tmp", dir=path.parent)
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
        if fmt == "csv":
            return pd.read_csv(path, **kwargs)
        if fmt == "tsv":
            return pd.read_csv(path, sep="\t", **kwargs)
        if fmt == "jsonl":
            return pd.read_json(path, lines=True, **kwargs)
        return pd.read_parquet(path, **kwargs)
    except (ValueError, OSError, UnicodeDecodeError, pd.errors.ParserError) as exc:
        raise InputError(f"{path}: cannot be read as {fmt}: {exc}. "
                         f"Fix: check that the file is a complete {fmt} table (UTF-8, with a header).") from None


def write_table(df: pd.DataFrame, path: str | os.PathLike) -> None:
    """Write a table atomically in the format named by the extension.

    Output is deterministic: no index, stable column order, Parquet without
    pandas' creation metadata varying between runs.
    """
    fmt = table_format(path)
    with atomic_path(path, suffix=Path(path).suffix) as tmp:
        if fmt == "csv":
            df.to_csv(tmp, index=False, lineterminator="\n")
        elif fmt == "tsv":
            df.to_csv(tmp, index=False, sep="\t", lineterminator="\n")
        elif fmt == "jsonl":
            df.to_json(tmp, orient="records", lines=True, force_ascii=False, double_precision=15)
        else:
            import pyarrow as pa
            import pyarrow.parquet as pq

            # one chunk per column: the bytes then depend on the rows alone, not on how the
            # frame was assembled (a concatenation of pieces keeps its pieces as chunks)
            table = pa.Table.from_pandas(df, preserve_index=False).combine_chunks()
            pq.write_table(table, tmp, compression="zstd")
