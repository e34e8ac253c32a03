"""Kicker or headline: the first line of a file in capitals is a section label only when it reads as one.

A kicker is the short section or genre label set above a headline ("EXCLUSIVE", "ANALYSIS",
"WORLD NEWS", "Opinion"); tabloids also set whole headlines in capitals ("FURY AS PRICES SOAR").
Capitals alone do not make a label: a line that reads as a clause is the headline, and the
line under it (a standfirst) is not taken for the title.  (corpus/segment.py ``_kicker``,
lexicons/roles.yaml ``kicker:``.)
"""
from __future__ import annotations

import pytest

from alliance_study.corpus import load_corpus
from alliance_study.corpus.roles import RoleRules
from alliance_study.corpus.segment import segment_text

BODY = ("The figures were published on Wednesday by the national statistics office.\n\n"
        "Economists had expected a smaller rise, a spokesman for the bank said.\n")


def top(text: str, n: int = 3) -> list[tuple[str, str | None]]:
    return [(s.role, s.rule) for s in segment_text(text)][:n]


@pytest.mark.parametrize("headline, standfirst", [
    # tabloid headlines in capitals, over a standfirst without a final full stop
    ("FURY AS PRICES SOAR", "Shoppers face another rise in the weekly food bill as inflation bites"),
    ("PM TO QUIT", "The prime minister will stand down after a week of resignations from his cabinet"),
    ("MINISTER HITS BACK", "The minister answered his critics in a long speech to parliament on Tuesday"),
    ("TALKS COLLAPSE", "Union leaders walked out after the pay offer was cut for the second time"),
    # a clause whose last word is also a section word ("review") is still a clause
    ("PM QUITS AFTER REVIEW", "The prime minister resigned hours after the ethics report was published"),
    # longer capitalised headlines (already over kicker_max_words before the fix)
    ("MINISTER STRIKES BACK AT CRITICS", "The minister answered his critics on Tuesday in a long speech to parliament"),
    ("FURY AS PRICES SOAR AGAIN", "Shoppers face another rise in the weekly food bill as inflation bites"),
])
def test_a_capitalised_headline_over_a_standfirst_stays_the_headline(headline, standfirst):
    text = f"{headline}\n\n{standfirst}\n\n{BODY}"
    assert top(text) == [("headline", "first_line"), ("body", None), ("body", None)]


def test_the_title_of_an_untitled_article_is_its_capitalised_headline(tmp_path):
    text = "FURY AS PRICES SOAR\n\nShoppers face another rise in the weekly food bill as inflation bites\n\n" + BODY
    (tmp_path / "a.txt").write_text(text, encoding="utf-8")
    (tmp_path / "articles.csv").write_text("article_id,file,outlet,title\na,a.txt,Daily,\n", encoding="utf-8")
    c = load_corpus(tmp_path)
    assert c.articles.title.tolist() == ["FURY AS PRICES SOAR"]
    assert c.sentences.query("role == 'headline'").text.tolist() == ["FURY AS PRICES SOAR"]


@pytest.mark.parametrize("label, headline", [
    ("EXCLUSIVE", "Minister quits over expenses row"),
    ("ANALYSIS", "Why the minister had to go"),
    ("Opinion", "The government has lost its way on housing"),
    ("WORLD NEWS", "Ministers meet to discuss trade pact"),
    ("BREAKING NEWS", "Ministers meet to discuss trade pact"),
    ("ASIA / POLITICS", "Ministers meet to discuss trade pact"),
    # labels from the known list in roles.yaml, over a headline in sentence case
    ("World news", "Ministers meet to discuss trade pact"),
    ("Fact check", "Did the minister really double spending on schools"),
    ("THE LONG READ", "How a small port town became a trading hub"),
])
def test_a_section_label_over_a_headline_stays_a_kicker(label, headline):
    text = f"{label}\n\n{headline}\n\n{BODY}"
    assert top(text) == [("boilerplate", "kicker"), ("headline", "first_line"), ("body", None)]


def packaged_roles_with_kicker(tmp_path, section: str):
    """The packaged roles.yaml with its ``kicker:`` section replaced by ``section`` (YAML lines, or "")."""
    from alliance_study.resources import packaged

    src = packaged("roles.yaml").read_text(encoding="utf-8")
    start = src.index("\nkicker:\n")
    end = src.index("\n\n", start + 1)
    f = tmp_path / "roles.yaml"
    f.write_text(src[:start] + ("\n" + section if section else "") + src[end:], encoding="utf-8")
    return f


def test_a_study_roles_file_without_a_kicker_section_uses_the_packaged_one_and_says_so(tmp_path):
    # a study made by `init` before the kicker: section existed: its capitals labels stay kickers
    f = packaged_roles_with_kicker(tmp_path, "")
    with pytest.warns(UserWarning) as record:
        rules = RoleRules.load(f)
    message = str(record[0].message)
    assert str(f) in message and "kicker:" in message and "Fix: copy the kicker: section" in message
    assert rules.kicker_labels == RoleRules.load().kicker_labels != frozenset()
    assert rules.clause_words == RoleRules.load().clause_words != frozenset()
    assert [s.role for s in segment_text("WORLD NEWS\n\nMinister quits over expenses row\n\n" + BODY, rules)][:2] \
        == ["boilerplate", "headline"]
    assert [s.role for s in segment_text("PM TO QUIT\n\nThe prime minister will stand down next week\n\n" + BODY,
                                         rules)][:2] == ["headline", "body"]


@pytest.mark.parametrize("section, fragment", [
    ("kicker:\n  labels: news", "kicker.labels must be a list of words"),
    ("kicker:\n  labels: [world news]", "kicker.labels: 'world news' is not one word"),
    ("kicker:\n  clause_words: [as, 3]", "kicker.clause_words: 3 is not one word"),
    ("kicker:\n  clause_words: [to be]", "e.g. `clause_words: [is, to, as, says]`"),
    ("kicker:\n  clause_words: as", "(`clause_words: [is, to, as, says]`)"),
    ("kicker:\n  label: [news]", "kicker: unknown key 'label' (did you mean 'labels'?)"),
    ("kicker: [news]", "'kicker' must be a mapping"),
])
def test_mistakes_in_the_kicker_section_are_refused(tmp_path, section, fragment):
    from alliance_study.errors import LexiconError

    f = packaged_roles_with_kicker(tmp_path, section)
    with pytest.raises(LexiconError) as exc:
        RoleRules.load(f)
    assert fragment in str(exc.value) and str(f) in str(exc.value) and "Fix:" in str(exc.value)
