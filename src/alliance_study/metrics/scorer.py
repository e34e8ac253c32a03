"""The scorer: every per-sentence measure of one text, from data-file lexicons.

:class:`Scorer` compiles the lexicons once (hedges, boosters, frames, targets) and
VADER; :func:`score` and :func:`score_sentences` give one row per text with the
columns of :mod:`alliance_study.metrics.registry`.

>>> score(["Time will tell."])["hedged"].tolist()
[True]
"""
from __future__ import annotations

from collections import abc
from pathlib import Path
from typing import Iterable

import pandas as pd

from ..errors import InputError, LexiconError
from ..text import normalise_phrase, normalised_tokens
from . import registry
from .hedging import model_for
from .hedging_margin import sentence_margin_for
from .lexicon import Cue, CueLexicon, CueSet, Tokens, load_lexicon
from .sentiment import Sentiment

#: default weasel (vague attribution) categories of the hedge lexicon, overridable
#: with ``weasel_categories:`` at the top of the hedge YAML
_DEFAULT_WEASEL = ("vague_attribution",)


def _category_list(meta: dict, key: str, default: tuple, source: object) -> frozenset:
    """The hedge categories listed under ``key`` at the top of the hedge YAML (``default`` when absent).

    A list is required: a single name given as a string would be read letter by letter.

    >>> sorted(_category_list({"weasel_categories": ["vague_attribution"]}, "weasel_categories", (), "h.yaml"))
    ['vague_attribution']
    >>> _category_list({"weasel_categories": "vague_attribution"}, "weasel_categories", (), "h.yaml")
    Traceback (most recent call last):
    alliance_study.errors.LexiconError: h.yaml: weasel_categories must be a list of category names, not \
'vague_attribution'. Fix: write weasel_categories: [vague_attribution] ([] for none).
    """
    if key not in meta:
        return frozenset(default)
    value = meta[key]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        example = f"[{value}]" if isinstance(value, str) else "[category, category]"
        raise LexiconError(f"{source}: {key} must be a list of category names, not {value!r}. Fix: write "
                           f"{key}: {example} ([] for none).")
    return frozenset(value)


