"""The learned hedging decision: a logistic regression over the lexicon's cues and word n-grams.

The hedge lexicon (``hedges.yaml``) finds the cues that explain every decision
(``hedge_cues``); the lexicon-only decision "at least one hedge cue" is the
``hedged_lexicon`` column.  The ``hedged`` column is the decision of a linear model
trained on the CoNLL-2010 Wikipedia development sentences by
``scripts/train_hedging.py`` (cross-validated, fixed seed) and shipped as data in
``lexicons/hedging_model.json``: feature names, coefficients, intercept, the
probability threshold chosen inside cross-validation, the training figures, the
SHA-256 of the training file, a fingerprint of the lexicons it was trained with
(:func:`lexicon_fingerprint`: their cues and rules, not their comments), and the
scikit-learn version.  Applying it needs no scikit-learn and no pickle: the
coefficients are read with numpy and the decision is
``intercept + sum(coefficient x feature) >= logit(threshold)``.

Features of a sentence (:func:`features`):

* ``cat:<category>`` -- hedge cues per category of the hedge lexicon (rounders included);
* ``cue:<pattern>`` -- 1 for each hedge-lexicon pattern that fires;
* ``bcat:<category>`` -- booster cues per category;
* ``n:hedges``, ``n:weasels``, ``n:rounders``, ``n:boosters``, ``any:hedge`` -- the
  scorer's counts (hedges without rounders, vague attributions ...);
* ``len:log`` and ``len:>=k`` -- sentence length in words;
* ``w:<word>`` and ``b:<word> <word>`` -- lower-cased word unigrams and bigrams
  (``<s>``/``</s>`` mark the ends, numbers become ``<num>``).

Example
-------
>>> from alliance_study.text import tokenize
>>> m = load_hedge_model()
>>> s = "In principle we do not exclude such a possibility."
>>> from alliance_study.metrics import default_scorer
>>> sc = default_scorer()
>>> toks = tokenize(s)
>>> f = features([t[3] for t in toks], sc.hedges.find(s, toks), sc.boosters.find(s, toks),
...              sc.rounder_categories, sc.weasel_categories)
>>> f["any:hedge"], m.decide(f)
(1.0, True)
"""
from __future__ import annotations

import hashlib
import json
import math
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Sequence

import numpy as np

from ..errors import LexiconError
from ..resources import cached, packaged, read_yaml, resolve
from .lexicon import Cue

#: packaged name of the shipped model (``lexicons/hedging_model.json``)
MODEL_NAME = "hedging_model"
#: format version of the model file
FORMAT = 1
#: sentence-length bins (words) of the ``len:>=k`` features
LENGTH_BINS = (5, 10, 15, 20, 25, 30, 40, 50)


def features(words: Sequence[str], hedges: Iterable[Cue], boosters: Iterable[Cue],
             rounder_categories: Iterable[str] = (), weasel_categories: Iterable[str] = ()) -> dict[str, float]:
    """The model's features of one sentence, as ``{name: value}`` (absent = 0).

    Parameters
    ----------
    words : sequence of str
        Lower-cased word tokens (``alliance_study.text.tokenize``'s fourth field).
    hedges : iterable of Cue
        Every hedge-lexicon cue found, rounders included.
    boosters : iterable of Cue
        Every booster cue found.
    rounder_categories, weasel_categories : iterable of str
        The hedge categories counted as rounders and as vague attributions.

    Examples
    --------
    >>> f = features(["about", "40", "ships"], [], [])
    >>> f["b:about <num>"], f["any:hedge"], f["len:>=5"] if "len:>=5" in f else 0
    (1.0, 0.0, 0)
    """
    rounders, weasels = frozenset(rounder_categories), frozenset(weasel_categories)
    f: dict[str, float] = {}
    n_hedges = n_weasels = n_rounders = 0
    for c in hedges:
        key = "cat:" + c.category
        f[key] = f.get(key, 0.0) + 1.0
        f["cue:" + c.pattern] = 1.0
        if c.category in rounders:
            n_rounders += 1
        else:
            n_hedges += 1
            if c.category in weasels:
                n_weasels += 1
    n_boosters = 0
    for c in boosters:
        key = "bcat:" + c.category
        f[key] = f.get(key, 0.0) + 1.0
        n_boosters += 1
    f["n:hedges"] = float(n_hedges)
    f["n:weasels"] = float(n_weasels)
    f["n:rounders"] = float(n_rounders)
    f["n:boosters"] = float(n_boosters)
    f["any:hedge"] = 1.0 if n_hedges else 0.0
    n = len(words)
    f["len:log"] = math.log1p(n)
    for b in LENGTH_BINS:
        if n >= b:
            f[f"len:>={b}"] = 1.0
    prev = "<s>"
    for w in words:
        if w.isdigit():
            w = "<num>"
        f["w:" + w] = 1.0
        f["b:" + prev + " " + w] = 1.0
        prev = w
    f["b:" + prev + " </s>"] = 1.0
    return f


