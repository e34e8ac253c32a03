"""Text utilities (bottom layer): the one tokenizer and the one word count.

Every part of the package that splits text into words uses this module, so that
a "word" means the same thing in the metrics, the keyness tables and the role
rules.

* :func:`tokenize` -- word tokens with character offsets: runs of letters/digits
  with internal apostrophes kept ("don't", "Brazil's"); hyphens and periods split
  ("Franco-German" -> "Franco", "German").  Lexicon cues are matched on these.
* :func:`word_count` -- the number of words as a reader counts them: tokens joined
  by a single ``.``, ``-`` or apostrophe count once ("Franco-German", "U.S" and
  "don't" are one word each).
  Used by the role rules ("a headline has at most 40 words").
* :func:`punct_tokens` -- words *and* punctuation marks with character offsets,
  for pattern finders that need commas, quotes and dashes (attribution).
* :func:`natural_sorted` -- labels (group names) in the order a reader expects:
  numbers by value ("2" before "10"), text as text.

>>> [t[2] for t in tokenize("Brazil’s U.S.-led rival")]
['Brazil’s', 'U', 'S', 'led', 'rival']
>>> word_count("Brazil’s Franco-German rival")
3
"""
from __future__ import annotations

import re

#: Word tokens (see :func:`tokenize`).
TOKEN_RE = re.compile(r"\w+(?:['’]\w+)*", re.UNICODE)
#: Words as a reader counts them (see :func:`word_count`): tokens joined by one ' ’ . or -.
WORD_RE = re.compile(r"\w+(?:['’.-]\w+)*", re.UNICODE)
#: Words and single punctuation marks (see :func:`punct_tokens`).
PUNCT_TOKEN_RE = re.compile(r"[^\W_]+(?:['’][^\W_]+)*(?:[-‐][^\W_]+)*(?:['’])?|[^\w\s]")
_span = re.Match.span
#: byte table: ASCII word characters and apostrophes kept, every other byte made a space
_ASCII_SPACE = bytes(c if chr(c) in "_'" or (c < 128 and chr(c).isalnum()) else 32 for c in range(256))


#: characters a reader cannot see: zero-width space and (non-)joiners, word joiner, BOM, soft hyphen
INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff\u00ad"


def straight_apostrophes(text):
    """``text`` with each ’ replaced by ' (same length: offsets keep their meaning); non-text as given.

    >>> straight_apostrophes("It isn’t clear.")
    "It isn't clear."
    """
    if isinstance(text, str) and "’" in text:
        return text.replace("’", "'")
    return text


def normalise_token(tok: str) -> str:
    """Lower case with the curly apostrophe made straight.

    >>> normalise_token("Brazil’S")
    "brazil's"
    """
    return tok.replace("’", "'").lower()


def normalise_phrase(text: str) -> str:
    """A matched phrase as tables count it: :func:`normalise_token` with each run of
    whitespace (line breaks, double spaces) made one space.

    >>> normalise_phrase("Can’t  be\\nruled out")
    "can't be ruled out"
    """
    return " ".join(text.split()).replace("’", "'").lower()


_TITLE_CHARS = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201a": "'", "\u2032": "'", "\u201c": '"',
                              "\u201d": '"', "\u201e": '"', "\u00ab": '"', "\u00bb": '"', "\u2010": "-",
                              "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2212": "-",
                              "\u00a0": " "})


def normalise_title(text: str) -> str:
    """``text`` as titles are compared: HTML entities decoded, curly quotes and apostrophes made
    straight, dashes made hyphens, runs of whitespace one space, case folded.

    >>> print(normalise_title("Kenya\u2019s  MPs \u2013 &amp; the \u201cbill\u201d"))
    kenya's mps - & the "bill"
    """
    import html

    return " ".join(html.unescape(text).translate(_TITLE_CHARS).split()).casefold()


