"""Group comparisons with honest uncertainty, distinctive words, keywords in context, sourcing.

* :func:`compare` / :func:`compare_pairs` -- metric estimates per group (cluster
  bootstrap intervals, permutation p-values) and differences between groups;
* :func:`keyness` -- weighted log-odds with an informative Dirichlet prior
  (Monroe, Colaresi & Quinn 2008);
* :func:`concordance` -- keyword-in-context lines for target terms;
* :func:`sourcing_profile` / :func:`sourcing_by_type` -- who is quoted, how often.

Every function takes any corpus and any grouping column.
"""
from __future__ import annotations

from .estimates import compare, compare_pairs, SPEAKER_TYPES
from .keyness import keyness, load_stopwords
from .concordance import concordance
from .sources import sourcing_profile, sourcing_by_type

__all__ = ["compare", "compare_pairs", "keyness", "load_stopwords", "concordance",
           "sourcing_profile", "sourcing_by_type", "SPEAKER_TYPES"]


class _CallableModule(__import__("types").ModuleType):
    """``alliance_study.compare`` is both this module and the verb: calling the module
    calls :func:`compare`, so ``als.compare(...)`` works whichever one Python bound to
    the name (importing a subpackage rebinds the parent's attribute to the module)."""

    def __call__(self, *args, **kwargs):
        return compare(*args, **kwargs)


__import__("sys").modules[__name__].__class__ = _CallableModule
