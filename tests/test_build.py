"""The whole report build, end to end, on the pilot study and on a generated two-outlet corpus.

The pilot build (``--study study.yaml``: the seed corpus with the pilot's lexicons and
group_by) runs once per session (``seed_build``) and is reused by every test here; a
second build of the same inputs checks reproducibility.  The two-outlet corpus is built
from its folder alone (``--raw-dir``: package lexicons and defaults).
"""
from __future__ import annotations

import hashlib
import json
import re
import shutil
import time
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd
import pytest

from _buildkit import FAST, copy_raw, run_build, tree_hashes, two_outlet_corpus
from conftest import PILOT, PILOT_STUDY

pytestmark = pytest.mark.slow


class _Build:
    def __init__(self, base: Path, source: list, args=()):
        """``source``: ``["--study", FILE]`` or ``["--raw-dir", FOLDER]``."""
        self.processed, self.output = base / "processed", base / "reports"
        t = time.monotonic()
        self.proc = run_build(*source, "--processed-dir", self.processed, "--output-dir", self.output, *args)
        self.seconds = time.monotonic() - t
        assert self.proc.returncode == 0, self.proc.stderr
        self.report = self.output / "framing_report.html"
        self.html = self.report.read_text(encoding="utf-8")
        self.manifest = json.loads((self.output / "manifest.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def raw_before(raw_dir):
    return {**tree_hashes(raw_dir), **{f"lexicons/{k}": v for k, v in tree_hashes(PILOT).items()},
            "study.yaml": hashlib.sha256(PILOT_STUDY.read_bytes()).hexdigest()}


@pytest.fixture(scope="session")
def seed_build(tmp_path_factory, raw_before):
    return _Build(tmp_path_factory.mktemp("seed1"), ["--study", PILOT_STUDY])


@pytest.fixture(scope="session")
def seed_build_again(tmp_path_factory, seed_build):
    return _Build(tmp_path_factory.mktemp("seed2"), ["--study", PILOT_STUDY])


@pytest.fixture(scope="session")
def outlet_build(tmp_path_factory):
    base = tmp_path_factory.mktemp("outlets")
    raw = two_outlet_corpus(base / "raw")
    return _Build(base, ["--raw-dir", raw], FAST)   # no study, no -p group_by: the default groups by outlet


PAYLOAD_SCRIPT = "<script>alert(1)</script>"
PAYLOAD_IMG = "<img src=x onerror=alert(1)>"


@pytest.fixture(scope="session")
def hostile_build(tmp_path_factory, raw_dir):
    """Seeds + an article full of markup + a metadata row whose file is empty, built with --on-invalid skip
    as a copy of the pilot study (its target terms put the article's sentences in the concordance)."""
    base = tmp_path_factory.mktemp("hostile")
    raw = copy_raw(raw_dir, base / "raw")
    shutil.copytree(PILOT, base / "lexicons")
    study = PILOT_STUDY.read_text(encoding="utf-8").replace("data/raw", "raw")
    assert "folder: raw" in study and "metadata: raw/articles.csv" in study
    (base / "study.yaml").write_text(study, encoding="utf-8")
    meta = pd.read_csv(raw / "articles.csv", dtype=str, keep_default_na=False)
    text = (f"Alliance news {PAYLOAD_SCRIPT} and {PAYLOAD_IMG}\n\n"
            f"A military alliance may perhaps be possible {PAYLOAD_SCRIPT}, officials say {PAYLOAD_IMG}.\n"
            f"The alliance could be {PAYLOAD_IMG} likely, experts suggest.\n")
    (raw / "000_payload.txt").write_text(text, encoding="utf-8")
    (raw / "999_empty.txt").write_text("   \n", encoding="utf-8")
    extra = []
    for aid, f in (("000_payload", "000_payload.txt"), ("999_empty", "999_empty.txt")):
        row = {c: "" for c in meta.columns}
        row.update({c: v for c, v in meta.iloc[0].items() if c not in ("article_id", "file", "title", "notes")})
        row.update(article_id=aid, file=f)
        if "title" in row:
            row["title"] = "Alliance news"
        extra.append(row)
    pd.concat([meta, pd.DataFrame(extra)], ignore_index=True).to_csv(raw / "articles.csv", index=False)
    return _Build(base, ["--study", base / "study.yaml"], ["--on-invalid", "skip", *FAST])


# ------------------------------------------------------------------ seeds
def test_seed_build_writes_report_tables_and_manifest(seed_build):
    b = seed_build
    assert b.report.stat().st_size > 50_000
    for name in ("articles", "group_comparison", "keyness", "concordance", "problems", "article_measures",
                 "sentence_sample"):
        assert (b.processed / f"{name}.parquet").is_file(), name
        assert (b.processed / f"{name}.csv").is_file(), name
    for name in ("segments", "sentences", "sources"):  # partitioned datasets: a folder of Parquet files
        assert sorted(p.name for p in (b.processed / f"{name}.parquet").iterdir()) == ["part-00000.parquet"], name
    m = b.manifest
    assert {"parameters", "inputs", "versions", "outputs"} <= set(m)
    assert m["parameters"]["group_by"] == "origin_country"
    assert len([k for k in m["inputs"] if k.startswith("raw/") and k.endswith(".txt")]) == 5
    # the study's own lexicons are inputs too
    assert {"study-lexicons/targets/targets.yaml", "study-lexicons/frames/frames.yaml",
            "study-lexicons/actors/actors.csv"} <= set(m["inputs"])
    assert all(re.fullmatch(r"[0-9a-f]{64}", h) for h in m["inputs"].values())
    assert "framing_report.html" in m["outputs"] and m["versions"]["pandas"] == pd.__version__
    pm = json.loads((b.processed / "manifest.json").read_text())
    assert pm["inputs"] == m["inputs"] and "sentences.parquet/part-00000.parquet" in pm["outputs"]
    # executed notebooks kept, figures written
    assert sorted(p.name for p in (b.output / "notebooks").glob("*.ipynb"))[0].startswith("01_")
    assert len(list((b.output / "figures").glob("*.png"))) >= 6
    assert len(list((b.output / "figures").glob("*.svg"))) >= 6


def test_seed_sentences_carry_every_metric(seed_build):
    s = pd.read_parquet(seed_build.processed / "sentences.parquet")
    for col in ("article_id", "sent_id", "role", "text", "sentiment_compound", "hedged", "hedge_count",
                "booster_count", "weasel_count", "target"):
        assert col in s.columns
    assert any(c.startswith("frame_") for c in s.columns)
    gc = pd.read_parquet(seed_build.processed / "group_comparison.parquet")
    assert {"group", "metric", "estimate", "ci_low", "ci_high", "n_articles", "p_value", "small_n"} <= set(gc.columns)
    assert (gc["ci_low"] <= gc["estimate"] + 1e-12).all()


def test_report_has_figures_toc_appendix_and_no_errors(seed_build):
    h = seed_build.html
    imgs = re.findall(r'<img[^>]+src="data:image/png;base64,', h)
    assert len(imgs) >= 6
    assert "Traceback" not in h
    assert 'class="jp-RenderedText" data-mime-type="application/vnd.jupyter.stderr"' not in h
    assert "output_error" not in h and "jp-OutputArea-output jp-mod-error" not in h
    for section in ("Contents", "The corpus", "Data quality", "Framing compared", "Appendix: reproducibility",
                    "Package versions", "Input files"):
        assert section in h, section
    assert 'href="#Data-quality"' in h  # the table of contents links to the sections
    # code hidden
    assert "load_tables(" not in h and "import alliance_study" not in h


def test_report_names_groups_and_caveat(seed_build):
    arts = pd.read_parquet(seed_build.processed / "articles.parquet")
    for g in arts["origin_country"].dropna().unique():
        assert str(g) in seed_build.html
    assert "Caveat" in seed_build.html  # computed from small_n: the pilot has few articles per group
    # the report's title is the study's (study.yaml: title)
    import html as _html
    import yaml
    title = yaml.safe_load(PILOT_STUDY.read_text(encoding="utf-8"))["title"]
    assert title in _html.unescape(seed_build.html)


def test_progress_lines_and_warm_build_time(seed_build):
    lines = [ln for ln in seed_build.proc.stderr.splitlines() if re.search(r"\[\d/4\] \d\d_\w+\.ipynb [\d.]+ s", ln)]
    assert len(lines) == 4, seed_build.proc.stderr
    assert seed_build.seconds < 180  # the target is 60 s warm; generous for loaded CI machines


def test_second_build_is_byte_identical(seed_build, seed_build_again):
    a, b = seed_build, seed_build_again
    ta, tb = tree_hashes(a.processed), tree_hashes(b.processed)
    assert ta == tb
    fa, fb = tree_hashes(a.output / "figures"), tree_hashes(b.output / "figures")
    assert fa and fa == fb
    # reports differ at most in the build-time line (and the commit line, should someone commit in between)
    la, lb = a.html.splitlines(), b.html.splitlines()
    diff = [(x, y) for x, y in zip(la, lb) if x != y]
    assert len(la) == len(lb) and all("Built:" in x or "Git commit:" in x for x, _ in diff), diff[:3]
    assert a.manifest["outputs"]["figures/03_estimates.png"] == b.manifest["outputs"]["figures/03_estimates.png"]


def test_executed_notebooks_point_at_the_installed_tables_and_figures(seed_build, outlet_build):
    """The report's executed notebooks had the build's temporary folder (gone) as processed_dir: opened in
    JupyterLab and re-run, they recreated it beside the study and recomputed everything."""
    import nbformat

    for b in (seed_build, outlet_build):
        for nb_path in sorted((b.output / "notebooks").glob("*.ipynb")):
            nb = nbformat.read(nb_path, as_version=4)
            params = nb.metadata["papermill"]["parameters"]
            injected = "".join(c.source for c in nb.cells if "injected-parameters" in c.metadata.get("tags", []))
            assert ".build-" not in injected and ".build-" not in json.dumps(params), nb_path
            if "processed_dir" in params:
                assert Path(params["processed_dir"]) == b.processed.resolve()
                assert f'processed_dir = "{b.processed.resolve()}"' in injected
            if params.get("figures_dir"):
                assert Path(params["figures_dir"]) == b.output.resolve() / "figures"
            assert Path(params["study"]).is_file()  # a folder build's study file is kept in the report


def test_unchanged_rebuild_does_nothing_and_says_so(seed_build, seed_build_again):
    # the second build into new folders read its partition from the cache
    assert "sentences; all 1 partition(s) from the cache" in seed_build_again.proc.stderr, seed_build_again.proc.stderr
    b = seed_build_again
    before = tree_hashes(b.output), tree_hashes(b.processed), b.report.stat().st_mtime_ns
    again = run_build("--study", PILOT_STUDY, "--processed-dir", b.processed, "--output-dir", b.output)
    assert again.returncode == 0, again.stderr
    assert "nothing changed since the last build" in again.stderr and "notebook" not in again.stderr
    assert (tree_hashes(b.output), tree_hashes(b.processed), b.report.stat().st_mtime_ns) == before
    # a changed parameter is a change: that build runs (and is checked by its own output)
    changed = run_build("--study", PILOT_STUDY, "--processed-dir", b.processed, "--output-dir", b.output, *FAST)
    assert changed.returncode == 0 and "nothing changed" not in changed.stderr, changed.stderr


def test_raw_data_untouched(seed_build, raw_dir, raw_before):
    now = {**tree_hashes(raw_dir), **{f"lexicons/{k}": v for k, v in tree_hashes(PILOT).items()},
           "study.yaml": hashlib.sha256(PILOT_STUDY.read_bytes()).hexdigest()}
    assert now == raw_before


# ------------------------------------------------------------ generality
def test_two_outlet_corpus_builds_and_names_outlets(outlet_build):
    b = outlet_build
    assert "Northern Ledger" in b.html and "Harbour Times" in b.html
    gc = pd.read_parquet(b.processed / "group_comparison.parquet")
    assert set(gc["group"]) == {"Northern Ledger", "Harbour Times"}
    assert (gc.groupby("group")["n_articles"].max() == 100).all()
    assert b.manifest["parameters"]["group_by"] == "outlet"
    assert len(re.findall(r'<img[^>]+src="data:image/png;base64,', b.html)) >= 6


# -------------------------------------------------- skip + hostile markup
def test_skip_lists_bad_file_in_report(hostile_build):
    h = hostile_build.html
    assert "999_empty.txt" in h
    # articles are counted, not files
    assert "1 article(s) could not be read and were left out (from raw/999_empty.txt)" in h
    assert "999_empty" not in set(pd.read_parquet(hostile_build.processed / "articles.parquet")["article_id"])
    probs = pd.read_parquet(hostile_build.processed / "problems.parquet")
    assert probs["file"].str.contains("999_empty.txt").any()


class _Scan(HTMLParser):
    def __init__(self):
        super().__init__()
        self.stack, self.scripts, self.handlers = [], [], []

    def handle_starttag(self, tag, attrs):
        self.stack.append(tag)
        for k, v in attrs:
            if k.lower().startswith("on"):
                self.handlers.append((tag, k, v))
        if tag == "img" and dict(attrs).get("src") == "x":
            self.handlers.append((tag, "src", "x"))

    def handle_endtag(self, tag):
        if self.stack and self.stack[-1] == tag:
            self.stack.pop()

    def handle_data(self, data):
        if self.stack and self.stack[-1] == "script":
            self.scripts.append(data)


def test_markup_in_articles_is_escaped(hostile_build):
    h = hostile_build.html
    # the article text is in the report, escaped
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in h
    assert "onerror=alert(1)" in h.replace("&#x3D;", "=").replace("&#61;", "=")
    scan = _Scan()
    scan.feed(h)
    assert not [s for s in scan.scripts if "alert(1)" in s]
    assert not scan.handlers, scan.handlers[:3]
    assert PAYLOAD_SCRIPT not in h and PAYLOAD_IMG not in h


def test_report_html_does_not_depend_on_the_exporter_warm_up(seed_build, tmp_path):
    """The build warms nbconvert up while its last notebook runs; a cold export of its notebooks is the same HTML."""
    import subprocess
    import sys

    built_at = re.search(r"Built: ([^<\n]*)", seed_build.html).group(1)
    notebooks = sorted((seed_build.output / "notebooks").glob("*.ipynb"))
    script = ("import json, sys\nfrom pathlib import Path\n"
              "from alliance_study.report.assemble import assemble_report\n"
              "m = json.loads(Path(sys.argv[1]).read_text(encoding='utf-8'))\n"
              "assemble_report([Path(p) for p in sys.argv[4:]], m, sys.argv[2], sys.argv[3])")
    subprocess.run([sys.executable, "-c", script, seed_build.output / "manifest.json", built_at,
                    tmp_path / "cold.html", *notebooks], check=True, timeout=300)
    assert (tmp_path / "cold.html").read_text(encoding="utf-8") == seed_build.html
