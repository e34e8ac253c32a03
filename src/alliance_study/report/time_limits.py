"""The time limit of a partition: a build fails loudly, naming the partition, and never hangs.

A partition may take :func:`partition_time_limit` seconds (generous: it exists only to
stop a hang), or ``$ALLIANCE_STUDY_PARTITION_TIMEOUT`` (0: no limit).  Two clocks
hold it, whatever the engine:

* in the process that runs it, when that is a main thread (this process with
  ``--jobs 1``, a local pool's worker): :func:`time_limit`, a timer signal that stops
  even a regular expression backtracking without end;
* in the driver (:func:`alliance_study.scale.tasks.map_ordered`), for every engine: a
  task it has waited for past its limit (:attr:`Task.time_limit
  <alliance_study.report.partitions.Task.time_limit>`) is cancelled, the workers of a
  local pool or local Dask cluster are ended, and the partition's
  :class:`PartitionTimeout` is raised.  This is what stops a partition in a Dask
  worker's thread, where no signal reaches it.

Both say the same: which partition, why it may be slow, and the fix.

>>> print(timed_out_message("partition 2 (articles a to b)", 60))  # doctest: +ELLIPSIS
partition 2 (articles a to b) ran longer than 60 s and was stopped. ... Fix: ... set ALLIANCE_STUDY_PARTITION_TIMEOUT (seconds).
"""
from __future__ import annotations

import contextlib
from typing import Iterator

from ..scale.limits import TIME_LIMIT_ENV, TaskTimeout, alarm, time_limit_setting

__all__ = ["PartitionTimeout", "partition_time_limit", "time_limit", "timed_out_message", "TIME_BASE",
           "TIME_PER_ARTICLE", "TIME_LIMIT_ENV"]

#: seconds a partition may take before the build stops it: this much, plus TIME_PER_ARTICLE for each article
TIME_BASE = 900.0
TIME_PER_ARTICLE = 2.0


class PartitionTimeout(TaskTimeout):
    """A partition ran past its time limit (:func:`time_limit`, or the driver's clock)."""


def partition_time_limit(n_articles: int) -> float:
    """Seconds one partition of ``n_articles`` may take: generous (a partition of 2,000 news
    articles takes well under a minute), only there so that a build never hangs;
    ``$ALLIANCE_STUDY_PARTITION_TIMEOUT`` instead when it is set (0: no limit).

    >>> partition_time_limit(2000)
    4900.0

    Raises
    ------
    InputError
        The environment variable holds no number.
    """
    return time_limit_setting(TIME_BASE + TIME_PER_ARTICLE * n_articles)


def timed_out_message(what: str, seconds: float) -> str:
    """What :class:`PartitionTimeout` says of ``what`` (a partition) stopped after ``seconds``."""
    return (f"{what} ran longer than {seconds:g} s and was stopped. A rule's regular expression (roles.yaml, or "
            f"the context rules of a lexicon) may be backtracking without end on a long line, or an article is "
            f"extremely long. Fix: check the rules the study edited (e.g. (\\w+\\s?)+ -> (\\w+\\s)+) and the "
            f"longest articles; to allow more time, set {TIME_LIMIT_ENV} (seconds).")


@contextlib.contextmanager
def time_limit(seconds: float, what: str) -> Iterator[None]:
    """Raise :class:`PartitionTimeout` if the block runs longer than ``seconds`` (0: no limit).

    Python's regular expressions cannot be stopped from outside a match, but they check for
    signals: a timer signal stops a rule that backtracks without end.  Only in a process's
    main thread (local workers and ``--jobs 1``; not in Dask's worker threads, where the
    driver's clock stops the partition), on POSIX (:func:`alliance_study.scale.limits.alarm`).

    >>> with time_limit(0.05, "partition 1"):
    ...     while True:
    ...         pass
    Traceback (most recent call last):
    alliance_study.report.time_limits.PartitionTimeout: partition 1 ran longer than 0.05 s and was stopped. ...
    """
    with alarm(seconds, lambda: PartitionTimeout(timed_out_message(what, seconds))):
        yield
