"""LICENSE and CITATION.cff: present, valid, and in step with pyproject.toml.

CITATION.cff is validated against the JSON Schema of the Citation File Format 1.2.0,
shipped in tests/data/cff-schema-1.2.0.json (source, commit and licence in
tests/data/cff-schema-1.2.0.SOURCE.md), with the ``jsonschema`` package, offline.
"""
from __future__ import annotations

import copy
import hashlib
import json
import tomllib
from pathlib import Path

import jsonschema
import pytest
import yaml

import alliance_study

ROOT = Path(__file__).resolve().parents[1]
SCHEMA_FILE = ROOT / "tests" / "data" / "cff-schema-1.2.0.json"
SCHEMA_SHA256 = "0b8d22140da702d766df318dcff3a91af2f39521298dcf36d76315fd99cc169b"


@pytest.fixture(scope="module")
def validator() -> jsonschema.Draft7Validator:
    raw = SCHEMA_FILE.read_bytes()
    assert hashlib.sha256(raw).hexdigest() == SCHEMA_SHA256, "the shipped CFF schema is not the published 1.2.0 file"
    schema = json.loads(raw)
    jsonschema.Draft7Validator.check_schema(schema)
    return jsonschema.Draft7Validator(schema, format_checker=jsonschema.Draft7Validator.FORMAT_CHECKER)


@pytest.fixture(scope="module")
def citation() -> dict:
    # CFF is YAML; dates must stay strings for the schema (YAML would read 2026-11-25 as a date)
    return yaml.load((ROOT / "CITATION.cff").read_text(encoding="utf-8"), Loader=yaml.BaseLoader)


@pytest.fixture(scope="module")
def project() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]


def test_citation_is_valid_cff_1_2_0(validator, citation):
    errors = sorted(validator.iter_errors(citation), key=lambda e: list(e.path))
    assert not errors, "\n".join(f"CITATION.cff {'/'.join(map(str, e.path)) or '(top)'}: {e.message}" for e in errors)
    assert citation["cff-version"] == "1.2.0"
    for key in ("title", "version", "authors", "license", "message", "date-released"):
        assert citation.get(key), f"CITATION.cff: {key} missing"


def test_the_validator_rejects_broken_citations(validator, citation):
    broken = []
    for key, value in (("authors", None), ("date-released", "25/11/2026"), ("license", "MIT-ish"),
                       ("cff-version", "1.1.0"), ("tittle", "typo")):
        c = copy.deepcopy(citation)
        if value is None:
            del c[key]
        else:
            c[key] = value
        broken.append((key, list(validator.iter_errors(c))))
    assert all(errors for _, errors in broken), [k for k, e in broken if not e]


def test_citation_and_license_agree_with_the_package(citation, project):
    assert citation["version"] == project["version"] == alliance_study.__version__
    assert citation["license"] == project["license"]["text"] == "MIT"
    assert [a.get("name") for a in citation["authors"]] == [a["name"] for a in project["authors"]]
    license_text = (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert license_text.startswith("MIT License\n")
    year = citation["date-released"][:4]
    assert f"Copyright (c) {year} {project['authors'][0]['name']}" in license_text
    assert "THE SOFTWARE IS PROVIDED \"AS IS\"" in license_text


def test_package_declares_its_type_hints():
    assert (Path(alliance_study.__file__).parent / "py.typed").is_file()


def test_changelog_keeps_the_format():
    text = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    assert "https://keepachangelog.com/" in text
    sections = [line for line in text.splitlines() if line.startswith("## ")]
    assert sections[0] == "## [Unreleased]", sections[:1]
    version = alliance_study.__version__
    assert any(s.startswith(f"## [{version}] - ") for s in sections), f"no section for {version}"
    kinds = {line[4:] for line in text.splitlines() if line.startswith("### ")}
    assert kinds <= {"Added", "Changed", "Deprecated", "Removed", "Fixed", "Security"}, kinds
