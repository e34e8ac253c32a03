"""Group estimates with honest uncertainty: cluster bootstrap and permutation tests.

Every metric is a *ratio estimator* ``sum(numerator) / sum(denominator)`` over the
units (sentences, or quotes) of a group.  The measures, their order, and their
numerators and denominators are those of the registry
(:func:`alliance_study.metrics.registry.sentence_measures`,
:func:`~alliance_study.metrics.registry.quote_measures`,
:meth:`~alliance_study.metrics.registry.Measure.ratio_parts`); nothing is re-derived
here, so a measure added there -- or a frame added to a frames file -- is estimated
with no other edit.  By kind:

* ``mean`` (``mean_sentiment``): the value per unit over 1 per unit where it is defined
  (a sentence VADER could not score is left out, not counted as 0);
* ``share`` (``share_hedged``, ``frame_share_<name>``, ``speech_share_<type>``): 1 if the
  unit has the property (a flag, >= 1 cue, a speaker type) over 1 per unit;
* ``rate`` (``hedges_per_100w`` ...): 100 x the count over ``n_words``;
* ``target_...`` measures count only sentences about the target (``where="target"``).

So means and shares are pooled over sentences (a long article weighs more than a
short one), rates per 100 words are total cues / total words x 100, and a frame
share is *the share of sentences with at least one cue of that frame* (not the share
of cues).  ``speech_share_<type>`` is the share of a group's attributed quotes whose
speaker is of that type.

Uncertainty
-----------
Everything below runs on per-article sums (:func:`~alliance_study.compare.article_measures`:
numerator and denominator sums, their second moments and the unit count of every
measure), never on sentence rows: a sentence table is first reduced to them, and an
``article_measures`` table (e.g. of a corpus processed in partitions) gives the identical
result.

*Two-stage cluster bootstrap* (Davison & Hinkley 1997, *Bootstrap Methods and their
Application*, sec. 3.8, "strategy 2"; Field & Welsh 2007, JRSS-B 69(3)): within each
group, draw as many articles as the group has, with replacement (weights ``w``:
replicates x articles); then, inside every drawn article, its sentences (or quotes) with
replacement; recompute the ratio.  The second stage is not drawn sentence by sentence:
given the article draw, a metric's group totals ``(X, D)`` of numerator and denominator
over the inner resamples have mean ``sum_a w_a (S_x, S_d)_a`` and covariance
``sum_a w_a V_a``, where ``V_a = n_a`` x the empirical covariance of (numerator,
denominator) over the article's ``n_a`` units (``[Sxx - Sx^2/n, Sxd - Sx Sd/n, Sdd - Sd^2/n]``,
the variance of a sum of ``n_a`` draws with replacement).  ``(X, D)`` is drawn bivariate
normal with exactly these two moments (one matrix product ``W @ [S | V]`` and two normals
per replicate and metric), then kept in the metric's range: ``D >= 0``; shares
``0 <= X <= D``; rates ``X >= 0``; means between the group's smallest and largest unit
value.  The normal shape is the approximation (the moments are exact); it is the
central-limit description of a sum over a group's many sentences, and the tests check
it against a brute-force two-stage bootstrap on the seed corpus (replicate standard
deviations within 15 %).  ``stages=1`` resamples articles only (exact; faster; Field &
Welsh show it is the consistent choice when the number of articles grows).
Intervals are percentile intervals at ``level`` (95 % by default) of ``n_boot`` replicates (Efron & Tibshirani
1993, ch. 13), widened where needed so that ``ci_low <= estimate <= ci_high`` always
holds (the point estimate is the exact ratio on the full data).  With one article the
article stage contributes nothing and the interval reflects only the variation of
sentences within that article (with ``stages=1``, nothing: the interval has zero width);
rows with fewer than three articles have ``small_n=True`` and a ``note``.  Where a group
has no variation -- a share whose every unit is 0 (or every unit 1), a rate with no cue --
every replicate is the same and the percentile interval has zero width; it is then
replaced by the exact bound on the pooled count (Clopper-Pearson for a share, Poisson for
a rate; see :mod:`alliance_study.compare._intervals`), and the ``note`` says so.  A mean
with no variation keeps its zero-wide interval, noted too.  A pair difference involving such
a group takes the square-and-add (MOVER) interval of the two groups' intervals.

*p-values* are two-sided permutation tests (Good 2005, *Permutation, Parametric and
Bootstrap Tests of Hypotheses*): the statistic is the difference of the ratio
estimates, this group minus the rest of the corpus (or group a minus group b in
:func:`compare_pairs`); group labels are permuted at the *article* level (whole
articles move between groups, keeping group sizes), and
``p = (1 + #{|T*| >= |T|}) / (1 + n_valid)`` (Phipson & Smyth 2010, SAGMB 9(1)), where
``n_valid`` is the number of permutations in which ``T*`` is defined: ``n_perm``, less any
permutation that leaves a side with no unit of the measure (e.g. no target sentence), which
is left out rather than counted.  The smallest possible p is thus ``1 / (1 + n_valid)``.
It is NaN where no comparison is possible (a single group, the estimate is undefined, or
no permutation gives a defined statistic).  In :func:`compare_groups` the same permutations serve every group's test.
In :func:`compare_pairs` a permutation of the articles of a and b is drawn as a
hypergeometric number ``h`` of a's articles that stay in a, taken (with ``n_a - h`` of
b's) first in a random order of each group; the orders are shared by all pairs, so a
permutation costs one shuffle of the corpus, not one per pair (each pair's test is exact).
``p_value`` is not corrected for the many metrics and groups tested: ``p_holm`` is, by Holm's
step-down method over every p-value of the table (Holm 1979, Scand. J. Statistics 6), which
keeps the chance of any false positive among them at the level chosen (conservative).

Computation is vectorised: a batch of bootstrap replicates is a matrix of article
weights (replicates x articles) multiplied by the per-article sums; a batch of
permutations is 0/1 matrices (permutations x articles) multiplied by the same sums; no
Python loop runs over sentences or articles.  Random numbers come from
``numpy.random.default_rng`` seeded by ``(seed, table, group)``, so results do not
depend on the order of calls or the order of rows: a group's bootstrap draws its article
weights from the stream of ``(seed, table name, group name)`` and each metric's
sentence-stage normals from that of ``(seed, table name, group name, metric name)`` (stable
64-bit hashes of the names), so a group's intervals do not change when another group, or
another frame, is added.  The permutations, which move articles between all groups at
once, are drawn from ``(seed, test, table)``.  Batches have a fixed memory budget
(``_resample``: replicates x articles, permutations x articles), so the working memory
does not grow with the corpus; the permutations do not depend on the permutation batch
size, while the bootstrap's batch size (4,000,000 cells) is part of its random stream
(each batch draws its article weights, then its sentence-stage normals) and is fixed.
"""
from __future__ import annotations

