"""Malformed inputs are reported with file, metadata line, reason and fix; never a traceback."""
from __future__ import annotations

import os
import subprocess
import sys
import time

import pytest

from alliance_study.cli import main
from alliance_study.corpus import CorpusError, Problem, load_corpus, validate_corpus
from alliance_study.errors import AllianceStudyError

GOOD = "A Good Headline\n\nThe talks in the U.S. went on. Nobody expected a deal.\n"


def make(tmp_path, files: dict, rows: list[str], header="article_id,file,outlet,published"):
    raw = tmp_path / "raw"
    raw.mkdir(exist_ok=True)
    for name, data in files.items():
        (raw / name).write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
    (raw / "articles.csv").write_text("\n".join([header] + rows) + "\n", encoding="utf-8")
    return raw


def only(problems, severity="error"):
    got = [p for p in problems if p.severity == severity]
    assert len(got) == 1, [str(p) for p in problems]
    return got[0]


def test_seed_corpus_is_clean(raw_dir):
    assert validate_corpus(raw_dir) == []


def test_problem_string_format():
    p = Problem("data/raw/x.txt", 3, "empty file (only whitespace)", "remove the row or supply the text",
                source="articles.csv")
    assert str(p) == ("data/raw/x.txt (articles.csv line 3): empty file (only whitespace). "
                      "Fix: remove the row or supply the text.")


@pytest.mark.parametrize("content, reason", [
    (b"", "empty file (0 bytes)"),
    (b"  \n\t\r\n   \n", "empty file (only whitespace)"),
    (b"Title\x00\x00\x01binary", "NUL bytes"),
    (b"\x81\x8d\x8f\x90\x9d bad bytes", "undecodable"),
    (bytes(range(1, 9)) * 50 + b"abc", "binary file"),
])
def test_bad_file_content_is_an_error_on_its_line(tmp_path, content, reason):
    raw = make(tmp_path, {"good.txt": GOOD, "bad.txt": content},
               ["g,good.txt,Daily,2020-10-23", "b,bad.txt,Daily,2020-10"])
    p = only(validate_corpus(raw))
    assert reason in p.reason
    assert p.line == 3 and p.article_id == "b" and p.file == str(raw / "bad.txt") and p.fix
    assert str(p).startswith(f"{raw / 'bad.txt'} (articles.csv line 3): ")


def test_missing_file_and_unlisted_file(tmp_path):
    raw = make(tmp_path, {"good.txt": GOOD, "stray.txt": GOOD}, ["g,good.txt,Daily,", "m,missing.txt,Daily,"])
    problems = validate_corpus(raw)
    err = only(problems)
    assert err.reason == "file not found" and err.line == 3
    warn = only(problems, "warning")
    assert warn.file == str(raw / "stray.txt") and "not listed" in warn.reason and warn.line is None


def test_duplicate_id_names_first_line(tmp_path):
    raw = make(tmp_path, {"a.txt": GOOD, "b.txt": GOOD}, ["x,a.txt,Daily,", "x,b.txt,Daily,"])
    p = only(validate_corpus(raw))
    assert p.line == 3 and "duplicate article_id 'x'" in p.reason and "line 2" in p.reason


@pytest.mark.parametrize("file_value, reason", [
    ("/etc/passwd", "absolute path"),
    ("../outside.txt", "leaves the raw directory"),
    ("sub/../../outside.txt", "leaves the raw directory"),
])
def test_paths_leaving_the_raw_dir(tmp_path, file_value, reason):
    (tmp_path / "outside.txt").write_text(GOOD)
    raw = make(tmp_path, {"a.txt": GOOD}, ["a,a.txt,Daily,", f"o,{file_value},Daily,"])
    p = only(validate_corpus(raw))
    assert reason in p.reason and p.line == 3


def test_symlink_pointing_out(tmp_path):
    (tmp_path / "outside.txt").write_text(GOOD)
    raw = make(tmp_path, {"a.txt": GOOD}, ["a,a.txt,Daily,", "l,link.txt,Daily,"])
    try:
        os.symlink(tmp_path / "outside.txt", raw / "link.txt")
    except OSError:
        pytest.skip("symlinks not supported here")
    p = only(validate_corpus(raw))
    assert "symlink" in p.reason and p.line == 3
    with pytest.raises(CorpusError):
        load_corpus(raw)


@pytest.mark.parametrize("article_id", ["../evil", "a/b", "has space", ".hidden"])
def test_unsafe_article_ids(tmp_path, article_id):
    raw = make(tmp_path, {"a.txt": GOOD}, [f'"{article_id}",a.txt,Daily,'])
    p = only(validate_corpus(raw))
    assert "unsafe article_id" in p.reason and p.line == 2


