"""One table (CSV, TSV, JSON Lines or Parquet; one or many files) as a corpus.

Each row is one article.  ``columns`` maps the study's names (left) to the file's
column names (right), e.g. for news-please output::

    {"article_id": "id", "text": "maintext", "title": "title",
     "outlet": "source_domain", "published": "date_publish"}

Rules:

* ``article_id``, ``text`` and ``outlet`` are required.  A required name that is
  not mapped is taken from a column of that very name when the file has one;
  otherwise the file is refused (a table-level problem naming the columns the file
  has and the mapping to add).  ``outlet`` is required because every comparison
  in the study is between outlets (or groups of them); a one-outlet corpus adds a
  column holding the outlet's name.
* Every other column is kept as article metadata under its own name, or under
  the study name it is mapped to, and can be used as a grouping column.  Values
  become text (``str``) or None: numbers as written (``12``), JSON lists and
  objects as compact JSON, Parquet timestamps as ISO 8601.  Two columns the
  loader adds say where each article came from: ``table_file`` and ``table_row``
  (1-based data row).
* Per row, the same checks as the folder layout: blank, unsafe or duplicate id
  (also across batches and files), blank outlet, ``published`` not ISO 8601 or
  impossible (``2020-10-23 14:05:00`` as written by news-please is ISO with a
  space), ``translated`` not yes/no (warning); the text: missing, null, not a
  string, empty or whitespace only, binary (NUL/control characters); HTML
  (warning).  A row that cannot be read (invalid UTF-8, broken JSON line, too
  many CSV fields) is an error of that row.  Text is normalised like a file:
  CRLF/CR to LF, a leading byte-order mark dropped.

Example
-------
>>> import tempfile, pathlib, json
>>> p = pathlib.Path(tempfile.mkdtemp()) / "np.jsonl"
>>> rows = [{"id": "a1", "maintext": "Hello.\\r\\nBye.", "source_domain": "daily.com",
...          "date_publish": "2020-10-23 14:05:00"},
...         {"id": "a1", "maintext": "", "source_domain": "daily.com", "date_publish": "2020-02-30"}]
>>> _ = p.write_text("".join(json.dumps(r) + "\\n" for r in rows))
>>> cols = {"article_id": "id", "text": "maintext", "outlet": "source_domain", "published": "date_publish"}
>>> batches = list(iter_table_articles(p, cols))
>>> [(a.article_id, a.text, a.ok) for a in batches[0].articles]
[('a1', 'Hello.\\nBye.', True), ('a1', None, False)]
>>> for p in batches[0].problems:
...     print(p.row, p.line, p.reason)
2 2 duplicate article_id 'a1' (first used on row 1)
2 2 published: impossible date '2020-02-30': February 2020 has 29 days
2 2 empty text ('maintext' is empty)
"""
from __future__ import annotations

import datetime as _dt
import difflib
import hashlib
import json
import math
from dataclasses import dataclass, field
from typing import Iterator, Mapping

from ..errors import CorpusError
from .checks import row_checks
from .model import Problem
from .read import BINARY, BLANK, NUL, VISIBLE_RE, check_text, normalise_newlines
from .roles import RoleRules
from .segment import same_line
from .table_read import (Source, TableSpec, iter_records, looks_like_table, open_source,  # noqa: F401
                         table_files, table_problem)

REQUIRED = ("article_id", "text", "outlet")
#: usual names of the required columns in scraper and database exports (only suggested in errors, never guessed)
_USUAL = {"article_id": {"id", "uuid", "stories_id", "story_id", "doc_id", "guid"},
          "text": {"maintext", "content", "body", "article_text", "full_text", "text_content"},
          "outlet": {"source_domain", "media_name", "source", "publisher", "site_name", "domain", "media"}}
#: columns the loader adds to ``Corpus.articles``; a table column may not take these names
ADDED = ("table_file", "table_row", "n_segments", "n_sentences", "n_words", "sha256", "encoding")
_TEXT_REASONS = {BLANK[0]: ("empty text (only whitespace)", "remove the row or supply the article text"),
                 NUL[0]: ("text contains NUL bytes (binary data, not text)", "store the article's plain text"),
                 BINARY[0]: ("text has too many control characters (binary data?)", "store the article's plain text")}


