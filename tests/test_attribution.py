"""Attribution: who is quoted, how, in which sentence -- on the seed corpus and on new text."""
from __future__ import annotations

import pandas as pd
import pytest
import yaml

from alliance_study.corpus import load_corpus
from alliance_study.errors import InputError
from alliance_study.metrics.attribution import COLUMNS, attributions, load_actors, load_speech_rules
from alliance_study.resources import UniqueKeyLoader, packaged
from conftest import PILOT_ACTORS

SEVEN = ["Vladimir Putin", "Zhao Lijian", "Vasily Kashin", "Li Lifan", "Shi Yinhong",
         "Song Zhongping", "Cui Heng"]
EMPTY_ACTORS = pd.DataFrame(columns=["name", "variants", "role_nouns", "speaker_type"])


@pytest.fixture(scope="module")
def corpus(raw_dir):
    return load_corpus(raw_dir)


@pytest.fixture(scope="module")
def attr(corpus, pilot_actors):
    """Attributions on the seeds with the pilot's actor table (study.yaml: lexicons: actors)."""
    return attributions(corpus, actors=pilot_actors)


def _aid(corpus, prefix: str) -> str:
    """article_id of the seed file whose name starts with ``prefix`` (ids come from metadata)."""
    arts = corpus.articles
    hit = arts[arts["file"].astype(str).str.startswith(prefix)]
    assert len(hit) == 1, f"no single seed file {prefix}*"
    return hit["article_id"].iloc[0]


def _speakers(attr, aid) -> dict:
    a = attr[attr["article_id"] == aid]
    return dict(zip(a["speaker"], a["speaker_type"]))


def _sents(texts, **cols) -> pd.DataFrame:
    return pd.DataFrame({"article_id": "t", "sent_id": range(len(texts)), "text": texts, **cols})


# --------------------------------------------------------------------------- seeds
def test_columns_and_types(attr):
    assert list(attr.columns) == COLUMNS
    assert set(attr["speaker_type"]) <= {"official", "expert", "media", "anonymous", "reader", "other", "unknown"}
    assert attr["direct"].dtype == bool


def test_global_times_speakers(corpus, attr):
    sp = _speakers(attr, _aid(corpus, "004_"))
    assert sp.get("Zhao Lijian") == "official"
    assert sp.get("Song Zhongping") == "expert"
    assert sp.get("Cui Heng") == "expert"
    gt = attr[attr["article_id"] == _aid(corpus, "004_")]
    # "Cui said" / "Song believes" resolve through the surname of the full name seen earlier
    assert (gt.query("speaker == 'Cui Heng'")["resolution"] == "surname").any()
    # "X, a ... expert, told the Global Times that ..." records the outlet spoken to
    assert "Global Times" in set(gt.query("speaker == 'Song Zhongping'")["via"])
    # '"We have great trust ...," he said.' -> Putin (the person named in the sentence before)
    he = gt[gt["resolution"] == "pronoun"]
    assert "Vladimir Putin" in set(he["speaker"]) and he["direct"].all()


def test_topwar_speakers_and_dash_blocks(corpus, attr):
    aid = _aid(corpus, "002_")
    sp = _speakers(attr, aid)
    for name in ("Vladimir Putin", "Li Lifan", "Shi Yinhong"):
        assert name in sp, name
    tw = attr[(attr["article_id"] == aid) & (attr["pattern"] == "dash_block")]
    # "<paragraph>\n- said the Russian president." attributes the paragraph before the dash line
    putin = tw[tw["speaker"] == "Vladimir Putin"]
    assert len(putin) == 1 and putin["direct"].all()
    assert putin["quote"].iloc[0].startswith("Time will tell")
    assert (putin["sent_id"] < putin["cue_sent_id"]).all()
    # "- the expert emphasized." resolves to the last named expert, Shi Yinhong
    shi = tw[tw["speaker"] == "Shi Yinhong"]
    assert len(shi) == 1 and shi["resolution"].iloc[0] == "anaphora"
    assert "Li Lifan" in set(tw["speaker"])


def test_tsarizm_speakers(corpus, attr):
    aid = _aid(corpus, "001_")
    sp = _speakers(attr, aid)
    assert sp.get("Vasily Kashin") == "expert"
    assert sp.get("TASS") == "media"
    ts = attr[attr["article_id"] == aid]
    assert "Nezavisimaya Gazeta" in set(ts["via"])
    # the quote opened in one sentence and closed in the next ('... from them," Kashin noted.')
    multi = ts[(ts["speaker"] == "Vasily Kashin") & ts["direct"]]
    assert len(multi) == 1 and multi["sent_id"].iloc[0] < multi["cue_sent_id"].iloc[0]
    assert multi["quote"].iloc[0].startswith("If we look") and multi["quote"].iloc[0].rstrip(",").endswith("from them")
    # "Its spokesperson stressed ..." after "..., the Chinese Defense Ministry announced."
    spokes = ts[ts["resolution"] == "possessive"]
    assert spokes[["speaker", "speaker_type", "verb"]].values.tolist() == [
        ["Chinese Defense Ministry spokesperson", "official", "stressed"]]


def test_overall_coverage(attr):
    found = [n for n in SEVEN if n in set(attr["speaker"])]
    assert len(found) >= 6, found


def test_without_an_actor_table_speakers_are_typed_from_the_text(corpus):
    # the package default actor table is empty: names and types come from what the text says
    a = attributions(corpus)
    found = [n for n in SEVEN if n in set(a["speaker"])]
    assert len(found) >= 6, found
    pairs = set(zip(a["speaker"], a["speaker_type"]))
    assert {("Zhao Lijian", "official"), ("Vasily Kashin", "expert"), ("Song Zhongping", "expert")} <= pairs


