"""The registry of measures: each measure is declared here once.

Two kinds of entries:

* :class:`Column` -- a per-sentence column the scorer writes: its name, dtype,
  what it holds and the lexicon it comes from.
* :class:`Measure` -- what a *group estimate* of a column means: a mean of
  sentences, a share of sentences (or quotes), or cues per 100 words, written as a
  ratio ``sum(numerator) / sum(denominator)`` over the units of a group, with a
  label and unit for figures.  :meth:`Measure.ratio_parts` turns a unit table into
  those two arrays, so the statistics (:mod:`alliance_study.compare`), the figures
  (:mod:`alliance_study.plots`) and the notebooks never re-derive a measure.

Frames are not listed by name: every category of the study's frame lexicon adds
a ``frame_<name>`` column and a ``frame_share_<name>`` measure, so a frame added to
a frames file flows to the tables, the estimates and the figures with no other
edit.  Likewise every speaker type of the quote table adds ``speech_share_<type>``.

This module imports nothing of the package but its errors (it sits in ``metrics`` but is plain data).

Examples
--------
>>> [c.name for c in sentence_columns(["economy"])][-2:]
['frame_economy', 'target']
>>> m = measure("hedges_per_100w")
>>> m.label, m.unit
('Hedges', 'cues per 100 words')
>>> import pandas as pd
>>> num, den = m.ratio_parts(pd.DataFrame({"hedge_count": [1, 0], "n_words": [10, 10]}))
>>> float(num.sum() / den.sum())
5.0
>>> measure("frame_share_economy_trade").label
'Frame: economy trade'
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Mapping, Sequence

import numpy as np
import pandas as pd

from ..errors import InputError

#: the column that marks sentences about the study's target (from the targets lexicon)
TARGET = "target"
#: speaker types, in display order, that every sourcing table lists even when absent
SPEAKER_TYPES = ("official", "expert", "media", "anonymous", "reader", "unknown")
FRAME_PREFIX = "frame_"
FRAME_SHARE_PREFIX = "frame_share_"
SPEECH_SHARE_PREFIX = "speech_share_"


@dataclass(frozen=True)
class Column:
    """A per-sentence column of the scorer's output.

    Attributes
    ----------
    name : str
    dtype : str
        pandas dtype of the column (``int64``, ``float64``, ``bool``, ``object``).
    description : str
    lexicon : str or None
        The lexicon (data file) the column comes from, or None.
    """

    name: str
    dtype: str
    description: str
    lexicon: str | None = None


@dataclass(frozen=True)
class Measure:
    """A group estimand: ``sum(numerator) / sum(denominator)`` over a group's units.

    Attributes
    ----------
    name : str
        Name in the comparison tables (``share_hedged`` ...).
    column : str
        The unit-table column it is computed from.
    kind : {"mean", "share", "rate"}
        ``mean``: the column's value over the units where it is defined;
        ``share``: the share of units where the column is true (or > 0, or equals
        :attr:`equals`); ``rate``: 100 x the column's total over the total of ``n_words``.
    label, unit : str
        Title and axis label (with unit) for figures and tables.
    units : str
        What the denominator counts (``sentences``, ``words``, ``target sentences``, ``quotes``).
    table : {"sentences", "quotes"}
        The unit table it is computed on.
    where : str or None
        A boolean column restricting the units (``target``: sentences about the target).
    equals : str or None
        For shares of a categorical column: the category counted.
    lexicon : str or None
        The lexicon behind the column.
    """

    name: str
    column: str
    kind: str
    label: str
    unit: str
    units: str = "sentences"
    table: str = "sentences"
    where: str | None = None
    equals: str | None = None
    lexicon: str | None = None

    def ratio_parts(self, units: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
        """``(numerator, denominator)`` per unit, as float arrays; the estimate is their sums' ratio.

        Missing values are never counted as zero in a mean: a unit whose value is
        missing is left out of both sums.  A yes/no column (a share's flag such as
        ``hedged``, or :attr:`where`) may hold booleans, the numbers 0/1 or the strings
        ``true``/``false``/``1``/``0`` (any case; blank or missing: no); anything else is
        refused with an :class:`~alliance_study.errors.InputError`, never read as a number.

        >>> m = measure("target_share_hedged")
        >>> num, den = m.ratio_parts(pd.DataFrame({"hedged": ["True", "false", "TRUE"], "target": [1, 1, 0]}))
        >>> num.tolist(), den.tolist()
        ([1.0, 0.0, 0.0], [1.0, 1.0, 0.0])
        """
        n = len(units)
        keep = np.ones(n, dtype=bool)
        if self.where is not None:
            keep = _as_bool(units[self.where], self)
        col = units[self.column]
        if self.kind == "mean":
            x = pd.to_numeric(col, errors="coerce").to_numpy(dtype=float)
            valid = keep & ~np.isnan(x)
            return np.where(valid, x, 0.0), valid.astype(float)
        if self.kind == "share":
            if self.equals is not None:
                hit = col.fillna("unknown").astype(str).str.strip().str.lower().eq(self.equals).to_numpy()
            elif not pd.api.types.is_numeric_dtype(col) or pd.api.types.is_bool_dtype(col):
                hit = _as_bool(col, self)
            else:
                hit = pd.to_numeric(col, errors="coerce").fillna(0).to_numpy(dtype=float) > 0
            return (hit & keep).astype(float), keep.astype(float)
        if self.kind == "rate":
            x = pd.to_numeric(col, errors="coerce").fillna(0).to_numpy(dtype=float)
            words = pd.to_numeric(units["n_words"], errors="coerce").fillna(0).to_numpy(dtype=float)
            return np.where(keep, 100.0 * x, 0.0), np.where(keep, words, 0.0)
        raise ValueError(f"measure {self.name}: unknown kind {self.kind!r}")

    @property
    def needs(self) -> tuple[str, ...]:
        """The unit-table columns :meth:`ratio_parts` reads."""
        cols = [self.column] + ([self.where] if self.where else []) + (["n_words"] if self.kind == "rate" else [])
        return tuple(dict.fromkeys(cols))


_TRUE, _FALSE = {"true", "1", "1.0"}, {"false", "0", "0.0", ""}


def _as_bool(col: pd.Series, m: Measure) -> np.ndarray:
    """A yes/no column as booleans (missing: False); values that are not yes/no are refused."""
    if pd.api.types.is_bool_dtype(col):
        return col.fillna(False).astype(bool).to_numpy()
    if pd.api.types.is_numeric_dtype(col):
        x = col.to_numpy(dtype=float, na_value=np.nan)
        bad = ~np.isnan(x) & (x != 0) & (x != 1)
        if not bad.any():
            return x == 1
    else:
        text = col.astype("string").str.strip().str.lower()
        yes, no = text.isin(_TRUE).to_numpy(dtype=bool), (text.isin(_FALSE) | text.isna()).to_numpy(dtype=bool)
        bad = ~(yes | no)
        if not bad.any():
            return yes
    examples = list(dict.fromkeys(col[bad].tolist()))[:3]
    raise InputError(f"column {col.name!r} (read by the measure {m.name}) must hold yes/no values, but holds "
                     f"{examples!r} in {int(bad.sum())} row(s) (dtype {col.dtype}). Fix: store it as True/False "
                     "(or 1/0, or the text true/false), as alliance_study.score_sentences writes it.")


_SHARE = "share of sentences, 0-1"
_PER_100W = "cues per 100 words"
_VADER = "VADER compound, -1 to 1"

#: per-sentence columns before the frames, in output order
_HEAD_COLUMNS = (
    Column("n_words", "int64", "word tokens in the sentence (alliance_study.text.tokenize)"),
    Column("sentiment_compound", "float64", "VADER compound score, -1 to 1 (vaderSentiment 3.3.2)", "vader"),
    Column("sentiment_pos", "float64", "VADER share of positive text", "vader"),
    Column("sentiment_neu", "float64", "VADER share of neutral text", "vader"),
    Column("sentiment_neg", "float64", "VADER share of negative text", "vader"),
    Column("hedge_count", "int64", "hedge cues (rounders left out)", "hedges"),
    Column("hedged", "bool", "the sentence is hedged: the learned decision over the hedge cues and words "
           "(alliance_study.metrics.hedging; the lexicon decision when no model applies)", "hedges"),
    Column("hedged_lexicon", "bool", "the sentence has at least one hedge cue (the lexicon-only decision)",
           "hedges"),
    Column("hedge_cues", "object",
           "the hedge cues found, ';'-separated, lower case (straight apostrophes, single spaces)", "hedges"),
    Column("booster_count", "int64", "booster cues", "boosters"),
    Column("booster_cues", "object",
           "the booster cues found, ';'-separated, lower case (straight apostrophes, single spaces)", "boosters"),
    Column("weasel_count", "int64", "vague-attribution hedges ('some experts', 'it is said')", "hedges"),
    Column("rounder_count", "int64", "approximations of a number ('about 40'), not counted as hedges", "hedges"),
)
_TAIL_COLUMNS = (
    Column(TARGET, "bool", "the sentence mentions the study's target (any cue of the targets lexicon)", "targets"),
)

#: sentence measures before the frames, in table order
_HEAD_MEASURES = (
    Measure("mean_sentiment", "sentiment_compound", "mean", "Mean sentiment", _VADER, lexicon="vader"),
    Measure("share_hedged", "hedged", "share", "Hedged sentences", _SHARE, lexicon="hedges"),
    Measure("hedges_per_100w", "hedge_count", "rate", "Hedges", _PER_100W, units="words", lexicon="hedges"),
    Measure("boosters_per_100w", "booster_count", "rate", "Boosters", _PER_100W, units="words", lexicon="boosters"),
    Measure("weasels_per_100w", "weasel_count", "rate", "Vague attributions", _PER_100W, units="words",
            lexicon="hedges"),
    Measure("target_share_hedged", "hedged", "share", "Hedged target sentences",
            "share of target sentences, 0-1", units="target sentences", where=TARGET, lexicon="hedges"),
    Measure("target_mean_sentiment", "sentiment_compound", "mean", "Mean sentiment, target sentences", _VADER,
            units="target sentences", where=TARGET, lexicon="vader"),
)

#: optional column and measure, written only when asked for (alliance_study.metrics.news_sentiment):
#: known to dtypes() and measure(), not part of the default lists
NEWS_SENTIMENT_COLUMN = Column(
    "sentiment_news", "float64", "news tone, -1 to 1 (0 = rated neutral): all-MiniLM-L6-v2 embedding + VADER "
    "scores, ridge head trained on NYT editorial and EmoBank news ratings; NaN for a blank sentence",
    "news_sentiment_head")
NEWS_SENTIMENT_MEASURE = Measure("mean_sentiment_news", "sentiment_news", "mean", "Mean news tone",
                                 "news tone, -1 to 1", lexicon="news_sentiment_head")


def sentence_columns(frame_names: Sequence[str], news_sentiment: bool = False) -> list[Column]:
    """The per-sentence columns the scorer returns, in order, for the given frame names.

    With ``news_sentiment`` the model-based news tone follows VADER's four columns.
    """
    frames = [Column(f"{FRAME_PREFIX}{n}", "int64", f"cues of the frame {n!r}", "frames") for n in frame_names]
    head = list(_HEAD_COLUMNS)
    if news_sentiment:
        head.insert(5, NEWS_SENTIMENT_COLUMN)
    return head + frames + list(_TAIL_COLUMNS)


def column_names(frame_names: Sequence[str], news_sentiment: bool = False) -> list[str]:
    """Names of :func:`sentence_columns`.

    >>> column_names(["a"])[:2], column_names(["a"])[-2:]
    (['n_words', 'sentiment_compound'], ['frame_a', 'target'])
    >>> column_names([], news_sentiment=True)[4:6]
    ['sentiment_neg', 'sentiment_news']
    """
    return [c.name for c in sentence_columns(frame_names, news_sentiment)]


def dtypes(columns: Iterable[str]) -> dict[str, str]:
    """The registry's dtype of each named column (frames by their prefix).

    >>> dtypes(["hedged", "frame_x", "sentiment_pos"])
    {'hedged': 'bool', 'frame_x': 'int64', 'sentiment_pos': 'float64'}
    """
    known = {c.name: c.dtype for c in _HEAD_COLUMNS + _TAIL_COLUMNS + (NEWS_SENTIMENT_COLUMN,)}
    out = {}
    for c in columns:
        if c in known:
            out[c] = known[c]
        elif c.startswith(FRAME_PREFIX):
            out[c] = "int64"
        else:
            raise KeyError(f"{c!r} is not a measure column of the registry")
    return out


def frame_names_of(columns: Iterable[str]) -> list[str]:
    """Frame names from the ``frame_<name>`` columns of a scored table, in column order.

    >>> frame_names_of(["text", "frame_b", "frame_a", "target"])
    ['b', 'a']
    """
    return [c[len(FRAME_PREFIX):] for c in columns
            if c.startswith(FRAME_PREFIX) and not c.startswith(FRAME_SHARE_PREFIX)]


def frame_measure(name: str, label: str | None = None) -> Measure:
    """The ``frame_share_<name>`` measure of one frame."""
    return Measure(f"{FRAME_SHARE_PREFIX}{name}", f"{FRAME_PREFIX}{name}", "share",
                   f"Frame: {label or name.replace('_', ' ')}", "share of sentences with a cue, 0-1",
                   lexicon="frames")


def speech_measure(speaker_type: str) -> Measure:
    """The ``speech_share_<type>`` measure: the share of a group's quotes whose speaker is of that type."""
    t = str(speaker_type).strip().lower()
    return Measure(f"{SPEECH_SHARE_PREFIX}{t}", "speaker_type", "share",
                   f"Quotes: {t.replace('_', ' ')} speakers", "share of quotes, 0-1", units="quotes",
                   table="quotes", equals=t, lexicon="actors")