@dataclass
class TableArticle:
    """One row of a table after checking: the article, or why it cannot be used."""

    article_id: str
    text: str | None
    values: dict
    file: str
    row: int
    line: int | None
    sha256: str | None = None
    encoding: str | None = None
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when the row has no error (warnings allowed)."""
        return self.text is not None and not any(p.severity == "error" for p in self.problems)


@dataclass
class ArticleBatch:
    """Up to ``batch_size`` consecutive rows of one table file, checked."""

    file: str
    columns: list[str]
    articles: list[TableArticle]

    @property
    def problems(self) -> list[Problem]:
        """Every problem of the batch's rows, in row order."""
        return [p for a in self.articles for p in a.problems]


def parse_columns(spec: str | None) -> dict[str, str]:
    """``"article_id=id,text=maintext"`` -> ``{"article_id": "id", "text": "maintext"}`` (for the CLI).

    >>> parse_columns("article_id=id, text=maintext")
    {'article_id': 'id', 'text': 'maintext'}
    >>> parse_columns("text")
    Traceback (most recent call last):
    ...
    alliance_study.errors.InputError: --columns 'text': each item must be STUDY_NAME=FILE_COLUMN (e.g. text=maintext). Fix: write e.g. --columns article_id=id,text=maintext,outlet=source_domain.
    """
    from ..errors import InputError

    out: dict[str, str] = {}
    for item in (spec or "").split(","):
        if not item.strip():
            continue
        key, sep, value = item.partition("=")
        if not sep or not key.strip() or not value.strip():
            raise InputError(f"--columns {item.strip()!r}: each item must be STUDY_NAME=FILE_COLUMN (e.g. text=maintext). "
                             f"Fix: write e.g. --columns article_id=id,text=maintext,outlet=source_domain.")
        if key.strip() in out:
            raise InputError(f"--columns: {key.strip()!r} is mapped twice ({key.strip()}={out[key.strip()]} and "
                             f"{item.strip()}). Fix: map each study name to one column.")
        out[key.strip()] = value.strip()
    return out


def plan_columns(src: Source, columns: Mapping[str, str] | None) -> tuple[dict[str, str], list[str]]:
    """``(study name -> file column, output metadata columns)`` for one file, or a table-level CorpusError."""
    mapping = {str(k): str(v) for k, v in (columns or {}).items()}
    have = set(src.columns)
    absent, hints = [], []
    for study, col in mapping.items():
        if col not in have:
            absent.append(f"{col!r} (mapped to {study})")
            hints += [f"{col!r} -> {c!r}?" for c in difflib.get_close_matches(col, src.columns, n=1, cutoff=0.6)]
    for name in REQUIRED:
        if name not in mapping:
            if name in have:
                mapping[name] = name
            else:
                absent.append(name)
                hints += [f"{name}={c}?" for c in src.columns if c.lower() in _USUAL[name]][:1]
    if absent:
        raise table_problem(
            src.shown, f"missing required or mapped column(s): {', '.join(absent)}; the file has: "
            f"{', '.join(src.columns)}" + (f" (perhaps: {', '.join(hints)})" if hints else ""),
            "map the study's names to the file's columns, e.g. columns={'article_id': 'id', 'text': 'maintext', "
            "'outlet': 'source_domain'} (CLI: --columns article_id=id,text=maintext,outlet=source_domain), "
            "or add the columns to the table")
    renamed = {v: k for k, v in mapping.items()}
    shadowed = [f"{c!r} (the file has it, and {mapping[c]!r} is mapped to it)" for c in src.columns
                if c in mapping and mapping[c] != c and c not in renamed]
    if shadowed:
        raise table_problem(src.shown, f"two columns would be named the same: {', '.join(shadowed)}",
                            "map the file's own column to another name too, e.g. columns={..., 'title_file': 'title'}")
    out = ["article_id", "outlet", "title"]
    for c in src.columns:
        name = renamed.get(c, c)
        for study in [k for k, v in mapping.items() if v == c] or [name]:
            if study not in out and study != "text":
                out.append(study)
    clash = [c for c in out if c in ADDED]
    if clash:
        raise table_problem(src.shown, f"column(s) {', '.join(clash)} would clash with columns the loader adds",
                            f"map them to other names, e.g. columns={{'source_{clash[0]}': '{clash[0]}'}}")
    text_type = src.types.get(mapping["text"])
    if text_type and not any(t in text_type for t in ("string", "binary", "null")):
        raise table_problem(src.shown, f"text column {mapping['text']!r} holds {text_type} values, not text",
                            "map the column that holds the article text to text")
    return mapping, out + ["table_file", "table_row"]


