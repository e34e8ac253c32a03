"""Roles of lines in real-looking news text: ordinary prose stays body, site furniture does not.

Each case is a line that news articles commonly contain; the rules (lexicons/roles.yaml) and
the reading order (corpus/segment.py) must tell reported speech from page furniture.
"""
from __future__ import annotations

import pytest

from alliance_study.corpus.segment import segment_text


def roles(text, **kw):
    return [(s.role, s.text) for s in segment_text(text, **kw)]


def role_of(text, needle, **kw):
    got = [s.role for s in segment_text(text, **kw) if needle in s.text]
    assert len(got) == 1, roles(text, **kw)
    return got[0]


WIRE = ("Treaty talks stall in Geneva\n\n"
        "GENEVA - Talks on renewing the arms treaty stalled on Tuesday, diplomats said.\n\n"
        "{line}\n\n"
        "Both sides said they would meet again next month.\n\n"
        "The treaty limits the number of deployed warheads.\n")


@pytest.mark.parametrize("line", [
    "A Kremlin spokesman declined to comment on the treaty, which was signed in Moscow in July 2001.",
    "The interior ministry declined to comment on whether citizens must register again.",
    "The bank would not comment on how the hackers managed to log in.",
    "Officials refused to comment, saying the documents had been signed in secret.",
    # sentences that open like furniture or a notice
    "Registered in Cyprus, the firm declined to comment.",
    "Signed in Moscow, the deal drew no comment from Washington.",
    "Already a member of the alliance since 1952, Turkey has long played a difficult role.",
    "Already registered voters will receive new cards.",
    "Access denied to journalists, the region remains closed.",
    "Compiled by analysts at the institute, the data show spending rose 13 per cent.",
    "Editing by the state broadcaster removed the criticism.",
    "Writing by hand is now rare",
    "Reporting by the BBC found that the drones were Iranian-made.",
    "Written by a former diplomat, the book caused a stir.",
    "Translated by the ministry, the statement said little.",
    "Source: the ministry did not say how many were killed.",
    "Recommended: an increase in defence spending of 2 per cent.",
    "We use cookies, the spy agency admitted.",
    "Story continues below the fold on page 3.",
    # sentences opening with older furniture words
    "Like us, the Baltic states spend more than 2 per cent.",
    "Join us, the protesters chanted outside parliament.",
    "Find us a solution, the minister told his officials.",
    "Copyright infringement claims rose sharply last year.",
    "(c) the parties shall consult together.",
    "Our standards: the minister said the alliance must uphold them.",
    "Accept all cookies, the prompt says, and most users do.",
    "Published in 2019, the report warned of Russian aggression.",
])
def test_sentences_about_commenting_or_opening_like_furniture_are_body_and_start_no_thread(line):
    got = roles(WIRE.format(line=line))
    assert [r for r, _ in got] == ["headline", "body", "body", "body", "body"], got


@pytest.mark.parametrize("notice", [
    "You must be logged in to post a comment.",
    "Please sign in to comment",
    "Log in or register to post comments",
    "To comment, please log in.",
    "Dear reader, to leave comments on the publication, you must sign in.",
])
def test_a_sign_in_notice_after_the_article_still_starts_the_thread(notice):
    text = ("Council approves new park\n\nThe city council approved a new park on Tuesday.\n\n"
            f"{notice}\n\nJane Roe March 6, 2021 at 10:08 am\n\nAbout time, we waited years.\n")
    got = roles(text)
    assert [r for r, _ in got] == ["headline", "body", "boilerplate", "boilerplate", "reader_comment"], got


def test_a_lone_comment_kicker_over_an_op_ed_is_a_kicker_not_a_thread():
    text = ("Comment\n\nThe government has lost its way on housing\n\nBy Jane Doe\n\n"
            "Ministers promised a million homes and delivered excuses.\n\n"
            "The housing minister said on Tuesday that the target would still be met.\n\n"
            "That is not good enough.\n")
    got = [(s.role, s.rule) for s in segment_text(text)]
    assert got == [("boilerplate", "kicker"), ("headline", "first_line"), ("byline", "by_author"),
                   ("body", None), ("body", None), ("body", None)]


