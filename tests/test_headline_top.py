"""The top of an article: the known title anywhere in the top lines, kickers over question and
exclamation headlines, title matching that forgives quotes, dashes, entities and a site suffix,
short headlines that end in a section word, section labels in capitals, and time stamps under the
headline (corpus/headline.py, corpus/segment.py ``_top``, lexicons/roles.yaml step 2).

Each case is a real-looking article opening; each test failed before the fix it names.
"""
from __future__ import annotations

import csv

import pytest

from alliance_study.corpus import load_corpus
from alliance_study.corpus.segment import same_line, segment_text

BODY = ("Negotiators from both delegations arrived in the capital on Monday morning.\n\n"
        "Officials said the first session would last until late in the evening.\n")


def roles(text: str, title: str | None = None, n: int = 3) -> list[str]:
    return [s.role for s in segment_text(text, title=title)][:n]


# ---- 1. a known title anywhere in the top lines is the headline
@pytest.mark.parametrize("above", [
    ["MIDDLE EAST"],
    ["Menu", "Search"],
    ["Menu", "Search", "WORLD"],
    ["Skip to content", "Home", "News"],
])
def test_the_title_below_furniture_is_the_headline_and_the_lines_above_are_furniture(above):
    title = "Ceasefire talks resume in Cairo as aid convoys wait at the border"
    text = "\n".join(above) + "\n\n" + title + "\n\n" + BODY
    segs = segment_text(text, title=title)
    got = [(s.text, s.role) for s in segs][:len(above) + 2]
    assert got == [(a, "boilerplate") for a in above] + [(title, "headline"), (BODY.split("\n")[0], "body")]
    assert segs[len(above)].rule == "title"


def test_a_title_outside_the_top_lines_is_not_searched_for():
    title = "Ceasefire talks resume in Cairo"
    text = "\n".join(f"Paragraph {i} of the report on the talks in Cairo." for i in range(10)) + "\n" + title + "\n"
    segs = segment_text(text, title=title)
    assert segs[-1].role == "body" and "headline" not in [s.role for s in segs]


# ---- 2. a kicker over a headline ending in ? or !
@pytest.mark.parametrize("kicker, headline", [
    ("ANALYSIS", "Is the housing bubble about to burst?"),
    ("ASIA / POLITICS", "Can the coalition survive the coming vote?"),
    ("SPORT", "They did it!"),
    ("Opinion", "Why did nobody see the bank run coming?"),
    ("Environment", "Will the ozone layer recover by 2050?"),
])
@pytest.mark.parametrize("with_title", [False, True])
def test_a_kicker_over_a_question_or_exclamation_headline(kicker, headline, with_title):
    text = f"{kicker}\n\n{headline}\n\n{BODY}"
    assert roles(text, headline if with_title else None) == ["boilerplate", "headline", "body"]


def test_a_question_headline_alone_is_still_the_headline_and_the_standfirst_body():
    text = "Is the housing bubble about to burst?\n\nHouse prices have fallen for six months in a row\n\n" + BODY
    assert roles(text) == ["headline", "body", "body"]


# ---- 3. title matching, and a table gives the folder's roles
@pytest.mark.parametrize("line, title", [
    ("Kenya\u2019s parliament approves finance bill", "Kenya's parliament approves finance bill"),
    ("\u201cWe will not back down\u201d, says union leader", '"We will not back down", says union leader'),
    ("Rail strike \u2013 what you need to know", "Rail strike - what you need to know"),
    ("Rail strike \u2014 what you need to know", "Rail strike - what you need to know"),
    ("Fish & chip shop prices climb again", "Fish &amp; chip shop prices climb again"),
    ("Factory fire kills three workers", "Factory fire kills three workers | Local news"),
    ("Factory fire kills three workers", "Factory fire kills three workers - The Evening Post"),
])
def test_a_title_that_differs_only_in_form_is_the_same_line(line, title):
    assert same_line(line, title)
    assert roles(f"WORLD NEWS\n\n{line}\n\n{BODY}", title) == ["boilerplate", "headline", "body"]


@pytest.mark.parametrize("line, title", [
    ("UK", "UK - France relations hit new low"),
    ("Rail strike", "Rail strike - what you need to know"),
    ("Factory fire kills three", "Factory fire kills three workers"),
])
def test_a_different_line_is_not_the_title(line, title):
    assert not same_line(line, title)


ARTICLES = [  # (id, title, text): the title is in the text in another form, or not at all
    ("m1", "Kenya's parliament approves finance bill",
     "WORLD NEWS\n\nKenya\u2019s parliament approves finance bill\n\nLawmakers voted 195 to 106 on Tuesday.\n"),
    ("m2", "Senate Passes Climate Bill",
     "POLITICS\n\nSenate passes climate bill after marathon session\n\nThe Senate passed the bill on Sunday.\n"),
    ("m3", "Brazil's Lula meets Argentina's Milei",
     "WORLD NEWS\n\nBRASILIA, July 8 (Reuters) - Lula met Milei on Monday.\n\nThey discussed trade.\n"),
    ("m4", "Rail strike - what you need to know | Travel",
     "EXPLAINER\n\nRail strike \u2013 what you need to know\n\nMost trains will not run on Saturday.\n"),
    ("m5", "Mayor unveils housing plan",
     "Opinion\n\nThe mayor has finally published her plan for new homes.\n\nIt is not enough.\n"),
]


