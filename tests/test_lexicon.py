"""The cue matcher: token patterns, gaps, wildcards, alternatives, context rules,
longest match, case, and errors that name the file."""
from __future__ import annotations

from pathlib import Path

import pytest

from alliance_study.metrics.lexicon import CueLexicon, LexiconError, load_lexicon, tokenize


def lex(*cues, **cat_extra):
    return CueLexicon.from_dict({"name": "t", "categories": {"c": {"cues": list(cues)}, **cat_extra}})


def found(lexicon, text):
    return [c.text for c in lexicon.find(text)]


def test_tokenize_spans_give_back_the_text():
    text = "China’s U.S.-led rival doesn't İstanbul"
    for start, end, tok, low in tokenize(text):
        assert text[start:end] == tok
        assert low == tok.replace("’", "'").lower()
    assert [t[2] for t in tokenize(text)][:5] == ["China’s", "U", "S", "led", "rival"]


def test_literal_is_case_insensitive_and_whole_word():
    lx = lex("may")
    assert found(lx, "They MAY agree; Mayor Maybe dismayed.") == ["MAY"]


def test_case_sensitive_cue():
    lx = lex({"cue": "may", "case_sensitive": True})
    assert found(lx, "In May they may agree.") == ["may"]


def test_gap_matches_zero_to_three_words_only():
    lx = lex("not ... rule out")
    assert found(lx, "We do not rule out a deal.") == ["not rule out"]
    assert found(lx, "We could not completely and fully rule out a deal.") == ["not completely and fully rule out"]
    assert found(lx, "We did not at this point in time rule out a deal.") == []


def test_prefix_wildcard_and_alternatives():
    lx = lex("suggest*", "it is|was said")
    assert found(lx, "The data suggested it; it was said; it is said; it has said.") == ["suggested", "it was said", "it is said"]


def test_longest_match_wins_and_matches_do_not_overlap():
    lx = lex("possibility", "theoretical possibility", "not", "not rule out")
    assert found(lx, "A theoretical possibility we do not rule out.") == ["theoretical possibility", "not rule out"]


def test_context_rules_before_and_after():
    lx = lex({"cue": "about", "require_after": r"\s+\d"},
             {"cue": "clearly", "exclude_before": r"\bnot\s+$"},
             {"cue": "claimed", "require_before": r"\bit\s+was\s+$"},
             {"cue": "could", "exclude_after": r"\s+not\b"})
    text = "About 40 talked about it. Not clearly, but clearly. He claimed it was claimed. It could not; it could."
    assert found(lx, text) == ["About", "clearly", "claimed", "could"]
    cues = lx.find(text)
    assert [text[c.start:c.end] for c in cues] == [c.text for c in cues]
    assert cues[1].start == text.index("but clearly") + 4


def test_curly_apostrophes_count_as_straight():
    lx = lex("don't exclude")
    assert found(lx, "We don’t exclude it.") == ["don’t exclude"]


def test_a_cue_matches_its_possessive_but_not_a_contraction():
    """The tokenizer keeps "strike's" whole: cues of one word, of several words (possessive on
    the last), with a gap, case-sensitive or alternatives match the possessive form too."""
    lx = lex("strike", "port authority", "union ... deal", "it", {"cue": "Cork", "case_sensitive": True},
             "walkout|stoppage")
    text = ("The strike's cost rose as the port authority’s chief met the union over the deal's terms; "
            "Cork's dockers and the stoppage's backers said it's over.")
    assert found(lx, text) == ["strike's", "port authority’s", "union over the deal's", "Cork's", "stoppage's"]
    assert found(lex({"cue": "Cork", "case_sensitive": True}), "cork's dockers") == []


def test_counts_and_categories():
    lx = CueLexicon.from_dict({"name": "t", "categories": {"a": ["may"], "b": {"cues": ["might"]}}})
    cues = lx.find("It may, it might, it may.")
    assert lx.counts(cues) == {"a": 2, "b": 1}
    assert lx.categories == ["a", "b"]