@pytest.mark.parametrize("heading", ["Reader comments", "Readers\u2019 comments", "Comments (2)", "2 comments"])
def test_a_comment_heading_after_the_article_starts_the_thread(heading):
    text = ("Senate passes budget bill\n\nThe Senate passed the bill on Friday.\n\n"
            f"{heading}\n\njsmith\n\nI think this is wrong.\n")
    assert [r for r, _ in roles(text)] == ["headline", "body", "boilerplate", "reader_comment", "reader_comment"]


def test_a_comment_counter_above_the_article_starts_no_thread():
    text = ("Flood defences fail in river town\n\n12 comments\n\n"
            "Flood defences failed overnight in the river town, the council said.\n\n"
            "Residents were moved to the school hall.\n")
    got = roles(text)
    assert [r for r, _ in got] == ["headline", "boilerplate", "body", "body"], got


@pytest.mark.parametrize("heading", ["Related stories", "More", "Read also:"])
def test_short_wire_paragraphs_after_a_related_heading_are_body(heading):
    text = ("Ministers agree trade deal\n\n"
            "Ministers from both countries agreed a trade deal on Tuesday after two years of talks.\n\n"
            f"{heading}\n\n"
            "The deal removes tariffs on most goods, the trade ministry said in a statement.\n\n"
            "\u201cThis is a historic day for our exporters,\u201d the trade minister told reporters.\n\n"
            "Talks on services will start in May.\n")
    got = roles(text)
    assert [r for r, _ in got][3:] == ["body", "body", "body"], got


def test_headline_like_related_links_are_still_boilerplate():
    text = ("Ministers agree trade deal\n\n"
            "Ministers from both countries agreed a trade deal on Tuesday after two years of talks.\n\n"
            "Related stories\n\n"
            "Farmers fear cheap imports after tariff cut\n\n"
            "Is the trade war over?\n\n"
            "What the deal means for car makers...\n\n"
            "Jane Doe\n\n"
            "The deal takes effect in January, officials said.\n")
    got = roles(text)
    assert [r for r, _ in got] == ["headline", "body", "boilerplate", "boilerplate", "boilerplate", "boilerplate",
                                   "boilerplate", "body"], got


@pytest.mark.parametrize("line", [
    "Donations to British charities fell by a fifth last year, a survey found.",
    "The Red Cross said it would donate blankets and tents to the families.",
    "The ministry said the donations were illegal.",
    "The company will support our work on climate, he said.",
    "Images by satellite firm Maxar show troops massing near the border.",
    "Heavy shelling was reported overnight, the regional governor said. "
    "Images by local residents could not be independently verified.",
])
def test_news_sentences_about_donations_and_images_are_body(line):
    assert role_of(WIRE.format(line=line), line[:30]) == "body"


@pytest.mark.parametrize("line, role", [
    ("Please support our journalism", "boilerplate"),
    ("If you value our reporting, please consider donating.", "boilerplate"),
    ("Support us on Patreon", "boilerplate"),
    ("Image by kremlin.ru", "caption"),
    ("Photo by Mark Wilson/Getty Images", "caption"),
    ("(Photo by Mark Wilson/Getty Images)", "caption"),
    ("Photograph: Stefan Rousseau/PA", "caption"),
    ("Delegates arrive for the talks in Geneva on Tuesday. Photo by Jane Doe/AFP", "caption"),
])
def test_appeals_and_photo_credits_are_still_furniture(line, role):
    assert role_of(WIRE.format(line=line), line[:20]) == role


