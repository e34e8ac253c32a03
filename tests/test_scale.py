"""alliance_study.scale: streaming, format pairs, chunking, process pool and Dask give the same rows."""
from __future__ import annotations

import json
import math

import numpy as np
import pandas as pd
import pyarrow.parquet as pq
import pytest

from alliance_study.errors import InputError
from alliance_study.io import read_table
from alliance_study.metrics import Scorer, default_scorer
from alliance_study.scale import score_file, score_texts
from alliance_study.validity.gold import read_vader_dir

FORMATS = ["csv", "tsv", "jsonl", "parquet"]


def ground_truth(vader_dir) -> pd.DataFrame:
    """Every sentence of the 4 ground-truth files (alliance_study.validity.gold's reader)."""
    gt = read_vader_dir(vader_dir).drop(columns="source").rename(columns={"id": "sid", "file": "source"})
    return gt[["source", "sid", "rating", "text"]]


@pytest.fixture(scope="module")
def gt(vader_dir) -> pd.DataFrame:
    df = ground_truth(vader_dir)
    assert len(df) == 23_703
    return df


@pytest.fixture(scope="module")
def small(gt) -> pd.DataFrame:
    """80 real sentences plus awkward rows: missing texts, a numeric-looking text, mixed columns."""
    df = gt.iloc[::300].head(80).reset_index(drop=True)[["sid", "rating", "text"]].copy()
    df.insert(0, "row", np.arange(len(df), dtype="int64"))
    extra = pd.DataFrame({"row": [80, 81, 82, 83], "sid": ["x1", "x2", "x3", "x4"], "rating": [0.5, -1.0, 2.0, 0.0],
                          "text": [None, "", "12345", "Some experts say an alliance may be possible."]})
    return pd.concat([df, extra], ignore_index=True)


def write(df: pd.DataFrame, path) -> None:
    fmt = path.suffix[1:]
    if fmt == "csv":
        df.to_csv(path, index=False)
    elif fmt == "tsv":
        df.to_csv(path, index=False, sep="\t")
    elif fmt == "jsonl":  # json.dumps writes floats exactly (DataFrame.to_json rounds to 10 digits)
        recs = df.astype(object).where(df.notna(), None).to_dict("records")
        path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in recs), encoding="utf-8")
    else:
        df.to_parquet(path, index=False)


def expected(df: pd.DataFrame) -> pd.DataFrame:
    return pd.concat([df.reset_index(drop=True), default_scorer().score(df["text"].reset_index(drop=True))], axis=1)


def _norm(df: pd.DataFrame) -> pd.DataFrame:
    """Undo what text formats cannot keep: empty strings read back as missing, ints of JSON texts."""
    out = df.copy()
    for c in ("hedge_cues", "booster_cues"):
        out[c] = out[c].astype(object).where(out[c].notna(), "")
    out["text"] = [None if (isinstance(t, float) and math.isnan(t)) or t is None or t == "" else str(t)
                   for t in out["text"]]
    out["sid"] = out["sid"].astype(str)
    return out.reset_index(drop=True)


@pytest.mark.parametrize("fin", FORMATS)
@pytest.mark.parametrize("fout", FORMATS)
def test_every_format_pair_round_trips(small, tmp_path, fin, fout):
    src = tmp_path / f"in.{fin}"
    dst = tmp_path / f"out.{fout}"
    write(small, src)
    info = score_file(src, dst, jobs=1, progress=False, chunksize=25)
    assert info["rows"] == len(small)
    got = read_table(dst, **({"dtype": False, "precise_float": True} if fout == "jsonl" else {}))
    exp = expected(small)
    assert list(got.columns) == list(exp.columns)  # every input column kept, metrics appended, in order
    g, e = _norm(got), _norm(exp)
    assert g["row"].tolist() == list(range(len(small)))  # row order kept across chunks
    for c in exp.columns:
        if c == "text":
            assert g[c].tolist() == e[c].tolist()
        elif pd.api.types.is_float_dtype(e[c]):
            np.testing.assert_allclose(g[c].astype(float), e[c].astype(float), rtol=0, atol=1e-12, err_msg=c)
        else:
            assert g[c].astype(str).tolist() == e[c].astype(str).tolist(), c
    # nothing but the output itself is left in the folder (the temp file was moved into place)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([src.name, dst.name])


