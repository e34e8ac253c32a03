"""One table of articles (JSONL, CSV, TSV, Parquet; a glob of them) loads exactly like the folder layout.

The seed corpus (data/raw: articles.csv + text files) is converted here, on the fly,
into tables with news-please field names, loaded with ``table=`` and compared with
the folder load table by table.  Malformed tables must give problems that name the
file, the row (and line) and a fix.
"""
from __future__ import annotations

import csv
import json
import tracemalloc

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from alliance_study.corpus import CorpusError, iter_table_articles, load_corpus, validate_corpus
from alliance_study.corpus.validate import run_validate

NEWS_PLEASE = {"article_id": "id", "text": "maintext", "title": "title", "outlet": "source_domain",
               "published": "date_publish"}
COLS = {k: v for k, v in NEWS_PLEASE.items() if k != "title"}  # tables below have no title column
MIN = {k: v for k, v in COLS.items() if k != "published"}
RENAMED = {"article_id": "id", "outlet": "source_domain", "published": "date_publish"}


def seed_rows(raw_dir) -> list[dict]:
    """The seed corpus as news-please-like records: one dict per article, text included."""
    with open(raw_dir / "articles.csv", encoding="utf-8", newline="") as fh:
        meta = list(csv.DictReader(fh))
    rows = []
    for m in meta:
        row = {RENAMED.get(k, k): v for k, v in m.items()}
        row["maintext"] = (raw_dir / m["file"]).read_bytes().decode("utf-8")
        rows.append(row)
    return rows


def write_jsonl(path, rows):
    with open(path, "w", encoding="utf-8") as fh:
        for r in rows:
            fh.write(json.dumps(r, ensure_ascii=False) + "\n")
    return path