@pytest.mark.parametrize("text, title", [
    # a short headline over a standfirst: the headline is the title, the standfirst is not
    ("Biden wins presidency\n\nDemocrat defeats Trump after days of counting in key states\n\n"
     "Joe Biden has won the presidency, US networks projected on Saturday.\n", "Biden wins presidency"),
    ("Markets tumble again\n\nInvestors fear a slowdown as central banks keep raising rates\n\n"
     "Stock markets fell for a third day on Monday.\n", "Markets tumble again"),
    # section labels are kickers: in capitals, with a section path, or one word
    ("WORLD NEWS\n\nMinisters meet to discuss trade pact\n\nThe ministers met on Monday.\n",
     "Ministers meet to discuss trade pact"),
    ("News / Politics\n\nMinisters meet to discuss trade pact\n\nThe ministers met on Monday.\n",
     "Ministers meet to discuss trade pact"),
    ("World\n\nMinisters meet to discuss trade pact\n\nThe ministers met on Monday.\n",
     "Ministers meet to discuss trade pact"),
])
def test_title_of_an_untitled_article_is_its_headline_not_a_standfirst(tmp_path, text, title):
    from alliance_study.corpus import load_corpus

    (tmp_path / "a.txt").write_text(text, encoding="utf-8")
    (tmp_path / "articles.csv").write_text("article_id,file,outlet,title\na,a.txt,Daily,\n", encoding="utf-8")
    c = load_corpus(tmp_path)
    assert c.articles.title.tolist() == [title], c.segments[["role", "text"]].values.tolist()


@pytest.mark.parametrize("line, role", [
    ("(Reporting by Jane Doe; Editing by Tom Roe)", "byline"),
    ("Reporting by Jane Doe; Additional reporting by Tom Roe in Brussels; Editing by Ann Poe", "byline"),
    ("Associated Press writer John Doe in Tampa contributed to this report.", "byline"),
    ("Updated 3:15 PM EST, Tue March 3, 2020", "byline"),
    ("Published 2 hours ago", "byline"),
    ("Tue 3 Mar 2020 18.05 GMT", "byline"),
    ("(Photo by Mark Wilson/Getty Images)", "caption"),
    ("A man walks past a poster in Moscow. REUTERS/Maxim Shemetov", "caption"),
    ("The president speaks in the Rose Garden. (AP Photo/Evan Vucci)", "caption"),
    ("4 min read", "boilerplate"),
    ("Related: Brazil's economy grows faster than expected", "boilerplate"),
    ("Our Standards: The Thomson Reuters Trust Principles.", "boilerplate"),
    ("Advertisement - Continue Reading Below", "boilerplate"),
    ("Skip to main content", "boilerplate"),
    ("We use cookies to improve your experience.", "boilerplate"),
])
def test_wire_and_site_furniture(line, role):
    assert role_of(WIRE.format(line=line), line[:20]) == role


@pytest.mark.parametrize("line", [
    "Photo credits aside, the image of the economy is bleak.",
    "Reporting from the front line has become more dangerous, the union said.",
    "Updated figures show 3 million jobs were lost last year.",
    "The agency said 4 million people would read the new guidance.",
])
def test_prose_near_the_furniture_words_is_body(line):
    assert role_of(WIRE.format(line=line), line[:20]) == "body"


def test_share_buttons_and_a_bare_topics_list_are_boilerplate():
    text = ("Ministers face backlash over housing plan\n\n"
            "Ministers are facing a backlash over the housing plan, critics said.\n\n"
            "The plan was announced on Tuesday.\n\n"
            "Share this:\n\nFacebook\n\nTwitter\n\nWhatsApp\n\n"
            "Topics\n\nHousing\n\nPolitics\n")
    got = roles(text)
    assert [r for r, _ in got] == ["headline", "body", "body"] + ["boilerplate"] * 7, got


def test_two_line_wordpress_comment_headers_keep_author_and_time():
    text = ("Council approves new park\n\nThe city council approved a new park on Tuesday.\n\n"
            "Residents welcomed the decision.\n\n12 Comments\n\n"
            "Alice Brown says:\nMarch 6, 2021 at 10:08 am\nGreat news for the city.\nReply\n\n"
            "Bob White says:\nMarch 6, 2021 at 11:15 am\nI disagree, the money should go to schools.\n")
    got = [(s.role, s.author, s.timestamp) for s in segment_text(text)]
    assert got[3:] == [
        ("boilerplate", None, None),
        ("boilerplate", "Alice Brown", "2021-03-06T10:08"), ("boilerplate", "Alice Brown", "2021-03-06T10:08"),
        ("reader_comment", "Alice Brown", "2021-03-06T10:08"), ("boilerplate", None, None),
        ("boilerplate", "Bob White", "2021-03-06T11:15"), ("boilerplate", "Bob White", "2021-03-06T11:15"),
        ("reader_comment", "Bob White", "2021-03-06T11:15"),
    ]


