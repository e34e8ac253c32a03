"""A table's title column and a text that already holds the title under a kicker (section label).

A table keeps the title apart from the text; the loader puts it before the text only when the
text does not already hold it near the top.  A text that opens with a kicker ("BUSINESS",
"Eastern Europe", "CHINA / DIPLOMACY") or a headline over the title must give the same
segments, sentences and counts as the same file in a folder corpus with the same title: not a
second headline, with the title again as body (corpus/table.py ``with_title``).
"""
from __future__ import annotations

import csv
import shutil

import pandas as pd
import pytest

from alliance_study.corpus import load_corpus
from alliance_study.corpus.roles import RoleRules
from alliance_study.corpus.table import with_title

COLUMNS = {"article_id": "id", "text": "maintext", "title": "title", "outlet": "source_domain"}
COUNTS = ["article_id", "title", "n_segments", "n_sentences", "n_words", "sha256"]


def titled_seed(raw_dir, tmp_path):
    """The seed corpus with the title a scraper would give each article (its main headline line,
    which in two files stands under a section label and in one under an overline), as a folder
    corpus and as a CSV table."""
    plain = load_corpus(raw_dir)
    heads = plain.segments[plain.segments.role == "headline"].groupby("article_id").text.last()
    folder = tmp_path / "raw"
    shutil.copytree(raw_dir, folder)
    with open(raw_dir / "articles.csv", encoding="utf-8", newline="") as fh:
        meta = list(csv.DictReader(fh))
    for m in meta:
        m["title"] = heads[m["article_id"]]
    with open(folder / "articles.csv", "w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=list(meta[0]))
        w.writeheader()
        w.writerows(meta)
    rows = [{"id": m["article_id"], "title": m["title"], "source_domain": m["outlet"],
             "maintext": (raw_dir / m["file"]).read_bytes().decode("utf-8")} for m in meta]
    table = tmp_path / "t.csv"
    pd.DataFrame(rows).to_csv(table, index=False)
    return folder, table, rows


def test_seed_titles_under_a_kicker_give_the_folder_segments(raw_dir, tmp_path):
    folder_dir, table, rows = titled_seed(raw_dir, tmp_path)
    # the seed really has titles that are not the first line (else this test could not fail)
    below = [r["id"] for r in rows if r["maintext"].split("\n", 1)[0].strip() != r["title"]]
    assert len(below) >= 2
    folder = load_corpus(folder_dir)
    tab = load_corpus(table=str(table), columns=COLUMNS)
    pd.testing.assert_frame_equal(tab.segments, folder.segments)
    pd.testing.assert_frame_equal(tab.sentences, folder.sentences)
    pd.testing.assert_frame_equal(tab.articles[COUNTS], folder.articles[COUNTS])
    for r in rows:
        assert tab.text(r["id"]) == r["maintext"]
        heads = tab.segments.query("article_id == @r['id'] and role == 'headline'").text.tolist()
        assert heads.count(r["title"]) == 1, (r["id"], heads)


def test_the_testers_kicker_article(tmp_path):
    text = "BUSINESS\nPort strike ends after two weeks\n\nDockers returned to work on Monday, the union said.\n"
    title = "Port strike ends after two weeks"
    (tmp_path / "a1.txt").write_text(text, encoding="utf-8")
    (tmp_path / "articles.csv").write_text(f"article_id,file,outlet,title\na1,a1.txt,Daily,{title}\n",
                                           encoding="utf-8")
    pd.DataFrame({"id": ["a1"], "text": [text], "title": [title], "outlet": ["Daily"]}).to_csv(
        tmp_path / "t.csv", index=False)
    folder = load_corpus(tmp_path).segments[["role", "text"]].values.tolist()
    tab = load_corpus(table=str(tmp_path / "t.csv"), columns={"article_id": "id"}).segments
    assert tab[["role", "text"]].values.tolist() == folder
    assert [r for r, _ in folder] == ["boilerplate", "headline", "body"]


@pytest.mark.parametrize("before, search_lines, found", [
    (0, 0, True), (1, 0, True),      # the first line, or the line under a kicker
    (3, 2, False), (3, 3, True),     # a kicker and then `search_lines` lines
])
def test_the_title_is_looked_for_under_a_kicker_and_within_the_headline_window(before, search_lines, found):
    furniture = "".join(f"Line {i} of the page\n\n" for i in range(before))
    text = furniture + "Port  strike ends\nDockers returned to work."
    assert with_title(text, "PORT STRIKE ENDS.", search_lines) == (text if found else "PORT STRIKE ENDS.\n\n" + text)


def test_a_title_further_down_than_the_packaged_window_is_put_on_top():
    window = RoleRules.load().headline_search_lines
    near = "".join(f"Line {i} of the page\n" for i in range(window)) + "Port strike ends\nDockers returned."
    assert with_title(near, "Port strike ends") == near
    far = "Line of the page\n" + near
    assert with_title(far, "Port strike ends") == "Port strike ends\n\n" + far
