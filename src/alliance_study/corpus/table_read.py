"""Stream the rows of one table file (CSV, TSV, JSON Lines, Parquet) in bounded batches.

Nothing here reads a whole file into memory: CSV/TSV go through :mod:`csv` line by
line, JSON Lines one line at a time, Parquet one record batch at a time
(:meth:`pyarrow.parquet.ParquetFile.iter_batches`; a batch never spans more than
one row group, so a Parquet file written as a single huge row group is read a row
group at a time -- write big tables with ``row_group_size=10_000`` or so).

Each row comes back as a :class:`Record`: its 1-based data row, the physical line
where it starts (CSV/TSV/JSONL; None for Parquet) and its values, or, when the
row itself cannot be read, the reason and fix.  Why not :func:`pandas.read_csv`
with ``chunksize``: on a byte that is not UTF-8 it raises one
``UnicodeDecodeError`` for the whole read whose position counts bytes in an
internal buffer, not rows, and it cannot give line numbers.  Here the file is
decoded with ``surrogateescape`` so the bad bytes survive as markers and the row
holding them is reported (and can be skipped) while the other rows load.

Problems that make the file unusable (not found, not parseable, no header,
duplicate or blank column names, malformed CSV quoting) raise
:class:`~alliance_study.errors.CorpusError` with one ``scope="table"`` problem.

Example
-------
>>> import tempfile, pathlib
>>> p = pathlib.Path(tempfile.mkdtemp()) / "t.jsonl"
>>> _ = p.write_text('{"id": 1, "maintext": "Hi."}\\n\\n{"id": 2, "maintext": "Yo."}\\n')
>>> src = open_source(p)
>>> src.columns
['id', 'maintext']
>>> [(r.row, r.line, r.values["id"]) for batch in iter_records(src, 10) for r in batch]
[(1, 1, 1), (2, 3, 2)]
"""
from __future__ import annotations

import csv
import glob
import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator, Sequence, Union

from ..errors import CorpusError
from ..io import FORMATS
from .checks import other_separator
from .model import Problem

#: what ``table=`` accepts: a path, a glob string, or a list of either
TableSpec = Union[str, os.PathLike, Sequence[Union[str, os.PathLike]]]
_SURROGATE_RE = re.compile("[\udc80-\udcff]")
_FIELD_LIMIT = 1 << 28
UTF8_FIX = ("re-save the table as UTF-8 (e.g. iconv -f cp1252 -t utf-8 in > out, or in a spreadsheet "
            "'Save as CSV UTF-8'), or fix or remove this row")


@dataclass
class Record:
    """One data row of a table file, or why it cannot be read."""

    row: int
    line: int | None
    values: dict | None
    error: tuple[str, str] | None = None


@dataclass
class Source:
    """One table file: where it is, its format and its column names."""

    path: Path
    shown: str
    fmt: str
    columns: list[str]
    types: dict[str, str] = field(default_factory=dict)


def table_problem(shown: str, reason: str, fix: str, line: int | None = None) -> CorpusError:
    """A :class:`CorpusError` holding one table-level problem of ``shown``."""
    return CorpusError([Problem(shown, line, reason, fix, source=Path(shown).name, scope="table")])


def looks_like_table(path: str | os.PathLike) -> bool:
    """True when a command-line corpus path means a table (a glob, or a file with an extension), not a folder.

    >>> looks_like_table("corpus.jsonl"), looks_like_table("data/*.parquet"), looks_like_table("data/raw")
    (True, True, False)
    """
    s = os.fspath(path)
    return glob.has_magic(s) or (not Path(s).is_dir() and bool(Path(s).suffix))


def table_files(table: TableSpec) -> list[Path]:
    """The files a ``table=`` argument names: one path, a glob (sorted matches) or a list of either.

    Raises
    ------
    CorpusError
        A glob that matches nothing (table-level problem).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> for name in ("b.jsonl", "a.jsonl"):
    ...     _ = (d / name).write_text("")
    >>> [p.name for p in table_files(str(d / "*.jsonl"))]
    ['a.jsonl', 'b.jsonl']
    """
    items = [table] if isinstance(table, (str, os.PathLike)) else list(table)
    files: list[Path] = []
    for item in items:
        s = os.fspath(item)
        if isinstance(item, str) and glob.has_magic(s):
            hits = sorted(glob.glob(s, recursive=True))
            if not hits:
                raise table_problem(s, "no file matches this pattern",
                                    f"check the pattern (it is relative to the working directory {os.getcwd()})")
            files.extend(Path(h) for h in hits)
        else:
            files.append(Path(s))
    if not files:
        raise table_problem(str(table), "no table file given", "pass a file, a glob such as 'data/*.jsonl' or a list")
    return files


def _check_header(shown: str, names: list[str], line: int | None) -> list[str]:
    if any(not n for n in names):
        raise table_problem(shown, "blank column name in the header",
                            "give every column a name (a pandas export with its index has a blank first column: "
                            "write it again with index=False)", line)
    dups = sorted({n for n in names if names.count(n) > 1})
    if dups:
        raise table_problem(shown, f"duplicate column name(s): {', '.join(dups)}",
                            "give every column a distinct name", line)
    return names


