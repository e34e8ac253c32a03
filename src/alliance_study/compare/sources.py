"""Who is quoted: counts of quotes per speaker and per speaker type, by group.

Counting sources and their types is the standard sourcing analysis of journalism
studies (e.g. Sigal 1973, *Reporters and Officials*; Berkowitz 2009, "Reporters and
their sources", in *The Handbook of Journalism Studies*).
"""
from __future__ import annotations

from typing import Sequence

import pandas as pd

from ..defaults import GROUP_BY, ROLES
from ..metrics.registry import SPEAKER_TYPES
from ..text import group_order, natural_sorted
from ._tables import attach_group, filter_roles, group_labels, need_columns

__all__ = ["sourcing_profile", "sourcing_by_type", "sourcing_counts", "profile_from_counts", "by_type_from_counts",
           "SOURCING_COUNT_COLUMNS"]

UNNAMED = "(unnamed)"
SOURCING_COUNT_COLUMNS = ["group", "speaker_type", "speaker", "n_quotes", "n_direct", "n_articles"]
_PROFILE_COLUMNS = ["group", "speaker", "speaker_type", "n_quotes", "n_direct", "n_indirect", "n_articles",
                    "share_of_group"]
_BY_TYPE_COLUMNS = ["group", "speaker_type", "n_quotes", "n_direct", "n_indirect", "n_speakers", "n_articles",
                    "share_of_group"]


def _prepare(attributions, articles, group_by, roles, reader_group) -> pd.DataFrame:
    need_columns(attributions, ["article_id", "speaker", "speaker_type"], "attributions")
    q = attach_group(attributions, articles, group_by, "attributions")
    q = filter_roles(q, roles, reader_group)
    q["speaker"] = q["speaker"].fillna("").astype(str).str.strip().replace("", UNNAMED)
    q["speaker_type"] = q["speaker_type"].fillna("unknown").astype(str).str.strip().str.lower().replace("", "unknown")
    d = q["direct"] if "direct" in q.columns else pd.Series(False, index=q.index)
    q["_direct"] = d.fillna(False).astype(bool)
    return q


def _type_order(types) -> list[str]:
    return [t for t in SPEAKER_TYPES if t in set(types)] + sorted(set(types) - set(SPEAKER_TYPES))


def sourcing_profile(attributions: pd.DataFrame, articles: pd.DataFrame | None = None, *,
                     group_by: str = GROUP_BY, roles: Sequence[str] | None = ROLES,
                     reader_group: bool = False) -> pd.DataFrame:
    """Quotes per speaker and group: how often, how directly, what share of the group's quotes.

    Parameters
    ----------
    attributions : pandas.DataFrame
        ``article_id, speaker, speaker_type`` (and ``direct``, ``role``).
    articles : pandas.DataFrame, optional
        ``article_id`` and ``group_by`` (else ``group_by`` is read from ``attributions``).
    group_by : str
        Any grouping column.
    roles : sequence of str or None
        Roles of the quoting sentence to keep (``None``: all; default: the report's
        roles, :data:`alliance_study.defaults.DEFAULTS`, so reader comments are not
        counted as the outlet's sources).
    reader_group : bool
        Quotes in reader comments form the group ``"readers"``.

    Returns
    -------
    pandas.DataFrame
        ``group, speaker, speaker_type, n_quotes, n_direct, n_indirect, n_articles,
        share_of_group``; sorted by group, ``n_quotes`` descending, speaker, type.
        Speakers are kept as written (whitespace trimmed); empty ones are ``"(unnamed)"``.

    Examples
    --------
    >>> import pandas as pd
    >>> q = pd.DataFrame({"article_id": [1, 1, 2], "speaker": ["Lavrov", "Lavrov", "analysts"],
    ...                   "speaker_type": ["official", "official", "anonymous"],
    ...                   "direct": [True, False, False], "g": ["x", "x", "x"]})
    >>> sourcing_profile(q, group_by="g")[["speaker", "n_quotes", "n_direct", "share_of_group"]].values.tolist()
    [['Lavrov', 2, 1, 0.6666666666666666], ['analysts', 1, 0, 0.3333333333333333]]
    """
    return profile_from_counts(sourcing_counts(attributions, articles, group_by=group_by, roles=roles,
                                               reader_group=reader_group))


