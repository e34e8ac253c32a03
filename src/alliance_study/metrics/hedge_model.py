"""The hedging model file: :class:`HedgeModel`, reading it (:func:`load_hedge_model`) and
choosing the model a scorer applies (:func:`model_for`, by the lexicons' fingerprints).

The features it weighs and why the model exists: :mod:`alliance_study.metrics.hedging`
(which re-exports these names).

Example
-------
>>> m = load_hedge_model()
>>> m.normalize, 0.0 < m.threshold < 1.0
(True, True)
"""
from __future__ import annotations

import hashlib
import json
import math
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Sequence

import numpy as np

from ..errors import LexiconError
from ..resources import cached, packaged, read_yaml, resolve

#: packaged name of the shipped model (``lexicons/hedging_model.json``)
MODEL_NAME = "hedging_model"
#: format version of the model file
FORMAT = 3
#: formats this version reads (format 1 files have no ``re:`` weights and no ``normalize``, format 2 no
#: ``always_hedged``: same decisions)
READS = (1, 2, 3)


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
    normalize : bool
        Whether the weighted sum is divided by the Euclidean norm of the feature
        vector (the model was trained on unit-length rows).
    always : tuple of str
        Hedge categories whose cue makes a sentence hedged whatever the margin
        (the file's ``always_hedged``).
    """

    weights: dict
    intercept: float
    threshold: float
    meta: dict = field(default_factory=dict)
    path: str = ""
    normalize: bool = False
    always: tuple = ()

    @property
    def cut(self) -> float:
        """The decision threshold on the linear score (the logit of :attr:`threshold`)."""
        return math.log(self.threshold / (1.0 - self.threshold))

    def margin(self, feats: dict) -> float:
        """``intercept + sum(weight x value)`` of one sentence's features (the sum divided by the values'
        Euclidean norm when :attr:`normalize`; summed in the features' order, so the result is reproducible)."""
        get = self.weights.get
        total = 0.0
        for k, v in feats.items():
            c = get(k)
            if c is not None:
                total += c * v
        if self.normalize:
            norm = math.hypot(*feats.values())
            if norm > 0.0:
                total /= norm
        return self.intercept + total

    def probability(self, feats: dict) -> float:
        """The model's probability that the sentence is hedged."""
        return 1.0 / (1.0 + math.exp(-self.margin(feats)))

    def decide(self, feats: dict) -> bool:
        """``True`` when the sentence is hedged: a cue of an :attr:`always` category, or probability >=
        :attr:`threshold`."""
        if any(feats.get(f"cat:{c}", 0) for c in self.always):
            return True
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
    if data["format"] not in READS:
        raise LexiconError(f"{path}: hedging model format {data['format']!r}, this version reads {list(READS)}. "
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
    normalize = data.get("normalize", False)
    if not isinstance(normalize, bool):
        raise LexiconError(f"{path}: 'normalize' is {normalize!r}, not true or false. "
                           "Fix: regenerate it with scripts/train_hedging.py.")
    always = data.get("always_hedged", [])
    if not isinstance(always, list) or not all(isinstance(c, str) for c in always):
        raise LexiconError(f"{path}: 'always_hedged' is {always!r}, not a list of hedge category names. "
                           "Fix: regenerate it with scripts/train_hedging.py.")
    meta = {k: v for k, v in data.items() if k not in need | {"normalize", "always_hedged"}}
    return HedgeModel(dict(zip(names, coef.tolist())), float(data["intercept"]), threshold, meta, str(path),
                      normalize, tuple(always))


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
