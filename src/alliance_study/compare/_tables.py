"""Shared table plumbing for the comparison functions: join the grouping column,
filter roles, put reader comments in their own group, order everything stably, and
find the registry's measures of a scored sentence table.

Nothing here knows about any particular corpus: the grouping column is any column
of the ``articles`` table (or of the sentence table itself).
"""
from __future__ import annotations

from typing import Iterable, Sequence

import numpy as np
import pandas as pd

from ..errors import InputError
from ..metrics.registry import FRAME_PREFIX, NEWS_SENTIMENT_COLUMN, Measure, frame_names_of, sentence_measures

READERS = "readers"
READER_ROLE = "reader_comment"


def as_roles(roles: Sequence[str] | str | None) -> tuple[str, ...] | None:
    """``roles`` as a tuple: one role given as text is that role (not its letters); None is every role.

    >>> as_roles("body"), as_roles(["headline", "body"]), as_roles(None)
    (('body',), ('headline', 'body'), None)
    """
    if roles is None:
        return None
    return (roles,) if isinstance(roles, str) else tuple(roles)


def need_columns(df: pd.DataFrame, cols: Iterable[str], what: str) -> None:
    """Refuse a ``what`` table that is no DataFrame or lacks one of ``cols``, naming what it has.

    >>> need_columns("outlet", ["article_id"], "articles")
    Traceback (most recent call last):
    ...
    alliance_study.errors.InputError: the articles table must be a pandas DataFrame, not str ('outlet'). Fix: pass the table; options such as group_by='outlet' go by name.
    """
    if not isinstance(df, pd.DataFrame):
        shown = f" ({df!r})" if isinstance(df, (str, int, float)) else ""
        hint = f"; options such as group_by={df!r} go by name" if isinstance(df, str) else ""
        raise InputError(f"the {what} table must be a pandas DataFrame, not {type(df).__name__}{shown}. "
                         f"Fix: pass the table{hint}.")
    missing = [c for c in cols if c not in df.columns]
    if missing:
        raise InputError(f"the {what} table lacks column(s) {missing}; it has {list(df.columns)}. "
                         f"Fix: pass a table with these columns (e.g. Corpus.{what} or a processed table), or "
                         f"name the right column in the options (group_by=, text_column=).")


def attach_group(units: pd.DataFrame, articles: pd.DataFrame | None, group_by: str, what: str) -> pd.DataFrame:
    """Return a copy of ``units`` with a string column ``_group`` taken from ``articles[group_by]``
    (joined on ``article_id``) or, without ``articles``, from ``units[group_by]``.

    Units whose group is missing (NaN) are dropped: they cannot be compared.
    """
    need_columns(units, ["article_id"], what)
    out = units.copy()
    if articles is not None:
        need_columns(articles, ["article_id", group_by], "articles")
        amap = articles.drop_duplicates("article_id").set_index("article_id")[group_by]
        out["_group"] = out["article_id"].map(amap)
    elif group_by in out.columns:
        out["_group"] = out[group_by]
    else:
        raise InputError(f"no articles table given and the {what} table has no column {group_by!r}. Fix: pass "
                         f"the articles table (it has the metadata), or set group_by to a column of the {what} "
                         f"table ({', '.join(map(str, list(out.columns)[:12]))}).")
    out = out[out["_group"].notna()].copy()
    out["_group"] = group_labels(out["_group"])
    return out


def group_labels(values: pd.Series) -> pd.Series:
    """Group values as the text labels every table uses: a whole number held as a float (a year
    column with a blank is read as floats) is written without ``.0``.

    Parameters
    ----------
    values : pandas.Series
        A grouping column (missing values are written ``nan``: drop them first).

    Returns
    -------
    pandas.Series
        The labels, as text, on the same index.

    Examples
    --------
    >>> group_labels(pd.Series([2019.0, 2020.0, 1.5, None])).tolist()
    ['2019', '2020', '1.5', 'nan']
    >>> group_labels(pd.Series(["x", 3, 4.0], dtype=object)).tolist()
    ['x', '3', '4']
    """
    def one(v) -> str:
        if isinstance(v, (float, np.floating)) and np.isfinite(v) and float(v).is_integer():
            return str(int(v))
        return str(v)

    codes, uniques = pd.factorize(values, use_na_sentinel=False)   # one label per distinct value
    return pd.Series(np.array([one(v) for v in uniques], dtype=object)[codes], index=values.index,
                     name=values.name).astype(str)


