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
