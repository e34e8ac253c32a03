"""Check a raw corpus folder and its metadata table (or one table: :mod:`.table`); report every problem.

What is checked (each finding is a :class:`~alliance_study.corpus.model.Problem`
with file, metadata line, reason and fix):

Table level (always fatal, ``scope="table"``): metadata file missing or not a
file; undecodable or malformed CSV (e.g. an unclosed quote); duplicate or blank
column names; a missing required column (``article_id``, ``file``, ``outlet``);
a column named like one the loader adds (``n_words``, ``sha256`` ...: :data:`ADDED`);
no data rows.

Per row (errors unless noted): too many fields; blank or unsafe ``article_id``
(it becomes part of file names downstream, so only letters, digits, ``.``, ``_``
and ``-``, no ``..``); duplicate ``article_id``; blank ``outlet``; blank ``file``;
absolute path or ``..`` in ``file``; the metadata table itself as ``file``; a
``\\`` in ``file`` (hint: folders are separated by ``/``); a symlink (or path)
that resolves outside the raw directory; missing file; a directory instead of a file; the same file listed
twice (warning); ``published`` not ISO 8601 (``2020``, ``2020-10``,
``2020-10-23`` or a full timestamp) or an impossible date such as ``2020-02-30``
or ``2020-13``; ``translated`` not yes/no/true/false (warning); and the file's
content: empty, whitespace only, NUL bytes / binary, undecodable, cp1252 instead
of UTF-8 (warning), a stray non-UTF-8 byte in a UTF-8 file (error, with its line),
HTML page (warning), hard-wrapped lines (warning) -- see :mod:`alliance_study.corpus.read`.

Folder level (warning): a file in the raw directory or one of its sub-folders
that no metadata row lists is ignored by the loader (a sub-folder with more than
five such files is one warning).  This is a warning, not an error, because a stray file
does not make the listed articles wrong; but it is reported so that a forgotten
row is noticed.  Hidden files, the metadata file itself, README/SOURCES/LICENSE
files and table or config files (``.csv .tsv .json .jsonl .yaml .yml .parquet``)
are not considered articles.

Example
-------
>>> import tempfile, pathlib
>>> d = pathlib.Path(tempfile.mkdtemp())
>>> _ = (d / "a.txt").write_text("Title\\n\\nText.")
>>> _ = (d / "articles.csv").write_text("article_id,file,outlet\\na,a.txt,Daily\\nb,b.txt,Daily\\n")
>>> [(p.line, p.reason) for p in validate_corpus(d)]
[(3, 'file not found')]
"""
from __future__ import annotations

import hashlib
import os
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Mapping

from .checks import check_iso_date, row_checks  # noqa: F401  (check_iso_date: re-exported)
from .folder import (ADDED, DEFAULT_METADATA, MAX_UNLISTED, REQUIRED, article_files, inside, is_absolute,  # noqa: F401
                     read_metadata, same_name_path)
from .model import Problem
from .read import Decoded, decode_bytes
from .table import TableSpec, check_table, parse_columns


@dataclass
class Row:
    """One metadata row after checking (internal; used by the loader)."""

    line: int
    values: dict
    display: str
    path: Path | None = None
    decoded: Decoded | None = None
    sha256: str | None = None
    problems: list[Problem] = field(default_factory=list)

    @property
    def article_id(self) -> str:
        return self.values.get("article_id", "")

    @property
    def ok(self) -> bool:
        return not any(p.severity == "error" for p in self.problems)


@dataclass
class Checked:
    """Everything :func:`check_corpus` found (internal; used by the loader)."""

    raw_dir: Path
    metadata_path: Path
    columns: list[str]
    rows: list[Row]
    problems: list[Problem]


