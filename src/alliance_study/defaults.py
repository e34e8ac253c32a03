"""The one set of default analysis parameters (bottom layer).

Every entry point reads these: the library functions (``compare_groups``,
``compare_pairs``, ``keyness`` ...), the processing step, the command line and the
notebooks (whose ``parameters`` cells leave these None: a study file's value where it
sets one, else these).  So ``als.compare_groups(...)`` with its defaults gives the
numbers of a report built without study parameters.

>>> DEFAULTS["seed"], DEFAULTS["roles"]
(20201023, ('headline', 'body'))
"""
from __future__ import annotations

from types import MappingProxyType
from typing import Any, Mapping

#: default analysis parameters (read-only); the report layer adds paths and display options
DEFAULTS: Mapping[str, Any] = MappingProxyType({
    "group_by": "outlet",               # metadata column that defines the groups compared
    "roles": ("headline", "body"),      # segment roles that count as the outlet's own text
    "n_boot": 2000,                     # bootstrap resamples for the intervals
    "n_perm": 2000,                     # permutations for the p-values
    "seed": 20201023,                   # random seed: same seed, same numbers
    "level": 0.95,                      # confidence level of the intervals
    "concordance_terms": (),            # keywords for the concordances; empty: the target lexicon
    "news_sentiment": True,             # also score sentiment_news (the model-based news tone)
})

GROUP_BY: str = DEFAULTS["group_by"]
ROLES: tuple[str, ...] = DEFAULTS["roles"]
N_BOOT: int = DEFAULTS["n_boot"]
N_PERM: int = DEFAULTS["n_perm"]
SEED: int = DEFAULTS["seed"]
LEVEL: float = DEFAULTS["level"]
