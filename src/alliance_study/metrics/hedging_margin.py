"""The hedging model's margin of one sentence, computed without building its feature names.

:func:`alliance_study.metrics.hedging.features` is the reference definition of the
model's features (it explains a decision): a dict of about fifty freshly built names
per sentence, each looked up in the model's weights.  :class:`SentenceMargin` gives the
same margin, bit for bit, from tables built once per model: unigram and bigram weights
keyed by the words themselves, the count, length and pattern weights in a fixed order.
The weights are added in the order of the features' first occurrence, as
:meth:`HedgeModel.margin <alliance_study.metrics.hedge_model.HedgeModel.margin>` adds them,
and the norm of a unit-length model is taken over the same values in the same order,
so every sum is the same float.  ``tests/test_hedging.py`` checks this on every
Wikipedia development and NYT sentence.

Example
-------
>>> from alliance_study.metrics.hedging import features, load_hedge_model
>>> m = load_hedge_model()
>>> w = "it is widely believed by some critics that 40 ships sank".split()
>>> sentence_margin_for(m).margin(w, [], []) == m.margin(features(w, [], []))
True
"""
from __future__ import annotations

import math
from typing import Iterable, Sequence

from .hedging import _GATE_BITS, _PATTERNS, LENGTH_BINS, HedgeModel, _cue_features
from .lexicon import Cue

_GATE_WORDS = frozenset(_GATE_BITS)
#: a word the model does not know: no unigram weight, no bigram weight after it
_NONE: tuple[float, dict] = (0.0, {})