def _bad_utf8(values: list[str], names: list[str]) -> tuple[str, str] | None:
    for i, v in enumerate(values):
        m = _SURROGATE_RE.search(v)
        if m:
            col = names[i] if i < len(names) else f"field {i + 1}"
            return (f"not valid UTF-8: byte 0x{ord(m.group()) - 0xDC00:02x} in column {col!r}", UTF8_FIX)
    return None


def open_source(path: str | os.PathLike) -> Source:
    """Check that ``path`` is a readable table and read its column names (not its rows).

    Raises
    ------
    CorpusError
        With one table-level problem naming the file, the reason and the fix.
    """
    path = Path(path)
    shown = str(path)
    fmt = FORMATS.get(path.suffix.lower())
    if fmt is None:
        hint = (" (a .json file must hold one object per line: rename it .jsonl, or convert an array with "
                "jq -c '.[]' in.json > out.jsonl)" if path.suffix.lower() == ".json" else "")
        raise table_problem(shown, f"unknown table format {path.suffix or '(no extension)'!r}{hint}",
                            "give the table one of the extensions .csv, .tsv, .jsonl, .ndjson or .parquet "
                            "(export it in one of these formats)")
    if not path.is_file():
        raise table_problem(shown, "table file not found" if not path.exists() else "not a file (a folder?)",
                            "check the path, or pass a glob such as 'data/*.jsonl'")
    if fmt in ("csv", "tsv", "jsonl"):
        _check_text(path, shown, fmt)
    if fmt in ("csv", "tsv"):
        for start, fields in _csv_rows(path, shown, fmt):
            names = _check_header(shown, [f.strip() for f in fields], start)
            bad = _bad_utf8(names, names)
            if bad:
                raise table_problem(shown, f"header: {bad[0]}", UTF8_FIX, start)
            other = other_separator(names, _SEPARATOR[fmt])
            if other:
                raise table_problem(shown, f"the header is one column, {names[0][:80]!r}: the file is separated by "
                                    f"{other!r}, not by {_SEPARATOR[fmt]!r} as {fmt.upper()} is",
                                    "name the file for its separator (.csv: commas, .tsv: tabs), or save it again "
                                    "with the separator of its extension", start)
            return Source(path, shown, fmt, names)
        raise table_problem(shown, "empty table (no header, no rows)", "add a header line and one row per article")
    if fmt == "jsonl":
        for rec in _jsonl_records(path):
            if rec.values is not None:
                return Source(path, shown, fmt, list(rec.values))
        raise table_problem(shown, "no JSON object in the file (empty, or no line could be read)",
                            "write one JSON object per line, one line per article")
    import pyarrow.parquet as pq

    try:
        schema = pq.ParquetFile(path).schema_arrow
    except Exception as exc:  # pyarrow raises ArrowInvalid, OSError ...
        raise table_problem(shown, f"cannot be read as Parquet ({exc})", "write the file again with a Parquet writer "
                            "(e.g. pandas.DataFrame.to_parquet)") from None
    names = _check_header(shown, list(schema.names), None)
    return Source(path, shown, fmt, names, {f.name: str(f.type) for f in schema})


_SEPARATOR = {"csv": ",", "tsv": "\t"}


def _check_text(path: Path, shown: str, fmt: str) -> None:
    """A text table must be UTF-8 text: UTF-16 and binary files are refused at once, with the way out."""
    with open(path, "rb") as fh:
        head = fh.read(1 << 14)
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise table_problem(shown, "the file is UTF-16 text (it starts with a UTF-16 byte-order mark); a table "
                            "is read as UTF-8", "save it again as UTF-8 (e.g. iconv -f utf-16 -t utf-8 in > out, "
                            "or in a spreadsheet 'Save as CSV UTF-8')")
    if b"\x00" in head:
        raise table_problem(shown, "binary file: contains NUL bytes (not a text table, or UTF-16 without a "
                            "byte-order mark)", f"give a {fmt.upper()} table saved as UTF-8 text")


def _csv_rows(path: Path, shown: str, fmt: str) -> Iterator[tuple[int, list[str]]]:
    """(start line, fields) of every non-blank CSV/TSV record; invalid UTF-8 kept as surrogates."""
    csv.field_size_limit(max(csv.field_size_limit(), _FIELD_LIMIT))
    with open(path, encoding="utf-8-sig", errors="surrogateescape", newline="") as fh:
        reader = csv.reader(fh, delimiter="\t" if fmt == "tsv" else ",", strict=True)
        prev = 0
        try:
            for rec in reader:
                start, prev = prev + 1, reader.line_num
                if rec and any(f.strip() for f in rec):
                    yield start, rec
        except csv.Error as exc:
            raise table_problem(shown, f"malformed {fmt.upper()} near line {prev + 1}: {exc}",
                                "fix the quoting (every opening \" needs a closing \"; quotes inside a field "
                                "are doubled)", prev + 1) from None


