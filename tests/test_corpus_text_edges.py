"""Unusual but real text: other line ends, invisible characters. Offsets stay exact."""
from __future__ import annotations

import pytest

from alliance_study.corpus import load_corpus, validate_corpus


def _load(tmp_path, data: bytes):
    (tmp_path / "a.txt").write_bytes(data)
    (tmp_path / "articles.csv").write_text("article_id,file,outlet\na,a.txt,Daily\n", encoding="utf-8")
    return load_corpus(tmp_path)


def _exact(c):
    for frame in (c.segments, c.sentences):
        for r in frame.itertuples():
            assert c.text(r.article_id)[r.start:r.end] == r.text


@pytest.mark.parametrize("sep", ["\u2029", "\u2028", "\x85", "\v", "\r\n", "\r"])
def test_every_line_end_separates_lines(tmp_path, sep):
    """Word's manual line break (vertical tab) made a short file 'binary'; U+2029/U+2028/NEL
    (exports from word processors and some CMSs) ran headline and body into one line."""
    text = sep.join(["Port strike ends", "", "Dockers returned to work on Monday, the union said.",
                     "Talks on pay will resume in May."])
    c = _load(tmp_path, text.encode("utf-8"))
    assert c.segments[["role", "text"]].values.tolist() == [
        ["headline", "Port strike ends"], ["body", "Dockers returned to work on Monday, the union said."],
        ["body", "Talks on pay will resume in May."]]
    assert "\n" in c.text("a") and sep not in c.text("a").replace("\n", "")
    assert c.problems == []
    _exact(c)


def test_lines_of_only_invisible_characters_are_not_segments(tmp_path):
    text = ("Port strike ends\n\u200b\n\ufeff \u200b\n"
            "Dockers returned to work on Monday, the union said.\n\u2060\u00ad\nTalks resume in May.\n")
    c = _load(tmp_path, text.encode("utf-8"))
    assert c.segments.text.tolist() == ["Port strike ends", "Dockers returned to work on Monday, the union said.",
                                        "Talks resume in May."]
    _exact(c)


def test_a_file_of_only_invisible_characters_is_empty(tmp_path):
    (tmp_path / "a.txt").write_text("\u200b\n\u200b \ufeff\n", encoding="utf-8")
    (tmp_path / "articles.csv").write_text("article_id,file,outlet\na,a.txt,Daily\n", encoding="utf-8")
    p, = validate_corpus(tmp_path)
    assert p.severity == "error" and "only whitespace" in p.reason


WRAPPED = ("Russia, China extend treaty\n\n"
           "Russia and China on Monday extended a friendship treaty for\n"
           "five years, the Kremlin said, in a move analysts said was\n"
           "largely symbolic.\n\n"
           "\"We do not rule out anything,\" a senior official told\n"
           "reporters in Moscow, adding that no formal alliance was\n"
           "planned.\n\n"
           "Share this:\nFacebook\n\n"
           "2 comments\n\n"
           "1. boriz Offline boriz\n"
           "boriz (boriz) 26 October 2020 19: 35\n"
           "a symbolic move and nothing more, whatever the officials\n"
           "say about it\n")


def test_hard_wrapped_paragraphs_are_joined_into_whole_sentences(tmp_path):
    c = _load(tmp_path, WRAPPED.encode("utf-8"))
    assert c.sentences[c.sentences.role == "body"].text.str.replace("\n", " ").tolist() == [
        "Russia and China on Monday extended a friendship treaty for five years, the Kremlin said, in a move "
        "analysts said was largely symbolic.",
        "\"We do not rule out anything,\" a senior official told reporters in Moscow, adding that no formal "
        "alliance was planned."]
    # furniture and comment headers are never joined; comment text is
    segs = c.segments[["role", "text", "author"]]
    segs = segs.astype(object).where(segs.notna(), None).values.tolist()
    assert segs[3:] == [["boilerplate", "Share this:", None], ["boilerplate", "Facebook", None],
                        ["boilerplate", "2 comments", None],
                        ["boilerplate", "1. boriz Offline boriz", "boriz"],
                        ["boilerplate", "boriz (boriz) 26 October 2020 19: 35", "boriz"],
                        ["reader_comment", "a symbolic move and nothing more, whatever the officials\nsay about it",
                         "boriz"]]
    assert "hard-wrapped" in c.problems[0].reason and len(c.problems) == 1
    _exact(c)


def test_a_few_lower_case_line_starts_are_not_joined(tmp_path):
    """Poems, lists and the odd lower-case brand name: lines stay lines unless the text is hard-wrapped."""
    text = ("Slogans of the campaign\n\nThe posters read:\nvote for change\nvote for us\n"
            "The campaign ends on Friday.\nIt was short.\n")
    c = _load(tmp_path, text.encode("utf-8"))
    assert c.segments.text.tolist() == [line for line in text.split("\n") if line]
    assert c.problems == []


@pytest.mark.parametrize("text", [
    "The Soldier's Lament\nthe guns fell silent\nover the frozen field\nand no one came\nto count the dead\n",
    "Summit ends in discord\nLeaders left without a joint statement.\nThe talks covered:\ntrade and tariffs\n"
    "energy security\nmilitary spending\nclimate finance\nmigration\nThe next summit will be held in Rome.\n",
    "Press conference transcript\nJens Stoltenberg\ngood afternoon and welcome\nwe had a productive meeting\n"
    "Journalist\nthank you secretary general\na question on Sweden\n",
    "Ukraine since independence\n1991\nindependence from the Soviet Union\n1994\n"
    "the Budapest memorandum is signed\n2014\nthe annexation of Crimea\n",
])
def test_verse_lists_transcripts_and_timelines_are_neither_joined_nor_called_wrapped(tmp_path, text):
    """Short lower-case lines (a poem under its title, list items after "covered:", a speaker's
    name over the speech, years over events) are lines of their own, not a hard-wrapped paragraph."""
    c = _load(tmp_path, text.encode("utf-8"))
    assert c.segments.text.tolist() == [line for line in text.split("\n") if line]
    assert not [p.reason for p in c.problems if "hard-wrapped" in p.reason]
    assert validate_corpus(tmp_path) == []
    _exact(c)


def test_a_long_wrapped_line_is_never_joined_onto_the_title_or_a_colon(tmp_path):
    text = ("Russia and China extend their friendship treaty by five years\n"
            "in a move analysts called largely symbolic but which may\n"
            "signal closer military ties between the two governments, as\n"
            "officials said on Monday in a short statement read out on air\n"
            "by a spokesman who gave no further details of the agreement:\n"
            "the text itself was not published and may never be, he said.\n")
    c = _load(tmp_path, text.encode("utf-8"))
    segs = c.segments.text.tolist()
    assert segs[0] == "Russia and China extend their friendship treaty by five years"
    assert segs[1].endswith("of the agreement:") and segs[1].count("\n") == 3
    assert segs[2] == "the text itself was not published and may never be, he said."
    _exact(c)
