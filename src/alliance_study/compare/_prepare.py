"""The cluster table of a comparison (private): the units of a sentence table (and quotes), or
an ``article_measures`` table, joined to their groups and reduced to per-(group, article) sums,
then to the resampling blocks of :mod:`._resample`.  Used by :mod:`.estimates`."""
from __future__ import annotations

import warnings
from dataclasses import dataclass
from typing import Callable

import numpy as np
import pandas as pd

from ..errors import InputError
from ..metrics.registry import SPEECH_SHARE_PREFIX, quote_measures
from ..text import natural_sorted
from ._resample import Block, make_block
from ._tables import (READERS, attach_group, filter_roles, measures_of, need_columns, need_measures, sentence_units,
                      sort_units, ungrouped_articles)
from .aggregates import N_QUOTES, N_SENTENCES, READERS_COLUMN, is_article_measures, measures_in, speaker_types, unit_sums


@dataclass
class _Clusters:
    """The cluster table of a comparison, sorted by group then article: each cluster's group
    label and a getter of any of its sum columns (float64, in that order)."""

    group: np.ndarray                     # (K,) object: group label per cluster
    column: Callable[[str], np.ndarray]   # column name -> (K,) float64
    n_sentences: np.ndarray               # (K,) int64


def _frame_clusters(table: pd.DataFrame) -> _Clusters:
    """A cluster table held as a DataFrame (already sorted)."""
    return _Clusters(table["_group"].to_numpy(dtype=object), lambda c: table[c].to_numpy(dtype=float),
                     table[N_SENTENCES].to_numpy(dtype=np.int64))


# ----------------------------------------------------------------------------- preparation
@dataclass
class Prepared:
    groups: list[str]
    blocks: list[Block]
    n_articles: dict[str, int]
    n_sentences: dict[str, int]


def _from_sentences(sentences, articles, group_by, roles, attributions, reader_group):
    """Per-(group, article) sums of a sentence table (and quotes): the cluster table."""
    s = sentence_units(sentences, articles, group_by, roles, reader_group)
    measures = measures_of(s)
    need_measures(s, measures, "sentences")
    if s.empty:
        raise InputError("no sentences left after joining groups and filtering roles "
                         f"(group_by={group_by!r}, roles={roles!r}). Fix: check that the articles have a "
                         f"{group_by!r} value and sentences in these roles.")
    # clusters are (group, article) pairs, numbered in sorted order; with reader_group an
    # article's comments form their own cluster in the "readers" group
    cid = s.groupby(["_group", "article_id"], sort=True).ngroup().to_numpy(dtype=np.int64)
    cl = s[["_group", "article_id"]].drop_duplicates().reset_index(drop=True)  # s is sorted: same order
    table = cl.assign(**unit_sums(s, measures, cid, len(cl), N_SENTENCES))
    qm = None
    if attributions is not None and len(attributions):
        need_columns(attributions, ["article_id", "speaker_type"], "attributions")
        q = attach_group(attributions, articles if articles is not None else
                         s.drop_duplicates("article_id")[["article_id", "_group"]].rename(columns={"_group": group_by}),
                         group_by, "attributions")
        q = sort_units(filter_roles(q, roles, reader_group), ["sent_id"])
        keys = cl.assign(_aid=cl["article_id"].astype(str), _cid=np.arange(len(cl)))[["_group", "_aid", "_cid"]]
        # quotes of articles without sentences in the comparison are dropped (inner join)
        q = q.assign(_aid=q["article_id"].astype(str)).merge(keys, on=["_group", "_aid"], how="inner", sort=False)
        q = q.sort_values("_cid", kind="mergesort").reset_index(drop=True)
        qm = quote_measures(speaker_types(q))
        table = table.assign(**unit_sums(q, qm, q["_cid"].to_numpy(dtype=np.int64), len(cl), N_QUOTES))
    return _frame_clusters(table), measures, qm


