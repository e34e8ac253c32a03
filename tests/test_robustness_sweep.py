"""A hostile user's inputs: every problem is named (file, line or key), says ``Fix:``, exits non-zero
without a traceback, and no input is ever written.  One test per problem the sweep found."""
from __future__ import annotations

import json

import pandas as pd
import pytest

import test_validate as tv  # its corpus-folder helper (make) and a good article text
from _buildkit import tree_hashes

from alliance_study.cli import main


@pytest.fixture(autouse=True)
def _plain_errors(monkeypatch, tmp_path):
    """Errors as a user sees them (no ALLIANCE_STUDY_DEBUG re-raise); a cache of the test's own."""
    monkeypatch.delenv("ALLIANCE_STUDY_DEBUG", raising=False)
    monkeypatch.setenv("ALLIANCE_STUDY_CACHE", str(tmp_path / "cache"))


def user_error(capsys, argv: list[str]) -> str:
    """Run the CLI, expect a user error (exit code 1 or 2, no traceback, no 'internal error'); return stderr+stdout."""
    code = main([str(a) for a in argv])
    cap = capsys.readouterr()
    text = cap.err + cap.out
    assert code in (1, 2), text
    assert "Traceback" not in text and "internal error" not in text, text
    assert "Fix:" in text, text
    return text


@pytest.fixture
def study(tmp_path, capsys):
    """A new study made by ``alliance-study init`` (table corpus data/corpus.jsonl, lexicon copies)."""
    d = tmp_path / "my study"
    assert main(["init", str(d)]) == 0
    capsys.readouterr()
    return d


# ------------------------------------------------------------------ build: outputs never replace inputs
@pytest.mark.parametrize("out", ["data", ".", "lexicons/frames.yaml"])
def test_build_refuses_an_output_folder_holding_an_input(study, capsys, out):
    before = tree_hashes(study)
    text = user_error(capsys, ["build", "--study", study / "study.yaml", "--output-dir", study / out,
                               "-p", "news_sentiment", "false"])
    assert "holds an input of the build" in text and str((study / out).resolve()) in text
    assert tree_hashes(study) == before


def test_build_refuses_a_processed_folder_holding_the_corpus_table(study, capsys):
    before = tree_hashes(study)
    text = user_error(capsys, ["build", "--study", study / "study.yaml", "--processed-dir", study / "data"])
    assert "corpus.jsonl" in text
    assert tree_hashes(study) == before


# ------------------------------------------------------------------ outputs that cannot be written
def test_score_output_below_a_file_is_a_user_error(tmp_path, capsys):
    src = tmp_path / "in.csv"
    src.write_text("id,text\n1,The minister may resign.\n", encoding="utf-8")
    before = src.read_bytes()
    text = user_error(capsys, ["score", src, "-o", src / "out.csv", "--jobs", "1", "--no-progress"])
    assert f"{src / 'out.csv'}: cannot write here ({src} is a file, not a folder)" in text
    assert src.read_bytes() == before


def test_init_below_a_file_is_a_user_error(tmp_path, capsys):
    (tmp_path / "f.txt").write_text("x")
    text = user_error(capsys, ["init", tmp_path / "f.txt" / "study"])
    assert str(tmp_path / "f.txt") in text and "Not a directory" in text


