"""One build per output folder at a time.

A build holds an exclusive :func:`fcntl.flock` on ``.<folder>.lock`` beside each folder it
writes (the report folder and the processed-tables folder).  The lock file says who
holds it: process id, host and start time.  A second build on the same folder stops at
once with :class:`BuildLocked` (exit status 75) naming that build, or waits for it with
``wait=True``.  The operating system drops the lock when its process ends in any way,
``kill -9`` included, so a lock left by a killed build is stale by construction: the
next build takes it over (and says so, once, naming the folders).  The lock's descriptor
is closed in every worker process the build starts
(:func:`~alliance_study.scale.tasks.close_in_workers`), and workers end with the build,
so no process outlives a killed build holding its lock.

Locks are advisory and local: they work between processes of one machine on a local
file system; on a network file system without ``flock`` support they may not exclude.

>>> import tempfile, pathlib
>>> d = pathlib.Path(tempfile.mkdtemp()) / "reports"
>>> with FolderLock(d) as lock:
...     lock.path.name, holder(lock.path)["pid"] == __import__("os").getpid()
('.reports.lock', True)
"""
from __future__ import annotations

import contextlib
import datetime as _dt
import errno
import fcntl
import json
import os
import socket
import time
from pathlib import Path
from typing import Any, Callable, Iterator, Mapping, Sequence

from ..errors import BuildError
from ..scale.tasks import close_in_workers, forget_in_workers

__all__ = ["FolderLock", "BuildLocked", "holder", "locked_folders", "stale_note", "LOCKED_EXIT"]

#: exit status of a build that found its folder locked (EX_TEMPFAIL: try again later)
LOCKED_EXIT = 75


class BuildLocked(BuildError):
    """Another build is writing to the same folder; the message says which (pid, host, since when)."""

    exit_code = LOCKED_EXIT


def lock_path(folder: str | os.PathLike[str]) -> Path:
    """``.<name>.lock`` beside ``folder`` (not inside: the folder itself is replaced at the end of a build)."""
    folder = Path(folder).resolve()
    return folder.parent / f".{folder.name}.lock"


def holder(path: str | os.PathLike[str]) -> dict[str, Any]:
    """What the lock file at ``path`` says about its holder (empty dict when unreadable)."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8") or "{}")
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _alive(pid: Any) -> bool:
    try:
        os.kill(int(pid), 0)
    except (OSError, TypeError, ValueError) as exc:
        return isinstance(exc, PermissionError)
    return True


def _describe(info: Mapping[str, Any]) -> str:
    if not info:
        return "another build"
    return f"build pid {info.get('pid')} on {info.get('host')}, running since {info.get('started')}"


class FolderLock:
    """Exclusive lock on one output folder (a context manager).

    Parameters
    ----------
    folder : path
        The folder a build writes.
    wait : bool
        Wait for a running build to finish instead of raising :class:`BuildLocked`.
    say : callable, optional
        Receives one-line notes (waiting, stale lock taken over).

    Attributes
    ----------
    stale : dict
        What the lock file said about a holder that is gone (empty when the lock was free
        or held by a live process): the lock was taken over from it.
    """

    _quiet_stale = False  # locked_folders says it once for all its folders

    def __init__(self, folder: str | os.PathLike[str], wait: bool = False, say: Callable[[str], None] | None = None, poll: float = 0.5):
        self.folder = Path(folder).resolve()
        self.path = lock_path(self.folder)
        self.wait, self.say, self.poll = wait, say or (lambda msg: None), poll
        self.fd: int | None = None
        self.stale: dict[str, Any] = {}

    def _try(self, fd: int) -> bool:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return True
        except OSError as exc:
            if exc.errno in (errno.EWOULDBLOCK, errno.EAGAIN, errno.EACCES):
                return False
            raise

    def acquire(self) -> "FolderLock":
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = self.fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        waited = False
        while not self._try(fd):
            info = holder(self.path)
            if not self.wait:
                os.close(self.fd)
                self.fd = None
                raise BuildLocked(
                    f"{self.folder}: {_describe(info)} is writing to this folder (lock {self.path}). "
                    f"Fix: wait for it to finish, pass --wait to queue behind it, or choose another --output-dir.")
            if not waited:
                self.say(f"waiting for {_describe(info)} to finish with {self.folder}")
                waited = True
            time.sleep(self.poll)
        close_in_workers(fd)  # a worker keeping a copy would hold the lock after this process died
        previous = holder(self.path)
        if previous.get("pid") and previous.get("host") == socket.gethostname() and not _alive(previous["pid"]):
            self.stale = previous
            if not self._quiet_stale:
                self.say(stale_note([self]))
        info = {"pid": os.getpid(), "host": socket.gethostname(),
                "started": _dt.datetime.now(_dt.timezone.utc).strftime("%Y-%m-%d %H:%M:%S UTC"),
                "folder": str(self.folder)}
        os.ftruncate(self.fd, 0)
        os.pwrite(self.fd, (json.dumps(info) + "\n").encode("utf-8"), 0)
        return self

    def release(self) -> None:
        if self.fd is not None:
            with contextlib.suppress(OSError):
                os.ftruncate(self.fd, 0)  # no holder: nothing stale to report next time
            fcntl.flock(self.fd, fcntl.LOCK_UN)
            forget_in_workers(self.fd)
            os.close(self.fd)
            self.fd = None

    def __enter__(self) -> "FolderLock":
        return self.acquire()

    def __exit__(self, *exc: object) -> None:
        self.release()


def stale_note(locks: Sequence[FolderLock]) -> str:
    """One line for the locks taken over from builds that are gone: which folders, whose locks.

    >>> import tempfile
    >>> lock = FolderLock(Path(tempfile.mkdtemp()) / "reports")
    >>> lock.stale = {"pid": 12, "host": "h", "started": "2026-01-02 03:04:05 UTC"}
    >>> print(stale_note([lock]).replace(str(lock.folder.parent), "D"))
    took over the stale lock of D/reports, left by build pid 12 on h, running since 2026-01-02 03:04:05 UTC (that process is gone)
    """
    by_holder: dict[str, list[str]] = {}
    for lock in locks:
        if lock.stale:
            by_holder.setdefault(_describe(lock.stale), []).append(str(lock.folder))
    return "; ".join(f"took over the stale lock{'s' if len(folders) > 1 else ''} of {' and '.join(folders)}, "
                     f"left by {who} (that process is gone)" for who, folders in by_holder.items())


@contextlib.contextmanager
def locked_folders(folders: Sequence[str | os.PathLike[str]], wait: bool = False,
                   say: Callable[[str], None] | None = None) -> Iterator[list[FolderLock]]:
    """Locks on every folder of ``folders`` (taken in sorted order, so two waiting builds never deadlock).

    Locks taken over from builds that are gone are said once, in one line naming the folders.
    """
    with contextlib.ExitStack() as stack:
        ordered = sorted({Path(f).resolve() for f in folders})
        locks = []
        for f in ordered:
            lock = FolderLock(f, wait=wait, say=say)
            lock._quiet_stale = True
            locks.append(stack.enter_context(lock))
        note = stale_note(locks)
        if note and say is not None:
            say(note)
        yield locks
