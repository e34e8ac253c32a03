"""Table I/O on awkward inputs: unquoted separators, lone carriage returns, nested Parquet values, NUL characters.

Each test feeds `alliance-study score` (or the table writers and the corpus loader) a file
with one of these problems, built from real sentences of the VADER ground truth, and checks
that the problem is refused with its row, line and fix, or written so that it reads back
as the same table, or counted in a note -- never silently turned into other rows or values.
"""
from __future__ import annotations

import csv
import io
import json

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from alliance_study.cli import main
from alliance_study.corpus import load_corpus
from alliance_study.io import read_table, write_table
from alliance_study.scale import score_file

from test_scale import ground_truth


@pytest.fixture(scope="module")
def sentences(vader_dir) -> list[str]:
    """Ground-truth sentences with one comma, no quote, no tab and no line break (one CSV field each when quoted)."""
    gt = ground_truth(vader_dir)
    ok = gt["text"][(gt["text"].str.count(",") == 1) & ~gt["text"].str.contains(r'["\t\r\n\x00]', regex=True)]
    return ok.head(40).tolist()


def _score(args: list[str], capsys) -> tuple[int, str]:
    code = main(["score", *args, "--no-progress"])
    return code, capsys.readouterr().err


# ------------------------------------------------------------------ 1. a row with more fields than the header
def _quoted(rows: list[tuple[int, str]], sep: str = ",") -> list[str]:
    out = io.StringIO()
    csv.writer(out, delimiter=sep, lineterminator="\n").writerows(rows)
    return out.getvalue().splitlines(keepends=True)


@pytest.mark.parametrize("fmt", ["csv", "tsv"])
def test_first_row_with_an_unquoted_separator_is_refused(sentences, tmp_path, capsys, fmt):
    sep = "," if fmt == "csv" else "\t"
    bad = sentences[0] if fmt == "csv" else sentences[0].replace(", ", "\t", 1)
    assert bad.count(sep) == 1
    src, dst = tmp_path / f"first.{fmt}", tmp_path / "out.csv"
    src.write_text(f"id{sep}text\n" + f"1{sep}{bad}\n"
                   + "".join(_quoted([(i, s) for i, s in enumerate(sentences[1:10], 2)], sep)), encoding="utf-8")
    code, err = _score([str(src), "-o", str(dst), "--jobs", "1"], capsys)
    # before: exit 0, the ids taken for an index, every value one column off, "blank 'text'" for 9 rows of 10
    assert code == 2, err
    assert f"{src} row 1 (line 2): row has 3 fields but the header has 2" in err
    assert "Fix: put double quotes around a field that contains" in err
    assert "Traceback" not in err and not dst.exists()


def test_later_row_with_an_unquoted_comma_is_refused_with_its_row_and_line(sentences, tmp_path, capsys):
    rows = [(i, s) for i, s in enumerate(sentences[:12], 1)]
    rows[2] = (3, rows[2][1].replace(" ", "\n", 1))  # a quoted value over two lines: line numbers != row + 1
    lines = ["id,text\n"] + _quoted(rows)
    bad_row = 9
    lines.insert(bad_row + 1, f"{bad_row}b,{sentences[20]}\n")  # row 9 starts on line 11
    src, dst = tmp_path / "later.csv", tmp_path / "out.parquet"
    src.write_text("".join(lines), encoding="utf-8")
    assert len(pd.read_csv(src, usecols=["id"])) == 13  # what the type scan sees: no complaint
    code, err = _score([str(src), "-o", str(dst), "--jobs", "1", "--chunksize", "2"], capsys)
    assert code == 2, err
    assert f"{src} row {bad_row} (line {bad_row + 2}): row has 3 fields but the header has 2" in err
    assert "Fix: put double quotes" in err and not dst.exists()


def test_the_same_file_with_the_field_quoted_scores_every_row(sentences, tmp_path, capsys):
    src, dst = tmp_path / "fixed.csv", tmp_path / "out.csv"
    rows = [(i, s) for i, s in enumerate(sentences[:10], 1)]
    src.write_text("id,text\n" + "".join(_quoted(rows)), encoding="utf-8")
    code, err = _score([str(src), "-o", str(dst), "--jobs", "1"], capsys)
    assert code == 0, err
    out = pd.read_csv(dst)
    assert out["id"].tolist() == list(range(1, 11)) and out["text"].tolist() == sentences[:10]
    assert (out["n_words"] > 2).all() and "blank" not in err


