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
    assert str(path) in msg and msg.count("Fix:") == 1, msg
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
    from alliance_study.corpus.roles import RoleRules

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


# ------------------------------------------------------------------ 4. actors.csv
PILOT_ACTORS = Path(__file__).resolve().parents[1] / "lexicons" / "actors.csv"


def load_actor_file(path: Path):
    from alliance_study.metrics.attribution import load_actors

    return load_actors(path)


def actors_with(tmp_path: Path, *rows: str) -> Path:
    """The packaged (empty) actor table with ``rows`` appended."""
    out = tmp_path / "actors.csv"
    out.write_text(packaged("actors.csv").read_text(encoding="utf-8") + "".join(r + "\n" for r in rows),
                   encoding="utf-8")
    return out


def line_of(path: Path, start: str) -> int:
    return next(n for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if line.startswith(start))


@pytest.mark.parametrize("row, column, fragment", [
    ("Ruth Okafor,Okafor,labour minister,offical,person,true,,,", "speaker_type", "(did you mean 'official'?)"),
    ("Ruth Okafor,Okafor,labour minister,official,persn,true,,,", "entity", "(did you mean 'person'?)"),
    ("Ruth Okafor,Okafor,labour minister,official,person,maybe,,,", "named", "neither true nor false"),
])
def test_actor_values_are_checked_with_file_line_and_column(tmp_path, row, column, fragment):
    f = actors_with(tmp_path, "Ann Lee,Ann Lee,,expert,person,true,,,", row)
    refused(load_actor_file, f, f"line {line_of(f, 'Ruth Okafor')}, column {column}", fragment)


def test_a_study_may_give_its_own_speaker_type_but_not_a_near_miss(tmp_path):
    """'activist' is a study's own type; 'experts' is a typo of 'expert'."""
    t = load_actor_file(actors_with(tmp_path, "Ann Lee,Ann Lee,,activist,person,true,,,"))
    assert t.lookup("Ann Lee").speaker_type == "activist"
    f = actors_with(tmp_path, "Ann Lee,Ann Lee,,experts,person,true,,,")
    refused(load_actor_file, f, f"line {line_of(f, 'Ann Lee')}, column speaker_type", "(did you mean 'expert'?)")


def test_a_duplicated_actor_name_is_refused_with_both_lines(tmp_path):
    text = PILOT_ACTORS.read_text(encoding="utf-8")
    row = next(line for line in text.splitlines() if line.startswith("Zhao Lijian,"))
    f = tmp_path / "actors.csv"
    f.write_text(text + row.replace(",official,", ",expert,") + "\n", encoding="utf-8")
    n = len(text.splitlines()) + 1
    refused(load_actor_file, f, f"line {n}: 'Zhao Lijian' is listed twice (also on line {line_of(f, 'Zhao Lijian,')})")


def test_a_row_without_a_name_is_refused(tmp_path):
    f = actors_with(tmp_path, ",Okafor,labour minister,official,person,true,,,")
    refused(load_actor_file, f, f"line {line_of(f, ',Okafor')}: the row has no name")


def test_the_pilot_actor_table_still_loads_with_its_values():
    t = load_actor_file(PILOT_ACTORS)
    assert len(t) > 0 and {a.speaker_type for a in t.actors.values()} <= {"official", "expert", "media", "anonymous"}
    assert {a.named for a in t.actors.values()} == {True, False}


# ------------------------------------------------------------------ 5. attribution.yaml shapes
def load_rules(path: Path):
    from alliance_study.metrics.attribution import load_speech_rules

    return load_speech_rules(path)


def rules_with(tmp_path: Path, key: str, value: str) -> Path:
    """The packaged attribution.yaml with the top-level ``key``'s whole value replaced by ``value``."""
    text = packaged("attribution.yaml").read_text(encoding="utf-8")
    m = re.search(rf"^{key}:.*?(?=^\S)", text, flags=re.M | re.S)  # up to the next top-level line
    assert m, f"attribution.yaml has no top-level {key}: update the test"
    out = tmp_path / "attribution.yaml"
    out.write_text(text[:m.start()] + f"{key}: {value}\n" + text[m.end():], encoding="utf-8")
    return out


@pytest.mark.parametrize("key, value, shape", [
    ("speech_verbs", "[said, told]", "speech_verbs must be a mapping (`label: [form, form, ...]` lines)"),
    ("role_nouns", "5", "role_nouns must be a mapping (`speaker_type: [word, word, ...]` lines)"),
    ("pronouns", "5", "pronouns must be a mapping (`pronoun: kind` lines)"),
    ("name_words", "5", "name_words must be a mapping"),
    ("title_types", "5", "title_types must be a list of words, not 5"),
    ("stop_words", "5", "stop_words must be a list of words, not 5"),
    ("np_prepositions", "5", "np_prepositions must be a list of words, not 5"),
    ("np_prepositions", "[of, [with, at]]", "np_prepositions must be a list of words"),
    ("reader_role", "[a, b]", "reader_role must be one word or text"),
    ("role_nouns", "{expert: analyst}", "role_nouns.expert must be a list of words, not 'analyst'"),
    ("speech_verbs", "{told: {forms: [told], recipent: true}}", "speech_verbs.told: unknown key 'recipent'"),
    ("speech_verbs", "{}", "needs a 'speech_verbs' mapping"),
])
def test_attribution_rules_of_the_wrong_shape_are_refused(tmp_path, key, value, shape):
    refused(load_rules, rules_with(tmp_path, key, value), shape)


def test_a_misspelt_attribution_key_is_refused(tmp_path):
    f = broken(tmp_path, "attribution.yaml", "\nstop_words:", "\nstop_word:")
    refused(load_rules, f, "unknown key 'stop_word' (did you mean 'stop_words'?)")


def test_the_packaged_attribution_rules_still_load():
    assert load_rules(packaged("attribution.yaml")).cue("said").label == "said"


# ------------------------------------------------------------------ 6. hedges.yaml category lists
@pytest.mark.parametrize("old, new, fragment", [
    ("weasel_categories: [vague_attribution]", "weasel_categories: vague_attribution",
     "weasel_categories must be a list of category names, not 'vague_attribution'. "
     "Fix: write weasel_categories: [vague_attribution]"),
    ("rounder_categories: [rounder]", "rounder_categories: rounder",
     "rounder_categories must be a list of category names, not 'rounder'"),
    ("rounder_categories: [rounder]", "rounder_categories: [rounders]", "does not have: ['rounders']"),
])
def test_hedge_category_lists_must_be_lists_of_categories(tmp_path, old, new, fragment):
    from alliance_study.metrics import Scorer

    refused(lambda p: Scorer(hedges=p), broken(tmp_path, "hedges.yaml", old, new), fragment)


def test_the_packaged_hedge_category_lists_are_read_as_lists():
    from alliance_study.metrics import Scorer

    s = Scorer()
    assert s.weasel_categories == {"vague_attribution"} and s.rounder_categories == {"rounder"}