def sentence_measures(frame_names: Sequence[str], frame_labels: Mapping[str, str] | None = None,
                      news_sentiment: bool = False) -> list[Measure]:
    """The sentence-table measures, in table order: the fixed ones, then one per frame.

    With ``news_sentiment`` the mean news tone follows the mean VADER sentiment.
    """
    labels = frame_labels or {}
    head = list(_HEAD_MEASURES)
    if news_sentiment:
        head.insert(1, NEWS_SENTIMENT_MEASURE)
    return head + [frame_measure(n, labels.get(n)) for n in frame_names]


def quote_measures(speaker_types: Iterable[str] = ()) -> list[Measure]:
    """One ``speech_share_<type>`` measure per speaker type: the standard ones, then any other, sorted."""
    extra = sorted({str(t).strip().lower() for t in speaker_types} - set(SPEAKER_TYPES))
    return [speech_measure(t) for t in list(SPEAKER_TYPES) + extra]


def measure(name: str, frame_labels: Mapping[str, str] | None = None) -> Measure:
    """The measure called ``name`` (frames and speaker types by their prefix).

    Raises KeyError for a name the registry does not know.
    """
    for m in _HEAD_MEASURES + (NEWS_SENTIMENT_MEASURE,):
        if m.name == name:
            return m
    if name.startswith(FRAME_SHARE_PREFIX):
        frame = name[len(FRAME_SHARE_PREFIX):]
        return frame_measure(frame, (frame_labels or {}).get(frame))
    if name.startswith(SPEECH_SHARE_PREFIX):
        return speech_measure(name[len(SPEECH_SHARE_PREFIX):])
    raise KeyError(f"{name!r} is not a measure of the registry")


def label(name: str, frame_labels: Mapping[str, str] | None = None) -> tuple[str, str]:
    """``(title, axis label with unit)`` of a measure; a name the registry lacks gets a plain label.

    >>> label("share_hedged")
    ('Hedged sentences', 'share of sentences, 0-1')
    >>> label("something_else")
    ('something else', 'value')
    """
    try:
        m = measure(name, frame_labels)
    except KeyError:
        return name.replace("_", " "), "value"
    return m.label, m.unit

