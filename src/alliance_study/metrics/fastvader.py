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

import string

from vaderSentiment import vaderSentiment as _v

__all__ = ["FastVader"]

_NEGATE = frozenset(_v.NEGATE)
_BOOSTER = _v.BOOSTER_DICT
_SPECIAL = _v.SPECIAL_CASES
_N_SCALAR = _v.N_SCALAR
_C_INCR = _v.C_INCR
_PUNCT = string.punctuation


def _negated1(word_lower: str) -> bool:
    """``vaderSentiment.negated([word])`` for one already lower-cased word."""
    return word_lower in _NEGATE or "n't" in word_lower


class FastVader:
    """Drop-in ``polarity_scores`` for a ``SentimentIntensityAnalyzer`` (uses its lexicons)."""

    def __init__(self, analyzer):
        self.analyzer = analyzer
        self.lexicon = analyzer.lexicon
        self.emojis = analyzer.emojis

    def polarity_scores(self, text):
        if not isinstance(text, str):
            return self.analyzer.polarity_scores(text)
        if not text.isascii():
            text = self._replace_emojis(text)
        else:
            text = text.strip()
        # SentiText: split, strip punctuation unless that leaves <= 2 characters
        words = []
        for tok in text.split():
            stripped = tok.strip(_PUNCT)
            words.append(tok if len(stripped) <= 2 else stripped)
        lows = [w.lower() for w in words]
        n = len(words)
        allcap = 0
        for w in words:
            if w.isupper():
                allcap += 1
        is_cap_diff = 0 < n - allcap < n

        lexicon = self.lexicon
        sentiments = []
        for i in range(n):
            low = lows[i]
            if low in _BOOSTER:
                sentiments.append(0)
                continue
            if i < n - 1 and low == "kind" and lows[i + 1] == "of":
                sentiments.append(0)
                continue
            sentiments.append(self._valence(words, lows, i, is_cap_diff) if low in lexicon else 0)
        if "but" in lows:
            sentiments = _v.SentimentIntensityAnalyzer._but_check(words, sentiments)
        return self.analyzer.score_valence(sentiments, text)

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
