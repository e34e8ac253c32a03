"""Load a raw corpus (a folder of files, or one table) into a :class:`~alliance_study.corpus.model.Corpus`.

Both layouts feed every usable article through the same :class:`ArticleBuilder`
(segments with roles, sentences with offsets, counts), so an article gives the
same tables whether its text came from a file or from a table row.

Example
-------
>>> import tempfile, pathlib
>>> d = pathlib.Path(tempfile.mkdtemp())
>>> _ = (d / "a.txt").write_text("Big News\\n\\nIt happened on Oct. 3 in U.S. waters. Nobody knew.\\n")
>>> _ = (d / "articles.csv").write_text("article_id,file,outlet,title\\na,a.txt,Daily,\\n")
>>> c = load_corpus(d)
>>> c.articles[["article_id", "title", "n_sentences"]].values.tolist()
[['a', 'Big News', 3]]
>>> c.sentences.text.tolist()
['Big News', 'It happened on Oct. 3 in U.S. waters.', 'Nobody knew.']
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import Mapping

import pandas as pd

from ..text import n_tokens
from .model import Corpus, CorpusError, Problem
from .roles import RoleRules
from .segment import segment_text
from .sentences import PUNKT_MAX_CANDIDATES, SentenceSplitter, n_candidates
from .table import TableSpec, iter_table_articles, table_files
from .validate import ADDED, check_corpus

SEGMENT_COLUMNS = ["article_id", "seg_id", "role", "start", "end", "text", "author", "timestamp", "depth",
                   "comment_id"]
SENTENCE_COLUMNS = ["article_id", "sent_id", "seg_id", "role", "start", "end", "text"]
COUNT_COLUMNS = list(ADDED)  # the columns the loader adds to every article row


class ArticleBuilder:
    """Segment, sentence-split and count articles one at a time; then build the tables.

    The one code path from an article's text to its rows in ``articles``,
    ``segments`` and ``sentences``.

    Parameters
    ----------
    rules : RoleRules
        Role rules (``RoleRules.load(None)`` for the packaged ones).
    max_sentence_chars : int
        Longer sentences are split (see :func:`load_corpus`).

    Examples
    --------
    >>> b = ArticleBuilder(RoleRules.load(None), 1000)
    >>> b.add("a", "Big News\\n\\nIt rained. Then it stopped.\\n", {"article_id": "a", "outlet": "D"})
    []
    >>> arts, segs, sents = b.frames(["article_id", "outlet", "title"])
    >>> arts[["title", "n_segments", "n_sentences"]].values.tolist()
    [['Big News', 2, 3]]
    >>> b.add("p", "Subscribe to continue reading\\n\\nAlready a subscriber? Sign in\\n", {"article_id": "p"})[0][0]
    'no body text: its 2 lines are boilerplate (2)'
    """

    def __init__(self, rules: RoleRules, max_sentence_chars: int):
        self.rules = rules
        self.max_sentence_chars = max_sentence_chars
        self.splitter = SentenceSplitter(max_chars=max_sentence_chars)
        self.art_rows: list[dict] = []
        self.seg_rows: list[tuple] = []
        self.sent_rows: list[tuple] = []
        self.texts: dict[str, str] = {}

    def add(self, aid: str, text: str, values: dict, sha256: str | None = None,
            encoding: str | None = "utf-8") -> list[tuple[str, str]]:
        """Add one article: its decoded text and its metadata ``values`` (str or None).

        Returns the ``(reason, fix)`` of what is odd about its content (warnings): no body text.
        """
        self.texts[aid] = text
        segs = segment_text(text, self.rules, title=values.get("title"))
        # one splitter per article (Punkt, or the linear splitter for huge texts)
        method = "fast" if n_candidates(text) > PUNKT_MAX_CANDIDATES else "punkt"
        n_sent = 0
        n_words = 0
        for seg_id, s in enumerate(segs):
            self.seg_rows.append((aid, seg_id, s.role, s.start, s.end, s.text, s.author, s.timestamp, s.depth,
                                  s.comment_id))
            for a, b in self.splitter.spans(s.text, method=method):
                sent_text = s.text[a:b]
                self.sent_rows.append((aid, n_sent, seg_id, s.role, s.start + a, s.start + b, sent_text))
                n_words += n_tokens(sent_text)
                n_sent += 1
        values = dict(values)
        if not values.get("title"):
            heads = [s.text for s in segs if s.role == "headline"]
            values["title"] = " / ".join(heads) if heads else (segs[0].text[:300] if segs else None)
        values.update(n_segments=len(segs), n_sentences=n_sent, n_words=n_words, sha256=sha256,
                      encoding=encoding)
        self.art_rows.append(values)
        return [] if any(s.role == "body" for s in segs) else [_no_body(segs)]

    def frames(self, columns: list[str]) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
        """``(articles, segments, sentences)``; ``articles`` has ``columns`` then the counts."""
        articles = pd.DataFrame(self.art_rows, columns=list(columns) + COUNT_COLUMNS)
        for c in ("n_segments", "n_sentences", "n_words"):
            articles[c] = articles[c].astype("int64")
        segments = pd.DataFrame(self.seg_rows, columns=SEGMENT_COLUMNS)
        for c in ("seg_id", "start", "end"):
            segments[c] = segments[c].astype("int64")
        for c in ("depth", "comment_id"):
            segments[c] = segments[c].astype("Int64")
        sentences = pd.DataFrame(self.sent_rows, columns=SENTENCE_COLUMNS)
        for c in ("sent_id", "seg_id", "start", "end"):
            sentences[c] = sentences[c].astype("int64")
        return articles, segments, sentences


#: the way out of an article with no body text (the loader's warning and the build's problems table)
NO_BODY_FIX = ("it is kept but adds nothing to the article text measured (a paywall or error page, a headline-only "
               "or comment-only file?): supply the article's text or remove it; if body lines were taken for page "
               "furniture, adjust the role rules (roles.yaml)")


def _no_body(segs) -> tuple[str, str]:
    """The warning for an article without a body line: what its lines are instead."""
    by_role: dict[str, int] = {}
    for s in segs:
        by_role[s.role] = by_role.get(s.role, 0) + 1
    shown = ", ".join(f"{r} ({k})" for r, k in by_role.items())
    return (f"no body text: its {len(segs)} line{'s' * (len(segs) != 1)} {'are' if len(segs) != 1 else 'is'} "
            f"{shown}", NO_BODY_FIX)


def load_corpus(raw_dir: str | os.PathLike | None = None, metadata: str | os.PathLike | None = None, *,
                table: TableSpec | None = None, columns: Mapping[str, str] | None = None,
                on_invalid: str = "fail", max_sentence_chars: int = 1000,
                roles: str | os.PathLike | None = None, batch_size: int = 1000) -> Corpus:
    """Read, check, segment and sentence-split a raw corpus: a folder of files, or one table.

    Parameters
    ----------
    raw_dir : str or path
        Folder holding the article files (folder layout).
    metadata : str or path, optional
        Metadata CSV (default ``raw_dir/articles.csv``); see ``validate`` for its rules.
    table : str, path or list, optional
        Instead of ``raw_dir``: a table with one article per row -- a ``.csv``,
        ``.tsv``, ``.jsonl``/``.ndjson`` or ``.parquet`` file, a glob such as
        ``"data/*.jsonl"`` (files read in sorted order) or a list of files.  Read
        in batches, never whole; see :mod:`alliance_study.corpus.table`.
    columns : mapping, optional
        With ``table``: the study's names -> the file's column names, e.g.
        ``{"article_id": "id", "text": "maintext", "outlet": "source_domain",
        "published": "date_publish"}``.  ``article_id``, ``text`` and ``outlet``
        are required (mapped, or a column of that name); every other column is
        kept as metadata.
    on_invalid : {"fail", "skip"}, default "fail"
        ``"fail"``: any error raises :class:`CorpusError` listing every problem.
        ``"skip"``: articles with errors are left out and their errors kept in
        ``corpus.problems``.  Warnings never stop a load.  Table-level problems
        (missing metadata or table, missing required column, empty table) always raise.
    max_sentence_chars : int, default 1000
        Sentences longer than this are split at the last whitespace/punctuation
        before the cap, so no input can stall the pipeline.
    roles : str or path, optional
        Role-rule YAML (default: the packaged ``lexicons/roles.yaml``).
    batch_size : int, default 1000
        With ``table``: rows read at a time.

    Returns
    -------
    Corpus
        ``articles``, ``segments`` and ``sentences`` tables; offsets refer to
        ``corpus.text(article_id)``.

    Raises
    ------
    CorpusError
        As described under ``on_invalid``.

    Examples
    --------
    >>> c = load_corpus("data/raw")                                   # doctest: +SKIP
    >>> c.segments.groupby("role").size()["reader_comment"] > 0       # doctest: +SKIP
    True
    >>> c = load_corpus(table="news.jsonl", columns={"article_id": "id", "text": "maintext",
    ...                 "outlet": "source_domain", "published": "date_publish"})  # doctest: +SKIP
    """
    if on_invalid not in ("fail", "skip"):
        raise ValueError(f"on_invalid must be 'fail' or 'skip', not {on_invalid!r}")
    if (raw_dir is None) == (table is None):
        raise TypeError("load_corpus() takes either raw_dir (a folder of article files) or table= "
                        "(one table of articles), not both and not neither")
    if table is None and columns is not None:
        raise TypeError("columns= maps the columns of a table: pass it together with table=")
    if table is not None and metadata is not None:
        raise TypeError("metadata= belongs to the folder layout; a table holds its metadata in its own columns")
    rules = RoleRules.load(None if roles is None else os.fspath(roles))
    if table is not None:
        return _load_table(table, columns, on_invalid, ArticleBuilder(rules, max_sentence_chars), batch_size)
    assert raw_dir is not None, "no table, so raw_dir is given (checked above)"
    checked = check_corpus(raw_dir, metadata)
    table_problems = [p for p in checked.problems if p.scope == "table"]
    if table_problems:
        raise CorpusError(table_problems)
    errors = [p for p in checked.problems if p.severity == "error"]
    if errors and on_invalid == "fail":
        raise CorpusError(checked.problems)
    problems: list[Problem] = list(checked.problems)

    out_cols = list(checked.columns)
    if "title" not in out_cols:
        out_cols.insert(3, "title")
    builder = ArticleBuilder(rules, max_sentence_chars)
    for row in checked.rows:
        if not row.ok or row.decoded is None or row.decoded.text is None:
            continue
        for reason, fix in builder.add(row.article_id, row.decoded.text,
                                       {c: (row.values.get(c) or None) for c in out_cols},
                                       row.sha256, row.decoded.encoding):
            problems.append(Problem(row.display, row.line, reason, fix, "warning", row.article_id or None,
                                    source=checked.metadata_path.name))
    articles, segments, sentences = builder.frames(out_cols)
    return Corpus(articles=articles, segments=segments, sentences=sentences, problems=problems,
                  raw_dir=checked.raw_dir, metadata_path=checked.metadata_path, _texts=builder.texts)


def _load_table(table: TableSpec, columns: Mapping[str, str] | None, on_invalid: str, builder: ArticleBuilder, batch_size: int) -> Corpus:
    """The ``table=`` branch of :func:`load_corpus`."""
    problems: list[Problem] = []
    out_cols: list[str] = []
    failed = False
    for batch in iter_table_articles(table, columns, batch_size=batch_size):
        out_cols.extend(c for c in batch.columns if c not in out_cols)
        for art in batch.articles:
            problems.extend(art.problems)
            failed = failed or not art.ok
            # in fail mode, stop the (costly) splitting at the first error but keep checking rows
            if art.ok and art.text is not None and not (failed and on_invalid == "fail"):
                out_cols.extend(c for c in art.values if c not in out_cols)
                for reason, fix in builder.add(art.article_id, art.text, art.values, art.sha256, art.encoding):
                    problems.append(Problem(art.file, art.line, reason, fix, "warning", art.article_id or None,
                                            source=Path(art.file).name, row=art.row))
    if failed and on_invalid == "fail":
        raise CorpusError(problems)
    tail: list[str] = [c for c in ("table_file", "table_row") if c in out_cols]
    out_cols = [c for c in out_cols if c not in tail] + tail
    articles, segments, sentences = builder.frames(out_cols)
    files = table_files(table)
    return Corpus(articles=articles, segments=segments, sentences=sentences, problems=problems,
                  raw_dir=files[0].parent, metadata_path=files[0], _texts=builder.texts, table_files=files)
