"""The attribution finder's fast matchers give what the plain definitions give, on real news text.

Role nouns and reporting cues are matched as whole words, longest first
(:class:`~alliance_study.metrics.attribution.rules.WordList`, a character trie;
on ASCII text run over the lower-cased text); sentences are tokenized only when
a step needs their tokens.  Each is checked here against its plain definition
on PolNeAR articles and the NYT editorial snippets (../shared/validation).
"""
from __future__ import annotations

import re

import pytest

from alliance_study.metrics.attribution.model import Sentence, Token
from alliance_study.metrics.attribution.rules import WordList, load_speech_rules
from alliance_study.text import PUNCT_TOKEN_RE, punct_tokens


def _plain(words) -> re.Pattern:
    """The definition: an alternation of the words, longest first, spaces as any whitespace, any case."""
    body = "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in sorted(set(words), key=len, reverse=True))
    return re.compile(r"(?<![\w])(?:" + body + r")(?![\w])", re.IGNORECASE)


@pytest.fixture(scope="module")
def lines(shared) -> list[str]:
    arts = sorted((shared / "validation" / "polnear" / "articles").glob("*.txt"))[:150]
    out = [ln for f in arts for ln in f.read_text(encoding="utf-8").splitlines() if ln.strip()]
    raw = (shared / "validation" / "vader_icwsm2014" / "nytEditorialSnippets_GroundTruth.txt").read_bytes()
    out += [ln.split("\t")[-1] for ln in raw.decode("cp1252", errors="replace").splitlines()[:2000]]
    # the same text in capitals and title case, and with the spaces of multi-word forms stretched
    return out + [ln.upper() for ln in out[:500]] + [ln.title() for ln in out[:500]] + \
        [ln.replace(" ", "  \n") for ln in out[:300]]


@pytest.mark.parametrize("which", ["cues", "roles"])
def test_word_lists_match_like_the_plain_alternation(lines, which):
    r = load_speech_rules()
    words = r.cue_forms if which == "cues" else r.role_nouns
    fast, plain = WordList(words), _plain(words)
    assert any(not ln.isascii() for ln in lines), "the sample should hold non-ASCII text too"
    n = 0
    for ln in lines:
        got = [(h.start(), h.end(), h.group()) for h in fast.finditer(ln)]
        assert got == [(m.start(), m.end(), m.group()) for m in plain.finditer(ln)], ln
        first = fast.search(ln)
        want = plain.search(ln)
        assert (first is None) == (want is None) and (first is None or first.group() == want.group()), ln
        n += len(got)
    assert n > 500, "the sample should hold many cues and role nouns"


def test_multi_word_forms_take_the_longest_and_keep_the_text(lines):
    wl = WordList(["said", "said that", "say"])
    hits = [h.group() for h in wl.finditer("She SAID  that it was; they Say so, he said.")]
    assert hits == ["SAID  that", "Say", "said"]


def test_tokens_made_on_first_use_equal_the_tokenizer(lines):
    for ln in lines[:3000]:
        s = Sentence(0, "a", 0, None, "body", ln, 0, None, [], False, [])
        toks = s.toks
        assert toks == [Token(*t) for t in punct_tokens(ln)]
        assert s.toks is toks                      # made once
        for pos in {0, len(ln) // 3, len(ln) // 2, len(ln)}:
            linear = next((i for i, t in enumerate(toks) if t.start >= pos), len(toks))
            assert s.tok_index(pos) == linear


def test_token_after_a_comma_found_without_tokenizing(lines):
    """describe_people looks at the token after each comma with one search, before tokenizing."""
    n = 0
    for ln in lines[:3000]:
        toks = punct_tokens(ln)
        for i, (start, _, text) in enumerate(toks):
            if text == ",":
                nxt = PUNCT_TOKEN_RE.search(ln, start + 1)
                assert (nxt is None) == (i + 1 == len(toks))
                assert nxt is None or (nxt.start(), nxt.end(), nxt.group()) == toks[i + 1]
                n += 1
    assert n > 1000


def test_actor_mentions_equal_the_actor_regex(lines, pilot_actors):
    """Mentions come from two tries (variants case-sensitive, role nouns any case); the definition is one regex."""
    import pandas as pd

    from alliance_study.metrics.attribution.actors import ActorTable, Mention, load_actors

    clash = ActorTable(pd.DataFrame({
        "name": ["Donald Trump", "Barack Obama", "José Núñez"],
        "variants": ["Donald Trump;Trump;President Trump", "Barack Obama;Obama;President Obama", "José Núñez;Núñez"],
        "role_nouns": ["the president;president;Republican nominee", "former president;president obama",
                       "el presidente;núñez"],
        "speaker_type": ["official"] * 3}))
    extra = ["PRESIDENT Trump met president obama and Núñez, NÚÑEZ and the President.",
             "Former President Obama; president trump's aide; Trump-Obama talks"]
    n = 0
    for table in (load_actors(pilot_actors), clash):
        for ln in lines[:5000] + extra:
            want = [Mention(m.start(), m.end(), sp) for m in table.regex.finditer(ln)
                    if (sp := table.lookup(m.group())) is not None]
            got = table.mentions(ln)
            assert got == want, ln
            n += len(got)
    assert n > 100