class Scorer:
    """Compiled lexicons plus a VADER analyser: build once, score many texts.

    Parameters
    ----------
    hedges, boosters, frames, targets : str or path
        Packaged lexicon names (``"hedges"``, ``"boosters"``, ``"frames"``,
        ``"targets"``) or paths to YAML files in the same format.  Two optional
        top-level keys of the hedge YAML name categories: ``weasel_categories``
        (counted in ``weasel_count``; default ``[vague_attribution]``) and
        ``rounder_categories`` (approximations of a number, Prince et al. 1982,
        counted in ``rounder_count`` and left out of ``hedge_count``/``hedged``;
        default none).
    news_sentiment : bool or path
        Also write ``sentiment_news``, the model-based news tone of
        :mod:`alliance_study.metrics.news_sentiment` (True: the packaged head; a path:
        another head file).  It costs about 6 ms a sentence on one core.
    hedge_model : "auto", None, str or path
        The learned decision behind ``hedged`` (:mod:`alliance_study.metrics.hedging`):
        ``"auto"`` applies the packaged model when the hedge and booster lexicons are
        the ones it was trained with, else the lexicon decision; ``None`` always the
        lexicon decision; a path, that model file.  ``hedged_lexicon`` is always the
        lexicon decision (at least one hedge cue).

    Examples
    --------
    >>> s = Scorer()
    >>> row = s.score_one("Some experts say the strike may be costly.")
    >>> row["hedged"], row["weasel_count"] >= 1, row["frame_economic_consequences"] >= 1
    (True, True, True)

    The packaged targets list is empty, so ``target`` is False until a study names
    its target terms:

    >>> row["target"]
    False
    >>> import pathlib, tempfile
    >>> f = pathlib.Path(tempfile.mkdtemp()) / "targets.yaml"
    >>> _ = f.write_text("name: targets\\ncategories:\\n  strike:\\n    cues: [strike, walkout]\\n")
    >>> Scorer(targets=f).score_one("Some experts say the strike may be costly.")["target"]
    True
    """

    def __init__(self, hedges: str | Path = "hedges", boosters: str | Path = "boosters",
                 frames: str | Path = "frames", targets: str | Path = "targets",
                 hedge_model: str | Path = "auto", news_sentiment: bool | str = False) -> None:
        self.hedges: CueLexicon = load_lexicon(hedges)
        self.boosters: CueLexicon = load_lexicon(boosters)
        self.frames: CueLexicon = load_lexicon(frames)
        self.targets: CueLexicon = load_lexicon(targets)
        self.sentiment = Sentiment()
        self.weasel_categories = _category_list(self.hedges.meta, "weasel_categories", _DEFAULT_WEASEL, hedges)
        self.rounder_categories = _category_list(self.hedges.meta, "rounder_categories", (), hedges)
        named = self.rounder_categories | (self.weasel_categories if "weasel_categories" in self.hedges.meta else frozenset())
        unknown = named - set(self.hedges.categories)
        if unknown:
            raise LexiconError(f"{hedges}: weasel_categories/rounder_categories name categories the lexicon "
                               f"does not have: {sorted(unknown)}; known: {self.hedges.categories}. Fix: list only "
                               f"categories of the file's categories: mapping.")
        self.hedge_model = model_for(hedges, boosters, hedge_model)
        self.frame_names = list(self.frames.categories)
        #: frame name -> label shown in reports; the target's name (``label:`` of the targets file)
        self.frame_labels = dict(self.frames.labels)
        self.target_label = str(self.targets.meta.get("label") or "the target")
        #: the model-based news tone (:mod:`alliance_study.metrics.news_sentiment`), or None
        self.news_sentiment = None
        if news_sentiment:
            from .news_sentiment import NewsSentiment

            self.news_sentiment = (NewsSentiment() if news_sentiment is True
                                   else NewsSentiment(news_sentiment))
        self.columns = registry.column_names(self.frame_names, news_sentiment=self.news_sentiment is not None)

    def cues(self, text: str) -> list[Cue]:
        """Every hedge, booster, frame and target cue in ``text``, in text order."""
        doc = Tokens(text)
        found = []
        for lex in (self.hedges, self.boosters, self.frames, self.targets):
            found.extend(lex.match(doc))
        return sorted(found, key=lambda c: (c.start, c.end, c.lexicon))

    def hedge_cues(self, text: str, tokens: list | None = None) -> list[Cue]:
        """The hedge cues behind ``hedge_count`` and ``hedged``: rounders left out.

        >>> [c.text for c in Scorer().hedge_cues("Some experts say about 40 ships may have sailed.")]
        ['Some experts', 'may']
        """
        return self._without_rounders(self.hedges.find(text, tokens))

    def _without_rounders(self, found: list[Cue]) -> list[Cue]:
        if found and self.rounder_categories:
            return [c for c in found if c.category not in self.rounder_categories]
        return found

    def score_one(self, text: str) -> dict:
        """All metric columns for one text (``None``/NaN count as empty text)."""
        return {c: v[0] for c, v in self.score_columns([text]).items()}

    def score_columns(self, texts: Iterable) -> dict[str, list]:
        """The metric columns for many texts, as ``{column: list}`` in :attr:`columns` order.

        Same values as :meth:`score_one` for each text, built column-wise (no dict
        per row, no DataFrame): the fast path behind :meth:`score` and
        :func:`alliance_study.scale.score_file`.  Each text is tokenised once (the
        lower-case words shared by the four lexicons and the hedging model); VADER
        splits it its own way.  Counts, cues and flags start as zeros, empty strings
        and False, and are set only for the texts where a cue is found.
        """
        texts = [t if isinstance(t, str) else as_text(t) for t in texts]
        n = len(texts)
        cols: dict[str, list] = {}
        # VADER: one tuple per text, turned into four columns at C speed
        vader = list(map(self.sentiment.scores, texts))
        cols["n_words"] = n_words = [0] * n
        comp, pos, neu, neg = (list(c) for c in zip(*vader)) if n else ([], [], [], [])
        cols.update(sentiment_compound=comp, sentiment_pos=pos, sentiment_neu=neu, sentiment_neg=neg)
        cols["hedge_count"] = hcount = [0] * n
        cols["hedged"] = hedged = [False] * n
        cols["hedged_lexicon"] = hedged_lex = [False] * n
        cols["hedge_cues"] = hcues = [""] * n
        cols["booster_count"] = bcount = [0] * n
        cols["booster_cues"] = bcues = [""] * n
        cols["weasel_count"] = wcount = [0] * n
        cols["rounder_count"] = rcount = [0] * n
        frame_col = {}
        for name in self.frame_names:
            cols[f"frame_{name}"] = frame_col[name] = [0] * n
        cols[registry.TARGET] = target = [False] * n
        model, rounders, weasel = self.hedge_model, self.rounder_categories, self.weasel_categories
        decide = sentence_margin_for(model).decide if model is not None else None
        match = self._cue_set().match
        for k, text in enumerate(texts):
            words = normalised_tokens(text)
            n_words[k] = len(words)
            found, boosters, frames, targets = match(Tokens(text, words))
            if decide is not None:
                hedged[k] = decide(words, found, boosters, rounders, weasel)
            if found:
                hedges = [c for c in found if c.category not in rounders] if rounders else found
                if len(hedges) != len(found):
                    rcount[k] = len(found) - len(hedges)
                if hedges:
                    hcount[k] = len(hedges)
                    hedged_lex[k] = True
                    if decide is None:
                        hedged[k] = True
                    hcues[k] = ";".join([normalise_phrase(c.text) for c in hedges])
                    wcount[k] = sum(1 for c in hedges if c.category in weasel)
            if boosters:
                bcount[k] = len(boosters)
                bcues[k] = ";".join([normalise_phrase(c.text) for c in boosters])
            for c in frames:
                frame_col[c.category][k] += 1
            if targets:
                target[k] = True
        if self.news_sentiment is not None:
            cols[registry.NEWS_SENTIMENT_COLUMN.name] = self.news_sentiment.score(texts).tolist()
        return {c: cols[c] for c in self.columns}

    def _cue_set(self) -> CueSet:
        """The four lexicons matched in one pass (rebuilt if one was replaced)."""
        lexicons = (self.hedges, self.boosters, self.frames, self.targets)
        cs = getattr(self, "_cues", None)
        if cs is None or cs.lexicons != lexicons:
            cs = self._cues = CueSet(lexicons)
        return cs

    def score(self, texts: Iterable | str) -> pd.DataFrame:
        """One row per text, columns :attr:`columns`, index kept from a Series input (one text: one row)."""
        texts = _texts(texts)
        index = texts.index if isinstance(texts, pd.Series) else None
        cols = self.score_columns(texts)
        dtypes = registry.dtypes(self.columns)
        df = pd.DataFrame({c: pd.Series(v, dtype=dtypes[c]) for c, v in cols.items()}, columns=self.columns)
        if index is not None:
            df.index = index
        return df