import numbers
from itertools import combinations
from typing import Sequence

import numpy as np
import pandas as pd

from ..defaults import GROUP_BY, LEVEL, N_BOOT, N_PERM, ROLES, SEED
from ..errors import InputError
from ..metrics.registry import SPEAKER_TYPES
from ..text import group_order
from ._intervals import _SMALL_N, group_interval, mover, note, percentile_ci
from ._prepare import prepare
from ._resample import Block, boot_group_cached, holm, name_key, pair_pvalues, perm_pvalues, ratio, rng_for

__all__ = ["compare_groups", "compare_pairs", "SPEAKER_TYPES", "RESULT_COLUMNS", "PAIR_COLUMNS"]

RESULT_COLUMNS = ["group", "metric", "estimate", "ci_low", "ci_high", "n_articles", "n_sentences",
                  "p_value", "p_holm", "n_units", "unit", "small_n", "note"]
PAIR_COLUMNS = ["group_a", "group_b", "metric", "difference", "ci_low", "ci_high", "p_value", "p_holm",
                "n_articles_a", "n_articles_b", "small_n"]



_EXAMPLE = {"n_boot": N_BOOT, "n_perm": N_PERM, "level": LEVEL, "stages": 2}


def _check(n_boot: int, n_perm: int, level: float, stages: int) -> None:
    for name, value, kind in (("n_boot", n_boot, numbers.Integral), ("n_perm", n_perm, numbers.Integral),
                              ("level", level, numbers.Real), ("stages", stages, numbers.Integral)):
        if not isinstance(value, kind) or isinstance(value, bool):
            raise InputError(f"{name} must be a {'whole number' if kind is numbers.Integral else 'number'}, not "
                             f"{type(value).__name__} ({value!r}). Fix: pass e.g. {name}={_EXAMPLE[name]!r}.")
    if n_boot < 1:
        raise InputError(f"n_boot must be at least 1, got {n_boot}. Fix: set n_boot to 1 or more (e.g. 2000).")
    if n_perm < 0:
        raise InputError(f"n_perm must be 0 (no tests) or more, got {n_perm}. Fix: set n_perm to 0 or more.")
    if not 0 < level < 1:
        raise InputError(f"level must be between 0 and 1, got {level}. Fix: set level to e.g. 0.95.")
    if stages not in (1, 2):
        raise InputError(f"stages must be 1 (articles) or 2 (articles, then sentences), got {stages}. "
                         "Fix: pass stages=1 or stages=2.")


