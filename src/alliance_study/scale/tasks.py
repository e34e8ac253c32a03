"""Run independent tasks here, in a pool of worker processes, or on a Dask cluster, in order.

:func:`map_ordered` is the one way the build spreads work: it calls ``fn(item)`` for
every item and yields the results **in input order**, whatever engine ran them, with
at most ``window`` tasks in flight (so memory is bounded by the window, not by the
number of items).  An item wrapped in :class:`Ready` is not run: its value is passed
through in its place (e.g. a result found in a cache).

Engines
-------
``local``, ``jobs=1``
    In this process (no pickling, no start-up cost).
``local``, ``jobs=N``
    N worker processes (:class:`concurrent.futures.ProcessPoolExecutor`), forked while
    this process runs a single thread, else started by a forkserver (or spawn).
``dask``
    A :class:`distributed.LocalCluster` of ``jobs`` single-threaded worker processes, or
    the scheduler at ``scheduler`` (``tcp://host:8786``); ``fn`` and the items are
    pickled to the workers, so the package must be installed there.

Time limits
-----------
A task may have a time limit (``map_ordered(timeout=...)``, or the item's own
``time_limit``): when the driver has waited that long for it, it stops waiting,
cancels every task, ends the workers (a local pool's or local cluster's processes:
none is left behind) and raises :class:`~alliance_study.scale.limits.TaskTimeout`
(or the item's own error, ``item.timed_out(seconds)``).  The clock of a task starts
when the driver starts waiting for it, i.e. once every task before it is done, so
time spent on earlier tasks never counts against a later one (a task may so get more
than its limit; only the start of a new worker process, seconds, may count against
the first ones).  This is what stops a task in a Dask worker's thread or in C code,
where no timer signal reaches it; in a process's main thread
:func:`~alliance_study.scale.limits.alarm` stops it itself.  A task on a remote
scheduler's worker is cancelled, but a thread that never returns keeps that worker
busy until it is restarted.

>>> list(map_ordered(abs, [-2, Ready(7), -1], engine="local", jobs=1))
[2, 7, 1]
"""
from __future__ import annotations

import itertools
import logging
import os
import sys
import warnings
from collections import deque
from typing import Any, Callable, Iterable, Iterator

from ..errors import InputError
from .limits import TIME_LIMIT_ENV, Ready, TaskTimeout, WorkerLost, wait

__all__ = ["map_ordered", "Ready", "ENGINES", "default_jobs", "process_pool", "dask_client", "close_in_workers",
           "forget_in_workers", "die_with_parent", "TaskTimeout", "WorkerLost", "end_pool", "end_dask"]

ENGINES = ("local", "dask")
#: descriptors a worker must not keep (locks on output folders, pipes to helper processes): a forked worker gets
#: a copy of every descriptor of the driver, and a copy it kept would hold a lock or a pipe open after the driver died
_NOT_FOR_WORKERS: set[int] = set()
#: Linux ``prctl`` option: the signal a process gets when its parent dies
_PR_SET_PDEATHSIG = 1
def end_pool(ex: Any, cancel: bool = False, kill: bool = False) -> None:
    """Shut a process pool down (``cancel``: its queued tasks are dropped); ``kill``: end its workers first,
    so that a task that never returns is not waited for."""
    if kill:
        terminate = getattr(ex, "terminate_workers", None)  # Python 3.14+
        if terminate is not None:
            terminate()
        else:
            for process in list((getattr(ex, "_processes", None) or {}).values()):
                try:
                    process.terminate()  # SIGTERM: a worker has the default action (_start_worker)
                except (OSError, ValueError, AttributeError):  # already ended
                    pass
    ex.shutdown(wait=True, cancel_futures=cancel or kill)


def end_dask(client: Any, cluster: Any, futures: Iterable[Any] = ()) -> None:
    """Cancel ``futures``, close the client and the local cluster (its worker processes end, a busy one
    included: the nanny kills it)."""
    futures = [f for f in futures if not isinstance(f, Ready)]
    try:
        if futures:
            client.cancel(futures, force=True)
    finally:
        try:
            client.close()
        finally:
            if cluster is not None:
                cluster.close()


def close_in_workers(fd: int) -> None:
    """Have every worker process started from now on close its copy of ``fd`` as it starts.

    For descriptors whose copies must not outlive the process that opened them: the lock on
    an output folder (a worker keeping it would hold the lock after a ``kill -9`` of the
    build), the pipe to a helper process (which waits for its end of file).

    >>> r, w = os.pipe()
    >>> close_in_workers(w); w in _NOT_FOR_WORKERS
    True
    >>> forget_in_workers(w); os.close(r); os.close(w)
    """
    _NOT_FOR_WORKERS.add(fd)


def forget_in_workers(fd: int) -> None:
    """Undo :func:`close_in_workers` (call it before closing ``fd``: the number may be reused)."""
    _NOT_FOR_WORKERS.discard(fd)


