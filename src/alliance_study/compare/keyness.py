"""Distinctive words per group: weighted log-odds ratio with an informative Dirichlet prior.

Monroe, B. L., Colaresi, M. P. & Quinn, K. M. (2008) "Fightin' Words: Lexical Feature
Selection and Evaluation for Identifying the Content of Political Conflict".
*Political Analysis* 16(4): 372-403.  For word w, group i and the rest of the corpus j
(eq. 16, with the prior of sec. 3.5.1)::

    delta_w = log[(y_wi + a_w) / (n_i + a0 - y_wi - a_w)] - log[(y_wj + a_w) / (n_j + a0 - y_wj - a_w)]
    var_w  ~= 1 / (y_wi + a_w) + 1 / (y_wj + a_w)                     (eq. 18-20)
    z_w     = delta_w / sqrt(var_w)

``y`` are counts, ``n`` totals (after stopword removal), ``a_w`` the prior
pseudo-count of w and ``a0 = sum_w a_w``.  The informative prior (``prior="corpus"``)
sets ``a_w = alpha0 * y_w / n`` from the whole corpus's counts; a number sets the same
``a_w = prior`` for every word (an almost flat Dirichlet when small).
"""
from __future__ import annotations

from collections import Counter
from typing import Iterable, Sequence

import os

import numpy as np
import pandas as pd

from ..defaults import GROUP_BY, ROLES
from ..errors import InputError
from ..resources import read_word_list
from ..text import natural_sorted, normalise_token, normalised_tokens
from ._tables import attach_group, filter_roles, need_columns, sort_units

__all__ = ["keyness", "keyness_counts", "keyness_from_counts", "load_stopwords", "term_counts", "KEYNESS_COLUMNS"]

KEYNESS_COLUMNS = ["group", "term", "count", "count_rest", "log_odds", "variance", "log_odds_z"]


def load_stopwords(path: str | os.PathLike | None = None) -> frozenset:
    """The shipped English stopword list (NLTK's, see the file header) or one word per line from ``path``.

    A missing file is a :class:`~alliance_study.errors.LexiconError` naming it.

    >>> "the" in load_stopwords() and "tariff" not in load_stopwords()
    True
    """
    return read_word_list(path or "stopwords_en", what="stopword list")


def term_counts(texts: Iterable[str], groups: Iterable[str], stopwords: frozenset = frozenset(),
                drop_numbers: bool = True) -> pd.DataFrame:
    """Counts of lowercased tokens (:func:`alliance_study.text.tokenize`) per group.

    Tokens and ``stopwords`` are compared normalised (:func:`alliance_study.text.normalise_token`:
    lower case, curly apostrophe made straight), so ``It’s`` in the list drops ``it's``.
    With ``drop_numbers`` (default) a token without a letter (``2020``, ``1.5``) is not counted.
    Returns a DataFrame with columns ``group, term, count`` sorted by group and term.

    >>> term_counts(["The pact, the PACT.", "A pact in 2020"], ["x", "y"], frozenset({"the", "a"})).values.tolist()
    [['x', 'pact', 2], ['y', 'in', 1], ['y', 'pact', 1]]
    >>> term_counts(["It’s a pact, it's said."], ["x"], frozenset({"It’s", "A"})).values.tolist()
    [['x', 'pact', 1], ['x', 'said', 1]]
    """
    stopwords = frozenset(normalise_token(w) for w in stopwords)
    per_group: dict[str, Counter] = {}
    for text, g in zip(texts, groups):
        if not isinstance(text, str):
            continue
        c = per_group.get(g)
        if c is None:
            c = per_group[g] = Counter()
        c.update(normalised_tokens(text))
    rows = [(g, w, n) for g, c in per_group.items() for w, n in c.items()
            if w not in stopwords and not (drop_numbers and not any(ch.isalpha() for ch in w))]
    rows.sort(key=lambda r: (r[0], r[1]))
    if not rows:
        return pd.DataFrame({"group": pd.Series(dtype=object), "term": pd.Series(dtype=object),
                             "count": pd.Series(dtype="int64")})
    return pd.DataFrame({"group": [r[0] for r in rows], "term": [r[1] for r in rows],
                         "count": np.array([r[2] for r in rows], dtype=np.int64)})


