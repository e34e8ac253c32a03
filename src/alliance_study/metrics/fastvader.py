"""VADER ``polarity_scores`` without the repeated work, same numbers to the last bit.

vaderSentiment 3.3.2 lower-cases the whole sentence again for every lexicon word
(``_negation_check`` and ``_special_idioms_check`` each rebuild the lower-cased word
list, ``negated`` rebuilds it per call), and rebuilds the text character by character
to replace emojis even when there are none.  :class:`FastVader` keeps the reference
analyser's lexicons and its rules, statement for statement and in the same
floating-point order, but lower-cases each word once, skips the emoji pass for ASCII
text (no emoji is ASCII), and looks negations up in a set.  The parts that run rarely
(emoji replacement, the "but" rule, the final score) call the reference code itself.

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


class _WordCache(dict):
    """Whitespace token -> SentiText word (punctuation stripped unless <= 2 characters are left)."""

    def __missing__(self, tok: str) -> str:
        stripped = tok.strip(_PUNCT)
        word = tok if len(stripped) <= 2 else stripped
        if len(self) < _WORD_CACHE_MAX:
            self[tok] = word
        return word


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
    qm_amplifier = 0
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


def _negated1(word_lower: str) -> bool:
    """``vaderSentiment.negated([word])`` for one already lower-cased word."""
    return word_lower in _NEGATE or "n't" in word_lower


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
        self._words = _WordCache()

    def __getstate__(self):
        state = dict(self.__dict__)
        state["_words"] = _WordCache()  # a cache: not worth sending to a worker
        return state

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
        words = list(map(self._words.__getitem__, text.split()))
        n = len(words)
        lows = list(map(str.lower, words))
        # only words in the lexicon (and not boosters) get a non-zero sentiment
        where = list(compress(range(n), map(self._valenced.__contains__, lows)))
        if not where:
            return _NEUTRAL if n else _EMPTY
        allcap = sum(map(str.isupper, words))
        is_cap_diff = 0 < n - allcap < n
        sentiments = [0] * n
        valence = self._valence
        for i in where:
            if i < n - 1 and lows[i] == "kind" and lows[i + 1] == "of":
                continue
            sentiments[i] = valence(words, lows, i, is_cap_diff)
        if "but" in lows:
            sentiments = _v.SentimentIntensityAnalyzer._but_check(words, sentiments)
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
        """``sentiment_valence`` for a word that is in the lexicon."""
        lexicon = self.lexicon
        item = words[i]
        item_lowercase = lows[i]
        n = len(words)
        valence = lexicon[item_lowercase]
        if item_lowercase == "no" and i != n - 1 and lows[i + 1] in lexicon:
            valence = 0.0
        if (i > 0 and lows[i - 1] == "no") \
                or (i > 1 and lows[i - 2] == "no") \
                or (i > 2 and lows[i - 3] == "no" and lows[i - 1] in ["or", "nor"]):
            valence = lexicon[item_lowercase] * _N_SCALAR
        if item.isupper() and is_cap_diff:
            if valence > 0:
                valence += _C_INCR
            else:
                valence -= _C_INCR
        for start_i in range(0, 3):
            if i > start_i and lows[i - (start_i + 1)] not in lexicon:
                s = _scalar_inc_dec(words[i - (start_i + 1)], lows[i - (start_i + 1)], valence, is_cap_diff)
                if start_i == 1 and s != 0:
                    s = s * 0.95
                if start_i == 2 and s != 0:
                    s = s * 0.9
                valence = valence + s
                valence = _negation_check(valence, lows, start_i, i)
                if start_i == 2:
                    valence = _special_idioms_check(valence, lows, i)
        # _least_check
        if i > 1 and lows[i - 1] not in lexicon and lows[i - 1] == "least":
            if lows[i - 2] != "at" and lows[i - 2] != "very":
                valence = valence * _N_SCALAR
        elif i > 0 and lows[i - 1] not in lexicon and lows[i - 1] == "least":
            valence = valence * _N_SCALAR
        return valence


def _scalar_inc_dec(word, word_lower, valence, is_cap_diff):
    scalar = 0.0
    if word_lower in _BOOSTER:
        scalar = _BOOSTER[word_lower]
        if valence < 0:
            scalar *= -1
        if word.isupper() and is_cap_diff:
            if valence > 0:
                scalar += _C_INCR
            else:
                scalar -= _C_INCR
    return scalar


def _negation_check(valence, lows, start_i, i):
    if start_i == 0:
        if _negated1(lows[i - 1]):
            valence = valence * _N_SCALAR
    if start_i == 1:
        if lows[i - 2] == "never" and (lows[i - 1] == "so" or lows[i - 1] == "this"):
            valence = valence * 1.25
        elif lows[i - 2] == "without" and lows[i - 1] == "doubt":
            valence = valence
        elif _negated1(lows[i - 2]):
            valence = valence * _N_SCALAR
    if start_i == 2:
        if lows[i - 3] == "never" and (lows[i - 2] == "so" or lows[i - 2] == "this") or \
                (lows[i - 1] == "so" or lows[i - 1] == "this"):
            valence = valence * 1.25
        elif lows[i - 3] == "without" and (lows[i - 2] == "doubt" or lows[i - 1] == "doubt"):
            valence = valence
        elif _negated1(lows[i - 3]):
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