def test_parquet_to_parquet_keeps_types_and_is_exact(small, tmp_path):
    src, dst = tmp_path / "in.parquet", tmp_path / "out.parquet"
    write(small, src)
    score_file(src, dst, jobs=1, progress=False, chunksize=10)
    got = pd.read_parquet(dst)
    exp = expected(pd.read_parquet(src))
    pd.testing.assert_frame_equal(got, exp.astype({"hedge_cues": got["hedge_cues"].dtype,
                                                   "booster_cues": got["booster_cues"].dtype}),
                                  check_exact=True)
    assert got["row"].dtype == "int64" and got["hedged"].dtype == bool


def test_missing_texts_score_as_empty_and_stay_missing(small, tmp_path, pilot_scorer):
    src, dst = tmp_path / "in.csv", tmp_path / "out.parquet"
    write(small, src)
    score_file(src, dst, jobs=1, progress=False)
    got = pd.read_parquet(dst).set_index("row")
    empty = default_scorer().score_one("")
    for r in (80, 81):  # None and ""
        assert pd.isna(got.loc[r, "text"])
        for c, v in empty.items():
            assert got.loc[r, c] == v, c
    assert got.loc[82, "text"] == "12345" and got.loc[82, "n_words"] == 1  # read as text, not a number
    assert got.loc[83, "hedged"] and got.loc[83, "weasel_count"] >= 1
    assert not got["target"].any()  # the package targets list is empty
    # with the pilot's targets the same row is about the target
    score_file(src, tmp_path / "pilot.parquet", jobs=1, progress=False, scorer=pilot_scorer)
    pilot = pd.read_parquet(tmp_path / "pilot.parquet").set_index("row")
    assert pilot.loc[83, "hedged"] and pilot.loc[83, "target"] and pilot.loc[83, "weasel_count"] >= 1
    assert not pilot.loc[[80, 81, 82], "target"].any()


def test_chunked_equals_unchunked_with_dtype_drift(tmp_path):
    """Columns whose type changes after the first chunk (int -> missing, number -> string) keep one schema."""
    n = 500
    df = pd.DataFrame({
        "id": np.arange(n),
        "count": pd.array([i if i < 300 else None for i in range(n)], dtype="Int64"),  # int, then missing
        "mixed": [str(i) if i < 450 else f"code-{i}" for i in range(n)],  # numbers, then strings
        "late": [None] * 400 + ["x"] * 100,                           # empty for 4 chunks, then text
        "text": [("It may be 42." if i % 3 else str(i)) if i % 17 else None for i in range(n)],
    })
    src = tmp_path / "in.csv"
    df.to_csv(src, index=False)
    outs = {}
    for size in (7, 100, 10_000):
        outs[size] = tmp_path / f"out_{size}.parquet"
        score_file(src, outs[size], jobs=1, progress=False, chunksize=size)
        (tmp_path / f"out_{size}.csv").unlink(missing_ok=True)
        score_file(src, tmp_path / f"out_{size}.csv", jobs=1, progress=False, chunksize=size)
    ref = pd.read_parquet(outs[10_000])
    assert pq.ParquetFile(outs[7]).metadata.num_row_groups > 1  # streamed, written chunk by chunk
    for size in (7, 100):
        pd.testing.assert_frame_equal(pd.read_parquet(outs[size]), ref, check_exact=True)
        assert (tmp_path / f"out_{size}.csv").read_bytes() == (tmp_path / "out_10000.csv").read_bytes()
    # an integer column missing after row 300 stays integer (nullable Int64), not float
    assert ref["count"].dtype == "Int64" and ref["count"].tolist()[298:302] == [298, 299, pd.NA, pd.NA]
    assert ref["mixed"].tolist()[:2] == ["0", "1"]
    assert ref["late"].isna().sum() == 400