_JSON = json.JSONEncoder(ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str)


def _cell(v) -> str | None:
    """A metadata value as text (or None when missing); line ends ``\\r\\n`` and ``\\r`` as ``\\n``, as in texts.

    >>> _cell(" Talks\\r\\nresumed\\r"), _cell(""), _cell(2.0), _cell([1, "a"])
    ('Talks\\nresumed', None, '2', '[1,"a"]')
    """
    if type(v) is str:
        return (normalise_newlines(v) if "\r" in v else v).strip() or None
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return None
    if isinstance(v, str):
        return (normalise_newlines(v) if "\r" in v else v).strip() or None
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    if isinstance(v, (_dt.datetime, _dt.date, _dt.time)):
        return v.isoformat()
    if isinstance(v, bytes):
        return _cell(v.decode("utf-8", "replace"))
    if isinstance(v, (list, tuple, dict)):
        return _JSON.encode(v)
    return str(v)


def _article(src: Source, rec, mapping: dict[str, str], out_cols: list[str], seen: dict[str, str],
             where: str) -> TableArticle:
    """Check one record; the returned article carries its problems."""
    art = TableArticle("", None, {}, src.shown, rec.row, rec.line)

    def add(reason, fix, severity="error"):
        art.problems.append(Problem(src.shown, rec.line, reason, fix, severity, art.article_id or None,
                                    source=src.path.name, row=rec.row))

    if rec.values is None:
        add(*rec.error)
        return art
    raw = rec.values
    values: dict[str, str | None] = {c: None for c in out_cols}
    for c, v in raw.items():
        values[c] = _cell(v)
    for study, col in mapping.items():
        values[study] = _cell(raw.get(col))
        if col != study and col not in mapping:
            values.pop(col, None)
    values.pop("text", None)
    values["table_file"], values["table_row"] = src.shown, str(rec.row)
    art.values = values
    art.article_id = values.get("article_id") or ""
    for reason, fix, severity in row_checks(values, seen, where.format(rec.row)):
        add(reason, fix, severity)
    tcol = mapping["text"]
    text = raw.get(tcol)
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8")
        except UnicodeDecodeError as exc:
            add(f"text is not valid UTF-8 (byte 0x{text[exc.start]:02x})", "store the text as UTF-8")
            return art
    if tcol not in raw:
        add(f"no {tcol!r} field in this row", "give every row the article text")
    elif text is None or (isinstance(text, float) and math.isnan(text)) or text == "":
        add(f"empty text ({tcol!r} is {'null' if text is None else 'empty'})",
            "remove the row or supply the article text (news-please writes null when it could not extract one)")
    elif not isinstance(text, str):
        add(f"text ({tcol!r}) is a {type(text).__name__}, not a string: {str(text)[:40]!r}",
            f"map the column that holds the article text to text (now: {tcol!r})")
    else:
        try:
            digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
        except UnicodeEncodeError:
            add("text contains unpaired surrogate characters (invalid Unicode)", "store the text as valid UTF-8")
            return art
        dec = check_text(text)
        for reason, fix in dec.errors:
            add(*_TEXT_REASONS.get(reason, (reason, fix)))
        for reason, fix in dec.warnings:
            add(reason, fix, "warning")
        art.sha256, art.encoding = digest, "utf-8"
        if not any(p.severity == "error" for p in art.problems) and dec.text is not None:
            art.text = with_title(dec.text, values.get("title"))
    return art


def with_title(text: str, title: str | None, search_lines: int | None = None) -> str:
    """The article's text with its title as a headline line.

    A table often keeps the title apart from the body (news-please's ``title`` and
    ``maintext``).  When the text does not already hold the title as one of its top
    lines, the title and a blank line are put before it, so that the headline is measured
    like the rest and every offset stays exact in ``Corpus.text``.  The top lines are
    where the folder reader looks for a headline: a kicker (section label) and then the
    first ``search_lines`` non-empty lines (``headline_search_lines`` of the packaged
    role rules when not given; a table is read before a study's own rules apply).  So a
    text that opens ``BUSINESS`` / title gives the same segments as the same file in a
    folder corpus, not a second headline (the title in another form too: :func:`.segment.same_line`).

    >>> with_title("Dockers stopped work.", "Port strike")
    'Port strike\\n\\nDockers stopped work.'
    >>> with_title("PORT STRIKE\\nDockers stopped work.", "Port strike")
    'PORT STRIKE\\nDockers stopped work.'
    >>> with_title("BUSINESS\\n Port  strike\\n\\nDockers stopped work.", "Port strike")
    'BUSINESS\\n Port  strike\\n\\nDockers stopped work.'
    >>> with_title("WORLD NEWS\\nKenya\u2019s MPs \u2013 the vote\\n\\nIt passed.", "Kenya's MPs - the vote | World")[:10]
    'WORLD NEWS'
    >>> with_title("Dockers stopped work.", None)
    'Dockers stopped work.'
    """
    if not title:
        return text
    if search_lines is None:
        search_lines = RoleRules.load().headline_search_lines
    top = 1 + max(search_lines, 1)  # a kicker, then the headline search window
    n = 0
    for line in text.split("\n"):
        if not VISIBLE_RE.search(line):
            continue
        if same_line(line, title):
            return text
        n += 1
        if n == top:
            break
    return " ".join(title.split()) + "\n\n" + text


