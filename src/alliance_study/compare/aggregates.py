"""Per-article sums behind every registry measure: the table the group statistics run on.

Every measure of the registry is a ratio ``sum(numerator) / sum(denominator)`` over the
units (sentences, or quotes) of a group (:meth:`alliance_study.metrics.registry.Measure.ratio_parts`).
So a group's estimate needs only each article's sums, and the cluster bootstrap and the
permutation tests of :func:`~alliance_study.compare.compare_groups` need only each
article's sums and second moments (see :mod:`alliance_study.compare.estimates`).
:func:`article_measures` computes them once per article; tables of disjoint sets of
articles (partitions of a corpus) concatenate into the table of their union, and the
grouping is joined from the articles table at comparison time, so a new grouping needs
no new pass over the sentences.

Columns (fixed names; one row per article, sorted by ``article_id``)
-------------------------------------------------------------------
``article_id``; ``readers`` (int64, only with ``reader_group=True``: 1 on the row that
sums the article's reader comments, 0 on the row of its own text); then, per unit table:

* ``n_sentences`` / ``n_quotes`` (int64): the units of the article in the chosen roles
  (the ``n`` of the bootstrap's sentence stage; also the denominator of plain shares);
* per measure ``<m>`` its numerator sum ``<m>_num`` and its denominator, shared between
  measures by rule: ``n_sentences`` (shares), ``n_sentences_<where>`` (shares of
  restricted units, e.g. ``n_sentences_target``), ``n_words`` / ``n_words_<where>``
  (rates; with ``n_words_sq``, the sum of squared sentence lengths),
  ``n_<column>`` / ``n_<column>_<where>`` (means: the units where the column is defined,
  e.g. ``n_sentiment_compound``);
* second moments where they are not implied by the first: ``<m>_num_sq`` (means and
  rates: sum of squared numerators), ``<m>_num_den`` (rates: sum of numerator x words),
  ``<den>_sq`` (rates).  For shares, and the denominators of means, the parts are 0/1,
  so their squares and products equal the sums already stored;
* ``<m>_min``, ``<m>_max`` (means: the smallest and largest unit value, NaN without
  units), which keep bootstrap replicates in the measure's range.

Counts of units and of 0/1 parts are int64, every other sum float64.  Frame measures
(``frame_share_<name>``) follow the frame columns of the sentence table; the news tone
(``mean_sentiment_news``) is there when the sentence table has ``sentiment_news``; the
quote measures (``speech_share_<type>``, with ``n_quotes``) when ``attributions`` are
given.  After concatenating partitions, a speaker type absent from one partition leaves
NaN in its ``speech_share_<type>_num`` column: :func:`~alliance_study.compare.compare_groups`
reads it as 0 (no such quote there).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import numpy as np
import pandas as pd

from ..defaults import ROLES
from ..errors import InputError
from ..metrics.registry import (FRAME_SHARE_PREFIX, NEWS_SENTIMENT_MEASURE, SPEECH_SHARE_PREFIX, Measure,
                                quote_measures, sentence_measures)
from ._tables import READER_ROLE, as_roles, measures_of, need_columns, need_measures, scored

__all__ = ["article_measures", "measure_parts", "Parts", "READERS_COLUMN"]

ID = "article_id"
READERS_COLUMN = "readers"
N_SENTENCES = "n_sentences"
N_QUOTES = "n_quotes"
_NUM = "_num"


@dataclass(frozen=True)
class Parts:
    """The column names of one measure in an :func:`article_measures` table
    (None: implied by another column, see the module docstring)."""

    measure: Measure
    n: str
    num: str
    den: str
    num_sq: str | None = None
    den_sq: str | None = None
    num_den: str | None = None
    low: str | None = None
    high: str | None = None

    def columns(self) -> list[str]:
        return [c for c in (self.n, self.den, self.den_sq, self.num, self.num_sq, self.num_den, self.low, self.high)
                if c is not None]


def measure_parts(m: Measure) -> Parts:
    """The columns of measure ``m`` in an :func:`article_measures` table.

    >>> from alliance_study.metrics.registry import measure
    >>> measure_parts(measure("hedges_per_100w")).columns()
    ['n_sentences', 'n_words', 'n_words_sq', 'hedges_per_100w_num', 'hedges_per_100w_num_sq', 'hedges_per_100w_num_den']
    >>> measure_parts(measure("target_share_hedged")).columns()
    ['n_sentences', 'n_sentences_target', 'target_share_hedged_num']
    """
    n = N_QUOTES if m.table == "quotes" else N_SENTENCES
    w = f"_{m.where}" if m.where else ""
    num = f"{m.name}{_NUM}"
    if m.kind == "share":
        return Parts(m, n, num, f"{n}{w}")
    if m.kind == "mean":
        return Parts(m, n, num, f"n_{m.column}{w}", num_sq=f"{num}_sq", low=f"{m.name}_min", high=f"{m.name}_max")
    if m.kind == "rate":
        den = f"n_words{w}"
        return Parts(m, n, num, den, num_sq=f"{num}_sq", den_sq=f"{den}_sq", num_den=f"{m.name}_num_den")
    raise ValueError(f"measure {m.name}: unknown kind {m.kind!r}")


def _int_columns(p: Parts) -> set[str]:
    return {p.n} | ({p.num, p.den} if p.measure.kind == "share" else {p.den} if p.measure.kind == "mean" else set())


def unit_sums(units: pd.DataFrame, measures: Sequence[Measure], code: np.ndarray, n_rows: int,
              n_col: str) -> dict[str, np.ndarray]:
    """Sums, second moments, minima and maxima of the measures' ratio parts per row ``code``.

    ``units`` must be sorted so that the units of one row are contiguous (``code`` non-decreasing)."""
    out: dict[str, np.ndarray] = {n_col: np.bincount(code, minlength=n_rows).astype(np.int64)}
    starts = np.flatnonzero(np.r_[True, code[1:] != code[:-1]]) if len(code) else np.zeros(0, dtype=np.int64)
    present = code[starts] if len(code) else np.zeros(0, dtype=np.int64)

    def put(name: str | None, values: np.ndarray, integer: bool) -> None:
        if name is None or name in out:
            return
        s = np.bincount(code, weights=values, minlength=n_rows)
        out[name] = np.rint(s).astype(np.int64) if integer else s

    for m in measures:
        p = measure_parts(m)
        ints = _int_columns(p)
        num, den = m.ratio_parts(units)
        put(p.den, den, p.den in ints)
        put(p.den_sq, den * den, False)
        put(p.num, num, p.num in ints)
        put(p.num_sq, num * num, False)
        put(p.num_den, num * den, False)
        if p.low is not None and p.high is not None:
            lo = np.full(n_rows, np.nan)
            hi = np.full(n_rows, np.nan)
            if len(code):
                ok = den > 0
                lo[present] = np.minimum.reduceat(np.where(ok, num, np.inf), starts)
                hi[present] = np.maximum.reduceat(np.where(ok, num, -np.inf), starts)
            out[p.low] = np.where(np.isfinite(lo), lo, np.nan)
            out[p.high] = np.where(np.isfinite(hi), hi, np.nan)
    return out


def speaker_types(quotes: pd.DataFrame) -> list[str]:
    """The speaker types of a quote table (normalised as the registry's shares read them)."""
    return sorted(set(quotes["speaker_type"].fillna("unknown").astype(str).str.strip().str.lower()))


def _sort_units(units: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    extra = [c for c in ("sent_id", "start") if c in units.columns]
    return units.sort_values(keys + extra, kind="mergesort").reset_index(drop=True)


def _role_units(units: pd.DataFrame, roles: Sequence[str] | None, reader_group: bool) -> pd.DataFrame:
    """Units in ``roles`` (with ``reader_group`` also reader comments), with the ``readers`` flag."""
    out = units.copy()
    role = out["role"].astype(str) if "role" in out.columns else pd.Series("", index=out.index)
    is_reader = role.eq(READER_ROLE).to_numpy() if reader_group else np.zeros(len(out), dtype=bool)
    roles = as_roles(roles)
    keep = np.ones(len(out), dtype=bool) if roles is None or "role" not in out.columns else \
        role.isin(roles).to_numpy()
    out[READERS_COLUMN] = is_reader.astype(np.int64)
    return out[keep | is_reader]


def article_measures(sentences: pd.DataFrame, articles: pd.DataFrame | None = None, *,
                     roles: Sequence[str] | None = ROLES, attributions: pd.DataFrame | None = None,
                     reader_group: bool = False) -> pd.DataFrame:
    """One row per article: the sums and counts behind every registry measure.

    Parameters
    ----------
    sentences : pandas.DataFrame
        Scored sentences (``article_id``, ``role`` and the columns of
        :func:`alliance_study.score_sentences`; scored on the fly when ``hedged`` is missing).
    articles : pandas.DataFrame, optional
        ``article_id`` of every article: those without a sentence in ``roles`` get a row of zeros.
    roles : sequence of str or None
        Sentence (and quote) roles to keep (``None``: all); default
        :data:`alliance_study.defaults.DEFAULTS` ``roles``, as in ``compare_groups``.
    attributions : pandas.DataFrame, optional
        ``article_id, speaker_type`` (and ``role``): adds ``n_quotes`` and the
        ``speech_share_<type>_num`` columns.
    reader_group : bool
        Also sum each article's reader comments, on a row of their own (``readers == 1``).

    Returns
    -------
    pandas.DataFrame
        ``article_id`` (``readers``), then the int64/float64 columns listed in the module
        docstring of :mod:`alliance_study.compare.aggregates`; no group column (the grouping
        is joined from ``articles`` by :func:`~alliance_study.compare.compare_groups`).
        Rows: every article of ``sentences``, ``attributions`` or ``articles`` (none dropped;
        rows without sentences in ``roles`` are left out of the comparisons, as with sentences).
        Concatenating the tables of disjoint sets of articles gives the table of their union.

    Examples
    --------
    >>> import pandas as pd
    >>> s = pd.DataFrame({"article_id": ["b", "a", "a"], "role": "body",
    ...                   "text": ["It rains.", "It may rain today.", "It rains."]})
    >>> t = article_measures(s, pd.DataFrame({"article_id": ["a", "b", "c"]}))
    >>> t[["article_id", "n_sentences", "n_words", "share_hedged_num", "hedges_per_100w_num"]].values.tolist()
    [['a', 2, 6.0, 1, 100.0], ['b', 1, 2.0, 0, 0.0], ['c', 0, 0.0, 0, 0.0]]
    """
    need_columns(sentences, [ID], "sentences")
    s = scored(sentences)
    measures = measures_of(s)
    need_measures(s, measures, "sentences")
    keys = [ID, READERS_COLUMN] if reader_group else [ID]
    s = _sort_units(_role_units(s, roles, reader_group), keys)
    q = None
    if attributions is not None:
        need_columns(attributions, [ID, "speaker_type"], "attributions")
        q = _sort_units(_role_units(attributions, roles, reader_group), keys)
    ids = [s[keys]]
    if q is not None:
        ids.append(q[keys])
    if articles is not None:
        need_columns(articles, [ID], "articles")
        ids.append(articles[[ID]].assign(**{READERS_COLUMN: 0})[keys])
    rows = pd.concat(ids, ignore_index=True).drop_duplicates().sort_values(keys, kind="mergesort")
    rows = rows.reset_index(drop=True)
    index = pd.MultiIndex.from_frame(rows) if reader_group else pd.Index(rows[ID])
    out = {c: rows[c].to_numpy(dtype=np.int64) if c == READERS_COLUMN else rows[c] for c in keys}

    def codes(units: pd.DataFrame) -> np.ndarray:
        at = pd.MultiIndex.from_frame(units[keys]) if reader_group else pd.Index(units[ID])
        return index.get_indexer(at).astype(np.int64)

    out.update(unit_sums(s, measures, codes(s), len(rows), N_SENTENCES))
    if q is not None:
        out.update(unit_sums(q, quote_measures(speaker_types(q)), codes(q), len(rows), N_QUOTES))
    table = pd.DataFrame(out)
    table.attrs["roles"] = None if roles is None else sorted(map(str, roles))
    return table


# ----------------------------------------------------------------------------- reading a table back
def is_article_measures(df: pd.DataFrame) -> bool:
    """True for an :func:`article_measures` table (not a sentence table)."""
    return N_SENTENCES in df.columns and ID in df.columns and "text" not in df.columns \
        and "hedged" not in df.columns


def measures_in(table: pd.DataFrame) -> tuple[list[Measure], list[Measure] | None]:
    """The sentence measures and (with ``n_quotes``) the quote measures an :func:`article_measures`
    table holds, in the order :func:`article_measures` writes them."""
    cols = list(table.columns)
    frames = [c[len(FRAME_SHARE_PREFIX):-len(_NUM)] for c in cols
              if c.startswith(FRAME_SHARE_PREFIX) and c.endswith(_NUM)]
    sent = sentence_measures(frames, news_sentiment=f"{NEWS_SENTIMENT_MEASURE.name}{_NUM}" in cols)
    quotes = None
    if N_QUOTES in cols:
        types = [c[len(SPEECH_SHARE_PREFIX):-len(_NUM)] for c in cols
                 if c.startswith(SPEECH_SHARE_PREFIX) and c.endswith(_NUM)]
        quotes = quote_measures(types)
    for ms in (sent, quotes or []):
        missing = [c for m in ms for c in measure_parts(m).columns() if c not in cols]
        if missing:
            raise InputError(f"the article_measures table lacks column(s) {sorted(set(missing))}. "
                             "Fix: build it with alliance_study.compare.article_measures (all partitions "
                             "scored with the same lexicons).")
    return sent, quotes
