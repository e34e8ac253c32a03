"""Show the words behind every number: cue tables, an escaped HTML highlighter, and the
reasons behind one sentence's ``hedged`` decision (:func:`explain_hedged`).

>>> from alliance_study import explain
>>> explain("In principle we do not exclude such a possibility.")[["text", "measure", "category"]].values.tolist()[:1]
[['In principle', 'hedge', 'multiword_hedge']]
"""
from __future__ import annotations

import html
import math
from dataclasses import dataclass
from typing import Sequence

import pandas as pd

from ..text import tokenize
from .scorer import Scorer, default_scorer

#: lexicon name -> measure name used in tables and CSS classes
_MEASURE = {"hedges": "hedge", "boosters": "booster", "frames": "frame", "targets": "target"}
_COLUMNS = ["start", "end", "text", "measure", "category", "pattern", "valence"]


def explain(text: str, scorer: Scorer | None = None, sentiment: bool = True) -> pd.DataFrame:
    """Every cue in ``text`` with its character span, measure and category.

    Parameters
    ----------
    text : str
        Any text (a sentence, usually).
    scorer : Scorer, optional
        Custom lexicons; defaults to the packaged ones.
    sentiment : bool
        Also list the words found in the VADER lexicon, with their valence
        (``measure == "sentiment"``).  These are the raw lexicon valences; VADER's
        rules (negation, boosters, "but") then shape the sentence score.

    Returns
    -------
    pandas.DataFrame
        ``start, end, text, measure, category, pattern, valence``, in text order;
        ``text[start:end]`` is the cue as written.
    """
    s = scorer or default_scorer()
    text = "" if text is None else str(text)
    rows = []
    for c in s.cues(text):
        measure = _MEASURE.get(c.lexicon, c.lexicon)
        if c.lexicon == s.hedges.name:
            # weasels are hedges of the vague-attribution category; rounders ("about 40")
            # are found by the hedge lexicon but counted apart (rounder_count)
            measure = "rounder" if c.category in s.rounder_categories else "hedge"
        rows.append((c.start, c.end, c.text, measure, c.category, c.pattern, float("nan")))
    if sentiment:
        lex = s.sentiment.lexicon
        for start, end, tok, low in tokenize(text):
            if low in lex:
                rows.append((start, end, tok, "sentiment", "positive" if lex[low] > 0 else "negative", low, float(lex[low])))
    rows.sort(key=lambda r: (r[0], r[1], r[3]))
    return pd.DataFrame(rows, columns=_COLUMNS)


_STYLE = {
    "hedge": "background:#fde9b0",
    "booster": "background:#c8e6f5",
    "rounder": "border-bottom:1px dotted #b07d00",
    "frame": "border-bottom:2px solid #7b3294",
    "target": "font-weight:bold",
    "sentiment": "",
}


def highlight(text: str, scorer: Scorer | None = None,
              measures: Sequence[str] = ("hedge", "rounder", "booster", "frame", "target")) -> str:
    """HTML of ``text`` with cues marked; the text itself is always HTML-escaped.

    Overlapping cues are merged into one mark listing every label.  Use in a
    notebook with ``IPython.display.HTML(highlight(sentence))``.

    >>> highlight("<b>May</b> it could be.")
    '&lt;b&gt;May&lt;/b&gt; it <mark class="as-hedge" style="background:#fde9b0" title="hedge: epistemic_modal">could</mark> be.'
    """
    text = "" if text is None else str(text)
    cues = explain(text, scorer, sentiment="sentiment" in measures)
    cues = cues[cues["measure"].isin(measures)]
    # non-overlapping spans: merge overlaps, keep their labels
    spans: list[list] = []
    for r in cues.itertuples(index=False):
        label = f"{r.measure}: {r.category}"
        if spans and r.start < spans[-1][1]:
            spans[-1][1] = max(spans[-1][1], r.end)
            spans[-1][2].append(label)
            spans[-1][3].append(r.measure)
        else:
            spans.append([r.start, r.end, [label], [r.measure]])
    out, pos = [], 0
    for start, end, labels, ms in spans:
        out.append(html.escape(text[pos:start]))
        m = ms[0]
        title = html.escape("; ".join(dict.fromkeys(labels)), quote=True)
        out.append(f'<mark class="as-{m}" style="{_STYLE.get(m, "")}" title="{title}">{html.escape(text[start:end])}</mark>')
        pos = end
    out.append(html.escape(text[pos:]))
    return "".join(out)


@dataclass(frozen=True)
class HedgeDecision:
    """Why a sentence is ``hedged`` or not (:func:`explain_hedged`).

    Attributes
    ----------
    hedged : bool
        The ``hedged`` column's value.
    hedged_lexicon : bool
        At least one hedge cue (the ``hedged_lexicon`` column).
    rule_cues : tuple of str
        Cues of the model's ``always_hedged`` categories: any one makes the sentence hedged.
    probability : float or None
        The model's probability (None without a model: then ``hedged`` is the lexicon decision).
    threshold : float or None
        The probability at or above which the model calls a sentence hedged.
    contributions : pandas.DataFrame
        ``feature, value, weight, contribution`` of the features that moved the model's score
        most (contribution = weight x value, divided by the features' norm when the model
        scales rows), largest absolute contribution first.
    """

    hedged: bool
    hedged_lexicon: bool
    rule_cues: tuple
    probability: float | None
    threshold: float | None
    contributions: pd.DataFrame


def explain_hedged(text: str, scorer: Scorer | None = None, top: int = 8) -> HedgeDecision:
    """The reasons behind one sentence's ``hedged`` value: the rule's cues, the model's probability
    and the features that weighed most.

    Parameters
    ----------
    text : str
        One sentence.
    scorer : Scorer, optional
        Custom lexicons or model; defaults to the packaged ones.
    top : int
        How many features to list in ``contributions``.

    Returns
    -------
    HedgeDecision

    Example
    -------
    >>> d = explain_hedged("Officials said on Monday that the minister might resign before the summit.")
    >>> d.hedged, d.rule_cues
    (True, ('might',))
    >>> d = explain_hedged("The ministry said it was largely satisfied with the outcome of the talks on Monday.")
    >>> d.hedged, d.hedged_lexicon, d.rule_cues, d.probability < d.threshold
    (False, True, (), True)
    >>> d.contributions.columns.tolist()
    ['feature', 'value', 'weight', 'contribution']
    """
    from .hedging import features

    s = scorer or default_scorer()
    text = "" if text is None else str(text)
    toks = tokenize(text)
    hedges, boosters = s.hedges.find(text, toks), s.boosters.find(text, toks)
    counted = [c for c in hedges if c.category not in s.rounder_categories]
    model = s.hedge_model
    cols = ["feature", "value", "weight", "contribution"]
    if model is None:
        return HedgeDecision(bool(counted), bool(counted), (), None, None, pd.DataFrame(columns=cols))
    f = features([t[3] for t in toks], hedges, boosters, s.rounder_categories, s.weasel_categories)
    norm = math.hypot(*f.values()) if model.normalize and f else 1.0
    rows = [(k, v, model.weights[k], model.weights[k] * v / (norm or 1.0)) for k, v in f.items() if k in model.weights]
    rows.sort(key=lambda r: (-abs(r[3]), r[0]))
    rule = tuple(c.text for c in counted if c.category in model.always)
    hedged = bool(rule) or model.margin(f) >= model.cut
    return HedgeDecision(hedged, bool(counted), rule, model.probability(f), model.threshold,
                         pd.DataFrame(rows[:top], columns=cols))
