"""Intervals where the bootstrap cannot show uncertainty: groups with no variation, one article
with stages=1, and pair differences involving such groups (compare/_intervals.py).

Expected bounds are computed independently with scipy (beta and chi-square quantiles)."""
from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from alliance_study import plots
from alliance_study.compare import compare_groups, compare_pairs
from alliance_study.metrics import score_sentences

TEXTS = {"x": ["Perhaps it rains.", "It rains.", "It might snow.", "Wind."],   # hedged half the time
         "y": ["It rains.", "It snows.", "Wind.", "Sun."],                     # never hedged
         "z": ["The sky is grey.", "It rains.", "Wind.", "Snow."]}             # never hedged


def corpus(groups="xy", per_group=4):
    rows = [{"article_id": f"{g}{i}", "sent_id": j, "role": "body", "text": t}
            for g in groups for i in range(per_group) for j, t in enumerate(TEXTS[g])]
    arts = pd.DataFrame({"article_id": [f"{g}{i}" for g in groups for i in range(per_group)],
                         "grp": [g for g in groups for _ in range(per_group)]})
    return pd.DataFrame(rows), arts


def row(out, group, metric):
    r = out[(out["group"] == group) & (out["metric"] == metric)]
    assert len(r) == 1
    return r.iloc[0]


def test_share_and_rate_with_no_variation_get_the_exact_bound_and_a_note():
    s, a = corpus()
    out = compare_groups(s, a, group_by="grp", n_boot=300, n_perm=100)
    y = row(out, "y", "share_hedged")
    assert y["estimate"] == 0 and y["n_units"] == 16 and not y["small_n"]
    # Clopper-Pearson upper bound for 0 of 16 at 95%: the 0.975 quantile of Beta(1, 16)
    assert y["ci_low"] == 0 and y["ci_high"] == pytest.approx(stats.beta.ppf(0.975, 1, 16), rel=1e-9)
    assert "no variation" in y["note"] and "Clopper-Pearson" in y["note"]
    # a rate with no cue: exact Poisson upper bound chi2(0.975, 2) / 2 cues over the group's words
    words = score_sentences(s[s["article_id"].str.startswith("y")])["n_words"].sum()
    r = row(out, "y", "hedges_per_100w")
    assert r["n_units"] == words
    assert r["ci_high"] == pytest.approx(100 * stats.chi2.ppf(0.975, 2) / 2 / words, rel=1e-9)
    assert "Poisson" in r["note"]
    # a group with variation keeps its bootstrap interval and no note
    x = row(out, "x", "share_hedged")
    assert x["note"] == "" and 0 < x["ci_low"] < 0.5 < x["ci_high"] < 1
    # the level is honoured
    out90 = compare_groups(s, a, group_by="grp", n_boot=300, n_perm=0, level=0.9)
    assert row(out90, "y", "share_hedged")["ci_high"] == pytest.approx(stats.beta.ppf(0.95, 1, 16), rel=1e-9)


def test_every_unit_having_it_gets_the_lower_exact_bound():
    s, a = corpus("x")
    s = s.assign(text=s["text"].where(s["sent_id"] != 1, "It may rain.").where(s["sent_id"] != 3, "Maybe wind."))
    out = compare_groups(s, a, group_by="grp", n_boot=200, n_perm=0)
    r = row(out, "x", "share_hedged")
    assert r["estimate"] == 1 and r["ci_high"] == 1
    assert r["ci_low"] == pytest.approx(stats.beta.ppf(0.025, 16, 1), rel=1e-9)
    assert "every unit has it" in r["note"]


def test_a_mean_with_no_variation_keeps_zero_width_and_says_so():
    s, a = corpus("yz")   # no sentiment words: every sentence scores 0
    out = compare_groups(s, a, group_by="grp", n_boot=200, n_perm=0)
    r = row(out, "y", "mean_sentiment")
    assert r["estimate"] == r["ci_low"] == r["ci_high"] == 0
    assert "zero width" in r["note"]


def test_stages_1_with_one_article_says_what_limits_the_interval():
    s = pd.DataFrame({"article_id": ["x1"] * 3 + ["x2"] * 3 + ["y1"] * 4, "role": "body",
                      "grp": ["x"] * 6 + ["y"] * 4,
                      "text": ["Perhaps it rains.", "It rains.", "Wind."] * 2
                      + ["It may snow.", "It snows.", "Sun.", "Rain."]})
    one = row(compare_groups(s, group_by="grp", stages=1, n_boot=200, n_perm=0), "y", "share_hedged")
    assert one["estimate"] == one["ci_low"] == one["ci_high"] == 0.25
    assert "stages=1" in one["note"] and "within-article" not in one["note"]
    two = row(compare_groups(s, group_by="grp", stages=2, n_boot=200, n_perm=0), "y", "share_hedged")
    assert "within-article" in two["note"] and two["ci_low"] < 0.25 < two["ci_high"]


def test_pair_differences_with_a_group_without_variation_are_not_zero_wide():
    s, a = corpus("xyz")
    groups = compare_groups(s, a, group_by="grp", n_boot=300, n_perm=0)
    pairs = compare_pairs(s, a, group_by="grp", n_boot=300, n_perm=0)
    pr = pairs[pairs["metric"] == "share_hedged"].set_index(["group_a", "group_b"])
    uy = uz = stats.beta.ppf(0.975, 1, 16)   # 0 of 16 sentences hedged in y and in z
    assert row(groups, "y", "share_hedged")["ci_high"] == pytest.approx(uy)
    # both without a hedge: square-and-add of [0, uy] and [0, uz] around 0 - 0
    assert pr.loc[("y", "z"), "difference"] == 0
    assert pr.loc[("y", "z"), "ci_low"] == pytest.approx(-uz) and pr.loc[("y", "z"), "ci_high"] == pytest.approx(uy)
    # x (bootstrap interval) against y (exact bound): at least the square-and-add interval
    x = row(groups, "x", "share_hedged")
    d = x["estimate"]
    assert pr.loc[("x", "y"), "ci_low"] <= d - np.hypot(d - x["ci_low"], uy) + 1e-12
    assert pr.loc[("x", "y"), "ci_high"] >= d + (x["ci_high"] - d) - 1e-12