def test_quote_offsets_point_into_the_text(corpus, attr):
    starts = corpus.sentences.set_index(["article_id", "sent_id"])["start"]
    checked = 0
    for r in attr.itertuples():
        st = starts[(r.article_id, r.sent_id)]
        assert corpus.text(r.article_id)[st + r.quote_start: st + r.quote_end] == r.quote
        checked += 1
    assert checked > 30


def test_reader_comments_attributed_to_author(corpus, attr):
    segs = corpus.segments
    s = corpus.sentences.merge(segs[["article_id", "seg_id", "author"]], on=["article_id", "seg_id"], how="left")
    want = s[(s["role"] == "reader_comment") & s["author"].fillna("").str.strip().ne("")]
    got = attr[attr["pattern"] == "reader_comment"]
    assert len(want) > 10
    assert len(got) == len(want)
    assert set(got["speaker_type"]) == {"reader"} and got["direct"].all()
    assert set(got["role"]) == {"reader_comment"}
    m = got.merge(want, on=["article_id", "sent_id"])
    assert (m["speaker"] == m["author"].str.strip()).all()
    # nothing else is read out of reader comments or boilerplate
    assert not attr[(attr["pattern"] != "reader_comment")]["role"].isin(["reader_comment", "boilerplate"]).any()


# --------------------------------------------------------------------- new text
def test_unknown_names_are_found_with_types():
    d = _sents([
        "Jane Doe, a professor at Example University, told Reuters that the deal was dead.",
        "“We will see,” said the minister.",
        "The plan is doomed, according to officials.",
        "Doe said the talks would resume.",
        '"It is over," said Pierre Dubois, a spokesman for the French Foreign Ministry.',
        "The Daily Courier reported that prices rose.",
    ])
    a = attributions(d, actors=EMPTY_ACTORS)   # nothing known in advance
    rows = a.set_index("sent_id")
    assert rows.loc[0, ["speaker", "speaker_type", "verb", "via", "direct"]].tolist() == \
        ["Jane Doe", "expert", "told", "Reuters", False]
    assert rows.loc[0, "quote"] == "the deal was dead"
    assert rows.loc[1, "speaker_type"] == "official" and rows.loc[1, "direct"] and not rows.loc[1, "named"]
    assert rows.loc[1, "quote"] == "We will see,"
    assert rows.loc[2, "verb"] == "according to" and rows.loc[2, "speaker_type"] == "anonymous"
    assert rows.loc[2, "quote"] == "The plan is doomed"
    assert rows.loc[3, "speaker"] == "Jane Doe" and rows.loc[3, "resolution"] == "surname"
    assert rows.loc[4, ["speaker", "speaker_type", "direct"]].tolist() == ["Pierre Dubois", "official", True]
    assert rows.loc[5, ["speaker", "speaker_type"]].tolist() == ["Daily Courier", "media"]


def test_a_plural_role_noun_opening_a_sentence_is_no_name():
    """"Officials said": unnamed officials (anonymous, named False), as "Senior officials said"; a surname
    that is no role noun ("Sanders said") stays a name."""
    a = attributions(_sents(["Officials said the talks had failed.", "Senior officials said the talks had failed.",
                             "Sources say the deal is off.", "Sanders said the deal is off."]), actors=EMPTY_ACTORS)
    assert a[["speaker", "speaker_type", "named", "resolution"]].values.tolist() == [
        ["officials", "anonymous", False, "role"], ["senior officials", "anonymous", False, "role"],
        ["sources", "anonymous", False, "role"], ["Sanders", "unknown", True, "name"]]


def test_the_head_before_in_or_on_speaks_not_the_place():
    """"Residents in Springfield told reporters": the residents speak, not the town (np_prepositions)."""
    a = attributions(_sents(["Residents in Springfield told reporters that the tram was late.",
                             "Analysts at Example Bank said growth would slow.",
                             "Experts in London warned that prices would rise."]), actors=EMPTY_ACTORS)
    # a plural role noun opening the sentence is an unnamed group, not a name: anonymous for the
    # types in plural_anonymous_types, like "senior officials"
    assert a["speaker"].tolist() == ["residents", "analysts", "experts"]
    assert a["speaker_type"].tolist()[1:] == ["anonymous", "anonymous"]
    assert not a["named"].any() and set(a["resolution"]) == {"role"}
    # the speaker span runs from the head to the verb, so it overlaps a gold source "Residents in Springfield"
    d = a.iloc[0]
    assert d["speaker_start"] == 0 and "Springfield" in "Residents in Springfield told"[:d["speaker_end"]]


def test_the_head_before_on_speaks_and_an_unquoted_on_in_the_rules_is_a_word():
    """"Shopkeepers on Harbour Road complained": "on" is read as a word from the YAML, not as True."""
    a = attributions(_sents(["Shopkeepers on Harbour Road complained that rents had doubled.",
                             "Analysts on Wall Street said the rally would fade."]), actors=EMPTY_ACTORS)
    assert a["speaker"].tolist() == ["Shopkeepers", "analysts"]
    rules = (packaged("attribution.yaml").read_text(encoding="utf-8")
             .replace('np_prepositions: [of, with, at, from, for, in, "on"]',
                      "np_prepositions: [of, with, at, from, for, in, on]"))
    assert "in, on]" in rules
    b = attributions(_sents(["Shopkeepers on Harbour Road complained that rents had doubled."]),
                     actors=EMPTY_ACTORS, speech=yaml.load(rules, Loader=UniqueKeyLoader))
    assert b["speaker"].tolist() == ["Shopkeepers"]


