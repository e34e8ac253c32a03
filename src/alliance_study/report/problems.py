"""The build's problems table: what was found wrong while the corpus was read and grouped.

:func:`~alliance_study.report.process.process_corpus` collects the loader's problems
(unreadable rows skipped, warnings) and adds its own warnings about the articles table,
so that nothing is left out unsaid:

* :func:`blank_groups` -- articles left out of the group comparison (no ``group_by`` value);
* :func:`no_body` -- articles with no body sentence (kept, but they add no body text);
* :func:`near_duplicate_groups` -- ``group_by`` values that differ only in case, spacing
  or invisible characters (compared as separate groups);
* :func:`group_by_problem` -- the message for a ``group_by`` that names no column
  (the build and ``build --check`` both say it);

and :func:`problems_frame` makes them the ``problems`` table, with paths inside the
corpus folder written relative to it.

Example
-------
>>> import pandas as pd
>>> a = pd.DataFrame({"article_id": ["a", "b"], "file": ["a.txt", "b.txt"], "outlet": ["AP", None]})
>>> problems_frame(blank_groups(a, "outlet", "raw"), (Path("/c"), "raw"))[["file", "severity", "article_id"]]
        file severity article_id
0  raw/b.txt  warning          b
"""
from __future__ import annotations

from pathlib import Path
from typing import Any, Iterable

import pandas as pd

from ..corpus import Problem
from ..corpus.load import NO_BODY_FIX
from ..text import INVISIBLE
from .store import corpus_relative

__all__ = ["problems_frame", "group_by_problem", "blank_groups", "no_body", "near_duplicate_groups"]

_PROBLEM_COLUMNS = ["file", "line", "row", "severity", "article_id", "reason", "fix", "message"]


def problems_frame(problems: Iterable[Problem], base: tuple[Path, str]) -> pd.DataFrame:
    """The problems table; paths inside the corpus folder as in :func:`~.store.corpus_relative`.

    Parameters
    ----------
    problems : iterable of Problem
        What was found, in the order it was found.
    base : (Path, str)
        The corpus folder and its name in the tables (:func:`~.store.corpus_root`).

    Returns
    -------
    pandas.DataFrame
        One row per problem: file, line, row, severity, article_id, reason, fix, message.

    Examples
    --------
    >>> p = Problem("/c/a.txt", None, "empty file", "add text", article_id="a")
    >>> problems_frame([p], (Path("/c"), "raw")).loc[0, ["file", "message"]].tolist()
    ['raw/a.txt', 'raw/a.txt: empty file. Fix: add text.']
    """
    rows = [dict(p.as_dict(), file=corpus_relative(str(p.file or ""), *base), message=corpus_relative(str(p), *base),
                 reason=corpus_relative(p.reason, *base), fix=corpus_relative(p.fix, *base)) for p in problems]
    df = pd.DataFrame(rows, columns=_PROBLEM_COLUMNS)
    for c in ("line", "row"):
        df[c] = pd.array(df[c], dtype="Int64")
    for c in ("file", "severity", "article_id", "reason", "fix", "message"):
        df[c] = df[c].astype("string")
    return df


def group_by_problem(group_by: Any, columns: Iterable[Any]) -> str:
    """The message for a ``group_by`` that names no column: each usable column quoted (a name may hold
    commas), not the article id nor the loader's own ``table_file``/``table_row``; the build and
    ``build --check`` both say it so.

    >>> print(group_by_problem("regoin", ["article_id", "Region, coded (v2)", "table_file", "table_row"]))
    group_by='regoin': no such column in the corpus. Fix: set parameters: group_by in the study file (or -p group_by COLUMN) to one of: 'Region, coded (v2)'.
    """
    from ..corpus.partition import TAIL_COLUMNS

    offered = ", ".join(repr(str(c)) for c in columns if c not in ("article_id", *TAIL_COLUMNS))
    return (f"group_by={group_by!r}: no such column in the corpus. Fix: set parameters: group_by in the study "
            f"file (or -p group_by COLUMN) to one of: {offered or '(no metadata column)'}.")


def _article_problem(rec: dict, name: str, reason: str, fix: str) -> Problem:
    """A warning about one article (a row of the articles table), naming its file or table row."""
    table_row = rec.get("table_row")
    file = rec.get("table_file") if table_row is not None else f"{name}/{rec.get('file')}"
    return Problem(str(file or ""), None, reason, fix, severity="warning", article_id=str(rec["article_id"]),
                   row=int(table_row) if table_row is not None and str(table_row).isdigit() else None)


