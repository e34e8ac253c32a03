"""Show the words behind every number: cue tables and an escaped HTML highlighter.

>>> from alliance_study import explain
>>> explain("In principle we do not exclude such a possibility.")[["text", "measure", "category"]].values.tolist()[:1]
[['In principle', 'hedge', 'multiword_hedge']]
"""
from __future__ import annotations

import html
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
