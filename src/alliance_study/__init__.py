"""alliance-study: measure how news outlets frame a story.

A few verbs, each named for what it returns, over long tidy pandas tables:

* :func:`load_corpus` -- raw article files + a metadata table -> :class:`Corpus`
  (``articles``, ``segments``, ``sentences``, exact character offsets, roles);
* :func:`score` -- texts -> one row of metrics per text (VADER sentiment, hedging,
  boosters, vague attribution, frames, alliance target); :func:`explain` shows the cues;
* :func:`attributions` -- who is quoted, how, in which sentence;
* :func:`compare`, :func:`keyness`, :func:`concordance` -- group comparisons with
  honest uncertainty;
* :func:`build` -- the papermill report.

Example
-------
>>> import alliance_study as als
>>> als.score(["Time will tell."])["hedged"].tolist()
[True]
"""
from __future__ import annotations

from importlib import import_module

__version__ = "0.1.0"

# name -> module that defines it; imported on first use so that `alliance-study --help`
# and `import alliance_study` stay fast.
_LAZY = {
    "load_corpus": "alliance_study.corpus",
    "Corpus": "alliance_study.corpus",
    "CorpusError": "alliance_study.corpus",
    "Problem": "alliance_study.corpus",
    "validate_corpus": "alliance_study.corpus",
    "score": "alliance_study.metrics",
    "score_sentences": "alliance_study.metrics",
    "Scorer": "alliance_study.metrics",
    "explain": "alliance_study.metrics",
    "highlight": "alliance_study.metrics",
    "attributions": "alliance_study.metrics.attribution",
    "compare": "alliance_study.compare",
    "keyness": "alliance_study.compare",
    "concordance": "alliance_study.compare",
    "compare_pairs": "alliance_study.compare",
    "sourcing_profile": "alliance_study.compare",
    "sourcing_by_type": "alliance_study.compare",
    "build": "alliance_study.build",
}

__all__ = sorted(_LAZY) + ["__version__"]


def __getattr__(name: str):
    if name in _LAZY:
        value = getattr(import_module(_LAZY[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'alliance_study' has no attribute {name!r}")


def __dir__():
    return __all__
