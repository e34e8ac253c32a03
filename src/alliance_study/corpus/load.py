"""Load a raw corpus folder into a :class:`~alliance_study.corpus.model.Corpus`.

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

import pandas as pd

from ..text import n_tokens
from .model import Corpus, CorpusError, Problem
from .segment import RoleRules, segment_text
from .sentences import PUNKT_MAX_CANDIDATES, n_candidates, sentence_spans
from .validate import check_corpus

SEGMENT_COLUMNS = ["article_id", "seg_id", "role", "start", "end", "text", "author", "timestamp", "depth",
                   "comment_id"]
SENTENCE_COLUMNS = ["article_id", "sent_id", "seg_id", "role", "start", "end", "text"]
COUNT_COLUMNS = ["n_segments", "n_sentences", "n_words", "sha256", "encoding"]


def load_corpus(raw_dir: str | os.PathLike, metadata: str | os.PathLike | None = None, *,
                on_invalid: str = "fail", max_sentence_chars: int = 1000,
                roles: str | os.PathLike | None = None) -> Corpus:
    """Read, check, segment and sentence-split a raw corpus folder.

    Parameters
    ----------
    raw_dir : str or path
        Folder holding the article files.
    metadata : str or path, optional
        Metadata CSV (default ``raw_dir/articles.csv``); see ``validate`` for its rules.
    on_invalid : {"fail", "skip"}, default "fail"
        ``"fail"``: any error raises :class:`CorpusError` listing every problem.
        ``"skip"``: articles with errors are left out and their errors kept in
        ``corpus.problems``.  Warnings never stop a load.  Table-level problems
        (missing metadata, missing required column, empty table) always raise.
    max_sentence_chars : int, default 1000
        Sentences longer than this are split at the last whitespace/punctuation
        before the cap, so no input can stall the pipeline.
    roles : str or path, optional
        Role-rule YAML (default: the packaged ``lexicons/roles.yaml``).

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
    """
    if on_invalid not in ("fail", "skip"):
        raise ValueError(f"on_invalid must be 'fail' or 'skip', not {on_invalid!r}")
    rules = RoleRules.load(roles)
    checked = check_corpus(raw_dir, metadata)
    table = [p for p in checked.problems if p.scope == "table"]
    if table:
        raise CorpusError(table)
    errors = [p for p in checked.problems if p.severity == "error"]
    if errors and on_invalid == "fail":
        raise CorpusError(checked.problems)
    problems: list[Problem] = list(checked.problems)

    columns = list(checked.columns)
    if "title" not in columns:
        columns.insert(3, "title")
    art_rows, seg_rows, sent_rows = [], [], []
    texts: dict[str, str] = {}
    for row in checked.rows:
        if not row.ok or row.decoded is None or row.decoded.text is None:
            continue
        aid = row.article_id
        text = row.decoded.text
        texts[aid] = text
        segs = segment_text(text, rules)
        # one splitter per article (Punkt, or the linear splitter for huge texts)
        method = "fast" if n_candidates(text) > PUNKT_MAX_CANDIDATES else "punkt"
        n_sent = 0
        n_words = 0
        for seg_id, s in enumerate(segs):
            seg_rows.append((aid, seg_id, s.role, s.start, s.end, s.text, s.author, s.timestamp, s.depth,
                             s.comment_id))
            for a, b in sentence_spans(s.text, max_sentence_chars, method=method):
                sent_text = s.text[a:b]
                sent_rows.append((aid, n_sent, seg_id, s.role, s.start + a, s.start + b, sent_text))
                n_words += n_tokens(sent_text)
                n_sent += 1
        values = {c: (row.values.get(c) or None) for c in columns}
        if not values.get("title"):
            heads = [s.text for s in segs if s.role == "headline"]
            values["title"] = " / ".join(heads) if heads else (segs[0].text[:300] if segs else None)
        values.update(n_segments=len(segs), n_sentences=n_sent, n_words=n_words, sha256=row.sha256,
                      encoding=row.decoded.encoding)
        art_rows.append(values)

    articles = pd.DataFrame(art_rows, columns=columns + COUNT_COLUMNS)
    for c in ("n_segments", "n_sentences", "n_words"):
        articles[c] = articles[c].astype("int64")
    segments = pd.DataFrame(seg_rows, columns=SEGMENT_COLUMNS)
    for c in ("seg_id", "start", "end"):
        segments[c] = segments[c].astype("int64")
    for c in ("depth", "comment_id"):
        segments[c] = segments[c].astype("Int64")
    sentences = pd.DataFrame(sent_rows, columns=SENTENCE_COLUMNS)
    for c in ("sent_id", "seg_id", "start", "end"):
        sentences[c] = sentences[c].astype("int64")
    return Corpus(articles=articles, segments=segments, sentences=sentences, problems=problems,
                  raw_dir=checked.raw_dir, metadata_path=checked.metadata_path, _texts=texts)