def test_estimates_figure_draws_an_estimate_without_variation_hollow():
    s, a = corpus()
    out = compare_groups(s, a, group_by="grp", n_boot=200, n_perm=0)
    assert not out["small_n"].any()
    ax = plots.plot_estimates(out, metrics=["share_hedged"]).axes[0]
    faces = [line.get_markerfacecolor() for line in ax.lines if line.get_marker() == "o"]
    assert len(faces) == 2 and faces[1] == "white" and faces[0] != "white"   # x filled, y hollow


# ----------------------------------------------------------------------------- multiple comparisons
def _holm_rejects(p: np.ndarray, alpha: float) -> np.ndarray:
    """Holm's procedure as written: test the sorted p-values in turn against alpha / (m - i), stop at the first
    that fails."""
    ok = np.flatnonzero(np.isfinite(p))
    reject = np.zeros(len(p), dtype=bool)
    for i, j in enumerate(sorted(ok, key=lambda j: p[j])):
        if p[j] > alpha / (len(ok) - i):
            break
        reject[j] = True
    return reject


def test_holm_column_rejects_as_holms_procedure_does():
    s, a = corpus("xyz", per_group=5)
    out = compare_groups(s, a, group_by="grp", n_boot=50, n_perm=400)
    pairs = compare_pairs(s, a, group_by="grp", n_boot=50, n_perm=400)
    for table in (out, pairs):
        p, adj = table["p_value"].to_numpy(), table["p_holm"].to_numpy()
        assert np.isfinite(p).sum() > 10
        assert (np.isnan(p) == np.isnan(adj)).all()
        assert (adj[np.isfinite(p)] >= p[np.isfinite(p)]).all() and np.nanmax(adj) <= 1
        for alpha in (0.01, 0.05, 0.1, 0.2, 0.5):
            assert ((adj <= alpha) == _holm_rejects(p, alpha)).all(), alpha
    m = np.isfinite(out["p_value"]).sum()   # the smallest p is multiplied by the size of the family
    assert out["p_holm"].min() == pytest.approx(min(1.0, m * out["p_value"].min()))


def test_the_comparison_notebook_says_its_p_values_are_uncorrected_and_shows_the_adjusted_ones():
    import json
    from pathlib import Path

    nb = json.loads((Path(__file__).parents[1] / "notebooks" / "03_framing_comparison.ipynb").read_text("utf-8"))
    text = " ".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown").replace("\n# ", " ")
    text = " ".join(text.split())
    assert "not corrected for multiple comparisons" in text and "`p_holm`" in text
    code = " ".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code")
    assert "show_table(gc" in code   # the table shown is compare_groups' own, which holds p_holm


# ----------------------------------------------------------------------------- random streams
SEED_TEXTS = ["Perhaps it rains.", "It rains.", "It might snow.", "Wind.", "Sun today.", "It may clear.",
              "Trade talks may resume.", "The sanctions hold."]


def _articles(group: str, n: int, k: int) -> list[dict]:
    return [{"article_id": f"{group}{i}", "sent_id": j, "role": "body", "grp": group,
             "text": SEED_TEXTS[(i * 7 + j * 3 + k) % len(SEED_TEXTS)]} for i in range(n) for j in range(3 + i % 3)]


def _intervals(out, group):
    return out[out["group"] == group].set_index("metric")[["estimate", "ci_low", "ci_high"]]


@pytest.mark.parametrize("stages", [1, 2])
def test_a_groups_interval_does_not_depend_on_the_other_groups(stages):
    bc = score_sentences(pd.DataFrame(_articles("B", 4, 0) + _articles("C", 3, 1)))
    abc = score_sentences(pd.DataFrame(_articles("A", 3, 2) + _articles("B", 4, 0) + _articles("C", 3, 1)))
    one, two = (compare_groups(s, group_by="grp", n_boot=400, n_perm=0, stages=stages) for s in (bc, abc))
    for g in "BC":
        pd.testing.assert_frame_equal(_intervals(one, g), _intervals(two, g), rtol=1e-12)
    assert (_intervals(one, "B")["ci_high"] > _intervals(one, "B")["ci_low"]).any()   # intervals, not points


def test_a_metrics_interval_does_not_depend_on_the_other_frames():
    s = score_sentences(pd.DataFrame(_articles("B", 5, 0) + _articles("C", 4, 1)))
    frames = [c for c in s if c.startswith("frame_")]
    more = s.assign(frame_zz_extra=(s["n_words"] % 2).astype("int64"))
    one = compare_groups(s, group_by="grp", n_boot=400, n_perm=0)
    two = compare_groups(more, group_by="grp", n_boot=400, n_perm=0)
    assert "frame_share_zz_extra" in set(two["metric"]) and len(frames) < len(set(two["metric"]))
    for g in "BC":
        pd.testing.assert_frame_equal(_intervals(one, g), _intervals(two, g).drop("frame_share_zz_extra"),
                                      rtol=1e-12)
