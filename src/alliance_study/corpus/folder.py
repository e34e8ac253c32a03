"""The files of the folder layout: its metadata CSV, which files are articles, and file names.

:func:`read_metadata` reads and checks the metadata table as a whole (problems that
make the corpus unusable); :func:`article_files` lists the files that may be
articles (for the "not listed" warning); :func:`same_name_path` finds a listed file
whose name differs on disk only in Unicode normalisation.  Used by :mod:`.validate`.

Example
-------
>>> import tempfile, pathlib, unicodedata
>>> d = pathlib.Path(tempfile.mkdtemp())
>>> _ = (d / unicodedata.normalize("NFD", "café.txt")).write_text("Title")
>>> same_name_path(d, unicodedata.normalize("NFC", "café.txt"), {}).exists()
True
"""
from __future__ import annotations

import csv
import io
import os
import unicodedata
from pathlib import Path, PurePosixPath, PureWindowsPath

from .checks import other_separator
from .model import Problem
from .read import decode_bytes

REQUIRED = ("article_id", "file", "outlet")
#: columns the loader adds to ``Corpus.articles`` (counts, checksum, encoding); a metadata column may not take these names
ADDED = ("n_segments", "n_sentences", "n_words", "sha256", "encoding")
DEFAULT_METADATA = "articles.csv"
_NOT_ARTICLES = {".csv", ".tsv", ".tab", ".json", ".jsonl", ".ndjson", ".yaml", ".yml", ".parquet", ".pq",
                 ".toml", ".ini", ".cfg"}
_NOT_ARTICLE_STEMS = ("readme", "sources", "license", "licence", "changelog")
_MAX_FIELD = 1 << 20


def is_absolute(value: str) -> bool:
    """Whether a metadata ``file`` value is an absolute path (POSIX, Windows, drive, ``~``).

    >>> is_absolute("/etc/passwd"), is_absolute("C:\\\\x.txt"), is_absolute("~/a.txt"), is_absolute("sub/a.txt")
    (True, True, True, False)
    """
    return (PurePosixPath(value).is_absolute() or PureWindowsPath(value).is_absolute()
            or bool(PureWindowsPath(value).drive) or value.startswith(("\\", "~")))


def inside(path: Path, root: Path) -> bool:
    """Whether ``path`` lies under ``root`` (both resolved).

    >>> inside(Path("/data/raw/a.txt"), Path("/data/raw")), inside(Path("/etc/x"), Path("/data/raw"))
    (True, False)
    """
    try:
        path.relative_to(root)
        return True
    except ValueError:
        return False


#: a sub-folder with more unlisted files than this is reported as one warning
MAX_UNLISTED = 5


def article_files(raw: Path):
    """``(folder, sorted file names)`` of ``raw`` and its sub-folders, top down, in name order; hidden
    files and folders, table/config files and README-like files left out (they are not articles).

    >>> import tempfile
    >>> d = Path(tempfile.mkdtemp())
    >>> for name in ("b.txt", "README.md", "articles.csv", "sub/c.txt", ".git/x.txt"):
    ...     (d / name).parent.mkdir(exist_ok=True); _ = (d / name).write_text("x")
    >>> [(f.relative_to(d).as_posix(), names) for f, names in article_files(d)]
    [('.', ['b.txt']), ('sub', ['c.txt'])]
    """
    for folder, dirs, files in os.walk(raw):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        names = [n for n in sorted(files) if not n.startswith(".") and Path(n).suffix.lower() not in _NOT_ARTICLES
                 and not n.lower().startswith(_NOT_ARTICLE_STEMS)]
        yield Path(folder), names


def same_name_path(raw: Path, value: str, listing: dict) -> Path | None:
    """The file ``raw/value`` names when its name (or a folder's) differs on disk only in Unicode
    normalisation (NFC "é" in the table, NFD "e" + accent on a Mac disk), or None.

    ``listing`` caches each folder's ``{NFC name: entry}``.  (Example: the module's.)
    """
    cur = raw
    for part in PurePosixPath(value).parts:
        nxt = cur / part
        if not nxt.exists():
            if cur not in listing:
                try:
                    listing[cur] = {unicodedata.normalize("NFC", e.name): e for e in sorted(cur.iterdir())}
                except OSError:
                    listing[cur] = {}
            nxt = listing[cur].get(unicodedata.normalize("NFC", part))
            if nxt is None:
                return None
        cur = nxt
    return cur


