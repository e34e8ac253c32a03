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
from ._tables import attach_group, filter_roles, need_columns

__all__ = ["sourcing_profile", "sourcing_by_type"]

UNNAMED = "(unnamed)"


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


def sourcing_profile(attributions: pd.DataFrame, articles: pd.DataFrame | None = None,
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
    q = _prepare(attributions, articles, group_by, roles, reader_group)
    cols = ["group", "speaker", "speaker_type", "n_quotes", "n_direct", "n_indirect", "n_articles", "share_of_group"]
    if q.empty:
        return pd.DataFrame(columns=cols)
    g = q.groupby(["_group", "speaker", "speaker_type"], sort=True)
    out = g.agg(n_quotes=("_direct", "size"), n_direct=("_direct", "sum"), n_articles=("article_id", "nunique")).reset_index()
    out = out.rename(columns={"_group": "group"})
    out["n_direct"] = out["n_direct"].astype("int64")
    out["n_indirect"] = out["n_quotes"] - out["n_direct"]
    out["share_of_group"] = out["n_quotes"] / out.groupby("group")["n_quotes"].transform("sum")
    out = out.sort_values(["group", "n_quotes", "speaker", "speaker_type"], ascending=[True, False, True, True],
                          kind="mergesort").reset_index(drop=True)
    return out[cols]


def sourcing_by_type(attributions: pd.DataFrame, articles: pd.DataFrame | None = None,
                     group_by: str = GROUP_BY, roles: Sequence[str] | None = ROLES,
                     reader_group: bool = False) -> pd.DataFrame:
    """Quotes per speaker type and group (the summary behind the sourcing figure).

    Returns
    -------
    pandas.DataFrame
        ``group, speaker_type, n_quotes, n_direct, n_indirect, n_speakers, n_articles,
        share_of_group``; every type seen anywhere appears in every group (zero rows
        included), types in the canonical order official, expert, media, anonymous,
        reader, unknown, then others alphabetically.

    Examples
    --------
    >>> import pandas as pd
    >>> q = pd.DataFrame({"article_id": [1, 2], "speaker": ["A", "B"], "speaker_type": ["expert", "media"],
    ...                   "g": ["x", "y"]})
    >>> sourcing_by_type(q, group_by="g")[["group", "speaker_type", "n_quotes"]].values.tolist()
    [['x', 'expert', 1], ['x', 'media', 0], ['y', 'expert', 0], ['y', 'media', 1]]
    """
    q = _prepare(attributions, articles, group_by, roles, reader_group)
    cols = ["group", "speaker_type", "n_quotes", "n_direct", "n_indirect", "n_speakers", "n_articles", "share_of_group"]
    if q.empty:
        return pd.DataFrame(columns=cols)
    types = _type_order(q["speaker_type"].unique())
    groups = sorted(q["_group"].unique())
    agg = q.groupby(["_group", "speaker_type"]).agg(
        n_quotes=("_direct", "size"), n_direct=("_direct", "sum"),
        n_speakers=("speaker", "nunique"), n_articles=("article_id", "nunique"))
    idx = pd.MultiIndex.from_product([groups, types], names=["_group", "speaker_type"])
    out = agg.reindex(idx, fill_value=0).reset_index().rename(columns={"_group": "group"})
    for c in ("n_quotes", "n_direct", "n_speakers", "n_articles"):
        out[c] = out[c].astype("int64")
    out["n_indirect"] = out["n_quotes"] - out["n_direct"]
    out["share_of_group"] = out["n_quotes"] / out.groupby("group")["n_quotes"].transform("sum")
    return out[cols]
