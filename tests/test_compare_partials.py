"""compare.partials: pieces of the seed corpus in partitions merge exactly into the one-partition result.

The seed corpus is scored as processing scores it (the pilot study file's corpus,
lexicons and attribution settings).  Every comparison is exact (``check_exact``):
merging is counting and bottom-k sampling, never an approximation.
"""
from __future__ import annotations

import importlib
import os
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

from alliance_study.compare import (Partials, compare_groups, compare_pairs, concordance, finalize, keyness,
                                    merge_partials, partials, sourcing_by_type, sourcing_profile)
from alliance_study.compare.concordance import hits as concordance_hits
from alliance_study.errors import InputError

P = importlib.import_module("alliance_study.compare.partials")  # the module (its name is also the function's)
PIECES = ["article_measures", "term_counts", "concordance", "sourcing_counts", "sentence_sample"]
K_LINES, K_SENT = 3, 20   # small enough that the samples really drop lines and sentences on the seeds
BOOT = dict(n_boot=200, n_perm=200, level=0.95)


@pytest.fixture(scope="module")
def seeds(pilot_scored):
    """The seed corpus scored as report/process.py scores it."""
    p = pilot_scored
    params = dict(group_by=p.group_by, roles=("headline", "body"), terms=p.scorer.targets, seed=20201023)
    return dict(s=p.sentences, a=p.articles, q=p.sources, params=params)


def piece(seeds, ids, **over) -> Partials:
    s, a, q = seeds["s"], seeds["a"], seeds["q"]
    kw = {**seeds["params"], "concordance_lines": K_LINES, "sample_size": K_SENT, **over}
    return partials(s[s["article_id"].isin(ids)], a[a["article_id"].isin(ids)], q[q["article_id"].isin(ids)], **kw)


def assert_same(x: Partials, y: Partials) -> None:
    for name in PIECES:
        pd.testing.assert_frame_equal(getattr(x, name), getattr(y, name), check_exact=True, obj=name)


@pytest.fixture(scope="module")
def ids(seeds):
    out = sorted(seeds["a"]["article_id"])
    assert len(out) == 5
    return out


@pytest.fixture(scope="module")
def whole(seeds, ids):
    return piece(seeds, ids)


def test_samples_really_sample_on_the_seeds(seeds, whole):
    """The test sizes are below the seeds' numbers of hits and sentences, so bottom-k is exercised."""
    n_hits = concordance(seeds["s"], seeds["a"], terms=seeds["params"]["terms"], group_by=seeds["params"]["group_by"],
                         roles=seeds["params"]["roles"])
    assert len(whole.concordance) < len(n_hits)
    assert (whole.sentence_sample["group_sentences"] > K_SENT).any()


@pytest.mark.parametrize("split", ["halves", "one_each", "interleaved"])
def test_merge_of_any_split_is_the_single_partition(seeds, ids, whole, split, monkeypatch):
    parts = {"halves": [ids[:2], ids[2:]], "one_each": [[i] for i in ids],
             "interleaved": [ids[::2], ids[1::2]]}[split]
    pieces = [piece(seeds, p) for p in parts]
    assert_same(merge_partials(iter(pieces)), whole)           # streamed from a generator
    assert_same(merge_partials(reversed(pieces)), whole)        # order-free
    # associative: merging merged pieces gives the same
    assert_same(merge_partials([merge_partials(pieces[1:]), pieces[0]]), whole)
    # the fold reduces after every piece when the buffer limit is tiny (as with many large pieces)
    monkeypatch.setattr(P, "_MERGE_ROWS", 0)
    assert_same(merge_partials(pieces), whole)


@pytest.mark.parametrize("over", [dict(reader_group=True), dict(roles=None)], ids=["readers", "all_roles"])
def test_merge_exact_with_reader_group_and_all_roles(seeds, ids, over):
    """Reader comments as their own group (an article in two groups) and every role: still exact."""
    whole = piece(seeds, ids, **over)
    assert_same(merge_partials(piece(seeds, [i], **over) for i in ids), whole)
    groups = set(whole.term_counts["group"])
    assert ("readers" in groups) == bool(over.get("reader_group"))
    s, a, q, p = seeds["s"], seeds["a"], seeds["q"], seeds["params"]
    roles = over.get("roles", p["roles"])
    kw = dict(group_by=p["group_by"], roles=roles, reader_group=bool(over.get("reader_group")))
    out = finalize(whole, a, group_by=p["group_by"], roles=roles, seed=p["seed"], n_boot=20, n_perm=0)
    pd.testing.assert_frame_equal(out["keyness"], keyness(s, a, **kw), check_exact=True)
    pd.testing.assert_frame_equal(out["sourcing_by_type"], sourcing_by_type(q, a, **kw), check_exact=True)
    assert set(out["group_comparison"]["group"]) == groups


def test_finalize_same_tables_for_two_splits(seeds, ids, whole):
    p = seeds["params"]
    kw = dict(group_by=p["group_by"], roles=p["roles"], seed=p["seed"], **BOOT)
    one = finalize(merge_partials([whole]), seeds["a"], **kw)
    assert sorted(one) == sorted(["group_comparison", "group_differences", "keyness", "concordance", "sourcing",
                                  "sourcing_by_type", "article_measures", "sentence_sample"])
    for parts in ([ids[:3], ids[3:]], [[i] for i in reversed(ids)]):
        other = finalize(merge_partials(piece(seeds, x) for x in parts), seeds["a"], **kw)
        for name in one:
            pd.testing.assert_frame_equal(one[name], other[name], check_exact=True, obj=name)


