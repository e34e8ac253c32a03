"""Engines: where pieces of texts are scored -- this process, a process pool, or Dask.

Every engine has the same two methods: ``submit(texts)`` returns a future whose
``result()`` is :func:`~alliance_study.scale.columns.score_texts` of those texts,
and ``close(cancel)``.  The driver (:func:`~alliance_study.scale.score.score_file`)
reads, submits and writes in input order, so every engine gives the same output.

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
>>> workers, ex.submit(["It may rain."]).result()["hedged"].tolist()
(1, [True])
>>> ex.close()
"""
from __future__ import annotations

import os
import pickle

from ..metrics import Scorer, default_scorer
from .columns import score_texts
from .tasks import Ready, dask_client, process_pool

#: with the default ``jobs`` (all cores), inputs of at most this many rows are scored in-process
SMALL_INPUT = 2_000

#: the scorer of a pool worker process, sent once by the driver (pool initializer)
_WORKER_SCORER: Scorer | None = None


def _init_worker(scorer_bytes: bytes) -> None:
    global _WORKER_SCORER
    _WORKER_SCORER = pickle.loads(scorer_bytes)


def _score_in_worker(texts: list) -> dict:
    return score_texts(texts, _WORKER_SCORER)


class InProcess:
    """Score in this process."""

    def __init__(self, scorer: Scorer | None):
        self.scorer = scorer

    def submit(self, texts: list) -> Ready:
        return Ready(score_texts(texts, self.scorer))

    def close(self, cancel: bool = False) -> None:
        pass


class Pool:
    """A pool of ``jobs`` worker processes, each with a copy of ``scorer``."""

    def __init__(self, jobs: int, scorer: Scorer):
        self._ex = process_pool(jobs, ["alliance_study.metrics", "alliance_study.scale.engines"],
                                initializer=_init_worker, initargs=(pickle.dumps(scorer),))

    def submit(self, texts: list):
        return self._ex.submit(_score_in_worker, texts)

    def close(self, cancel: bool = False) -> None:
        self._ex.shutdown(wait=True, cancel_futures=cancel)


class Dask:
    """Tasks on a Dask cluster (a LocalCluster of ``jobs`` processes, or ``scheduler``)."""

    def __init__(self, jobs: int | None, scheduler: str | None, scorer: Scorer):
        self.client, self._cluster = dask_client(jobs or 2, scheduler)
        # one copy of the driver's scorer on every worker, shared by all its tasks
        self._scorer = self.client.scatter(scorer, broadcast=True, hash=False)

    def submit(self, texts: list):
        return self.client.submit(score_texts, texts, self._scorer, pure=False)

    def close(self, cancel: bool = False) -> None:
        self.client.close()
        if self._cluster is not None:
            self._cluster.close()


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
