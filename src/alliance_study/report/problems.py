"""The build's problems table: what was found wrong while the corpus was read and grouped.

:func:`~alliance_study.report.process.process_corpus` collects the loader's problems
(unreadable rows skipped, warnings) and adds its own warnings about the articles table,
so that nothing is left out unsaid:

* :func:`blank_groups` -- articles left out of the group comparison (no ``group_by`` value);
* :func:`no_body` -- articles with no body sentence (kept, but they add no body text);
* :func:`near_duplicate_groups` -- ``group_by`` values that differ only in case, spacing
  or invisible characters (compared as separate groups);
* :func:`folder_warnings` -- the same three, found by ``validate --study`` and ``build --check``
  from a folder corpus's metadata and files (read by the check anyway), before any build;
* :func:`group_by_problem` -- the message for a ``group_by`` that names no column
  (the build and ``build --check`` both say it);

and :func:`problems_frame` makes them the ``problems`` table, with paths inside the
corpus folder written relative to it; :func:`problems_summary` is what the build says of
them on stderr, once all are known.

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
import os
from typing import TYPE_CHECKING, Any, Iterable

import pandas as pd

from ..corpus import Problem
from ..corpus.load import NO_BODY_FIX
from ..text import INVISIBLE
from .study_parameters import group_by_problem  # noqa: F401  (re-exported: the build and report.check say it)
from .store import corpus_relative

if TYPE_CHECKING:
    from ..corpus.validate import Checked

__all__ = ["problems_frame", "problems_summary", "group_by_problem", "blank_groups", "no_body",
           "near_duplicate_groups", "folder_warnings"]

#: warnings named one by one in the build's summary on stderr; the rest are counted (all are in problems.csv)
SHOWN_PROBLEMS = 10

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


def problems_summary(problems: list[Problem], base: tuple[Path, str] | None = None, limit: int = SHOWN_PROBLEMS) -> str:
    """What the build says of its problems on stderr: the counts, then each one (the first ``limit``).

    Called once every problem is known (the loader's, the skipped rows' and the warnings
    about groups and articles without body text), so the count is that of problems.csv.

    Parameters
    ----------
    problems : list of Problem
        Every problem of the build, in the order of the problems table (each named by its
        file as found, so that it can be opened from the terminal).
    base : (Path, str), optional
        The corpus folder and its name in the tables (:func:`~.store.corpus_root`): a
        problem named ``raw/x.txt`` there is shown with the folder's own path.
    limit : int
        How many are named one by one; the rest are counted.

    Examples
    --------
    >>> a = pd.DataFrame({"article_id": ["a", "b"], "file": ["a.txt", "b.txt"], "outlet": ["AP", "ap"]})
    >>> print(problems_summary(near_duplicate_groups(a, "outlet", "raw"), (Path("/c/raw"), "raw")))  # doctest: +ELLIPSIS
    0 unreadable article row(s) skipped and 1 warning(s), all listed in problems.csv beside the processed tables and in the report:
      warning: /c/raw: the 'outlet' values 'AP', 'ap' differ only in case, ...
    """
    n_err = sum(getattr(q, "severity", "error") == "error" for q in problems)
    lines = [f"{n_err} unreadable article row(s) skipped and {len(problems) - n_err} warning(s), all listed in "
             f"problems.csv beside the processed tables and in the report:"]
    def shown(q: Problem) -> str:
        file = str(q.file or "")
        if base is None or not (file == base[1] or file.startswith(base[1] + "/")):
            return str(q)
        return str(q).replace(file, str(base[0] / file[len(base[1]) + 1:]) if file != base[1] else str(base[0]), 1)

    lines += [f"  {'ERROR' if getattr(q, 'severity', 'error') == 'error' else 'warning'}: {shown(q)}"
              for q in problems[:limit]]
    if len(problems) > limit:
        lines.append(f"  ... and {len(problems) - limit} more (problems.csv)")
    return "\n".join(lines)


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


def no_body(articles: pd.DataFrame, roles: pd.DataFrame, name: str, unit: str = "sentences") -> list[Problem]:
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
    unit : str
        What ``roles`` counts (``sentences``; ``lines`` for the segments ``validate`` counts).

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
        out.append(_article_problem(r._asdict(), name, f"article {r.article_id!r} has no body text (its {unit}: "
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


def folder_warnings(checked: Checked, group_by: str, roles: str | os.PathLike[str] | None = None) -> list[Problem]:
    """The build's warnings about a folder corpus, from its check (:func:`~alliance_study.corpus.validate.check_corpus`):
    blank and near-duplicate ``group_by`` values, and articles with no body line under the study's role rules.

    What ``validate --study`` and ``build --check`` add to the corpus check, so that they say
    before the build what its problems table will say.  Only rows without errors whose text
    was read count (as in the build); each article's problem names its metadata line.

    Parameters
    ----------
    checked : Checked
        The folder's check, with the files read (``read_files=True``).
    group_by : str
        The column the groups are read from (no group warning when the metadata has none).
    roles : path, optional
        The study's role rules (``lexicons: roles``); default: the package's.

    Examples
    --------
    >>> import tempfile
    >>> from alliance_study.corpus.validate import check_corpus
    >>> d = Path(tempfile.mkdtemp())
    >>> _ = (d / "a.txt").write_text("Title\\n\\nSome text of the article. And more.\\n")
    >>> _ = (d / "b.txt").write_text("A headline and nothing else\\n")
    >>> _ = (d / "articles.csv").write_text("article_id,file,outlet\\na,a.txt,Daily\\nb,b.txt,daily \\n")
    >>> for p in folder_warnings(check_corpus(d), "outlet"):
    ...     print(p.line, p.reason[:60])
    None the 'outlet' values 'Daily', 'daily' differ only in case, sp
    3 article 'b' has no body text (its lines: headline (1))
    """
    import dataclasses

    from ..corpus.roles import RoleRules
    from ..corpus.segment import segment_text

    rules = RoleRules.load(None if roles is None else os.fspath(roles))
    rows = [r for r in checked.rows if r.ok and r.decoded is not None and r.decoded.text is not None]
    columns = list(checked.columns)
    articles = pd.DataFrame([{c: (r.values.get(c) or None) for c in columns} for r in rows],
                            columns=columns, dtype=object)
    counts = []
    for r in rows:
        by_role: dict[str, int] = {}
        text = r.decoded.text if r.decoded is not None else None
        for seg in segment_text(text or "", rules, title=r.values.get("title") or None):
            by_role[seg.role] = by_role.get(seg.role, 0) + 1
        counts.append({"article_id": r.article_id, **{f"n_sentences_{k}": v for k, v in by_role.items()}})
    roles_frame = pd.DataFrame(counts).fillna(0) if counts else pd.DataFrame({"article_id": []})
    if "n_sentences_body" not in roles_frame.columns:
        roles_frame["n_sentences_body"] = 0
    name = str(checked.raw_dir)
    line = {r.article_id: r.line for r in rows}
    found = (near_duplicate_groups(articles, group_by, name) + blank_groups(articles, group_by, name)
             + no_body(articles, roles_frame, name, unit="lines"))
    return [dataclasses.replace(p, line=line.get(p.article_id or ""), source=checked.metadata_path.name)
            if p.article_id else p for p in found]
