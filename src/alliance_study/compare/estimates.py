"""Group estimates with honest uncertainty: cluster bootstrap and permutation tests.

Every metric is a *ratio estimator* ``sum(numerator) / sum(denominator)`` over the
units (sentences, or quotes) of a group:

==========================  ============================================  ==========================
metric                      numerator per sentence                        denominator
==========================  ============================================  ==========================
``mean_sentiment``          VADER compound                                1 (sentences scored)
``share_hedged``            1 if ``hedged``                               1
``hedges_per_100w``         100 x ``hedge_count``                         ``n_words``
``boosters_per_100w``       100 x ``booster_count``                       ``n_words``
``weasels_per_100w``        100 x ``weasel_count``                        ``n_words``
``target_share_hedged``     1 if ``hedged`` and ``alliance_target``       1 if ``alliance_target``
``target_mean_sentiment``   compound if ``alliance_target``               1 if ``alliance_target``
``frame_share_<name>``      1 if ``frame_<name> >= 1``                    1
``speech_share_<type>``     1 if the quote's ``speaker_type`` is <type>   1 per quote
==========================  ============================================  ==========================

So means and shares are pooled over sentences (a long article weighs more than a
short one), rates per 100 words are total cues / total words x 100, and a frame
share is *the share of sentences with at least one cue of that frame* (not the share
of cues).  ``speech_share_<type>`` is the share of a group's attributed quotes whose
speaker is of that type.

Uncertainty
-----------
*Two-stage cluster bootstrap* (Davison & Hinkley 1997, *Bootstrap Methods and their
Application*, sec. 3.8, "strategy 2"; Field & Welsh 2007, JRSS-B 69(3)): within each
group, draw as many articles as the group has, with replacement; then, inside every
drawn article, draw its sentences (or quotes) with replacement; recompute the ratio.
Intervals are 95 % percentile intervals of ``n_boot`` replicates (Efron & Tibshirani
1993, ch. 13), widened where needed so that ``ci_low <= estimate <= ci_high`` always
holds (the point estimate is the ratio on the full data).  With one article the
article stage contributes nothing and the interval reflects only the variation of
sentences within that article; rows with fewer than three articles have
``small_n=True`` and a ``note``.  ``stages=1`` resamples articles only (faster on very
large corpora; Field & Welsh show it is the consistent choice when the number of
articles grows).

*p-values* are two-sided permutation tests (Good 2005, *Permutation, Parametric and
Bootstrap Tests of Hypotheses*): the statistic is the difference of the ratio
estimates, this group minus the rest of the corpus (or group a minus group b in
:func:`compare_pairs`); group labels are permuted at the *article* level (whole
articles move between groups, keeping group sizes), and
``p = (1 + #{|T*| >= |T|}) / (1 + n_perm)`` (Phipson & Smyth 2010, SAGMB 9(1)).
It is NaN where no comparison is possible (a single group, or the estimate is
undefined).  In :func:`compare` the same permutations serve every group's test.  p-values are not corrected for the many metrics and groups tested.

Computation is vectorised: a batch of bootstrap replicates is a matrix of resampling
weights (replicates x units) multiplied by the matrix of numerators and denominators,
so the cost is ``n_boot x n_units`` random draws plus one matrix product; no Python
loop runs over sentences.  Random numbers come from ``numpy.random.default_rng`` seeded
by ``(seed, table, group)``, so results do not depend on the order of calls.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from itertools import combinations
from typing import Sequence

import numpy as np
import pandas as pd

from ..errors import InputError
from ._tables import attach_group, filter_roles, need_columns, sort_units

__all__ = ["compare", "compare_pairs", "SPEAKER_TYPES", "RESULT_COLUMNS", "PAIR_COLUMNS"]

#: canonical speaker types, reported in this order (others found in the data follow, sorted)
SPEAKER_TYPES = ("official", "expert", "media", "anonymous", "reader", "unknown")

RESULT_COLUMNS = ["group", "metric", "estimate", "ci_low", "ci_high", "n_articles", "n_sentences",
                  "p_value", "n_units", "unit", "small_n", "note"]
PAIR_COLUMNS = ["group_a", "group_b", "metric", "difference", "ci_low", "ci_high", "p_value",
                "n_articles_a", "n_articles_b", "small_n"]

_SMALL_N = 3
_CELLS_PER_BATCH = 4_000_000  # replicates x units per weight matrix (~32 MB as float64)


# ----------------------------------------------------------------------------- data model
@dataclass
class _Block:
    """One unit table (sentences or quotes) reduced to numbers.

    ``X`` holds numerator columns then denominator columns; metric ``k`` is
    ``X[:, num[k]].sum() / X[:, den[k]].sum()``.  Units are sorted by (group, cluster).
    """

    name: str
    metrics: list[str]
    units: list[str]
    X: np.ndarray            # (n_units, n_cols) float64
    num: np.ndarray          # (n_metrics,) column index
    den: np.ndarray          # (n_metrics,) column index
    cluster: np.ndarray      # (n_units,) global cluster index, clusters sorted by group
    n_clusters: int
    cluster_group: np.ndarray  # (n_clusters,) group index
    groups: list[str]
    group_clusters: list[np.ndarray] = field(default_factory=list)  # cluster ids per group

    def cluster_sums(self) -> np.ndarray:
        """Column sums per cluster: (n_clusters, n_cols)."""
        out = np.zeros((self.n_clusters, self.X.shape[1]))
        for j in range(self.X.shape[1]):
            out[:, j] = np.bincount(self.cluster, weights=self.X[:, j], minlength=self.n_clusters)
        return out


def _ratio(S: np.ndarray, num: np.ndarray, den: np.ndarray) -> np.ndarray:
    """Ratios for the last axis of column sums ``S``; NaN where the denominator is 0."""
    n = S[..., num]
    d = S[..., den]
    with np.errstate(invalid="ignore", divide="ignore"):
        r = n / d
    return np.where(d > 0, r, np.nan)


def _sentence_block(s: pd.DataFrame, clusters: np.ndarray, n_cl: int, groups: list[str]) -> _Block:
    frames = sorted(c[len("frame_"):] for c in s.columns if c.startswith("frame_")
                    and pd.api.types.is_numeric_dtype(s[c]))
    frames_order = [c[len("frame_"):] for c in s.columns if c.startswith("frame_") and c[len("frame_"):] in frames]
    n = len(s)
    comp = pd.to_numeric(s["sentiment_compound"], errors="coerce").to_numpy(dtype=float)
    valid = ~np.isnan(comp)
    comp = np.where(valid, comp, 0.0)
    words = pd.to_numeric(s["n_words"], errors="coerce").fillna(0).to_numpy(dtype=float)
    hedged = s["hedged"].fillna(False).astype(bool).to_numpy()
    target = s["alliance_target"].fillna(False).astype(bool).to_numpy()

    def count(col):
        return pd.to_numeric(s[col], errors="coerce").fillna(0).to_numpy(dtype=float)

    cols = {"_one": np.ones(n), "_scored": valid.astype(float), "_words": words,
            "_target": target.astype(float), "_target_scored": (target & valid).astype(float)}
    specs = [
        ("mean_sentiment", comp, "_scored", "sentences"),
        ("share_hedged", hedged.astype(float), "_one", "sentences"),
        ("hedges_per_100w", 100.0 * count("hedge_count"), "_words", "words"),
        ("boosters_per_100w", 100.0 * count("booster_count"), "_words", "words"),
        ("weasels_per_100w", 100.0 * count("weasel_count"), "_words", "words"),
        ("target_share_hedged", (hedged & target).astype(float), "_target", "target sentences"),
        ("target_mean_sentiment", np.where(target, comp, 0.0), "_target_scored", "target sentences"),
    ]
    for name in frames_order:
        specs.append((f"frame_share_{name}", (count(f"frame_{name}") > 0).astype(float), "_one", "sentences"))
    return _make_block("sentences", specs, cols, clusters, n_cl, groups)


def _quote_block(q: pd.DataFrame, clusters: np.ndarray, n_cl: int, groups: list[str]) -> _Block:
    st = q["speaker_type"].fillna("unknown").astype(str).str.strip().str.lower()
    types = list(SPEAKER_TYPES) + sorted(set(st) - set(SPEAKER_TYPES))
    cols = {"_one": np.ones(len(q))}
    specs = [(f"speech_share_{t}", st.eq(t).to_numpy(dtype=float), "_one", "quotes") for t in types]
    return _make_block("quotes", specs, cols, clusters, n_cl, groups)


def _make_block(name, specs, den_cols, clusters, n_cl, groups) -> _Block:
    den_names = list(dict.fromkeys(d for _, _, d, _ in specs))
    n_num = len(specs)
    X = np.column_stack([v for _, v, _, _ in specs] + [den_cols[d] for d in den_names]) if specs else np.zeros((len(clusters), 0))
    num = np.arange(n_num)
    den = np.array([n_num + den_names.index(d) for _, _, d, _ in specs], dtype=int)
    cl = np.asarray(clusters, dtype=np.int64)
    order = np.argsort(cl, kind="stable")  # units contiguous by cluster (the bootstrap relies on it)
    return _Block(name, [m for m, _, _, _ in specs], [u for _, _, _, u in specs],
                  np.ascontiguousarray(X[order], dtype=float), num, den, cl[order], n_cl,
                  np.zeros(n_cl, dtype=int), groups)


# ----------------------------------------------------------------------------- preparation
@dataclass
class _Prepared:
    groups: list[str]
    blocks: list[_Block]
    n_articles: dict[str, int]
    n_sentences: dict[str, int]


def _prepare(sentences, articles, group_by, roles, attributions, reader_group) -> _Prepared:
    need_columns(sentences, ["article_id"], "sentences")
    if "hedged" not in sentences.columns:
        from ..metrics import score_sentences
        need_columns(sentences, ["text"], "sentences")
        sentences = score_sentences(sentences)
    need_columns(sentences, ["sentiment_compound", "n_words", "hedged", "hedge_count", "booster_count",
                             "weasel_count", "alliance_target"], "sentences")
    s = attach_group(sentences, articles, group_by, "sentences")
    s = filter_roles(s, roles, reader_group)
    s = sort_units(s, ["sent_id", "start"])
    if s.empty:
        raise InputError("no sentences left after joining groups and filtering roles "
                         f"(group_by={group_by!r}, roles={roles!r})")
    groups = sorted(s["_group"].unique())
    # clusters are (group, article) pairs, numbered in sorted order; with reader_group an
    # article's comments form their own cluster in the "readers" group
    cid = s.groupby(["_group", "article_id"], sort=True).ngroup().to_numpy(dtype=np.int64)
    cl = s[["_group", "article_id"]].drop_duplicates().reset_index(drop=True)  # s is sorted: same order
    n_cl = len(cl)
    cl_group = np.searchsorted(np.array(groups, dtype=object), cl["_group"].to_numpy(dtype=object))
    blocks = [_sentence_block(s, cid, n_cl, groups)]
    if attributions is not None and len(attributions):
        need_columns(attributions, ["article_id", "speaker_type"], "attributions")
        q = attach_group(attributions, articles if articles is not None else
                         s.drop_duplicates("article_id")[["article_id", "_group"]].rename(columns={"_group": group_by}),
                         group_by, "attributions")
        q = sort_units(filter_roles(q, roles, reader_group), ["sent_id"])
        keys = cl.assign(_aid=cl["article_id"].astype(str), _cid=np.arange(n_cl))[["_group", "_aid", "_cid"]]
        # quotes of articles without sentences in the comparison are dropped (inner join)
        q = q.assign(_aid=q["article_id"].astype(str)).merge(keys, on=["_group", "_aid"], how="inner", sort=False)
        blocks.append(_quote_block(q, q["_cid"].to_numpy(), n_cl, groups))
    for b in blocks:
        b.cluster_group = cl_group
        b.group_clusters = [np.flatnonzero(cl_group == g) for g in range(len(groups))]
    n_art = {g: int((cl_group == i).sum()) for i, g in enumerate(groups)}
    n_sent = s.groupby("_group").size().to_dict()
    return _Prepared(groups, blocks, n_art, {g: int(n_sent.get(g, 0)) for g in groups})


# ----------------------------------------------------------------------------- bootstrap
def _boot_group(block: _Block, g: int, n_boot: int, stages: int, rng: np.random.Generator) -> np.ndarray:
    """Bootstrap column sums for group ``g``: array (n_boot, n_cols)."""
    cls = block.group_clusters[g]
    K = len(cls)
    mask = np.isin(block.cluster, cls)
    X = block.X[mask]
    local = block.cluster[mask] - cls[0]  # clusters of a group are contiguous
    n = X.shape[0]
    sizes = np.bincount(local, minlength=K)
    offs = np.concatenate([[0], np.cumsum(sizes)[:-1]]).astype(np.int64)
    out = np.empty((n_boot, X.shape[1]))
    if stages == 1 or n == 0:
        C = np.zeros((K, X.shape[1]))
        for j in range(X.shape[1]):
            C[:, j] = np.bincount(local, weights=X[:, j], minlength=K)
        batch = max(1, _CELLS_PER_BATCH // max(K, 1))
        for b0 in range(0, n_boot, batch):
            B = min(batch, n_boot - b0)
            A = rng.integers(0, K, size=(B, K))
            W = np.bincount((np.arange(B)[:, None] * K + A).ravel(), minlength=B * K).reshape(B, K)
            out[b0:b0 + B] = W.astype(float) @ C
        return out
    batch = max(1, _CELLS_PER_BATCH // max(n, 1))
    for b0 in range(0, n_boot, batch):
        B = min(batch, n_boot - b0)
        A = rng.integers(0, K, size=(B, K))             # stage 1: articles
        lens = sizes[A]                                  # (B, K) sentences to draw per drawn article
        flat_len = lens.ravel()
        per_rep = lens.sum(axis=1)
        rep = np.repeat(np.arange(B, dtype=np.int64), per_rep)
        base = np.repeat(offs[A].ravel(), flat_len)
        size = np.repeat(flat_len, flat_len)
        idx = base + rng.integers(0, size)               # stage 2: sentences within each drawn article
        W = np.bincount(rep * n + idx, minlength=B * n).reshape(B, n)
        out[b0:b0 + B] = W.astype(float) @ X
    return out


def _percentile_ci(reps: np.ndarray, est: np.ndarray, level: float) -> tuple[np.ndarray, np.ndarray]:
    a = (1 - level) / 2
    lo = np.full(est.shape, np.nan)
    hi = np.full(est.shape, np.nan)
    for k in range(reps.shape[1]):
        r = reps[:, k]
        r = r[np.isfinite(r)]
        if r.size and np.isfinite(est[k]):
            lo[k], hi[k] = np.quantile(r, [a, 1 - a])
    # the point estimate always lies inside its interval (guards float round-off and
    # the rare skewed case where a percentile interval misses the estimate)
    lo = np.where(np.isfinite(est), np.fmin(lo, est), lo)
    hi = np.where(np.isfinite(est), np.fmax(hi, est), hi)
    return lo, hi


# ----------------------------------------------------------------------------- permutation
def _perm_pvalues(block: _Block, clusters: np.ndarray, labels: np.ndarray, targets: Sequence[int],
                  n_perm: int, rng: np.random.Generator, C: np.ndarray) -> dict[int, np.ndarray]:
    """Two-sided permutation p-values of ratio(label==t) - ratio(label!=t) for each t in ``targets``.

    ``labels`` (one per cluster in ``clusters``, rows of the cluster sums ``C``) are
    permuted; one permutation serves every target group (the costly part is the
    permutation itself, O(n_clusters) per replicate).
    """
    m = len(block.metrics)
    Cs = C[clusters]
    total = Cs.sum(axis=0)
    K = len(clusters)
    out, obs, live = {}, {}, []
    for t in targets:
        inside = labels == t
        if inside.all() or not inside.any() or n_perm <= 0:
            out[t] = np.full(m, np.nan)
            continue
        s_in = Cs[inside].sum(axis=0)
        obs[t] = _ratio(s_in, block.num, block.den) - _ratio(total - s_in, block.num, block.den)
        live.append(t)
    if not live:
        return out
    hits = {t: np.zeros(m) for t in live}
    valid = {t: np.zeros(m) for t in live}
    small = labels.astype(np.int16 if labels.max(initial=0) < 2 ** 15 else np.int64)
    batch = max(1, _CELLS_PER_BATCH // max(K, 1))
    for b0 in range(0, n_perm, batch):
        B = min(batch, n_perm - b0)
        L = rng.permuted(np.broadcast_to(small, (B, K)), axis=1)
        for t in live:
            S_in = (L == t).astype(float) @ Cs
            T = _ratio(S_in, block.num, block.den) - _ratio(total - S_in, block.num, block.den)
            ok = np.isfinite(T)
            tol = 1e-12 * np.maximum(1.0, np.abs(obs[t]))
            valid[t] += ok.sum(axis=0)
            hits[t] += (ok & (np.abs(np.where(ok, T, 0)) >= np.abs(obs[t]) - tol)).sum(axis=0)
    for t in live:
        with np.errstate(invalid="ignore"):
            p = (1 + hits[t]) / (1 + valid[t])
        out[t] = np.where(np.isfinite(obs[t]) & (valid[t] > 0), p, np.nan)
    return out


def _rng(seed: int, *keys: int) -> np.random.Generator:
    return np.random.default_rng([int(seed), *[int(k) for k in keys]])


def _check(n_boot: int, n_perm: int, level: float, stages: int) -> None:
    if n_boot < 1:
        raise InputError(f"n_boot must be at least 1, got {n_boot}")
    if n_perm < 0:
        raise InputError(f"n_perm must be 0 (no tests) or more, got {n_perm}")
    if not 0 < level < 1:
        raise InputError(f"level must be between 0 and 1, got {level}")
    if stages not in (1, 2):
        raise InputError(f"stages must be 1 (articles) or 2 (articles, then sentences), got {stages}")


def _note(n_art: int, n_units: float) -> str:
    if n_units == 0:
        return "no units: estimate undefined"
    if n_art == 1:
        return "one article: interval reflects within-article variation only"
    if n_art < _SMALL_N:
        return f"only {n_art} articles: interval is rough"
    return ""


# ----------------------------------------------------------------------------- public API
def compare(sentences: pd.DataFrame, articles: pd.DataFrame | None = None, group_by: str = "origin_country",
            roles: Sequence[str] | None = ("headline", "body"), attributions: pd.DataFrame | None = None,
            n_boot: int = 2000, n_perm: int = 2000, seed: int = 20240501, reader_group: bool = False,
            level: float = 0.95, stages: int = 2) -> pd.DataFrame:
    """Estimate every framing metric per group, with cluster-bootstrap intervals and permutation p-values.

    Parameters
    ----------
    sentences : pandas.DataFrame
        One row per sentence with ``article_id``, ``role`` and the metric columns of
        :func:`alliance_study.score_sentences` (scored on the fly when ``hedged`` is missing
        and ``text`` is present).
    articles : pandas.DataFrame, optional
        One row per article with ``article_id`` and the ``group_by`` column. Without it,
        ``group_by`` is read from ``sentences``.
    group_by : str
        Any column of ``articles``; articles where it is missing are left out.
    roles : sequence of str or None
        Sentence roles to keep (``None``: all).
    attributions : pandas.DataFrame, optional
        ``article_id, speaker_type`` (and ``role``): adds ``speech_share_<type>`` metrics.
    n_boot, n_perm : int
        Bootstrap replicates and permutations (``n_perm=0`` skips the tests).
    seed : int
        Seed of every random stream (results are identical for identical inputs).
    reader_group : bool
        Put ``reader_comment`` sentences (and quotes) in a group ``"readers"`` of their own.
    level : float
        Coverage of the percentile intervals (0.95).
    stages : {2, 1}
        2: resample articles then sentences within articles (default); 1: articles only.

    Returns
    -------
    pandas.DataFrame
        Columns ``group, metric, estimate, ci_low, ci_high, n_articles, n_sentences,
        p_value, n_units, unit, small_n, note``: one row per group x metric, groups sorted,
        metrics in a fixed order. ``n_units`` is the denominator (sentences, words, target
        sentences or quotes); ``p_value`` tests this group against all other groups.

    Notes
    -----
    Metric definitions, bootstrap and permutation scheme: see the module docstring
    (Davison & Hinkley 1997, sec. 3.8; Phipson & Smyth 2010).

    Examples
    --------
    >>> import pandas as pd
    >>> s = pd.DataFrame({"article_id": ["a1", "a1", "b1", "b1"], "role": "body",
    ...                   "text": ["It may rain.", "It rains.", "Surely it rains.", "It rains."]})
    >>> a = pd.DataFrame({"article_id": ["a1", "b1"], "outlet_type": ["x", "y"]})
    >>> out = compare(s, a, group_by="outlet_type", n_boot=50, n_perm=50)
    >>> out.query("metric == 'share_hedged'")[["group", "estimate", "small_n"]].values.tolist()
    [['x', 0.5, True], ['y', 0.0, True]]
    """
    _check(n_boot, n_perm, level, stages)
    prep = _prepare(sentences, articles, group_by, roles, attributions, reader_group)
    rows = []
    for bi, block in enumerate(prep.blocks):
        C = block.cluster_sums()
        all_cl = np.arange(block.n_clusters)
        if len(prep.groups) > 1:
            pvals = _perm_pvalues(block, all_cl, block.cluster_group, range(len(prep.groups)), n_perm,
                                  _rng(seed, 2, bi), C)
        else:
            pvals = {0: np.full(len(block.metrics), np.nan)}
        for gi, g in enumerate(prep.groups):
            S = C[block.group_clusters[gi]].sum(axis=0)
            est = _ratio(S, block.num, block.den)
            reps = _ratio(_boot_group(block, gi, n_boot, stages, _rng(seed, 1, bi, gi)), block.num, block.den)
            lo, hi = _percentile_ci(reps, est, level)
            p = pvals[gi]
            n_units = S[block.den]
            for k, metric in enumerate(block.metrics):
                rows.append((g, metric, est[k], lo[k], hi[k], prep.n_articles[g], prep.n_sentences[g], p[k],
                             n_units[k], block.units[k], prep.n_articles[g] < _SMALL_N,
                             _note(prep.n_articles[g], n_units[k])))
    out = pd.DataFrame(rows, columns=RESULT_COLUMNS)
    order = {m: i for i, m in enumerate(dict.fromkeys(out["metric"]))}
    out = out.sort_values(["group", "metric"], key=lambda c: c.map(order) if c.name == "metric" else c,
                          kind="mergesort").reset_index(drop=True)
    return out.astype({"n_articles": "int64", "n_sentences": "int64", "small_n": "bool"})


def compare_pairs(sentences: pd.DataFrame, articles: pd.DataFrame | None = None, group_by: str = "origin_country",
                  roles: Sequence[str] | None = ("headline", "body"), attributions: pd.DataFrame | None = None,
                  n_boot: int = 2000, n_perm: int = 2000, seed: int = 20240501, reader_group: bool = False,
                  level: float = 0.95, stages: int = 2) -> pd.DataFrame:
    """Differences between every pair of groups, with bootstrap intervals and permutation p-values.

    Same parameters as :func:`compare`. For groups a < b (sorted), ``difference`` is
    estimate(a) - estimate(b); its interval is the percentile interval of the difference
    of the two groups' independent cluster-bootstrap replicates (the same replicates as
    :func:`compare` with the same seed); ``p_value`` is a two-sided permutation test that
    permutes the group labels of the articles of a and b only.

    Returns
    -------
    pandas.DataFrame
        Columns ``group_a, group_b, metric, difference, ci_low, ci_high, p_value,
        n_articles_a, n_articles_b, small_n``.

    Examples
    --------
    >>> import pandas as pd
    >>> s = pd.DataFrame({"article_id": ["a1", "a2", "b1", "b2"], "role": "body",
    ...                   "text": ["It may rain.", "It might rain.", "It rains.", "It rains."]})
    >>> a = pd.DataFrame({"article_id": ["a1", "a2", "b1", "b2"], "kind": ["x", "x", "y", "y"]})
    >>> d = compare_pairs(s, a, group_by="kind", n_boot=50, n_perm=50)
    >>> d.query("metric == 'share_hedged'")[["group_a", "group_b", "difference"]].values.tolist()
    [['x', 'y', 1.0]]
    """
    _check(n_boot, n_perm, level, stages)
    prep = _prepare(sentences, articles, group_by, roles, attributions, reader_group)
    rows = []
    for bi, block in enumerate(prep.blocks):
        C = block.cluster_sums()
        reps, ests = [], []
        for gi in range(len(prep.groups)):
            S = C[block.group_clusters[gi]].sum(axis=0)
            ests.append(_ratio(S, block.num, block.den))
            reps.append(_ratio(_boot_group(block, gi, n_boot, stages, _rng(seed, 1, bi, gi)), block.num, block.den))
        for ga, gb in combinations(range(len(prep.groups)), 2):
            diff = ests[ga] - ests[gb]
            lo, hi = _percentile_ci(reps[ga] - reps[gb], diff, level)
            cl = np.concatenate([block.group_clusters[ga], block.group_clusters[gb]])
            p = _perm_pvalues(block, cl, block.cluster_group[cl], [ga], n_perm, _rng(seed, 3, bi, ga, gb), C)[ga]
            a, b = prep.groups[ga], prep.groups[gb]
            for k, metric in enumerate(block.metrics):
                rows.append((a, b, metric, diff[k], lo[k], hi[k], p[k], prep.n_articles[a], prep.n_articles[b],
                             min(prep.n_articles[a], prep.n_articles[b]) < _SMALL_N))
    return pd.DataFrame(rows, columns=PAIR_COLUMNS).astype({"small_n": "bool"})
