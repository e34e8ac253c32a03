"""The top of an article: is a line the title, a kicker (section label), a headline or a subtitle?

Used by :mod:`.segment` (the order in which these tests apply is documented in
``lexicons/roles.yaml``, step 2).  An editor reads a kicker as a label, a noun phrase of section
or topic words without a verb ("WORLD NEWS", "ASIA / POLITICS", "MIDDLE EAST", "Fact check"), and a
headline as a clause ("Heatwave grips Europe", "PRICES SOAR", "FURY AS PRICES SOAR").

>>> from .roles import RoleRules
>>> r = RoleRules.load()
>>> label_kind("MIDDLE EAST", r), label_kind("Heatwave grips Europe", r), label_kind("WORLD NEWS", r)
('capitals', None, 'sure')
"""
from __future__ import annotations

import re

from ..text import normalise_title, normalise_token, word_count, words as text_words
from .roles import RoleRules

_FINAL_PUNCT = tuple(".!?:;,")
_FULL_STOP_RE = re.compile(r"(?<![.])[.][\"'”’»)\]]*$")  # a final full stop, not an ellipsis
_SECTION_SEP = re.compile(r"[/|>»›]")  # "WORLD / ASIA", "News › Politics"
#: a line that is only a time of day, a date in figures or a year: a time stamp, never a title
_TIME_ONLY = re.compile(r"^(?:\d{1,2}\s?[:.]\s?\d{2}(?:\s*[ap]\.?\s?m\.?)?(?:\s+[A-Za-z]{2,4})?|\d{4}|"
                        r"\d{1,2}[./-]\d{1,2}[./-]\d{2,4})$", re.IGNORECASE)
#: small words that open a label ("The long read", "In pictures") or link its words ("News in brief")
_LINK_WORDS = frozenset("the a an in on at of for from with into inside".split())
#: " | Section", " - Site name" after a title in a page's metadata
_TITLE_SUFFIX = re.compile(r"\s+(?:\||-|–|—|::)\s+(?P<suffix>[^|–—]+)$")


def ends_like_sentence(line: str) -> bool:
    """Whether ``line`` ends with sentence punctuation (``. ! ? : ; ,``, closing quotes aside).

    >>> ends_like_sentence("It happened.”"), ends_like_sentence("WORLD NEWS")
    (True, False)
    """
    return line.rstrip("\"'”’»)] ").endswith(_FINAL_PUNCT)


def title_like(line: str, rules: RoleRules, min_cap: float | None = None, *, question: bool = False) -> bool:
    """Whether ``line`` can be a title: at most ``headline_max_words`` words, no final punctuation (a
    final ``?`` or ``!`` allowed when ``question``), not a bare time or number, and with ``min_cap``
    at least that share of its words capitalised (a word opening with a figure counts, if a word
    opening with a letter is capitalised too).

    >>> r = RoleRules.load()
    >>> title_like("They did it!", r), title_like("They did it!", r, question=True), title_like("22:04 GMT", r, 0.6)
    (False, True, False)
    """
    words = text_words(line)
    if not words or len(words) > rules.headline_max_words or _TIME_ONLY.match(line.strip()):
        return False
    end = line.rstrip("\"'”’»)] ")
    if end.endswith(_FINAL_PUNCT) and not (question and end.endswith(("?", "!"))):
        return False
    if min_cap is not None:
        if not any(w[:1].isupper() for w in words):
            return False
        caps = sum(1 for w in words if w[:1].isupper() or w[:1].isdigit())
        return caps / len(words) >= min_cap
    return True


def lead_sentence(line: str, rules: RoleRules, titled: bool = False) -> bool:
    """Whether ``line`` reads as an article's first sentence, so it is not a headline: it opens with a
    dateline, or -- when the article's title is known (``titled``) and is not this line -- it ends with
    a full stop.  (Some corpora end their headlines with a full stop: without a known title, a
    sentence may still be the headline.)

    >>> r = RoleRules.load()
    >>> lead_sentence("OSLO (Reuters) - Norway said on Monday it would retaliate", r)
    True
    >>> lead_sentence("Dockers returned to work on Monday.", r, True), lead_sentence("Is it over?", r, True)
    (True, False)
    >>> lead_sentence("Dockers returned to work on Monday.", r), lead_sentence("U.S. talks...", r, True)
    (False, False)
    """
    if rules.dateline is not None and rules.dateline.match(line):
        return True
    return titled and bool(_FULL_STOP_RE.search(line))


def _capitals(line: str) -> bool:
    letters = [c for c in line if c.isalpha()]
    return bool(letters) and all(c.isupper() for c in letters if c.lower() != c.upper())


_AND_RE = re.compile(r"\s(?:&|and)\s", re.IGNORECASE)


def _verb_like(line: str, ws: list[str], rules: RoleRules) -> bool:
    """Whether a word of ``ws`` (the normalised words of ``line``) reads as a verb: a word ending in -s
    that is not a label word, between the first and the last word ("grips" of "Heatwave grips Europe")
    or first of several (a plural subject: "PRICES" of "PRICES SOAR"; not in a list of sections: "Arts
    & culture").  Not the last word: a label's head may be plural ("Top stories", "Film reviews").
    Not -ss, -us, -is or a possessive ("Congress", "US", "crisis")."""
    listed = bool(_AND_RE.search(line))
    for i, w in enumerate(ws[:-1]):
        if (len(w) >= 3 and w.endswith("s") and not w.endswith(("ss", "us", "is", "'s")) and w.isalpha()
                and w not in rules.kicker_labels and (i > 0 or not listed)):
            return True
    return False


