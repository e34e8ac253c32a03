"""Engines: where pieces of texts are scored -- this process, a process pool, or Dask.

Every engine has the same two methods: ``submit(texts, seconds, what)`` returns a
future whose ``result()`` is :func:`~alliance_study.scale.columns.score_texts` of those
texts, and ``close(cancel, kill)``.  The driver (:func:`~alliance_study.scale.score.score_file`)
reads, submits and writes in input order, so every engine gives the same output.

A piece (``what``: its rows) may take ``seconds`` (:func:`piece_time_limit`): where it
runs in a main thread (``InProcess``, a ``Pool`` worker) a timer signal stops it
(:func:`~alliance_study.scale.limits.alarm`), and the driver stops waiting for it on
every engine (:func:`~alliance_study.scale.limits.wait`), then ends the workers
(``close(kill=True)``); both raise :func:`timed_out`'s error.

``InProcess``
    ``jobs=1``: scores right here (no pickling, no start-up cost).
``Pool``
    ``jobs=N``: N worker processes, each receiving a copy of the driver's scorer
    once (pool initializer).  Workers are forked while this process runs a single
    thread (e.g. the command line), otherwise started by a forkserver (or spawn).
``Dask``
    Tasks on a Dask cluster: a :class:`distributed.LocalCluster` of ``jobs``
    single-threaded worker processes, or the scheduler at ``scheduler``
    (``tcp://host:8786``).  The scorer is scattered once to every worker.

>>> ex, workers = make_engine("local", jobs=1, scheduler=None, scorer=None, rows=10)
>>> workers, ex.submit(["It may rain."], 60.0, "rows 1 to 1").result()["hedged"].tolist()
(1, [True])
>>> ex.close()
"""
from __future__ import annotations

import os
import pickle

from ..metrics import Scorer, default_scorer
from .columns import score_texts
from .limits import TIME_LIMIT_ENV, Ready, TaskTimeout, alarm, time_limit_setting
from .tasks import dask_client, end_dask, end_pool, process_pool

#: with the default ``jobs`` (all cores), inputs of at most this many rows are scored in-process
SMALL_INPUT = 2_000
#: seconds a piece of texts may take before ``score`` stops: this much, plus TIME_PER_TEXT for each text
#: (generous: only there so that ``score`` never hangs)
TIME_BASE = 900.0
TIME_PER_TEXT = 2.0


def piece_time_limit(n_texts: int) -> float:
    """Seconds a piece of ``n_texts`` texts may take; ``$ALLIANCE_STUDY_PARTITION_TIMEOUT`` instead when set.

    >>> piece_time_limit(5000)
    10900.0
    """
    return time_limit_setting(TIME_BASE + TIME_PER_TEXT * n_texts)


def timed_out(what: str, seconds: float) -> TaskTimeout:
    """The error of a piece of texts (``what``: ``rows 1 to 5,000 of in.csv``) stopped after ``seconds``.

    >>> print(timed_out("rows 1 to 2 of in.csv", 60))  # doctest: +ELLIPSIS
    rows 1 to 2 of in.csv took longer than 60 s to score and were stopped. ... Fix: ...
    """
    return TaskTimeout(f"{what} took longer than {seconds:g} s to score and were stopped. "
                       f"A context rule of a lexicon (exclude_before, require_after ...: a regular expression) may "
                       f"be backtracking without end on a long text, or a text is extremely long. Fix: check the "
                       f"rules of the lexicons given (e.g. (\\w+\\s?)+ -> (\\w+\\s)+) and the longest texts of "
                       f"those rows; to allow more time, set {TIME_LIMIT_ENV} (seconds).")

#: the scorer of a pool worker process, sent once by the driver (pool initializer)
_WORKER_SCORER: Scorer | None = None


def _init_worker(scorer_bytes: bytes) -> None:
    global _WORKER_SCORER
    _WORKER_SCORER = pickle.loads(scorer_bytes)


def _score_in_worker(texts: list, seconds: float | None = None, what: str = "") -> dict:
    with alarm(seconds, lambda: timed_out(what, seconds or 0.0)):
        return score_texts(texts, _WORKER_SCORER)


class InProcess:
    """Score in this process."""

    def __init__(self, scorer: Scorer | None):
        self.scorer = scorer

    def submit(self, texts: list, seconds: float | None = None, what: str = "") -> Ready:
        with alarm(seconds, lambda: timed_out(what, seconds or 0.0)):
            return Ready(score_texts(texts, self.scorer))

    def close(self, cancel: bool = False, kill: bool = False) -> None:
        pass


class Pool:
    """A pool of ``jobs`` worker processes, each with a copy of ``scorer``."""

    def __init__(self, jobs: int, scorer: Scorer):
        self._ex = process_pool(jobs, ["alliance_study.metrics", "alliance_study.scale.engines"],
                                initializer=_init_worker, initargs=(pickle.dumps(scorer),))

    def submit(self, texts: list, seconds: float | None = None, what: str = ""):
        return self._ex.submit(_score_in_worker, texts, seconds, what)

    def close(self, cancel: bool = False, kill: bool = False) -> None:
        end_pool(self._ex, cancel, kill)


class Dask:
    """Tasks on a Dask cluster (a LocalCluster of ``jobs`` processes, or ``scheduler``)."""

    def __init__(self, jobs: int | None, scheduler: str | None, scorer: Scorer):
        self.client, self._cluster = dask_client(jobs or 2, scheduler)
        # one copy of the driver's scorer on every worker, shared by all its tasks
        self._scorer = self.client.scatter(scorer, broadcast=True, hash=False)

    def submit(self, texts: list, seconds: float | None = None, what: str = ""):
        # in a worker's thread no timer signal reaches it: the driver's clock stops it (close(kill=True))
        return self.client.submit(score_texts, texts, self._scorer, pure=False)

    def close(self, cancel: bool = False, kill: bool = False) -> None:
        end_dask(self.client, self._cluster)  # closing the client releases its tasks


def make_engine(engine: str, jobs: int | None, scheduler: str | None, scorer: Scorer | None, rows: int):
    """``(engine object, number of workers)`` for ``score_file``'s arguments.

    ``local``: ``jobs`` processes (default all cores, but in-process for at most
    :data:`SMALL_INPUT` rows, where starting workers costs more than scoring);
    ``dask``: ``jobs`` workers (default 2) or the cluster at ``scheduler``.
    """
    scorer = scorer or default_scorer()
    if engine == "dask":
        return Dask(jobs, scheduler, scorer), jobs or 2
    workers = jobs or os.cpu_count() or 1
    if jobs is None and rows <= SMALL_INPUT:
        workers = 1
    return (InProcess(scorer), 1) if workers == 1 else (Pool(workers, scorer), workers)
