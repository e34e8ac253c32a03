"""Results that depend only on files and code, computed once and reused: :func:`cached_call`;
files made from a known key (the drawn figures): :func:`cached_files`, :func:`store_files`.

The validation figures of the report (VADER ground truth, CoNLL-2010, PolNeAR) depend
only on the validation files, the packaged lexicons and models and the package's
code, not on the study's corpus.  :func:`cached_call` keys a result on exactly these
(the SHA-256 of every file named among the arguments, every packaged data file, the
code) and keeps it under ``<cache>/results/`` (the processing cache of
:func:`~alliance_study.report.partitions.cache_root`), so a rebuild reuses it while
nothing it depends on changed.

>>> import tempfile, os
>>> os.environ["ALLIANCE_STUDY_CACHE"] = tempfile.mkdtemp()
>>> cached_call(sorted, [3, 1, 2])
[1, 2, 3]
>>> store_files("k" * 64, {"a.png": b"x"}); cached_files("k" * 64)
{'a.png': b'x'}
>>> del os.environ["ALLIANCE_STUDY_CACHE"]
"""
from __future__ import annotations

import hashlib
import json
import os
import pickle
from pathlib import Path
from typing import Any, Callable

from ..io import sha256_file, write_bytes_atomic

__all__ = ["cached_call", "cached_files", "store_files"]


def _file_hashes(value: Any) -> Any:
    """The SHA-256 of a file, or of every file under a folder, when ``value`` names one; else None."""
    if not isinstance(value, (str, os.PathLike)):
        return None
    p = Path(value)
    try:
        if p.is_file():
            return sha256_file(p)
        if p.is_dir():
            return {f.relative_to(p).as_posix(): sha256_file(f) for f in sorted(p.rglob("*")) if f.is_file()}
    except OSError:
        return None
    return None


def cached_call(fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """``fn(*args, **kwargs)``, reused from the cache while its inputs and the package are unchanged.

    The key is ``fn``'s name, the arguments, the contents of every file or folder an
    argument names, the packaged data files and the package's code.  The result must
    be picklable; a damaged cache entry is recomputed.
    """
    from .partitions import cache_root, code_hash
    from .provenance import data_file_hashes

    values = list(args) + [kwargs[k] for k in sorted(kwargs)]
    parts = [fn.__module__, fn.__qualname__, repr(args), repr(sorted(kwargs.items())),
             [_file_hashes(v) for v in values], code_hash(), data_file_hashes()]
    key = hashlib.sha256(json.dumps(parts, sort_keys=True, default=str).encode()).hexdigest()
    path = cache_root() / "results" / key[:2] / f"{key}.pickle"
    if path.is_file():
        try:
            return pickle.loads(path.read_bytes())
        except Exception:  # noqa: BLE001 - a damaged or incompatible entry: recompute it
            pass
    result = fn(*args, **kwargs)
    try:
        write_bytes_atomic(path, pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL))
    except OSError:
        pass  # a read-only cache only costs time
    return result


def _files_path(key: str) -> Path:
    from .partitions import cache_root

    return cache_root() / "files" / key[:2] / f"{key}.pickle"


def cached_files(key: str) -> dict[str, bytes] | None:
    """The files stored under ``key`` (name -> bytes), or None (not stored, or a damaged entry)."""
    path = _files_path(key)
    try:
        files = pickle.loads(path.read_bytes())
    except Exception:  # noqa: BLE001 - missing, damaged or incompatible: make the files again
        return None
    if not isinstance(files, dict) or not all(isinstance(v, bytes) for v in files.values()):
        return None
    return files


def store_files(key: str, files: dict[str, bytes]) -> None:
    """Keep ``files`` (name -> bytes) under ``key``, all of them or none (one atomic write)."""
    try:
        write_bytes_atomic(_files_path(key), pickle.dumps(dict(files), protocol=pickle.HIGHEST_PROTOCOL))
    except OSError:
        pass  # a read-only cache only costs time
