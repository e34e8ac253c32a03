"""VADER ``polarity_scores`` without the repeated work, same numbers to the last bit.

vaderSentiment 3.3.2 lower-cases the whole sentence again for every lexicon word
(``_negation_check`` and ``_special_idioms_check`` each rebuild the lower-cased word
list, ``negated`` rebuilds it per call), and rebuilds the text character by character
to replace emojis even when there are none.  :class:`FastVader` keeps the reference
analyser's lexicons and its rules, statement for statement and in the same
floating-point order, but:

* works out each distinct whitespace token once (its SentiText word, and whether
  it can carry a valence: in the lexicon and not a booster);
* scores only the words that can carry a valence (every other word's sentiment is
  the integer 0 in the reference too), and a sentence with none is neutral at once;
* skips the emoji pass for ASCII text (no emoji is ASCII);
* unrolls the look-back over the three preceding words, looks negations up in a
  set, and skips the idiom look-ups when no nearby word starts an idiom;
* computes ``score_valence`` and ``_but_check`` inline, operation for operation.

``tests/test_fastvader_properties.py`` and ``tests/test_scale.py`` check ``FastVader(a).polarity_scores(t) == a.polarity_scores(t)``
on all 23,703 ground-truth sentences and on the reference's own rule examples.

>>> from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer
>>> a = SentimentIntensityAnalyzer()
>>> t = "VADER is not smart, handsome, nor funny."
>>> FastVader(a).polarity_scores(t) == a.polarity_scores(t)
True
"""
from __future__ import annotations

import math
import string
from itertools import compress

from vaderSentiment import vaderSentiment as _v

__all__ = ["FastVader"]

_NEGATE = frozenset(_v.NEGATE)
_BOOSTER = _v.BOOSTER_DICT
_SPECIAL = _v.SPECIAL_CASES
_N_SCALAR = _v.N_SCALAR
_C_INCR = _v.C_INCR
_PUNCT = string.punctuation


#: (compound, pos, neu, neg) of a text with words but no lexicon word, and of a text without words
_NEUTRAL = (0.0, 0.0, 1.0, 0.0)
_EMPTY = (0.0, 0.0, 0.0, 0.0)
_WORD_CACHE_MAX = 200_000
#: first words of the idioms and booster n-grams ``_special_idioms_check`` looks up: each
#: sequence it builds is two or three words joined by single spaces (words have no
#: whitespace), so it can equal a key only if its first word is the key's first word
_IDIOM_FIRSTS = frozenset(k.split(" ")[0] for k in (*_SPECIAL, *(b for b in _BOOSTER if " " in b)))


def _sentitext_word(tok: str) -> str:
    """SentiText's word for a whitespace token: punctuation stripped unless <= 2 characters are left."""
    stripped = tok.strip(_PUNCT)
    return tok if len(stripped) <= 2 else stripped


class _TokenCache(dict):
    """Whitespace token -> ``fn(token)``, worked out once per distinct token (at most ``_WORD_CACHE_MAX`` kept)."""

    __slots__ = ("fn",)

    def __init__(self, fn) -> None:
        super().__init__()
        self.fn = fn

    def __missing__(self, tok: str):
        value = self.fn(tok)
        if len(self) < _WORD_CACHE_MAX:
            self[tok] = value
        return value


def _score_valence(sentiments: list, where: list, text: str) -> tuple:
    """``SentimentIntensityAnalyzer.score_valence`` as ``(compound, pos, neu, neg)``, same operations.

    ``where`` lists the positions that may be non-zero (the others hold the integer 0,
    which adds nothing to a sum and counts as neutral).
    """
    sum_s = float(sum(sentiments))
    # _punctuation_emphasis
    ep_count = text.count("!")
    if ep_count > 4:
        ep_count = 4
    ep_amplifier = ep_count * 0.292
    qm_count = text.count("?")
    qm_amplifier: float = 0  # as in vaderSentiment (an int until a question mark counts)
    if qm_count > 1:
        if qm_count <= 3:
            qm_amplifier = qm_count * 0.18
        else:
            qm_amplifier = 0.96
    punct_emph_amplifier = ep_amplifier + qm_amplifier
    if sum_s > 0:
        sum_s += punct_emph_amplifier
    elif sum_s < 0:
        sum_s -= punct_emph_amplifier
    # normalize(sum_s, alpha=15)
    compound = sum_s / math.sqrt((sum_s * sum_s) + 15)
    if compound < -1.0:
        compound = -1.0
    elif compound > 1.0:
        compound = 1.0
    # _sift_sentiment_scores
    pos_sum = 0.0
    neg_sum = 0.0
    neu_count = len(sentiments) - len(where)
    for i in where:
        sentiment_score = sentiments[i]
        if sentiment_score > 0:
            pos_sum += (float(sentiment_score) + 1)
        if sentiment_score < 0:
            neg_sum += (float(sentiment_score) - 1)
        if sentiment_score == 0:
            neu_count += 1
    if pos_sum > math.fabs(neg_sum):
        pos_sum += punct_emph_amplifier
    elif pos_sum < math.fabs(neg_sum):
        neg_sum -= punct_emph_amplifier
    total = pos_sum + math.fabs(neg_sum) + neu_count
    pos = math.fabs(pos_sum / total)
    neg = math.fabs(neg_sum / total)
    neu = math.fabs(neu_count / total)
    return round(compound, 4), round(pos, 3), round(neu, 3), round(neg, 3)


