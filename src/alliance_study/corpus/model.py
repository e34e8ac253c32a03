"""Data model of a loaded corpus: :class:`Problem` and :class:`Corpus` (:class:`CorpusError` lives in :mod:`alliance_study.errors`).

Example
-------
>>> p = Problem(file="data/raw/x.txt", line=3, reason="empty file (only whitespace)",
...             fix="remove the row or supply the text", source="articles.csv")
>>> print(p)
data/raw/x.txt (articles.csv line 3): empty file (only whitespace). Fix: remove the row or supply the text.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ..errors import CorpusError

SEVERITIES = ("error", "warning")


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a corpus input.

    Parameters
    ----------
    file : str
        The file concerned, as given (raw directory joined with the metadata
        ``file`` value, or the metadata file itself).
    line : int or None
        1-based line of the metadata table (the header is line 1), or None.
    reason : str
        What is wrong.
    fix : str
        What the user should do.
    severity : {"error", "warning"}
        Errors stop a ``load_corpus(on_invalid="fail")``; warnings never do.
    article_id : str or None
        The metadata ``article_id`` of the row concerned, when there is one.
    source : str or None
        Display name of the metadata table the ``line`` refers to.
    scope : {"article", "table"}
        ``"table"`` problems (missing or unreadable metadata, missing required
        column, empty table) make the whole corpus unusable: they always raise.
    row : int or None
        For a corpus read from one table (``load_corpus(table=...)``): the
        1-based data row of ``file`` (the header is not a row); ``line`` is then
        the physical line where the row starts (None for Parquet).

    Examples
    --------
    >>> str(Problem("a.csv", None, "no rows", "add rows", scope="table"))
    'a.csv: no rows. Fix: add rows.'
    """

    file: str
    line: int | None
    reason: str
    fix: str
    severity: str = "error"
    article_id: str | None = None
    source: str | None = None
    scope: str = "article"
    row: int | None = None

    def __post_init__(self):
        if self.severity not in SEVERITIES:
            raise ValueError(f"severity must be one of {SEVERITIES}, not {self.severity!r}")

    def __str__(self) -> str:
        reason = self.reason.rstrip(". ")
        fix = self.fix.rstrip(". ")
        where = self.file
        if self.row is not None:
            where = f"{self.file} row {self.row}" + (f" (line {self.line})" if self.line is not None else "")
        elif self.line is not None:
            if self.source and Path(self.source).name != Path(self.file).name:
                where = f"{self.file} ({self.source} line {self.line})"
            else:
                where = f"{self.file} line {self.line}"
        return f"{where}: {reason}. Fix: {fix}."

    def as_dict(self) -> dict:
        """The problem as a plain dict (for tables and JSON)."""
        return {"file": self.file, "line": self.line, "row": self.row, "reason": self.reason, "fix": self.fix,
                "severity": self.severity, "article_id": self.article_id}


@dataclass
class Corpus:
    """A loaded corpus: three tidy tables plus the decoded texts they point into.

    Attributes
    ----------
    articles : pandas.DataFrame
        One row per loaded article, in metadata order: the metadata columns plus
        ``n_segments``, ``n_sentences``, ``n_words``, ``sha256``, ``encoding``.
    segments : pandas.DataFrame
        ``article_id, seg_id, role, start, end, text, author, timestamp, depth,
        comment_id`` -- one row per non-empty line.
    sentences : pandas.DataFrame
        ``article_id, sent_id, seg_id, role, start, end, text``.
    problems : list of Problem
        Warnings, and with ``on_invalid="skip"`` the errors of skipped articles.
    raw_dir : pathlib.Path
        The raw folder; for a table corpus, the folder of the (first) table file.
    metadata_path : pathlib.Path
        The metadata CSV; for a table corpus, the (first) table file.
    table_files : list of pathlib.Path
        For a table corpus: every table file read, in reading order (else empty).

    Examples
    --------
    >>> from alliance_study.corpus import load_corpus
    >>> c = load_corpus("data/raw")                      # doctest: +SKIP
    >>> s = c.sentences.iloc[0]                           # doctest: +SKIP
    >>> c.text(s.article_id)[s.start:s.end] == s.text     # doctest: +SKIP
    True
    """

    articles: pd.DataFrame
    segments: pd.DataFrame
    sentences: pd.DataFrame
    problems: list[Problem]
    raw_dir: Path
    metadata_path: Path
    _texts: dict[str, str] = field(default_factory=dict, repr=False)
    table_files: list[Path] = field(default_factory=list)

    def text(self, article_id: str) -> str:
        """Decoded text of one article (line ends ``\\n``); all offsets refer to it."""
        try:
            return self._texts[str(article_id)]
        except KeyError:
            raise KeyError(f"no loaded article {article_id!r}; loaded: {sorted(self._texts)[:10]}") from None

    @property
    def article_ids(self) -> list[str]:
        """Loaded article ids, in metadata order."""
        return list(self.articles["article_id"]) if len(self.articles) else []
