"""The resampling engine behind :mod:`alliance_study.compare.estimates` (private).

A unit table reduced to per-article numbers (:class:`Block`: first moments of the
numerator and denominator columns, and per measure the within-article covariance of
its numerator and denominator), the two-stage cluster bootstrap of one group's ratios
and article-level permutation p-values.  The methods and their
references are described in the docstring of :mod:`~alliance_study.compare.estimates`.

Memory: a block (:func:`make_block`, from the columns of an ``article_measures`` table)
keeps only the covariance columns that are not 0 everywhere and bounds for means only;
bootstrap replicates are drawn in batches of at most ``_CELLS_PER_BATCH`` replicates x
articles (part of the random stream: fixed) and permutations in batches of at most
``_PERM_CELLS`` (not part of it: any size gives the same p-values), so the working
memory beyond the per-article numbers does not grow with the corpus.
"""
from __future__ import annotations

import hashlib
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Callable, Sequence

import numpy as np

from ..metrics.registry import Measure
from .aggregates import measure_parts

_CELLS_PER_BATCH = 4_000_000   # replicates x articles per weight matrix (~32 MB as float64)
_PERM_CELLS = 16_000_000       # permutations x articles per batch of permuted labels (int16: 32 MB)
_MASK_CELLS = 2_000_000        # permutations x articles per 0/1 matrix in a product (16 MB)