@dataclass(frozen=True)
class HedgeModel:
    """A linear hedging model read from its data file.

    Attributes
    ----------
    weights : dict
        Feature name -> coefficient (features not listed weigh 0).
    intercept : float
    threshold : float
        Probability at or above which a sentence is ``hedged``.
    meta : dict
        Everything else of the file: training figures, hashes, versions.
    path : str
    """

    weights: dict
    intercept: float
    threshold: float
    meta: dict = field(default_factory=dict)
    path: str = ""

    @property
    def cut(self) -> float:
        """The decision threshold on the linear score (the logit of :attr:`threshold`)."""
        return math.log(self.threshold / (1.0 - self.threshold))

    def margin(self, feats: dict) -> float:
        """``intercept + sum(weight x value)`` of one sentence's features (summed in the features' order, so the result is reproducible)."""
        get = self.weights.get
        total = self.intercept
        for k, v in feats.items():
            c = get(k)
            if c is not None:
                total += c * v
        return total

    def probability(self, feats: dict) -> float:
        """The model's probability that the sentence is hedged."""
        return 1.0 / (1.0 + math.exp(-self.margin(feats)))

    def decide(self, feats: dict) -> bool:
        """``True`` when the sentence is hedged (probability >= :attr:`threshold`)."""
        return self.margin(feats) >= self.cut

    def margins(self, feats: Sequence[dict]) -> np.ndarray:
        """:meth:`margin` of many sentences, as a float array."""
        return np.array([self.margin(f) for f in feats], dtype=float)


def _parse(path: Path) -> HedgeModel:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as e:
        raise LexiconError(f"{path}: not a readable hedging model ({e}). "
                           "Fix: regenerate it with scripts/train_hedging.py.") from None
    need = {"format", "features", "coefficients", "intercept", "threshold"}
    missing = need - set(data) if isinstance(data, dict) else need
    if missing:
        raise LexiconError(f"{path}: hedging model lacks key(s) {sorted(missing)}. "
                           "Fix: regenerate it with scripts/train_hedging.py.")
    if data["format"] != FORMAT:
        raise LexiconError(f"{path}: hedging model format {data['format']!r}, this version reads {FORMAT}. "
                           "Fix: regenerate it with scripts/train_hedging.py.")
    names = list(data["features"])
    coef = np.asarray(data["coefficients"], dtype=np.float64)
    if coef.shape != (len(names),):
        raise LexiconError(f"{path}: {len(names)} features but {coef.size} coefficients. "
                           "Fix: regenerate it with scripts/train_hedging.py.")
    threshold = float(data["threshold"])
    if not 0.0 < threshold < 1.0:
        raise LexiconError(f"{path}: threshold {threshold} is not a probability strictly between 0 and 1. "
                           "Fix: regenerate it with scripts/train_hedging.py.")
    meta = {k: v for k, v in data.items() if k not in need}
    return HedgeModel(dict(zip(names, coef.tolist())), float(data["intercept"]), threshold, meta, str(path))


def load_hedge_model(name_or_path=MODEL_NAME) -> HedgeModel:
    """Read a hedging model file (packaged name or path), cached until the file changes.

    >>> m = load_hedge_model()
    >>> m.meta["training"]["cv"]["f1"] > m.meta["training"]["lexicon_only"]["f1"]
    True
    """
    return cached(_parse, resolve(name_or_path, suffix=".json", what="hedging model"))


#: the parts of a lexicon file that decide its matches (comments, descriptions of the file and sources do not)
_MATCHING_KEYS = ("categories", "weasel_categories", "rounder_categories")


def lexicon_fingerprint(path) -> str:
    """SHA-256 of what a lexicon file matches: its parsed ``categories`` (and weasel/rounder lists).

    Editing a comment, the file's description or its sources leaves it unchanged;
    adding, removing or changing a cue or rule changes it.

    >>> len(lexicon_fingerprint(packaged("hedges.yaml")))
    64
    """
    data = read_yaml(path, what="lexicon")
    part = {k: data.get(k) for k in _MATCHING_KEYS if isinstance(data, dict) and k in data}
    return hashlib.sha256(json.dumps(part, sort_keys=True, ensure_ascii=False, default=str).encode()).hexdigest()


def lexicon_hashes(hedges_path, boosters_path) -> dict:
    """:func:`lexicon_fingerprint` of the hedge and booster lexicons, as recorded in a model file."""
    return {"hedges": lexicon_fingerprint(hedges_path), "boosters": lexicon_fingerprint(boosters_path)}


def model_for(hedges, boosters, hedge_model="auto") -> HedgeModel | None:
    """The model a :class:`~alliance_study.metrics.Scorer` applies, or None (lexicon decision).

    ``"auto"``: the packaged model when the hedge and booster lexicons match
    the ones it was trained with (same :func:`lexicon_fingerprint`), otherwise None -- a study with its
    own hedge lexicon gets the lexicon decision, since the model's weights belong
    to the packaged cues (a warning says so when the packaged lexicons themselves
    changed: retrain).  ``None``: the lexicon decision.  A name or path: that
    model, applied whatever the lexicons.
    """
    if hedge_model is None:
        return None
    if hedge_model != "auto":
        return load_hedge_model(hedge_model)
    model = load_hedge_model(MODEL_NAME)
    trained = model.meta.get("lexicons", {})
    hp = resolve(hedges, suffix=".yaml", what="lexicon")
    bp = resolve(boosters, suffix=".yaml", what="lexicon")
    if lexicon_hashes(hp, bp) == trained:
        return model
    if hp == packaged("hedges.yaml") and bp == packaged("boosters.yaml"):
        warnings.warn(f"{model.path}: trained on other versions of hedges.yaml/boosters.yaml; 'hedged' falls "
                      "back to the lexicon decision. Fix: run scripts/train_hedging.py to retrain the model.",
                      stacklevel=3)
    return None