def _boot_keys(seed: int, block: Block, group: str) -> tuple[int, ...]:
    """The bootstrap stream of a group: keyed by the names of its table and of the group, so a
    group's interval does not depend on which other groups the comparison holds."""
    return (seed, 1, name_key(block.name), name_key(group))


# ----------------------------------------------------------------------------- public API
def compare_groups(data: pd.DataFrame, articles: pd.DataFrame | None = None, *, group_by: str = GROUP_BY,
                   roles: Sequence[str] | None = ROLES, attributions: pd.DataFrame | None = None,
                   n_boot: int = N_BOOT, n_perm: int = N_PERM, seed: int = SEED, reader_group: bool = False,
                   level: float = LEVEL, stages: int = 2) -> pd.DataFrame:
    """Estimate every framing metric per group, with cluster-bootstrap intervals and permutation p-values.

    Parameters
    ----------
    data : pandas.DataFrame
        Either one row per sentence with ``article_id``, ``role`` and the metric columns of
        :func:`alliance_study.score_sentences` (scored on the fly when ``hedged`` is missing
        and ``text`` is present), or an :func:`~alliance_study.compare.article_measures`
        table (recognised by its ``n_sentences`` column; computed with the same ``roles``,
        ``reader_group`` and, for the quote measures, ``attributions``).  Both give identical results.
    articles : pandas.DataFrame, optional
        One row per article with ``article_id`` and the ``group_by`` column. Without it,
        ``group_by`` is read from the sentence table (required with ``article_measures``).
    group_by : str
        Any column of ``articles``; articles where it is missing (or that are not in
        ``articles``) are left out, with a warning that counts them.
    roles : sequence of str or None
        Sentence roles to keep (``None``: all).
    attributions : pandas.DataFrame, optional
        ``article_id, speaker_type`` (and ``role``): adds ``speech_share_<type>`` metrics
        (with an ``article_measures`` table: give them to ``article_measures`` instead).
    n_boot, n_perm : int
        Bootstrap replicates and permutations (``n_perm=0`` skips the tests).
    seed : int
        Seed of every random stream (results are identical for identical inputs).
    reader_group : bool
        Put ``reader_comment`` sentences (and quotes) in a group ``"readers"`` of their own.
    level : float
        Coverage of the percentile intervals.

    ``group_by``, ``roles``, ``n_boot``, ``n_perm``, ``seed`` and ``level`` default to
    :data:`alliance_study.defaults.DEFAULTS`, the values the report uses, so a call with
    the defaults reproduces the report's numbers.
    stages : {2, 1}
        2: resample articles, then sentences within articles (moment-matched, see the module
        docstring; default); 1: articles only.

    Returns
    -------
    pandas.DataFrame
        Columns ``group, metric, estimate, ci_low, ci_high, n_articles, n_sentences,
        p_value, p_holm, n_units, unit, small_n, note``: one row per group x metric, groups sorted,
        metrics in a fixed order. ``n_units`` is the denominator (sentences, words, target
        sentences or quotes); ``p_value`` tests this group against all other groups, uncorrected;
        ``p_holm`` is ``p_value`` Holm-adjusted over every p-value of the table (all groups and
        measures: a family-wise error rate); ``note`` says what limits the interval.

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
    >>> out = compare_groups(s, a, group_by="outlet_type", n_boot=50, n_perm=50)
    >>> out.query("metric == 'share_hedged'")[["group", "estimate", "small_n"]].values.tolist()
    [['x', 0.5, True], ['y', 0.0, True]]
    >>> from alliance_study.compare import article_measures   # the same from per-article sums
    >>> out.equals(compare_groups(article_measures(s), a, group_by="outlet_type", n_boot=50, n_perm=50))
    True
    """
    _check(n_boot, n_perm, level, stages)
    prep = prepare(data, articles, group_by, roles, attributions, reader_group)
    rows = []
    for bi, block in enumerate(prep.blocks):
        C = block.C
        all_cl = np.arange(block.n_clusters)
        if len(prep.groups) > 1:
            pvals = perm_pvalues(block, all_cl, block.cluster_group, range(len(prep.groups)), n_perm,
                                  rng_for(seed, 2, bi), C)
        else:
            pvals = {0: np.full(len(block.metrics), np.nan)}
        for gi, g in enumerate(prep.groups):
            S = C[block.group_clusters[gi]].sum(axis=0)
            est = ratio(S, block.num, block.den)
            reps = boot_group_cached(block, gi, n_boot, stages, _boot_keys(seed, block, g))
            n_units = S[block.den]
            lo, hi, which = group_interval(reps, est, block.kind, S[block.num], n_units, level)
            p = pvals[gi]
            for k, metric in enumerate(block.metrics):
                rows.append((g, metric, est[k], lo[k], hi[k], prep.n_articles[g], prep.n_sentences[g], p[k],
                             np.nan, n_units[k], block.units[k], prep.n_articles[g] < _SMALL_N,
                             note(prep.n_articles[g], n_units[k], stages, which[k], bool(lo[k] == hi[k]))))
    out = pd.DataFrame(rows, columns=RESULT_COLUMNS)
    order = {m: i for i, m in enumerate(dict.fromkeys(out["metric"]))}
    by_group = group_order(out)
    out = out.sort_values(["group", "metric"], key=lambda c: c.map(order) if c.name == "metric" else by_group(c),
                          kind="mergesort").reset_index(drop=True)
    out["p_holm"] = holm(out["p_value"].to_numpy())
    return out.astype({"n_articles": "int64", "n_sentences": "int64", "small_n": "bool"})


