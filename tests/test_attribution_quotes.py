"""Attribution on British-style news text: curly single quotation marks, several quotes per cue, speaker text.

Each test is a case a tester found wrong (single quotes ignored, a second quote
dropped, a possessive speaker lower-cased and mistyped); the sentences are
written like wire and British newspaper copy.
"""
from __future__ import annotations

import pandas as pd

from alliance_study.corpus import load_corpus
from alliance_study.metrics.attribution import attributions, load_speech_rules
from alliance_study.metrics.attribution.quotes import single_quotes


def _sents(texts) -> pd.DataFrame:
    return pd.DataFrame({"article_id": "t", "sent_id": range(len(texts)), "text": texts})


def _rows(texts, cols=("speaker", "speaker_type", "verb", "direct", "quote")):
    return attributions(_sents(texts))[list(cols)].values.tolist()


# --------------------------------------------------------------------------- single quotation marks
def test_single_quotes_before_the_speaker():
    assert _rows(["‘We will not back down,’ the union leader said."], ("verb", "direct", "quote")) == [
        ["said", True, "We will not back down,"]]
    # as with double quotes, the comma inside the marks belongs to the quote
    assert _rows(['"We will not back down," the union leader said.'], ("direct", "quote")) == [
        [True, "We will not back down,"]]
    assert _rows(["‘The talks were useful,’ Foreign Minister Maria Lopez told reporters."],
                 ("speaker", "direct", "quote")) == [["Maria Lopez", True, "The talks were useful,"]]
    # the speaker after the verb, as after a double quote ("..." said X)
    assert _rows(["‘We will not back down,’ said the union leader."], ("verb", "direct", "quote")) == [
        ["said", True, "We will not back down,"]]


def test_single_quotes_after_a_colon():
    rows = attributions(_sents(["Foreign Minister Maria Lopez told reporters: ‘The talks were useful.’"]))
    assert rows[["speaker", "direct", "quote", "via"]].values.tolist() == [
        ["Maria Lopez", True, "The talks were useful.", ""]]
    text = "Foreign Minister Maria Lopez told reporters: ‘The talks were useful.’"
    r = rows.iloc[0]
    assert text[r.content_start:r.content_end] == "The talks were useful."


def test_apostrophes_are_no_quotation_marks():
    # "Lopez’s", "don’t", "the ’90s", "Reuters’": no quote, the reported clause as for any indirect speech
    rows = _rows(["Lopez’s deputy said the unions don’t want a return to the ’90s, Reuters’ sources said."],
                 ("direct", "quote"))
    assert rows and not any(d for d, _ in rows)
    assert single_quotes(["Lopez’s aides said they don’t expect a deal before the ’90s-style cuts end."]) == [
        "Lopez’s aides said they don’t expect a deal before the ’90s-style cuts end."]


def test_plural_possessive_inside_a_single_quote():
    # the ’ of "members’" is an apostrophe: the quote closes after "jobs,"; the quote keeps the mark as written
    rows = _rows(["‘We will fight for our members’ jobs,’ the union leader said."], ("direct", "quote"))
    assert rows == [[True, "We will fight for our members’ jobs,"]]


def test_single_quote_over_two_sentences():
    # a British quote opened in one sentence and closed in the next is one direct quote
    rows = attributions(_sents(["‘The strike will go on until the offer improves.",
                                "Our members have had enough,’ the union leader said on Tuesday."]))
    assert rows[["sent_id", "direct", "quote"]].values.tolist() == [
        [0, True, "The strike will go on until the offer improves. Our members have had enough,"]]
    assert rows["cue_sent_id"].tolist() == [1]


def test_double_quotes_take_precedence():
    # single marks inside a double quote are a quote within the quote, not a quote of their own
    text = "“When the minister said ‘we are ready,’ nobody believed him,” the union leader said."
    assert single_quotes([text]) == [text]
    assert _rows([text], ("direct", "quote")) == [[True, "When the minister said ‘we are ready,’ nobody believed him,"]]
    # ... also in a sentence inside a double quote that runs over several sentences
    texts = ["“The offer was poor.", "As one member put it, ‘we are not beggars.’", "We said no,” she said."]
    assert single_quotes(texts) == texts


def test_single_quotes_in_a_seed_headline(raw_dir):
    # the seed corpus writes a scare quote in single marks: it is read as a quote, with its offsets
    corpus = load_corpus(raw_dir)
    s = corpus.sentences
    head = s[s["text"].str.contains("‘European Political Community’", regex=False)]
    assert len(head) == 1
    quoted = single_quotes(head["text"].tolist())[0]
    i = quoted.index("“European Political Community”")
    assert head["text"].iloc[0][i:i + 30] == "‘European Political Community’"


# --------------------------------------------------------------------------- a second quote after "adding"
def test_second_quote_after_adding_is_attributed():
    rows = _rows(["“No comment,” he said, adding that “the matter is closed.”"],
                 ("speaker", "verb", "direct", "quote", "pattern"))
    assert rows == [["he", "said", True, "No comment,", "subject_verb"],
                    ["he", "added", True, "the matter is closed.", "participle"]]
    # the pronoun resolves as for the first quote: both rows name the spokeswoman
    rows = _rows(["Ana Ruiz, the ministry’s spokeswoman, told reporters on Monday that talks would resume.",
                  "“No comment,” she said, adding that “the matter is closed.”"], ("sent_id", "speaker", "quote"))
    assert rows[-2:] == [[1, "Ana Ruiz", "No comment,"], [1, "Ana Ruiz", "the matter is closed."]]


