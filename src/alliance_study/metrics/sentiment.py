"""VADER sentiment, exactly as the reference implementation computes it.

We use the authors' own package, ``vaderSentiment`` 3.3.2 (Hutto & Gilbert, 2014),
rather than NLTK's port, for two reasons: its lexicon ships inside the PyPI package
(NLTK's port needs ``nltk.download('vader_lexicon')`` at run time, which this
project must not do), and it is the implementation the published validation
figures refer to (Pearson r = 0.503 on the NYT editorial snippets against 0.490
for NLTK's port).  Scores are the package's own ``polarity_scores`` numbers, with
no post-processing, computed through :class:`~alliance_study.metrics.fastvader.FastVader`,
an exact port of its inner loop that gives the same floats in about half the time.

One departure, as everywhere in the package: a typographic apostrophe (’) is read
as a straight one (') before scoring.  The reference only knows the straight form
(its negation test looks for ``n't``), so "didn’t support" scored as if "didn’t"
were an unknown word, and 15 of 20 negated news sentences changed sign with the
outlet's typesetting.  Scores are the reference's numbers for the text with
straight apostrophes (:func:`straight_apostrophes`).

Reference: Hutto, C.J. & Gilbert, E.E. (2014). VADER: A Parsimonious Rule-based
Model for Sentiment Analysis of Social Media Text. ICWSM-14.

>>> Sentiment().polarity_scores("The deal is a great idea.")["compound"] > 0
True
>>> s = Sentiment()
>>> s.scores("She didn’t win.") == s.scores("She didn't win.")
True
"""
from __future__ import annotations

from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

from ..text import straight_apostrophes
from .fastvader import FastVader


class Sentiment:
    """A VADER analyser loaded once (the lexicon is read from the installed package).

    Attributes
    ----------
    analyzer : vaderSentiment.vaderSentiment.SentimentIntensityAnalyzer
        The reference analyser.
    lexicon : dict
        VADER's word -> valence lexicon.
    """

    def __init__(self) -> None:
        self.analyzer = SentimentIntensityAnalyzer()
        self.lexicon = self.analyzer.lexicon
        self._fast = FastVader(self.analyzer)

    def polarity_scores(self, text) -> dict:
        """``{"neg", "neu", "pos", "compound"}`` of the reference for ``text`` with straight apostrophes."""
        return self._fast.polarity_scores(straight_apostrophes(text))

    def scores(self, text: str) -> tuple:
        """``(compound, pos, neu, neg)``: :meth:`polarity_scores`' numbers as a tuple."""
        return self._fast.scores(straight_apostrophes(text))