# ------------------------------------------------------------------ 2. a lone carriage return in a value
def test_score_output_with_a_lone_cr_reads_back_as_the_same_rows(tmp_path, capsys):
    src, dst = tmp_path / "cr.csv", tmp_path / "out.csv"
    src.write_bytes(b'id,text\r1,"Line one.\rLine two."\r2,Other.\r')
    code, err = _score([str(src), "-o", str(dst), "--jobs", "1"], capsys)
    assert code == 0, err
    back = pd.read_csv(dst)
    assert back["id"].tolist() == [1, 2]
    assert back["text"].tolist() == ["Line one.\rLine two.", "Other."]
    assert back["n_words"].tolist() == [4, 1]
    assert b'1,"Line one.\rLine two.",4,' in dst.read_bytes()


@pytest.mark.parametrize("ext", [".csv", ".tsv"])
def test_write_table_quotes_lone_cr_and_keeps_other_bytes(sentences, tmp_path, ext):
    plain = pd.DataFrame({"id": range(1, 11), "text": sentences[:10], "n": [1.5, None] * 5})
    sep = "," if ext == ".csv" else "\t"
    write_table(plain, tmp_path / f"plain{ext}")  # no "\r": pandas' own bytes
    assert (tmp_path / f"plain{ext}").read_bytes() == plain.to_csv(
        index=False, sep=sep, lineterminator="\n").encode("utf-8")

    cr = plain.copy()
    cr.loc[3, "text"] = cr.loc[3, "text"].replace(",", "").replace(" ", "\r", 1)  # no comma: else quoted anyway
    cr.loc[6, "text"] = cr.loc[6, "text"].replace(" ", "\r\n", 1) + '"'
    write_table(cr, tmp_path / f"cr{ext}")
    back = read_table(tmp_path / f"cr{ext}")
    assert len(back) == 10
    assert back["text"].tolist() == cr["text"].tolist() and back["id"].tolist() == list(range(1, 11))
    # only the rows with a "\r" differ from the plain file
    diff = [a != b for a, b in zip((tmp_path / f"cr{ext}").read_bytes().split(b"\n"),
                                   (tmp_path / f"plain{ext}").read_bytes().split(b"\n"))]
    assert diff[:4] == [False] * 4 and diff[4]


def test_corpus_metadata_line_ends_are_normalised_and_articles_csv_round_trips(sentences, tmp_path):
    table = tmp_path / "corpus.jsonl"
    rows = [{"id": f"a{i}", "outlet": "Daily", "text": s, "notes": None} for i, s in enumerate(sentences[:4])]
    rows[1]["notes"] = "first part\rsecond part"
    rows[2]["notes"] = "first part\r\nsecond part\r"
    table.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    corpus = load_corpus(table=table, columns={"article_id": "id"})
    notes = corpus.articles.set_index("article_id")["notes"]
    assert notes["a1"] == notes["a2"] == "first part\nsecond part"
    write_table(corpus.articles, tmp_path / "articles.csv")
    back = pd.read_csv(tmp_path / "articles.csv", dtype=str, keep_default_na=False)
    assert back["article_id"].tolist() == ["a0", "a1", "a2", "a3"]
    assert back["notes"].tolist()[1:3] == ["first part\nsecond part"] * 2


# ------------------------------------------------------------------ 3. nested Parquet values
@pytest.fixture()
def nested_parquet(sentences, tmp_path):
    table = pa.table({
        "id": [1, 2, 3],
        "tags": pa.array([["talks", "trade"], None, []], pa.list_(pa.string())),
        "counts": pa.array([[1, 2], [None, 3], None], pa.list_(pa.int64())),
        "spans": pa.array([[[0, 5]], [], None], pa.list_(pa.list_(pa.int64()))),
        "meta": pa.array([{"x": 1, "w": "é"}, None, {"x": None, "w": "b"}],
                         pa.struct([("x", pa.int64()), ("w", pa.string())])),
        "text": sentences[:3],
    })
    path = tmp_path / "nested.parquet"
    pq.write_table(table, path)
    return path, table


def test_parquet_nested_columns_to_jsonl_are_json_lists_and_objects(nested_parquet, tmp_path, capsys):
    src, table = nested_parquet
    dst = tmp_path / "out.jsonl"
    code, err = _score([str(src), "-o", str(dst), "--jobs", "1"], capsys)  # before: ValueError from value.item()
    assert code == 0, err
    out = [json.loads(line) for line in dst.read_text(encoding="utf-8").splitlines()]
    for c in ("tags", "counts", "spans", "meta"):
        assert [r[c] for r in out] == table.column(c).to_pylist(), c
    assert out[1]["counts"] == [None, 3] and out[0]["meta"] == {"x": 1, "w": "é"}