_DEFAULT: Scorer | None = None


def default_scorer() -> Scorer:
    """The process-wide :class:`Scorer` with packaged lexicons (built on first use)."""
    global _DEFAULT
    if _DEFAULT is None:
        _DEFAULT = Scorer()
    return _DEFAULT


def _texts(texts):
    """``texts`` as an iterable of texts: one string is one text; a table is refused (which column?)."""
    if isinstance(texts, str):
        return [texts]
    if isinstance(texts, pd.DataFrame):
        raise InputError(f"score() takes texts, not a table (columns {', '.join(map(str, texts.columns[:8]))}): it "
                         f"would score the column names. Fix: pass the text column, e.g. score(df['text']), or "
                         f"use score_sentences(df) to add the metric columns to the table.")
    if not isinstance(texts, abc.Iterable):
        raise InputError(f"score() takes a text or an iterable of texts, not {type(texts).__name__}. "
                         f"Fix: pass a string, a list of strings or a pandas Series.")
    return texts


def score(texts: Iterable | str, scorer: Scorer | None = None) -> pd.DataFrame:
    """Score texts: one row per text with sentiment, hedging, boosters, target and frames.

    Parameters
    ----------
    texts : str, iterable of str or pandas.Series
        The texts (one string: one text). ``None``/NaN are scored as empty text. A Series
        keeps its index. A DataFrame is refused: pass its text column.
    scorer : Scorer, optional
        Custom lexicons; defaults to the packaged ones.

    Returns
    -------
    pandas.DataFrame
        Columns ``n_words``, ``sentiment_compound|pos|neu|neg`` (VADER, identical to
        vaderSentiment 3.3.2), ``hedge_count``, ``hedged`` (the hedging model's decision),
        ``hedged_lexicon`` (at least one hedge cue), ``hedge_cues``,
        ``booster_count``, ``booster_cues``, ``weasel_count``, ``rounder_count``
        (approximations of a number such as "about 40", counted apart from hedges),
        ``frame_<name>`` for each frame, ``target`` (the sentence mentions the study's target).
        :mod:`alliance_study.metrics.registry` describes each column.

    Examples
    --------
    >>> score(["It could be a possible deal."]).loc[0, "hedge_cues"]
    'could;possible'
    >>> len(score("Time will tell."))
    1
    """
    return (scorer or default_scorer()).score(texts)


def score_sentences(sentences: pd.DataFrame, scorer: Scorer | None = None, text_column: str = "text") -> pd.DataFrame:
    """Attach the metric columns to a sentence table (e.g. ``Corpus.sentences``).

    Returns a new DataFrame: the input columns followed by the metric columns.  Input
    columns named like a metric column (from an earlier scoring) are replaced by the new values.

    >>> t = score_sentences(pd.DataFrame({"text": ["It may rain.", "It rains."]}))
    >>> t[["text", "hedged_lexicon"]].values.tolist()
    [['It may rain.', True], ['It rains.', False]]
    """
    if not isinstance(sentences, pd.DataFrame):
        raise InputError(f"score_sentences() takes a sentence table (a DataFrame), not {type(sentences).__name__}. "
                         f"Fix: pass a table with a {text_column!r} column, or use score() for plain texts.")
    if text_column not in sentences.columns:
        raise InputError(f"the sentence table has no {text_column!r} column (it has "
                         f"{', '.join(map(str, sentences.columns[:12]))}). Fix: pass text_column= the column "
                         f"that holds the sentences.")
    scored = score(sentences[text_column].reset_index(drop=True), scorer)
    scored.index = sentences.index
    clash = [c for c in scored.columns if c in sentences.columns and c != text_column]
    base = sentences.drop(columns=clash)
    return pd.concat([base, scored], axis=1)


def as_text(value) -> str:
    """A cell as the text :meth:`Scorer.score_columns` scores: a missing value (None, NaN, pd.NA) is empty text.

    >>> as_text(None), as_text(float("nan")), as_text(pd.NA), as_text(7), as_text("Hi")
    ('', '', '', '7', 'Hi')
    """
    if isinstance(value, str):
        return value
    return "" if value is None or value is pd.NA or (isinstance(value, float) and value != value) else str(value)
