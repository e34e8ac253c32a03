"""Figures for the framing comparison: one style, tidy tables in, a Figure out.

Layer: above :mod:`alliance_study.compare`; it may import ``compare`` (public names),
``metrics.registry`` (labels and units) and the bottom layer, never ``scale``,
``report`` or ``cli``.

Every function takes the tidy tables of :mod:`alliance_study.compare` (or the
sentence / article tables), builds a :class:`matplotlib.figure.Figure` without
touching pyplot's global state, and returns it; :func:`save` writes PNG and SVG
that are byte-identical from one run to the next (no dates, fixed SVG hash salt,
fixed dpi, Agg renderer).

Style: the Okabe & Ito (2008) colour-blind-safe palette ("Color Universal Design",
https://jfly.uni-koeln.de/color/), the perceptually uniform, colour-blind-friendly
*cividis* map for heatmaps (Nuñez, Anderton & Renslow 2018, PLOS ONE 13(7)),
labelled axes with units, and the number of articles / sentences / quotes printed
on every figure.  Titles and units of measures come from the registry of measures
(:func:`alliance_study.metrics.registry.label`) and per-article values from
:func:`alliance_study.compare.article_table`, so a figure never re-derives a measure.

Example
-------
>>> import pandas as pd, tempfile, pathlib
>>> est = pd.DataFrame({"group": ["a", "b"], "metric": "share_hedged", "estimate": [.2, .4],
...                     "ci_low": [.1, .3], "ci_high": [.3, .5], "n_articles": [4, 5],
...                     "n_sentences": [40, 50], "small_n": [False, False]})
>>> fig = plot_estimates(est)
>>> paths = save(fig, pathlib.Path(tempfile.mkdtemp()) / "estimates")
>>> sorted(p.suffix for p in paths)
['.png', '.svg']
"""
from __future__ import annotations

from ._style import DPI, OKABE_ITO, STYLE, SVG_SALT, fingerprint, group_colors, missing_glyphs, rc_items, save, style
from .articles import (MAX_POINTS, parse_partial_date, plot_hedging_vs_sentiment, plot_sentiment_distribution,
                       plot_timeline)
from .groups import KEYNESS_Z, plot_estimates, plot_frame_heatmap, plot_keyness, plot_sourcing, plot_target_hedged

__all__ = ["OKABE_ITO", "STYLE", "style", "group_colors", "save",
           "plot_estimates", "plot_hedging_vs_sentiment", "plot_keyness", "plot_frame_heatmap",
           "plot_sourcing", "plot_target_hedged", "plot_timeline", "parse_partial_date", "plot_sentiment_distribution",
           "MAX_POINTS", "KEYNESS_Z", "DPI", "SVG_SALT", "fingerprint", "rc_items", "missing_glyphs"]