def tokenize(text: str) -> list[tuple[int, int, str, str]]:
    """Word tokens of ``text`` as ``(start, end, token, normalised_lowercase)`` tuples.

    ``text[start:end] == token``; the fourth item is :func:`normalise_token` of it.

    >>> tokenize("It’s May.")
    [(0, 4, 'It’s', "it's"), (5, 8, 'May', 'may')]
    """
    low = text.lower()
    if len(low) != len(text):  # a few characters change length when lower-cased ("İ"): token by token
        return [(m.start(), m.end(), m.group(), normalise_token(m.group())) for m in TOKEN_RE.finditer(text)]
    if "’" in low:
        low = low.replace("’", "'")
    return [(a, b, text[a:b], low[a:b]) for a, b in map(_span, TOKEN_RE.finditer(text))]


def normalised_tokens(text: str) -> list[str]:
    """The fourth field of :func:`tokenize` alone: the lower-cased, apostrophe-normalised tokens.

    Equal to ``[t[3] for t in tokenize(text)]``, without building the tuples: the
    tokens are found in the lower-cased text itself, which splits the same way
    because lower-casing changes no character's class (word character, apostrophe or
    other; ``tests/test_scorer_fast.py`` checks every code point).  Texts whose length
    changes when lower-cased go through :func:`tokenize`.

    >>> normalised_tokens("It’s May, U.S.-led.")
    ["it's", 'may', 'u', 's', 'led']
    """
    low = text.lower()
    if text.isascii():
        # ASCII: a word character is [A-Za-z0-9_]; blank out everything else but apostrophes,
        # and the runs left are the tokens, unless an apostrophe starts or ends a run or
        # two meet (then the regular expression splits them)
        parts = low.encode("ascii").translate(_ASCII_SPACE).decode("ascii").split()
        if "'" not in low:
            return parts
        joined = " ".join(parts)
        if "''" not in joined and " '" not in joined and "' " not in joined \
                and not joined.startswith("'") and not joined.endswith("'"):
            return parts
        return TOKEN_RE.findall(low)
    if len(low) != len(text):
        return [t[3] for t in tokenize(text)]
    if "’" in low:
        low = low.replace("’", "'")
    return TOKEN_RE.findall(low)


def token_spans(text: str, words: list[str] | None = None) -> list[tuple[int, int]]:
    """The ``(start, end)`` of every :func:`tokenize` token (its first two fields).

    ``words`` may pass :func:`normalised_tokens` of ``text`` when it is at hand: the
    spans are then found by searching each word after the previous one in the
    lower-cased text (what lies between two tokens holds no word character, and
    every token starts with one, so the first occurrence is the token).

    >>> token_spans("It’s May.")
    [(0, 4), (5, 8)]
    >>> token_spans("It’s May.", ["it's", "may"])
    [(0, 4), (5, 8)]
    """
    if words is not None:
        low = text.lower()
        if len(low) == len(text):
            if "’" in low:
                low = low.replace("’", "'")
            find = low.find
            spans = []
            end = 0
            for w in words:
                start = find(w, end)
                end = start + len(w)
                spans.append((start, end))
            return spans
    return list(map(_span, TOKEN_RE.finditer(text)))


def n_tokens(text: str) -> int:
    """``len(tokenize(text))``, without building the tuples (the ``n_words`` of a sentence).

    >>> n_tokens("U.S.-led talks")
    4
    """
    return len(TOKEN_RE.findall(text))


def words(text: str) -> list[str]:
    """The words of ``text`` as a reader counts them (see :func:`word_count`).

    >>> words("Franco-German talks, don't")
    ['Franco-German', 'talks', "don't"]
    """
    return WORD_RE.findall(text)


def word_count(text: str) -> int:
    """Words as a reader counts them: "Franco-German" and "don't" are one word each.

    >>> word_count("WORLD / DIPLOMACY"), word_count("Franco-German talks")
    (2, 2)
    """
    return len(WORD_RE.findall(text))


