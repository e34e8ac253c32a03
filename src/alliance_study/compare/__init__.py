"""Group comparisons with honest uncertainty, distinctive words, keywords in context, sourcing.

This room holds the statistics over scored tables, for any corpus and any grouping
column; it may import :mod:`alliance_study.metrics` (the registry of measures, the
scorer and lexicons), :mod:`~alliance_study.errors`, :mod:`~alliance_study.text`,
:mod:`~alliance_study.resources` and :mod:`~alliance_study.defaults` -- never the
internals of ``corpus``, nor ``plots``, ``scale``, ``report`` or ``cli``.

* :func:`compare_groups` / :func:`compare_pairs` -- every registry measure per group
  (cluster bootstrap intervals, permutation p-values) and differences between groups;
* :func:`article_table` -- the same measures per article (for figures);
* :func:`article_measures` -- the per-article sums behind every measure (what the
  statistics run on; partitions of a corpus concatenate);
* :func:`keyness` -- weighted log-odds with an informative Dirichlet prior
  (Monroe, Colaresi & Quinn 2008);
* :func:`concordance` -- keyword-in-context lines for target terms;
* :func:`sourcing_profile` / :func:`sourcing_by_type` -- who is quoted, how often;
* :func:`group_labels` -- a grouping column's values as the labels every table uses.

Default parameters (grouping column, roles, seed, replicates) come from
:data:`alliance_study.defaults.DEFAULTS`.
"""
from __future__ import annotations

from ..metrics.registry import SPEAKER_TYPES
from ._tables import group_labels
from .aggregates import article_measures
from .articles import article_table
from .concordance import concordance
from .estimates import compare_groups, compare_pairs
from .keyness import keyness, load_stopwords
from .sources import sourcing_by_type, sourcing_profile
from .partials import Partials, finalize, merge_partials, partials

__all__ = ["compare_groups", "compare_pairs", "article_table", "article_measures", "keyness", "load_stopwords",
           "concordance", "sourcing_profile", "sourcing_by_type", "SPEAKER_TYPES", "group_labels"]
__all__ += ["Partials", "partials", "merge_partials", "finalize"]  # a corpus in partitions (partials.py)