@pytest.mark.parametrize("date, reason", [
    ("2020-02-30", "February 2020 has 29 days"),
    ("2020-13", "no month 13"),
    ("Oct 2020", "not ISO 8601"),
    ("2021-02-29", "February 2021 has 28 days"),
])
def test_impossible_or_non_iso_dates(tmp_path, date, reason):
    raw = make(tmp_path, {"a.txt": GOOD}, [f"a,a.txt,Daily,{date}"])
    p = only(validate_corpus(raw))
    assert reason in p.reason and p.line == 2 and p.article_id == "a"


def test_valid_partial_dates_pass(tmp_path):
    raw = make(tmp_path, {"a.txt": GOOD, "b.txt": GOOD, "c.txt": GOOD},
               ["a,a.txt,D,2016", "b,b.txt,D,2020-02", "c,c.txt,D,2020-02-29T21:33+08:00"])
    assert validate_corpus(raw) == []


def test_line_numbers_count_multiline_quoted_fields(tmp_path):
    raw = make(tmp_path, {"a.txt": GOOD}, ['a,a.txt,Daily,2020-01-01,"note\nover two lines"', "b,,Daily,,"],
               header="article_id,file,outlet,published,notes")
    p = only(validate_corpus(raw))
    assert p.line == 4 and "blank file" in p.reason


@pytest.mark.parametrize("header, rows, reason", [
    ("article_id,file", ["a,a.txt"], "missing required column(s): outlet"),
    ("article_id,file,outlet", [], "empty metadata table"),
    ("", [], "empty metadata table"),
    ("article_id,file,outlet", ['a,"a.txt,Daily'], "malformed CSV"),
    ("article_id,file,file,outlet", ["a,a.txt,a.txt,D"], "duplicate column"),
    # a column the loader adds (counts, checksum) would be overwritten or doubled: refused, as in the table layout
    ("article_id,file,outlet,N_Words", ["a,a.txt,D,812"], "column(s) n_words would clash"),
    ("article_id,file,outlet,encoding,sha256", ["a,a.txt,D,latin-1,x"], "column(s) encoding, sha256 would clash"),
])
def test_table_level_problems_always_raise(tmp_path, header, rows, reason):
    raw = make(tmp_path, {"a.txt": GOOD}, rows, header=header)
    if not header and not rows:
        (raw / "articles.csv").write_bytes(b"")
    problems = validate_corpus(raw)
    assert len(problems) == 1 and reason in problems[0].reason and problems[0].scope == "table"
    for mode in ("fail", "skip"):
        with pytest.raises(CorpusError) as exc:
            load_corpus(raw, on_invalid=mode)
        assert reason in str(exc.value)


def test_missing_metadata_file(tmp_path):
    (tmp_path / "a.txt").write_text(GOOD)
    p = only(validate_corpus(tmp_path))
    assert "metadata file not found" in p.reason and p.file == str(tmp_path / "articles.csv")
    other = tmp_path / "meta.csv"
    other.write_text("article_id,file,outlet\na,a.txt,D\n")
    assert validate_corpus(tmp_path, other) == []
    assert list(load_corpus(tmp_path, other).articles.article_id) == ["a"]


def test_html_page_is_a_warning_and_loads_as_text(tmp_path):
    html = "<!DOCTYPE html><html><body><h1>Title</h1><p>Text <script>alert(1)</script></p></body></html>"
    raw = make(tmp_path, {"a.txt": html}, ["a,a.txt,Daily,"])
    p = only(validate_corpus(raw), "warning")
    assert "HTML" in p.reason
    c = load_corpus(raw)
    # a one-line page has no body text either: said too
    assert c.text("a") == html and [q.reason for q in c.problems] == [p.reason, "no body text: its 1 line is headline (1)"]


def test_five_megabyte_single_line_loads_in_bounded_time(tmp_path):
    line = ("The alliance talks went on and on without a full stop " * 100_000)[:5_000_000]
    raw = make(tmp_path, {"big.txt": line, "nostop.txt": "x" * 5_000_000}, ["big,big.txt,D,", "n,nostop.txt,D,"])
    t0 = time.perf_counter()
    c = load_corpus(raw, max_sentence_chars=1000)
    elapsed = time.perf_counter() - t0
    assert elapsed < 15, elapsed
    assert (c.sentences.end - c.sentences.start).max() <= 1000
    assert c.sentences.groupby("article_id").size().min() >= 5000
    big = c.text("big")
    assert all(big[r.start:r.end] == r.text for r in c.sentences[c.sentences.article_id == "big"].head(50).itertuples())