def check_corpus(raw_dir: str | os.PathLike, metadata: str | os.PathLike | None = None, *,
                 read_files: bool = True) -> Checked:
    """Check the metadata rows and read (decode) every listed file.

    Internal work-horse of :func:`validate_corpus` and ``load_corpus``; never raises on
    bad input.  Returns rows in metadata order with their decoded text.
    """
    raw_shown = str(raw_dir)
    raw = Path(raw_dir)
    meta = Path(metadata) if metadata is not None else raw / DEFAULT_METADATA
    meta_shown = str(meta)
    meta_name = meta.name
    problems: list[Problem] = []
    if not raw.is_dir():
        problems.append(Problem(raw_shown, None, "raw directory not found (or not a folder)",
                                "pass the folder that holds the article files", scope="table"))
        return Checked(raw, meta, [], [], problems)
    header, records, table_problems = read_metadata(meta, meta_shown)
    if any(p.scope == "table" for p in table_problems):
        return Checked(raw, meta, [], [], table_problems)
    problems.extend(table_problems)  # warnings about the metadata file itself
    raw_real = raw.resolve()
    seen_ids: dict[str, str] = {}
    seen_files: dict[Path, int] = {}
    listing: dict[Path, dict] = {}
    out: list[Row] = []
    for line, fields in records:
        values = dict(zip(header, fields + [""] * (len(header) - len(fields))))
        aid = values.get("article_id", "")
        fval = values.get("file", "")
        display = str(Path(raw_shown) / fval) if fval else meta_shown
        row = Row(line, values, display)
        out.append(row)

        def add(reason, fix, severity="error", file=None):
            row.problems.append(Problem(file or display, line, reason, fix, severity,
                                        aid or None, source=meta_name))

        if len(fields) > len(header):
            add(f"row has {len(fields)} fields but the header has {len(header)}",
                "quote fields that contain commas, or remove the extra fields", file=meta_shown)
        for reason, fix, severity in row_checks(values, seen_ids, f"line {line}"):
            add(reason, fix, severity)
        # ---- the file itself
        if not fval:
            add("blank file", "give the article's file name, relative to the raw directory", file=meta_shown)
            continue
        if is_absolute(fval):
            add("absolute path in file: files must lie inside the raw directory",
                "give the path relative to the raw directory and copy the file there")
            continue
        if ".." in re.split(r"[\\/]", fval):
            add("path leaves the raw directory ('..' in file)",
                "copy the file into the raw directory and give its relative path")
            continue
        path = raw / fval
        if not path.exists():
            path = same_name_path(raw, fval, listing) or path
        try:
            real = path.resolve()
        except (OSError, RuntimeError) as exc:  # symlink loops
            add(f"cannot resolve the path ({exc})", "replace the link with the file itself")
            continue
        if not inside(real, raw_real):
            add(f"path leaves the raw directory (it is a symlink to {real})",
                "copy the file itself into the raw directory instead of linking to it")
            continue
        if not path.exists():
            if "\\" in fval:
                add("file not found (the name has '\\' in it)",
                    f"separate folders with '/': {fval.replace(chr(92), '/')}")
            else:
                add("file not found", "check the file name in the metadata, or remove the row")
            continue
        if real == meta.resolve():
            add(f"the file is the metadata table itself ({meta_name})", "point the row at the article's text file")
            continue
        if not path.is_file():
            add("not a regular file (a folder?)", "point the row at the article's text file")
            continue
        if real in seen_files:
            add(f"same file as line {seen_files[real]}", "list each file once (or check the file name)",
                severity="warning")
        else:
            seen_files[real] = line
        row.path = path
        if not read_files:
            continue
        try:
            data = path.read_bytes()
        except OSError as exc:
            add(f"cannot read the file ({exc.strerror or exc})", "check the file's permissions")
            continue
        row.sha256 = hashlib.sha256(data).hexdigest()
        dec = decode_bytes(data)
        row.decoded = dec
        for reason, fix in dec.errors:
            add(reason, fix)
        for reason, fix in dec.warnings:
            add(reason, fix, severity="warning")
    for row in out:
        problems.extend(row.problems)
    # ---- files nobody lists (in the raw directory and its sub-folders)
    listed = set(seen_files)
    meta_real = meta.resolve()
    for folder, names in article_files(raw):
        unlisted = []
        for name in names:
            p = folder / name
            try:
                if not p.is_file() or p.resolve() == meta_real or p.resolve() in listed:
                    continue
            except OSError:
                continue
            unlisted.append(p.relative_to(raw).as_posix())
        if folder != raw and len(unlisted) > MAX_UNLISTED:
            sub = folder.relative_to(raw).as_posix()
            problems.append(Problem(str(Path(raw_shown) / sub), None,
                                    f"folder holds {len(unlisted)} files that {meta_name} does not list (e.g. "
                                    f"{', '.join(unlisted[:3])}); they are ignored",
                                    f"add rows for them to {meta_name} (file = {sub}/NAME), or move the folder "
                                    f"out of the raw directory", severity="warning", source=meta_name))
            continue
        for rel in unlisted:
            problems.append(Problem(str(Path(raw_shown) / rel), None,
                                    f"file is not listed in {meta_name}; it is ignored",
                                    f"add a row for it to {meta_name}, or move it out of the raw directory",
                                    severity="warning", source=meta_name))
    return Checked(raw, meta, list(header), out, problems)