def write_csv(path, rows, delimiter=","):
    with open(path, "w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=list(rows[0]), delimiter=delimiter)
        w.writeheader()
        w.writerows(rows)
    return path


def write_table(path, rows):
    if path.suffix == ".jsonl":
        return write_jsonl(path, rows)
    if path.suffix == ".parquet":
        pq.write_table(pa.Table.from_pylist(rows), path, row_group_size=2)  # several row groups
        return path
    return write_csv(path, rows, "\t" if path.suffix == ".tsv" else ",")


@pytest.fixture(scope="module")
def folder(raw_dir):
    return load_corpus(raw_dir)


@pytest.mark.parametrize("ext", [".jsonl", ".csv", ".parquet"])
def test_seed_table_loads_like_the_folder(tmp_path, raw_dir, folder, ext):
    path = write_table(tmp_path / f"corpus{ext}", seed_rows(raw_dir))
    c = load_corpus(table=str(path), columns=NEWS_PLEASE, batch_size=2)
    assert c.problems == []
    assert list(c.articles.article_id) == list(folder.articles.article_id)
    same = ["article_id", "file", "outlet", "title", "outlet_type", "origin_country", "origin_bloc",
            "language_original", "translated", "published", "published_basis", "notes",
            "n_segments", "n_sentences", "n_words", "sha256", "encoding"]
    pd.testing.assert_frame_equal(c.articles[same], folder.articles[same])
    assert list(c.articles.table_file) == [str(path)] * 5 and list(c.articles.table_row) == list("12345")
    pd.testing.assert_frame_equal(c.segments, folder.segments)
    pd.testing.assert_frame_equal(c.sentences, folder.sentences)
    for s in c.sentences.itertuples():
        assert c.text(s.article_id)[s.start:s.end] == s.text
    assert c.table_files == [path] and c.metadata_path == path


def test_glob_reads_files_in_sorted_order_and_finds_duplicates_across_them(tmp_path, raw_dir, folder):
    rows = seed_rows(raw_dir)
    write_jsonl(tmp_path / "part-2.jsonl", rows[3:])
    write_jsonl(tmp_path / "part-1.jsonl", rows[:3])
    c = load_corpus(table=str(tmp_path / "part-*.jsonl"), columns=NEWS_PLEASE)
    assert list(c.articles.article_id) == list(folder.articles.article_id)
    assert list(c.articles.table_row) == ["1", "2", "3", "1", "2"]
    pd.testing.assert_frame_equal(c.sentences, folder.sentences)
    write_jsonl(tmp_path / "part-3.jsonl", rows[:1])
    (p,) = validate_corpus(table=str(tmp_path / "part-*.jsonl"), columns=NEWS_PLEASE)
    first = rows[0]["id"]
    assert p.file == str(tmp_path / "part-3.jsonl") and p.row == 1 and p.line == 1
    assert f"duplicate article_id '{first}' (first used on {tmp_path / 'part-1.jsonl'} row 1)" == p.reason


def test_outlet_column_of_that_name_needs_no_mapping(tmp_path):
    path = write_csv(tmp_path / "t.csv", [{"article_id": "a", "text": "Head\n\nBody text.", "outlet": "Daily",
                                           "region": "north"}])
    c = load_corpus(table=path)
    assert c.articles[["article_id", "outlet", "title", "region"]].values.tolist() == [["a", "Daily", "Head", "north"]]


@pytest.mark.parametrize("columns, missing", [
    ({"article_id": "id", "text": "maintext"}, "outlet"),
    ({"article_id": "id", "outlet": "source_domain"}, "text"),
    ({"article_id": "id", "text": "main_text", "outlet": "source_domain"}, "'main_text' (mapped to text)"),
])
def test_missing_column_is_a_table_problem_naming_the_file_columns(tmp_path, raw_dir, columns, missing):
    path = write_jsonl(tmp_path / "np.jsonl", seed_rows(raw_dir))
    (p,) = validate_corpus(table=path, columns=columns)
    assert p.scope == "table" and p.file == str(path) and p.row is None
    assert missing in p.reason and "the file has: id, file, source_domain, title" in p.reason
    assert "columns={" in p.fix and "--columns" in p.fix
    hint = {"outlet": "outlet=source_domain?", "text": "text=maintext?"}.get(missing, "'main_text' -> 'maintext'?")
    assert f"(perhaps: {hint})" in p.reason
    for mode in ("fail", "skip"):
        with pytest.raises(CorpusError) as exc:
            load_corpus(table=path, columns=columns, on_invalid=mode)
        assert missing in str(exc.value)


BAD_ROWS = [
    {"id": "a", "maintext": "Fine text.", "source_domain": "d.com", "date_publish": "2020-10-23 14:05:00"},
    {"id": "a", "maintext": "Same id.", "source_domain": "d.com", "date_publish": "2020-10-23"},
    {"id": "c", "maintext": "", "source_domain": "d.com", "date_publish": ""},
    {"id": "d", "maintext": "Bad date.", "source_domain": "d.com", "date_publish": "2020-02-30"},
    {"id": "e", "maintext": "  \n ", "source_domain": "d.com", "date_publish": "2021"},
    {"id": "f/../g", "maintext": "Unsafe id.", "source_domain": "d.com", "date_publish": ""},
    {"id": "h", "maintext": "No outlet.", "source_domain": "", "date_publish": ""},
    {"id": "i", "maintext": "Good one.\r\nSecond line.", "source_domain": "d.com", "date_publish": "2020-10"},
]
EXPECTED = [(2, "duplicate article_id 'a' (first used on row 1)"), (3, "empty text ('maintext' is empty)"),
            (4, "published: impossible date '2020-02-30': February 2020 has 29 days"),
            (5, "empty text (only whitespace)"), (6, "unsafe article_id 'f/../g'"), (7, "blank outlet")]


CSV_LINES = {2: 3, 3: 4, 4: 5, 5: 6, 6: 8, 7: 9}  # row 5's text holds a line break: row 6 starts on line 8


@pytest.mark.parametrize("ext, line_of", [(".jsonl", lambda r: r), (".csv", CSV_LINES.get),
                                          (".tsv", CSV_LINES.get), (".parquet", lambda r: None)])
def test_bad_rows_name_file_row_line_and_fix(tmp_path, ext, line_of):
    path = write_table(tmp_path / f"bad{ext}", BAD_ROWS)
    problems = validate_corpus(table=path, columns=COLS)
    assert [(p.row, p.reason[:len(want)]) for p, (_, want) in zip(problems, EXPECTED)] == EXPECTED
    assert len(problems) == len(EXPECTED)
    for p in problems:
        assert p.file == str(path) and p.severity == "error" and p.fix and p.line == line_of(p.row)
        where = f"{path} row {p.row}" + (f" (line {p.line})" if p.line else "")
        assert str(p).startswith(where + ": ") and ". Fix: " in str(p)
    with pytest.raises(CorpusError) as exc:
        load_corpus(table=path, columns=COLS)
    assert len([p for p in exc.value.problems if p.severity == "error"]) == len(EXPECTED)
    c = load_corpus(table=path, columns=COLS, on_invalid="skip")
    # and a warning: row 1's one line ("Fine text.") is read as a headline, so the article has no body text
    assert list(c.articles.article_id) == ["a", "i"] and [p for p in c.problems if p.severity == "error"] == problems
    assert [(p.row, p.reason[:12]) for p in c.problems if p.severity == "warning"] == [(1, "no body text")]
    assert c.text("i") == "Good one.\nSecond line."  # CRLF normalised, offsets refer to this text
    assert list(c.sentences[c.sentences.article_id == "i"].text) == ["Good one.", "Second line."]


def test_invalid_utf8_csv_row_is_named_and_skippable(tmp_path):
    path = tmp_path / "latin.csv"
    path.write_bytes(b"\xef\xbb\xbfid,maintext,source_domain\r\n"
                     b'a,"First article,\r\nover two lines.",d.com\r\n'
                     b"b,Caf\xe9 au lait.,d.com\r\n"
                     b"c,Third.,d.com\r\n")
    (p,) = validate_corpus(table=path, columns=MIN)
    assert (p.row, p.line) == (2, 4) and p.reason == "not valid UTF-8: byte 0xe9 in column 'maintext'"
    assert "UTF-8" in p.fix and str(p).startswith(f"{path} row 2 (line 4): ")
    c = load_corpus(table=path, columns=MIN, on_invalid="skip")
    assert list(c.articles.article_id) == ["a", "c"]  # BOM dropped from the first column name
    assert c.text("a") == "First article,\nover two lines."
    # pandas (for comparison) gives no row: one UnicodeDecodeError for the whole read
    with pytest.raises(UnicodeDecodeError):
        pd.read_csv(path, dtype=str)


@pytest.mark.parametrize("value, reason", [(123, "text ('maintext') is a int, not a string"),
                                           (["a", "b"], "is a list, not a string"),
                                           (None, "empty text ('maintext' is null)")])
def test_non_string_text_in_jsonl(tmp_path, value, reason):
    rows = [{"id": "a", "maintext": value, "source_domain": "d.com"}, {"id": "b", "maintext": "Ok.", "source_domain": "d.com"}]
    (p,) = validate_corpus(table=write_jsonl(tmp_path / "t.jsonl", rows), columns=MIN)
    assert reason in p.reason and p.row == 1 and p.article_id == "a"


def test_broken_json_line_is_a_row_problem(tmp_path):
    path = tmp_path / "t.jsonl"
    path.write_text('{"id": "a", "maintext": "Ok.", "source_domain": "d"}\n{"id": "b", "maintext": \n')
    (p,) = validate_corpus(table=path, columns=MIN)
    assert p.row == 2 and p.line == 2 and p.reason.startswith("not valid JSON")


@pytest.mark.parametrize("table, reason", [
    ("{tmp}/nothing-*.jsonl", "no file matches this pattern"),
    ("{tmp}/corpus.xlsx", "unknown table format '.xlsx'"),
    ("{tmp}/absent.csv", "table file not found"),
    ("{tmp}/empty.csv", "empty table"),
    ("{tmp}/header.csv", "empty table (no article rows)"),
    ("{tmp}/blank_name.csv", "blank column name"),
    ("{tmp}/quote.csv", "malformed CSV near line 2"),
])
def test_table_level_problems_always_raise(tmp_path, table, reason):
    (tmp_path / "corpus.xlsx").write_bytes(b"PK\x03\x04")
    (tmp_path / "empty.csv").write_bytes(b"")
    (tmp_path / "header.csv").write_text("article_id,text,outlet\n")
    (tmp_path / "blank_name.csv").write_text(",article_id,text,outlet\n0,a,Text.,D\n")
    (tmp_path / "quote.csv").write_text('article_id,text,outlet\na,"unclosed,D\n')
    table = table.format(tmp=tmp_path)
    (p,) = validate_corpus(table=table)
    assert reason in p.reason and p.scope == "table" and p.fix
    for mode in ("fail", "skip"):
        with pytest.raises(CorpusError, match=reason.replace("(", r"\(").replace(")", r"\)")):
            load_corpus(table=table, on_invalid=mode)


def test_either_folder_or_table():
    with pytest.raises(TypeError, match="either raw_dir"):
        load_corpus()
    with pytest.raises(TypeError, match="either raw_dir"):
        load_corpus("data/raw", table="x.jsonl")


def test_run_validate_with_a_table_and_cli_columns(tmp_path, raw_dir, capsys):
    good = write_jsonl(tmp_path / "np.jsonl", seed_rows(raw_dir))
    assert run_validate(table=str(good), columns="article_id=id,text=maintext,outlet=source_domain,"
                                                 "published=date_publish") == 0
    assert capsys.readouterr().out.startswith("OK: 5 article rows (5 usable), 0 errors")
    bad = write_table(tmp_path / "bad.csv", BAD_ROWS)
    assert run_validate(table=str(bad), columns=COLS) == 1
    out = capsys.readouterr().out
    assert f"ERROR: {bad} row 4 (line 5): published: impossible date" in out
    assert "FAILED: 8 article rows (2 usable), 6 errors" in out


def _big_jsonl(path, n, body, dup_last=False):
    with open(path, "w", encoding="utf-8") as fh:
        for i in range(n):
            aid = "r0" if dup_last and i == n - 1 else f"r{i}"
            fh.write(json.dumps({"id": aid, "maintext": f"Headline {i}\n\n{body}", "source_domain": f"o{i % 7}.com",
                                 "date_publish": "2020-10-23 14:05:00", "authors": ["A", "B"]}) + "\n")
    return path


def test_fifty_thousand_rows_stream_in_bounded_batches(tmp_path):
    n, batch_size = 50_000, 1000
    path = _big_jsonl(tmp_path / "big.jsonl", n, "The minister said the talks would continue. " * 4, dup_last=True)
    sizes, bad = [], []
    for batch in iter_table_articles(path, COLS, batch_size=batch_size):
        sizes.append(len(batch.articles))
        bad.extend(batch.problems)
    assert sum(sizes) == n and max(sizes) == batch_size and len(sizes) == n // batch_size
    (p,) = bad  # the duplicate is found 49,999 rows (49 batches) after the first use of its id
    assert (p.row, p.line, p.reason) == (n, n, "duplicate article_id 'r0' (first used on row 1)")


def test_peak_memory_is_a_batch_not_the_file(tmp_path):
    n, batch_size = 5_000, 100
    path = _big_jsonl(tmp_path / "wide.jsonl", n, "The minister said the talks would continue next week. " * 150)
    size = path.stat().st_size
    seen = 0
    tracemalloc.start()
    try:
        for batch in iter_table_articles(path, COLS, batch_size=batch_size):
            seen += sum(a.ok for a in batch.articles)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    # two batches (the one yielded, the one being read) plus the set of ids -- never the whole file
    assert seen == n and size > 40e6 and peak < size / 10, (peak, size)


def test_parquet_text_column_of_numbers_is_refused_for_the_whole_file(tmp_path):
    path = tmp_path / "t.parquet"
    pq.write_table(pa.Table.from_pylist([{"id": "a", "body": 1, "maintext": "Text.", "outlet": "D"}]), path)
    (p,) = validate_corpus(table=path, columns={"article_id": "id", "text": "body"})
    assert p.scope == "table" and "text column 'body' holds int64 values, not text" in p.reason
    c = load_corpus(table=path, columns={"article_id": "id", "text": "maintext", "body_size": "body"})
    assert c.articles[["article_id", "body_size"]].values.tolist() == [["a", "1"]]


@pytest.mark.parametrize("columns, reason", [
    ({"article_id": "id", "title": "headline"}, "two columns would be named the same: 'title'"),
    ({"article_id": "id", "sha256": "hash"}, "sha256 would clash with columns the loader adds"),
])
def test_column_name_collisions_are_refused(tmp_path, columns, reason):
    path = write_csv(tmp_path / "t.csv", [{"id": "a", "text": "T.", "outlet": "D", "title": "x", "headline": "y",
                                           "hash": "h"}])
    (p,) = validate_corpus(table=path, columns=columns)
    assert reason in p.reason and p.scope == "table" and "columns={" in p.fix
    fixed = dict(columns, title_file="title") if "title" in columns else {"article_id": "id", "source_hash": "hash"}
    assert validate_corpus(table=path, columns=fixed) == []


def test_metadata_values_become_text(tmp_path):
    rows = [{"id": 7, "maintext": "\ufeffHead\r\n\r\nBody text.", "source_domain": "d.com", "authors": ["A", "B"],
             "score": 1.5, "n": 3.0, "flag": True, "missing": None}]
    c = load_corpus(table=write_jsonl(tmp_path / "t.jsonl", rows), columns=MIN)
    a = c.articles.iloc[0]
    assert (a.article_id, a.authors, a.score, a.n, a.flag, a.missing) == ("7", '["A","B"]', "1.5", "3", "true", None)
    assert c.text("7") == "Head\n\nBody text." and a.title == "Head"  # BOM dropped, CRLF -> LF
    s = c.sentences.iloc[-1]
    assert c.text("7")[s.start:s.end] == s.text == "Body text."


def test_a_title_kept_apart_from_the_text_is_the_headline(tmp_path):
    """news-please keeps ``title`` apart from ``maintext``: the title is measured as the
    headline and the text's first paragraph stays body; a text that already opens with
    its title is not given it twice."""
    long_title = " ".join(["Dock workers in three ports walked out"] * 6)  # 42 words: longer than a usual headline
    rows = [{"id": "a1", "title": "Dockers strike at Cork", "source_domain": "x.ie",
             "maintext": "Dock workers at Cork stopped work on Monday.\n\nThe union said pay was the issue."},
            {"id": "a2", "title": "Port strike ends", "source_domain": "x.ie",
             "maintext": "PORT  STRIKE ENDS\n\nWork resumed on Friday."},
            {"id": "a3", "title": long_title, "source_domain": "x.ie", "maintext": "Work resumed."}]
    c = load_corpus(table=str(write_jsonl(tmp_path / "t.jsonl", rows)), columns=MIN | {"title": "title"})
    s = c.sentences
    assert s[["article_id", "role", "text"]].values.tolist() == [
        ["a1", "headline", "Dockers strike at Cork"],
        ["a1", "body", "Dock workers at Cork stopped work on Monday."],
        ["a1", "body", "The union said pay was the issue."],
        ["a2", "headline", "PORT  STRIKE ENDS"],
        ["a2", "body", "Work resumed on Friday."],
        ["a3", "headline", long_title],
        ["a3", "body", "Work resumed."]]
    assert c.text("a1") == "Dockers strike at Cork\n\n" + rows[0]["maintext"]
    assert c.text("a2") == rows[1]["maintext"]
    for r in s.itertuples():
        assert c.text(r.article_id)[r.start:r.end] == r.text
    # without a title the first short line is still taken for the headline (here the lede)
    no_title = load_corpus(table=str(write_jsonl(tmp_path / "n.jsonl", [rows[0] | {"title": None}])),
                           columns=MIN)
    assert no_title.sentences.role.tolist() == ["headline", "body"]
