"""The metric columns: the one place where ``score`` calls the scorer.

:func:`score_texts` is what every engine runs on a piece of texts (in this
process, in a pool worker or as a Dask task) and :func:`metric_dtypes` names the
columns it returns, with their types from :mod:`alliance_study.metrics.registry`.
A further column computed per text (e.g. a model-based sentiment) is added here,
in both functions, and flows to every engine and output format.

>>> cols = score_texts(["It may rain.", None])
>>> cols["hedged"].tolist(), cols["n_words"].dtype.name, cols["hedge_cues"]
([True, False], 'int64', ['may', ''])
"""
from __future__ import annotations

import numpy as np

from ..metrics import Scorer, default_scorer
from ..metrics.registry import dtypes as registry_dtypes


def metric_dtypes(scorer: Scorer | None = None) -> dict[str, str]:
    """``{column: dtype}`` of the columns :func:`score_texts` returns, in output order.

    >>> list(metric_dtypes())[:2], metric_dtypes()["hedged"]
    (['n_words', 'sentiment_compound'], 'bool')
    """
    s = scorer or default_scorer()
    return registry_dtypes(s.columns)


def score_texts(texts: list, scorer: Scorer | None = None) -> dict:
    """Metric columns for a list of texts: ``{column: numpy array, or list of str}``.

    Arguments and results are plain lists and arrays, so sending them to a worker
    is cheap.  ``None``/NaN texts are scored as empty text.  ``scorer`` defaults to
    the packaged lexicons (:func:`alliance_study.metrics.default_scorer`).
    """
    s = scorer or default_scorer()
    cols = s.score_columns(texts)
    return {name: cols[name] if dtype == "object" else np.asarray(cols[name], dtype=dtype)
            for name, dtype in metric_dtypes(s).items()}


def empty_metrics(dtypes: dict) -> dict:
    """The metric columns of no texts (same types as :func:`score_texts`).

    >>> empty_metrics({"n_words": "int64", "hedge_cues": "object"})
    {'n_words': array([], dtype=int64), 'hedge_cues': []}
    """
    return {c: ([] if d == "object" else np.array([], dtype=d)) for c, d in dtypes.items()}


def concat(parts: list[dict], dtypes: dict) -> dict:
    """Join the results of consecutive pieces, column by column.

    >>> import numpy as np
    >>> concat([{"n": np.array([1]), "c": ["a"]}, {"n": np.array([2]), "c": [""]}], {"n": "int64", "c": "object"})
    {'n': array([1, 2]), 'c': ['a', '']}
    """
    if not parts:
        return empty_metrics(dtypes)
    out: dict = {}
    for c, d in dtypes.items():
        if d == "object":
            out[c] = [v for p in parts for v in p[c]]
        else:
            out[c] = np.concatenate([p[c] for p in parts])
    return out