def test_fail_mode_lists_every_error(tmp_path):
    raw = make(tmp_path, {"a.txt": GOOD, "e.txt": b"", "w.txt": b"   "},
               ["a,a.txt,D,", "e,e.txt,D,", "w,w.txt,D,", "d,a.txt,D,2020-02-30"])
    with pytest.raises(CorpusError) as exc:
        load_corpus(raw)
    assert isinstance(exc.value, AllianceStudyError)
    msg = str(exc.value)
    for needle in ("line 3", "line 4", "line 5", "0 bytes", "only whitespace", "February 2020"):
        assert needle in msg
    assert {p.line for p in exc.value.problems if p.severity == "error"} == {3, 4, 5}


def test_skip_mode_loads_the_good_articles(tmp_path):
    raw = make(tmp_path, {"a.txt": GOOD, "e.txt": b"", "h.txt": "<html><body>x</body></html>"},
               ["a,a.txt,D,", "e,e.txt,D,", "m,missing.txt,D,", "h,h.txt,D,"])
    c = load_corpus(raw, on_invalid="skip")
    assert list(c.articles.article_id) == ["a", "h"]
    assert sorted((p.article_id, p.severity, p.reason[:12]) for p in c.problems) == [
        ("e", "error", "empty file ("), ("h", "warning", "looks like a"), ("h", "warning", "no body text"),
        ("m", "error", "file not fou")]
    assert set(c.segments.article_id) == {"a", "h"}
    with pytest.raises(KeyError):
        c.text("e")


