"""The learned hedging decision: a logistic regression over the lexicon's cues and word n-grams.

The hedge lexicon (``hedges.yaml``) finds the cues that explain every decision
(``hedge_cues``); the lexicon-only decision "at least one hedge cue" is the
``hedged_lexicon`` column.  The ``hedged`` column is the decision of a linear model
trained on the CoNLL-2010 Wikipedia development sentences by
``scripts/train_hedging.py`` (cross-validated by article, fixed seed) and shipped as data in
``lexicons/hedging_model.json``: feature names, coefficients, intercept, the
probability threshold chosen inside cross-validation, the training figures, the
SHA-256 of the training file, a fingerprint of the lexicons it was trained with
(:func:`~alliance_study.metrics.hedge_model.lexicon_fingerprint`: their cues and rules, not their
comments), and the
scikit-learn version.  Applying it needs no scikit-learn and no pickle: the
coefficients are read with numpy and the decision is
``intercept + sum(coefficient x feature) >= logit(threshold)`` (the sum divided by
the features' Euclidean norm when the file says ``"normalize": true``), or a cue of
one of the file's ``always_hedged`` categories.

``always_hedged`` (format 3) names the hedge categories whose cue makes a sentence
hedged whatever the model says: in the packaged model the marked modals ("might",
"may have", "could well"), the epistemic adverbs ("possibly", "probably",
"reportedly") and not ruling out ("did not rule out", "not necessarily").
Wikipedia's annotators, who wrote the training labels, mark weasel wording more
readily than these; trained alone, the model learned to overrule a single such cue
in a long sentence, so in news text a sentence like "the minister said the
government might raise the fuel tax again before the end of the year" was not
hedged and longer sentences looked less hedged.  The rule takes only cues that
hedge wherever they occur: bare "may" and "could" (also permission and ability:
"Visitors may not bring bags"), "possible", "whether", "likely", "not clear" (also
"not clear of ice") are left to the model, with vague quantifiers and attribution,
epistemic verbs, approximators and sentences without a cue.  The
training script applies the same rule inside cross-validation, so the validation
figures are those of the decision the package makes.

Features of a sentence (:func:`features`):

* ``cat:<category>`` -- hedge cues per category of the hedge lexicon (rounders included);
* ``cue:<pattern>`` -- 1 for each hedge-lexicon pattern that fires;
* ``bcat:<category>`` -- booster cues per category;
* ``n:hedges``, ``n:weasels``, ``n:rounders``, ``n:boosters``, ``any:hedge`` -- the
  scorer's counts (hedges without rounders, vague attributions ...);
* ``len:log`` and ``len:>=k`` -- sentence length in words;
* ``w:<word>`` and ``b:<word> <word>`` -- lower-cased word unigrams and bigrams
  (``<s>``/``</s>`` mark the ends, numbers become ``<num>``);
* ``re:<name>`` -- weasel-wording patterns of Wikipedia's style guide (:data:`PATTERNS`:
  "some critics", "it is believed", passive reporting verbs, "one of the most", puffery ...).

A model file may ask for unit-length rows (``"normalize": true``): the weighted sum
is then divided by the Euclidean norm of the sentence's feature values.  The model file,
:class:`HedgeModel` and the choice of model a scorer applies live in
:mod:`alliance_study.metrics.hedge_model` (re-exported here).

:func:`features` is the reference definition (it explains a decision); the scorer
computes the same margin, bit for bit, without building feature names
(:mod:`alliance_study.metrics.hedging_margin`).

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

import math
import re
from typing import Iterable, Sequence

from .hedge_model import (FORMAT, MODEL_NAME, READS, HedgeModel, lexicon_fingerprint, lexicon_hashes,
                          load_hedge_model, model_for)
from .lexicon import Cue

__all__ = ["features", "PATTERNS", "LENGTH_BINS", "FORMAT", "MODEL_NAME", "READS", "HedgeModel",
           "lexicon_fingerprint", "lexicon_hashes", "load_hedge_model", "model_for"]

#: sentence-length bins (words) of the ``len:>=k`` features
LENGTH_BINS = (5, 10, 15, 20, 25, 30, 40, 50)


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


_REPORTED = _words("believed said thought considered claimed reported rumored rumoured suggested speculated argued "
                   "assumed alleged regarded accepted estimated described seen viewed known credited deemed presumed "
                   "supposed expected purported touted hailed called recognized recognised acknowledged noted held "
                   "felt understood labeled labelled perceived cited praised criticized criticised")
_PEOPLE = _words("people critics experts scholars historians observers commentators analysts fans sources researchers "
                 "scientists authors writers believers users reviewers theorists economists members others musicians "
                 "players sociologists academics linguists skeptics sceptics supporters opponents residents editors "
                 "journalists groups organizations organisations individuals biographers archaeologists citizens "
                 "authorities officials")
_VAGUE = _words("some many most several few other certain numerous various")
_SUPERLATIVE = _words("most best greatest finest leading largest top biggest few earliest oldest premier foremost")
_DESCRIBED = _words("described called considered regarded referred cited credited labeled labelled praised criticized "
                    "criticised compared seen viewed hailed touted named")
_BE = _words("is are was were been be being")


def _alt(words: Sequence[str]) -> str:
    return "(?:" + "|".join(words) + ")"


#: weasel-wording patterns of Wikipedia's style guide (vague attribution, passive reporting, puffery).
#: ``name: (gates, regex)``: ``re:<name>`` is 1 when every gate (a word set) shares a word with the
#: sentence and then, if a regex is given, it matches the sentence's lower-cased words joined by
#: single spaces.  The gates are necessary conditions of the regex, so they only save time.
PATTERNS: dict[str, tuple[tuple[tuple[str, ...], ...], str | None]] = {
    "vague_subject": ((_VAGUE, _PEOPLE), rf"\b{_alt(_VAGUE)} (?:\w+ )?{_alt(_PEOPLE)}\b"),
    "it_is_reported": ((("it",), _REPORTED),
                       rf"\bit (?:is|was|has been|had been|may be|might be|can be|could be) (?:\w+ly )?{_alt(_REPORTED)}\b"),
    "passive_reported": ((_BE, _REPORTED), rf"\b{_alt(_BE)} (?:\w+ly )?{_alt(_REPORTED)}\b"),
    "reported_to_be": ((_REPORTED, ("to",)), rf"\b{_alt(_REPORTED)} (?:by \w+ )?to (?:be|have)\b"),
    "by_vague": ((("by",), _words("some many most others critics several various numerous fans scholars")),
                 r"\bby (?:some|many|most|others|critics|several|various|numerous|fans|scholars)\b"),
    "one_of_the_most": ((("one",), ("of",), ("the",)), rf"\bone of the (?:{'|'.join(_SUPERLATIVE)}|\w+est)\b"),
    "the_most": ((("the",), _words("most best greatest finest largest biggest first only")),
                 r"\bthe (?:most|best|greatest|finest|largest|biggest|first|only)\b"),
    "adverb": ((_words("widely generally commonly often usually sometimes frequently typically arguably reportedly "
                       "allegedly supposedly apparently seemingly purportedly presumably possibly probably perhaps "
                       "likely largely mostly mainly relatively fairly somewhat rather notably particularly "
                       "especially highly extremely very"),), None),
    "puffery": ((_words("famous renowned notable noted acclaimed legendary prominent prestigious popular important "
                        "significant celebrated influential leading major successful iconic great greatest best "
                        "unique remarkable outstanding respected controversial critically"),), None),
    "well_known": ((("well", "world"), ("known", "renowned")), r"\b(?:well known|world renowned)\b"),
    "has_been_described": ((("has", "have", "had"), ("been",), _DESCRIBED),
                           rf"\b(?:has|have|had) been (?:\w+ly )?{_alt(_DESCRIBED)}\b"),
    "claim_noun": ((_words("claim claims belief beliefs rumor rumors rumour rumours speculation theory theories "
                           "allegation allegations legend myth tradition"),), None),
    "seems_to": ((_words("say seems seem appears appear tends tend"),),
                 r"\b(?:some say|it seems|appears? to|seems? to|tends? to)\b"),
    "opinion_verb": ((_words("say says believe believes argue argues claim claims suggest suggests consider considers "
                             "think thinks feel feels maintain maintains contend contends speculate speculates"),), None),
    "according_to": ((("according",), ("to",)), r"\baccording to\b"),
    "vague_quantity": ((_words("some many most several numerous various few number lot lots countless plenty "
                               "majority minority"),),
                       r"\b(?:some|many|most|several|numerous|various|few|a number of|a lot of|lots of|countless|"
                       r"plenty of|majority|minority)\b"),
}


def _compile_patterns(patterns: dict) -> tuple[dict[str, int], tuple]:
    """``(word -> bit mask of the gates it opens, ((feature, mask of all its gates, regex or None), ...))``."""
    word_bits: dict[str, int] = {}
    compiled = []
    bit = 0
    for name, (gates, rx) in patterns.items():
        need = 0
        for gate in gates:
            for w in gate:
                word_bits[w] = word_bits.get(w, 0) | (1 << bit)
            need |= 1 << bit
            bit += 1
        compiled.append(("re:" + name, need, re.compile(rx) if rx else None))
    return word_bits, tuple(compiled)


_GATE_BITS, _PATTERNS = _compile_patterns(PATTERNS)


def _cue_features(hedges: Iterable[Cue], boosters: Iterable[Cue], rounder_categories: Iterable[str],
                  weasel_categories: Iterable[str]) -> tuple[dict[str, float], int, int, int, int]:
    """The ``cat:``, ``cue:`` and ``bcat:`` features in first-occurrence order, and the counts of
    hedges (rounders apart), weasels, rounders and boosters: the start of :func:`features`, shared
    with the fast margin (:mod:`.hedging_margin`), whose float sums follow this order."""
    f: dict[str, float] = {}
    n_hedges = n_weasels = n_rounders = n_boosters = 0
    if hedges:
        rounders, weasels = frozenset(rounder_categories), frozenset(weasel_categories)
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
    for c in boosters:
        key = "bcat:" + c.category
        f[key] = f.get(key, 0.0) + 1.0
        n_boosters += 1
    return f, n_hedges, n_weasels, n_rounders, n_boosters


def features(words: Sequence[str], hedges: Iterable[Cue], boosters: Iterable[Cue],
             rounder_categories: Iterable[str] = (), weasel_categories: Iterable[str] = (),
             patterns: bool = True) -> dict[str, float]:
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
    patterns : bool
        Add the ``re:`` features of :data:`PATTERNS` (the shipped model uses them;
        format-1 model files have no weights for them, so their decisions do not change).

    Examples
    --------
    >>> f = features(["about", "40", "ships"], [], [])
    >>> f["b:about <num>"], f["any:hedge"], f["len:>=5"] if "len:>=5" in f else 0
    (1.0, 0.0, 0)
    >>> sorted(k for k in features("it is widely believed by some critics".split(), [], []) if k[:3] == "re:")
    ['re:adverb', 're:by_vague', 're:it_is_reported', 're:passive_reported', 're:vague_quantity', 're:vague_subject']
    """
    f, n_hedges, n_weasels, n_rounders, n_boosters = _cue_features(hedges, boosters, rounder_categories,
                                                                  weasel_categories)
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
    if patterns:
        bits = _GATE_BITS
        opened = 0
        for w in words:
            opens = bits.get(w)
            if opens is not None:
                opened |= opens
        if opened:
            joined = None
            for key, need, rx in _PATTERNS:
                if opened & need == need:
                    if rx is None:
                        f[key] = 1.0
                    else:
                        if joined is None:
                            joined = " ".join(words)
                        if rx.search(joined):
                            f[key] = 1.0
    return f
