"""Time limits of pieces of work, and the end of a worker that never answered.

A piece of work (a partition of the build, a piece of the texts ``score`` reads) has a
generous time limit, there only so that nothing hangs; :data:`TIME_LIMIT_ENV` sets it
instead (0: no limit).  Two clocks hold it:

* :func:`alarm`, in the process that does the work when that is a main thread (this
  process, a pool worker): a timer signal, which stops even a regular expression that
  backtracks without end;
* :func:`wait`, in the driver, for every engine: it stops waiting for a future past the
  limit; the caller then ends the workers (:func:`alliance_study.scale.tasks.end_pool`,
  :func:`~alliance_study.scale.tasks.end_dask`).  This is what stops work in a Dask
  worker's thread or in C code, where no signal reaches it.

>>> wait(Ready(3), 1.0, lambda: TaskTimeout("too slow"))
3
"""
from __future__ import annotations

import contextlib
import os
import sys
from typing import Any, Callable, Iterator

from ..errors import BuildError, InputError

__all__ = ["TIME_LIMIT_ENV", "TaskTimeout", "WorkerLost", "time_limit_setting", "alarm", "wait", "Ready"]


class Ready:
    """A value that needs no task (e.g. found in a cache): :func:`wait` returns it at once, and
    :func:`~alliance_study.scale.tasks.map_ordered` yields it in its place."""

    __slots__ = ("value",)

    def __init__(self, value: Any) -> None:
        self.value = value

    def result(self) -> Any:
        return self.value


#: environment variable: the seconds one piece of work (a partition of the build, a piece of the texts
#: ``score`` reads) may take, instead of its own generous default (0: no limit)
TIME_LIMIT_ENV = "ALLIANCE_STUDY_PARTITION_TIMEOUT"


class TaskTimeout(InputError):
    """A task ran past its time limit and was stopped (the message says which task, why, and the fix)."""


class WorkerLost(BuildError):
    """A worker process ended without answering (killed: out of memory, or by a signal)."""


def time_limit_setting(default: float) -> float:
    """The seconds a piece of work may take: :data:`TIME_LIMIT_ENV` if set (0: no limit), else ``default``.

    >>> saved = os.environ.pop(TIME_LIMIT_ENV, None)
    >>> time_limit_setting(60.0)
    60.0
    >>> os.environ[TIME_LIMIT_ENV] = "0"; time_limit_setting(60.0)  # no limit
    0.0
    >>> del os.environ[TIME_LIMIT_ENV]
    >>> if saved is not None: os.environ[TIME_LIMIT_ENV] = saved

    Raises
    ------
    InputError
        The variable holds no number.
    """
    value = os.environ.get(TIME_LIMIT_ENV, "").strip()
    if not value:
        return default
    try:
        return max(0.0, float(value))
    except ValueError:
        raise InputError(f"{TIME_LIMIT_ENV}={value!r} is not a number of seconds. Fix: set it to e.g. 3600, "
                         f"or 0 for no limit, or unset it.") from None


@contextlib.contextmanager
def alarm(seconds: float | None, expired: Callable[[], BaseException]) -> Iterator[None]:
    """Raise ``expired()`` in the block if it runs longer than ``seconds`` (0 or None: no limit).

    Python's regular expressions cannot be stopped from outside a match, but they check for
    signals: a timer signal (SIGALRM) stops a rule that backtracks without end.  Only in a
    process's main thread (this process, a pool worker), on POSIX; elsewhere (a Dask worker's
    thread) the block runs without a limit here and the driver's clock stops the task
    (:func:`wait`).

    >>> with alarm(0.05, lambda: TaskTimeout("too slow")):
    ...     while True:
    ...         pass
    Traceback (most recent call last):
    alliance_study.scale.limits.TaskTimeout: too slow
    """
    import signal
    import threading

    if not seconds or not hasattr(signal, "setitimer") or threading.current_thread() is not threading.main_thread():
        yield
        return

    def expire(signum, frame):
        raise expired()

    old = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


def wait(future: Any, seconds: float | None, expired: Callable[[], BaseException]) -> Any:
    """The result of ``future`` (of a process pool, of Dask, or a :class:`Ready`), waiting at most ``seconds``
    (0 or None: no limit); past that, ``expired()`` is raised (the caller ends the workers).

    A worker that ends without answering raises :class:`WorkerLost`: a pool worker at once, a
    Dask worker once its task has killed a worker as often as Dask allows
    (``distributed.scheduler.allowed-failures``; the nanny restarts it in between).

    >>> wait(Ready(3), 1.0, lambda: TaskTimeout("too slow"))
    3
    """
    from concurrent.futures.process import BrokenProcessPool

    try:
        if isinstance(future, Ready) or not seconds:
            return future.result()
        try:
            return future.result(timeout=seconds)
        except TimeoutError:
            if future.done():  # done meanwhile, or the task's own TimeoutError: its result (or error) as it is
                return _finished(future, min(seconds, FINISHED_GRACE), expired)
            raise expired() from None
    except Exception as exc:
        if not isinstance(exc, BrokenProcessPool) and not _killed_dask_worker(exc):
            raise
        raise WorkerLost(f"a worker process ended without answering ({type(exc).__name__}: {exc}); it was most "
                         f"likely killed, by the system for want of memory or by a signal. Fix: run again with "
                         f"fewer jobs (--jobs) or smaller pieces (a smaller partition_size, or --chunksize for "
                         f"score); on Linux, `dmesg` says whether the out-of-memory killer ended it.") from None


#: seconds to fetch the result of a future that says it is done, after its wait timed out
FINISHED_GRACE = 30.0


def _finished(future: Any, seconds: float, expired: Callable[[], BaseException]) -> Any:
    """The result (or error) of a future that is done, fetched within ``seconds``; past that, ``expired()``.

    A Dask future can say it is done while its result still sits on a worker whose thread is
    stuck in a rule that never returns (the result's transfer then never comes): the fetch too
    has a limit, or the caller would wait for ever.
    """
    try:
        exc = future.exception(timeout=seconds)
        if exc is None:
            return future.result(timeout=seconds)
    except TimeoutError:
        raise expired() from None
    raise exc


def _killed_dask_worker(exc: BaseException) -> bool:
    """Whether ``exc`` is Dask's word that a task's workers died (``distributed.KilledWorker``)."""
    distributed = sys.modules.get("distributed")  # only Dask futures raise it: never imported here for it
    killed = getattr(distributed, "KilledWorker", None)
    return killed is not None and isinstance(exc, killed)