def test_a_table_and_a_folder_of_the_same_articles_give_the_same_roles(tmp_path):
    with open(tmp_path / "t.csv", "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["article_id", "outlet", "title", "text"])
        w.writerows([(a, "X", t, x) for a, t, x in ARTICLES])
    folder = tmp_path / "folder"
    folder.mkdir()
    with open(folder / "articles.csv", "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["article_id", "file", "outlet", "title"])
        for a, t, x in ARTICLES:
            (folder / f"{a}.txt").write_text(x, encoding="utf-8")
            w.writerow([a, f"{a}.txt", "X", t])
    fs = load_corpus(folder).segments
    ts = load_corpus(table=str(tmp_path / "t.csv")).segments
    for aid, title, text in ARTICLES:
        f_roles = fs[fs.article_id == aid][["text", "role"]].values.tolist()
        t_roles = ts[ts.article_id == aid][["text", "role"]].values.tolist()
        if len(t_roles) == len(f_roles) + 1:  # the title put before the text: the headline
            assert t_roles[0] == [" ".join(title.split()), "headline"]
            t_roles = t_roles[1:]
        assert t_roles == f_roles, aid
        assert f_roles[0][1] == "boilerplate", aid  # the label on top is never a (second) headline
    table_heads = ts[ts.role == "headline"].groupby("article_id").size()
    assert (table_heads <= 2).all() and table_heads["m2"] == 2  # the title, and the text's own headline


# ---- 4. short headlines ending in a section word; capitals labels not in the list
@pytest.mark.parametrize("headline, standfirst", [
    ("Heatwave grips Europe", "Temperatures pass 40C in Spain and Italy as wildfires force thousands from their homes"),
    ("Rate cut lifts markets", "Stocks rally after the central bank surprises investors with a half-point cut"),
    ("Scandal rocks British politics", "Three ministers resign within hours over leaked messages"),
    ("Record year for tech", "Start-ups raised more money in 2024 than in any year before"),
    ("Drought squeezes Africa", "Harvests fail across the Horn as the rains stay away for a third season"),
    ("Bumper season for travel", "Airlines expect record numbers of passengers this summer"),
    ("NEW ERA FOR EUROPE", "Leaders agree a common defence budget for the first time"),
    ("WAGES FALL", "Workers see their pay shrink for a third year in a row"),
    ("BANKS RALLY", "Lenders Lead Market Higher After Strong Results"),
    ("Ceasefire holds overnight", "Both Sides Report A Quiet Night In The Capital"),
])
def test_a_short_headline_that_reads_as_a_clause_is_the_headline(headline, standfirst):
    segs = segment_text(f"{headline}\n\n{standfirst}\n\n{BODY}")
    assert (segs[0].role, segs[0].rule) == ("headline", "first_line")
    # the standfirst is body, or a second headline line when in Title Case -- never the headline alone
    assert (segs[1].role, segs[1].rule) in (("body", None), ("headline", "subtitle"))


@pytest.mark.parametrize("label, headline", [
    ("MIDDLE EAST", "Ceasefire talks resume in Cairo as aid convoys wait at the border"),
    ("US ELECTION 2024", "Swing-state voters say the economy matters more than anything else"),
    ("ROYAL FAMILY", "King to attend Commonwealth summit in Samoa"),
    ("ELECTION 2025", "Voters head to the polls in a tight race"),
    ("FOREIGN POLICY", "Diplomats gather in Geneva for arms control talks"),
    ("CITY HALL", "Councillors reject the mayor's housing plan"),
    ("News in brief", "Council approves new cycle lanes on the high street"),
    ("The long read", "How a small port town became a trading hub"),
    ("Arts & culture", "Museum reopens after a five-year restoration"),
    ("Books and ideas", "A new history of the printing press"),
    ("Top stories", "Storms Close Schools Across The North"),
    ("FILM REVIEWS", "A Quiet Thriller Set In A Lighthouse"),
])
def test_a_short_label_over_a_headline_not_in_capitals_is_a_kicker(label, headline):
    assert roles(f"{label}\n\n{headline}\n\n{BODY}") == ["boilerplate", "headline", "body"]


def test_two_lines_in_capitals_are_headline_and_strap():
    # a tabloid headline in capitals over another line in capitals: not a kicker
    assert roles("MIDDLE EAST PEACE\n\nLEADERS SIGN HISTORIC ACCORD AT WHITE HOUSE\n\n" + BODY)[0] == "headline"


# ---- 6. a time or a number under the headline is no second headline
@pytest.mark.parametrize("stamp", ["22:04", "10.32am", "22:04 GMT", "12:10 BST", "2024", "9.15 pm"])
def test_a_time_stamp_under_the_headline_is_not_a_subtitle(stamp):
    text = f"Election results: polls close as counting begins\n\n{stamp}\n\nPolls have now closed.\n"
    segs = segment_text(text)
    assert [(s.role, s.rule) for s in segs][:2] == [("headline", "first_line"), ("byline", "time_only")]


def test_a_time_stamp_is_no_subtitle_even_without_the_time_rule():
    # a study's roles.yaml made before the time_only rule: the time is body, not a second headline
    from alliance_study.corpus.roles import RoleRules
    from alliance_study.resources import packaged, read_yaml

    data = read_yaml(packaged("roles.yaml"))
    data["rules"] = [r for r in data["rules"] if r["name"] != "time_only"]
    segs = segment_text("Markets rally after rate cut\n\n22:04 GMT\n\nShares rose on Wednesday.\n", RoleRules(data))
    assert [(s.role, s.rule) for s in segs] == [("headline", "first_line"), ("body", None), ("body", None)]