def test_name_words_ending_in_s_type_the_name():
    """"Reuters", "The Times", "News": a name word ending in s is matched whole (not with its s stripped)."""
    a = attributions(_sents(["Reuters reported that the talks had stalled.",
                             "The Financial Times said the deal was off."]), actors=EMPTY_ACTORS)
    assert a["speaker"].tolist() == ["Reuters", "Financial Times"]
    assert a["speaker_type"].tolist() == ["media", "media"]


def test_a_role_phrase_then_a_name_in_apposition_gives_the_name_typed_by_the_role():
    """"Her lawyer, Tom Green, said": the name speaks, typed by its titles, else by the role before it."""
    a = attributions(_sents(["Her lawyer, Tom Green, said she was innocent.",
                             "The company's chief executive, Jane Roe, said profits rose.",
                             "Their rival, Vermont Sen. Sam Reed, also praised the plan.",
                             "Reed said it was late.",
                             "The minister, who spoke in Paris, said no.",
                             "Green added that the case was weak."]), actors=EMPTY_ACTORS)
    rows = a.set_index("sent_id")
    # the type the apposition gave stays with the later surname mention
    assert rows.loc[5, ["speaker", "speaker_type", "resolution"]].tolist() == ["Tom Green", "expert", "surname"]
    assert rows.loc[0, ["speaker", "speaker_type", "speaker_text"]].tolist() == ["Tom Green", "expert",
                                                                                 "lawyer, Tom Green"]
    assert rows.loc[1, ["speaker", "speaker_type"]].tolist() == ["Jane Roe", "other"]
    assert rows.loc[2, ["speaker", "speaker_type"]].tolist() == ["Sam Reed", "official"]   # "Sen." beats "rival"
    assert rows.loc[3, ["speaker", "resolution"]].tolist() == ["Sam Reed", "surname"]
    assert "Paris" not in set(a["speaker"])      # a relative clause ending in a name is no apposition


def test_unnamed_phrases_keep_acronyms_and_name_words_and_contracted_pronouns_are_pronouns():
    a = attributions(_sents(["GOP aides said the vote would fail.", "The board said no.",
                             "Ann Lee, an economist, said prices rise.", "She’s said that wages lag.",
                             "He's left and said so.", "Times reporters said the road was shut."]),
                     actors=EMPTY_ACTORS)
    assert a["speaker"].tolist() == ["GOP aides", "the board", "Ann Lee", "Ann Lee", "Ann Lee", "Times reporters"]
    assert a["resolution"].tolist()[-3:-1] == ["pronoun", "pronoun"]


def test_a_weekday_opens_a_paper_name_only_after_the_or_at_the_start():
    a = attributions(_sents(["The Sunday Times said the deal was off.", "Sunday Smith said no.",
                             "On Sunday Reuters reported a loss."]), actors=EMPTY_ACTORS)
    assert a[["speaker", "speaker_type"]].values.tolist() == [["Sunday Times", "media"], ["Smith", "unknown"],
                                                              ["Reuters", "media"]]


def test_pronouns_follow_the_last_person_and_stay_unknown_without_one():
    a = attributions(_sents(["He said it would rain.", "Ann Smith, an economist, said prices rise.",
                             "She added that wages lag."]), actors=EMPTY_ACTORS)
    assert a["speaker"].tolist() == ["he", "Ann Smith", "Ann Smith"]
    assert a["speaker_type"].tolist() == ["unknown", "expert", "expert"]
    assert a["resolution"].tolist() == ["pronoun", "name", "pronoun"]


def test_possessive_role_noun_takes_the_latest_organisation():
    a = attributions(_sents(["The Ruritanian Defence Ministry announced a merger.", "Its spokesman said the deal was done.",
                             "Their analysts said prices would rise."]), actors=EMPTY_ACTORS)
    assert a["speaker"].tolist()[1:] == ["Ruritanian Defence Ministry spokesman", "Ruritanian Defence Ministry analysts"]
    assert a["speaker_type"].tolist()[1:] == ["official", "anonymous"]
    # with no organisation before it, the role noun stays unresolved
    b = attributions(_sents(["Its spokesman said the deal was done."]), actors=EMPTY_ACTORS)
    assert b[["speaker", "resolution"]].values.tolist() == [["spokesman", "role"]]


def test_no_false_speakers_from_nouns_quotes_or_first_person():
    a = attributions(_sents([
        "Putin's comments were evasive.",          # possessive + noun, not a verb
        "The United States has many allies.",      # "States" is not "states"
        '"I believe we will win," she said.',      # "I believe" sits inside the quote
        "The treaty, which says little, expired.",  # relative clause, no speaker
        "Time will tell.",
        "I would say it is over.",                  # first person is not a source
    ]))
    assert a["cue"].tolist() == ["said"]
    assert a["direct"].tolist() == [True]


def test_actor_table_resolves_variants_role_nouns_and_names():
    actors = pd.DataFrame({"name": ["Maria Ruiz", "Harbor Gazette"],
                           "variants": ["Maria Ruiz;Ruiz", "Harbor Gazette"],
                           "role_nouns": ["the port's harbourmaster", ""],
                           "speaker_type": ["official", "media"],
                           "entity": ["person", "organization"]})
    a = attributions(_sents(["The port's harbourmaster said ships wait.",
                             "Ships queue, the Harbor Gazette reported.",
                             "Ruiz told reporters the backlog will clear."]), actors=actors)
    assert a["speaker"].tolist() == ["Maria Ruiz", "Harbor Gazette", "Maria Ruiz"]
    assert a["speaker_type"].tolist() == ["official", "media", "official"]
    assert a["quote"].tolist()[1] == "Ships queue"