def sourcing_by_type(attributions: pd.DataFrame, articles: pd.DataFrame | None = None, *,
                     group_by: str = GROUP_BY, roles: Sequence[str] | None = ROLES,
                     reader_group: bool = False) -> pd.DataFrame:
    """Quotes per speaker type and group (the summary behind the sourcing figure).

    Returns
    -------
    pandas.DataFrame
        ``group, speaker_type, n_quotes, n_direct, n_indirect, n_speakers, n_articles,
        share_of_group``; every type seen anywhere appears in every group (zero rows
        included), types in the canonical order official, expert, media, anonymous,
        reader, unknown, then others alphabetically.  With ``articles``, a group of the
        articles table in which nobody is quoted is listed too, with zeros (and
        ``share_of_group`` missing: no quotes to share).  ``n_speakers`` counts distinct
        named speakers: quotes with no speaker (``"(unnamed)"``) are not one speaker.

    Examples
    --------
    >>> import pandas as pd
    >>> q = pd.DataFrame({"article_id": [1, 2], "speaker": ["A", "B"], "speaker_type": ["expert", "media"],
    ...                   "g": ["x", "y"]})
    >>> sourcing_by_type(q, group_by="g")[["group", "speaker_type", "n_quotes"]].values.tolist()
    [['x', 'expert', 1], ['x', 'media', 0], ['y', 'expert', 0], ['y', 'media', 1]]
    """
    groups = None
    if articles is not None:
        need_columns(articles, ["article_id", group_by], "articles")
        groups = group_labels(articles[group_by].dropna()).unique().tolist()
    return by_type_from_counts(sourcing_counts(attributions, articles, group_by=group_by, roles=roles,
                                               reader_group=reader_group), groups)


def sourcing_counts(attributions: pd.DataFrame, articles: pd.DataFrame | None = None, *,
                    group_by: str = GROUP_BY, roles: Sequence[str] | None = ROLES,
                    reader_group: bool = False) -> pd.DataFrame:
    """The counting step of :func:`sourcing_profile` and :func:`sourcing_by_type`.

    Returns
    -------
    pandas.DataFrame
        ``group, speaker_type, speaker, n_quotes, n_direct, n_articles``: one row per
        group, type and speaker, plus one row per group and type whose ``speaker`` is
        missing (NaN: all speakers of the type, as in SQL's ``ROLLUP``; it carries
        the number of articles quoting any speaker of the type).  Sorted by group, type,
        speaker (the type's row last).

    Counts of partitions that split the corpus *by article* add up (sum by ``group,
    speaker_type, speaker``) to the counts of the whole corpus -- ``n_articles`` too,
    because no article is in two partitions -- and :func:`profile_from_counts` /
    :func:`by_type_from_counts` of the sums are the tables of the whole corpus.

    Examples
    --------
    >>> import pandas as pd
    >>> q = pd.DataFrame({"article_id": [1, 1], "speaker": ["A", "B"], "speaker_type": ["expert", "expert"],
    ...                   "g": ["x", "x"]})
    >>> sourcing_counts(q, group_by="g").values.tolist()
    [['x', 'expert', 'A', 1, 0, 1], ['x', 'expert', 'B', 1, 0, 1], ['x', 'expert', nan, 2, 0, 1]]
    """
    q = _prepare(attributions, articles, group_by, roles, reader_group).rename(columns={"_group": "group"})
    agg = dict(n_quotes=("_direct", "size"), n_direct=("_direct", "sum"), n_articles=("article_id", "nunique"))
    per_speaker = q.groupby(["group", "speaker_type", "speaker"], sort=True).agg(**agg).reset_index()
    per_type = q.groupby(["group", "speaker_type"], sort=True).agg(**agg).reset_index()
    per_type["speaker"] = per_speaker["speaker"].iloc[:0].reindex(per_type.index)  # missing, the speakers' dtype
    return normal_counts(pd.concat([per_speaker, per_type], ignore_index=True))


