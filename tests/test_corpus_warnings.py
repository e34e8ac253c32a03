"""Articles whose content gives the study nothing to measure are kept, and said so (warnings)."""
from __future__ import annotations

import pandas as pd

from alliance_study.corpus import load_corpus
from alliance_study.corpus.partition import build_partition, iter_partitions

NEWS = "Port strike ends\n\nDockers returned to work on Monday after a week-long strike, the union said.\n"
EMPTYISH = {
    "paywall": "Subscribe to continue reading\n\nAlready a subscriber? Sign in\n\nAdvertisement\n",
    "comments": "Comments\n\nJohn 26 October 2020 16:13\nGreat article.\n",
    "headline": "Port strike ends\n",
}


def _folder(tmp_path):
    rows = ["article_id,file,outlet", "news,news.txt,Daily"]
    (tmp_path / "news.txt").write_text(NEWS, encoding="utf-8")
    for aid, text in EMPTYISH.items():
        (tmp_path / f"{aid}.txt").write_text(text, encoding="utf-8")
        rows.append(f"{aid},{aid}.txt,Daily")
    (tmp_path / "articles.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    return tmp_path


def _check(problems, where):
    got = {p.article_id: p for p in problems}
    assert sorted(got) == sorted(EMPTYISH), [str(p) for p in problems]
    for aid, p in got.items():
        assert p.severity == "warning" and p.reason.startswith("no body text") and "Fix:" in str(p)
        assert where(aid, p)
    assert "reader_comment (1)" in got["comments"].reason and "headline (1)" in got["headline"].reason


def test_articles_without_body_text_are_kept_with_a_warning_naming_file_and_line(tmp_path):
    raw = _folder(tmp_path)
    c = load_corpus(raw)
    assert c.articles.article_id.tolist() == ["news", "paywall", "comments", "headline"]
    line = {"paywall": 3, "comments": 4, "headline": 5}
    _check(c.problems, lambda aid, p: p.file.endswith(f"{aid}.txt") and p.line == line[aid])
    # the partition path of a build says the same
    parts = list(iter_partitions(raw_dir=raw, size=2))
    _check([p for part in parts for p in build_partition(part).problems],
           lambda aid, p: p.file.endswith(f"{aid}.txt") and p.line == line[aid])


def test_table_layout_warns_the_same_with_the_row(tmp_path):
    texts = {"news": NEWS, **EMPTYISH}
    pd.DataFrame({"id": list(texts), "text": list(texts.values()), "src": "Daily"}).to_csv(
        tmp_path / "t.csv", index=False)
    c = load_corpus(table=tmp_path / "t.csv", columns={"article_id": "id", "outlet": "src"})
    row = {"paywall": 2, "comments": 3, "headline": 4}
    _check(c.problems, lambda aid, p: p.row == row[aid] and p.file.endswith("t.csv"))


def test_an_article_with_a_dated_byline_has_body_text_and_no_warning(tmp_path):
    """A byline with a date and time under the headline once started a comment thread, so the whole
    article became reader comments and was warned about as having no body text."""
    (tmp_path / "a.txt").write_text("Moscow summons ambassador\nAnna Ivanova | March 6, 2023 10:08 am\n"
                                    "Russia summoned the ambassador on Monday.\nIt was the third summons this year.\n",
                                    encoding="utf-8")
    (tmp_path / "articles.csv").write_text("article_id,file,outlet\na,a.txt,Daily\n", encoding="utf-8")
    c = load_corpus(tmp_path)
    assert c.problems == [], [str(p) for p in c.problems]
    assert c.segments.role.tolist() == ["headline", "byline", "body", "body"]