def ungrouped_articles(units: pd.DataFrame, articles: pd.DataFrame | None, group_by: str) -> list:
    """The articles of ``units`` that :func:`attach_group` leaves out: no ``group_by`` value, or
    (with ``articles``) no row in the articles table.  Sorted, for messages."""
    ids = pd.Series(units["article_id"].unique())
    if articles is not None and group_by in articles.columns and "article_id" in articles.columns:
        amap = articles.drop_duplicates("article_id").set_index("article_id")[group_by]
        missing = ids[ids.map(amap).isna().to_numpy()]
    elif group_by in units.columns:
        has = units.loc[units[group_by].notna(), "article_id"].unique()
        missing = ids[~ids.isin(has)]
    else:
        return []
    return sorted(missing.astype(str).tolist())


def filter_roles(units: pd.DataFrame, roles: Sequence[str] | None, reader_group: bool) -> pd.DataFrame:
    """Keep units whose ``role`` is in ``roles``; with ``reader_group`` keep reader comments
    too and relabel their group as ``"readers"``.  A table without ``role`` is kept whole."""
    if "role" not in units.columns:
        return units
    role = units["role"].astype(str)
    roles = as_roles(roles)
    keep = pd.Series(True, index=units.index) if roles is None else role.isin(roles)
    if reader_group:
        is_reader = role.eq(READER_ROLE)
        keep = (keep & ~is_reader) | is_reader
        units = units.copy()
        units.loc[is_reader, "_group"] = READERS
    return units[keep]


def sort_units(units: pd.DataFrame, extra: Sequence[str] = ()) -> pd.DataFrame:
    """Stable order: group, article, then ``extra`` columns (e.g. ``sent_id``)."""
    keys = ["_group", "article_id"] + [c for c in extra if c in units.columns]
    return units.sort_values(keys, kind="mergesort").reset_index(drop=True)


def scored(sentences: pd.DataFrame) -> pd.DataFrame:
    """``sentences`` with the metric columns: scored on the fly when ``hedged`` is missing."""
    if "hedged" in sentences.columns:
        return sentences
    from ..metrics import score_sentences
    need_columns(sentences, ["text"], "sentences")
    return score_sentences(sentences)


def measures_of(sentences: pd.DataFrame) -> list[Measure]:
    """The registry's sentence measures of a scored table: the fixed ones, then one per
    ``frame_<name>`` column, in column order.  A frame column must hold counts."""
    frames = frame_names_of(sentences.columns)
    bad = [f"{FRAME_PREFIX}{n}" for n in frames if not pd.api.types.is_numeric_dtype(sentences[f"{FRAME_PREFIX}{n}"])]
    if bad:
        raise InputError(f"the sentences table has frame column(s) {bad} that do not hold numbers "
                         f"(dtypes {[str(sentences[c].dtype) for c in bad]}). Fix: give cue counts "
                         "(as alliance_study.score_sentences writes them) or rename the column(s).")
    return sentence_measures(frames, news_sentiment=NEWS_SENTIMENT_COLUMN.name in sentences.columns)


def need_measures(units: pd.DataFrame, measures: Sequence[Measure], what: str) -> None:
    """Every column the measures read must be present."""
    need_columns(units, list(dict.fromkeys(c for m in measures for c in m.needs)), what)


def sentence_units(sentences: pd.DataFrame, articles: pd.DataFrame | None, group_by: str,
                   roles: Sequence[str] | None, reader_group: bool) -> pd.DataFrame:
    """Scored sentences with ``_group``, roles filtered, in stable (group, article, sentence) order."""
    need_columns(sentences, ["article_id"], "sentences")
    s = attach_group(scored(sentences), articles, group_by, "sentences")
    return sort_units(filter_roles(s, roles, reader_group), ["sent_id", "start"])
