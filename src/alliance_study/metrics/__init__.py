"""Per-sentence measures (middle layer; imports only the bottom: errors, resources, text).

What the room holds: the lexicon matcher (:mod:`~alliance_study.metrics.lexicon`),
VADER sentiment and its exact fast port, the scorer (hedging, boosters, frames,
target), attribution (who is quoted, :mod:`~alliance_study.metrics.attribution`),
:func:`explain` (the cues behind a number) and the registry of measures
(:mod:`~alliance_study.metrics.registry`) that the statistics and figures read.
It may import :mod:`alliance_study.errors`, :mod:`alliance_study.resources` and
:mod:`alliance_study.text`, never ``corpus``, ``compare`` or anything above.

Example
-------
>>> from alliance_study.metrics import score
>>> df = score(["In principle we do not exclude such a possibility.", "Absolutely not."])
>>> df[["hedged", "booster_count"]].values.tolist()
[[True, 0], [False, 1]]
"""
from __future__ import annotations

from ..errors import LexiconError
from . import registry
from .explain import HedgeDecision, explain, explain_hedged, highlight
from .lexicon import Cue, CueLexicon, load_lexicon
from .scorer import Scorer, default_scorer, score, score_sentences

__all__ = [
    "Scorer", "score", "score_sentences", "default_scorer", "explain", "explain_hedged", "HedgeDecision",
    "highlight", "registry",
    "CueLexicon", "Cue", "LexiconError", "load_lexicon",
]