def test_speech_rules_are_data():
    rules = {"speech_verbs": {"proclaimed": ["proclaimed"]},
             "role_nouns": {"expert": ["historian"]}, "stop_words": ["that"], "determiners": ["a", "the"]}
    a = attributions(_sents(["Tom Kay proclaimed victory.", "Tom Kay said nothing."]),
                     actors=EMPTY_ACTORS, speech=rules)
    assert a["verb"].tolist() == ["proclaimed"]
    assert load_speech_rules().cue("according to") == ("according to", "after", False)
    # the package table is empty (actors are a study's choice); the pilot's resolves role nouns
    assert len(load_actors()) == 0 and load_actors().lookup("the Russian president") is None
    assert load_actors(PILOT_ACTORS).lookup("the Russian president").name == "Vladimir Putin"


def test_sentence_table_without_offsets_and_bad_input():
    d = _sents(['"We will talk.', 'Then we will see," Li Wei said.'])
    a = attributions(d, actors=EMPTY_ACTORS)
    assert a["sent_id"].tolist() == [0] and a["cue_sent_id"].tolist() == [1]
    assert a["quote"].iloc[0] == "We will talk. Then we will see,"
    with pytest.raises(InputError, match="text"):
        attributions(pd.DataFrame({"article_id": [1], "sent_id": [0]}))
    assert attributions(_sents([])).columns.tolist() == COLUMNS


def test_an_affiliation_between_commas_is_an_appositive():
    """"Mark Dunn, of Acme Logistics, said": "of" opens an appositive, the name before it speaks."""
    a = attributions(_sents(["Mark Dunn, of Acme Logistics, said the plan was too costly."]), actors=EMPTY_ACTORS)
    assert a[["speaker", "resolution", "speaker_text"]].values.tolist() == [["Mark Dunn", "name", "Mark Dunn"]]


def test_a_name_of_an_organisation_is_the_person():
    """"Ruth Okafor of Harbour College said": the person speaks (the table's actor when listed), not the run."""
    actors = pd.DataFrame({"name": ["Ruth Okafor"], "variants": ["Ruth Okafor;Okafor"], "role_nouns": [""],
                           "speaker_type": ["expert"], "entity": ["person"]})
    a = attributions(_sents(["Ruth Okafor of Harbour College said the deal could set a precedent.",
                             "Tom Kay of Acme Logistics said the plan was too costly.",
                             "Kay added that costs rose.",
                             "Ann Lee of Example University told reporters it was late.",
                             "The Royal Bank of Scotland said profits fell."]), actors=actors)
    assert a[["speaker", "resolution", "speaker_text"]].values.tolist() == [
        ["Ruth Okafor", "table", "Ruth Okafor"], ["Tom Kay", "name", "Tom Kay"], ["Tom Kay", "surname", "Kay"],
        ["Ann Lee", "name", "Ann Lee"], ["Royal Bank of Scotland", "name", "Royal Bank of Scotland"]]
    assert a["speaker_type"].tolist()[:4] == ["expert", "unknown", "unknown", "expert"]


def test_sources_close_to_a_topic_speak_not_the_topic():
    """"Sources close to the negotiations told ...": the sources speak (np_adjective_prepositions), anonymous."""
    a = attributions(_sents(["Sources close to the negotiations told Jornal do Porto that a deal was unlikely.",
                             "People close to the negotiations said a deal was unlikely.",
                             "A source close to the talks said the offer was final."]), actors=EMPTY_ACTORS)
    assert a["speaker"].tolist() == ["sources", "people close", "source"]
    assert not a["named"].any()
    assert a["speaker_type"].tolist() == ["anonymous"] * 3
    assert a["speaker_text"].tolist()[1] == "People close to the negotiations"
    # an outlet's name with a Portuguese particle is the recipient as a whole
    assert a["via"].tolist()[0] == "Jornal do Porto"


def test_a_sentence_that_is_only_a_quote_continues_the_speaker_before_it():
    """'"We have no choice left," said Mark Dunn. "The employers stopped ..."': Dunn says both (pattern continued)."""
    texts = ['"We have no choice left," said Mark Dunn.', '"The employers stopped answering our calls."',
             '"We will strike.', 'Nothing else is left."', '"Not one call."', "The port was quiet.",
             '"Odd."', '"Yes," said Ann Lee, according to officials.', '"No."']
    a = attributions(_sents(texts), actors=EMPTY_ACTORS)
    assert a[["sent_id", "speaker", "pattern"]].values.tolist()[:4] == [
        [0, "Mark Dunn", "verb_subject"], [1, "Mark Dunn", "continued"], [2, "Mark Dunn", "continued"],
        [4, "Mark Dunn", "continued"]]
    cont = a[a["pattern"] == "continued"]
    assert cont["quote"].tolist() == ["The employers stopped answering our calls.",
                                      "We will strike. Nothing else is left.", "Not one call."]
    assert cont["cue_sent_id"].tolist() == [0, 0, 0] and cont["speaker_start"].isna().all()
    joined = " ".join(texts)
    assert [joined[r.content_start:r.content_end] for r in cont.itertuples()] == cont["quote"].tolist()
    # a sentence in between ends the chain; two speakers of the quote before leave it unattributed
    assert not {6, 8} & set(a["sent_id"])