@pytest.mark.parametrize("text, fragment", [
    ("name: x\ncategories: [1, 2\n", "not valid YAML"),
    ("name: x\n", "top-level 'categories'"),
    ("name: x\ncategories:\n  a:\n    cues: may\n", "needs a list of cues"),
    ("name: x\ncategories:\n  a:\n    cues: [{cue: may, exclude_after: '(unclosed'}]\n", "bad regular expression"),
    ("name: x\ncategories:\n  a:\n    cues: ['... may']\n", "may not start or end"),
    ("name: x\ncategories:\n  a:\n    cues: ['--']\n", "no word characters"),
])
def test_malformed_yaml_raises_lexicon_error_naming_the_file(tmp_path, text, fragment):
    p = tmp_path / "broken_lexicon.yaml"
    p.write_text(text, encoding="utf-8")
    with pytest.raises(LexiconError) as exc:
        CueLexicon.from_yaml(p)
    assert "broken_lexicon.yaml" in str(exc.value)
    assert fragment in str(exc.value)


def test_missing_lexicon_file(tmp_path):
    with pytest.raises(LexiconError, match="not found"):
        load_lexicon(tmp_path / "nope.yaml")


@pytest.mark.parametrize("name", ["hedges", "boosters"])
def test_packaged_lexicons_load_and_cite_sources(name):
    lx = load_lexicon(name)
    assert len(lx.entries) > 20
    sources = " ".join(lx.meta["sources"])
    assert "Hyland" in sources
    if name == "hedges":
        assert "Farkas" in sources and "Islam" in sources
        assert set(lx.meta["weasel_categories"]) <= set(lx.categories)


def test_rounder_and_weasel_categories_must_exist_in_the_hedge_lexicon(tmp_path):
    from alliance_study.metrics import Scorer

    p = tmp_path / "my_hedges.yaml"
    p.write_text("name: my_hedges\nrounder_categories: [rounders]\n"
                 "categories:\n  modal:\n    cues: [may]\n  rounder:\n    cues: [about]\n", encoding="utf-8")
    with pytest.raises(LexiconError, match=r"my_hedges\.yaml.*\['rounders'\].*known: \['modal', 'rounder'\]"):
        Scorer(hedges=p)
    # a lexicon without the keys has no rounders and the default weasel category
    p.write_text("name: my_hedges\ncategories:\n  modal:\n    cues: [may, about]\n", encoding="utf-8")
    s = Scorer(hedges=p)
    row = s.score_one("It may cost about 40 dollars.")
    assert (row["hedge_count"], row["rounder_count"], row["weasel_count"]) == (2, 0, 0)


def test_packaged_names_are_not_shadowed_by_the_current_folder(tmp_path, monkeypatch):
    """A folder or file called like a packaged resource in the working folder must not replace it."""
    from alliance_study.resources import packaged, resolve

    (tmp_path / "hedges").mkdir()
    (tmp_path / "roles").write_text("headline_max_words: 1\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert resolve("hedges", suffix=".yaml") == packaged("hedges.yaml")
    assert resolve("roles", suffix=".yaml") == packaged("roles.yaml")
    assert "perhaps" in [c.text for c in load_lexicon("hedges").find("It may perhaps rain.")]
    # an explicit path still means the file
    assert resolve("./roles", suffix=".yaml") == Path("roles")


def test_regex_messages_show_the_pattern_as_written(tmp_path):
    # the pattern appears as the user wrote it in the YAML file, not as a Python repr with doubled backslashes
    p = tmp_path / "frames.yaml"
    p.write_text("name: x\ncategories:\n  a:\n    cues:\n      - cue: deal\n        require_after: '(\\w+\\s?)+$'\n",
                 encoding="utf-8")
    with pytest.raises(LexiconError) as e:
        load_lexicon(p)
    assert "(\\w+\\s?)+$" in str(e.value) and "\\\\w" not in str(e.value)


@pytest.mark.parametrize("rule", [r"(?:.|.)+#$", r"(a|aa)+$", r"(\w|\w)+$", r"(\w+\s?){1,100}$", r"(?:(\w+\s?)|x)+$"])
def test_rules_that_backtrack_through_alternatives_or_long_bounded_repeats_are_refused(tmp_path, rule):
    # a tester's rules that passed the check and stalled a build until its time limit
    p = tmp_path / "frames.yaml"
    p.write_text("name: x\ncategories:\n  a:\n    cues:\n      - cue: week\n        require_before: '" + rule + "'\n",
                 encoding="utf-8")
    with pytest.raises(LexiconError, match="could take hours"):
        load_lexicon(p)