class SentenceMargin:
    """:meth:`HedgeModel.margin <alliance_study.metrics.hedge_model.HedgeModel.margin>` of
    :func:`~alliance_study.metrics.hedging.features`, from the words and cues of one sentence.

    Parameters
    ----------
    model : HedgeModel

    Examples
    --------
    >>> from alliance_study.metrics.hedging import load_hedge_model
    >>> fast = SentenceMargin(load_hedge_model())
    >>> fast.decide("some critics say it is possibly the best".split(), [], [])
    True
    """

    def __init__(self, model: HedgeModel) -> None:
        self.model = model
        self._intercept, self._normalize, self.cut = model.intercept, model.normalize, model.cut
        self._always = frozenset(model.always)
        vocab: dict = {}                    # word -> (its unigram weight, {next word: bigram weight})
        other: dict = {}
        for name, c in model.weights.items():
            kind, _, rest = name.partition(":")
            if kind == "w":
                vocab[rest] = (c, vocab.get(rest, _NONE)[1])
            elif kind == "b":
                first, _, second = rest.partition(" ")
                uc, succ = vocab.get(first, _NONE)
                if succ is _NONE[1]:
                    vocab[first] = (uc, succ := {})
                succ[second] = c
            else:
                other[name] = c
        get = model.weights.get
        # an absent weight becomes 0.0: adding +-0.0 leaves a sum that started at +0.0 unchanged
        counts = tuple(get(k, 0.0) for k in ("n:hedges", "n:weasels", "n:rounders", "n:boosters", "any:hedge",
                                             "len:log"))
        bins = tuple((b, get(f"len:>={b}", 0.0)) for b in LENGTH_BINS)
        pats = tuple((need, rx, get(key, 0.0)) for key, need, rx in _PATTERNS)
        self._vocab, self._other, self._counts, self._bins, self._pats = vocab, other, counts, bins, pats

    def margin(self, words: Sequence[str], hedges: Iterable[Cue], boosters: Iterable[Cue],
               rounder_categories: Iterable[str] = (), weasel_categories: Iterable[str] = ()) -> float:
        """``model.margin(features(words, hedges, boosters, rounder_categories, weasel_categories))``, bit for bit.

        ``words`` are tokens without spaces (``alliance_study.text.tokenize``'s fourth
        field), as the model's bigram names assume.
        """
        vocab, other, counts, bins, pats = self._vocab, self._other, self._counts, self._bins, self._pats
        # cat:, cue: and bcat: features, in the order features() gives them
        f, n_hedges, n_weasels, n_rounders, n_boosters = _cue_features(hedges, boosters, rounder_categories,
                                                                      weasel_categories)
        total = 0.0
        if f:
            get = other.get
            for k, v in f.items():
                weight = get(k)
                if weight is not None:
                    total += weight * v
        n = len(words)
        any_hedge, log_n = (1.0 if n_hedges else 0.0), math.log1p(n)
        c_hedges, c_weasels, c_rounders, c_boosters, c_any, c_log = counts
        total += c_hedges * n_hedges
        total += c_weasels * n_weasels
        total += c_rounders * n_rounders
        total += c_boosters * n_boosters
        total += c_any * any_hedge
        total += c_log * log_n
        ones = 0                            # the features after len:log are all 1.0
        for b, c in bins:
            if n < b:
                break
            ones += 1
            total += c
        # unigrams and bigrams interleaved, first occurrences only: the order of features()
        ws = ["<num>" if w.isdigit() else w for w in words] if any(map(str.isdigit, words)) else words
        vget = vocab.get
        succ = vget("<s>", _NONE)[1]
        distinct = set(ws)
        if len(distinct) == n:              # no word twice, so no unigram or bigram twice
            for w in ws:
                uc, succ_w = vget(w, _NONE)
                total += uc
                total += succ.get(w, 0.0)
                succ = succ_w
            total += succ.get("</s>", 0.0)
            ones += 2 * n + 1
        else:
            seen: dict = {}                 # word -> the word (or set of words) seen before it
            prev = "<s>"
            n_bigrams = 0
            for w in ws:
                uc, succ_w = vget(w, _NONE)
                before = seen.get(w)
                if before is None:
                    seen[w] = prev
                    total += uc
                    total += succ.get(w, 0.0)
                    n_bigrams += 1
                elif before.__class__ is str:
                    if before != prev:
                        seen[w] = {before, prev}
                        total += succ.get(w, 0.0)
                        n_bigrams += 1
                elif prev not in before:
                    before.add(prev)
                    total += succ.get(w, 0.0)
                    n_bigrams += 1
                succ, prev = succ_w, w
            before = seen.get("</s>")
            if before is None or (prev != before if before.__class__ is str else prev not in before):
                total += succ.get("</s>", 0.0)
                n_bigrams += 1
            ones += len(seen) + n_bigrams
        opened = 0
        for w in _GATE_WORDS & (distinct if ws is words else set(words)):
            opened |= _GATE_BITS[w]
        if opened:
            joined = None
            for need, rx, c in pats:
                if opened & need == need:
                    if rx is not None:
                        if joined is None:
                            joined = " ".join(words)
                        if not rx.search(joined):
                            continue
                    ones += 1
                    total += c
        if self._normalize:
            norm = math.hypot(*f.values(), n_hedges, n_weasels, n_rounders, n_boosters, any_hedge, log_n,
                              *([1.0] * ones))
            if norm > 0.0:
                total /= norm
        return self._intercept + total


    def decide(self, words: Sequence[str], hedges: Iterable[Cue], boosters: Iterable[Cue],
               rounder_categories: Iterable[str] = (), weasel_categories: Iterable[str] = ()) -> bool:
        """``model.decide(features(...))``: True when a cue is of one of the model's ``always`` categories
        or :meth:`margin` reaches the model's cut."""
        always = self._always
        if always:
            hedges = list(hedges)
            for c in hedges:
                if c.category in always:
                    return True
        return self.margin(words, hedges, boosters, rounder_categories, weasel_categories) >= self.cut


_BUILT: dict[int, SentenceMargin] = {}


def sentence_margin_for(model: HedgeModel) -> SentenceMargin:
    """The :class:`SentenceMargin` of a model, built on first use (models are cached by their file).

    >>> from alliance_study.metrics.hedging import load_hedge_model
    >>> m = load_hedge_model()
    >>> sentence_margin_for(m) is sentence_margin_for(m)
    True
    """
    fast = _BUILT.get(id(model))
    if fast is None or fast.model is not model:
        fast = _BUILT[id(model)] = SentenceMargin(model)
    return fast