# ----------------------------------------------------------------------------- data model
@dataclass
class Block:
    """One unit table (sentences or quotes) reduced to per-cluster numbers.

    ``C`` holds numerator columns then denominator columns (column sums per cluster);
    metric ``k`` is ``C[:, num[k]].sum() / C[:, den[k]].sum()`` over a group's clusters.
    ``V`` holds, per cluster, ``n`` times the empirical covariance of metric ``k``'s
    (numerator, denominator) over the cluster's units: of the columns ``[vxx | vxd | vdd]``
    (each ``n_metrics`` wide) those listed in ``v_cols`` (the others are 0 in every cluster,
    e.g. the denominator of a share; None: all).  ``low``/``high`` bound a unit's value for
    the metrics listed in ``bounded`` (means; the others are unbounded; None: all), ``kind``
    is the registry kind of each metric.  Clusters are sorted by group.  Leaving out the
    columns that hold nothing keeps a block near the size of the per-article sums.
    """

    name: str
    metrics: list[str]
    units: list[str]
    kind: list[str]
    C: np.ndarray            # (n_clusters, n_cols) float64
    V: np.ndarray            # (n_clusters, len(v_cols)) float64
    low: np.ndarray          # (n_clusters, len(bounded)): smallest unit value
    high: np.ndarray         # (n_clusters, len(bounded)): largest unit value
    num: np.ndarray          # (n_metrics,) column index
    den: np.ndarray          # (n_metrics,) column index
    cluster_group: np.ndarray  # (n_clusters,) group index
    groups: list[str]
    group_clusters: list[np.ndarray] = field(default_factory=list)  # cluster ids per group
    digest: str | None = None  # content hash (set by boot_group_cached)
    v_cols: np.ndarray | None = None   # which of the 3 * n_metrics covariance columns V holds (None: all)
    bounded: np.ndarray | None = None  # which metrics low/high bound (None: all)

    def value_range(self, cls: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Smallest and largest unit value of each metric over clusters ``cls`` (-inf, +inf: no bound)."""
        m = len(self.metrics)
        lo, hi = np.full(m, -np.inf), np.full(m, np.inf)
        at = np.arange(m) if self.bounded is None else self.bounded
        low = self.low[cls].min(axis=0, initial=np.inf)
        high = self.high[cls].max(axis=0, initial=-np.inf)
        ok = low <= high   # no unit value known: no bound
        lo[at], hi[at] = np.where(ok, low, -np.inf), np.where(ok, high, np.inf)
        return lo, hi

    @property
    def n_clusters(self) -> int:
        return self.C.shape[0]


def moment_v(n: np.ndarray, sx: np.ndarray, sd: np.ndarray, sxx: np.ndarray, sxd: np.ndarray,
             sdd: np.ndarray) -> np.ndarray:
    """``n x`` the empirical covariance of (x, d) per cluster from its sums: (K, 3) ``[vxx, vxd, vdd]``.

    Round-off below 1e-12 of the raw second moment is set to 0 (a constant column has no variance)."""
    with np.errstate(invalid="ignore", divide="ignore"):
        inv = np.where(n > 0, 1.0 / np.where(n > 0, n, 1), 0.0)
    vxx = sxx - sx * sx * inv
    vdd = sdd - sd * sd * inv
    vxd = sxd - sx * sd * inv
    vxx = np.where(vxx > 1e-12 * np.abs(sxx), vxx, 0.0)
    vdd = np.where(vdd > 1e-12 * np.abs(sdd), vdd, 0.0)
    vxd = np.where((vxx > 0) & (vdd > 0), vxd, 0.0)
    return np.column_stack([vxx, vxd, vdd])


def ratio(S: np.ndarray, num: np.ndarray, den: np.ndarray) -> np.ndarray:
    """Ratios for the last axis of column sums ``S``; NaN where the denominator is 0."""
    n = S[..., num]
    d = S[..., den]
    with np.errstate(invalid="ignore", divide="ignore"):
        r = n / d
    return np.where(d > 0, r, np.nan)


# ----------------------------------------------------------------------------- blocks from per-article sums
def make_block(name: str, measures: Sequence[Measure], col: Callable[[str], np.ndarray], K: int, groups: list[str],
           cl_group: np.ndarray) -> Block:
    """The numbers of one unit table from its per-cluster sums (columns of :func:`article_measures`).

    ``col(c)`` is column ``c`` of the cluster table as float64 (``K`` clusters, sorted by group).
    The arrays are filled column by column: the working memory is the block itself plus a
    few columns, whatever the number of clusters."""
    parts = [measure_parts(m) for m in measures]
    dens = list(dict.fromkeys(p.den for p in parts))
    m, n_num = len(parts), len(parts)

    def v(p) -> np.ndarray:
        sx, sd = col(p.num), col(p.den)
        return moment_v(col(p.n), sx, sd, col(p.num_sq) if p.num_sq else sx, col(p.num_den) if p.num_den else sx,
                        col(p.den_sq) if p.den_sq else sd)

    # the covariance columns that are not 0 in every cluster (first pass), then filled (second):
    # a 0/1 share has no denominator variance, so V holds about one column per measure, not three
    live = sorted(int(i) * m + k for k, p in enumerate(parts) for i in np.flatnonzero(v(p).any(axis=0)))
    where = {c: j for j, c in enumerate(live)}
    bounded = [k for k, p in enumerate(parts) if p.low and p.high]
    C = np.empty((K, n_num + len(dens)))
    V = np.empty((K, len(live)))
    low = np.empty((K, len(bounded)))
    high = np.empty((K, len(bounded)))
    for k, p in enumerate(parts):
        C[:, k] = col(p.num)
        vk = v(p)
        for i in range(3):
            if i * m + k in where:
                V[:, where[i * m + k]] = vk[:, i]
        if p.low and p.high:
            low[:, bounded.index(k)] = np.nan_to_num(col(p.low), nan=np.inf)
            high[:, bounded.index(k)] = np.nan_to_num(col(p.high), nan=-np.inf)
    for j, d in enumerate(dens):
        C[:, n_num + j] = col(d)
    den = np.array([n_num + dens.index(p.den) for p in parts], dtype=int)
    return Block(name, [x.name for x in measures], [x.units for x in measures], [x.kind for x in measures],
                 C, V, low, high, np.arange(n_num), den, cl_group, groups,
                 [np.flatnonzero(cl_group == g) for g in range(len(groups))],
                 v_cols=np.array(live, dtype=int), bounded=np.array(bounded, dtype=int))


# ----------------------------------------------------------------------------- bootstrap
def _article_weights(rng: np.random.Generator, B: int, K: int) -> np.ndarray:
    """Stage 1: how often each of K articles is drawn in each of B replicates (B, K)."""
    A = rng.integers(0, K, size=(B, K))
    return np.bincount((np.arange(B)[:, None] * K + A).ravel(), minlength=B * K).reshape(B, K).astype(float)


def _sentence_stage(block: Block, S: np.ndarray, Vw: np.ndarray, lo: np.ndarray, hi: np.ndarray,
                    rng: np.random.Generator, metric_rngs: Sequence[np.random.Generator] | None) -> np.ndarray:
    """Stage 2 from the moments: (numerator, denominator) of every metric drawn bivariate normal
    with mean ``S`` and covariance ``Vw`` (the weighted within-article covariances), kept in range.
    The normals come from ``metric_rngs`` (one stream per metric) when given, else from ``rng``."""
    B, m = S.shape[0], len(block.metrics)
    if metric_rngs is None:
        z = rng.standard_normal((B, m, 2))
    else:
        z = np.empty((B, m, 2))
        for k, r in enumerate(metric_rngs):
            z[:, k, :] = r.standard_normal((B, 2))
    vxx, vxd, vdd = Vw[:, :m], Vw[:, m:2 * m], Vw[:, 2 * m:]
    l11 = np.sqrt(np.maximum(vxx, 0.0))
    with np.errstate(invalid="ignore", divide="ignore"):
        l21 = np.where(l11 > 0, vxd / np.where(l11 > 0, l11, 1.0), 0.0)
    l22 = np.sqrt(np.maximum(vdd - l21 * l21, 0.0))
    x = S[:, block.num] + l11 * z[..., 0]
    d = np.maximum(S[:, block.den] + l21 * z[..., 0] + l22 * z[..., 1], 0.0)
    kind = np.array(block.kind)
    x = np.where(kind == "share", np.clip(x, 0.0, d), x)
    x = np.where(kind == "rate", np.maximum(x, 0.0), x)
    with np.errstate(invalid="ignore", divide="ignore"):
        ratio = np.where(d > 0, x / np.where(d > 0, d, 1.0), np.nan)
    return np.clip(ratio, lo, hi)


def boot_group(block: Block, g: int, n_boot: int, stages: int, rng: np.random.Generator,
               metric_rngs: Sequence[np.random.Generator] | None = None) -> np.ndarray:
    """Bootstrap replicates of group ``g``'s ratios: array (n_boot, n_metrics).

    Stage 1 draws the group's articles with replacement (weights ``W``, from ``rng``); the
    group's sums are ``W @ C``.  With ``stages=2`` the sentence stage adds, per replicate and
    metric, a bivariate normal draw with covariance ``W @ V`` (see the estimates module),
    from metric ``k``'s own stream ``metric_rngs[k]`` when given (so a metric's replicates
    do not depend on which other metrics the block holds), else from ``rng``."""
    cls = block.group_clusters[g]
    K = len(cls)
    n_c, n_v = block.C.shape[1], 3 * len(block.metrics)
    if stages == 2:
        V = block.V[cls]
        nz = np.flatnonzero(V.any(axis=0))
        keep = nz if block.v_cols is None else block.v_cols[nz]   # all-zero columns (0/1 shares) skipped
        M = np.empty((K, n_c + len(keep)))   # [C | the covariance columns], filled in place
        M[:, :n_c] = block.C[cls]
        M[:, n_c:] = V[:, nz]
        del V
    else:
        keep = np.zeros(0, dtype=int)
        M = block.C[cls]
    lo, hi = block.value_range(cls)
    out = np.empty((n_boot, len(block.metrics)))
    batch = max(1, _CELLS_PER_BATCH // max(K, 1))
    for b0 in range(0, n_boot, batch):
        B = min(batch, n_boot - b0)
        R = _article_weights(rng, B, K) @ M
        S = R[:, :n_c]
        if stages == 1:
            out[b0:b0 + B] = ratio(S, block.num, block.den)
            continue
        Vw = np.zeros((B, n_v))
        Vw[:, keep] = R[:, n_c:]
        out[b0:b0 + B] = _sentence_stage(block, S, Vw, lo, hi, rng, metric_rngs)
    return out


_BOOT_CACHE: OrderedDict = OrderedDict()


def boot_group_cached(block: Block, g: int, n_boot: int, stages: int, seed_keys: tuple[int, ...]) -> np.ndarray:
    """:func:`boot_group` with the streams ``rng_for(*seed_keys)`` (article weights) and
    ``rng_for(*seed_keys, name_key(metric))`` (each metric's sentence stage), remembered by the
    content of the block (so ``compare_pairs`` after ``compare_groups`` on the same data reuses
    the replicates)."""
    if block.digest is None:
        h = hashlib.blake2b(digest_size=16)
        for a in (block.C, block.V, block.low, block.high, block.cluster_group, block.num, block.den,
                  np.asarray(block.v_cols if block.v_cols is not None else -1),
                  np.asarray(block.bounded if block.bounded is not None else -1)):
            h.update(np.ascontiguousarray(a).reshape(-1).view(np.uint8).data)  # the bytes, not a copy of them
        h.update(repr((block.metrics, block.kind)).encode())
        block.digest = h.hexdigest()
    key = (block.digest, g, n_boot, stages, seed_keys)
    if key not in _BOOT_CACHE:
        _BOOT_CACHE[key] = boot_group(block, g, n_boot, stages, rng_for(*seed_keys),
                                      [rng_for(*seed_keys, name_key(m)) for m in block.metrics])
        while len(_BOOT_CACHE) > 64:
            _BOOT_CACHE.popitem(last=False)
    _BOOT_CACHE.move_to_end(key)
    return _BOOT_CACHE[key].copy()


# ----------------------------------------------------------------------------- permutation
def _masked_sums(L: np.ndarray, t, Cs: np.ndarray) -> np.ndarray:
    """``(L == t) @ Cs`` (``t`` a label) or ``(L < t[:, None]) @ Cs`` (``t`` one threshold per row),
    in slices of articles, so the 0/1 matrix stays small and the slice of ``Cs`` in cache."""
    B, K = L.shape
    out = np.zeros((B, Cs.shape[1]))
    step = max(1, _MASK_CELLS // max(B, 1))
    for k0 in range(0, K, step):
        part = L[:, k0:k0 + step]
        mask = part == t if np.ndim(t) == 0 else part < t[:, None]
        out += mask.astype(float) @ Cs[k0:k0 + step]
    return out


def _count(T: np.ndarray, obs: np.ndarray, hits: np.ndarray, valid: np.ndarray) -> None:
    ok = np.isfinite(T)
    tol = 1e-12 * np.maximum(1.0, np.abs(obs))
    valid += ok.sum(axis=0)
    hits += (ok & (np.abs(np.where(ok, T, 0)) >= np.abs(obs) - tol)).sum(axis=0)


def _p(obs: np.ndarray, hits: np.ndarray, valid: np.ndarray) -> np.ndarray:
    with np.errstate(invalid="ignore", divide="ignore"):
        p = (1 + hits) / (1 + valid)
    return np.where(np.isfinite(obs) & (valid > 0), p, np.nan)


def perm_pvalues(block: Block, clusters: np.ndarray, labels: np.ndarray, targets: Sequence[int],
                 n_perm: int, rng: np.random.Generator, C: np.ndarray) -> dict[int, np.ndarray]:
    """Two-sided permutation p-values of ratio(label==t) - ratio(label!=t) for each t in ``targets``.

    ``labels`` (one per cluster in ``clusters``, rows of the cluster sums ``C``) are
    permuted; one permutation serves every target group (the costly part is the
    permutation itself, O(n_clusters) per replicate).  The stream of permutations does not
    depend on the batch size (``Generator.permuted`` shuffles row after row).
    """
    m = len(block.metrics)
    K = len(clusters)
    whole = K == C.shape[0] and bool(np.array_equal(clusters, np.arange(K)))
    Cs = C if whole else C[clusters]   # every cluster, in order: no copy
    total = Cs.sum(axis=0)
    out, obs, live = {}, {}, []
    for t in targets:
        inside = labels == t
        if inside.all() or not inside.any() or n_perm <= 0:
            out[t] = np.full(m, np.nan)
            continue
        s_in = Cs[inside].sum(axis=0)
        obs[t] = ratio(s_in, block.num, block.den) - ratio(total - s_in, block.num, block.den)
        live.append(t)
    if not live:
        return out
    hits = {t: np.zeros(m) for t in live}
    valid = {t: np.zeros(m) for t in live}
    small = labels.astype(np.int16 if labels.max(initial=0) < 2 ** 15 else np.int64)
    batch = max(1, _PERM_CELLS // max(K, 1))
    for b0 in range(0, n_perm, batch):
        B = min(batch, n_perm - b0)
        # row after row: the same permutations as one call permuted(..., axis=1), several times faster
        L = np.empty((B, K), dtype=small.dtype)
        for i in range(B):
            L[i] = rng.permuted(small)
        for t in live:
            S_in = _masked_sums(L, t, Cs)
            _count(ratio(S_in, block.num, block.den) - ratio(total - S_in, block.num, block.den), obs[t], hits[t],
                   valid[t])
    for t in live:
        out[t] = _p(obs[t], hits[t], valid[t])
    return out


def pair_pvalues(block: Block, C: np.ndarray, pairs: Sequence[tuple[int, int]], n_perm: int,
                 rank_rng: np.random.Generator, pair_rngs: Sequence[np.random.Generator]) -> list[np.ndarray]:
    """Two-sided permutation p-values of ratio(a) - ratio(b) for each pair of groups ``(a, b)``.

    One permutation of the pooled articles of a and b, drawn as: ``h``, the number of a's
    articles that stay in a, hypergeometric (``pair_rngs``); the ``h`` of a's articles and the
    ``n_a - h`` of b's articles first in a random order of each group.  That is a uniformly
    random relabelling of a and b with their sizes kept (an exact permutation test); the
    random orders (``rank_rng``) are shared by all pairs, so a permutation costs one shuffle
    of the corpus instead of one per pair.
    """
    m = len(block.metrics)
    cls = block.group_clusters
    out = [np.full(m, np.nan) for _ in pairs]
    if n_perm <= 0 or not pairs:
        return out
    obs, total, hits, valid = [], [], [], []
    for a, b in pairs:
        s_in, s_all = C[cls[a]].sum(axis=0), C[np.concatenate([cls[a], cls[b]])].sum(axis=0)
        obs.append(ratio(s_in, block.num, block.den) - ratio(s_all - s_in, block.num, block.den))
        total.append(s_all)
        hits.append(np.zeros(m))
        valid.append(np.zeros(m))
    sizes = [len(c) for c in cls]
    batch = max(1, _PERM_CELLS // max(sum(sizes), 1))
    rank_type = np.int32 if max(sizes, default=0) < 2 ** 31 else np.int64
    for b0 in range(0, n_perm, batch):
        B = min(batch, n_perm - b0)
        ranks = [np.empty((B, n), dtype=rank_type) for n in sizes]
        for j in range(B):  # permutation after permutation, each group's order in turn
            for s, n in enumerate(sizes):
                ranks[s][j] = rank_rng.permutation(n)
        for i, (a, b) in enumerate(pairs):
            h = pair_rngs[i].hypergeometric(sizes[a], sizes[b], sizes[a], size=B)
            S_in = _masked_sums(ranks[a], h, C[cls[a]]) + _masked_sums(ranks[b], sizes[a] - h, C[cls[b]])
            _count(ratio(S_in, block.num, block.den) - ratio(total[i] - S_in, block.num, block.den), obs[i],
                   hits[i], valid[i])
    return [_p(o, h, v) for o, h, v in zip(obs, hits, valid)]


def holm(p: np.ndarray) -> np.ndarray:
    """Holm's step-down adjustment of the p-values ``p`` taken as one family (NaN: not tested, left NaN).

    ``p_holm`` of the ``i``-th smallest of ``m`` p-values is ``max_{j <= i} min(1, (m - j + 1) p_(j))``
    (Holm 1979, Scand. J. Statistics 6): rejecting where ``p_holm <= alpha`` keeps the
    family-wise error rate at ``alpha``.  Ties get the same value, whatever their order.

    >>> holm(np.array([0.01, 0.04, np.nan, 0.03, 0.5])).tolist()
    [0.04, 0.09, nan, 0.09, 0.5]
    """
    p = np.asarray(p, dtype=float)
    out = np.full(p.shape, np.nan)
    ok = np.flatnonzero(np.isfinite(p))
    m = len(ok)
    if m:
        order = ok[np.argsort(p[ok], kind="mergesort")]
        out[order] = np.minimum(1.0, np.maximum.accumulate((m - np.arange(m)) * p[order]))
    return out


def rng_for(seed: int, *keys: int) -> np.random.Generator:
    """The random stream of ``(seed, *keys)``: independent of the order of calls."""
    return np.random.default_rng([int(seed), *[int(k) for k in keys]])


def name_key(name: object) -> int:
    """A stable 64-bit key of a name (a group, a metric, a table) for :func:`rng_for`: the same on
    every machine and run (not Python's salted ``hash``), so a stream keyed by a group's name does
    not depend on the other groups.

    >>> name_key("share_hedged") == name_key("share_hedged") != name_key("share_boosted")
    True
    """
    return int.from_bytes(hashlib.blake2b(str(name).encode("utf-8"), digest_size=8).digest(), "big")
