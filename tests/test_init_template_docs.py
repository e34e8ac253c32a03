"""What `alliance-study init` writes says what the package does: which table columns are required
and where the notebook parameters are listed (a tester found "build --help lists them", which it
does not, and "article_id and text are required" while a table without outlet is refused)."""
from __future__ import annotations

import re
import subprocess
import sys

import pytest
import yaml

from alliance_study.corpus import CorpusError, load_corpus
from alliance_study.corpus.table import REQUIRED
from alliance_study.defaults import DEFAULTS
from alliance_study.report.init import init_study

CLI = [sys.executable, "-m", "alliance_study.cli"]


@pytest.fixture()
def study(tmp_path):
    init_study(tmp_path / "s")
    return tmp_path / "s"


def _parameters_comment(text: str) -> str:
    """The comment lines just above ``parameters:`` in the study file."""
    lines = text.split("\n")
    i = lines.index("parameters:")
    block = []
    for line in reversed(lines[:i]):
        if not line.startswith("#"):
            break
        block.insert(0, line.lstrip("# "))
    return " ".join(block)


def test_the_parameters_comment_names_every_analysis_parameter_and_each_is_accepted(study):
    comment = _parameters_comment((study / "study.yaml").read_text(encoding="utf-8"))
    assert "--help lists" not in comment
    named = [p for p in DEFAULTS if re.search(rf"\b{p}\b", comment)]
    assert named == list(DEFAULTS), f"not named: {sorted(set(DEFAULTS) - set(named))}"
    # every name in the comment is a parameter the study file accepts (a wrong one is refused, exit 2)
    data = yaml.safe_load((study / "study.yaml").read_text(encoding="utf-8"))
    data["parameters"].update(level=0.9, n_perm=100, roles=["headline", "body"], news_sentiment=False,
                              concordance_terms=["week"], cell_timeout=100)
    (study / "study.yaml").write_text(yaml.safe_dump(data), encoding="utf-8")
    ok = subprocess.run(CLI + ["build", "--study", str(study / "study.yaml"), "--check"], capture_output=True, text=True)
    assert ok.returncode == 0, ok.stderr
    data["parameters"]["no_such_parameter"] = 1
    (study / "study.yaml").write_text(yaml.safe_dump(data), encoding="utf-8")
    bad = subprocess.run(CLI + ["build", "--study", str(study / "study.yaml"), "--check"], capture_output=True, text=True)
    assert bad.returncode == 2 and "no_such_parameter" in bad.stderr
    assert all(p in bad.stderr for p in DEFAULTS)  # the refusal lists the valid names, as the comment says


def test_the_required_columns_are_the_loaders(study):
    yml = (study / "study.yaml").read_text(encoding="utf-8")
    readme = (study / "README.md").read_text(encoding="utf-8")
    said = [re.sub(r"\s+", " ", m) for m in re.findall(r"[^.]*\bare\s+required", yml.replace("#", "") + readme)]
    assert said, "the template no longer says which columns are required"
    for sentence in said:
        assert all(name in sentence for name in REQUIRED), sentence
    # and the loader does refuse a table without each of them
    columns = yaml.safe_load(yml)["corpus"]["columns"]
    for name in REQUIRED:
        with pytest.raises(CorpusError, match=rf"missing required or mapped column\(s\): {name}\b"):
            load_corpus(table=str(study / "data" / "corpus.jsonl"), columns={k: v for k, v in columns.items() if k != name})
