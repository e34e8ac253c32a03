"""Time limits hold on every engine: a piece of work that never returns stops the build (or ``score``)
with a message naming it, within a bounded time, and leaves no worker process behind.

The rule used is one the load-time check cannot see through (each repeat starts with a capital
letter, but a run of letters can be split in every way): on a line of 40 capitals it backtracks
for hours.  Dask runs tasks in worker threads, where no timer signal can stop them, so before the
driver kept its own clock a build with ``--engine dask`` waited for that partition forever.
"""
from __future__ import annotations

import os
import time

import psutil
import pytest
import yaml

from alliance_study.cli import main
from alliance_study.report import partitions, process_corpus
from alliance_study.scale.limits import TIME_LIMIT_ENV, TaskTimeout
from alliance_study.scale.tasks import map_ordered

#: a line on which ``BACKTRACKS`` tries every way of splitting 40 capitals (hours)
LONG_LINE = "Most ABCDEFGHIJKLMNOPQRSTUVWXYZABCDEFGHIJKLMN, zqxplan and the companies"
BACKTRACKS = r"([A-Z]\w*\s*)+$"


@pytest.fixture
def hanging_study(tmp_path, capsys):
    """A new study (``alliance-study init``) whose first article holds a line on which a frames rule backtracks."""
    d = tmp_path / "study"
    assert main(["init", str(d)]) == 0
    capsys.readouterr()
    corpus = d / "data" / "corpus.jsonl"
    text = corpus.read_text(encoding="utf-8")
    assert text.splitlines()[0].count("Most of the companies") == 1  # the first article (first partition)
    corpus.write_text(text.replace("Most of the companies", LONG_LINE, 1), encoding="utf-8")
    path = d / "lexicons" / "frames.yaml"
    frames = yaml.safe_load(path.read_text(encoding="utf-8"))
    next(iter(frames["categories"].values()))["cues"].append({"cue": "zqxplan", "exclude_before": BACKTRACKS})
    path.write_text(yaml.safe_dump(frames, sort_keys=False), encoding="utf-8")
    return d


#: helpers Python's multiprocessing starts once per process and keeps until that process ends (no workers)
_SINGLETONS = ("multiprocessing.resource_tracker", "multiprocessing.forkserver")


def _descendants() -> set[int]:
    """This process's descendants, but for multiprocessing's own per-process helpers."""
    out = set()
    for p in psutil.Process(os.getpid()).children(recursive=True):
        try:
            if not any(name in " ".join(p.cmdline()) for name in _SINGLETONS):
                out.add(p.pid)
        except psutil.Error:  # ended meanwhile
            pass
    return out


def _gone(pids: set[int], within: float = 10.0) -> set[int]:
    """Those of ``pids`` still running after ``within`` seconds (zombies count as ended)."""
    end = time.monotonic() + within
    alive = set(pids)
    while alive and time.monotonic() < end:
        alive = {p for p in alive if psutil.pid_exists(p) and psutil.Process(p).status() != psutil.STATUS_ZOMBIE}
        time.sleep(0.2)
    return alive


@pytest.mark.parametrize("engine", ["dask", "local"])
def test_a_partition_that_never_returns_stops_the_build(hanging_study, tmp_path, monkeypatch, engine):
    """On Dask only the driver's clock can stop it; in a local pool the worker's timer signal does."""
    monkeypatch.setenv(TIME_LIMIT_ENV, "8")
    before = _descendants()
    t = time.monotonic()
    with pytest.raises(partitions.PartitionTimeout,
                       match=r"partition 1 \(articles ex-001 to ex-002\) ran longer than 8 s.*Fix:.*"
                             + TIME_LIMIT_ENV):
        process_corpus(hanging_study / "study.yaml", tmp_path / "p", engine=engine, jobs=2, partition_size=2,
                       news_sentiment=False, n_boot=20, n_perm=0, cache_dir=tmp_path / "cache")
    assert time.monotonic() - t < 60
    assert _gone(_descendants() - before) == set()  # the local cluster's workers and nannies, or the pool, ended


def _sleep_or_square(x: int) -> int:
    if x < 0:
        while True:  # never returns (and is no regular expression: no signal stops it in a thread)
            time.sleep(0.05)
    return x * x


class _Limited(int):
    """An item that says its own time limit and what to raise past it (as the build's partitions do)."""

    @property
    def time_limit(self) -> float | None:
        return 3.0 if self < 0 else None  # the others may wait for the workers to start (seconds when busy)

    def timed_out(self, seconds: float) -> Exception:
        return RuntimeError(f"item {int(self)} ran past {seconds:g} s")


