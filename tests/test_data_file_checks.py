"""User-replaceable data files refuse mistakes with a message naming the file, the key or line,
the reason and the fix, instead of ignoring them or failing with an internal error.

Each test copies a packaged data file (``resources.packaged``) into ``tmp_path``, breaks
one thing in it the way a user might, and checks the loader's message.
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from alliance_study.errors import LexiconError
from alliance_study.metrics.lexicon import CueLexicon, load_lexicon
from alliance_study.resources import packaged


def broken(tmp_path: Path, name: str, old: str, new: str, count: int = 1) -> Path:
    """A copy of the packaged file ``name`` with the first ``count`` ``old`` replaced by ``new``."""
    text = packaged(name).read_text(encoding="utf-8")
    assert text.count(old) >= count, f"{name} no longer contains {old!r}: update the test"
    out = tmp_path / name
    out.write_text(text.replace(old, new, count), encoding="utf-8")
    return out


def refused(loader, path: Path, *fragments: str) -> str:
    """The message of the LexiconError ``loader(path)`` raises; it names the file, the fragments and a fix."""
    with pytest.raises(LexiconError) as info:
        loader(path)
    msg = str(info.value)
    assert str(path) in msg and "Fix:" in msg, msg
    for f in fragments:
        assert f in msg, (f, msg)
    return msg


# ------------------------------------------------------------------ 1. cue lexicons: unknown keys
@pytest.mark.parametrize("name, old, new, key, hint", [
    ("hedges.yaml", "exclude_before:", "exclude_befor:", "exclude_befor", "exclude_before"),
    ("hedges.yaml", "case_sensitive:", "case_sensitiv:", "case_sensitiv", "case_sensitive"),
    ("boosters.yaml", "require_after:", "require_afte:", "require_afte", "require_after"),
    ("frames.yaml", "    description:", "    descripton:", "descripton", "description"),
    ("frames.yaml", "    cues:", "    cue:", "cue", "cues"),
])
def test_misspelt_cue_or_category_key_is_refused(tmp_path, name, old, new, key, hint):
    f = broken(tmp_path, name, old, new)
    refused(load_lexicon, f, f"unknown key {key!r}", f"did you mean {hint!r}")


def test_the_packaged_lexicons_and_the_pilots_still_load():
    root = Path(__file__).resolve().parents[1]
    for f in ["hedges", "boosters", "frames", "targets", root / "lexicons/frames.yaml",
              root / "lexicons/targets.yaml"]:
        assert load_lexicon(f).name


def test_case_sensitive_must_be_a_boolean(tmp_path):
    f = broken(tmp_path, "hedges.yaml", "case_sensitive: true", 'case_sensitive: "no"')
    refused(load_lexicon, f, "case_sensitive must be true or false")


# ------------------------------------------------------------------ 3. empty categories
def test_a_category_without_cues_is_refused_by_name(tmp_path):
    text = packaged("frames.yaml").read_text(encoding="utf-8")
    # the conflict frame's cue list emptied: it would be a column of zeros in every table
    start = text.index("  conflict:")
    end = text.index("  human_interest:")
    f = tmp_path / "frames.yaml"
    f.write_text(text[:start] + "  conflict:\n    cues: []\n" + text[end:], encoding="utf-8")
    refused(load_lexicon, f, "category 'conflict' has no cues")
    f.write_text(text[:start] + "  conflict:\n" + text[end:], encoding="utf-8")  # no body at all
    refused(load_lexicon, f, "category 'conflict' needs a list of cues")


@pytest.mark.parametrize("value, word", [("[]", "a list"), ("", "empty")])
def test_categories_must_be_a_mapping(tmp_path, value, word):
    f = tmp_path / "targets.yaml"
    f.write_text(f"name: targets\ncategories: {value}\n", encoding="utf-8")
    refused(load_lexicon, f, f"'categories' must map category names", f"it is {word}")
    f.write_text("name: targets\n", encoding="utf-8")  # missing: refused as before
    refused(load_lexicon, f, "needs a top-level 'categories' mapping")


def test_an_explicitly_empty_categories_mapping_is_a_lexicon_without_cues():
    # the packaged targets file: the target is the study's own choice
    assert "categories: {}" in packaged("targets.yaml").read_text(encoding="utf-8")
    assert load_lexicon("targets").categories == []


# ------------------------------------------------------------------ 2. roles.yaml
def load_roles(path: Path):
    from alliance_study.corpus.segment import RoleRules

    return RoleRules.load(path)


@pytest.mark.parametrize("old, new, fragments", [
    ("  kicker_max_words:", "  kicker_max_word:", ["settings: unknown key 'kicker_max_word'",
                                                    "did you mean 'kicker_max_words'"]),
    ("    max_words:", "    max_word:", ["rule #1 (", "unknown key 'max_word'", "did you mean 'max_words'"]),
    ("    max_words: ", "    max_words: many #", ["max_words must be a whole number, not 'many"]),
    ("(?:{DATE}|", "(?:{NOPE}|", ["the macro {NOPE}", "defined: MONTH, DATE, TIME"]),
    ("    role: byline", "    role: bylin", ["role 'bylin' (did you mean 'byline'?)"]),
])
def test_roles_yaml_mistakes_are_refused(tmp_path, old, new, fragments):
    refused(load_roles, broken(tmp_path, "roles.yaml", old, new), *fragments)


def test_the_packaged_role_rules_still_load():
    assert load_roles(packaged("roles.yaml")).kicker_max_words == 4