def too_many_fields(n_fields: int, n_header: int, fmt: str) -> tuple[str, str]:
    """``(reason, fix)`` for a CSV/TSV row with more fields than its header.

    >>> too_many_fields(3, 2, "csv")[0]
    'row has 3 fields but the header has 2'
    """
    sep = 'a comma ("Talks collapsed, officials said.")' if fmt == "csv" else "a tab"
    return (f"row has {n_fields} fields but the header has {n_header}",
            f"put double quotes around a field that contains {sep}, or remove the extra fields")


def long_row(path: str | os.PathLike) -> Problem | None:
    """The first data row of a CSV/TSV file with more fields than its header, or None.

    The problem names the file, the 1-based data row, the line where that row starts,
    the two field counts and the fix.  None also when the file is not a CSV/TSV file
    or its quoting is malformed (other checks report that).

    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "t.csv"
    >>> _ = p.write_text('id,text\\n1,"Two\\nlines."\\n2,Talks collapsed, officials said.\\n')
    >>> print(long_row(p))  # doctest: +ELLIPSIS
    /.../t.csv row 2 (line 4): row has 3 fields but the header has 2. Fix: put double quotes around ...
    """
    path = Path(path)
    fmt = FORMATS.get(path.suffix.lower())
    if fmt not in _SEPARATOR:
        return None
    shown = str(path)
    try:
        rows = _csv_rows(path, shown, fmt)
        _, header = next(rows)
        for row, (line, fields) in enumerate(rows, 1):
            if len(fields) > len(header):
                reason, fix = too_many_fields(len(fields), len(header), fmt)
                return Problem(shown, line, reason, fix, source=path.name, row=row)
    except (CorpusError, StopIteration, OSError):
        return None
    return None


def _jsonl_records(path: Path) -> Iterator[Record]:
    row = 0
    with open(path, "rb") as fh:
        for lineno, raw in enumerate(fh, 1):
            if lineno == 1 and raw.startswith(b"\xef\xbb\xbf"):
                raw = raw[3:]
            if not raw.strip():
                continue
            row += 1
            try:
                text = raw.decode("utf-8")
            except UnicodeDecodeError as exc:
                yield Record(row, lineno, None, (f"not valid UTF-8: byte 0x{raw[exc.start]:02x} at character "
                                                 f"{exc.start + 1} of the line", UTF8_FIX))
                continue
            try:
                obj = json.loads(text.rstrip("\r\n"))  # an error at the end of the line is placed on it
            except json.JSONDecodeError as exc:
                yield Record(row, lineno, None, (f"not valid JSON ({exc.msg} at character {exc.pos + 1})",
                                                 "write one complete JSON object per line (no line breaks inside "
                                                 "an object), or remove the line"))
                continue
            if not isinstance(obj, dict):
                yield Record(row, lineno, None, (f"the line holds a JSON {type(obj).__name__}, not an object",
                                                 "write one JSON object ({\"column\": value, ...}) per line"))
                continue
            yield Record(row, lineno, obj)


def _records(src: Source, batch_size: int) -> Iterator[Record]:
    if src.fmt in ("csv", "tsv"):
        rows = _csv_rows(src.path, src.shown, src.fmt)
        header_line, _ = next(rows)
        names, n = src.columns, len(src.columns)
        bad_header = _bad_utf8(names, names)
        if bad_header:
            raise table_problem(src.shown, f"header: {bad_header[0]}", UTF8_FIX, header_line)
        for row, (line, fields) in enumerate(rows, 1):
            bad = _bad_utf8(fields, names)
            if bad:
                yield Record(row, line, None, bad)
            elif len(fields) > n:
                yield Record(row, line, None, too_many_fields(len(fields), n, src.fmt))
            else:
                yield Record(row, line, dict(zip(names, fields + [""] * (n - len(fields)))))
    elif src.fmt == "jsonl":
        yield from _jsonl_records(src.path)
    else:
        import pyarrow.parquet as pq

        row = 0
        try:
            for batch in pq.ParquetFile(src.path).iter_batches(batch_size=batch_size):
                for values in batch.to_pylist():
                    row += 1
                    yield Record(row, None, values)
        except Exception as exc:  # a corrupt page or invalid UTF-8 in a string column
            raise table_problem(src.shown, f"cannot read Parquet rows after row {row} ({exc})",
                                "write the file again with a Parquet writer") from None


def iter_records(src: Source, batch_size: int = 1000) -> Iterator[list[Record]]:
    """The records of ``src`` in lists of at most ``batch_size``.

    Raises
    ------
    CorpusError
        When the file turns out unusable part-way (e.g. malformed CSV quoting).
    """
    if batch_size < 1:
        raise ValueError(f"batch_size must be at least 1, not {batch_size}")
    batch: list[Record] = []
    for rec in _records(src, batch_size):
        batch.append(rec)
        if len(batch) >= batch_size:
            yield batch
            batch = []
    if batch:
        yield batch