def _stopword_set(stopwords) -> frozenset:
    if stopwords is True:
        return load_stopwords()
    if stopwords is False or stopwords is None:
        return frozenset()
    if isinstance(stopwords, (str, os.PathLike)):  # a file, never a string's characters
        return load_stopwords(stopwords)
    return frozenset(normalise_token(w) for w in stopwords)


def keyness_counts(sentences: pd.DataFrame, articles: pd.DataFrame | None = None, *, group_by: str = GROUP_BY,
                   roles: Sequence[str] | None = ROLES,
                   stopwords: bool | str | os.PathLike | Iterable[str] = True,
                   reader_group: bool = False) -> pd.DataFrame:
    """The counting step of :func:`keyness`: ``group, term, count`` of the kept sentences.

    Same parameters as :func:`keyness`.  Counts of disjoint parts of a corpus add up
    (sum ``count`` by ``group, term``) to the counts of the whole, so keyness can be
    computed from per-partition counts with :func:`keyness_from_counts`.

    >>> import pandas as pd
    >>> s = pd.DataFrame({"article_id": [1], "g": ["x"], "text": ["The tariff, the tariff."]})
    >>> keyness_counts(s, group_by="g").values.tolist()
    [['x', 'tariff', 2]]
    """
    need_columns(sentences, ["article_id", "text"], "sentences")
    s = attach_group(sentences, articles, group_by, "sentences")
    s = sort_units(filter_roles(s, roles, reader_group), ["sent_id", "start"])
    return term_counts(s["text"].tolist(), s["_group"].tolist(), _stopword_set(stopwords))


def keyness_from_counts(counts: pd.DataFrame, *, prior: float | str = "corpus", alpha0: float | None = None,
                        min_count: int = 2, top: int | None = None) -> pd.DataFrame:
    """The estimation step of :func:`keyness`, from a ``group, term, count`` table.

    ``counts`` is :func:`keyness_counts` (of the whole corpus, or summed over its
    partitions; rows in any order, one per group and term).  ``prior``, ``alpha0``,
    ``min_count`` and ``top`` are those of :func:`keyness`, whose table this returns.

    >>> import pandas as pd
    >>> c = pd.DataFrame({"group": ["x", "y"], "term": ["pact", "trade"], "count": [3, 2]})
    >>> keyness_from_counts(c, min_count=1)[["group", "term", "count", "count_rest"]].values.tolist()
    [['x', 'pact', 3, 0], ['x', 'trade', 0, 2], ['y', 'trade', 2, 0], ['y', 'pact', 0, 3]]
    """
    need_columns(counts, ["group", "term", "count"], "term counts")
    if counts.empty:
        return pd.DataFrame({c: pd.Series(dtype=object if c in ("group", "term") else float) for c in KEYNESS_COLUMNS})
    groups = natural_sorted(counts["group"].unique())
    terms = np.array(sorted(counts["term"].unique()), dtype=object)
    Y = (counts.pivot(index="group", columns="term", values="count")
         .reindex(index=groups, columns=terms).fillna(0).to_numpy(dtype=float))
    y = Y.sum(axis=0)
    n = y.sum()
    if isinstance(prior, str):
        if prior != "corpus":
            raise InputError(f"prior must be 'corpus' or a positive number, got {prior!r}")
        a0 = float(n if alpha0 is None else alpha0)
        if a0 <= 0:
            raise InputError(f"alpha0 must be positive, got {alpha0}")
        alpha = a0 * y / n
    else:
        if not float(prior) > 0:
            raise InputError(f"prior must be positive, got {prior}")
        alpha = np.full(len(terms), float(prior))
        a0 = float(alpha.sum())
    keep = y >= min_count
    frames = []
    for gi, g in enumerate(groups):
        yi = Y[gi]
        yj = y - yi
        ni = yi.sum()
        nj = n - ni
        delta = (np.log((yi + alpha) / (ni + a0 - yi - alpha))
                 - np.log((yj + alpha) / (nj + a0 - yj - alpha)))
        var = 1.0 / (yi + alpha) + 1.0 / (yj + alpha)
        df = pd.DataFrame({"group": g, "term": terms[keep], "count": yi[keep].astype("int64"),
                           "count_rest": yj[keep].astype("int64"), "log_odds": delta[keep],
                           "variance": var[keep], "log_odds_z": delta[keep] / np.sqrt(var[keep])})
        df = df.sort_values(["log_odds_z", "term"], ascending=[False, True], kind="mergesort")
        if top is not None:
            df = df.head(int(top))
        frames.append(df)
    return pd.concat(frames, ignore_index=True)[KEYNESS_COLUMNS]