# ------------------------------------------------------------------ agreement: coders' sheets that do not match
def _sheets(study, tmp_path, capsys):
    """The study's blank sheet (drawn by ``sample``) filled by two coders, ann and bob, as rows of dicts."""
    import csv

    y = study / "study.yaml"
    y.write_text(y.read_text(encoding="utf-8").replace("parameters:\n", "parameters:\n  news_sentiment: false\n"),
                 encoding="utf-8")
    assert main(["sample", "--study", str(y), "--n", "12", "-o", str(tmp_path / "coding" / "blank.csv")]) == 0
    capsys.readouterr()
    with open(tmp_path / "coding" / "blank.csv", encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    coded = []
    for k in range(2):
        sheet = [dict(r, sentiment=str((i + k) % 3 - 1), hedged=str((i + k) % 2), speaker="none",
                      **{c: str(i % 2) for c in r if c.startswith("frame_")}) for i, r in enumerate(rows)]
        coded.append(sheet)
    return y, coded


def _write(path, rows):
    import csv

    with open(path, "w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)
    return path


def test_agreement_refuses_mismatched_sheets_naming_the_file(study, tmp_path, capsys):
    y, (ann, bob) = _sheets(study, tmp_path, capsys)
    a = _write(tmp_path / "ann.csv", ann)
    out = tmp_path / "agreement.csv"
    # a unit_id changed on one sheet: the same sentence would count as two units
    relabelled = [dict(r) for r in bob]
    relabelled[3]["unit_id"] = "u9999"
    b = _write(tmp_path / "bob.csv", relabelled)
    text = user_error(capsys, ["agreement", a, b, "--study", y, "-o", out])
    assert f"{b}, coder bob: row 4, column 'unit_id'" in text and "'u9999'" in text and f"'{bob[3]['unit_id']}'" in text
    # a frame column only one coder has: was a KeyError ('internal error')
    extra = [dict(r, frame_bogus="1") for r in bob]
    b = _write(tmp_path / "bob.csv", extra)
    text = user_error(capsys, ["agreement", a, b, "--study", y, "-o", out])
    assert f"{b}: column 'frame_bogus'" in text
    # an article id edited: the file is named, not only the coder
    edited = [dict(r) for r in bob]
    edited[1]["article_id"] = "nope"
    b = _write(tmp_path / "bob.csv", edited)
    text = user_error(capsys, ["agreement", a, b, "--study", y, "-o", out])
    assert f"{b}, coder bob: row 2, column 'unit_id'" in text
    assert not out.exists()


def test_agreement_with_one_coder_says_alpha_is_left_empty(study, tmp_path, capsys):
    y, (ann, _) = _sheets(study, tmp_path, capsys)
    assert main(["agreement", str(_write(tmp_path / "ann.csv", ann)), "--study", str(y),
                 "-o", str(tmp_path / "a.csv")]) == 0
    assert "only one coder's sheet: alpha" in capsys.readouterr().err


def test_agreement_says_which_units_a_coder_left_off_the_sheet(study, tmp_path, capsys):
    """A sheet with rows deleted: those units count as not coded by that coder, and the note says so."""
    y, (ann, bob) = _sheets(study, tmp_path, capsys)
    n = len(ann)
    assert main(["agreement", str(_write(tmp_path / "ann.csv", ann)), str(_write(tmp_path / "bob.csv", bob[:5])),
                 "--study", str(y), "-o", str(tmp_path / "a.csv")]) == 0
    err = capsys.readouterr().err
    assert f"{n - 5} of the {n} units are not on coder bob's sheet" in err and "coder ann's" not in err
    out = pd.read_csv(tmp_path / "a.csv")
    assert (out["n_units"] == n).all()


# ------------------------------------------------------------------ lexicons: malformed or empty
@pytest.mark.parametrize("name, content, expect", [
    ("frames.yaml", "categories:\n  x: [unclosed\n", "frames.yaml line 3: not valid YAML (expected ','"),
    ("boosters.yaml", "\tname: boosters\ncategories: {}\n",
     "boosters.yaml line 1: not valid YAML (found character '\\t'"),
    ("targets.yaml", "", "targets.yaml: a lexicon needs a top-level 'categories' mapping"),
    ("frames.yaml", "categories:\n  econ:\n    cues: 5\n", "frames.yaml: category 'econ' needs a list of cues"),
    ("frames.yaml", "categories:\n  econ:\n    cues: [{cue: trade, exclude_before: '('}]\n",
     "frames.yaml: category 'econ', cue #1: bad regular expression '('"),
    ("actors.csv", "name,type\nAnn Lee,official\n", "actors.csv: actor table lacks column(s)"),
    ("roles.yaml", "x: [1\n", "roles.yaml line 2: not valid YAML"),
])
def test_check_parses_every_lexicon(study, capsys, name, content, expect):
    """``build --check`` reads the lexicons (it only looked for the files): a malformed one is named with its fix."""
    (study / "lexicons" / name).write_text(content, encoding="utf-8")
    text = user_error(capsys, ["build", "--study", study / "study.yaml", "--check"])
    assert expect in text
    assert not (study / "reports").exists() and not (study / "data" / "processed").exists()


def test_score_with_an_empty_frames_lexicon_names_it(study, tmp_path, capsys):
    (study / "lexicons" / "frames.yaml").write_text("", encoding="utf-8")
    src = tmp_path / "in.csv"
    src.write_text("id,text\n1,The minister may resign.\n", encoding="utf-8")
    text = user_error(capsys, ["score", src, "-o", tmp_path / "out.csv", "--study", study / "study.yaml",
                               "--jobs", "1", "--no-progress"])
    assert f"{study / 'lexicons' / 'frames.yaml'}: a lexicon needs a top-level 'categories' mapping" in text
    assert not (tmp_path / "out.csv").exists()


# ------------------------------------------------------------------ parameters: right type, no use
@pytest.mark.parametrize("name, value, expect", [
    ("roles", "hedline", "parameter 'roles': unknown role(s) 'hedline'"),
    ("n_boot", "-5", "parameter 'n_boot' is -5"),
    ("n_perm", "-1", "parameter 'n_perm' is -1"),
    ("level", "1.5", "parameter 'level' is 1.5"),
    ("seed", "-1", "parameter 'seed' is -1"),
    ("roles", "[]", "parameter 'roles' is empty"),
    ("group_by", "article_id", "every article would be a group of its own"),
    ("group_by", "role", "the name of a column of the sentence table too"),
])
def test_parameter_values_are_checked_before_the_corpus_is_read(study, capsys, name, value, expect):
    """A role nobody has left 'no article with sentences left after joining groups' after processing."""
    for check in (["--check"], []):
        text = user_error(capsys, ["build", "--study", study / "study.yaml", *check, "-p", name, value])
        assert expect in text and "process partitions" not in text
    assert not (study / "reports").exists() and not (study / "data" / "processed").exists()


# ------------------------------------------------------------------ one table of texts: encodings and separators
COLS = "article_id=id,text=maintext,outlet=src"
ROWS = 'id,maintext,src\n1,"Head\n\nThe minister said so.",Daily\n'


def _validate_table(capsys, path, columns=COLS) -> str:
    code = main(["validate", str(path), "--columns", columns])
    cap = capsys.readouterr()
    assert code == 1 and "Traceback" not in cap.out + cap.err
    err = [line for line in cap.out.splitlines() if line.startswith("ERROR: ")]
    assert len(err) == 1 and "Fix:" in err[0], cap.out
    return err[0]


@pytest.mark.parametrize("name, data, expect", [
    ("u16.csv", ROWS.encode("utf-16"), "the file is UTF-16 text"),
    ("u16.jsonl", '{"id": 1, "maintext": "Hi.", "src": "D"}\n'.encode("utf-16"), "the file is UTF-16 text"),
    ("junk.csv", bytes(range(256)) * 8, "binary file: contains NUL bytes"),
    ("comma.tsv", ROWS.encode(), "the header is one column, 'id,maintext,src': the file is separated by ','"),
    ("semicolon.csv", ROWS.replace(",", ";").encode(), "the file is separated by ';', not by ','"),
    ("badhead.csv", ROWS.replace("src", "s\xe9rc").encode("latin-1"), "header: not valid UTF-8: byte 0xe9"),
])
def test_table_that_is_not_utf8_text_of_its_format_is_named(tmp_path, capsys, name, data, expect):
    """These used to end in 'missing required column(s)' listing a garbled header (or 'no JSON object')."""
    (tmp_path / name).write_bytes(data)
    line = _validate_table(capsys, tmp_path / name, COLS.replace("src", "s\xe9rc") if "badhead" in name else COLS)
    assert line.startswith(f"ERROR: {tmp_path / name}") and expect in line
    assert "missing required" not in line


def test_jsonl_error_gives_the_character_of_the_line(tmp_path, capsys):
    p = tmp_path / "t.jsonl"
    p.write_text('{"id": 1, "maintext": "Hi there.", "src": "D"}\n{"id": 2, "maintext": "Yo.", "src": "D"\n')
    code = main(["validate", str(p), "--columns", COLS])
    out = capsys.readouterr().out
    assert code == 1 and f"{p} row 2 (line 2): not valid JSON (Expecting ',' delimiter at character 40)" in out


def test_a_study_name_mapped_twice_is_refused(tmp_path, capsys):
    p = tmp_path / "t.csv"
    p.write_text(ROWS)
    text = user_error(capsys, ["validate", p, "--columns", COLS + ",text=src"])
    assert "--columns: 'text' is mapped twice (text=maintext and text=src)" in text


# ------------------------------------------------------------------ a folder corpus: its metadata table
def test_cp1252_metadata_is_read_with_a_warning_like_an_article(tmp_path, capsys):
    raw = tv.make(tmp_path, {"a.txt": tv.GOOD}, [])
    (raw / "articles.csv").write_bytes("article_id,file,outlet\na,a.txt,Caf\xe9 Daily\n".encode("cp1252"))
    before = tree_hashes(raw)
    assert main(["validate", str(raw)]) == 0
    out = capsys.readouterr().out
    assert f"warning: {raw / 'articles.csv'}: not valid UTF-8 (byte 0xE9" in out and "decoded as cp1252" in out
    assert "Fix:" in out
    assert "1 warning" in out and tree_hashes(raw) == before


def test_semicolon_metadata_names_the_separator(tmp_path, capsys):
    raw = tv.make(tmp_path, {"a.txt": tv.GOOD}, ["a;a.txt;Daily"], header="article_id;file;outlet")
    assert main(["validate", str(raw)]) == 1
    out = capsys.readouterr().out
    assert ("articles.csv line 1: the header is one column, 'article_id;file;outlet': "
            "the table is separated by ';'") in out
    assert "Fix: save it again as a comma-separated CSV" in out


def test_accented_id_message_says_which_letters(tmp_path, capsys):
    raw = tv.make(tmp_path, {"a.txt": tv.GOOD}, ["caf\xe9,a.txt,Daily,2020"])
    assert main(["validate", str(raw)]) == 1
    assert "ids may only use unaccented letters (A-Z, a-z)" in capsys.readouterr().out


# ------------------------------------------------------------------ --on-invalid skip: the skipped rows are said
def test_skipped_rows_are_said_on_the_terminal(tmp_path):
    """The build's processing step used to skip unreadable rows without a word on stderr (only problems.csv)."""
    import io

    from alliance_study.report import process_corpus
    from alliance_study.report.progress import Progress

    raw = tv.make(tmp_path, {"a.txt": tv.GOOD, "b.txt": tv.GOOD, "empty.txt": b""},
                  ["a,a.txt,Daily,2020", "b,b.txt,Weekly,2020", "e,empty.txt,Weekly,2020"])
    before = tree_hashes(raw)
    said = io.StringIO()
    process_corpus(raw, tmp_path / "proc", on_invalid="skip", progress=Progress(stream=said, tty=False),
                   cache_dir=tmp_path / "cache", n_boot=50, n_perm=0, news_sentiment=False)
    text = said.getvalue()
    assert "1 unreadable article row(s) skipped" in text and f"{raw / 'empty.txt'} (articles.csv line 4)" in text
    assert "problems.csv" in text and tree_hashes(raw) == before


# ------------------------------------------------------------------ a group column blank for some or all articles
def test_articles_with_a_blank_group_are_said_or_refused(tmp_path):
    """Articles with a blank group_by value were left out of the comparison without a word."""
    from alliance_study.errors import InputError
    from alliance_study.report import process_corpus

    rows = ["a,a.txt,Daily,2020,East", "b,b.txt,Daily,2020,", "c,c.txt,Weekly,2020,West", "d,d.txt,Weekly,2020,East"]
    raw = tv.make(tmp_path, {f"{k}.txt": tv.GOOD for k in "abcd"}, rows,
                  header="article_id,file,outlet,published,region")
    kw = dict(cache_dir=tmp_path / "cache", n_boot=50, n_perm=0, news_sentiment=False, group_by="region")
    with pytest.warns(UserWarning, match=r"1 article\(s\) with a blank 'region' are left out .*\(e\.g\. b\)"):
        process_corpus(raw, tmp_path / "p1", **kw)
    # and in the problems table, which the report's data-quality part shows, and the manifest's count
    problems = pd.read_csv(tmp_path / "p1" / "problems.csv")
    assert problems[["file", "severity", "article_id"]].values.tolist() == [["raw/b.txt", "warning", "b"]]
    assert "has no 'region' value, so it is left out of the group comparison" in problems["reason"][0]
    assert json.loads((tmp_path / "p1" / "manifest.json").read_text())["n_problems"] == 1
    tv.make(tmp_path, {}, [",".join(r.split(",")[:4]) + "," for r in rows],
            header="article_id,file,outlet,published,region")
    with pytest.raises(InputError, match=r"group_by='region': the column is blank for every article.*Fix:"):
        process_corpus(raw, tmp_path / "p2", **kw)


def test_group_values_differing_only_in_case_or_invisible_characters_are_said(tmp_path):
    """'Reuters', 'reuters' and 'Reuters' + a zero-width space were three groups without a word."""
    from alliance_study.report import process_corpus

    rows = ["a,a.txt,Reuters,2020", "b,b.txt,reuters,2020", "c,c.txt,Reuters\u200b,2020", "d,d.txt,AP,2020"]
    raw = tv.make(tmp_path, {f"{k}.txt": tv.GOOD for k in "abcd"}, rows, header="article_id,file,outlet,published")
    process_corpus(raw, tmp_path / "p", cache_dir=tmp_path / "cache", n_boot=20, n_perm=0, news_sentiment=False,
                   group_by="outlet")
    problems = pd.read_csv(tmp_path / "p" / "problems.csv")
    assert problems["severity"].tolist() == ["warning"]
    assert "differ only in case, spacing or invisible characters, so they are compared as 3 groups" in \
        problems["reason"][0]
    # the invisible character is shown escaped, so the reader sees it
    assert r"'Reuters', 'Reuters\u200b', 'reuters'" in problems["reason"][0]


def test_articles_without_body_text_are_said_by_the_build(tmp_path):
    """A paywall page (its lines all furniture) or a headline-only file was kept without a word."""
    from alliance_study.report import process_corpus

    files = {"a.txt": tv.GOOD, "b.txt": "Minister Resigns Over Budget Row\n", "c.txt": tv.GOOD, "d.txt": tv.GOOD}
    rows = ["a,a.txt,Daily,2020", "b,b.txt,Daily,2020", "c,c.txt,Weekly,2020", "d,d.txt,Weekly,2020"]
    raw = tv.make(tmp_path, files, rows, header="article_id,file,outlet,published")
    process_corpus(raw, tmp_path / "p", cache_dir=tmp_path / "cache", n_boot=20, n_perm=0, news_sentiment=False,
                   group_by="outlet")
    problems = pd.read_csv(tmp_path / "p" / "problems.csv")
    assert problems[["file", "severity", "article_id"]].values.tolist() == [["raw/b.txt", "warning", "b"]]
    assert "has no body text (its sentences: headline (1))" in problems["reason"][0]


def test_many_groups_are_said(tmp_path, monkeypatch):
    """Every pair of groups is compared: 300 outlets made a 44,850-pair comparison and a 62 MB report unsaid."""
    from alliance_study.report import process, process_corpus

    monkeypatch.setattr(process, "MANY_GROUPS", 3)
    rows = [f"a{k},a{k}.txt,Outlet {k},2020" for k in range(5)]
    raw = tv.make(tmp_path, {f"a{k}.txt": tv.GOOD for k in range(5)}, rows, header="article_id,file,outlet,published")
    with pytest.warns(UserWarning, match=r"group_by='outlet' has 5 groups: 10 pairs of groups are compared"):
        process_corpus(raw, tmp_path / "p", cache_dir=tmp_path / "cache", n_boot=20, n_perm=0,
                       news_sentiment=False, group_by="outlet")


# ------------------------------------------------------------------ score: rows without text are kept and said
@pytest.mark.parametrize("name, data", [
    ("t.csv", 'id,text\n1,\n2,The minister may resign.\n3,"   "\n'),
    ("t.jsonl", '{"id": 1, "text": null}\n{"id": 2, "text": "The minister may resign."}\n{"id": 3}\n'),
])
def test_score_says_how_many_rows_have_no_text(tmp_path, capsys, name, data):
    src = tmp_path / name
    src.write_text(data, encoding="utf-8")
    assert main(["score", str(src), "-o", str(tmp_path / "out.csv"), "--jobs", "1", "--no-progress"]) == 0
    err = capsys.readouterr().err
    assert f"note: 2 of 3 rows of {src} have a blank or missing 'text'" in err
    assert (tmp_path / "out.csv").read_text().count("\n") == 4  # header + every row, in order


def test_score_counts_and_scores_a_missing_string_value_as_empty_text(tmp_path, capsys):
    """A pd.NA text (a "string" column) is counted in the note and scored as empty, not as the text "<NA>"."""
    src = tmp_path / "t.parquet"
    pd.DataFrame({"id": [1, 2], "text": pd.array([None, "The minister may resign."], dtype="string")}
                 ).to_parquet(src)
    assert main(["score", str(src), "-o", str(tmp_path / "out.parquet"), "--jobs", "1", "--no-progress"]) == 0
    assert "note: 1 of 2 rows" in capsys.readouterr().err
    assert pd.read_parquet(tmp_path / "out.parquet")["n_words"].tolist() == [0, 4]
    from alliance_study.metrics import score

    assert score(pd.Series(["", pd.NA], dtype="object"))["n_words"].tolist() == [0, 0]


# ------------------------------------------------------------------ sample / agreement: never write over an input
def test_sample_and_agreement_refuse_to_overwrite_an_input(study, tmp_path, capsys):
    actors = study / "lexicons" / "actors.csv"  # an input of the study that is a CSV
    before = tree_hashes(study)
    text = user_error(capsys, ["sample", "--study", study / "study.yaml", "--n", "5", "-o", actors])
    assert f"{actors}: the command reads this file" in text
    assert tree_hashes(study) == before
    y, (ann, bob) = _sheets(study, tmp_path, capsys)
    a, b = _write(tmp_path / "ann.csv", ann), _write(tmp_path / "bob.csv", bob)
    before = b.read_bytes()
    text = user_error(capsys, ["agreement", a, b, "--study", y, "-o", b])
    assert f"{b}: the command reads this file" in text and b.read_bytes() == before


def test_sample_size_is_checked_and_a_short_sheet_is_said(study, tmp_path, capsys):
    y, _ = _sheets(study, tmp_path, capsys)
    for n in ("0", "-3"):  # -3 was a ValueError from numpy ('internal error')
        text = user_error(capsys, ["sample", "--study", y, "--n", n, "-o", tmp_path / "s.csv"])
        assert f"n must be at least 1 (got {n})" in text
    assert main(["sample", "--study", str(y), "--n", "100000", "-o", str(tmp_path / "all.csv")]) == 0
    assert "100000 sentences asked, but only" in capsys.readouterr().err


def test_params_file_yaml_error_is_one_line_with_its_line(study, tmp_path, capsys):
    pf = tmp_path / "params.yaml"
    pf.write_text("n_boot: 200\nroles: [body\n", encoding="utf-8")
    text = user_error(capsys, ["build", "--study", study / "study.yaml", "--check", "--params", pf])
    assert f"{pf} line 3: not valid YAML (expected ',' or ']'" in text and len(text.strip().splitlines()) == 1


def test_agreement_refuses_a_sheet_without_rows(study, tmp_path, capsys):
    y, (ann, _) = _sheets(study, tmp_path, capsys)
    a = _write(tmp_path / "ann.csv", ann)
    empty = tmp_path / "bob.csv"
    empty.write_text(",".join(ann[0]) + "\n", encoding="utf-8")
    text = user_error(capsys, ["agreement", a, empty, "--study", y, "-o", tmp_path / "a.csv"])
    assert f"{empty}: no rows (only a header)" in text


# ------------------------------------------------------------------ same inputs, same outputs: also for a table corpus
def test_processed_tables_of_a_table_corpus_do_not_depend_on_its_location(tmp_path):
    """articles.table_file and the reason of a duplicate id held the table's absolute path."""
    import json
    import shutil

    from alliance_study.report import process_corpus

    first = tmp_path / "one" / "data"
    first.mkdir(parents=True)
    lines = [json.dumps({"id": f"a{i}", "maintext": f"Head {i}\n\n{tv.GOOD}", "src": "DW"[i % 2]}) for i in range(4)]
    (first / "p1.jsonl").write_text("\n".join(lines[:2]) + "\n", encoding="utf-8")
    (first / "p2.jsonl").write_text("\n".join(lines[2:] + [lines[0]]) + "\n", encoding="utf-8")  # a0 twice
    second = tmp_path / "somewhere else" / "data"
    shutil.copytree(first, second)
    for d, out in ((first, "a"), (second, "b")):
        (d.parent / "study.yaml").write_text("title: T\ncorpus:\n  table: data/*.jsonl\n  columns: {article_id: id, "
                                             "text: maintext, outlet: src}\n", encoding="utf-8")
        process_corpus(d.parent / "study.yaml", tmp_path / out, on_invalid="skip", cache_dir=tmp_path / "cache",
                       n_boot=50, n_perm=0, news_sentiment=False)
    assert tree_hashes(tmp_path / "a") == tree_hashes(tmp_path / "b")
    # the table files are named one way everywhere: table/<name>, as in the manifest's inputs
    assert "table/p1.jsonl" in (tmp_path / "a" / "articles.csv").read_text()
    assert "table/p2.jsonl" in json.loads((tmp_path / "a" / "manifest.json").read_text())["inputs"]
    problems = (tmp_path / "a" / "problems.csv").read_text()
    assert "table/p2.jsonl" in problems and "raw/" not in problems
    # the duplicate is the third row of p2.jsonl, in the row column as in the message
    assert pd.read_csv(tmp_path / "a" / "problems.csv")[["file", "row"]].values.tolist() == [["table/p2.jsonl", 3]]


@pytest.mark.parametrize("option, value", [("--jobs", "0"), ("--jobs", "-2"), ("--partition-size", "0")])
def test_build_refuses_a_count_below_one(study, capsys, option, value):
    """--jobs 0 and --partition-size 0 quietly meant the default, a negative value too; --check says so too."""
    for check in (["--check"], []):
        text = user_error(capsys, ["build", "--study", study / "study.yaml", *check, option, value])
        assert f"{option} must be at least 1 (got {value})" in text
    assert not (study / "reports").exists()


def test_validate_refuses_an_option_of_the_other_layout(tmp_path, capsys):
    """--columns was ignored for a folder and --metadata for a table, without a word."""
    table = tmp_path / "t.csv"
    table.write_text(ROWS, encoding="utf-8")
    text = user_error(capsys, ["validate", table, "--columns", COLS, "--metadata", tmp_path / "m.csv"])
    assert "--metadata belongs to a folder corpus" in text
    raw = tv.make(tmp_path, {"a.txt": tv.GOOD}, ["a,a.txt,Daily,2020"])
    text = user_error(capsys, ["validate", raw, "--columns", COLS])
    assert "--columns maps the columns of a table" in text


def test_cell_timeout_given_as_a_parameter_points_to_the_option(study, capsys):
    text = user_error(capsys, ["build", "--study", study / "study.yaml", "--check", "-p", "cell_timeout", "5"])
    assert "Fix: use --cell-timeout 5" in text


def test_check_and_build_refuse_a_negative_cell_timeout(study, capsys):
    for check in (["--check"], []):
        text = user_error(capsys, ["build", "--study", study / "study.yaml", *check, "--cell-timeout", "-5"])
        assert "cell_timeout must be a positive number of seconds, not -5" in text


@pytest.mark.parametrize("processed", ["reports", "reports/tables"])
def test_build_refuses_processed_tables_inside_the_report_folder(study, capsys, processed):
    """The report folder is replaced whole: tables inside it were deleted by the build that wrote them."""
    for check in (["--check"], []):
        text = user_error(capsys, ["build", "--study", study / "study.yaml", *check,
                                   "--processed-dir", study / processed, "--output-dir", study / "reports"])
        assert "the processed tables would go inside the report folder" in text
    assert not (study / "reports").exists()


def test_sample_refuses_a_negative_seed(study, tmp_path, capsys):
    text = user_error(capsys, ["sample", "--study", study / "study.yaml", "--n", "5", "--seed", "-1",
                               "-o", tmp_path / "sheet.csv"])
    assert "seed must be 0 or more (got -1)" in text


def test_score_keeps_na_like_strings_as_values(tmp_path, capsys):
    """'NA', 'N/A', 'None', 'null' are a country code or a word of a text, not missing values."""
    src = tmp_path / "na.csv"
    src.write_text("id,country,n,text\n1,NA,1,None\n2,Namibia,,NA\n3,N/A,3,null\n4,,4,\n", encoding="utf-8")
    assert main(["score", str(src), "-o", str(tmp_path / "out.csv"), "--jobs", "1", "--no-progress"]) == 0
    out = pd.read_csv(tmp_path / "out.csv", dtype=str, keep_default_na=False)
    assert out["country"].tolist() == ["NA", "Namibia", "N/A", ""]
    assert out["text"].tolist() == ["None", "NA", "null", ""]
    assert out["n_words"].tolist() == ["1", "1", "1", "0"]
    assert "1 of 4 rows" in capsys.readouterr().err


def test_score_refuses_chunksize_zero(tmp_path, capsys):
    src = tmp_path / "in.csv"
    src.write_text("id,text\n1,The minister may resign.\n", encoding="utf-8")
    text = user_error(capsys, ["score", src, "-o", tmp_path / "o.csv", "--chunksize", "0", "--no-progress"])
    assert "chunksize must be at least 1 (got 0)" in text and not (tmp_path / "o.csv").exists()


# ------------------------------------------------------------------ YAML: a key given twice, a path that is a list
@pytest.mark.parametrize("where, extra, expect", [
    ("study.yaml", "\nparameters:\n  n_boot: 300\n", "key 'parameters' is given twice (first on line"),
    ("lexicons/frames.yaml", "\ncategories:\n  x:\n    cues: [y]\n", "key 'categories' is given twice"),
])
def test_a_yaml_key_given_twice_is_refused(study, capsys, where, extra, expect):
    """YAML keeps the last of two equal keys without a word: the first block was dropped silently."""
    f = study / where
    f.write_text(f.read_text(encoding="utf-8") + extra, encoding="utf-8")
    text = user_error(capsys, ["build", "--study", study / "study.yaml", "--check"])
    assert expect in text and where.split("/")[-1] in text


def test_params_file_with_a_key_twice_is_refused(study, tmp_path, capsys):
    pf = tmp_path / "p.yaml"
    pf.write_text("n_boot: 200\nn_boot: 300\n", encoding="utf-8")
    text = user_error(capsys, ["build", "--study", study / "study.yaml", "--check", "--params", pf])
    assert f"{pf} line 2: not valid YAML (key 'n_boot' is given twice (first on line 1))" in text


def test_a_list_of_tables_is_a_study_error_not_a_crash(study, capsys):
    y = study / "study.yaml"
    y.write_text(y.read_text(encoding="utf-8").replace("table: data/corpus.jsonl",
                                                       "table: [data/corpus.jsonl, data/more.jsonl]"), encoding="utf-8")
    text = user_error(capsys, ["build", "--study", y, "--check"])
    assert "key 'corpus.table': expected text" in text and "e.g. table: data/*.jsonl" in text


@pytest.mark.parametrize("kind", ["folder", "file"])
def test_build_refuses_to_replace_a_folder_that_is_not_a_report(study, tmp_path, capsys, kind):
    """The report folder is replaced whole: --output-dir ~/Documents would have deleted the user's files."""
    out = tmp_path / "my documents"
    if kind == "folder":
        out.mkdir()
        (out / "thesis.docx").write_bytes(b"years of work")
    else:
        out.write_bytes(b"years of work")
    before = tree_hashes(tmp_path / "my documents") if kind == "folder" else out.read_bytes()
    text = user_error(capsys, ["build", "--study", study / "study.yaml", "--output-dir", out])
    assert f"{out}: not a report folder of an earlier build" in text
    assert (tree_hashes(out) if kind == "folder" else out.read_bytes()) == before


def test_check_knows_the_corpus_columns_for_group_by(study, tmp_path, capsys):
    """build --check said OK for a group_by the corpus lacks; the build then stopped after reading the corpus."""
    text = user_error(capsys, ["build", "--study", study / "study.yaml", "--check", "-p", "group_by", "outlte"])
    assert "group_by='outlte': no such column in the corpus" in text and "outlet" in text
    assert main(["build", "--study", str(study / "study.yaml"), "--check", "-p", "group_by", "title"]) == 0
    raw = tv.make(tmp_path, {"a.txt": tv.GOOD}, ["a,a.txt,Daily,2020"])  # no title column: the loader adds one
    capsys.readouterr()
    assert main(["build", "--raw-dir", str(raw), "--check", "-p", "group_by", "title"]) == 0
    text = user_error(capsys, ["build", "--raw-dir", raw, "--check", "-p", "group_by", "region"])
    assert "one of: 'file', 'outlet', 'published', 'title'" in text


def test_a_failed_builds_leftovers_do_not_block_the_next_build(study, capsys):
    """A first build that fails leaves only ``failed/`` (the kept notebook) in a new report folder, and
    ``make e2e`` leaves ``e2e/``: the next build may replace them; a file of the user's beside them it may not."""
    reports = study / "reports"
    (reports / "failed").mkdir(parents=True)
    (reports / "failed" / "02_metrics.ipynb").write_text("{}", encoding="utf-8")
    (reports / "e2e").mkdir()
    (reports / "e2e" / "before.png").write_bytes(b"png")
    assert main(["build", "--study", str(study / "study.yaml"), "--check"]) == 0, capsys.readouterr().err
    capsys.readouterr()
    (reports / "notes.txt").write_text("mine", encoding="utf-8")
    text = user_error(capsys, ["build", "--study", study / "study.yaml", "--check"])
    assert f"{reports}: not a report folder of an earlier build" in text


def test_sample_reads_the_tables_the_build_made_with_its_own_parameters(study, tmp_path, capsys):
    """Tables built with -p group_by were recomputed (and overwritten) with the study file's group_by by
    `sample`, `agreement` and notebook 04, so the processed tables no longer matched the report beside them."""
    from alliance_study.report import process_corpus

    proc = tmp_path / "p2"
    process_corpus(study / "study.yaml", proc, group_by="published", n_boot=20, n_perm=0, news_sentiment=False)
    before = tree_hashes(proc)
    out = tmp_path / "coding" / "sheet.csv"
    assert main(["sample", "--study", str(study / "study.yaml"), "--n", "6", "-o", str(out),
                 "--processed-dir", str(proc)]) == 0
    assert "computing them" not in capsys.readouterr().err
    assert tree_hashes(proc) == before  # read, not rewritten with the study file's group_by (outlet)
    groups = set(pd.read_csv(out, dtype=str)["group"])
    assert groups and all(g[:4].isdigit() for g in groups), groups  # dates: the build's group_by


def test_numbered_groups_in_value_order_in_every_processed_table(tmp_path):
    """Desk codes 1, 2, 10: the comparison tables were already in value order, but cue_counts listed
    1, 10, 2 and group_differences compared (1, 10), (1, 2), (10, 2)."""
    from alliance_study.report import process_corpus

    text = "The minister may perhaps resign, officials said. Talks will certainly resume.\n"
    rows = [f"a{k},a{k}.txt,Daily,2020,{code}" for k, code in enumerate(["10", "2", "1", "10", "2", "1"])]
    raw = tv.make(tmp_path, {f"a{k}.txt": text for k in range(6)}, rows,
                  header="article_id,file,outlet,published,desk")
    t = process_corpus(raw, tmp_path / "p", group_by="desk", n_boot=20, n_perm=10, news_sentiment=False,
                       cache_dir=tmp_path / "cache")
    assert list(dict.fromkeys(t.cue_counts["group"])) == ["1", "2", "10"]
    pairs = list(dict.fromkeys(zip(t.group_differences["group_a"], t.group_differences["group_b"])))
    assert pairs == [("1", "2"), ("1", "10"), ("2", "10")]
    assert list(dict.fromkeys(t.group_comparison["group"])) == ["1", "2", "10"]


# ------------------------------------------------------------------ a rule that backtracks without end
def test_a_backtracking_rule_is_refused_when_read(study, capsys):
    """`{cue: plan, exclude_before: '(a+)+$'}` in a user's frames file hung build and score on one sentence."""
    import yaml

    path = study / "lexicons" / "frames.yaml"
    frames = yaml.safe_load(path.read_text(encoding="utf-8"))
    first = next(iter(frames["categories"].values()))
    first["cues"].append({"cue": "plan", "exclude_before": "(a+)+$"})
    path.write_text(yaml.safe_dump(frames, sort_keys=False), encoding="utf-8")
    text = user_error(capsys, ["build", "--study", study / "study.yaml", "--check"])
    assert "'(a+)+$' could take hours" in text and "frames.yaml" in text


def test_a_partition_that_runs_past_its_time_limit_stops_the_build(study, tmp_path, monkeypatch):
    """A rule the load-time check cannot see through (each repeat starts with a letter, but a run of
    letters can be split in every way) backtracks for hours on 40 letters: the partition's time limit
    stops the build with a message instead of letting it hang."""
    import time

    import yaml

    from alliance_study.report import partitions, process_corpus

    monkeypatch.setenv(partitions.TIME_LIMIT_ENV, "15")
    kw = dict(jobs=1, news_sentiment=False, n_boot=20, n_perm=0, cache_dir=tmp_path / "cache")
    corpus = study / "data" / "corpus.jsonl"
    corpus.write_text(corpus.read_text(encoding="utf-8").replace(
        "Most of the companies", "Most ABCDEFGHIJKLMNOPQRSTUVWXYZABCDEFGHIJKLMN, zqxplan and the companies", 1),
        encoding="utf-8")
    process_corpus(study / "study.yaml", tmp_path / "p0", **kw)  # the corpus alone: well within the limit
    path = study / "lexicons" / "frames.yaml"
    frames = yaml.safe_load(path.read_text(encoding="utf-8"))
    next(iter(frames["categories"].values()))["cues"].append({"cue": "zqxplan",
                                                              "exclude_before": r"([A-Z]\w*\s*)+$"})
    path.write_text(yaml.safe_dump(frames, sort_keys=False), encoding="utf-8")
    t = time.monotonic()
    with pytest.raises(partitions.PartitionTimeout, match=r"partition 1 \(articles .* ran longer than 15 s.*Fix:"):
        process_corpus(study / "study.yaml", tmp_path / "p", **kw)
    assert time.monotonic() - t < 120


def test_a_rebuild_says_which_steps_came_from_the_cache(tmp_path):
    """After a change of group_by only, the split and scores are reused, but the build said
    '(0 of 1 partitions from the cache)'; and it announced the news-tone encoder with nothing to score."""
    import io

    from alliance_study.report import process_corpus
    from alliance_study.report.progress import Progress

    raw = tv.make(tmp_path, {"a.txt": tv.GOOD, "b.txt": tv.GOOD}, ["a,a.txt,Daily,2020", "b,b.txt,Weekly,2020"])

    def run(out, **kw):
        said = io.StringIO()
        process_corpus(raw, tmp_path / out, progress=Progress(stream=said, tty=False), cache_dir=tmp_path / "cache",
                       n_boot=20, n_perm=0, **kw)
        return said.getvalue()

    first = run("p1")
    assert "news tone (sentiment_news) is on" in first and "1 partition(s) processed, none from the cache" in first
    regrouped = run("p2", group_by="published")
    assert "from the cache: split 1 of 1, scores 1 of 1, summaries 0 of 1" in regrouped
    assert "news tone" not in regrouped  # nothing to score: no encoder to announce
    again = run("p3", group_by="published")
    assert "all 1 partition(s) from the cache" in again and "news tone" not in again


# ------------------------------------------------------------------ a corpus glob that reaches the outputs
def test_a_corpus_glob_that_would_read_the_builds_own_tables_is_refused(study, capsys):
    """`table: data/*/*.parquet` with the corpus in data/raw/ also matched data/processed/*.parquet: the
    first build worked, every later one failed ('the table article_measures.parquet has no column id')."""
    y = study / "study.yaml"
    (study / "data" / "raw").mkdir()
    (study / "data" / "corpus.jsonl").rename(study / "data" / "raw" / "corpus.jsonl")
    y.write_text(y.read_text(encoding="utf-8").replace("table: data/corpus.jsonl", "table: data/*/*.jsonl"),
                 encoding="utf-8")
    text = user_error(capsys, ["build", "--check", "--study", y])
    assert "data/processed: the corpus glob" in text and "would also match the files the build writes" in text
    # tables of an earlier build already there (made before the check existed): said when the study is read
    (study / "data" / "processed").mkdir()
    (study / "data" / "processed" / "articles.jsonl").write_text('{"id": "x"}\n', encoding="utf-8")
    text = user_error(capsys, ["validate", "--study", y])
    assert "also matches the build's own output" in text and "articles.jsonl" in text


def test_a_resample_count_beyond_any_use_is_refused_by_check(study, capsys):
    """-p n_boot 100000000000 passed --check, then the build died of a MemoryError (8.73 TiB)."""
    for name in ("n_boot", "n_perm"):
        text = user_error(capsys, ["build", "--check", "--study", study / "study.yaml", "-p", name, "100000000000"])
        assert f"parameter '{name}' is 100000000000" in text and "1,000,000" in text


def test_a_scheduler_without_the_dask_engine_is_refused_by_check_and_build(study, capsys):
    """--scheduler without --engine dask passed --check; a build of one partition ignored it silently."""
    for check in (["--check"], []):
        text = user_error(capsys, ["build", "--study", study / "study.yaml", *check, "--scheduler", "tcp://h:8786"])
        assert "--scheduler needs --engine dask" in text


def test_an_unknown_parameter_for_notebooks_that_declare_none_says_so():
    """The list of valid parameters was empty: 'Fix: use one of the valid parameters: .'"""
    from alliance_study.errors import ParameterError
    from alliance_study.report.parameters import Param, resolve_parameters

    declared = {"processed_dir": Param("processed_dir", None, "none", ("01_x.ipynb",))}
    with pytest.raises(ParameterError, match=r"unknown parameter 'seed'\. Fix: remove it; these notebooks declare no"):
        resolve_parameters(declared, parameters=[("seed", "3")])