def test_for_its_part_is_an_appositive():
    """"The port union, for its part, denied ...": openers of three words ("for his/her/its part") are read whole."""
    a = attributions(_sents(["The port union, for its part, denied that the action was political.",
                             "Jane Roe, for her part, said the plan was fine."]), actors=EMPTY_ACTORS)
    assert a[["speaker", "verb"]].values.tolist() == [["port union", "denied"], ["Jane Roe", "said"]]


def test_a_name_without_its_middle_particle_is_the_person_named_in_full():
    """"Pádraig Súilleabháin told" after "Pádraig Ó Súilleabháin": the actor, not a new person."""
    actors = pd.DataFrame({"name": ["Pádraig Ó Súilleabháin"],
                           "variants": ["Pádraig Ó Súilleabháin;Ó Súilleabháin"], "role_nouns": [""], "speaker_type": ["official"], "entity": ["person"]})
    a = attributions(_sents(["According to Pádraig Ó Súilleabháin, 2,000 workers joined.",
                             'Pádraig Súilleabháin told reporters: "We are ready."',
                             "Jo Ann Roe, a lawyer, said the strike was legal.", "Jo Roe added that it would go on.",
                             "Jo Smith said it would not."]), actors=actors)
    assert a[["speaker", "speaker_type", "resolution"]].values.tolist() == [
        ["Pádraig Ó Súilleabháin", "official", "table"], ["Pádraig Ó Súilleabháin", "official", "surname"],
        ["Jo Ann Roe", "expert", "name"], ["Jo Ann Roe", "expert", "surname"], ["Jo Smith", "unknown", "name"]]


def test_a_table_role_noun_then_a_name_in_apposition_gives_the_name():
    """"The labour minister, Ruth Okafor, said ...": a table role noun before the name is no speaker of its own.

    The phrase held two mentions (the same actor twice) and was passed over, so the
    cue read "the government" after it as its speaker (an anaphora to Mark Dunn).
    """
    dunn = '"It is too early to tell," said Mark Dunn, a spokesman for the Federation of Employers.'
    rest = " said the government would study the findings carefully."
    actors = pd.DataFrame({"name": ["Ruth Okafor", "Jane Roe"], "variants": ["Ruth Okafor;Okafor", "Jane Roe;Roe"],
                           "role_nouns": ["the labour minister", "the foreign minister"],
                           "speaker_type": ["official", "expert"]})
    a = attributions(_sents([dunn, "The labour minister, Ruth Okafor," + rest,
                             "The foreign minister, Jane Roe," + rest,
                             "Jane Roe, the labour minister," + rest,          # the role noun of another actor:
                             "The labour minister, Tom Kay," + rest]), actors=actors)  # the name speaks
    rows = a.set_index("sent_id")
    assert rows.loc[1:, ["speaker", "speaker_type", "resolution", "pattern", "speaker_text"]].values.tolist() == [
        ["Ruth Okafor", "official", "table", "subject_verb", "The labour minister, Ruth Okafor"],
        ["Jane Roe", "expert", "table", "subject_verb", "The foreign minister, Jane Roe"],
        ["Jane Roe", "expert", "table", "subject_verb", "Jane Roe"],
        ["Tom Kay", "official", "name", "subject_verb", "The labour minister, Tom Kay"]]
    assert set(rows.loc[1:, "quote"]) == {"the government would study the findings carefully"}


def test_a_phrase_after_a_cue_that_opens_a_reported_clause_is_no_speaker():
    """", say it would keep ...", "Says Clinton would ...": the phrase after the cue is the clause's subject.

    It was read as the cue's speaker (pattern verb_subject); a phrase after the
    cue that ends a clause, or stands before an adverbial, still speaks.
    """
    a = attributions(_sents(["Proponents of the new bill, however, say it would keep enough safeguards.",
                             "Says Clinton would stack the Supreme Court.",
                             "Prices will rise, said the minister in a statement.",
                             "Asked by Tom Starnes if he believed it, Jane Roe said no."]), actors=EMPTY_ACTORS)
    vs = a[a["pattern"] == "verb_subject"]
    assert vs[["sent_id", "speaker"]].values.tolist() == [[2, "minister"], [3, "Tom Starnes"]]
    assert not {0, 1} & set(a["sent_id"])


def test_a_speaker_after_the_cue_is_not_its_reported_clause():
    """"Prices will rise, said the minister in a statement.": the clause before the comma is what was said.

    The reported clause was taken from the end of the cue, so it was the speaker
    phrase itself ("the minister in a statement", "Jane Roe, a lawyer").
    """
    a = attributions(_sents(["Prices will rise, said the minister in a statement.",
                             "The strike is legal, said Jane Roe, a lawyer.",
                             "Talks failed, said Tom Kay."]), actors=EMPTY_ACTORS)
    assert a[["speaker", "pattern", "direct"]].values.tolist() == [
        ["minister", "verb_subject", False], ["Jane Roe", "verb_subject", False], ["Tom Kay", "verb_subject", False]]
    assert a["quote"].tolist() == ["Prices will rise", "The strike is legal", "Talks failed"]


