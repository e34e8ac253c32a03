"""Warnings found while the corpus is grouped reach the command line, and a study file's problems come all at once.

Faults a tester found with a study of another story (E6):

* the build's stderr summary counted the problems before the warnings about groups and
  articles without body text were added ("0 warning(s)" while problems.csv held 2);
* ``validate --study`` and ``build --check`` said nothing of those warnings;
* ``validate --study`` passed an unknown parameter or a ``group_by`` the corpus lacks,
  and one kind of study-file problem hid the next.

The corpus is the seed corpus (data/raw) with one article that is a headline only and
one ``group_by`` value written in lower case with a trailing space.
"""
from __future__ import annotations

import csv
import json
import io
import shutil

import pandas as pd
import pytest
import yaml

from alliance_study.cli import main
from alliance_study.report.check import run_check
from alliance_study.report.process import process_corpus
from alliance_study.report.progress import Progress
from alliance_study.report.study import StudyError, load_study

FAST = dict(n_boot=20, n_perm=20, news_sentiment=False)
GROUP = "origin_bloc"


def _corpus(raw_dir, dest):
    """The seed corpus plus a headline-only article; one article's group value in lower case with a space."""
    raw = dest / "raw"
    shutil.copytree(raw_dir, raw)
    with open(raw / "articles.csv", newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    fields = list(rows[0])
    headline = (raw / rows[-1]["file"]).read_text(encoding="utf-8").splitlines()[1]  # a real headline line
    (raw / "headline_only.txt").write_text(headline + "\n", encoding="utf-8")
    extra = dict(rows[-1], article_id="headline-only", file="headline_only.txt")
    russia = [r for r in rows if r[GROUP] == "Russia"]
    russia[-1][GROUP] = "russia "
    with open(raw / "articles.csv", "w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, fieldnames=fields)
        w.writeheader()
        w.writerows(rows + [extra])
    return raw, russia[-1]["article_id"]


def _study(folder, parameters: dict, extra: str = "") -> str:
    data = {"title": "Warnings", "corpus": {"folder": "raw"}, "parameters": parameters}
    path = folder / "study.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False) + extra, encoding="utf-8")
    return str(path)


def validate(capsys, study: str) -> tuple[int, str, str]:
    """``alliance-study validate --study STUDY``: exit code, stdout, stderr."""
    code = main(["validate", "--study", study])
    cap = capsys.readouterr()
    return code, cap.out, cap.err


@pytest.fixture(scope="module")
def corpus(raw_dir, tmp_path_factory):
    return _corpus(raw_dir, tmp_path_factory.mktemp("warn"))


@pytest.fixture(scope="module")
def built(corpus, tmp_path_factory):
    """The build's stderr and its tables (written: problems.csv is what the summary must agree with)."""
    raw, _ = corpus
    out = tmp_path_factory.mktemp("processed")
    said = io.StringIO()
    tables = process_corpus(raw, out, group_by=GROUP, progress=Progress(stream=said, tty=False),
                            cache_dir=tmp_path_factory.mktemp("cache"), jobs=1, **FAST)
    return said.getvalue(), pd.read_csv(out / "problems.csv"), tables, raw


def test_build_summary_counts_and_names_the_group_and_no_body_warnings(built):
    said, problems, _, _ = built
    warnings_ = problems[problems["severity"] == "warning"]
    kinds = set(warnings_["reason"].str.extract(r"(has no body text|differ only in case)")[0].dropna())
    assert kinds == {"has no body text", "differ only in case"}, problems
    # the summary is said once all are known: its count is that of problems.csv, and each is named
    assert f"and {len(warnings_)} warning(s)" in said, said
    assert "'headline-only' has no body text" in said, said
    assert f"warning: {built[3] / 'headline_only.txt'}: article 'headline-only'" in said, said  # a path to open
    assert "'Russia', 'russia'" in said, said
    assert said.index("process partitions") < said.index("warning(s)"), said


def test_validate_study_reports_the_builds_warnings(corpus, built, tmp_path, capsys):
    raw, lowered = corpus
    shutil.copytree(raw, tmp_path / "raw")
    code, out, _ = validate(capsys, _study(tmp_path, {"group_by": GROUP}))
    assert code == 0, out
    lines = [line for line in out.splitlines() if line.startswith("warning: ")]
    _, problems, _, _ = built
    assert len(lines) == int((problems["severity"] == "warning").sum()), (out, problems)
    no_body = [line for line in lines if "has no body text" in line]
    assert len(no_body) == 1 and "headline_only.txt (articles.csv line 7)" in no_body[0], out
    assert "its lines: headline (1)" in no_body[0], out
    assert any("'Russia', 'russia'" in line for line in lines), out
    assert f"{len(lines)} warnings" in out.splitlines()[-1], out


def test_validate_study_reports_a_blank_group(corpus, tmp_path, capsys):
    raw, _ = corpus
    shutil.copytree(raw, tmp_path / "raw")
    meta = tmp_path / "raw" / "articles.csv"
    rows = list(csv.DictReader(meta.open(newline="", encoding="utf-8")))
    rows[0]["outlet_type"] = ""
    with meta.open("w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)
    code, out, _ = validate(capsys, _study(tmp_path, {"group_by": "outlet_type"}))
    assert code == 0, out
    blank = [line for line in out.splitlines() if "has no 'outlet_type' value" in line]
    assert len(blank) == 1 and rows[0]["article_id"] in blank[0] and "line 2" in blank[0], out


def test_build_check_names_the_warnings(corpus, tmp_path, capsys):
    raw, _ = corpus
    shutil.copytree(raw, tmp_path / "raw")
    assert run_check(_study(tmp_path, {"group_by": GROUP})) == 0
    out = capsys.readouterr().out
    assert any("has no body text" in line for line in out.splitlines() if line.startswith("warning: ")), out
    assert any("'Russia', 'russia'" in line for line in out.splitlines() if line.startswith("warning: ")), out


def test_validate_study_refuses_an_unknown_parameter_and_a_missing_group_column(corpus, tmp_path, capsys):
    raw, _ = corpus
    shutil.copytree(raw, tmp_path / "raw")
    for params, said in (({"groupby": GROUP}, "key 'parameters.groupby': unknown parameter"),
                         ({"group_by": "origin_blok"}, "key 'parameters.group_by': group_by='origin_blok': no such "
                                                       "column")):
        code, _, err = validate(capsys, _study(tmp_path, params))
        assert code == 2 and said in err and "Fix:" in err, err
    assert "did you mean 'origin_bloc'?" in err


def test_every_study_file_problem_at_once(corpus, tmp_path, capsys):
    raw, _ = corpus
    shutil.copytree(raw, tmp_path / "raw")
    # unknown keys no longer hide a parameter error
    path = _study(tmp_path, {"groupby": GROUP}, extra="metdata: raw/articles.csv\nframe: frames.yaml\n")
    code, _, err = validate(capsys, path)
    said = [line.split(": ")[1] for line in err.splitlines()[1:]]
    assert code == 2 and said == ["key 'frame'", "key 'metdata'", "key 'parameters.groupby'"], err
    # a bad value no longer hides a bad column
    path = _study(tmp_path, {"n_boot": "lots", "group_by": "origin_blok"})
    with pytest.raises(StudyError) as e:
        run_check(path)
    keys = sorted(p.split(":")[0] for p in e.value.problems)
    assert keys == ["key 'parameters.group_by'", "key 'parameters.n_boot'"], e.value.problems
    # the key is said once
    n_boot = next(p for p in e.value.problems if p.startswith("key 'parameters.n_boot'"))
    assert n_boot.count("n_boot") == 1 and "got 'lots'" in n_boot, n_boot


def test_study_values_are_checked_without_the_notebooks(corpus, tmp_path):
    """Every command reads the study file: a value of no use is refused there with the file's other problems."""
    raw, _ = corpus
    shutil.copytree(raw, tmp_path / "raw")
    with pytest.raises(StudyError) as e:
        load_study(_study(tmp_path, {"n_boot": 0, "roles": ["hedline"], "my_notebook_option": 3}, extra="titel: x\n"))
    keys = sorted(p.split(":")[0] for p in e.value.problems)
    assert keys == ["key 'parameters.n_boot'", "key 'parameters.roles'", "key 'titel'"], e.value.problems


@pytest.mark.parametrize("yaml_text, said", [
    ("corpus: {folder: raw/articles.csv}\n", "key 'corpus.folder': {root}/raw/articles.csv is a file, not a folder"),
    ("corpus: {folder: raw, metadata: raw}\n", "key 'corpus.metadata': {root}/raw is a folder, not a file"),
    ("corpus: {table: raw}\n", "key 'corpus.table': {root}/raw is a folder, not a table file"),
    ("corpus: {folder: raw}\nlexicons: {frames: raw}\n", "key 'lexicons.frames': {root}/raw is a folder, not a file"),
])
def test_a_file_for_a_folder_and_a_folder_for_a_file_are_said_so(corpus, tmp_path, yaml_text, said):
    raw, _ = corpus
    shutil.copytree(raw, tmp_path / "raw")
    (tmp_path / "study.yaml").write_text(yaml_text, encoding="utf-8")
    with pytest.raises(StudyError) as e:
        load_study(tmp_path / "study.yaml")
    assert any(p.startswith(said.format(root=tmp_path.resolve())) for p in e.value.problems), e.value.problems
    assert not any("not found" in p for p in e.value.problems), e.value.problems


# ------------------------------------------------------------------ the report's appendix: what the build used
@pytest.fixture(scope="module")
def own_lexicon_build(tmp_path_factory):
    """A study of `alliance-study init` with its own frames and targets (edited) and the package's other data
    files, built with one validation path set in the study file and one with -p, both relative and missing."""
    import os

    from alliance_study.report.init import init_study

    folder = tmp_path_factory.mktemp("own") / "study"
    init_study(folder)
    data = yaml.safe_load((folder / "study.yaml").read_text(encoding="utf-8"))
    data["lexicons"] = {"frames": "lexicons/frames.yaml", "targets": "lexicons/targets.yaml"}
    data["parameters"]["vader_dir"] = "refdata/vader"
    (folder / "study.yaml").write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    with open(folder / "lexicons" / "frames.yaml", "a", encoding="utf-8") as fh:
        fh.write("\n# edited for this study\n")
    here = os.getcwd()
    os.chdir(folder.parent)  # -p paths are relative to where the command runs
    try:
        code = main(["build", "--study", str(folder / "study.yaml"), "-p", "n_boot", "200", "-p", "n_perm", "200",
                     "-p", "news_sentiment", "false", "-p", "polnear_dir", "nowhere/polnear"])
    finally:
        os.chdir(here)
    assert code == 0
    report = (folder / "reports" / "framing_report.html").read_text(encoding="utf-8")
    manifest = json.loads((folder / "reports" / "manifest.json").read_text(encoding="utf-8"))
    return folder, report, manifest


def _appendix(report: str) -> str:
    return report[report.index("Appendix: reproducibility"):]


def test_appendix_lists_the_studys_own_lexicons_not_the_defaults_they_replace(own_lexicon_build):
    from alliance_study import resources

    folder, report, manifest = own_lexicon_build
    appendix = _appendix(report)
    data_part = appendix[appendix.index("Data files (lexicons, rules, word lists)"):]
    own = resources.content_hash(folder / "lexicons" / "frames.yaml")
    package = resources.content_hash(resources.packaged("frames.yaml"))
    assert own != package
    assert own in data_part and package not in data_part
    assert manifest["inputs"]["study-lexicons/frames/frames.yaml"] == own  # consistent with manifest.json
    assert "study file (lexicons: frames)" in data_part and "study file (lexicons: targets)" in data_part
    # a lexicon the study does not replace is the package's, with the hash manifest.json records
    assert manifest["data_files"]["lexicons/hedges.yaml"] in data_part
    assert resources.content_hash(resources.packaged("targets.yaml")) not in data_part or \
        resources.content_hash(resources.packaged("targets.yaml")) == resources.content_hash(
            folder / "lexicons" / "targets.yaml")


def test_validation_paths_are_absolute_and_listed(own_lexicon_build):
    folder, report, manifest = own_lexicon_build
    vader = str(folder / "refdata" / "vader")              # the study file's path: relative to the study file
    polnear = str(folder.parent / "nowhere" / "polnear")  # -p: relative to where the command ran
    assert manifest["parameters"]["vader_dir"] == vader and manifest["parameters"]["polnear_dir"] == polnear
    body = report[:report.index("Appendix: reproducibility")]
    assert vader in body and polnear in body, "the skipped validation names the absolute path it looked in"
    assert "../../shared/validation" not in report
    data_part = _appendix(report)[_appendix(report).index("Validation data"):]
    assert vader in data_part and polnear in data_part and "not found" in data_part
    assert "-p NAME PATH" in data_part


def test_a_notebooks_default_path_is_where_the_notebook_would_look(own_lexicon_build, tmp_path):
    """The notebooks' own defaults are relative to the folder they run in (the package's notebooks folder,
    which may be a link): the appendix names the folder the notebook looked in."""
    from alliance_study.resources import notebooks_dir

    _, report, manifest = own_lexicon_build
    import nbformat

    from alliance_study.report.parameters import declared_literals, parameters_cell

    nb = next(p for p in sorted(notebooks_dir().glob("*.ipynb")) if "wikiweasel_csv" in p.read_text("utf-8"))
    default = declared_literals(parameters_cell(nbformat.read(nb, as_version=4), nb), nb)["wikiweasel_csv"]
    import os

    here = os.getcwd()
    os.chdir(notebooks_dir())  # where the kernel runs
    try:
        looked = os.path.realpath(default)
        exists = os.path.exists(default)
    finally:
        os.chdir(here)
    assert manifest["parameters"]["wikiweasel_csv"] == looked
    row = f"{looked}</td>\n<td>{'found' if exists else 'not found'}</td>"
    assert row in report, report[report.index("Validation data"):][:2000]


def test_validate_study_refuses_a_broken_roles_file_as_build_check_does(raw_dir, tmp_path, capsys):
    """A table study (a folder study's warnings already read roles.yaml): its broken kicker: section is refused."""
    from alliance_study.resources import packaged

    with open(raw_dir / "articles.csv", newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))[:2]
    pd.DataFrame({"article_id": [r["article_id"] for r in rows], "outlet": [r["outlet"] for r in rows],
                  "text": [(raw_dir / r["file"]).read_text(encoding="utf-8") for r in rows]}
                 ).to_csv(tmp_path / "corpus.csv", index=False)
    roles = tmp_path / "roles.yaml"
    roles.write_text(packaged("roles.yaml").read_text(encoding="utf-8").replace("\nkicker:\n", "\nkicker:\n  label: [news]\n", 1),
                     encoding="utf-8")
    study = tmp_path / "study.yaml"
    study.write_text("title: T\ncorpus: {table: corpus.csv}\nlexicons: {roles: roles.yaml}\n", encoding="utf-8")
    code, _, err = validate(capsys, str(study))
    assert code == 2 and "unknown key 'label'" in err and "roles.yaml" in err and "Fix:" in err, err