def validate_corpus(raw_dir: str | os.PathLike | None = None, metadata: str | os.PathLike | None = None, *,
                    table: TableSpec | None = None,
                    columns: Mapping[str, str] | None = None) -> list[Problem]:
    """Every problem of a raw corpus (folder + metadata, or one table), without loading it.

    Parameters
    ----------
    raw_dir : str or path
        Folder of article files.
    metadata : str or path, optional
        Metadata CSV; default ``raw_dir/articles.csv``.
    table, columns : optional
        Instead of ``raw_dir``: a table of articles and its column mapping, as for
        :func:`~alliance_study.corpus.load_corpus` (read in batches; table-level
        problems are returned, not raised).

    Returns
    -------
    list of Problem
        Table-level problems first, then per-row problems in metadata order, then
        unlisted files.  Empty when the corpus is clean.

    Examples
    --------
    >>> validate_corpus("data/raw")   # doctest: +SKIP
    []
    >>> validate_corpus(table="news.jsonl", columns={"text": "maintext"})   # doctest: +SKIP
    []
    """
    if (raw_dir is None) == (table is None):
        raise TypeError("validate_corpus() takes either raw_dir or table=, not both and not neither")
    if table is not None and metadata is not None:
        raise TypeError("metadata= belongs to the folder layout; a table holds its metadata in its own columns")
    if table is not None:
        return check_table(table, columns)[0]
    assert raw_dir is not None  # checked above: exactly one of raw_dir and table
    return check_corpus(raw_dir, metadata).problems


def run_validate(raw_dir: str | os.PathLike | None = None, metadata: str | os.PathLike | None = None, *,
                 table=None, columns=None, more: Callable[[Checked], list[Problem]] | None = None) -> int:
    """CLI ``alliance-study validate``: one line per problem on stdout, a summary, exit code.

    Returns 0 when there is no error (warnings allowed), 1 when the corpus has an error: in
    an article, or in the corpus as a whole (the folder, its metadata table or the table
    missing or unreadable, a required column missing), as a build's ``CorpusError`` (exit 1).
    A wrong option or study file is an ``InputError`` raised before (exit 2).  ``table`` and ``columns`` as for
    :func:`validate_corpus` (``columns`` may be the CLI string ``"article_id=id,text=maintext"``);
    ``table`` may be a list of files, shown as plain paths.  ``more``: for a folder, what else
    to say of its checked rows and read files (``validate --study`` adds the build's warnings
    about groups and articles with no body text), listed and counted with the rest.

    Examples
    --------
    >>> run_validate("data/raw")   # doctest: +ELLIPSIS
    OK: 5 article rows (5 usable), 0 errors, 0 warnings (metadata: data/raw/articles.csv)
    0
    >>> run_validate(table=["no/such.parquet"])
    ERROR: no/such.parquet: table file not found. Fix: check the path, or pass a glob such as 'data/*.jsonl'.
    FAILED: 0 article rows (0 usable), 1 error, 0 warnings (table: no/such.parquet)
    1
    """
    if table is not None:
        cols = parse_columns(columns) if isinstance(columns, str) else columns
        problems, n_rows, n_ok = check_table(table, cols)
        shown = table if isinstance(table, (str, os.PathLike)) else ", ".join(map(str, table))
        source = f"table{'s' * (not isinstance(table, (str, os.PathLike)) and len(table) > 1)}: {shown}"
    else:
        if raw_dir is None:
            raise TypeError("run_validate() takes either raw_dir or table=")
        checked = check_corpus(raw_dir, metadata)
        problems, n_rows = checked.problems, len(checked.rows)
        if more is not None and not any(p.scope == "table" for p in problems):
            problems = problems + more(checked)
        n_ok = sum(1 for r in checked.rows if r.ok)
        source = f"metadata: {checked.metadata_path}"
    n_err = sum(p.severity == "error" for p in problems)
    n_warn = len(problems) - n_err
    for p in problems:
        print(f"{'ERROR' if p.severity == 'error' else 'warning'}: {p}")
    status = "OK" if n_err == 0 else "FAILED"
    print(f"{status}: {n_rows} article rows ({n_ok} usable), {n_err} error{'s' * (n_err != 1)}, "
          f"{n_warn} warning{'s' * (n_warn != 1)} ({source})")
    sys.stdout.flush()
    return 0 if n_err == 0 else 1