def _but_check(lows: list, sentiments: list) -> list:
    """``SentimentIntensityAnalyzer._but_check`` given the lower-cased words, same result.

    The reference walks the list while replacing, at the *first* index holding an
    equal value, each sentiment by half (before "but") or one and a half times (after)
    itself; a pop and insert at one index is an assignment there, and a step only
    changes an index at or before its own, so each step reads the original value.
    """
    bi = lows.index("but")
    for p in range(len(sentiments)):
        sentiment = sentiments[p]
        si = sentiments.index(sentiment)
        if si < bi:
            sentiments[si] = sentiment * 0.5
        elif si > bi:
            sentiments[si] = sentiment * 1.5
    return sentiments


class FastVader:
    """Drop-in ``polarity_scores`` for a ``SentimentIntensityAnalyzer`` (uses its lexicons).

    :meth:`scores` gives the same four numbers as a tuple (no dict per text).
    """

    def __init__(self, analyzer):
        self.analyzer = analyzer
        self.lexicon = analyzer.lexicon
        self.emojis = analyzer.emojis
        # words that can get a valence: in the lexicon and not a booster (a booster's sentiment is 0)
        self._valenced = frozenset(w for w in self.lexicon if w not in _BOOSTER)
        self._new_caches()

    def _new_caches(self) -> None:
        # whitespace token -> its SentiText word; whether that word can get a valence
        self._word = _TokenCache(_sentitext_word)
        self._can_score = _TokenCache(lambda tok: _sentitext_word(tok).lower() in self._valenced)

    def __getstate__(self):
        # the caches are not sent to a worker (rebuilt there)
        return {k: v for k, v in self.__dict__.items() if k not in ("_word", "_can_score")}

    def __setstate__(self, state):
        self.__dict__.update(state)
        self._new_caches()

    def polarity_scores(self, text):
        if not isinstance(text, str):
            return self.analyzer.polarity_scores(text)
        compound, pos, neu, neg = self.scores(text)
        return {"neg": neg, "neu": neu, "pos": pos, "compound": compound}

    def scores(self, text: str) -> tuple:
        """``(compound, pos, neu, neg)`` of ``polarity_scores(text)`` for a ``str``.

        >>> from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer
        >>> FastVader(SentimentIntensityAnalyzer()).scores("Not bad at all!")
        (0.484, 0.512, 0.488, 0.0)
        """
        if not text.isascii():
            text = self._replace_emojis(text)
        # (ASCII text is not stripped: split() ignores the ends and the ! and ? counts do not change)
        # SentiText: split, strip punctuation unless that leaves <= 2 characters (cached per token)
        toks = text.split()
        n = len(toks)
        # only words in the lexicon (and not boosters) get a non-zero sentiment
        where = list(compress(range(n), map(self._can_score.__getitem__, toks)))
        if not where:
            return _NEUTRAL if n else _EMPTY
        words = list(map(self._word.__getitem__, toks))
        lows = list(map(str.lower, words))  # (cheaper than a look-up in a large cache)
        allcap = sum(map(str.isupper, words))
        is_cap_diff = 0 < n - allcap < n
        sentiments = [0] * n
        valence = self._valence
        for i in where:
            if i < n - 1 and lows[i] == "kind" and lows[i + 1] == "of":
                continue
            sentiments[i] = valence(words, lows, i, is_cap_diff)
        if "but" in lows:
            sentiments = _but_check(lows, sentiments)
        return _score_valence(sentiments, where, text)

    def _replace_emojis(self, text: str) -> str:
        emojis = self.emojis
        text_no_emoji = ""
        prev_space = True
        for ch in text:
            if ch in emojis:
                if not prev_space:
                    text_no_emoji += " "
                text_no_emoji += emojis[ch]
                prev_space = False
            else:
                text_no_emoji += ch
                prev_space = ch == " "
        return text_no_emoji.strip()

    def _valence(self, words, lows, i, is_cap_diff):
        """``sentiment_valence`` for a word that is in the lexicon.

        The reference's loop over the three preceding words is unrolled, with
        ``scalar_inc_dec`` and ``_negation_check`` written out in place: the same
        tests and the same floating-point operations in the same order.
        """
        lexicon = self.lexicon
        item_lowercase = lows[i]
        n = len(words)
        valence = lexicon[item_lowercase]
        if item_lowercase == "no" and i != n - 1 and lows[i + 1] in lexicon:
            valence = 0.0
        if (i > 0 and lows[i - 1] == "no") \
                or (i > 1 and lows[i - 2] == "no") \
                or (i > 2 and lows[i - 3] == "no" and lows[i - 1] in ["or", "nor"]):
            valence = lexicon[item_lowercase] * _N_SCALAR
        if words[i].isupper() and is_cap_diff:
            if valence > 0:
                valence += _C_INCR
            else:
                valence -= _C_INCR
        if i > 0:
            w1 = lows[i - 1]
            if w1 not in lexicon:  # start_i = 0
                s = 0.0
                if w1 in _BOOSTER:
                    s = _BOOSTER[w1]
                    if valence < 0:
                        s *= -1
                    if words[i - 1].isupper() and is_cap_diff:
                        if valence > 0:
                            s += _C_INCR
                        else:
                            s -= _C_INCR
                valence = valence + s
                if w1 in _NEGATE or "n't" in w1:
                    valence = valence * _N_SCALAR
            if i > 1:
                w2 = lows[i - 2]
                if w2 not in lexicon:  # start_i = 1
                    s = 0.0
                    if w2 in _BOOSTER:
                        s = _BOOSTER[w2]
                        if valence < 0:
                            s *= -1
                        if words[i - 2].isupper() and is_cap_diff:
                            if valence > 0:
                                s += _C_INCR
                            else:
                                s -= _C_INCR
                    if s != 0:
                        s = s * 0.95
                    valence = valence + s
                    if w2 == "never" and (w1 == "so" or w1 == "this"):
                        valence = valence * 1.25
                    elif w2 == "without" and w1 == "doubt":
                        pass
                    elif w2 in _NEGATE or "n't" in w2:
                        valence = valence * _N_SCALAR
                if i > 2:
                    w3 = lows[i - 3]
                    if w3 not in lexicon:  # start_i = 2
                        s = 0.0
                        if w3 in _BOOSTER:
                            s = _BOOSTER[w3]
                            if valence < 0:
                                s *= -1
                            if words[i - 3].isupper() and is_cap_diff:
                                if valence > 0:
                                    s += _C_INCR
                                else:
                                    s -= _C_INCR
                        if s != 0:
                            s = s * 0.9
                        valence = valence + s
                        if w3 == "never" and (w2 == "so" or w2 == "this") or (w1 == "so" or w1 == "this"):
                            valence = valence * 1.25
                        elif w3 == "without" and (w2 == "doubt" or w1 == "doubt"):
                            pass
                        elif w3 in _NEGATE or "n't" in w3:
                            valence = valence * _N_SCALAR
                        valence = _special_idioms_check(valence, lows, i)
        # _least_check
        if i > 1 and lows[i - 1] not in lexicon and lows[i - 1] == "least":
            if lows[i - 2] != "at" and lows[i - 2] != "very":
                valence = valence * _N_SCALAR
        elif i > 0 and lows[i - 1] not in lexicon and lows[i - 1] == "least":
            valence = valence * _N_SCALAR
        return valence