def keyness(sentences: pd.DataFrame, articles: pd.DataFrame | None = None, *, group_by: str = GROUP_BY,
            roles: Sequence[str] | None = ROLES, prior: float | str = "corpus",
            alpha0: float | None = None, min_count: int = 2, stopwords: bool | str | os.PathLike | Iterable[str] = True,
            reader_group: bool = False, top: int | None = None) -> pd.DataFrame:
    """Words that distinguish each group from the rest of the corpus (Monroe et al. 2008 "Fightin' Words").

    Parameters
    ----------
    sentences : pandas.DataFrame
        ``article_id``, ``text`` (and ``role``).
    articles : pandas.DataFrame, optional
        ``article_id`` and the ``group_by`` column (else read from ``sentences``).
    group_by : str
        Any grouping column.
    roles : sequence of str or None
        Sentence roles to count (``None``: all).
    prior : "corpus" or float
        ``"corpus"``: informative Dirichlet prior ``a_w = alpha0 * y_w / n`` from the whole
        corpus; a number: ``a_w = prior`` for every word.
    alpha0 : float, optional
        Total prior pseudo-count for ``prior="corpus"``; default ``n`` (the corpus token
        count, i.e. ``a_w = y_w``: the background counts themselves, as in Monroe et al.'s
        informative prior from a larger corpus).
    min_count : int
        Only terms used at least this often in the whole corpus are reported (all terms
        count towards the totals ``n``).
    stopwords : bool, path or iterable of str
        ``True``: drop the shipped English list; ``False``: keep all words; a path (``str``
        or :class:`os.PathLike`): a one-word-per-line file (``#`` comments), read with
        :func:`load_stopwords` -- a missing file is a
        :class:`~alliance_study.errors.LexiconError` naming it; or your own words.  Words
        are matched in lower case with curly apostrophes made straight (``It’s`` drops
        ``it's``).
    reader_group : bool
        Reader comments as their own group ``"readers"`` (see :func:`~alliance_study.compare.compare_groups`).
    top : int, optional
        Keep only the ``top`` terms with the highest z per group.

    Returns
    -------
    pandas.DataFrame
        ``group, term, count, count_rest, log_odds, variance, log_odds_z`` sorted by
        group, then ``log_odds_z`` descending, then term. Positive z: over-used by the group.

    Notes
    -----
    Terms are the tokens of :func:`alliance_study.text.tokenize`, lower-cased; tokens with
    no letter (numbers such as ``2020`` or ``1.5``) are not counted, neither as terms nor in
    the totals ``n``.

    Examples
    --------
    >>> import pandas as pd
    >>> s = pd.DataFrame({"article_id": [1, 1, 2, 2], "role": "body",
    ...                   "text": ["Tariff tariff talks", "the tariff", "trade talks", "trade trade"]})
    >>> a = pd.DataFrame({"article_id": [1, 2], "side": ["x", "y"]})
    >>> k = keyness(s, a, group_by="side", min_count=1)
    >>> k.groupby("group").head(1)[["group", "term"]].values.tolist()
    [['x', 'tariff'], ['y', 'trade']]

    It is :func:`keyness_from_counts` of :func:`keyness_counts`, so counts summed over
    partitions of the corpus give the same table:

    >>> keyness_from_counts(keyness_counts(s, a, group_by="side"), min_count=1).equals(k)
    True
    """
    counts = keyness_counts(sentences, articles, group_by=group_by, roles=roles, stopwords=stopwords,
                            reader_group=reader_group)
    return keyness_from_counts(counts, prior=prior, alpha0=alpha0, min_count=min_count, top=top)