@pytest.mark.parametrize("lead", [
    "BEIJING (Reuters) - China said on Monday it would retaliate against the new tariffs",
    "PARIS, March 3 (AFP) - France said on Sunday it would send more troops to the region.",
    "MIAMI (AP) \u2014 A powerful storm battered the coast on Sunday",
])
@pytest.mark.parametrize("title", [None, "Trade tensions rise"])
def test_a_lead_sentence_with_a_dateline_is_body_not_the_headline(lead, title):
    text = f"{lead}\n\nOfficials gave no further details.\n"
    assert [r for r, _ in roles(text, title=title)] == ["body", "body"]


def test_with_a_known_title_a_first_line_ending_in_a_full_stop_is_the_lede():
    text = "Dockers returned to work on Monday after a week-long strike, the union said.\n\nTalks resume in May.\n"
    assert [r for r, _ in roles(text, title="Port strike ends")] == ["body", "body"]


@pytest.mark.parametrize("first, title", [
    # corpora that end headlines with a full stop (PolNeAR): still the title, and the headline
    ("Poll: Wealthy Voters Abandon Republican Party for Hillary Clinton.",
     "Poll: Wealthy Voters Abandon Republican Party for Hillary Clinton"),
    ("Frustrated Parents Rally Nationwide To \u2018Reclaim Our Schools.\u2019",
     "Frustrated Parents Rally Nationwide To \u2018Reclaim Our Schools\u2019"),
])
def test_a_title_line_with_a_final_full_stop_is_the_title(first, title):
    text = f"{first}\n\nThe poll was published on Monday.\n"
    assert [(s.role, s.rule) for s in segment_text(text, title=title)] == [("headline", "title"), ("body", None)]


def test_a_headline_with_a_question_or_ellipsis_is_still_a_headline():
    for head in ("Is the trade war over?", "Trade talks resume..."):
        assert roles(f"{head}\n\nOfficials met on Monday.\n")[0] == ("headline", head)


def test_a_long_line_that_almost_looks_like_a_credit_is_classified_at_once():
    """Each name word of a credit could once be read two ways: 22 such words took seconds, 30 hours."""
    import time

    line = "Photo by " + " ".join(["A.b"] * 30) + " and then something happened here."
    t0 = time.perf_counter()
    assert role_of(WIRE.format(line=line), "Photo by") == "body"
    assert time.perf_counter() - t0 < 1.0


# ---- a tester's texts (regressions of the dated-header, dateline and furniture rules)

@pytest.mark.parametrize("byline", [
    "Anna Ivanova | March 6, 2023 10:08 am",
    "By Anna Ivanova, March 6, 2023 10:08 am",
    "Reuters March 6, 2023 10:08 AM",
])
def test_a_dated_byline_under_the_headline_is_a_byline_and_starts_no_thread(byline):
    text = f"Moscow summons ambassador\n{byline}\nRussia summoned the ambassador on Monday.\nIt was the third summons this year.\n"
    assert [r for r, _ in roles(text)] == ["headline", "byline", "body", "body"], roles(text)


def test_a_timeline_bullet_with_a_time_is_body_not_a_comment_header():
    text = ("Timeline of the attack\nOfficials gave this timeline.\n"
            "- Air raid alert issued in Kyiv on 6 March 2023 at 04:15\n"
            "The ministry said 12 missiles were launched.\n")
    assert [r for r, _ in roles(text)] == ["headline", "body", "body", "body"], roles(text)


def test_a_timed_comment_header_after_the_body_still_starts_the_thread():
    text = ("Moscow summons ambassador\nRussia summoned the ambassador on Monday.\n"
            "Ann Lee March 6, 2023 at 10:08 am\nA bad sign.\n")
    got = [(s.role, s.author) for s in segment_text(text)]
    assert got == [("headline", None), ("body", None), ("boilerplate", "Ann Lee"), ("reader_comment", "Ann Lee")]


