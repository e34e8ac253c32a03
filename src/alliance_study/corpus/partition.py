"""A corpus in partitions: fixed-size runs of articles, read once and built one at a time.

Large corpora are processed partition by partition (see
:func:`alliance_study.report.process_corpus`): :func:`iter_partitions` reads the raw
articles (a folder of files or a table, streamed) and yields :class:`RawPartition`
objects of at most ``size`` articles in input order, each with the problems found
while reading it; :func:`build_partition` segments and sentence-splits one partition
into a :class:`~alliance_study.corpus.Corpus`, exactly as :func:`load_corpus` would
for those articles.  A partition's :attr:`RawPartition.content_hash` changes when,
and only when, one of its articles (id, text, metadata) changes, so processed
partitions can be cached by content.

Example
-------
>>> parts = list(iter_partitions(raw_dir="data/raw", size=2))
>>> [len(p.articles) for p in parts]
[2, 2, 1]
>>> c = build_partition(parts[0])
>>> list(c.articles["article_id"]) == [a.article_id for a in parts[0].articles]
True
"""
from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator, Mapping

from .load import ArticleBuilder
from .model import Corpus, CorpusError, Problem
from .roles import RoleRules
from .table import TableSpec, iter_table_articles
from .validate import check_corpus

__all__ = ["RawArticle", "RawPartition", "iter_partitions", "build_partition", "TAIL_COLUMNS"]

#: table-corpus bookkeeping columns, always last in the articles table
TAIL_COLUMNS = ("table_file", "table_row")


@dataclass(frozen=True)
class RawArticle:
    """One readable article: id, decoded text, metadata values (study names), hash and encoding."""

    article_id: str
    text: str
    values: dict
    sha256: str | None = None
    encoding: str | None = "utf-8"
    #: where it was read (for the warnings about its content): file, metadata line, table name, table row
    file: str = ""
    line: int | None = None
    source: str | None = None
    row: int | None = None


@dataclass
class RawPartition:
    """At most ``size`` articles in input order (``index`` counts partitions from 0).

    ``columns`` are the metadata columns of the articles table; ``problems`` those
    found while reading these articles (skipped ones included); ``source`` names the
    file or folder read.
    """

    index: int
    columns: list[str]
    articles: list[RawArticle] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    source: str = ""
    #: a table corpus: the first table's folder; ``table_file`` values below it are hashed relative to it,
    #: so a study moved or copied elsewhere has the same content hash (and keeps its cache)
    root: str = ""

    @property
    def content_hash(self) -> str:
        """SHA-256 of every article's id, text, metadata, hash and encoding, and of the columns."""
        h = hashlib.sha256(json.dumps(self.columns).encode())
        below = self.root + os.sep if self.root else None
        for a in self.articles:
            values = sorted((k, v[len(below):] if k == "table_file" and below and isinstance(v, str)
                             and v.startswith(below) else v) for k, v in a.values.items())
            rec = [a.article_id, a.text, values, a.sha256, a.encoding]
            h.update(json.dumps(rec, ensure_ascii=False, default=str).encode("utf-8"))
            h.update(b"\n")
        return h.hexdigest()


def iter_partitions(*, raw_dir: str | os.PathLike | None = None, metadata: str | os.PathLike | None = None,
                    table: TableSpec | None = None, columns: Mapping[str, str] | None = None,
                    size: int = 2000) -> Iterator[RawPartition]:
    """Read a corpus as partitions of at most ``size`` readable articles, in input order.

    Parameters
    ----------
    raw_dir, metadata : path
        A folder of article files and its metadata table (see :func:`load_corpus`).
    table, columns : path(s), mapping
        Or one table of articles, streamed (see :func:`iter_table_articles`).
    size : int, default 2000
        Articles per partition.  A partition never spans two table files.

    Yields
    ------
    RawPartition
        Articles with errors are not in ``articles`` but their problems are in
        ``problems`` (the caller decides whether to stop; nothing is dropped silently).

    Raises
    ------
    CorpusError
        Table-level problems (missing folder, metadata or table, missing column), at once.
    """
    if size < 1:
        raise ValueError(f"partition size must be at least 1, not {size}")
    if (raw_dir is None) == (table is None):
        raise TypeError("iter_partitions() takes either raw_dir= or table=, not both and not neither")
    if table is not None:
        yield from _table_partitions(table, columns, size)
    else:
        assert raw_dir is not None
        yield from _folder_partitions(raw_dir, metadata, size)


def _folder_partitions(raw_dir, metadata, size: int) -> Iterator[RawPartition]:
    checked = check_corpus(raw_dir, metadata)
    table_problems = [p for p in checked.problems if p.scope == "table"]
    if table_problems:
        raise CorpusError(table_problems)
    cols = list(checked.columns)
    if "title" not in cols:
        cols.insert(3, "title")
    # a folder corpus is checked whole up front: its problems go with the first partition
    part = RawPartition(0, cols, problems=list(checked.problems), source=str(checked.raw_dir))
    for row in checked.rows:
        if row.ok and row.decoded is not None and row.decoded.text is not None:
            part.articles.append(RawArticle(row.article_id, row.decoded.text,
                                            {c: (row.values.get(c) or None) for c in cols},
                                            row.sha256, row.decoded.encoding, row.display, row.line,
                                            checked.metadata_path.name))
            if len(part.articles) == size:
                yield part
                part = RawPartition(part.index + 1, cols, source=str(checked.raw_dir))
    if part.articles or part.problems or part.index == 0:
        yield part


def _table_partitions(table: TableSpec, columns, size: int) -> Iterator[RawPartition]:
    index, root = 0, ""
    for batch in iter_table_articles(table, columns, batch_size=size):
        cols = list(batch.columns)
        part = RawPartition(index, cols, source=str(batch.file), root=root or str(Path(batch.file).parent))
        root = part.root
        for art in batch.articles:
            part.problems.extend(art.problems)
            if art.ok and art.text is not None:
                cols.extend(c for c in art.values if c not in cols)
                part.articles.append(RawArticle(art.article_id, art.text, dict(art.values), art.sha256,
                                                art.encoding, art.file, art.line, Path(art.file).name, art.row))
        yield part
        index += 1


def build_partition(part: RawPartition, *, roles: str | os.PathLike | None = None,
                    max_sentence_chars: int = 1000) -> Corpus:
    """Segment and sentence-split one partition: the :class:`Corpus` of its articles.

    The same code path as :func:`load_corpus` (:class:`ArticleBuilder`), so a corpus
    built partition by partition has exactly the rows of one loaded whole.
    ``corpus.problems`` are the partition's reading problems, then the warnings about its
    articles' content (no body text: see :class:`ArticleBuilder`).
    """
    builder = ArticleBuilder(RoleRules.load(None if roles is None else os.fspath(roles)), max_sentence_chars)
    content: list[Problem] = []
    for a in part.articles:
        for reason, fix in builder.add(a.article_id, a.text, a.values, a.sha256, a.encoding):
            content.append(Problem(a.file or a.article_id, a.line, reason, fix, "warning", a.article_id,
                                   source=a.source, row=a.row))
    tail = [c for c in TAIL_COLUMNS if c in part.columns]
    cols = [c for c in part.columns if c not in tail] + tail
    articles, segments, sentences = builder.frames(cols)
    where = Path(part.source) if part.source else Path(".")
    return Corpus(articles=articles, segments=segments, sentences=sentences, problems=list(part.problems) + content,
                  raw_dir=where if where.is_dir() else where.parent, metadata_path=where, _texts=builder.texts,
                  table_files=[])