def _special_idioms_check(valence, lows, i):
    # every sequence below starts with lows[i - 3], lows[i - 2], lows[i - 1] or lows[i]
    if lows[i - 3] not in _IDIOM_FIRSTS and lows[i - 2] not in _IDIOM_FIRSTS \
            and lows[i - 1] not in _IDIOM_FIRSTS and lows[i] not in _IDIOM_FIRSTS:
        return valence
    onezero = f"{lows[i - 1]} {lows[i]}"
    twoonezero = f"{lows[i - 2]} {lows[i - 1]} {lows[i]}"
    twoone = f"{lows[i - 2]} {lows[i - 1]}"
    threetwoone = f"{lows[i - 3]} {lows[i - 2]} {lows[i - 1]}"
    threetwo = f"{lows[i - 3]} {lows[i - 2]}"
    for seq in (onezero, twoonezero, twoone, threetwoone, threetwo):
        if seq in _SPECIAL:
            valence = _SPECIAL[seq]
            break
    n = len(lows)
    if n - 1 > i:
        zeroone = f"{lows[i]} {lows[i + 1]}"
        if zeroone in _SPECIAL:
            valence = _SPECIAL[zeroone]
    if n - 1 > i + 1:
        zeroonetwo = f"{lows[i]} {lows[i + 1]} {lows[i + 2]}"
        if zeroonetwo in _SPECIAL:
            valence = _SPECIAL[zeroonetwo]
    for n_gram in (threetwoone, threetwo, twoone):
        if n_gram in _BOOSTER:
            valence = valence + _BOOSTER[n_gram]
    return valence