@pytest.mark.parametrize("ext", [".csv", ".tsv"])
def test_parquet_nested_columns_to_csv_are_json_text_with_their_numbers(nested_parquet, tmp_path, capsys, ext):
    src, table = nested_parquet
    dst = tmp_path / f"out{ext}"
    code, err = _score([str(src), "-o", str(dst), "--jobs", "1"], capsys)
    assert code == 0, err
    back = read_table(dst, dtype=str, keep_default_na=False)
    for c in ("tags", "counts", "spans", "meta"):  # before: "['talks' 'trade']", "[array([0, 5])]", "{'x': 1.0 ...}"
        assert [json.loads(v) if v else None for v in back[c]] == table.column(c).to_pylist(), c
    assert back["counts"].tolist()[:2] == ["[1, 2]", "[null, 3]"]
    assert back["meta"][0] == '{"x": 1, "w": "é"}'


# ------------------------------------------------------------------ 4. NUL characters in texts
def test_nul_characters_in_texts_are_counted_in_a_note_and_kept(sentences, tmp_path, capsys):
    texts = list(sentences[:20])
    texts[4] = texts[4].replace(" ", "\x00", 1)
    texts[17] = texts[17] + "\x00\x00"
    src, dst = tmp_path / "nul.csv", tmp_path / "out.jsonl"
    pd.DataFrame({"id": range(20), "text": texts}).to_csv(src, index=False)
    code, err = _score([str(src), "-o", str(dst), "--jobs", "1", "--chunksize", "7"], capsys)
    assert code == 0, err
    assert f"note: 2 of 20 rows of {src} have NUL characters" in err
    out = [json.loads(line) for line in dst.read_text(encoding="utf-8").splitlines()]
    assert [r["text"] for r in out] == texts and all(r["n_words"] > 2 for r in out)  # nothing dropped

    pq.write_table(pa.table({"text": texts}), tmp_path / "nul.parquet")
    info = score_file(tmp_path / "nul.parquet", tmp_path / "out.parquet", jobs=1, progress=False, chunksize=6)
    assert info["nul"] == 2 and info["rows"] == 20

    clean = tmp_path / "clean.csv"
    pd.DataFrame({"text": sentences[:20]}).to_csv(clean, index=False)
    code, err = _score([str(clean), "-o", str(tmp_path / "c.csv"), "--jobs", "1"], capsys)
    assert code == 0 and "NUL" not in err


def test_parquet_index_column_kept_in_csv_and_jsonl_like_in_parquet(sentences, tmp_path, capsys):
    """A pandas-written Parquet keeps a named index as a column; CSV/JSONL output used to drop it silently."""
    src = tmp_path / "indexed.parquet"
    pd.DataFrame({"text": sentences[:3]}, index=pd.Index(["r1", "r2", "r3"], name="rid")).to_parquet(src)
    for ext in (".parquet", ".csv", ".jsonl"):
        code, err = _score([str(src), "-o", str(tmp_path / f"out{ext}"), "--jobs", "1"], capsys)
        assert code == 0, err
    as_parquet = pq.read_table(tmp_path / "out.parquet").column_names
    assert as_parquet[:2] == ["text", "rid"]
    back = pd.read_csv(tmp_path / "out.csv")
    assert list(back.columns) == as_parquet and back["rid"].tolist() == ["r1", "r2", "r3"]
    rows = [json.loads(line) for line in (tmp_path / "out.jsonl").read_text(encoding="utf-8").splitlines()]
    assert list(rows[0]) == as_parquet and [r["rid"] for r in rows] == ["r1", "r2", "r3"]


def test_read_table_refuses_a_first_row_with_an_extra_field(sentences, tmp_path):
    from alliance_study.errors import InputError

    src = tmp_path / "first.csv"
    src.write_text("id,text\n" + "".join(f"{i},{s}\n" for i, s in enumerate(sentences[:3], 1)), encoding="utf-8")
    with pytest.raises(InputError, match="first data row has more fields than the header. Fix: put double quotes"):
        read_table(src)  # before: ids taken for the index, 'id' holding the text before the comma
    later = tmp_path / "later.csv"
    later.write_text("id,text\n1,Fine.\n" + f"2,{sentences[0]}\n", encoding="utf-8")
    with pytest.raises(InputError, match="Expected 2 fields in line 3, saw 3"):
        read_table(later)
    assert read_table(src, skiprows=1, header=None).shape == (3, 3)  # the caller's own options still apply