def test_a_speaker_after_the_cue_ends_before_at():
    """'"...," said Tom Kay at a news conference.': the name speaks; the phrase ends at "at" (after_phrase_stops).

    The phrase ran on to "conference", so a name before "at" was lost and a role
    phrase took the place with it ("transport minister at the launch of the plan").
    A phrase after the verb that a reported clause goes on after, past "at", is
    still the clause's subject ("said the unrest at the rally was staged"); after
    "according to" the noun phrase keeps its "at" (the seed "According to Professor
    ... at Renmin University and ... Shi Yinhong": test_topwar_speakers_and_dash_blocks).
    """
    a = attributions(_sents(['"The line will reopen in May," said Tom Kay at a news conference.',
                             '"It is finished," said Brandt at a briefing in Vienna.',
                             "Fares will rise, said the transport minister at the launch of the plan.",
                             "Ann Lee, a delegate from Springfield, Ohio, said the unrest at the rally was staged."]),
                     actors=EMPTY_ACTORS)
    assert a[["sent_id", "speaker", "speaker_text", "pattern"]].values.tolist() == [
        [0, "Tom Kay", "Tom Kay", "verb_subject"], [1, "Brandt", "Brandt", "verb_subject"],
        [2, "transport minister", "transport minister", "verb_subject"], [3, "Ann Lee", "Ann Lee", "subject_verb"]]
    assert a["quote"].tolist() == ["The line will reopen in May,", "It is finished,", "Fares will rise",
                                   "the unrest at the rally was staged"]


def test_wire_formulas_for_unnamed_sources_are_anonymous():
    """"a source familiar with the matter said", "officials with direct knowledge of ... told": the head speaks.

    The phrase after the last preposition was the speaker ("the matter", "the
    negotiations"); now the head before an adjective and its preposition
    (np_adjective_prepositions) or before nested phrases speaks, and a phrase
    that says the speaker is not named (anonymity_markers) types it anonymous.
    """
    a = attributions(_sents([
        "The airline is in merger talks, a source familiar with the matter said.",
        "Two officials with direct knowledge of the negotiations told Reuters that the offer was withdrawn.",
        "The plant will close in March, an executive with knowledge of the plans said.",
        "A senior diplomat, speaking on condition of anonymity, said the envoy had left.",
        '"We were not consulted," said a regional official who spoke on condition of anonymity.',
        '"It is finished," said a senior executive familiar with the talks.',
        "The regional official said the road was open.",
    ]), actors=EMPTY_ACTORS)
    assert a[["speaker", "speaker_type", "speaker_text"]].values.tolist() == [
        ["source", "anonymous", "source familiar with the matter"],
        ["officials", "anonymous", "officials with direct knowledge of the negotiations"],
        ["executive", "anonymous", "executive with knowledge of the plans"],
        ["senior diplomat", "anonymous", "senior diplomat"],
        ["regional official", "anonymous", "regional official"],
        ["senior executive", "anonymous", "senior executive familiar with the talks"],   # as before a verb
        ["regional official", "official", "regional official"]]      # nothing says this one is not named
    assert a["quote"].tolist()[:3] == ["The airline is in merger talks", "the offer was withdrawn",
                                       "The plant will close in March"]


def test_nouns_adjectives_and_verbs_without_reported_content_are_no_cues():
    """"Coastal states want", "Flood claims rose", "Reported earnings rose", "said nothing about".

    A cue form that is a noun (clause_noun_forms, noun_form_not_before, after a
    number, any cue form after an article), an adjective opening the sentence (adjective_suffixes),
    a participle ending a headline (object_verbs), "added" before a number
    (not_before_number) or a verb whose object reports nothing (no_content_objects)
    gave an attribution.  A request not to be named is no statement either: the
    officials speak through "said".
    """
    texts = ["Coastal states want new funds for flood defences.",
             "Flood claims rose sharply in the spring.",
             "The main index added 0.8 percent by midday.",
             "Factories added 12,000 jobs last month.",
             "Reported earnings rose by 4 percent.",
             "Merger described",
             "The treaty says nothing about fishing rights.",
             "She said goodbye to her colleagues on Friday.",
             "Two diplomats who asked not to be named said the embassy would close.",
             "The survey states that wages fell.",
             "Media reports say the plant will close.",
             "The bank said nothing would change before May.",
             "Wages rose, the survey shows.",
             "Officials who are granted a say at the convention backed the plan."]     # "a say": a noun
    roles = ["body"] * len(texts)
    roles[5] = "headline"
    a = attributions(_sents(texts, role=roles), actors=EMPTY_ACTORS)
    assert a[["sent_id", "speaker", "speaker_type", "verb"]].values.tolist() == [
        [8, "diplomats", "anonymous", "said"], [9, "survey", "other", "stated"],
        [10, "media reports", "other", "said"], [11, "the bank", "unknown", "said"], [12, "survey", "other", "showed"]]
    assert a["quote"].tolist() == ["the embassy would close", "wages fell", "the plant will close",
                                   "nothing would change before May", "Wages rose"]


def test_names_with_hyphenated_prefixes_and_particles_are_whole():
    """"Abdel Fattah al-Sisi said", "Ursula von der Leyen said", "Le Figaro reported": the whole name speaks.

    A lower-case hyphenated prefix ("al-", name_prefixes) made the word no name word,
    so no speaker was found; only one particle was allowed between capitalised words
    ("von der" gave "Leyen"); a capitalised particle opening a run was stripped ("Le
    Figaro" gave "Figaro").  Later mentions of the surname with its prefix or particle,
    capitalised at the start of a sentence, are the same person.
    """
    a = attributions(_sents([
        "Abdel Fattah al-Sisi said the crossing would reopen.",
        "Ayman al-Safadi, the foreign minister, said the border would stay shut.",
        "Al-Safadi added that talks would continue.",
        "Ursula von der Leyen said the plan would work.",
        "María del Carmen de la Vega told reporters that the port was closed.",
        "Le Figaro reported that the cabinet would change.",
        "Mayor Bill de Blasio said the city was safe.",
        "De Blasio said the budget was balanced.",
    ]), actors=EMPTY_ACTORS)
    assert a[["sent_id", "speaker", "resolution"]].values.tolist() == [
        [0, "Abdel Fattah al-Sisi", "name"], [1, "Ayman al-Safadi", "name"], [2, "Ayman al-Safadi", "surname"],
        [3, "Ursula von der Leyen", "name"], [4, "María del Carmen de la Vega", "name"], [5, "Le Figaro", "name"],
        [6, "Bill de Blasio", "name"], [7, "Bill de Blasio", "surname"]]
    assert a["speaker_type"].tolist()[1:3] == ["official", "official"]


