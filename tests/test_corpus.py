"""The seed corpus loads into tidy tables with exact offsets and sensible roles."""
from __future__ import annotations

import hashlib

import pandas as pd
import pytest

from alliance_study.corpus import Corpus, load_corpus
from alliance_study.corpus.read import decode_bytes
from alliance_study.corpus.segment import segment_text
from alliance_study.corpus.sentences import sentence_spans
from alliance_study.metrics.lexicon import tokenize


@pytest.fixture(scope="module")
def corpus(raw_dir) -> Corpus:
    return load_corpus(raw_dir)


def _segs(corpus, aid, role=None):
    s = corpus.segments[corpus.segments.article_id == aid]
    return s if role is None else s[s.role == role]


def _role_of(corpus, aid, needle):
    s = _segs(corpus, aid)
    hit = s[s.text.str.contains(needle, regex=False)]
    assert len(hit), f"{needle!r} not found in {aid}"
    return list(hit.role)


def test_five_articles_in_metadata_order(corpus, raw_dir):
    meta = pd.read_csv(raw_dir / "articles.csv", dtype=str)
    assert list(corpus.articles.article_id) == list(meta.article_id)
    assert len(corpus.articles) == 5
    assert corpus.problems == []


def test_article_columns_and_counts(corpus, raw_dir):
    a = corpus.articles
    for col in ["article_id", "file", "outlet", "title", "outlet_type", "origin_country", "language_original",
                "translated", "published", "notes", "n_segments", "n_sentences", "n_words", "sha256", "encoding"]:
        assert col in a.columns
    for _, row in a.iterrows():
        data = (raw_dir / row.file).read_bytes()
        assert row.sha256 == hashlib.sha256(data).hexdigest()
        assert row.encoding == "utf-8"
        assert row.n_segments == (corpus.segments.article_id == row.article_id).sum()
        assert row.n_sentences == (corpus.sentences.article_id == row.article_id).sum()
        sents = corpus.sentences[corpus.sentences.article_id == row.article_id]
        assert row.n_words == sum(len(tokenize(t)) for t in sents.text) > 100


def test_titles_filled_from_headline(corpus, raw_dir):
    meta = pd.read_csv(raw_dir / "articles.csv", dtype=str, keep_default_na=False)
    assert (meta.title == "").all()  # so the loader must fill them
    titles = dict(zip(corpus.articles.article_id, corpus.articles.title))
    first_lines = {r.article_id: (raw_dir / r.file).read_text(encoding="utf-8").strip().splitlines()[0]
                   for r in meta.itertuples()}
    assert titles["cn-commentary"] == first_lines["cn-commentary"]
    # section labels are kickers, not titles
    assert titles["tsarizm"] == "China Says No Publicly To Military Alliance With Russia"
    assert titles["globaltimes"].startswith("China, Russia see 'no need for military alliance'")
    # two title lines (SOURCES.md gives both)
    assert titles["southfront"].replace("\xa0", " ") == ("Russia & China partnership to halt the USA/NATO aggression / "
                                    "China Offers Russia Alliance Against NATO")


def test_offsets_round_trip_for_every_segment_and_sentence(corpus):
    for tbl in (corpus.segments, corpus.sentences):
        for r in tbl.itertuples():
            text = corpus.text(r.article_id)
            assert text[r.start:r.end] == r.text
            assert r.text == r.text.strip() and r.text


def test_sentences_inside_segments_and_ordered(corpus):
    seg = corpus.segments.set_index(["article_id", "seg_id"])
    for aid, g in corpus.sentences.groupby("article_id", sort=False):
        assert list(g.sent_id) == list(range(len(g)))
        assert list(g.start) == sorted(g.start)
        for r in g.itertuples():
            s = seg.loc[(aid, r.seg_id)]
            assert s.start <= r.start and r.end <= s.end and r.role == s.role
    for aid, g in corpus.segments.groupby("article_id", sort=False):
        assert list(g.seg_id) == list(range(len(g)))


def test_every_non_blank_line_is_a_segment(corpus):
    for aid in corpus.articles.article_id:
        lines = [ln.strip() for ln in corpus.text(aid).split("\n") if ln.strip()]
        assert list(_segs(corpus, aid).text) == lines


def test_roles_tsarizm(corpus):
    assert _role_of(corpus, "tsarizm", "Eastern Europe") == ["boilerplate"]
    assert _role_of(corpus, "tsarizm", "Please Follow us on Gab") == ["boilerplate"]
    assert _role_of(corpus, "tsarizm", "Donate!") == ["boilerplate"]
    assert _role_of(corpus, "tsarizm", "Related articles") == ["boilerplate"]
    assert _role_of(corpus, "tsarizm", "Snowden Can Receive Russian Citizenship") == ["boilerplate"]
    assert set(_role_of(corpus, "tsarizm", "Tsarizm Staff")) == {"boilerplate"}
    assert _role_of(corpus, "tsarizm", "Leave a Comment") == ["boilerplate"]
    assert _role_of(corpus, "tsarizm", "Subscribe to our evening newsletter") == ["boilerplate"]
    assert _role_of(corpus, "tsarizm", "Image by kremlin.ru") == ["caption"]
    assert _role_of(corpus, "tsarizm", "Vasily Kashin, a senior research") == ["body"]
    com = _segs(corpus, "tsarizm", "reader_comment")
    assert len(com) == 1 and com.iloc[0].text.startswith("I would say Russia says no to China")
    assert com.iloc[0].author == "Wayne Mickel"
    assert com.iloc[0].timestamp == "2021-03-06T10:08"
    assert com.iloc[0].depth == 0


