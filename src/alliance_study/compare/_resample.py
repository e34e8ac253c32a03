"""The resampling engine behind :mod:`alliance_study.compare.estimates` (private).

A unit table reduced to numbers (:class:`Block`: numerator and denominator columns,
units sorted by cluster), the two-stage cluster bootstrap of one group's column
sums, percentile intervals, and article-level permutation p-values.  The methods and
their references are described in the docstring of :mod:`~alliance_study.compare.estimates`.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Sequence

import numpy as np

_CELLS_PER_BATCH = 4_000_000  # replicates x units per weight matrix (~32 MB as float64)


# ----------------------------------------------------------------------------- data model
@dataclass
class Block:
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


def make_block(name: str, metrics: Sequence[str], units: Sequence[str], numerators: Sequence[np.ndarray],
               denominators: Sequence[np.ndarray], den_of: Sequence[int], clusters: np.ndarray, n_clusters: int,
               groups: list[str]) -> Block:
    """A :class:`Block` from one numerator per metric, the distinct denominators, and
    ``den_of[k]`` (the denominator of metric ``k``); units are put in cluster order."""
    n_num = len(numerators)
    cols = list(numerators) + list(denominators)
    X = np.column_stack(cols) if cols else np.zeros((len(clusters), 0))
    num = np.arange(n_num)
    den = np.array([n_num + j for j in den_of], dtype=int)
    cl = np.asarray(clusters, dtype=np.int64)
    order = np.argsort(cl, kind="stable")  # units contiguous by cluster (the bootstrap relies on it)
    return Block(name, list(metrics), list(units), np.ascontiguousarray(X[order], dtype=float), num, den,
                 cl[order], n_clusters, np.zeros(n_clusters, dtype=int), groups)


def ratio(S: np.ndarray, num: np.ndarray, den: np.ndarray) -> np.ndarray:
    """Ratios for the last axis of column sums ``S``; NaN where the denominator is 0."""
    n = S[..., num]
    d = S[..., den]
    with np.errstate(invalid="ignore", divide="ignore"):
        r = n / d
    return np.where(d > 0, r, np.nan)


# ----------------------------------------------------------------------------- bootstrap
def boot_group(block: Block, g: int, n_boot: int, stages: int, rng: np.random.Generator) -> np.ndarray:
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


def percentile_ci(reps: np.ndarray, est: np.ndarray, level: float) -> tuple[np.ndarray, np.ndarray]:
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
def perm_pvalues(block: Block, clusters: np.ndarray, labels: np.ndarray, targets: Sequence[int],
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
        obs[t] = ratio(s_in, block.num, block.den) - ratio(total - s_in, block.num, block.den)
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
            T = ratio(S_in, block.num, block.den) - ratio(total - S_in, block.num, block.den)
            ok = np.isfinite(T)
            tol = 1e-12 * np.maximum(1.0, np.abs(obs[t]))
            valid[t] += ok.sum(axis=0)
            hits[t] += (ok & (np.abs(np.where(ok, T, 0)) >= np.abs(obs[t]) - tol)).sum(axis=0)
    for t in live:
        with np.errstate(invalid="ignore"):
            p = (1 + hits[t]) / (1 + valid[t])
        out[t] = np.where(np.isfinite(obs[t]) & (valid[t] > 0), p, np.nan)
    return out


def rng_for(seed: int, *keys: int) -> np.random.Generator:
    """The random stream of ``(seed, *keys)``: independent of the order of calls."""
    return np.random.default_rng([int(seed), *[int(k) for k in keys]])