def test_cli_exit_codes_and_no_traceback(tmp_path, capsys, raw_dir):
    assert main(["validate", str(raw_dir)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("OK: 5 article rows")
    raw = make(tmp_path, {"a.txt": GOOD, "e.txt": b""}, ["a,a.txt,D,", "e,e.txt,D,2020-13"])
    assert main(["validate", str(raw)]) == 1
    cap = capsys.readouterr()
    assert "Traceback" not in cap.out + cap.err
    lines = cap.out.strip().splitlines()
    assert lines[0].startswith("ERROR: ") and "line 3" in lines[0]
    assert lines[-1].startswith("FAILED: 2 article rows (1 usable), 2 errors, 0 warnings")
    # table-level problem, still exit 1 and no traceback
    (raw / "articles.csv").write_text('article_id,file\n"a,b\n')
    assert main(["validate", str(raw)]) == 1
    cap = capsys.readouterr()
    assert "Traceback" not in cap.out + cap.err and "ERROR" in cap.out
    # a raw directory that does not exist
    assert main(["validate", str(tmp_path / "nope")]) == 1
    assert "raw directory not found" in capsys.readouterr().out


def test_console_command_on_seed_corpus(root):
    exe = os.path.join(os.path.dirname(sys.executable), "alliance-study")
    cmd = [exe] if os.path.exists(exe) else [sys.executable, "-m", "alliance_study.cli"]
    r = subprocess.run(cmd + ["validate", "data/raw"], cwd=root, capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stdout + r.stderr
    assert "0 errors" in r.stdout and "Traceback" not in r.stderr


def test_a_stray_byte_in_a_utf8_file_is_an_error_naming_its_line_not_cp1252_mojibake(tmp_path):
    """One cp1252 apostrophe pasted into a UTF-8 article made the whole file decode as cp1252
    ('cafÃ©', 'itâ€™s'), with only a warning."""
    text = ("Plan Under Review\n\nThe caf\u00e9\u2019s owner said it\u2019s fine.\n\n".encode("utf-8")
            + b"Residents disagreed: it\x92s too late, one said.\n")
    raw = make(tmp_path, {"a.txt": text, "b.txt": GOOD}, ["a,a.txt,D,", "b,b.txt,D,"])
    p = only(validate_corpus(raw))
    assert p.line == 2 and p.file.endswith("a.txt")
    assert "invalid UTF-8 byte 0x92 at line 5, column 24" in p.reason and "otherwise UTF-8" in p.reason
    assert "\u2019" in p.fix  # what the byte meant in cp1252
    with pytest.raises(CorpusError, match="line 5, column 24"):
        load_corpus(raw)
    c = load_corpus(raw, on_invalid="skip")
    assert c.articles.article_id.tolist() == ["b"]


def test_a_cp1252_file_warns_with_the_first_non_utf8_byte_and_undecodable_names_it(tmp_path):
    cp = "Plan Under Review\n\nThe caf\u00e9 owner said it\u2019s fine.\n".encode("cp1252")
    raw = make(tmp_path, {"a.txt": cp, "b.txt": b"Title\n\nA \x81 byte.\n"}, ["a,a.txt,D,", "b,b.txt,D,"])
    problems = validate_corpus(raw)
    w = only(problems, "warning")
    assert "byte 0xE9 at line 3, column 8" in w.reason and "cp1252" in w.reason
    e = only(problems)
    assert "0x81 at line 3, column 3" in e.reason and "undecodable" in e.reason
    c = load_corpus(raw, on_invalid="skip")
    assert c.text("a") == "Plan Under Review\n\nThe caf\u00e9 owner said it\u2019s fine.\n"


WRAPPED = ("Russia, China extend treaty\n\n"
           "Russia and China on Monday extended a friendship treaty for\n"
           "five years, the Kremlin said, in a move analysts said was\n"
           "largely symbolic but which may signal closer military ties\n"
           "between the two governments.\n\n"
           "\"We do not rule out anything,\" a senior official told\n"
           "reporters in Moscow, adding that no formal alliance was\n"
           "planned.\n")


def test_hard_wrapped_text_is_a_warning_naming_the_first_broken_line(tmp_path):
    raw = make(tmp_path, {"w.txt": WRAPPED, "a.txt": GOOD}, ["w,w.txt,D,", "a,a.txt,D,"])
    p = only(validate_corpus(raw), "warning")
    assert p.line == 2 and p.file.endswith("w.txt") and "hard-wrapped" in p.reason
    assert "5 of its 5 line ends" in p.reason and "after line 3" in p.reason and "join the lines" in p.fix
    c = load_corpus(raw)  # a warning: loaded as it is
    assert [q.reason for q in c.problems] == [p.reason]
    # the same text in a table
    import pandas as pd
    pd.DataFrame({"id": ["w"], "text": [WRAPPED], "src": ["D"]}).to_csv(tmp_path / "t.csv", index=False)
    t = validate_corpus(table=tmp_path / "t.csv", columns={"article_id": "id", "outlet": "src"})
    assert [q.reason for q in t] == [p.reason]


def test_verse_like_or_list_lines_are_not_called_hard_wrapped(raw_dir, tmp_path):
    # the seed corpus (with its reader comments) and a text of short complete lines give no warning
    assert validate_corpus(raw_dir) == []
    lines = "Title\n\nThe plan has three parts:\n- more trains,\n- lower fares,\n- new stations.\n"
    raw = make(tmp_path, {"l.txt": lines}, ["l,l.txt,D,"])
    assert validate_corpus(raw) == []


def test_file_names_match_whatever_the_unicode_normalisation(tmp_path):
    """A table typed on Windows/Linux spells 'é' as one character (NFC), a file saved on a Mac
    disk as 'e' + combining accent (NFD): the same visible name must match."""
    import unicodedata
    nfc, nfd = unicodedata.normalize("NFC", "café.txt"), unicodedata.normalize("NFD", "café.txt")
    raw = make(tmp_path, {nfd: GOOD}, [f"a,{nfc},D,"])
    assert validate_corpus(raw) == []
    assert load_corpus(raw).text("a") == GOOD


def test_the_metadata_table_or_a_backslash_path_as_file(tmp_path):
    raw = make(tmp_path, {"a.txt": GOOD}, ["a,a.txt,D,", "m,articles.csv,D,", r"s,sub\c.txt,D,"])
    (raw / "sub").mkdir()
    (raw / "sub" / "c.txt").write_text(GOOD)
    errs = {p.article_id: p for p in validate_corpus(raw) if p.severity == "error"}
    assert sorted(errs) == ["m", "s"]
    assert "the metadata table itself" in errs["m"].reason and errs["m"].line == 3
    assert "'\\'" in errs["s"].reason and "sub/c.txt" in errs["s"].fix


def test_unlisted_files_in_sub_folders_are_reported(tmp_path):
    raw = make(tmp_path, {"a.txt": GOOD}, ["a,a.txt,D,", "b,2020/b.txt,D,"])
    (raw / "2020").mkdir()
    for name in ("b.txt", "c.txt"):
        (raw / "2020" / name).write_text(GOOD)
    (raw / "scraped").mkdir()
    for i in range(8):
        (raw / "scraped" / f"p{i}.txt").write_text(GOOD)
    (raw / ".git").mkdir()
    (raw / ".git" / "x.txt").write_text(GOOD)
    warns = [p for p in validate_corpus(raw) if p.severity == "warning"]
    assert [(os.path.relpath(p.file, raw), p.reason.split(";")[0][:24]) for p in warns] == [
        ("2020/c.txt", "file is not listed in ar"), ("scraped", "folder holds 8 files tha")]
    assert "scraped/p0.txt" in warns[1].reason and "scraped/NAME" in warns[1].fix


def test_an_id_opening_with_a_dash_says_ids_start_with_a_letter_or_digit(tmp_path):
    raw = make(tmp_path, {"a.txt": GOOD}, ["-5,a.txt,D,"])
    assert "start with a letter or digit" in only(validate_corpus(raw)).reason