def test_roles_topwar_comments(corpus):
    s = _segs(corpus, "topwar")
    assert _role_of(corpus, "topwar", "Dear reader, to leave comments") == ["boilerplate"]
    assert _role_of(corpus, "topwar", "Used photos") == ["boilerplate"]
    # reported-speech attributions in the article are body, not comments
    assert _role_of(corpus, "topwar", "- said the Russian president.") == ["body"]
    assert _role_of(corpus, "topwar", "- this opinion was expressed by") == ["body"]
    assert _role_of(corpus, "topwar", "- the expert emphasized.") == ["body"]
    assert _role_of(corpus, "topwar", "Li Lifan added that") == ["body"]
    # Putin's words: body in the article, reader_comment when quoted inside a comment
    assert _role_of(corpus, "topwar", "Time will tell how our relationship") == ["body", "reader_comment"]
    authors = set(s[s.role == "reader_comment"].author)
    assert {"goncharov.62", "passing by", "boriz", "Nanetta5", "Essex62", "steelmaker", "tanyurg56",
            "Vladimir Tuzakov", "Berkham Ali-Tyan"} <= authors
    assert s[s.role == "reader_comment"].author.notna().all()
    # every comment text after the sign-in line is reader_comment or a comment header
    first = s.index[s.text.str.startswith("Dear reader")][0]
    after = s.loc[first + 1:]
    assert set(after.role) == {"reader_comment", "boilerplate"}
    assert after[after.role == "boilerplate"].author.notna().all()  # headers carry the author
    # nesting: the reply to a reply is deeper than its parent
    depth = {r.text[:30]: r.depth for r in after[after.role == "reader_comment"].itertuples()}
    assert depth["Does the expert see in any str"] == 0
    assert depth["So they have already run over "] == 1
    assert depth["Look in I-net, you will get an"] == 2
    nan = after[after.text.str.startswith("Wow! What informativeness")].iloc[0]
    assert nan.author == "Nanetta5" and nan.timestamp == "2020-11-03T15:09"


def test_roles_southfront_and_globaltimes(corpus):
    assert _role_of(corpus, "southfront", "Translate") == ["boilerplate"]
    assert _role_of(corpus, "southfront", "Originally appeared at A-specto") == ["byline"]
    assert set(_segs(corpus, "southfront").role) == {"headline", "byline", "body", "boilerplate"}
    assert _role_of(corpus, "globaltimes", "DIPLOMACY") == ["boilerplate"]
    assert _role_of(corpus, "globaltimes", "Published: Oct 23, 2020 09:33 PM") == ["byline"]
    assert _role_of(corpus, "globaltimes", "Photo: AFP") == ["caption"]
    assert _role_of(corpus, "globaltimes", "There is no limit to China-Russia friendship") == ["body"]
    assert _role_of(corpus, "globaltimes", "Zhao said Putin has often") == ["body"]
    assert _role_of(corpus, "cn-commentary", "Putin recently stated at the annual meeting") == ["body"]
    assert set(_segs(corpus, "cn-commentary").role) == {"headline", "body"}


def test_abbreviations_and_quotes_not_split(corpus):
    s = corpus.sentences[corpus.sentences.article_id == "cn-commentary"]
    pompeo = s[s.text.str.startswith("(Pompeo, the U.S. anti-China spearhead")]
    assert len(pompeo) == 1 and pompeo.iloc[0].text.endswith(")")
    assert not s.text.str.fullmatch(r"S\.|U\.").any()
    assert not s.text.str.match(r"[”’\)]").any()  # closing quote/bracket stays with its sentence
    gt = corpus.sentences[corpus.sentences.article_id == "globaltimes"]
    assert gt.text.str.contains('spheres," he said.', regex=False).any()


def test_sentence_rules_on_constructed_text():
    t = ('Gen. Smith met Vladimir V. Putin in St. Petersburg on Oct. 3. "We agree." '
         'He paused... then left. (Nobody knew why.) Dr. Li said “no.” The end')
    got = [t[a:b] for a, b in sentence_spans(t)]
    # abbreviations and initials do not end sentences; closing quotes and brackets stay
    # with their sentence; an ellipsis inside a sentence does not split it
    assert got == ['Gen. Smith met Vladimir V. Putin in St. Petersburg on Oct. 3.', '"We agree."',
                   'He paused... then left.', '(Nobody knew why.)', 'Dr. Li said “no.”', 'The end']


def test_long_sentence_is_capped():
    t = "word " * 500 + "end."
    spans = sentence_spans(t, max_chars=100)
    assert all(b - a <= 100 for a, b in spans)
    assert " ".join(t[a:b] for a, b in spans).split() == t.split()


