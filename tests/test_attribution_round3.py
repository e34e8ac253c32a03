"""Attribution faults a tester found on fresh news text (round 3): each test failed before its fix.

The sentences are written as news agencies write them (the tester's material in
the style of news reports); nothing here is from PolNeAR.
"""
from __future__ import annotations

import pandas as pd

from alliance_study.metrics.attribution import attributions


def _sents(texts) -> pd.DataFrame:
    return pd.DataFrame({"article_id": "t", "sent_id": range(len(texts)), "text": texts})


def _rows(texts, cols=("speaker", "speaker_type")) -> list[list]:
    return attributions(_sents(texts))[list(cols)].values.tolist()


# --------------------------------------------------------------------------- 1. an untitled person opening a sentence
def test_a_pronoun_is_not_the_titled_person_when_an_untitled_one_opens_the_sentence():
    """'Sophie Marchand met Finance Minister Karl Ober in Paris. She said ...' gave Karl Ober: a name
    followed by a lower-case word ("met") was no candidate, so nothing told the two people apart."""
    for first, said in (("Sophie Marchand met Finance Minister Karl Ober in Paris.",
                         "She said the talks had gone well."),
                        ("Lena Hartmann met Interior Minister Pavel Dusek in Vienna.",
                         "She said the border would stay open."),
                        ("Anna Weber visited Health Minister Jan Kral in Prague.",
                         "He said the hospital would stay open.")):
        got = _rows([first, said], ("speaker", "speaker_text", "resolution"))
        assert got == [[said.split()[0].lower(), said.split()[0], "pronoun"]], first
    # the untitled person is a candidate only: never a speaker of its own sentence
    assert _rows(["Sophie Marchand met Finance Minister Karl Ober in Paris."]) == []
    # a noun after two capitalised words is no verb: the titled person stays the only candidate
    for first in ("Boca Raton lawyers met Finance Minister Karl Ober in Paris.",
                  "Hewlett Packard shares fell after Finance Minister Karl Ober spoke in Paris.",
                  "Finance Minister Karl Ober met reporters in Paris."):
        assert _rows([first, "He said the talks had gone well."]) == [["Karl Ober", "official"]], first


def test_untitled_people_counts_a_name_opening_a_sentence_before_a_verb():
    from alliance_study.metrics.attribution.gender import untitled_people
    from alliance_study.metrics.attribution.model import Sentence
    from alliance_study.metrics.attribution.names import NameWords
    from alliance_study.metrics.attribution.rules import load_speech_rules
    texts = ["Sophie Marchand met the minister in Paris.",
             "Lena Hartmann visited the plant on Monday.",
             "Boca Raton lawyers filed the suit.",
             "Talks in Sophie Marchand met resistance."]
    sents = [Sentence(i, "a", i, None, "body", t, 0, None, [], False, []) for i, t in enumerate(texts)]
    found = untitled_people(sents, NameWords(load_speech_rules()))
    assert {i: [texts[i][m.start:m.end] for m in ms] for i, ms in found.items()} == {
        0: ["Sophie Marchand"], 1: ["Lena Hartmann"]}


# --------------------------------------------------------------------------- 2. "according to X ... Y," to the comma
def test_according_to_a_source_runs_to_the_comma_past_tail_words():
    """'According to people familiar with the talks and officials in Brussels, a deal is near.' took
    'in Brussels, a deal is near' as the content: the mention stopped at the tail word "in"."""
    cols = ("speaker", "speaker_type", "speaker_text", "quote")
    assert _rows(["According to people familiar with the talks and officials in Brussels, a deal is near."],
                 cols) == [["people familiar", "anonymous",
                            "people familiar with the talks and officials in Brussels", "a deal is near"]]
    assert _rows(["According to people familiar with the talks and with knowledge of the budget, cuts are coming."],
                 cols) == [["people familiar", "anonymous",
                            "people familiar with the talks and with knowledge of the budget", "cuts are coming"]]
    # unchanged: a plain source before its comma, a source that ends the sentence
    assert _rows(["According to people familiar with the talks, a deal is near."], cols) == [
        ["people familiar", "anonymous", "people familiar with the talks", "a deal is near"]]
    assert _rows(["A deal is near, according to people familiar with the talks."], cols) == [
        ["people familiar", "anonymous", "people familiar with the talks", "A deal is near"]]


# --------------------------------------------------------------------------- 3. irregular plurals in a coordination
def test_a_coordination_ending_in_an_irregular_plural_speaks():
    """'Greenpeace and fishermen said ...' gave no row: an unnamed phrase without a determiner had to end
    in "s" ("fishermen", "children", "policemen" do not; "people nearby" ends in an adverb)."""
    cols = ("speaker_text", "resolution", "quote")
    for text, speaker, quote in (
            ("Greenpeace and fishermen said the spill was worse than reported.", "Greenpeace and fishermen",
             "the spill was worse than reported"),
            ("Teachers and children said the school was cold.", "Teachers and children", "the school was cold"),
            ("Doctors and policemen said the road was blocked.", "Doctors and policemen", "the road was blocked"),
            ("Residents and people nearby said they heard two blasts.", "Residents and people nearby",
             "they heard two blasts"),
            ("The charity and fishermen said the catch was poor.", "charity and fishermen", "the catch was poor"),
            # the controls that worked before still do
            ("Greenpeace and the fishermen said the spill was worse than reported.", "Greenpeace and the fishermen",
             "the spill was worse than reported"),
            ("Oxfam and farmers said the harvest failed.", "Oxfam and farmers", "the harvest failed")):
        assert _rows([text], cols) == [[speaker, "coordination", quote]], text
    # the groups are typed by their typed parts (fisherman and policeman are role nouns now)
    assert _rows(["Doctors and policemen said the road was blocked."]) == [["doctors and policemen", "anonymous"]]
    assert _rows(["Teachers and children said the school was cold."]) == [["teachers and children", "other"]]
    assert _rows(["Greenpeace and local fishermen said the spill was worse than reported."]) == [
        ["Greenpeace and local fishermen", "other"]]
    # a phrase whose head a post_heads word follows speaks alone too, also opening the sentence
    for text, speaker in (("People nearby said they heard two blasts.", "people nearby"),
                          ("Residents nearby said they heard two blasts.", "residents nearby"),
                          ("After the attack, the people nearby said they heard two blasts.", "the people nearby")):
        assert _rows([text], ("speaker", "speaker_text"))[0][0] == speaker, text
    # a bare irregular plural alone speaks too; a clause coordination is still no group
    assert _rows(["In the village, local fishermen said the catch was poor."], ("speaker",)) == [["local fishermen"]]
    assert _rows(["The firm cut jobs and fishermen said the catch was poor."], ("speaker",)) == [["fishermen"]]
    assert _rows(["The firm cut jobs and fishermen were angry."]) == []