def test_adding_reports_only_before_a_clause():
    # "adding to the pressure", "adding 200 jobs": no report
    assert _rows(["The strike entered its third week, adding to the pressure on the government."]) == []
    assert _rows(["The plant reopened in May, adding 200 jobs to the local economy."]) == []
    # after ''quote,'' the speaker of "adding" is the sentence's subject, not the clause's ("his son Eric")
    rows = _rows(["Mr. Trump told the hosts of ''Morning Joe,'' adding that his son Eric is friendly with them."],
                 ("speaker", "verb"))
    assert ["Eric", "added"] not in rows and ["Trump", "added"] in rows


def test_quote_split_by_its_cue_keeps_both_parts():
    # '"...," he said, "..."': the second part goes on with the first (pattern continued, no second mention)
    texts = ["“We will not back down,” the union leader said, “and we will not be bullied by anyone.”"]
    rows = attributions(_sents(texts))
    assert rows[["verb", "quote", "pattern"]].values.tolist() == [
        ["said", "We will not back down,", "subject_verb"],
        ["said", "and we will not be bullied by anyone.", "continued"]]
    assert rows["speaker"].nunique() == 1 and rows["speaker_start"].isna().tolist() == [False, True]
    r = rows.iloc[1]
    assert texts[0][r.content_start:r.content_end] == "and we will not be bullied by anyone."
    # a second part that runs over into the next sentence is one quote, as for the first part
    rows = attributions(_sents(["“No comment,” said Ana Ruiz, “the matter is closed.",
                                "We will say no more.”", "Talks resume on Monday."]))
    assert rows[["sent_id", "speaker", "quote"]].values.tolist() == [
        [0, "Ana Ruiz", "No comment,"], [0, "Ana Ruiz", "the matter is closed. We will say no more."]]


def test_quote_of_another_cue_is_no_continuation():
    # the second quote has a cue of its own: it is hers, not a continuation of his
    rows = _rows(["“No,” he said: “We are done,” she added."], ("speaker", "verb", "quote", "pattern"))
    assert [r[3] for r in rows] == ["subject_verb", "subject_verb"] and rows[1][2] == "We are done,"
    # a quote after a second verb is that verb's, not the first quote again
    rows = _rows(["He called the offer “an insult” and said the union would “fight on”."], ("verb", "quote"))
    assert rows == [["called", "an insult"], ["said", "fight on"]]


# --------------------------------------------------------------------------- speaker text and type
def test_possessive_speaker_as_written():
    # "Mr. Smith’s lawyer": the honorific and the name keep their capitals; a lawyer is typed as the
    # rules type lawyers (expert: attribution.yaml role_nouns), not official
    rows = attributions(_sents(["Mr. Smith’s lawyer said the charges would be dropped by the end of the week."]))
    assert rows[["speaker", "speaker_type", "named", "speaker_text", "quote"]].values.tolist() == [
        ["Mr. Smith’s lawyer", "expert", False, "Mr. Smith’s lawyer", "the charges would be dropped by the end of the week"]]
    assert load_speech_rules().role_type("lawyer").speaker_type == "expert"
    rows = _rows(["On Monday, Lopez’s spokesman said the minister had not been told."], ("speaker", "speaker_type"))
    assert rows == [["Lopez’s spokesman", "official"]]
    # a sentence-initial article is still lowered, and a name of several capitalised words kept
    assert _rows(["The spokesman said the talks would go on."], ("speaker",)) == [["spokesman"]]
    assert _rows(["European Union leaders said the talks would go on."], ("speaker",)) == [["European Union leaders"]]


def test_honorific_is_part_of_the_phrase_not_of_the_name():
    # ", Mr. Smith said.": the clause before the comma is what was said (it was cut at "Mr.")
    rows = _rows(["The deal is off, Mr. Smith said."], ("speaker", "quote"))
    assert rows == [["Smith", "The deal is off"]]
    # British style without a point: the name is Smith, as in "Smith later said"
    rows = _rows(["The deal is off, Mr Smith said.", "Smith later said he regretted the delay."], ("speaker",))
    assert rows == [["Smith"], ["Smith"]]
    assert _rows(["Sir Keir Starmer said the vote would go ahead."], ("speaker",)) == [["Keir Starmer"]]


def test_union_leader_is_no_official():
    # attribution.yaml types trade unions `other` (civil society); "leader" alone is an official's title
    rules = load_speech_rules()
    assert rules.role_type("union").speaker_type == "other"
    assert _rows(["‘We will not back down,’ the union leader said."], ("speaker", "speaker_type")) == [
        ["union leader", "other"]]
    assert _rows(["Union leaders said the strike would go on."], ("speaker", "speaker_type")) == [
        ["union leaders", "other"]]
    assert _rows(["The opposition leader said the strike was justified."], ("speaker_type",)) == [["official"]]