def compare_pairs(data: pd.DataFrame, articles: pd.DataFrame | None = None, *, group_by: str = GROUP_BY,
                  roles: Sequence[str] | None = ROLES, attributions: pd.DataFrame | None = None,
                  n_boot: int = N_BOOT, n_perm: int = N_PERM, seed: int = SEED, reader_group: bool = False,
                  level: float = LEVEL, stages: int = 2) -> pd.DataFrame:
    """Differences between every pair of groups, with bootstrap intervals and permutation p-values.

    Same parameters as :func:`compare_groups`. For groups a < b (sorted), ``difference`` is
    estimate(a) - estimate(b); its interval is the percentile interval of the difference
    of the two groups' independent cluster-bootstrap replicates (the same replicates as
    :func:`compare_groups` with the same seed); ``p_value`` is a two-sided permutation test that
    permutes the group labels of the articles of a and b only.

    Returns
    -------
    pandas.DataFrame
        Columns ``group_a, group_b, metric, difference, ci_low, ci_high, p_value, p_holm,
        n_articles_a, n_articles_b, small_n`` (``p_holm``: Holm-adjusted over every p-value of
        the table, all pairs and measures).

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
    prep = prepare(data, articles, group_by, roles, attributions, reader_group)
    rows = []
    for bi, block in enumerate(prep.blocks):
        C = block.C
        reps, ests, cis = [], [], []
        for gi in range(len(prep.groups)):
            S = C[block.group_clusters[gi]].sum(axis=0)
            ests.append(ratio(S, block.num, block.den))
            reps.append(boot_group_cached(block, gi, n_boot, stages, _boot_keys(seed, block, prep.groups[gi])))
            cis.append(group_interval(reps[-1], ests[-1], block.kind, S[block.num], S[block.den], level))
        pairs = list(combinations(range(len(prep.groups)), 2))
        pvals = pair_pvalues(block, C, pairs, n_perm, rng_for(seed, 3, bi),
                             [rng_for(seed, 3, bi, ga, gb) for ga, gb in pairs])
        for (ga, gb), p in zip(pairs, pvals):
            diff = ests[ga] - ests[gb]
            lo, hi = percentile_ci(reps[ga] - reps[gb], diff, level)
            (la, ua, wa), (lb, ub, wb) = cis[ga], cis[gb]
            lo, hi = mover(diff, lo, hi, ests[ga], la, ua, ests[gb], lb, ub, (wa != "") | (wb != ""))
            a, b = prep.groups[ga], prep.groups[gb]
            for k, metric in enumerate(block.metrics):
                rows.append((a, b, metric, diff[k], lo[k], hi[k], p[k], np.nan, prep.n_articles[a], prep.n_articles[b],
                             min(prep.n_articles[a], prep.n_articles[b]) < _SMALL_N))
    out = pd.DataFrame(rows, columns=PAIR_COLUMNS).astype({"small_n": "bool"})
    out["p_holm"] = holm(out["p_value"].to_numpy())
    return out
