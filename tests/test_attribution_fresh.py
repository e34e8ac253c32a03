"""Attribution faults found on fresh news text (not the seeds, not PolNeAR): each test failed before its fix.

The example corpus the ``init`` command copies into a new study is the fresh text
that is read here with the real loader; the other sentences are written as news
agencies write them.
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

import alliance_study
from alliance_study.corpus import load_corpus
from alliance_study.metrics.attribution import attributions

EXAMPLE = Path(alliance_study.__file__).parent / "templates" / "example_corpus.jsonl"


def _sents(texts) -> pd.DataFrame:
    return pd.DataFrame({"article_id": "t", "sent_id": range(len(texts)), "text": texts})


def _rows(texts, cols=("speaker", "speaker_type", "verb")) -> list[list]:
    return attributions(_sents(texts))[list(cols)].values.tolist()


@pytest.fixture(scope="module")
def example():
    """Attributions of the ``init`` example corpus, loaded as a study loads it."""
    c = load_corpus(table=EXAMPLE, columns={"article_id": "id", "text": "maintext", "outlet": "source_domain",
                                            "published": "date_publish"})
    return attributions(c)


# --------------------------------------------------------------------------- 1. NAME of the ORGANISATION
def test_a_name_after_the_verb_keeps_its_affiliation_with_the_article(example):
    """'"...," said Mark Dunn of the Federation of Employers.': the person speaks, not the organisation.

    The name run after the verb stopped at "the", so the organisation alone was read
    as the speaker; without "the", with a comma or before the verb it was right.
    """
    ex3 = example[example["article_id"] == "ex-003"]
    direct = ex3[ex3["direct"]]
    assert "Federation of Employers" not in set(ex3["speaker"])
    assert set(direct["speaker"]) == {"Mark Dunn"}
    got = [_rows([t], ("speaker", "speaker_text"))[0] for t in (
        '"It is over," said Jane Doe of the Acme Group.',
        '"It is over," said Jane Doe of Acme Group.',
        '"It is over," said Jane Doe, of the Acme Group.',
        "Jane Doe of the Acme Group said it was over.",
        "The board will meet on Friday, according to Jane Doe of the Acme Group.")]
    assert [g[0] for g in got] == ["Jane Doe"] * 5
    assert got[0][1] == "Jane Doe"          # the mention is the name, not the organisation
    # the organisation's words type a new name the text says nothing else of ("Group": other)
    assert _rows(['"It is over," said Jane Doe of the Acme Group.'])[0][1] == \
        _rows(['"It is over," said Jane Doe of Acme Group.'])[0][1]