@pytest.mark.parametrize("engine, items, timeout, error, message", [
    ("local", [1, 2, -1, 4], lambda item: 3.0 if item < 0 else None, TaskTimeout,
     r"task 3 of the work ran longer than 3 s.*Fix:"),
    # the item's own limit and error, when it has them (as the build's partitions do)
    ("dask", [_Limited(2), _Limited(-5), _Limited(3)], None, RuntimeError, "item -5 ran past 3 s"),
])
def test_map_ordered_stops_waiting_for_a_task_past_its_limit_and_ends_its_workers(engine, items, timeout, error,
                                                                                  message):
    before = _descendants()
    t = time.monotonic()
    with pytest.raises(error, match=message):
        list(map_ordered(_sleep_or_square, items, engine=engine, jobs=2, timeout=timeout))
    assert time.monotonic() - t < 40
    assert _gone(_descendants() - before) == set()  # the pool's or the local cluster's processes ended


def test_a_slow_earlier_task_does_not_eat_a_later_tasks_time():
    """Each task's clock starts when the driver starts waiting for it (all before it are done),
    never at its submission: eight tasks of 1.2 s on two workers, all submitted at once, a limit
    of 2 s (the last one ends about 4.8 s after its submission); the first two, which wait for
    the workers to start, have no limit."""
    out = list(map_ordered(_nap, list(enumerate([1.2] * 8)), engine="local", jobs=2, window=8,
                           timeout=lambda item: 2.0 if item[0] >= 2 else None))
    assert out == [1.2] * 8


def _nap(item: tuple[int, float]) -> float:
    time.sleep(item[1])
    return item[1]


def _die_or_square(x: int) -> int:
    if x < 0:
        os.kill(os.getpid(), 9)  # as the out-of-memory killer does
    return x * x


def test_a_pool_worker_that_dies_without_answering_is_said_with_a_fix():
    from alliance_study.scale.limits import WorkerLost

    before = _descendants()
    with pytest.raises(WorkerLost, match=r"ended without answering.*Fix: run again with fewer jobs"):
        list(map_ordered(_die_or_square, [1, -1, 2, 3], engine="local", jobs=2))
    assert _gone(_descendants() - before) == set()


@pytest.mark.parametrize("engine, jobs", [("local", 1), ("local", 2), ("dask", 2)])
def test_score_stops_a_piece_that_never_returns_naming_its_rows(hanging_study, tmp_path, monkeypatch, engine, jobs):
    """``alliance-study score`` with the study's frames: in this process, in a pool, on Dask."""
    import pandas as pd

    from alliance_study.metrics import Scorer
    from alliance_study.scale import score_file

    monkeypatch.setenv(TIME_LIMIT_ENV, "4")
    # the first row: the first pieces also wait for the workers to start, which takes seconds on a busy machine
    texts = [f"{LONG_LINE}.", "It may rain.", "Prices rose.", "Most of the companies agreed."]
    pd.DataFrame({"text": texts}).to_csv(tmp_path / "in.csv", index=False)
    scorer = Scorer(frames=str(hanging_study / "lexicons" / "frames.yaml"))
    before = _descendants()
    t = time.monotonic()
    with pytest.raises(TaskTimeout, match=r"rows 1 to [12] of .*in\.csv took longer than 4 s.*Fix:.*" + TIME_LIMIT_ENV):
        score_file(tmp_path / "in.csv", tmp_path / "out.csv", engine=engine, jobs=jobs, chunksize=2,
                   progress=False, scorer=scorer)
    assert time.monotonic() - t < 60
    assert not (tmp_path / "out.csv").exists()  # nothing half written
    assert _gone(_descendants() - before) == set()


class _DoneButStuck:
    """A future that says it is done but whose result never arrives (a Dask result left on a worker whose
    thread is stuck in a rule): every fetch without a limit would wait for ever."""

    def __init__(self) -> None:
        self.calls: list[float | None] = []

    def done(self) -> bool:
        return True

    def _fetch(self, timeout=None):
        self.calls.append(timeout)
        if timeout is None:
            raise AssertionError("fetched without a time limit: this would hang")
        raise TimeoutError

    result = exception = _fetch


def test_a_done_future_whose_result_never_comes_expires_instead_of_hanging():
    from alliance_study.scale.limits import wait

    fut = _DoneButStuck()
    with pytest.raises(TaskTimeout, match="too slow"):
        wait(fut, 0.05, lambda: TaskTimeout("too slow"))
    assert fut.calls and None not in fut.calls
