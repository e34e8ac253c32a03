"""Intervals of group estimates and of pair differences, and the note of each row (private).

The cluster bootstrap (:mod:`._resample`) cannot show uncertainty where a group has no
variation: a share whose every unit is 0 (or every unit 1) -- e.g. no hedged sentence
among 16 -- or a rate with no cue at all resamples to the same value every time, and its
percentile interval has zero width.  For these two cases the interval is widened to the
exact bound on the group's pooled count, as if its units were independent:

* share, ``x = 0`` of ``n`` units: Clopper-Pearson ``[0, 1 - (alpha/2)^(1/n)]``, and for
  ``x = n``: ``[(alpha/2)^(1/n), 1]`` (Clopper & Pearson 1934; about the "rule of three",
  ``3/n``, at 95 %);
* rate per 100 words, no cue in ``w`` words: the exact Poisson bound
  ``[0, 100 x -ln(alpha/2) / w]`` (Garwood 1936),

with ``alpha = 1 - level``.  Units within an article are not independent, so the bound is
if anything too narrow; the row's ``note`` says that the bound replaced the bootstrap.  A
mean with no variation (every sentence scored the same) has no such bound: its interval
stays zero-wide and its note says so.  A pair difference involving such a group takes the
square-and-add ("MOVER") interval from the two groups' intervals (Newcombe 1998, Statistics
in Medicine 17; Zou & Donner 2008, Statistics in Medicine 27), widened to contain the
bootstrap one.
"""
from __future__ import annotations

import numpy as np

_SMALL_N = 3


def percentile_ci(reps: np.ndarray, est: np.ndarray, level: float) -> tuple[np.ndarray, np.ndarray]:
    """Percentile interval of each column of ``reps`` at ``level``, widened to contain ``est``."""
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


def exact_bounds(kind: list[str], X: np.ndarray, D: np.ndarray,
                 level: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Exact interval of every metric with no variation in a group (NaN elsewhere).

    ``X``, ``D``: the group's pooled numerator and denominator of each metric; ``kind`` the
    registry kinds.  Returns ``(low, high, which)`` where ``which`` is ``""``, ``"none"``
    (share: no unit has it), ``"all"`` (share: every unit has it) or ``"rate"`` (no cue).

    >>> lo, hi, which = exact_bounds(["share", "share", "rate", "mean"], np.array([0., 4., 0., 0.]),
    ...                              np.array([16., 4., 300., 5.]), 0.95)
    >>> [round(float(v), 4) for v in hi[:3]], [round(float(v), 4) for v in lo[:2]], which.tolist()
    ([0.2059, 1.0, 1.2296], [0.0, 0.3976], ['none', 'all', 'rate', ''])
    """
    a = (1 - level) / 2
    kind_ = np.asarray(kind)
    lo, hi = np.full(X.shape, np.nan), np.full(X.shape, np.nan)
    which = np.full(X.shape, "", dtype=object)
    with np.errstate(invalid="ignore", divide="ignore"):
        n = np.where(D > 0, D, 1.0)
        none = (kind_ == "share") & (D > 0) & (X <= 0)
        every = (kind_ == "share") & (D > 0) & (X >= D) & ~none
        rate = (kind_ == "rate") & (D > 0) & (X <= 0)
        lo = np.where(none | rate, 0.0, lo)
        hi = np.where(none, 1 - a ** (1 / n), hi)
        lo = np.where(every, a ** (1 / n), lo)
        hi = np.where(every, 1.0, hi)
        hi = np.where(rate, 100 * -np.log(a) / n, hi)
    which[none], which[every], which[rate] = "none", "all", "rate"
    return lo, hi, which


def group_interval(reps: np.ndarray, est: np.ndarray, kind: list[str], X: np.ndarray, D: np.ndarray,
                   level: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """A group's interval per metric: the bootstrap percentile interval, or where the group has
    no variation the exact bound (:func:`exact_bounds`).  Returns ``(low, high, which)``."""
    lo, hi = percentile_ci(reps, est, level)
    elo, ehi, which = exact_bounds(kind, X, D, level)
    use = which != ""
    return np.where(use, np.fmin(lo, elo), lo), np.where(use, np.fmax(hi, ehi), hi), which


def mover(diff: np.ndarray, lo: np.ndarray, hi: np.ndarray, ea: np.ndarray, la: np.ndarray, ua: np.ndarray,
          eb: np.ndarray, lb: np.ndarray, ub: np.ndarray, use: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Where ``use``: the interval ``[lo, hi]`` of ``a - b`` widened to the square-and-add interval
    from the groups' intervals ``[la, ua]`` around ``ea`` and ``[lb, ub]`` around ``eb``.

    >>> one = np.array([1.0])
    >>> mover(np.array([0.5]), 0.5 * one, 0.5 * one, 0.5 * one, 0.2 * one, 0.8 * one, 0 * one, 0 * one,
    ...       0.4 * one, np.array([True]))
    (array([0.]), array([0.8]))
    """
    low = diff - np.sqrt((ea - la) ** 2 + (ub - eb) ** 2)
    high = diff + np.sqrt((ua - ea) ** 2 + (eb - lb) ** 2)
    return np.where(use, np.fmin(lo, low), lo), np.where(use, np.fmax(hi, high), hi)


_NO_VARIATION = {
    "none": "no variation (no unit has it): interval is the exact Clopper-Pearson bound on the {n:g} pooled units",
    "all": "no variation (every unit has it): interval is the exact Clopper-Pearson bound on the {n:g} pooled units",
    "rate": "no variation (no cue): interval is the exact Poisson bound on the {n:g} pooled words",
}


def note(n_art: int, n_units: float, stages: int, which: str, zero_width: bool) -> str:
    """The ``note`` of a group x metric row: what limits its interval ("" when nothing does).

    >>> note(1, 12, 1, "", True)
    'one article: with stages=1 (articles only) the interval cannot show uncertainty'
    >>> note(5, 16, 2, "none", False)
    'no variation (no unit has it): interval is the exact Clopper-Pearson bound on the 16 pooled units'
    """
    if n_units == 0:
        return "no units: estimate undefined"
    parts = []
    if n_art == 1:
        parts.append("one article: with stages=1 (articles only) the interval cannot show uncertainty" if stages == 1
                     else "one article: interval reflects within-article variation only")
    elif n_art < _SMALL_N:
        parts.append(f"only {n_art} articles: interval is rough")
    if which:
        parts.append(_NO_VARIATION[which].format(n=n_units))
    elif zero_width and not (n_art == 1 and stages == 1):
        parts.append("no variation: the bootstrap interval has zero width and cannot show uncertainty")
    return "; ".join(parts)