def die_with_parent(parent: int | None = None) -> None:
    """Make this process end when its parent process ends, however it ends (``kill -9`` included).

    On Linux the kernel sends this process SIGKILL when its parent dies (``prctl``
    ``PR_SET_PDEATHSIG``); elsewhere a daemon thread checks the parent every second.
    ``parent``: the process that should be the parent; if it is not (it died before this
    call), this process ends at once.
    """
    import ctypes
    import signal
    import threading
    import time

    first = os.getppid()
    armed = False
    if sys.platform.startswith("linux"):
        try:
            armed = ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, int(signal.SIGKILL), 0, 0, 0) == 0
        except (OSError, AttributeError):  # pragma: no cover - no prctl
            armed = False
    if (parent is not None and os.getppid() != parent) or (armed and os.getppid() != first):
        os._exit(1)  # the parent is already gone
    if armed:
        return

    def watch() -> None:  # pragma: no cover - not on Linux
        while os.getppid() == first:
            time.sleep(1.0)
        os._exit(1)

    threading.Thread(target=watch, name="die-with-parent", daemon=True).start()


def _start_worker(parent: int | None, initializer: Callable | None, initargs: tuple) -> None:
    """A pool worker's first step: close the driver's locks and pipes, end with the driver, then ``initializer``."""
    for fd in sorted(_NOT_FOR_WORKERS):
        try:
            os.close(fd)  # this copy only: the driver's lock and pipe stay as they are
        except OSError:
            pass
    _NOT_FOR_WORKERS.clear()
    import signal

    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # not the driver's handler (SIGTERM as Ctrl-C): a worker just ends
    die_with_parent(parent)
    if initializer is not None:
        initializer(*initargs)


def default_jobs() -> int:
    """All the cores this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not on Linux
        return os.cpu_count() or 1


class _Here:
    def submit(self, fn: Callable, item: Any) -> Ready:
        return Ready(fn(item))

    def close(self, cancel: bool = False, kill: bool = False, futures: Iterable[Any] = ()) -> None:
        pass


def process_pool(jobs: int, preload: Iterable[str], initializer: Callable | None = None,
                 initargs: tuple = ()):
    """A :class:`concurrent.futures.ProcessPoolExecutor` of ``jobs`` workers.

    Workers are forked (they start at once with everything imported) while this process
    runs a single thread (e.g. the command line), else started by a forkserver that
    imports ``preload`` once (or spawned).  Every worker closes its copies of the
    descriptors given to :func:`close_in_workers` and ends when its parent ends
    (:func:`die_with_parent`): a ``kill -9`` of the driver leaves no worker behind.
    """
    import concurrent.futures
    import multiprocessing as mp
    import threading

    methods = mp.get_all_start_methods()
    if "fork" in methods and threading.active_count() == 1:
        method = "fork"
    else:
        method = "forkserver" if "forkserver" in methods else "spawn"
    ctx = mp.get_context(method)
    if method == "forkserver":
        ctx.set_forkserver_preload(list(preload))
    # a forked worker's parent is this process; a forkserver's worker's is the forkserver (which ends with us)
    parent = os.getpid() if method == "fork" else None
    return concurrent.futures.ProcessPoolExecutor(max_workers=jobs, mp_context=ctx, initializer=_start_worker,
                                                  initargs=(parent, initializer, initargs))


def dask_client(jobs: int, scheduler: str | None):
    """``(client, cluster)``: a client of the scheduler at ``scheduler``, or of a new
    :class:`distributed.LocalCluster` of ``jobs`` single-threaded worker processes
    (``cluster`` is None for a scheduler given; the caller closes both).

    Raises
    ------
    InputError
        The scheduler cannot be reached.
    """
    from distributed import Client, LocalCluster

    if scheduler:
        try:
            return Client(scheduler, timeout="20s"), None
        except (OSError, TimeoutError) as exc:
            raise InputError(f"cannot connect to the Dask scheduler at {scheduler!r}: {exc}. "
                             f"Fix: check the address (e.g. tcp://host:8786) and that the scheduler runs.") from None
    with warnings.catch_warnings():
        # no dashboard, but the scheduler's small HTTP server takes port 8787, or says that another cluster
        # (another build) has it and takes a free one: nothing for the user to do
        warnings.filterwarnings("ignore", message="Port .* is already in use", category=UserWarning)
        cluster = LocalCluster(n_workers=jobs, threads_per_worker=1, processes=True, dashboard_address=None,
                               silence_logs=logging.ERROR)
    return Client(cluster), cluster


class _Pool:
    def __init__(self, jobs: int, preload: Iterable[str]) -> None:
        self._ex = process_pool(jobs, preload)

    def submit(self, fn: Callable, item: Any):
        return self._ex.submit(fn, item)

    def close(self, cancel: bool = False, kill: bool = False, futures: Iterable[Any] = ()) -> None:
        end_pool(self._ex, cancel, kill)


class _Dask:
    def __init__(self, jobs: int, scheduler: str | None) -> None:
        self.client, self._cluster = dask_client(jobs, scheduler)

    def submit(self, fn: Callable, item: Any):
        return self.client.submit(fn, item, pure=False)

    def close(self, cancel: bool = False, kill: bool = False, futures: Iterable[Any] = ()) -> None:
        end_dask(self.client, self._cluster, futures if (cancel or kill) else ())


def _own_limit(item: Any) -> float | None:
    """An item's own time limit: its ``time_limit`` attribute (seconds), if it has one."""
    return getattr(item, "time_limit", None)