def blank_groups(articles: pd.DataFrame, group_by: str, name: str) -> list[Problem]:
    """A warning for each article left out of the comparison for want of a ``group_by`` value
    (the problems table and the report's data-quality part list them: nothing is left out unsaid).

    Parameters
    ----------
    articles : pandas.DataFrame
        The articles table (``article_id``, ``file`` or ``table_file``/``table_row``, metadata).
    group_by : str
        The column the groups are read from; no warning when the table has no such column.
    name : str
        The corpus folder's name in the tables (``raw`` or ``table``).

    Examples
    --------
    >>> a = pd.DataFrame({"article_id": ["a", "b"], "file": ["a.txt", "b.txt"], "outlet": ["AP", None]})
    >>> [(p.file, p.article_id) for p in blank_groups(a, "outlet", "raw")]
    [('raw/b.txt', 'b')]
    """
    if group_by not in articles.columns:
        return []
    blank = articles[articles[group_by].isna()]
    return [_article_problem(r._asdict(), name, f"article {r.article_id!r} has no {group_by!r} value, so it "
                             f"is left out of the group comparison (its sentences are still scored)",
                             f"give it a {group_by!r} value in the corpus, or group by another column")
            for r in blank.itertuples(index=False)]


def no_body(articles: pd.DataFrame, roles: pd.DataFrame, name: str) -> list[Problem]:
    """A warning for each article with no body sentence (a paywall or error page, a headline-only or
    comment-only file): it is kept, but adds nothing to the body text the comparisons measure.

    Parameters
    ----------
    articles : pandas.DataFrame
        The articles table.
    roles : pandas.DataFrame
        Sentences and words per role and article (``n_sentences_<role>`` columns).
    name : str
        The corpus folder's name in the tables (``raw`` or ``table``).

    Examples
    --------
    >>> a = pd.DataFrame({"article_id": ["a", "b"], "file": ["a.txt", "b.txt"]})
    >>> r = pd.DataFrame({"article_id": ["a", "b"], "n_sentences_body": [4, 0], "n_sentences_headline": [1, 1]})
    >>> [p.reason for p in no_body(a, r, "raw")]
    ["article 'b' has no body text (its sentences: headline (1))"]
    """
    if "n_sentences_body" in roles.columns:
        empty = set(roles.loc[roles["n_sentences_body"] == 0, "article_id"])
    else:
        empty = set(roles["article_id"])
    counts = [c for c in roles.columns if c.startswith("n_sentences_")]
    by_id = roles.set_index("article_id")[counts] if counts else None
    out = []
    for r in articles[articles["article_id"].isin(empty)].itertuples(index=False):
        row = by_id.loc[r.article_id] if by_id is not None and r.article_id in by_id.index else None
        has = ", ".join(f"{c.removeprefix('n_sentences_')} ({int(row[c])})" for c in counts
                        if row is not None and row[c]) or "none"
        out.append(_article_problem(r._asdict(), name, f"article {r.article_id!r} has no body text (its sentences: "
                                    f"{has})", NO_BODY_FIX))
    return out


#: characters a reader cannot see, ignored when group values are compared for near-duplicates
_INVISIBLE = dict.fromkeys(map(ord, INVISIBLE), None)


def near_duplicate_groups(articles: pd.DataFrame, group_by: str, name: str = "") -> list[Problem]:
    """A warning for each set of ``group_by`` values that differ only in case, spacing or invisible
    characters ("Reuters", "reuters", "Reuters\u200b"): each is its own group, which is seldom meant.

    >>> a = pd.DataFrame({"article_id": ["a", "b", "c"], "outlet": ["Reuters", "reuters ", "AP"]})
    >>> [p.reason for p in near_duplicate_groups(a, "outlet")]  # doctest: +ELLIPSIS
    ["the 'outlet' values 'Reuters', 'reuters ' differ only in case, spacing or invisible characters, ...
    """
    if group_by not in articles.columns:
        return []
    values = articles[group_by].dropna().astype(str).unique().tolist()
    by_key: dict[str, list[str]] = {}
    for v in values:
        by_key.setdefault(" ".join(v.translate(_INVISIBLE).split()).casefold(), []).append(v)
    out = []
    for key in sorted(by_key):
        same = sorted(by_key[key])
        if len(same) > 1:
            out.append(Problem(name, None, f"the {group_by!r} values {', '.join(map(repr, same))} differ only in case, "
                               f"spacing or invisible characters, so they are compared as {len(same)} groups",
                               "write them the same way in the corpus if they are one group",
                               severity="warning"))
    return out
