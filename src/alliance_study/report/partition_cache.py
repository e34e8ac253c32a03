"""The partition cache: the tables of each step of each partition, on disk, by content.

An entry is ``ROOT/<step>/<key[:2]>/<key>/<table>.parquet`` plus a ``complete`` marker
recording each table's size and SHA-256 (:class:`PartitionCache`).  It is written into a
temporary folder and renamed into place, so a reader sees a whole entry or none.  An
entry found damaged (:func:`damage`) is said in a warning and removed
(:func:`drop_entry`), and its step computed again; a table copied from the cache into
the outputs is checked against its recorded SHA-256 (:func:`check_cached_copy`, else
:class:`CacheDamaged`).  What each step holds is :data:`LEVELS`; the keys are made by
:class:`alliance_study.report.partitions.Plan`.

>>> import tempfile
>>> c = PartitionCache(tempfile.mkdtemp())
>>> _ = c.put("score", "cd" * 32, {"sentences": pd.DataFrame({"a": [1]}), "sources": pd.DataFrame({"b": [2]})})
>>> c.has("score", "cd" * 32), c.get("score", "cd" * 32)["sources"]["b"].tolist()
(True, [2])
"""
from __future__ import annotations

import json
import os
import shutil
import tempfile
from pathlib import Path

import pandas as pd

from ..errors import BuildError
from ..io import sha256_file, write_table
from ..resources import cache_root

__all__ = ["PartitionCache", "CacheDamaged", "check_cached_copy", "damage", "drop_entry", "LEVELS"]

#: tables of each cached step
LEVELS = {
    "split": ("articles", "segments", "sentences"),
    "score": ("sentences", "sources"),
    "summary": ("article_measures", "term_counts", "concordance", "sourcing_counts", "sentence_sample",
                "article_roles", "cue_counts", "partials_params"),
}


class PartitionCache:
    """Tables of a partition's steps on disk: ``ROOT/<step>/<key[:2]>/<key>/<table>.parquet``.

    An entry is written into a temporary folder and renamed into place, so a reader
    sees a whole entry or none; its ``complete`` marker records each table's size and
    SHA-256.  An entry found damaged (a table missing, of another size, or not Parquet
    at both ends: a full disk, a copy cut short, an edit) is said in a warning naming it,
    removed, and its step computed again; a table copied from the cache is checked
    against its SHA-256 (:func:`check_cached_copy`).
    """

    def __init__(self, root: str | os.PathLike[str] | None = None) -> None:
        self.root = Path(root) if root is not None else cache_root()

    def folder(self, level: str, key: str) -> Path:
        return self.root / level / key[:2] / key

    def _whole(self, level: str, key: str) -> bool:
        """Whether the entry is there and sound; a damaged one is removed (and said)."""
        folder = self.folder(level, key)
        if not (folder / "complete").is_file():
            return False
        why = damage(folder, LEVELS[level])
        if why is None:
            return True
        drop_entry(folder, why)
        return False

    def has(self, level: str, key: str) -> bool:
        return self._whole(level, key)

    def get(self, level: str, key: str) -> dict[str, pd.DataFrame] | None:
        if not self._whole(level, key):
            return None
        folder = self.folder(level, key)
        try:
            return {name: pd.read_parquet(folder / f"{name}.parquet") for name in LEVELS[level]}
        except (OSError, ValueError) as exc:  # damaged inside: recomputed
            drop_entry(folder, f"unreadable ({type(exc).__name__}: {exc})")
            return None

    def put(self, level: str, key: str, tables: dict[str, pd.DataFrame]) -> Path:
        folder = self.folder(level, key)
        if (folder / "complete").is_file():
            return folder
        folder.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=f".{key[:12]}.", dir=folder.parent))
        try:
            files = {}
            for name in LEVELS[level]:
                path = tmp / f"{name}.parquet"
                write_table(tables[name], path)
                files[path.name] = {"size": path.stat().st_size, "sha256": sha256_file(path)}
            (tmp / "complete").write_text(json.dumps({"files": files}, sort_keys=True) + "\n", encoding="utf-8")
            try:
                os.replace(tmp, folder)
            except OSError:  # another build wrote it meanwhile: theirs is the same
                shutil.rmtree(tmp, ignore_errors=True)
        finally:
            if tmp.exists():
                shutil.rmtree(tmp, ignore_errors=True)
        return folder


def _recorded(folder: Path) -> dict[str, dict]:
    """What an entry's ``complete`` marker records of its files (nothing for an entry of an older version)."""
    try:
        files = json.loads((folder / "complete").read_text(encoding="utf-8")).get("files", {})
    except (OSError, ValueError, AttributeError):
        return {}
    return files if isinstance(files, dict) else {}


def damage(folder: Path, tables) -> str | None:
    """What is wrong with the cache entry ``folder`` holding ``tables``, or None when it looks whole.

    Cheap: sizes against the marker and Parquet's magic bytes at both ends of each file.

    >>> import tempfile
    >>> d = Path(tempfile.mkdtemp())
    >>> c = PartitionCache(d)
    >>> f = c.put("score", "ab" * 32, {"sentences": pd.DataFrame({"a": [1]}), "sources": pd.DataFrame({"b": [2]})})
    >>> damage(f, LEVELS["score"]) is None
    True
    >>> with open(f / "sources.parquet", "r+b") as fh:
    ...     _ = fh.truncate(100)
    >>> damage(f, LEVELS["score"])
    'sources.parquet: 100 bytes, written as ... bytes'
    """
    recorded = _recorded(folder)
    for name in tables:
        path = folder / f"{name}.parquet"
        try:
            size = path.stat().st_size
            with open(path, "rb") as fh:
                head = fh.read(4)
                fh.seek(max(0, size - 4))
                tail = fh.read(4)
        except OSError:
            return f"{path.name}: missing"
        want = recorded.get(path.name, {}).get("size") if isinstance(recorded.get(path.name), dict) else None
        if want is not None and size != want:
            return f"{path.name}: {size} bytes, written as {want} bytes"
        if size < 12 or head != b"PAR1" or tail != b"PAR1":
            return f"{path.name}: not a whole Parquet file"
    return None


def drop_entry(folder: Path, why: str) -> None:
    """Remove a damaged cache entry, saying which and why (its step is computed again)."""
    import warnings

    warnings.warn(f"{folder}: damaged cache entry ({why}); it was removed and its partition is computed again",
                  stacklevel=3)
    shutil.rmtree(folder, ignore_errors=True)


def check_cached_copy(source: Path, digest: str) -> None:
    """Raise :class:`CacheDamaged` when ``digest`` (the SHA-256 of a copy of the cached table ``source``) is not
    what the cache entry recorded when it was written; the entry is removed, so the next build recomputes it."""
    want = _recorded(source.parent).get(source.name, {})
    if isinstance(want, dict) and want.get("sha256") not in (None, digest):
        shutil.rmtree(source.parent, ignore_errors=True)
        raise CacheDamaged(
            f"{source}: this table of the partition cache changed after it was written (its SHA-256 is not the "
            f"recorded one), so the tables made from it cannot be trusted; the entry {source.parent} was removed. "
            f"Fix: run the build again (it computes that partition again); if it happens again, delete the cache "
            f"folder {source.parent.parent.parent.parent} (always safe).")


class CacheDamaged(BuildError):
    """A table read from the partition cache is not what was written there (the message names it)."""