def iter_table_articles(table: TableSpec, columns: Mapping[str, str] | None = None, *,
                        batch_size: int = 1000) -> Iterator[ArticleBatch]:
    """Stream the rows of a table corpus as checked articles, ``batch_size`` rows at a time.

    Every file is opened and its columns checked before the first batch is yielded, so a
    missing column in the last file of a glob stops the run before any work is done.
    Only the batch being read is held here (plus the set of ids seen, for duplicates);
    memory does not grow with the table, except by that id set.

    Parameters
    ----------
    table : str, path or list of them
        A CSV/TSV/JSONL/Parquet file, a glob (``"data/*.jsonl"``, files read in sorted
        order) or a list of either.  The format comes from each file's extension.
    columns : mapping, optional
        Study name -> file column; see the module rules.
    batch_size : int, default 1000
        Rows per batch (a batch never spans two files).

    Yields
    ------
    ArticleBatch
        Each article has ``ok``, ``text`` (normalised; None when unusable),
        ``values`` (metadata under study names) and ``problems``.

    Raises
    ------
    CorpusError
        Table-level problems (file not found, glob matching nothing, unknown
        extension, missing required column, unreadable file, no rows), always.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "t.csv"
    >>> _ = p.write_text("id,body,outlet\\n" + "".join(f"a{i},Text {i}.,Daily\\n" for i in range(5)))
    >>> batches = list(iter_table_articles(p, {"article_id": "id", "text": "body"}, batch_size=2))
    >>> [len(b.articles) for b in batches], batches[0].columns
    ([2, 2, 1], ['article_id', 'outlet', 'title', 'table_file', 'table_row'])
    """
    files = table_files(table)
    sources, problems = [], []
    for f in files:
        try:
            src = open_source(f)
            sources.append((src, *plan_columns(src, columns)))
        except CorpusError as exc:
            problems.extend(exc.problems)
    if problems:
        raise CorpusError(problems)
    seen: dict[str, str] = {}
    for src, mapping, out_cols in sources:
        where = "row {}" if len(sources) == 1 else src.shown.replace("{", "{{").replace("}", "}}") + " row {}"
        n = 0
        for records in iter_records(src, batch_size):
            n += len(records)
            arts = [_article(src, rec, mapping, out_cols, seen, where) for rec in records]
            yield ArticleBatch(src.shown, out_cols, arts)
        if n == 0:
            raise table_problem(src.shown, "empty table (no article rows)", "add one row per article")


def check_table(table: TableSpec, columns: Mapping[str, str] | None = None, *,
                batch_size: int = 1000) -> tuple[list[Problem], int, int]:
    """Every problem of a table corpus without loading it: ``(problems, n_rows, n_usable)``.

    Table-level problems are returned (not raised), after the row problems found before them.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "t.tsv"
    >>> _ = p.write_text("article_id\\ttext\\toutlet\\na\\tSome text.\\tDaily\\nb\\t \\tDaily\\n")
    >>> problems, n, ok = check_table(p)
    >>> [str(x).split(": ", 1)[1] for x in problems], n, ok
    (['empty text (only whitespace). Fix: remove the row or supply the article text.'], 2, 1)
    """
    problems: list[Problem] = []
    n = n_ok = 0
    try:
        for batch in iter_table_articles(table, columns, batch_size=batch_size):
            problems.extend(batch.problems)
            n += len(batch.articles)
            n_ok += sum(a.ok for a in batch.articles)
    except CorpusError as exc:
        problems.extend(exc.problems)
    return problems, n, n_ok