def drift_table(n: int) -> pd.DataFrame:
    """Columns whose values look different in later chunks: the output must keep every value and type.

    ``count`` is an integer filled in the first half and empty after; ``code`` ids keep
    leading zeros (``"007"``); ``tag`` looks numeric in the first rows only, ``ref`` in
    all but the last ones; ``flag`` is boolean, ``maybe`` boolean with missing values;
    ``share`` a float.
    """
    half = n // 2
    return pd.DataFrame({
        "row": np.arange(n, dtype="int64"),
        "count": pd.array([(i * 7) % 1000 if i < half else None for i in range(n)], dtype="Int64"),
        "share": [(i % 1000) / 8 for i in range(n)],
        "code": [f"{i % 1000:03d}" for i in range(n)],
        "tag": [str(i) if i < 200 else f"t{i}" for i in range(n)],
        "ref": [str(i) if i < n - 3 else f"r{i}" for i in range(n)],
        "flag": [i % 3 == 0 for i in range(n)],
        "maybe": pd.array([i % 2 == 0 if i < half else None for i in range(n)], dtype="boolean"),
        "text": ["It may rain." if i % 2 else "Allies met again." for i in range(n)],
    })


def _as_text(path, sep=",") -> pd.DataFrame:
    return pd.read_csv(path, sep=sep, dtype=str, keep_default_na=False)


@pytest.mark.parametrize("chunksize", [300, 250])  # 300: chunks 3-4 all empty; 250: chunk 3 half empty
@pytest.mark.parametrize("fout", FORMATS)
@pytest.mark.parametrize("fin", ["csv", "jsonl"])
def test_integer_column_empty_in_a_later_chunk_keeps_every_value_and_type(tmp_path, fin, fout, chunksize):
    """Issue 12: 'Integer column has NA values' when an int column is empty only in a later chunk,
    and integers coming back as floats (5 -> 5.0)."""
    df = drift_table(1_200)
    src, dst = tmp_path / f"in.{fin}", tmp_path / f"out.{fout}"
    write(df, src)
    info = score_file(src, dst, jobs=1, progress=False, chunksize=chunksize)
    assert info["rows"] == 1_200
    cols = list(df.columns)
    if fout == "parquet":
        got = pd.read_parquet(dst)
        assert got["count"].dtype == "Int64" and got["row"].dtype == "int64"
        assert got["flag"].dtype == bool and got["maybe"].dtype == "boolean"
        exp = df.astype({c: got[c].dtype for c in ("code", "tag", "ref", "text")})
        pd.testing.assert_frame_equal(got[cols], exp, check_exact=True)
    elif fout == "jsonl":
        recs = [json.loads(line) for line in dst.read_text(encoding="utf-8").splitlines()]
        assert [r["count"] for r in recs] == [None if pd.isna(v) else int(v) for v in df["count"]]
        assert all(type(r["count"]) is int for r in recs[:600]) and all(type(r["row"]) is int for r in recs)
        for c in ("code", "tag", "ref", "flag", "share"):
            assert [r[c] for r in recs] == df[c].tolist(), c
        assert recs[7]["code"] == "007" and recs[0]["tag"] == "0" and type(recs[0]["flag"]) is bool
        assert [r["maybe"] for r in recs] == [None if pd.isna(v) else bool(v) for v in df["maybe"]]
    else:  # csv, tsv: every input cell written back as the very text pandas writes for the table
        sep = "\t" if fout == "tsv" else ","
        df.to_csv(tmp_path / "expected.csv", sep=sep, index=False)
        got = _as_text(dst, sep)
        pd.testing.assert_frame_equal(got[cols], _as_text(tmp_path / "expected.csv", sep))
        assert got["count"].tolist()[599:601] == [str(599 * 7 % 1000), ""] and got["code"][7] == "007"