def test_a_speaker_before_a_colon_in_a_headline_or_a_transcript():
    """Headline "Minister: the port will reopen on Monday", transcript "KAY: We have ...": pattern colon.

    Not a section label ("The Latest:", "Contributing:"), a topic before a question
    word ("Brexit: what happens next"), a tally ("Ruiz: 547 votes"), a body-text label
    that is no name in capitals ("Ruiz: Win the vote first."), nor a cue's own colon
    ("told reporters:").
    """
    texts = ["Minister: the port will reopen on Monday", "Brexit: what happens next",
             "The Latest: port strike enters third day", "Ruiz: 547 votes",
             "KAY: We have done everything we could.", "CONTRIBUTING: Ann Lee and Tom Kay.",
             "Ruiz: Win the vote first.", 'Jane Roe told reporters: "The deal is off."']
    roles = ["headline"] * 4 + ["body"] * 4
    a = attributions(_sents(texts, role=roles), actors=EMPTY_ACTORS)
    assert a[["sent_id", "speaker", "speaker_type", "verb", "pattern"]].values.tolist() == [
        [0, "Minister", "official", "said", "colon"], [4, "KAY", "unknown", "said", "colon"],
        [7, "Jane Roe", "unknown", "told", "subject_verb"]]
    assert a["quote"].tolist()[:2] == ["the port will reopen on Monday", "We have done everything we could"]


def test_quoted_as_saying_and_a_passive_report_by_an_outlet():
    """"X was quoted as saying ...": X speaks; "The closure was first reported by the Harbour Gazette": the paper.

    "was quoted as saying" ends in -ing and was taken for a participle, which takes
    no unnamed phrase before it; "reported by" had no rule (speaker_after).
    """
    a = attributions(_sents(["The port authority chief was quoted as saying the fall was temporary.",
                             "The closure was first reported by the Harbour Gazette on Thursday.",
                             "It was reported by the Harbour Gazette that the line would close."]),
                     actors=EMPTY_ACTORS)
    assert a[["speaker", "speaker_type", "verb", "pattern"]].values.tolist() == [
        ["port authority chief", "official", "quoted", "subject_verb"],
        ["Harbour Gazette", "media", "reported by", "speaker_after"],
        ["Harbour Gazette", "media", "reported by", "speaker_after"]]
    # what was reported: the subject without its auxiliary, or the clause after "that"
    assert a["quote"].tolist() == ["the fall was temporary", "The closure", "the line would close"]


def test_government_agencies_are_official_news_agencies_and_papers_media():
    """"the customs agency", "the International Atomic Energy Agency": official; "the state news agency",
    "KCNA", "the Harbour Post": media.

    "agency" was a media role noun and "Agency" a media name word, so every agency
    was typed media; a role noun inside a name ("post") beat the name's own word
    ("Post"), so a paper was typed other.
    """
    a = attributions(_sents(["Exports fell, the customs agency said.",
                             "The reactor is back online, the International Atomic Energy Agency said.",
                             "The state news agency said the talks went well.",
                             "The missile flew 600 km, KCNA said.",
                             "The deal is off, the Harbour Post reported."]), actors=EMPTY_ACTORS)
    assert a[["speaker", "speaker_type"]].values.tolist() == [
        ["customs agency", "official"], ["International Atomic Energy Agency", "official"],
        ["state news agency", "media"], ["KCNA", "media"], ["Harbour Post", "media"]]


def test_a_weak_cue_inside_a_reported_clause_is_part_of_what_was_said():
    """"She said the two countries agreed on ...": only "said" attributes (nested_cues).

    "agreed", "opposed" inside the reported clause of "said" gave their own rows
    (the clause's subject as speaker); a strong cue there ("argued") still
    attributes, and a weak outer cue ("pledged to back the plan, ...") takes no
    later cue into its clause.
    """
    a = attributions(_sents(["She said the two countries agreed on the need for tighter controls.",
                             "The spokeswoman said the ministry firmly opposed the sale.",
                             "Roe said prices would rise, while Lee argued they would fall.",
                             "While Roe has pledged to back the plan, Lee suggested that it would fail."]),
                     actors=EMPTY_ACTORS)
    assert a[["sent_id", "speaker", "verb"]].values.tolist() == [
        [0, "she", "said"], [1, "spokeswoman", "said"], [2, "Roe", "said"], [2, "Lee", "argued"],
        [3, "Roe", "promised"], [3, "Lee", "suggested"]]


def test_the_reported_clause_of_told_skips_the_recipient():
    """"The talks failed, Lavrov told Rossiya-1 state television.": what was said stands before the speaker.

    The reported clause was the recipient ("Rossiya-1 state television",
    "reporters in Brasilia that Brazil ...", "Reuters the talks failed").
    """
    a = attributions(_sents(["The talks failed, Lavrov told Rossiya-1 state television.",
                             "Lula told a group of reporters in Brasilia that Brazil would not take sides.",
                             "Roe told Reuters the talks failed.",
                             "Roe told reporters the plan was dead."]), actors=EMPTY_ACTORS)
    assert a["quote"].tolist() == ["The talks failed", "Brazil would not take sides", "the talks failed",
                                   "the plan was dead"]
    assert a["via"].tolist() == ["Rossiya-1", "", "Reuters", ""]


