"""Bylines and credit lines under the headline (lexicons/roles.yaml rules by_author, author_title,
agency_credit, provenance, publication_date, date_only, time_only; corpus/segment.py ``_top``).

Each case is a real-looking article opening; each of the byline cases was read as a headline
(a second headline line) or as body text before these rules.  Sentences that open alike stay body.
"""
from __future__ import annotations

import pytest

from alliance_study.corpus.segment import segment_text

HEADLINE = "Council approves new bus depot after three-year row"
BODY = ("Plans for a bus depot on the edge of the town were approved on Tuesday evening after a "
        "meeting that lasted almost four hours.\n\nResidents had objected to the noise and traffic.\n")


def role_of(line: str, title: str | None = HEADLINE, kicker: str = "") -> tuple[str, str | None]:
    """(role, rule) of ``line`` standing right under the headline (and an optional kicker above it)."""
    text = (kicker + "\n" if kicker else "") + HEADLINE + "\n" + line + "\n" + BODY
    segs = segment_text(text, title=title)
    seg = next(s for s in segs if s.text == line)
    head = [s.role for s in segs if s.text == HEADLINE]
    assert head == ["headline"], head
    return seg.role, seg.rule


# ---- 1. bylines with a job title, a date, or the job title before the name
@pytest.mark.parametrize("line", [
    "By Daniel Okoro, Guest columnist",
    "By Laura Chen, Education correspondent",
    "By Ben Foster, Business reporter",
    "By Omar Haddad, Personal finance editor",
    "By local reporter Sam Price",
    "By Ruth Adams | 9 March 2025",
    "By Ruth Adams, March 9, 2025 10:08",
    "By Tom Reyes and Aiko Tanaka, Staff writers",
])
@pytest.mark.parametrize("title", [HEADLINE, None])
def test_a_byline_with_a_job_title_or_a_date_is_a_byline_not_a_headline_line(line, title):
    assert role_of(line, title) == ("byline", "by_author")


@pytest.mark.parametrize("title", [HEADLINE, None])
def test_a_name_with_a_job_title_is_a_byline(title):
    assert role_of("Sarah Lind, Staff writer", title) == ("byline", "author_title")


@pytest.mark.parametrize("line", [
    "Translated from the Russian by Peter Hale",
    "Translated from the Portuguese by Ana Ribeiro",
    "Originally published 12 June 1974",
])
def test_a_translation_or_first_publication_credit_is_a_byline(line):
    assert role_of(line)[0] == "byline"


# ---- 2. an agency or staff credit alone under the headline, with or without a known title
@pytest.mark.parametrize("line", ["Reuters", "STAFF REPORTER", "AFP", "Associated Press", "Reuters and AFP",
                                  "By our correspondent"])
@pytest.mark.parametrize("title", [HEADLINE, None])
def test_an_agency_or_staff_credit_under_the_headline_is_a_byline(line, title):
    assert role_of(line, title, kicker="Markets") == ("byline", "agency_credit")


# ---- 3. time stamps under the headline
@pytest.mark.parametrize("line", ["14:05, 3 MAR 2025", "2 hours ago", "an hour ago", "10:08 GMT, 6 March 2023"])
def test_a_time_stamp_under_the_headline_is_a_byline(line):
    assert role_of(line)[0] == "byline"


# ---- sentences that open like a credit are body text
@pytest.mark.parametrize("line", [
    "By Tuesday, Ministers had agreed to the plan.",
    "By analyst estimates, growth slowed to 2 percent in the last quarter of the year.",
    "By the way, the council never published the report.",
    "Reuters reported on Monday that the depot would cost more than planned.",
    "Translated from the Russian by Peter Hale, the novel sold well in Britain.",
    "Originally published in 1974, the report was reprinted on Monday.",
    "2 hours ago the road was still closed.",
    "Jane Doe, a reporter, was injured in the crowd.",
])
def test_a_sentence_that_opens_like_a_credit_is_body(line):
    assert role_of(line) == ("body", None)


def test_the_known_title_and_its_own_subtitle_still_come_before_the_byline():
    text = ("Harbourside Foods Announces Acquisition of Greenvale Dairy\n"
            "Deal Expands Regional Distribution Network Across Three States\n"
            "By Megan Hollis, Business reporter\n" + BODY)
    got = [(s.role, s.rule) for s in segment_text(text)][:4]
    assert got == [("headline", "first_line"), ("headline", "subtitle"), ("byline", "by_author"), ("body", None)]