def read_metadata(meta: Path, shown: str) -> tuple[list[str], list[tuple[int, list[str]]], list[Problem]]:
    """Header and ``(start line, fields)`` rows of the metadata CSV, or its table-level problems.

    Parameters
    ----------
    meta : Path
        The metadata CSV.
    shown : str
        How to name it in problems.

    Returns
    -------
    tuple
        ``(header, rows, problems)``: lower-cased column names, the data rows, and the
        problems (``scope="table"`` ones make the corpus unusable; else warnings).

    Examples
    --------
    >>> import tempfile
    >>> m = Path(tempfile.mkdtemp()) / "articles.csv"
    >>> _ = m.write_text("article_id,file,outlet,n_words\\na,a.txt,D,812\\n")
    >>> read_metadata(m, "articles.csv")[2][0].reason
    'column(s) n_words would clash with columns the loader adds (n_segments, n_sentences, n_words, sha256, encoding)'
    """
    def table(reason, fix, line=None):
        return [], [], [Problem(shown, line, reason, fix, source=shown, scope="table")]

    if not meta.exists():
        return table("metadata file not found",
                     f"create it (columns {', '.join(REQUIRED)} at least) or pass --metadata FILE")
    if not meta.is_file():
        return table("metadata path is not a file", "pass the metadata CSV file, not a folder")
    try:
        data = meta.read_bytes()
    except OSError as exc:
        return table(f"cannot read the metadata file ({exc.strerror or exc})", "check the file's permissions")
    dec = decode_bytes(data, prose=False)
    if dec.text is None:
        reason = dec.errors[0][0]
        if reason.startswith("empty"):
            return table("empty metadata table (no header, no rows)",
                         f"add a header line ({', '.join(REQUIRED)}, ...) and one row per article")
        return table(f"metadata file is not a readable CSV: {reason}", "save the table as UTF-8 CSV")
    csv.field_size_limit(max(_MAX_FIELD, 1 << 20))
    reader = csv.reader(io.StringIO(dec.text, newline=""), strict=True)
    rows: list[tuple[int, list[str]]] = []
    prev = 0
    try:
        for rec in reader:
            start = prev + 1
            prev = reader.line_num
            if not rec or all(not f.strip() for f in rec):
                continue
            rows.append((start, [f.strip() for f in rec]))
    except csv.Error as exc:
        return table(f"malformed CSV near line {prev + 1}: {exc}",
                     "fix the quoting (every opening \" needs a closing \"; quotes inside a field are doubled)",
                     line=prev + 1)
    if not rows:
        return table("empty metadata table (no header, no rows)",
                     f"add a header line ({', '.join(REQUIRED)}, ...) and one row per article")
    hline, header = rows[0]
    header = [h.lower() for h in header]
    other = other_separator(header, ",")
    if other:
        return table(f"the header is one column, {header[0][:80]!r}: the table is separated by {other!r}, "
                     "not by commas", "save it again as a comma-separated CSV", line=hline)
    if any(not h for h in header):
        return table("blank column name in the header", "give every column a name", line=hline)
    dups = sorted({h for h in header if header.count(h) > 1})
    if dups:
        return table(f"duplicate column name(s): {', '.join(dups)}", "give every column a distinct name",
                     line=hline)
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        return table(f"missing required column(s): {', '.join(missing)} (header has: {', '.join(header)})",
                     f"add the column(s); required are {', '.join(REQUIRED)}", line=hline)
    clash = [c for c in header if c in ADDED]
    if clash:
        return table(f"column(s) {', '.join(clash)} would clash with columns the loader adds "
                     f"({', '.join(ADDED)})",
                     f"rename them in the header, e.g. {clash[0]} -> source_{clash[0]}", line=hline)
    if len(rows) == 1:
        return table("empty metadata table (header only, no article rows)", "add one row per article")
    # e.g. decoded as cp1252: said, as for an article file
    return header, rows[1:], [Problem(shown, None, reason, fix, "warning", source=shown)
                              for reason, fix in dec.warnings]