def punct_tokens(text: str) -> list[tuple[int, int, str]]:
    """Words and punctuation marks of ``text`` as ``(start, end, token)`` tuples.

    Unlike :func:`tokenize`, every non-space character that is not part of a word
    is a token of its own (commas, quotation marks, dashes), hyphenated words stay
    one token ("Franco-German") and a trailing apostrophe stays on its word
    ("Sciences’").  Underscores are neither words nor kept.  ``text[start:end] == token``.

    >>> [t[2] for t in punct_tokens('"Talks failed," said Franco-German expert Li’s aide.')]
    ['"', 'Talks', 'failed', ',', '"', 'said', 'Franco-German', 'expert', 'Li’s', 'aide', '.']
    >>> punct_tokens("Hi, you.")
    [(0, 2, 'Hi'), (2, 3, ','), (4, 7, 'you'), (7, 8, '.')]
    """
    return [(m.start(), m.end(), m.group()) for m in PUNCT_TOKEN_RE.finditer(text)]


_NUMBER_RUN = re.compile(r"(\d+)")


def _as_number(value: str) -> float | None:
    try:
        x = float(value)
    except ValueError:
        return None
    return x if x == x and x not in (float("inf"), float("-inf")) else None


def natural_key(value: object) -> tuple:
    """Sort key of one label: runs of digits compare as numbers, the rest as text (as ``sorted`` does).

    The label's own text breaks ties, so "01" and "1" keep a fixed order.

    >>> sorted(["outlet 10", "outlet 2", "Outlet 1"], key=natural_key)
    ['Outlet 1', 'outlet 2', 'outlet 10']
    """
    s = str(value)
    runs = _NUMBER_RUN.split(s)
    return tuple((0, int(r), "") if i % 2 else (1, 0, r) for i, r in enumerate(runs) if r) + ((2, 0, s),)


def natural_sorted(values) -> list:
    """Distinct ``values`` in the order a reader expects of group labels.

    All numbers (as values or text: "2019", "-1", "0.5"): by value.  Otherwise by
    :func:`natural_key` (numbers inside labels by value, the rest as plain text).

    >>> natural_sorted(["10", "2", "1"])
    ['1', '2', '10']
    >>> natural_sorted(["0.5", "0.25", "-1"])
    ['-1', '0.25', '0.5']
    >>> natural_sorted(["West", "North 10", "North 9", "East"])
    ['East', 'North 9', 'North 10', 'West']
    """
    distinct = list(dict.fromkeys(values))
    numbers = [_as_number(str(v)) for v in distinct]
    if distinct and all(x is not None for x in numbers):
        return [v for _, _, v in sorted(zip(numbers, map(str, distinct), distinct))]
    return sorted(distinct, key=natural_key)


def natural_rank(values) -> dict:
    """Each distinct value's position in :func:`natural_sorted` (a sort key for a table column).

    >>> import pandas as pd
    >>> t = pd.DataFrame({"group": ["10", "2", "10"], "x": [1, 2, 3]})
    >>> t.sort_values("group", key=lambda c: c.map(natural_rank(c)), kind="mergesort")["x"].tolist()
    [2, 1, 3]
    """
    return {v: i for i, v in enumerate(natural_sorted(values))}


def group_order(table, column: str = "group"):
    """A ``DataFrame.sort_values`` key putting ``table[column]`` in :func:`natural_sorted` order
    (other columns as they are; a table without the column: as it is).

    >>> import pandas as pd
    >>> t = pd.DataFrame({"group": ["10", "2", "2"], "x": [0, 2, 1]})
    >>> t.sort_values(["group", "x"], key=group_order(t), kind="mergesort")["x"].tolist()
    [1, 2, 0]
    """
    rank = natural_rank(table[column]) if column in table.columns else {}

    def key(c):
        return c.map(rank) if c.name == column else c
    return key


def _min_width(items) -> int:
    """The fewest characters a parsed (sub)pattern can match (0 when it can match nothing)."""
    try:
        return items.getwidth()[0]
    except (AttributeError, TypeError, ValueError):  # pragma: no cover - a parser without getwidth
        return 1


