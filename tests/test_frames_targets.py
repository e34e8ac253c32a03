"""Frame dictionaries and target terms: they fire on the seed sentences they describe, not on unrelated text.

The package ships generic defaults (Semetko & Valkenburg's five news frames, an empty
targets list); the pilot study's six alliance frames and its target terms live in the
repository's lexicons/ and are tested here through ``pilot_scorer``.
"""
from __future__ import annotations

import pytest

from alliance_study.corpus import load_corpus
from alliance_study.metrics import Scorer
from alliance_study.metrics.lexicon import load_lexicon
from conftest import GENERIC_FRAME_NAMES, PILOT_FRAME_NAMES, PILOT_FRAMES, PILOT_TARGETS

FRAMES = PILOT_FRAME_NAMES
UNRELATED = [
    "The recipe calls for two cups of flour, a pinch of salt and three eggs.",
    "Our team won the football match on Sunday after a late goal.",
    "The museum opens at nine and closes at five on weekdays.",
]


@pytest.fixture(scope="module")
def scorer(pilot_scorer):
    """The pilot's frames and targets (lexicons/frames.yaml, lexicons/targets.yaml)."""
    return pilot_scorer


@pytest.fixture(scope="module")
def generic():
    """The package defaults."""
    return Scorer()


@pytest.fixture(scope="module")
def body(raw_dir):
    s = load_corpus(raw_dir).sentences
    return s[s["role"].isin(["body", "headline"])]


def _one(body, needle: str) -> str:
    hits = body[body["text"].str.contains(needle, regex=False)]["text"].tolist()
    assert hits, f"no seed sentence contains {needle!r}"
    return hits[0]


def test_pilot_frame_columns_are_the_six_categories(scorer):
    assert scorer.frame_names == FRAMES
    assert [c for c in scorer.columns if c.startswith("frame_")] == [f"frame_{f}" for f in FRAMES]


def test_default_frame_columns_are_the_five_generic_frames(generic):
    assert generic.frame_names == GENERIC_FRAME_NAMES
    assert [c for c in generic.columns if c.startswith("frame_")] == [f"frame_{f}" for f in GENERIC_FRAME_NAMES]
    assert load_lexicon("targets").categories == []


@pytest.mark.parametrize("frames, targets", [("frames", "targets"), (PILOT_FRAMES, PILOT_TARGETS)],
                         ids=["package", "pilot"])
def test_files_document_status_and_sources(frames, targets):
    frames = load_lexicon(frames)
    assert "not a validated instrument" in frames.meta["description"].lower()
    assert any("Entman" in s for s in frames.meta["sources"])
    assert any("Boydstun" in s for s in frames.meta["sources"])
    assert any("Semetko" in s for s in frames.meta["sources"])
    assert load_lexicon(targets).meta["sources"]


@pytest.mark.parametrize("needle, frame", [
    ("at odds with the West", "conflict"),
    ("redistribute the heavy responsibility", "responsibility"),
    ("Trump’s personal character", "human_interest"),
])
def test_generic_frames_fire_on_seed_sentences(generic, body, needle, frame):
    row = generic.score_one(_one(body, needle))
    assert row[f"frame_{frame}"] >= 1


def test_generic_defaults_never_mark_a_target(generic, body):
    # no target terms in the package: a study names its own (study file: lexicons: targets)
    assert not generic.score(body["text"].tolist())["target"].any()
    assert generic.score_one("The alliance may be possible.")["target"] is False


@pytest.mark.parametrize("needle, frame", [
    ("Cold War era", "historical_analogy"),
    ("Warsaw Pact", "historical_analogy"),
    ("Mongolian horde", "historical_analogy"),
    ("dollar hegemony", "economy_trade"),
    ("dollar hegemony", "rivalry_hegemony"),
    ("great power competition", "rivalry_hegemony"),
    ("Non-Aligned Movement", "nonalignment_sovereignty"),
    ("Coordination and non-alliance", "nonalignment_sovereignty"),
    ("Coordination and non-alliance", "partnership_cooperation"),
    ("joint military exercises", "security_military"),
    ("Western sanctions", "economy_trade"),
])
def test_frames_fire_on_seed_sentences(scorer, body, needle, frame):
    row = scorer.score_one(_one(body, needle))
    assert row[f"frame_{frame}"] >= 1


def test_cold_war_counts_as_history_not_as_war(scorer, body):
    sent = _one(body, "Cold War era")
    row = scorer.score_one(sent)
    assert row["frame_historical_analogy"] == sent.count("Cold War")
    row = scorer.score_one("The Cold War ended long ago.")
    assert (row["frame_historical_analogy"], row["frame_security_military"]) == (1, 0)


@pytest.mark.parametrize("text", UNRELATED)
def test_nothing_fires_on_unrelated_text(scorer, generic, text):
    row = scorer.score_one(text)
    assert all(row[f"frame_{f}"] == 0 for f in FRAMES)
    assert row["target"] is False
    row = generic.score_one(text)
    assert all(row[f"frame_{f}"] == 0 for f in GENERIC_FRAME_NAMES)


def test_targets_on_seeds_and_near_misses(scorer, body):
    headlines = body[body["role"] == "headline"]["text"].tolist()
    about = [h for h in headlines if "lliance" in h]
    assert about and all(scorer.score_one(h)["target"] for h in about)
    assert scorer.score_one(_one(body, "military union"))["target"]
    assert not scorer.score_one("The European Union met in Brussels to discuss fishing quotas.")["target"]
    assert not scorer.score_one("The Soviet Union collapsed in 1991.")["target"]
    share = sum(scorer.score_one(t)["target"] for t in body["text"]) / len(body)
    assert 0.2 < share < 0.7   # a focused target: neither every sentence nor almost none


@pytest.mark.parametrize("text, hits", [
    ("Two million people fled the fighting.", []),
    ("The bridge will cost $2.5 billion.", ["cost", "billion"]),
    ("The company lost 40 million euros last year.", ["million"]),
    ("The rebels waged war for a decade.", []),
    ("Wages rose by 3 percent.", ["wages"]),
    ("She lost her job in March.", ["job"]),
])
def test_economic_frame_counts_money_and_work_not_their_homonyms(text, hits):
    found = load_lexicon("frames").find(text)
    assert [c.text.lower() for c in found if c.category == "economic_consequences"] == hits