def test_finalize_equals_the_whole_table_functions(seeds, whole):
    s, a, q, p = seeds["s"], seeds["a"], seeds["q"], seeds["params"]
    g, r = p["group_by"], p["roles"]
    out = finalize(whole, a, group_by=g, roles=r, seed=p["seed"], **BOOT)
    pd.testing.assert_frame_equal(out["keyness"], keyness(s, a, group_by=g, roles=r), check_exact=True)
    pd.testing.assert_frame_equal(out["sourcing"], sourcing_profile(q, a, group_by=g, roles=r), check_exact=True)
    pd.testing.assert_frame_equal(out["sourcing_by_type"], sourcing_by_type(q, a, group_by=g, roles=r),
                                  check_exact=True)
    est = dict(group_by=g, roles=r, attributions=q, seed=p["seed"], **BOOT)
    pd.testing.assert_frame_equal(out["group_comparison"], compare_groups(s, a, **est), check_exact=True)
    pd.testing.assert_frame_equal(out["group_differences"], compare_pairs(s, a, **est), check_exact=True)
    all_hits = concordance(s, a, terms=p["terms"], group_by=g, roles=r)
    assert list(out["concordance"].columns) == list(all_hits.columns)
    assert out["concordance"].dtypes.to_dict() == all_hits.dtypes.to_dict()


def test_concordance_sample_is_the_bottom_k_of_all_hits(seeds, whole):
    s, a, p = seeds["s"], seeds["a"], seeds["params"]
    hits = concordance_hits(s, a, terms=p["terms"], group_by=p["group_by"], roles=p["roles"])
    assert len(hits) > len(whole.concordance) > 0
    cols = list(hits.columns)
    sample = whole.concordance
    # a subset of the hits, line for line
    merged = sample[cols].merge(hits, on=cols, how="left", indicator=True)
    assert (merged["_merge"] == "both").all()
    # per group and term: min(k, hits) lines, those with the smallest keys of (seed, article, sentence, start)
    hits = hits.assign(key=P.sample_keys(p["seed"], hits["article_id"], hits["sent_id"], hits["start"]))
    for (grp, term), h in hits.groupby(["group", "term"]):
        got = sample[(sample["group"] == grp) & (sample["term"] == term)]
        assert len(got) == min(K_LINES, len(h))
        assert sorted(got["sample_key"]) == sorted(h["key"].nsmallest(K_LINES))
    # another seed draws other lines
    other = piece(seeds, sorted(a["article_id"]), seed=p["seed"] + 1).concordance
    assert not other[cols].equals(sample[cols])


def test_sentence_sample_sizes_and_rows(seeds, whole):
    s, a, p = seeds["s"], seeds["a"], seeds["params"]
    g = p["group_by"]
    own = s[s["role"].isin(p["roles"])].merge(a[["article_id", g]], on="article_id")
    sizes = own.groupby(g).size()
    sample = whole.sentence_sample
    got = sample.groupby("group").size()
    assert got.to_dict() == {k: min(K_SENT, n) for k, n in sizes.items()}
    assert sample.groupby("group")["group_sentences"].agg(["min", "max"]).eq(sizes, axis=0).all().all()
    # each sampled row is the sentence's own row: text, role, metric columns
    back = sample.merge(s, on=["article_id", "sent_id"], suffixes=("", "_orig"))
    assert len(back) == len(sample)
    for c in ["text", "role", "sentiment_compound", "hedged", "hedge_count", "target"]:
        assert back[c].equals(back[f"{c}_orig"]), c
    # a larger sample holds every sentence of the smaller one (bottom-k samples nest)
    big = piece(seeds, sorted(a["article_id"]), sample_size=2 * K_SENT).sentence_sample
    assert set(zip(sample["article_id"], sample["sent_id"])) <= set(zip(big["article_id"], big["sent_id"]))


def test_sample_keys_do_not_depend_on_the_process():
    """Python's hash() is salted per process; the sampling keys must not be."""
    code = ("from alliance_study.compare.partials import sample_keys; "
            "print(list(sample_keys(3, ['cn-commentary', 'ru-report'], [4, 7], [120, 9])))")
    runs = {subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                           env=dict(os.environ, PYTHONHASHSEED=str(h))).stdout for h in (1, 2)}
    assert len(runs) == 1
    here = P.sample_keys(3, ["cn-commentary", "ru-report"], [4, 7], [120, 9])
    assert runs.pop().strip() == str(list(here))
    assert here.dtype == np.uint64 and here[0] != here[1]


def test_merge_refuses_mismatched_pieces_and_shared_articles(seeds, ids):
    a, b = piece(seeds, ids[:2]), piece(seeds, ids[2:])
    with pytest.raises(InputError, match="different seed.*Fix:"):
        merge_partials([a, piece(seeds, ids[2:], seed=1)])
    with pytest.raises(InputError, match="different sample_size.*Fix:"):
        merge_partials([a, piece(seeds, ids[2:], sample_size=5)])
    with pytest.raises(InputError, match=r"more than one partition.*Fix:"):
        merge_partials([a, b, piece(seeds, ids[1:3])])
    with pytest.raises(InputError, match="cannot be regrouped.*Fix:"):
        finalize(a, seeds["a"], group_by="outlet", roles=seeds["params"]["roles"])
    with pytest.raises(InputError, match="cannot be regrouped.*Fix:"):
        finalize(a, seeds["a"], roles=["body"])
    with pytest.raises(InputError, match="no pieces"):
        merge_partials([])
    with pytest.raises(InputError, match="takes Partials"):
        merge_partials([a, {"term_counts": None}])