#: turns of a bounded repeat above which it counts as unbounded for :func:`backtracking_risk`
BOUNDED_REPEAT_MAX = 5


def backtracking_risk(pattern: str) -> str | None:
    """Why ``pattern`` can take exponential time on a failing match, or None.

    A repeated group whose body can match the same text in several ways, because it
    holds a repeat and nothing else it must match (``(a+)+``, ``(\\w+\\s?)+``, ``(x*)*``),
    tries every split of a long run before it fails: 40 characters can take hours.
    Python's ``re`` has no time limit, so such a rule in a user's lexicon would hang a build.

    >>> backtracking_risk(r"(\\w+\\s?)+$") is not None, backtracking_risk(r"(?:\\w+\\s)+$")
    (True, None)
    >>> backtracking_risk(r"^(?:[A-Z]\\w+ ){1,5}said$") is None
    True
    >>> [backtracking_risk(p) is not None for p in (r"(a|aa)+$", r"(?:.|.)+#$", r"(\\w+\\s?){1,100}$", r"(?:cat|car)+$")]
    [True, True, True, False]
    """
    try:
        from re import _constants as C, _parser as P  # type: ignore[attr-defined]
        parsed = P.parse(pattern)
    except Exception:  # noqa: BLE001 - an invalid pattern is refused by re.compile, with its reason
        return None
    repeats = (C.MAX_REPEAT, C.MIN_REPEAT, getattr(C, "POSSESSIVE_REPEAT", None))

    def body_of(op, av):
        if op in repeats:
            return [av[2]]
        if op is C.SUBPATTERN:
            return [av[-1]]
        if op is C.BRANCH:
            return list(av[1])
        if op in (C.ASSERT, C.ASSERT_NOT):
            return [av[1]]
        return []

    def flatten(items) -> list:
        flat = list(items)
        while len(flat) == 1 and flat[0][0] is C.SUBPATTERN:
            flat = list(flat[0][1][-1])
        return flat

    def loose(flat) -> bool:
        # it matches something only through an unbounded repeat inside it
        reps = [x for x in flat if x[0] in repeats and x[1][1] == C.MAXREPEAT]
        rest = [x for x in flat if x not in reps]
        return bool(reps) and all(_min_width(P.SubPattern(parsed.state, [x])) == 0 for x in rest)

    def ambiguous(flat) -> bool:
        # alternatives that match the same text: the parser factors "(a|aa)" into "a(?:|a)" and
        # "(.|.)" into ". (?:|)": a branch with two equal alternatives, or an empty one beside one
        # that starts as the part before it
        for k, (op, av) in enumerate(flat):
            if op is not C.BRANCH:
                continue
            alts = [list(a) for a in av[1]]
            if any(a == b for n, a in enumerate(alts) for b in alts[n + 1:]):
                return True
            if [] in alts and k > 0 and any(a and a[0] == flat[k - 1] for a in alts):
                return True
        return False

    def walk(items) -> str | None:
        for op, av in items:
            # an unbounded repeat, or one of more than BOUNDED_REPEAT_MAX turns (as costly on one line)
            if op in repeats and op is not getattr(C, "POSSESSIVE_REPEAT", None) and \
                    (av[1] == C.MAXREPEAT or av[1] > BOUNDED_REPEAT_MAX):
                flat = flatten(av[2])
                alts = [flatten(a) for a in flat[0][1][1]] if len(flat) == 1 and flat[0][0] is C.BRANCH else []
                if loose(flat) or any(loose(a) for a in alts):
                    return "a repeated group holds a repeat and nothing it must match, e.g. (a+)+ or (\\w+\\s?)+"
                if ambiguous(flat):
                    return "a repeated group has alternatives that match the same text, e.g. (a|aa)+ or (.|.)+"
            for sub in body_of(op, av):
                found = walk(sub)
                if found:
                    return found
        return None

    return walk(parsed)