def _from_aggregates(table, articles, group_by, roles, attributions, reader_group):
    """An :func:`article_measures` table with its groups joined: the cluster table."""
    if articles is None:
        raise InputError(f"an article_measures table has no group column. Fix: pass the articles table "
                         f"(article_id and {group_by!r}) as the second argument.")
    if attributions is not None:
        raise InputError("attributions were given with an article_measures table. Fix: pass them to "
                         "article_measures(..., attributions=...) instead (its quote columns are used).")
    made_with = table.attrs.get("roles", "unknown")
    if made_with != "unknown" and made_with != (None if roles is None else sorted(map(str, roles))):
        raise InputError(f"the article_measures table was computed with roles={made_with!r}, the comparison asks "
                         f"for roles={roles!r}. Fix: pass the same roles, or recompute article_measures.")
    has_readers = READERS_COLUMN in table.columns
    if has_readers != bool(reader_group):
        raise InputError(f"reader_group={reader_group} but the article_measures table was computed with "
                         f"reader_group={has_readers}. Fix: use the same reader_group for both.")
    keys = ["article_id", READERS_COLUMN] if has_readers else ["article_id"]
    if table.duplicated(keys).any():
        dup = table.loc[table.duplicated(keys), "article_id"].tolist()[:5]
        raise InputError(f"the article_measures table has more than one row for article(s) {dup}. Fix: "
                         "partitions must hold disjoint articles; concatenate each article's row once.")
    sent, quotes = measures_in(table)
    # no copy of the (wide) table: the group of each row, the rows kept and their order are
    # worked out on the key columns; the sum columns are read one at a time, in that order
    t = attach_group(table[keys].reset_index(drop=True), articles, group_by,
                     "article_measures")  # its index: row positions in table
    if has_readers:
        t.loc[t[READERS_COLUMN].to_numpy() == 1, "_group"] = READERS
    t = t[table[N_SENTENCES].fillna(0).to_numpy()[t.index.to_numpy()] > 0]
    if t.empty:
        raise InputError(f"no article with sentences left after joining groups (group_by={group_by!r}, "
                         f"roles={roles!r}). Fix: check that the articles have a {group_by!r} value and "
                         f"sentences in these roles.")
    t = t.sort_values(["_group", "article_id"], kind="mergesort")
    rows = t.index.to_numpy()
    # a speaker type absent from a partition: no such quotes (NaN read as 0)
    speech = {c for c in table.columns if c.startswith(SPEECH_SHARE_PREFIX)}

    def column(c: str) -> np.ndarray:
        x = table[c].to_numpy(dtype=float)[rows]
        return np.where(np.isnan(x), 0.0, x) if c in speech else x

    return _Clusters(t["_group"].to_numpy(dtype=object), column,
                     table[N_SENTENCES].to_numpy(dtype=np.int64)[rows]), sent, quotes


def prepare(data, articles, group_by, roles, attributions, reader_group) -> Prepared:
    """The groups, blocks and counts of a comparison (warns of the articles it leaves out)."""
    if (isinstance(data, pd.DataFrame) and "article_id" in data.columns
            and (articles is None or isinstance(articles, pd.DataFrame))):
        left_out = ungrouped_articles(data, articles, group_by)
        if left_out:  # said, not dropped silently (stacklevel: the caller of compare_groups / compare_pairs)
            where = "no row in the articles table or a blank" if articles is not None else "a blank"
            warnings.warn(f"{len(left_out)} article(s) have {where} {group_by!r} and are left out of the comparison "
                          f"(e.g. {', '.join(left_out[:5])}). Fix: fill {group_by!r} for them to include them.",
                          UserWarning, stacklevel=3)
    if is_article_measures(data):
        table, measures, qm = _from_aggregates(data, articles, group_by, roles, attributions, reader_group)
    else:
        table, measures, qm = _from_sentences(data, articles, group_by, roles, attributions, reader_group)
    groups = natural_sorted(pd.unique(table.group))  # the order of the groups and of each pair's difference
    index = {g: i for i, g in enumerate(groups)}
    cl_group = np.fromiter((index[g] for g in table.group), dtype=np.intp, count=len(table.group))
    K = len(cl_group)
    blocks = [make_block("sentences", measures, table.column, K, groups, cl_group)]
    if qm is not None:
        blocks.append(make_block("quotes", qm, table.column, K, groups, cl_group))
    n_art = {g: int((cl_group == i).sum()) for i, g in enumerate(groups)}
    n_sent = np.zeros(len(groups), dtype=np.int64)
    np.add.at(n_sent, cl_group, table.n_sentences)
    return Prepared(groups, blocks, n_art, {g: int(n_sent[i]) for i, g in enumerate(groups)})
