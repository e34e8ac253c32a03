"""alliance-study: measure how news outlets frame a story.

A few verbs, each named for what it returns, over long tidy pandas tables:

* :func:`load_corpus` -- a folder of article files with a metadata table, or one
  table of articles -> :class:`Corpus` (``articles``, ``segments``, ``sentences``,
  exact character offsets, roles);
* :func:`score` / :func:`score_sentences` -- texts -> one row of measures per text
  (VADER sentiment, hedging, boosters, vague attribution, frames, the study's
  target); :func:`explain` shows the cues behind the numbers, :func:`explain_hedged`
  why a sentence is hedged or not;
* :func:`attributions` -- who is quoted, how, in which sentence;
* :func:`compare_groups`, :func:`compare_pairs`, :func:`keyness`, :func:`concordance`,
  :func:`sourcing_profile` -- group comparisons with honest uncertainty;
* :func:`load_study`, :func:`init_study`, :func:`build` -- a study file and its
  papermill report.

The package is built in layers that point one way (checked by import-linter):
``errors``, ``resources``, ``text``, ``io``, ``defaults`` at the bottom; ``corpus``
and ``metrics`` above them; then ``compare`` and ``validity``; ``plots``; ``scale``;
``report``; ``cli`` on top.

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
    "validate_corpus": "alliance_study.corpus",
    "Corpus": "alliance_study.corpus",
    "Problem": "alliance_study.corpus",
    "CorpusError": "alliance_study.errors",
    "AllianceStudyError": "alliance_study.errors",
    "score": "alliance_study.metrics",
    "score_sentences": "alliance_study.metrics",
    "Scorer": "alliance_study.metrics",
    "explain": "alliance_study.metrics",
    "explain_hedged": "alliance_study.metrics",
    "highlight": "alliance_study.metrics",
    "attributions": "alliance_study.metrics.attribution",
    "compare_groups": "alliance_study.compare",
    "compare_pairs": "alliance_study.compare",
    "keyness": "alliance_study.compare",
    "concordance": "alliance_study.compare",
    "sourcing_profile": "alliance_study.compare",
    "sourcing_by_type": "alliance_study.compare",
    "load_study": "alliance_study.report",
    "init_study": "alliance_study.report",
    "build": "alliance_study.report",
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