def test_an_appositive_that_cites_a_source_passes_to_the_subject():
    """"The survey, cited by the Harbour Gazette, found that ...": the survey finds, the paper cites.

    An appositive opening with a cue whose speaker follows it ("cited by",
    "according to") was no appositive, so the clause after the verb gave a false
    speaker ("40 percent of firms planned").
    """
    a = attributions(_sents(["The survey, cited by the Harbour Gazette, found that 40 percent of firms planned cuts."]),
                     actors=EMPTY_ACTORS)
    assert a[["speaker", "verb", "pattern"]].values.tolist() == [
        ["Harbour Gazette", "quoted", "speaker_after"], ["survey", "showed", "subject_verb"]]
    assert a["quote"].tolist()[1] == "40 percent of firms planned cuts"


def test_a_chief_is_official_unless_the_noun_after_it_decides():
    """"the UN refugee chief", "The central bank chief": official; "chief economist": expert.

    An appositive is typed by its head, the last role noun before a preposition
    (head_role: "the UN refugee chief" was typed other by "refugee").
    """
    a = attributions(_sents(["Filippo Rossi, the UN refugee chief, said the camp was full.",
                             "The central bank chief said rates would stay high.",
                             "Megan Roe, chief economist at Example Bank, said growth would slow.",
                             "Chief economist Tom Kay said prices would fall."]),
                     actors=EMPTY_ACTORS)
    assert a[["speaker", "speaker_type"]].values.tolist() == [
        ["Filippo Rossi", "official"], ["central bank chief", "official"], ["Megan Roe", "expert"],
        ["Tom Kay", "expert"]]


def test_appositives_with_places_initials_and_brackets():
    """"Cory Lane, 22, of Flint, Mich., said", "James B. Comey Jr., the director ..., said", "Sen. Rob Portman
    (R-Ohio), another incumbent, said", "the director of the bureau, James B. Comey, said".

    A state after a place ("Mich.") ended the appositive search, a point after an
    initial or "Jr." and a bracket before the comma left no name to resolve, "A."
    was read as an article, and a role phrase ending in an organisation's name was
    no role before a name in apposition.
    """
    a = attributions(_sents([
        "The director of the Federal Bureau of Investigation, Ann K. Roe, said the files were private.",
        "Cory Lane, 22, of Flint, Mich., said he had not given up hope.",
        '"It works," James B. Comey Jr., the director of the Federal Bureau of Investigation, said.',
        "Sen. Rob Portman (R-Ohio), another vulnerable incumbent, said he had not thought about it.",
        "Judge Richard A. Posner said the law was clear.",
        '"Both scare me," Harry Bond, 30, of Raleigh, N.C., who was among those polled, said.',
        "A. Kay said the vote was fair.",
    ]), actors=EMPTY_ACTORS)
    assert a[["sent_id", "speaker", "speaker_type"]].values.tolist() == [
        [0, "Ann K. Roe", "official"], [1, "Cory Lane", "unknown"], [2, "James B. Comey Jr", "official"],
        [3, "Rob Portman", "official"], [4, "Richard A. Posner", "official"], [5, "Harry Bond", "unknown"],
        [6, "A. Kay", "unknown"]]


def test_a_name_is_typed_by_its_title_then_the_head_of_its_description():
    """"Alabama Sen. Jo Roe, a prominent supporter of the plan": official (the title); "Republican strategist
    Tom Kay": expert (the head noun, not the party word before it); "conservative radio host Ann Lee": media."""
    a = attributions(_sents(["Alabama Sen. Jo Roe, a prominent supporter of the plan, said the vote was fair.",
                             "Republican strategist Tom Kay said the vote was fair.",
                             "Conservative radio host Ann Lee said the vote was rigged."]), actors=EMPTY_ACTORS)
    assert a[["speaker", "speaker_type"]].values.tolist() == [
        ["Jo Roe", "official"], ["Tom Kay", "expert"], ["Ann Lee", "media"]]


def test_called_reports_a_named_speakers_words_not_a_name_given():
    """"Roe called the plan a disaster": an attribution (verb called); "a group called Harbour Watch", "what
    Roe called a reckless plan", "called off", "called into" are none (naming_forms)."""
    a = attributions(_sents(["Jane Roe called the plan a disaster.",
                             "The money went to a group called Harbour Watch.",
                             "He condemned what Roe called a reckless plan.",
                             "Roe called off the strike on Monday.",
                             "Roe called into a radio show on Monday."]), actors=EMPTY_ACTORS)
    assert a[["sent_id", "speaker", "verb"]].values.tolist() == [[0, "Jane Roe", "called"]]
    assert a["quote"].tolist() == ["the plan a disaster"]


def test_a_pronoun_after_a_listed_actor_keeps_the_actor_tables_type():
    """'said José Álvarez, a spokesman for the ministry. He added ...': the table types him expert, but the
    pronoun row took the description's type (official), so one person had two types in two sentences."""
    actors = pd.DataFrame({"name": ["José Álvarez"], "variants": [""], "role_nouns": [""], "speaker_type": ["expert"]})
    a = attributions(_sents(["“The water rose fast,” said José Álvarez, a spokesman for the ministry.",
                             "He added that aid was coming.", "Álvarez said more rain was due."]), actors=actors)
    assert a[["speaker", "speaker_type"]].values.tolist() == [["José Álvarez", "expert"]] * 3