def normal_counts(counts: pd.DataFrame) -> pd.DataFrame:
    """Sum rows of sourcing counts by ``group, speaker_type, speaker`` (missing speaker: the type's row);
    the canonical, sorted form of :func:`sourcing_counts` (and of sums over partitions)."""
    c = counts[SOURCING_COUNT_COLUMNS]
    total = c["speaker"].isna().to_numpy()
    out = (c.assign(speaker=c["speaker"].where(~total, ""), _total=total)
           .groupby(["group", "speaker_type", "_total", "speaker"], sort=True)[["n_quotes", "n_direct", "n_articles"]]
           .sum().reset_index())
    out["speaker"] = out["speaker"].where(~out["_total"])
    out = out[SOURCING_COUNT_COLUMNS].astype({"n_quotes": "int64", "n_direct": "int64", "n_articles": "int64"})
    return out.reset_index(drop=True)


def profile_from_counts(counts: pd.DataFrame) -> pd.DataFrame:
    """:func:`sourcing_profile` from :func:`sourcing_counts` (of the whole corpus, or summed over partitions).

    >>> import pandas as pd
    >>> q = pd.DataFrame({"article_id": [1, 2], "speaker": ["A", "A"], "speaker_type": "expert", "g": "x"})
    >>> profile_from_counts(sourcing_counts(q, group_by="g")).equals(sourcing_profile(q, group_by="g"))
    True
    """
    need_columns(counts, SOURCING_COUNT_COLUMNS, "sourcing counts")
    out = counts[counts["speaker"].notna()]
    if out.empty:
        return pd.DataFrame(columns=_PROFILE_COLUMNS)
    by_group = group_order(out)
    out = out.sort_values(["group", "speaker", "speaker_type"], key=by_group, kind="mergesort").reset_index(drop=True)
    out["n_indirect"] = out["n_quotes"] - out["n_direct"]
    out["share_of_group"] = out["n_quotes"] / out.groupby("group")["n_quotes"].transform("sum")
    out = out.sort_values(["group", "n_quotes", "speaker", "speaker_type"], ascending=[True, False, True, True],
                          key=by_group, kind="mergesort").reset_index(drop=True)
    return out[_PROFILE_COLUMNS]


def by_type_from_counts(counts: pd.DataFrame, groups: Sequence[str] | None = None) -> pd.DataFrame:
    """:func:`sourcing_by_type` from :func:`sourcing_counts` (of the whole corpus, or summed over partitions).

    ``groups``: every group to list, also those with no quote (zeros); default: the groups of ``counts``.

    >>> import pandas as pd
    >>> q = pd.DataFrame({"article_id": [1, 2], "speaker": ["A", "B"], "speaker_type": ["expert", "media"], "g": "x"})
    >>> by_type_from_counts(sourcing_counts(q, group_by="g")).equals(sourcing_by_type(q, group_by="g"))
    True
    >>> by_type_from_counts(sourcing_counts(q, group_by="g"), ["x", "z"])["group"].tolist()
    ['x', 'x', 'z', 'z']
    """
    need_columns(counts, SOURCING_COUNT_COLUMNS, "sourcing counts")
    if counts.empty:
        return pd.DataFrame(columns=_BY_TYPE_COLUMNS)
    named = counts[counts["speaker"].notna() & counts["speaker"].ne(UNNAMED)]
    per_type = counts[counts["speaker"].isna()].set_index(["group", "speaker_type"])
    n_speakers = named.groupby(["group", "speaker_type"]).size().reindex(per_type.index, fill_value=0)
    types = _type_order(counts["speaker_type"].unique())
    groups = natural_sorted(set(counts["group"].unique()) | set(groups or ()))
    agg = per_type[["n_quotes", "n_direct", "n_articles"]].assign(n_speakers=n_speakers)
    idx = pd.MultiIndex.from_product([groups, types], names=["group", "speaker_type"])
    out = agg.reindex(idx, fill_value=0).reset_index()
    for c in ("n_quotes", "n_direct", "n_speakers", "n_articles"):
        out[c] = out[c].astype("int64")
    out["n_indirect"] = out["n_quotes"] - out["n_direct"]
    out["share_of_group"] = out["n_quotes"] / out.groupby("group")["n_quotes"].transform("sum")
    return out[_BY_TYPE_COLUMNS]