def test_integer_column_empty_after_60000_rows_via_the_command(tmp_path, capsys):
    """The issue's acceptance case at the default chunk size: 120,000 rows, ints in the first 60,000."""
    from alliance_study.cli import main
    n = 120_000
    # texts are mostly missing (scored as empty text, quickly): the point here is reading and writing
    df = pd.DataFrame({"id": np.arange(n), "count": pd.array([i % 50 if i < n // 2 else None for i in range(n)],
                                                                dtype="Int64"),
                       "text": [None if i % 100 else "It may rain." for i in range(n)]})
    src = tmp_path / "in.csv"
    df.to_csv(src, index=False)
    for out in ("out.parquet", "out.csv"):
        assert main(["score", str(src), "-o", str(tmp_path / out), "--jobs", "1", "--no-progress"]) == 0, \
            capsys.readouterr().err
    got = pd.read_parquet(tmp_path / "out.parquet")
    assert got["count"].dtype == "Int64"
    pd.testing.assert_series_equal(got["count"], df["count"])
    assert got["hedged"].sum() == n // 100 and got["id"].tolist() == list(range(n))
    csv_count = _as_text(tmp_path / "out.csv")["count"]
    assert csv_count.tolist() == [str(i % 50) for i in range(n // 2)] + [""] * (n // 2)


def test_jobs_2_equals_jobs_1(gt, tmp_path):
    df = gt.iloc[:3000].copy()
    src = tmp_path / "in.csv"
    df.to_csv(src, index=False)
    one, two = tmp_path / "one.parquet", tmp_path / "two.parquet"
    score_file(src, one, jobs=1, progress=False, chunksize=700)
    info = score_file(src, two, jobs=2, progress=False, chunksize=700)
    assert info["jobs"] == 2 and info["rows"] == 3000
    a, b = pd.read_parquet(one), pd.read_parquet(two)
    pd.testing.assert_frame_equal(a, b, check_exact=True)
    assert a["sid"].tolist() == df["sid"].tolist()


def test_score_texts_equals_score_one(gt):
    """What workers send back (score_texts: arrays) equals the scorer's own rows, odd inputs included.

    FastVader against the reference VADER is tested in test_fastvader_properties.py."""
    s = Scorer()
    texts = gt["text"].tolist()[::4] + [None, float("nan"), "", 7, "It may not be ruled out, some experts say."]
    cols = score_texts(texts, s)
    assert list(cols) == s.columns
    fast = pd.DataFrame({c: list(v) for c, v in cols.items()})
    ref = pd.DataFrame.from_records([s.score_one(t) for t in texts], columns=s.columns)
    pd.testing.assert_frame_equal(fast, ref, check_exact=True, check_dtype=False)
    assert fast["hedged"].any() and fast["booster_count"].gt(0).any()


def test_custom_scorer_is_used_by_workers(tmp_path):
    lex = tmp_path / "hedges.yaml"
    lex.write_text("name: hedges\ncategories:\n  odd:\n    cues: [banana]\n", encoding="utf-8")
    scorer = Scorer(hedges=str(lex))
    src = tmp_path / "in.csv"
    pd.DataFrame({"text": ["A banana may fall.", "Nothing here."] * 50}).to_csv(src, index=False)
    dst = tmp_path / "out.parquet"
    score_file(src, dst, jobs=2, progress=False, chunksize=10, scorer=scorer)
    got = pd.read_parquet(dst)
    assert got["hedge_cues"].tolist() == ["banana", ""] * 50  # "may" is not in this lexicon


def test_header_only_input_gives_empty_output_with_columns(tmp_path):
    src = tmp_path / "in.csv"
    src.write_text("id,text\n", encoding="utf-8")
    for fmt in FORMATS[:2] + ["parquet"]:
        dst = tmp_path / f"out.{fmt}"
        info = score_file(src, dst, jobs=1, progress=False)
        assert info["rows"] == 0
        got = read_table(dst)
        assert len(got) == 0 and list(got.columns) == ["id", "text"] + default_scorer().columns


def test_errors_are_input_errors_and_leave_old_output(tmp_path):
    src = tmp_path / "in.csv"
    pd.DataFrame({"id": [1], "body": ["It may."]}).to_csv(src, index=False)
    dst = tmp_path / "out.parquet"
    dst.write_bytes(b"previous")
    with pytest.raises(InputError, match=r"no text column 'text'.*'id', 'body'"):
        score_file(src, dst, progress=False)
    with pytest.raises(InputError, match="file not found"):
        score_file(tmp_path / "nope.csv", dst, progress=False)
    with pytest.raises(InputError, match="unknown table format"):
        score_file(src, tmp_path / "out.xlsx", text_column="body", progress=False)
    bad = tmp_path / "bad.parquet"
    bad.write_bytes(b"this is not parquet at all")
    with pytest.raises(InputError, match="cannot be read as parquet"):
        score_file(bad, dst, progress=False)
    clash = tmp_path / "clash.csv"
    pd.DataFrame({"text": ["x"], "hedged": [True]}).to_csv(clash, index=False)
    with pytest.raises(InputError, match="'hedged'.*metric"):
        score_file(clash, dst, progress=False)
    assert dst.read_bytes() == b"previous"
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # no temp files left


def test_dask_engine_equals_local(gt, tmp_path):
    distributed = pytest.importorskip("distributed")
    df = gt.iloc[::40].reset_index(drop=True)  # 593 rows
    src = tmp_path / "in.csv"
    df.to_csv(src, index=False)
    local, viadask, viadask2 = tmp_path / "local.parquet", tmp_path / "dask.parquet", tmp_path / "dask2.jsonl"
    score_file(src, local, jobs=1, progress=False, chunksize=150)
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=False,
                                  dashboard_address=None) as cluster:
        info = score_file(src, viadask, engine="dask", scheduler=cluster.scheduler_address,
                          progress=False, chunksize=150)
    assert info["engine"] == "dask" and info["rows"] == len(df)
    pd.testing.assert_frame_equal(pd.read_parquet(viadask), pd.read_parquet(local), check_exact=True)
    # without --scheduler: a LocalCluster of worker processes is started and closed again
    score_file(src, viadask2, engine="dask", jobs=1, progress=False, chunksize=300)
    got = pd.read_json(viadask2, lines=True, dtype=False, precise_float=True)
    ref = pd.read_parquet(local)
    assert got["sentiment_compound"].tolist() == ref["sentiment_compound"].tolist()
    assert got["hedge_count"].tolist() == ref["hedge_count"].tolist()


def test_fast_vader_equals_reference(gt):
    """FastVader gives vaderSentiment's own dict, bit for bit, on every sentence and on its rule examples."""
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    from alliance_study.metrics.fastvader import FastVader
    ref = SentimentIntensityAnalyzer()
    fast = FastVader(ref)
    rules = ["VADER is VERY SMART, uber handsome, and FRIGGIN FUNNY!!!", "At least it isn't a horrible book.",
             "The book was only kind of good.", "Today only kinda sux! But I'll get by, lol",
             "Make sure you :) or :D today!", "Catch utf-8 emoji such as 💘 and 💋 and 😁", "Not bad at all",
             "It was never so good.", "without doubt a good deal", "no no good", "it was the bomb",
             "yeah right, great", "sort of good", "No, not bad but not good either", "  ", "", "?!?!",
             "The least bad option.", "Very least good", "not the bus stop of death", "GREAT news, bad ally"]
    for t in gt["text"].tolist() + rules:
        assert fast.polarity_scores(t) == ref.polarity_scores(t), t
