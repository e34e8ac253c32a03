"""What the report says about the corpus's size and translations comes from the data.

The notebooks used to say "with a handful of articles per group" and "Articles read in
translation ..." whatever the corpus: false for a study with 60 articles per group and no
translation.  The sentences are now computed (report/display.py ``corpus_caveats``) and the
notebooks' fixed text makes no claim about the corpus's size.
"""
from __future__ import annotations

import csv
import re

import nbformat
import pandas as pd
import pytest

from _buildkit import ROOT
from alliance_study.corpus import load_corpus
from alliance_study.report.display import FEW_ARTICLES, corpus_caveats

NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
#: a fixed claim about the number of articles of any study (a condition, "with few articles ...", is no claim)
SIZE_CLAIM = re.compile(r"handful\s+of\s+articles|(?:with|has|have)\s+(?:only\s+)?a\s+few\s+articles", re.I)


@pytest.fixture(scope="module")
def seed(raw_dir) -> pd.DataFrame:
    return load_corpus(raw_dir).articles


def test_the_seed_corpus_is_small_and_partly_translated(seed, raw_dir):
    with open(raw_dir / "articles.csv", encoding="utf-8", newline="") as fh:
        yes = sum(r["translated"].strip().lower() == "yes" for r in csv.DictReader(fh))
    assert yes >= 1
    text = corpus_caveats(seed, "outlet")
    sizes = seed.groupby("outlet").article_id.nunique()
    assert sizes.max() == sizes.min() == 1
    assert text.startswith(f"The {len(sizes)} groups by <code>outlet</code> have 1 article each;")
    assert f"with fewer than {FEW_ARTICLES} articles in a group the intervals are wide" in text
    assert f"{yes} of {len(seed)} articles {'was' if yes == 1 else 'were'} read in translation" in text


def test_a_large_corpus_without_translations_gets_no_small_corpus_warning(seed):
    """60 articles per group (the tester's study): no warning about few articles; translations only
    mentioned when the corpus records them."""
    big = pd.concat([seed.assign(article_id=seed.article_id + f"-{i}") for i in range(60)], ignore_index=True)
    text = corpus_caveats(big.assign(translated="no"), "outlet")
    assert "fewer than" not in text and "wide" not in text
    assert f"The {seed.outlet.nunique()} groups by <code>outlet</code> have 60 articles each;" in text
    assert "No article is marked as read in translation" in text
    assert "translation" not in corpus_caveats(big.drop(columns="translated"), "outlet")


def test_group_names_are_escaped(seed):
    two = ["<b>Daily</b>"] * 2 + ["{x}"] * (len(seed) - 2)
    text = corpus_caveats(seed.assign(paper=two), "paper")
    assert text.startswith(f"Groups by <code>paper</code> have 2 (&lt;b&gt;Daily&lt;/b&gt;) to {len(seed) - 2} ({{x}})")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_the_notebooks_fixed_text_claims_no_corpus_size(path):
    cells = nbformat.read(path, as_version=4).cells
    text = "\n".join(c.source for c in cells if c.cell_type == "markdown")
    strings = "\n".join(c.source for c in cells if c.cell_type == "code")
    found = SIZE_CLAIM.findall(text)
    assert not found, f"{path.name}: its text says the corpus is small whatever the data: {found}"
    # the corpus part states sizes and translations from the data
    if path.name.startswith("01_"):
        assert "corpus_caveats(" in strings
        assert not re.search(r"Articles read in translation", text)
