"""The record of a build: the report's manifest, and the key that tells a build with nothing to do.

:func:`_manifest` gathers what ``OUTPUT/manifest.json`` records (parameters, study,
input and data-file hashes, versions, git commit, processed outputs, problems);
:func:`_build_key` hashes everything a build's outputs depend on, and :func:`_unchanged`
returns the last build's manifest when it was made with the same key and every output
it lists is still there as written (then the build does nothing).
"""
from __future__ import annotations

import json
import shutil
from pathlib import Path

from ..io import sha256_file
from .provenance import git_commit, package_versions
from .study import Study

#: the repository's root folder when the package runs from a source checkout: its git commit goes in the manifest
_PROJECT = Path(__file__).resolve().parents[3]


def _build_key(study: Study, processed_dir: Path, notebooks, user_params, on_invalid, cell_timeout) -> str | None:
    """A hash of everything a build's outputs depend on: inputs, data files, code, versions, notebooks, parameters."""
    import hashlib

    from .partitions import code_hash
    from .provenance import data_file_hashes, study_input_hashes

    try:
        hashes = study_input_hashes(study), data_file_hashes()
    except OSError:  # an input or data file is missing: no key; the build itself says which and how to fix it
        return None
    parts = {"inputs": hashes[0], "data_files": hashes[1], "code": code_hash(),
             "versions": package_versions(), "notebooks": {p.name: sha256_file(p) for p in notebooks},
             "parameters": dict(sorted(user_params.items())), "study": study.as_dict(), "on_invalid": on_invalid,
             "cell_timeout": cell_timeout, "processed_dir": str(processed_dir)}
    return hashlib.sha256(json.dumps(parts, sort_keys=True, default=str).encode()).hexdigest()


def _unchanged(output_dir: Path, processed_dir: Path, key: str | None, say) -> dict | None:
    """The last build's manifest when it was made with ``key`` and every output it lists (report files,
    processed tables) is still there as written; a changed or missing one is said (the build runs again)."""
    from .provenance import changed_output

    try:
        m = json.loads((output_dir / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if key is None or not isinstance(m, dict) or m.get("build_key") != key:
        return None
    why = changed_output(output_dir, processed_dir, m)
    if why is not None:
        say(f"{why}: building again")
        return None
    failed = output_dir / "failed"
    if failed.is_dir():  # the notebooks kept by an earlier failed build: this report is newer and up to date
        shutil.rmtree(failed, ignore_errors=True)
        say(f"removed {failed}: notebooks kept by an earlier failed build (the report beside them is up to date)")
    return m


def _manifest(proc_stage: Path, user_params, study: Study, processed_dir, notebooks_dir, on_invalid,
              notebooks, cell_timeout) -> dict:
    """The report's manifest, from the processed tables' own (``proc_stage/manifest.json``) and the build's
    settings; the build adds the report's outputs, the build key and the output sizes."""
    pman = json.loads((proc_stage / "manifest.json").read_text(encoding="utf-8"))
    return {
        "parameters": dict(sorted(user_params.items())),
        "study": pman["study"],
        "build": {"study_file": str(study.path) if study.path else None,
                  "corpus": study.as_dict(), "processed_dir": str(processed_dir),
                  "notebooks_dir": str(notebooks_dir), "on_invalid": on_invalid, "cell_timeout": cell_timeout,
                  "notebooks": [p.name for p in notebooks]},
        "inputs": pman["inputs"],
        "data_files": pman["data_files"],
        "versions": package_versions(),
        "git_commit": git_commit(_PROJECT),
        "processed": pman["outputs"],
        "n_problems": pman.get("n_problems", 0),
        "skipped": pman.get("skipped", []),
    }
