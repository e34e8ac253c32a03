"""Shared fixtures: project paths, the seed corpus, and ../shared (validation data).

``../shared`` sits beside the project in CI.  Tests that need it are skipped with a
clear reason when it is absent on a developer machine, but fail under CI (CI=true),
so a CI run can never pass by skipping them.
"""
from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
RAW = ROOT / "data" / "raw"
SHARED = Path(os.environ.get("ALLIANCE_SHARED", ROOT.parent / "shared")).resolve()


def _need(path: Path) -> Path:
    if not path.exists():
        msg = f"{path} not found: put the project's shared/ folder beside the repository (or set ALLIANCE_SHARED)"
        if os.environ.get("CI"):
            pytest.fail(msg)
        pytest.skip(msg)
    return path


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT


@pytest.fixture(scope="session")
def raw_dir() -> Path:
    return RAW


@pytest.fixture(scope="session")
def shared() -> Path:
    return _need(SHARED)


@pytest.fixture(scope="session")
def vader_dir(shared) -> Path:
    return _need(shared / "validation" / "vader_icwsm2014")


@pytest.fixture(scope="session")
def wikiweasel_csv(shared) -> Path:
    return _need(shared / "validation" / "wikiweasel" / "dev.csv")


# --------------------------------------------------------------------------- the pilot study
# The package ships generic lexicons (news frames, no targets, no actors); the pilot study's own
# lists live in the repository's lexicons/ and are named by study.yaml.  Tests of pilot behaviour
# (alliance frames and targets on the seeds, Putin typed official) use these explicitly.
PILOT = ROOT / "lexicons"
PILOT_STUDY = ROOT / "study.yaml"
PILOT_FRAMES = PILOT / "frames.yaml"
PILOT_TARGETS = PILOT / "targets.yaml"
PILOT_ACTORS = PILOT / "actors.csv"
#: the six frames of the pilot's frames.yaml, in file order
PILOT_FRAME_NAMES = ["security_military", "economy_trade", "rivalry_hegemony", "historical_analogy",
                     "partnership_cooperation", "nonalignment_sovereignty"]
#: the package default frames (Semetko & Valkenburg 2000), in file order
GENERIC_FRAME_NAMES = ["conflict", "human_interest", "economic_consequences", "morality", "responsibility"]


@pytest.fixture(scope="session")
def pilot_study() -> Path:
    return PILOT_STUDY


@pytest.fixture(scope="session")
def pilot_actors() -> Path:
    return PILOT_ACTORS


@pytest.fixture(scope="session")
def pilot_scorer():
    """A Scorer with the pilot's frames and targets (package hedges and boosters)."""
    from alliance_study.metrics import Scorer
    return Scorer(frames=PILOT_FRAMES, targets=PILOT_TARGETS)


@pytest.fixture(scope="session")
def pilot_scored():
    """The seed corpus scored as the processing step scores it for the pilot study file:
    ``sentences``, ``articles``, ``sources`` (attributions), the ``scorer`` and ``group_by``.
    Shared by the session: treat the tables as read-only."""
    from types import SimpleNamespace

    from alliance_study.corpus import load_corpus
    from alliance_study.metrics import Scorer, score_sentences
    from alliance_study.metrics.attribution import attributions
    from alliance_study.report.study import load_study

    study = load_study(PILOT_STUDY)
    corpus = load_corpus(**study.corpus_kwargs())
    scorer = Scorer(**study.scorer_kwargs())
    return SimpleNamespace(sentences=score_sentences(corpus.sentences, scorer), articles=corpus.articles,
                           sources=attributions(corpus, **study.attribution_kwargs()), scorer=scorer,
                           group_by=study.parameters.get("group_by", "outlet"))