def label_kind(first: str, rules: RoleRules, matched: bool = False) -> str | None:
    """How surely ``first`` reads as a section or genre label: ``'sure'`` (a section separator, a
    furniture rule that matched, or a last word -- its head -- in ``kicker.labels``: at most
    ``kicker_max_words`` words), ``'capitals'`` (at most 3 words in capitals), ``'plain'`` (at most
    ``kicker_plain_max_words`` words), or None: a clause (a ``kicker.clause_words`` word, a verb-like
    word ending in -s, "Record year for tech": a head after a linking word), final punctuation, or too long.

    >>> r = RoleRules.load()
    >>> [label_kind(x, r) for x in ("ASIA / POLITICS", "US ELECTION 2024", "Premier League", "PM TO QUIT")]
    ['sure', 'capitals', 'plain', None]
    >>> [label_kind(x, r) for x in ("Rate cut lifts markets", "Record year for tech", "News in brief", "Arts & culture")]
    [None, None, 'sure', 'sure']
    """
    ws = [normalise_token(w) for w in text_words(first)]
    n = len(ws)
    if not n or ends_like_sentence(first):
        return None
    if matched or _SECTION_SEP.search(first):
        return "sure" if n <= rules.kicker_max_words else None
    if rules.clause_words.intersection(ws) or _verb_like(first, ws, rules):
        return None
    if ws[-1] in rules.kicker_labels:
        # "Record year for tech", "NEW DAWN FOR AFRICA": a phrase that links its head to another noun
        linked = (n >= 3 and ws[0] not in _LINK_WORDS and ws[0] not in rules.kicker_labels
                  and (ws[-2] in _LINK_WORDS - {"the", "a", "an"}
                       or (ws[-2] in ("the", "a", "an") and ws[-3] in _LINK_WORDS)))
        return "sure" if n <= rules.kicker_max_words and not linked else None
    if n <= 3 and _capitals(first):
        return "capitals"
    return "plain" if n <= rules.kicker_plain_max_words else None


def kicker(first: str, second: str, rules: RoleRules, matched: bool = False) -> bool:
    """Whether ``first`` is a section or genre label over the title ``second`` (see roles.yaml, step 2).

    ``second`` is a longer title-like line (it may end in ``?`` or ``!``).  A sure label
    (:func:`label_kind`) is a kicker over it; a label in capitals over a line not in capitals
    ("MIDDLE EAST" over a sentence-case headline; a tabloid headline in capitals stands over body
    text or another line in capitals); a plain label of one word, or over a Title Case line.
    When unsure: not a kicker.

    >>> r = RoleRules.load()
    >>> kicker("ASIA / POLITICS", "Ministers meet to discuss trade", r), kicker("World", "Ministers meet today", r)
    (True, True)
    >>> kicker("Biden wins presidency", "Democrat defeats Trump after days of counting in key states", r)
    False
    >>> kicker("Eastern Europe", "Ministers Say No To Alliance", r), kicker("US politics", "Senate passes the bill", r)
    (True, True)
    >>> kicker("FURY AS PRICES SOAR", "Shoppers face another rise in the food bill", r)
    False
    >>> kicker("TALKS COLLAPSE", "Union leaders walked out after the pay offer was cut", r)
    False
    >>> kicker("ANALYSIS", "Is the housing bubble about to burst?", r), kicker("ROYAL FAMILY", "King to visit Samoa", r)
    (True, True)
    """
    kind = label_kind(first, rules, matched)
    if kind is None or not title_like(second, rules, question=True) or word_count(second) <= word_count(first):
        return False
    if kind == "capitals":
        return not _capitals(second) or word_count(first) == 1
    if kind == "plain":
        return word_count(first) == 1 or title_like(second, rules, rules.subtitle_min_capitalized, question=True)
    return True


def _title_forms(title: str) -> set[str]:
    """The normalised title, and without a final full stop and a " | Section" / " - Site" suffix (a
    suffix of at most 4 words; after a dash, shorter than what it follows: "UK - France relations
    hit new low" keeps its words)."""
    t = normalise_title(title)
    forms = {t}
    m = _TITLE_SUFFIX.search(t)
    pipe = m is not None and m.group().lstrip().startswith(("|", "::"))
    if m and word_count(m.group("suffix")) <= 4 and (pipe or word_count(t[:m.start()]) > word_count(m.group("suffix"))):
        forms.add(t[:m.start()].rstrip())
    return {_FULL_STOP_RE.sub(lambda m: m.group()[1:], f) for f in forms}


def same_line(line: str, title: str | None) -> bool:
    """Whether ``line`` is ``title``: case, runs of whitespace, a final full stop, curly or straight
    quotes, dashes, HTML entities and a " | Section" / " - Site name" suffix of the title aside.

    >>> same_line("Dockers  strike at CORK", "Dockers strike at Cork"), same_line("Dockers", None)
    (True, False)
    >>> same_line("Poll: Wealthy Voters Abandon Republican Party.", "Poll: Wealthy Voters Abandon Republican Party")
    True
    >>> same_line("Rally To \u2018Reclaim Our Schools.\u2019", "Rally To \u2018Reclaim Our Schools\u2019")
    True
    >>> same_line("Kenya\u2019s MPs \u2013 and the bill", "Kenya's MPs - and the bill | World news")
    True
    >>> same_line("Tom &amp; Jerry are back", "Tom & Jerry are back - The Daily Post")
    True
    >>> same_line("UK", "UK - France relations hit new low"), same_line("UK - France", "UK - France | World news")
    (False, True)
    """
    if not title:
        return False
    return _FULL_STOP_RE.sub(lambda m: m.group()[1:], normalise_title(line)) in _title_forms(str(title))