def test_plain_file_is_headline_and_body():
    segs = segment_text("A Plain Title\n\nFirst paragraph of prose here.\nSecond one, with more.\n")
    assert [s.role for s in segs] == ["headline", "body", "body"]


def test_decoding_variants():
    text = "Título\r\nBody – “quoted”.\rEnd"
    want = "Título\nBody – “quoted”.\nEnd"
    for enc, name in [("utf-8", "utf-8"), ("utf-8-sig", "utf-8-sig"), ("utf-16", "utf-16")]:
        d = decode_bytes(text.encode(enc))
        assert (d.text, d.encoding, d.errors) == (want, name, [])
    d = decode_bytes("Título – ok".encode("cp1252"))
    assert d.text == "Título – ok" and d.encoding == "cp1252" and "cp1252" in d.warnings[0][0]


def test_load_records_encoding(tmp_path):
    (tmp_path / "a.txt").write_bytes("Headline Here\r\n\r\nCafé society.\r\n".encode("utf-16"))
    (tmp_path / "b.txt").write_bytes("Other Headline\n\nNa\xefve text.\n".encode("cp1252"))
    (tmp_path / "articles.csv").write_text("article_id,file,outlet\na,a.txt,X\nb,b.txt,Y\n")
    c = load_corpus(tmp_path)
    assert list(c.articles.encoding) == ["utf-16", "cp1252"]
    assert c.text("a") == "Headline Here\n\nCafé society.\n"
    assert c.text("b").endswith("Naïve text.\n")
    assert [p.severity for p in c.problems] == ["warning"] and "cp1252" in c.problems[0].reason


def test_roles_on_an_unseen_page_layout():
    page = "\n".join([
        "WORLD NEWS",
        "Ministers Meet To Discuss Trade Pact",
        "By Jane Doe and John Roe",
        "Posted on 12 May 2019",
        "Photo by Reuters",
        "The ministers met on Monday. They agreed on little.",
        "Share this",
        "Sign up for our daily newsletter to get the updates.",
        "You may also like",
        "Another Story About Trade",
        "A Third Story",
        "3 Comments",
        "1. anna_k on 2019-05-13 09:15",
        "  I disagree with the ministers.",
        "  1. bob (Robert) 13 May 2019 10:30 pm",
        "    Me too.",
        "2. carl Offline carl",
        "  carl (Carl) 14 May 2019 08:00",
        "  Good article.",
        "Leave a Reply",
    ])
    segs = segment_text(page)
    got = [(s.text[:12], s.role, s.author, s.timestamp, s.depth) for s in segs]
    assert got == [
        ("WORLD NEWS", "boilerplate", None, None, None),
        ("Ministers Me", "headline", None, None, None),
        ("By Jane Doe ", "byline", None, None, None),
        ("Posted on 12", "byline", None, None, None),
        ("Photo by Reu", "caption", None, None, None),
        ("The minister", "body", None, None, None),
        ("Share this", "boilerplate", None, None, None),
        ("Sign up for ", "boilerplate", None, None, None),
        ("You may also", "boilerplate", None, None, None),
        ("Another Stor", "boilerplate", None, None, None),
        ("A Third Stor", "boilerplate", None, None, None),
        ("3 Comments", "boilerplate", None, None, None),
        ("1. anna_k on", "boilerplate", "anna_k", "2019-05-13T09:15", 0),
        ("I disagree w", "reader_comment", "anna_k", "2019-05-13T09:15", 0),
        ("1. bob (Robe", "boilerplate", "bob", "2019-05-13T22:30", 1),
        ("Me too.", "reader_comment", "bob", "2019-05-13T22:30", 1),
        ("2. carl Offl", "boilerplate", "carl", "2019-05-14T08:00", 0),
        ("carl (Carl) ", "boilerplate", "carl", "2019-05-14T08:00", 0),
        ("Good article", "reader_comment", "carl", "2019-05-14T08:00", 0),
        ("Leave a Repl", "boilerplate", None, None, None),
    ]


@pytest.mark.parametrize("byline", ["By Émile Durand", "By Łucja Nowak and Ölaf Ström", "By Γιώργος Παπαδόπουλος",
                                    "By 张伟", "By Jane Doe"])
def test_a_byline_whose_name_opens_with_a_non_ascii_capital_is_a_byline(tmp_path, byline):
    """'By Émile Durand' was taken for a second headline (and pushed the real one into boilerplate):
    the byline rule knew only the capitals A-Z. The names then entered keyness as the group's words."""
    import pandas as pd

    from alliance_study.corpus import load_corpus

    text = f"River floods old town\n\n{byline}\n\nThe river rose on Monday. Officials said more rain was due."
    pd.DataFrame({"id": ["a"], "text": [text], "src": ["X"]}).to_csv(tmp_path / "c.csv", index=False)
    c = load_corpus(table=tmp_path / "c.csv", columns={"article_id": "id", "text": "text", "outlet": "src"})
    assert c.segments[["role", "text"]].values.tolist()[:2] == [["headline", "River floods old town"],
                                                                 ["byline", byline]]
