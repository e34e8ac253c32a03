"""Registry measures per article: the unit of the scatter plots and of the bootstrap's first stage.

Each value is the measure's own ratio (:meth:`alliance_study.metrics.registry.Measure.ratio_parts`)
over one article's sentences, so an article's "mean sentiment" or "hedges per 100
words" means exactly what the group estimates of
:func:`~alliance_study.compare.compare_groups` mean -- nothing is re-derived.
"""
from __future__ import annotations

from typing import Sequence

import numpy as np
import pandas as pd

from ..defaults import GROUP_BY, ROLES
from ..errors import InputError
from ..metrics.registry import Measure, measure
from ._tables import measures_of, need_columns, need_measures, sentence_units

__all__ = ["article_table"]


def _measures(names, available: list[Measure]) -> list[Measure]:
    if names is None:
        return available
    out = []
    for m in names:
        if isinstance(m, Measure):
            out.append(m)
            continue
        try:
            out.append(measure(str(m)))
        except KeyError:
            raise InputError(f"measure {m!r} is not in the registry of measures. "
                             f"Fix: use one of {[a.name for a in available]}.") from None
    wrong = [m.name for m in out if m.table != "sentences"]
    if wrong:
        raise InputError(f"measure(s) {wrong} are computed on quotes, not sentences. "
                         "Fix: use compare_groups(..., attributions=...) for them.")
    return out


def article_table(sentences: pd.DataFrame, articles: pd.DataFrame | None = None, group_by: str = GROUP_BY,
                  roles: Sequence[str] | None = ROLES, measures: Sequence[str | Measure] | None = None, *,
                  parts: bool = False, reader_group: bool = False) -> pd.DataFrame:
    """One row per article: its group, size, and the value of each sentence measure.

    Parameters
    ----------
    sentences, articles, group_by, roles, reader_group
        As in :func:`alliance_study.compare.compare_groups` (defaults from
        :data:`alliance_study.defaults.DEFAULTS`; sentences are scored on the fly when
        ``hedged`` is missing).
    measures : sequence of str or Measure, optional
        Registry measures of the sentence table (default: all of them, frames included).
    parts : bool
        Also return ``<measure>_numerator`` and ``<measure>_denominator``: the article's
        sums of the measure's ratio parts (e.g. hedged target sentences and target sentences).

    Returns
    -------
    pandas.DataFrame
        ``group, article_id, n_sentences, n_words`` then one column per measure
        (``sum(numerator) / sum(denominator)`` of the registry's ratio parts over the
        article's sentences, NaN where the denominator is 0), sorted by group and article.
        With ``parts``, the sums themselves follow each measure.

    Examples
    --------
    >>> import pandas as pd
    >>> s = pd.DataFrame({"article_id": [1, 1, 2], "role": "body",
    ...                   "text": ["It may rain today.", "It rains.", "Surely it rains."]})
    >>> a = pd.DataFrame({"article_id": [1, 2], "side": ["x", "y"]})
    >>> t = article_table(s, a, group_by="side", measures=["share_hedged", "hedges_per_100w"])
    >>> t[["group", "n_sentences", "share_hedged", "hedges_per_100w"]].values.tolist()
    [['x', 2, 0.5, 16.666666666666668], ['y', 1, 0.0, 0.0]]
    """
    s = sentence_units(sentences, articles, group_by, roles, reader_group)
    chosen = _measures(measures, measures_of(s))
    need_measures(s, chosen, "sentences")
    need_columns(s, ["n_words"], "sentences")
    code = s.groupby(["_group", "article_id"], sort=True).ngroup().to_numpy(dtype=np.int64)
    keys = s[["_group", "article_id"]].drop_duplicates().reset_index(drop=True)  # s is sorted: same order
    n = len(keys)
    out = pd.DataFrame({"group": keys["_group"], "article_id": keys["article_id"],
                        "n_sentences": np.bincount(code, minlength=n).astype("int64"),
                        "n_words": np.bincount(code, weights=pd.to_numeric(s["n_words"], errors="coerce")
                                               .fillna(0).to_numpy(dtype=float), minlength=n)})
    for m in chosen:
        num, den = m.ratio_parts(s)
        N = np.bincount(code, weights=num, minlength=n)
        D = np.bincount(code, weights=den, minlength=n)
        with np.errstate(invalid="ignore", divide="ignore"):
            out[m.name] = np.where(D > 0, N / D, np.nan)
        if parts:
            out[f"{m.name}_numerator"] = N
            out[f"{m.name}_denominator"] = D
    return out