@pytest.mark.parametrize("headline", [
    "UK \u2013 Russia relations hit new low", "LIVE \u2013 Russia-Ukraine war: Zelensky visits front",
    "VIDEO - Putin addresses the nation", "EXCLUSIVE \u2013 Kremlin weighs new draft",
    "EU \u2013 China summit", "NATO \u2013 75 years on",
])
def test_a_headline_with_a_dash_is_not_a_dateline(headline):
    assert roles(f"{headline}\nBritain expelled three diplomats on Tuesday.\n")[0] == ("headline", headline)


@pytest.mark.parametrize("lead", [
    "WASHINGTON/BEIJING, March 6 (Reuters) - The United States and China held talks on Monday.",
    "M\u00dcNCHEN (dpa) - Die Regierung hat am Montag neue Hilfen beschlossen",
    "LONDON, March 6, 2023 /PRNewswire/ -- Acme Corp announced a new contract",
    "NEW YORK, March 6, 2023 (GLOBE NEWSWIRE) -- Acme Corp announced a new contract",
    "Brussels (Reuters) - The European Union agreed new sanctions",
])
def test_datelines_of_several_cities_non_ascii_and_press_wires_open_the_body(lead):
    assert [r for r, _ in roles(f"{lead}\nThe talks lasted three hours.\n")] == ["body", "body"]


@pytest.mark.parametrize("line, role", [
    ("Already a subscriber? Sign in", "boilerplate"),
    ("Already a subscriber?", "boilerplate"),
    ("Access denied", "boilerplate"),
    ("Source: Reuters", "byline"),
    ("Translated from Russian by Jane Doe", "byline"),
    ("Sign in to comment", "boilerplate"),
    ("You must be logged in to post a comment.", "boilerplate"),
    ("Share on Facebook", "boilerplate"),
    ("Twitter WhatsApp Email", "boilerplate"),
])
def test_the_notices_themselves_are_still_furniture(line, role):
    assert role_of(WIRE.format(line=line), line[:20]) == role


def test_a_list_of_apps_is_body_but_buttons_after_share_are_boilerplate():
    apps = ("Russia blocks apps\nThe most popular messaging apps in Russia are:\nTelegram\nWhatsApp\nVK\nViber\n"
            "The regulator said it would block some of them.\n")
    assert [r for r, _ in roles(apps)] == ["headline"] + ["body"] * 6, roles(apps)
    share = "Russia blocks apps\nThe regulator said it would block them.\nShare this:\nTelegram\nWhatsApp\n"
    assert [r for r, _ in roles(share)] == ["headline", "body", "boilerplate", "boilerplate", "boilerplate"]


def test_lower_case_lines_after_a_bare_topics_line_are_body():
    text = ("Diplomats meet in Geneva\nDiplomats met in Geneva on Monday.\nTopics\n"
            "arms control and prisoner exchanges were discussed\nthe next round is due in April\n"
            "Officials declined to give details.\n")
    assert [r for r, _ in roles(text)] == ["headline", "body", "boilerplate", "body", "body", "body"], roles(text)


@pytest.mark.parametrize("word", ["Reply", "Report"])
def test_a_lone_reply_or_report_line_is_furniture_only_in_a_comment_thread(word):
    article = f"Ministers reply to critics\nMinisters answered the critics on Monday.\n{word}\nThe debate goes on.\n"
    assert [r for r, _ in roles(article)] == ["headline", "body", "body", "body"], roles(article)
    thread = f"Ministers reply\nMinisters answered on Monday.\n2 comments\nAnn Lee March 6, 2023 at 10:08 am\nGood.\n{word}\n"
    assert roles(thread)[-1] == ("boilerplate", word)


@pytest.mark.parametrize("line, role", [
    ("Follow us on Telegram", "boilerplate"), ("\u00a9 2023 Reuters", "boilerplate"),
    ("Copyright 2023 The Associated Press. All rights reserved.", "boilerplate"),
    ("Posted Tue March 3", "byline"),
])
def test_the_older_furniture_itself_is_still_furniture(line, role):
    assert role_of(WIRE.format(line=line), line[:15]) == role