def map_ordered(fn: Callable[[Any], Any], items: Iterable[Any], *, engine: str = "local", jobs: int | None = None,
                scheduler: str | None = None, window: int | None = None,
                preload: Iterable[str] = ("alliance_study",),
                timeout: Callable[[Any], float | None] | None = None) -> Iterator[Any]:
    """``fn(item)`` for every item (or the value of a :class:`Ready`), yielded in input order.

    Parameters
    ----------
    fn : callable
        A module-level function (it is pickled by reference to the workers).
    items : iterable
        Read lazily: at most ``window`` items are in flight.
    engine : {"local", "dask"}
    jobs : int, optional
        Worker processes (default: all cores; ``dask``: 2 local workers).
    scheduler : str, optional
        ``dask`` only: the address of a running scheduler instead of a local cluster.
    window : int, optional
        Tasks in flight at most (default ``2 * jobs``).
    timeout : callable, optional
        ``item -> seconds`` (0 or None: no limit) the driver waits for the item's task once
        every task before it is done; default: the item's ``time_limit`` attribute, if any.
        Past it every task is cancelled, the workers are ended and ``item.timed_out(seconds)``
        (if the item has that method) or :class:`TaskTimeout` is raised.  A task run in this
        process (one task, or ``jobs=1``) is not timed here: ``fn`` may use
        :func:`~alliance_study.scale.limits.alarm`.

    Raises
    ------
    InputError
        Unknown engine, a bad ``jobs``, or an unreachable scheduler.
    TaskTimeout
        A task ran past its limit (or the item's own error).
    WorkerLost
        A worker ended without answering (:func:`~alliance_study.scale.limits.wait`).
    """
    if engine not in ENGINES:
        raise InputError(f"unknown engine {engine!r}. Fix: use one of {', '.join(ENGINES)}.")
    if jobs is not None and jobs < 1:
        raise InputError(f"jobs must be at least 1, not {jobs}. Fix: --jobs 1 (or leave it out: all cores).")
    if scheduler and engine != "dask":
        raise InputError("a scheduler address needs the Dask engine. Fix: add --engine dask.")
    n = jobs or (2 if engine == "dask" else default_jobs())
    limit_of = timeout or _own_limit
    items = iter(items)
    head = []
    for item in items:  # look at two tasks: a single one runs here, with no workers to start
        head.append(item)
        if sum(not isinstance(i, Ready) for i in head) == 2:
            break
    runner: Any
    if sum(not isinstance(i, Ready) for i in head) < 2:
        runner = _Here()
    elif engine == "dask":
        runner = _Dask(n, scheduler)
    else:
        runner = _Here() if n == 1 else _Pool(n, preload)
    window = max(1, window or 2 * n)
    pending: deque = deque()  # (number, item, future), in input order
    ok = stuck = False

    def next_result() -> Any:
        nonlocal stuck
        number, item, future = pending[0]  # left in place until done: cancelled with the rest if it fails
        seconds = None if isinstance(future, Ready) else limit_of(item)
        try:
            value = wait(future, seconds, lambda: _expired(number, item, float(seconds or 0)))
        except BaseException:
            if not future.done():  # past its limit (TaskTimeout or the item's own error), or Ctrl-C
                stuck = True
            raise
        pending.popleft()
        return value

    try:
        for number, item in enumerate(itertools.chain(head, items), start=1):
            pending.append((number, item, item if isinstance(item, Ready) else runner.submit(fn, item)))
            while len(pending) > window or (pending and isinstance(pending[0][2], Ready)):
                yield next_result()
        while pending:
            yield next_result()
        ok = True
    finally:
        runner.close(cancel=not ok, kill=stuck, futures=[f for _, _, f in pending])


def _expired(number: int, item: Any, seconds: float) -> BaseException:
    """What to raise when the task of ``item`` (the ``number``-th) ran past ``seconds``."""
    own = getattr(item, "timed_out", None)
    if callable(own):
        return own(seconds)
    return TaskTimeout(f"task {number} of the work ran longer than {seconds:g} s and was stopped (its workers "
                       f"were ended). Fix: look for what makes that input slow (a regular expression that "
                       f"backtracks without end, an extremely long text); to allow more time, set "
                       f"{TIME_LIMIT_ENV} (seconds).")
