"""Build control: the cell time limit, one build per output folder (lock), progress output.

These run the real ``alliance-study build`` in subprocesses.  The lock tests use a
one-notebook folder whose cell sleeps, so that a build is reliably "running" while
another starts; every process they start is ended by the test.
"""
from __future__ import annotations

import io
import json
import os
import shutil
import signal
import subprocess
import time
from pathlib import Path

import nbformat
import pytest

from _buildkit import CLI, FAST, ROOT, cli_env, fake_previous_outputs, run_build, tree_hashes

from alliance_study.report.lock import LOCKED_EXIT, BuildLocked, FolderLock, holder, lock_path
from alliance_study.report.progress import Progress

NB_DIR = ROOT / "notebooks"


def _one_notebook(folder: Path, name: str, parameters: str, code: str) -> Path:
    """``folder/name``: a numbered notebook with a ``parameters`` cell, then one code cell."""
    folder.mkdir(parents=True)
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "alliance-study", "display_name": "Python (alliance-study)",
                                 "language": "python"}
    params = nbformat.v4.new_code_cell(parameters)
    params.metadata["tags"] = ["parameters"]
    nb.cells = [params, nbformat.v4.new_code_cell(code)]
    nbformat.write(nb, folder / name)
    return folder / name


def _sleepy_notebooks(folder: Path, seconds: int = 600) -> Path:
    """One numbered notebook: a parameters cell, then a cell that records its pid and sleeps."""
    _one_notebook(folder, "01_sleep.ipynb", 'raw_dir = ""\nprocessed_dir = ""\npid_file = ""',
                  "import os, time\n"
                  "if pid_file:\n"
                  "    open(pid_file, 'w').write(str(os.getpid()))\n"
                  f"time.sleep({seconds})")
    return folder


def _start(raw, out, proc, nbs, *extra) -> subprocess.Popen:
    return subprocess.Popen([str(CLI), "build", "--raw-dir", str(raw), "--output-dir", str(out),
                             "--processed-dir", str(proc), "--notebooks-dir", str(nbs), *map(str, extra)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=cli_env(), cwd=ROOT)


def _kill_pid_file(pid_file: Path) -> None:
    """End a kernel left sleeping by a killed build (its pid was written by the notebook)."""
    if pid_file.is_file():
        try:
            os.kill(int(pid_file.read_text()), signal.SIGKILL)
        except (ProcessLookupError, ValueError):
            pass


def _wait_for(cond, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not cond():
        if time.monotonic() > deadline:
            pytest.fail(f"timed out waiting for {what}")
        time.sleep(0.2)


# ------------------------------------------------------------------ cell time limit
@pytest.mark.slow
def test_cell_timeout_stops_build_names_cell_keeps_previous_report(tmp_path, raw_dir):
    nbs = tmp_path / "notebooks"
    shutil.copytree(NB_DIR, nbs, ignore=shutil.ignore_patterns("*.py", ".ipynb_checkpoints"))
    nb = nbformat.read(nbs / "02_metrics.ipynb", as_version=4)
    pos = next(i for i, c in enumerate(nb.cells) if "parameters" in c.metadata.get("tags", [])) + 1
    nb.cells.insert(pos, nbformat.v4.new_code_cell("import time\ntime.sleep(600)"))
    nbformat.write(nb, nbs / "02_metrics.ipynb")
    before_out, before_proc = fake_previous_outputs(tmp_path / "out", tmp_path / "proc")
    t = time.monotonic()
    r = run_build("--raw-dir", raw_dir, "--output-dir", tmp_path / "out", "--processed-dir", tmp_path / "proc",
                  "--notebooks-dir", nbs, "--cell-timeout", "10", *FAST, timeout=300)
    took = time.monotonic() - t
    assert r.returncode == 1, r.stderr
    assert "02_metrics.ipynb" in r.stderr and f"cell {pos + 1} of {len(nb.cells)}" in r.stderr
    assert "time limit of 10 s" in r.stderr and "--cell-timeout" in r.stderr and "time.sleep(600)" not in r.stderr
    assert "Traceback" not in r.stderr
    # 01 runs first (about 10-20 s on a quiet machine); the sleeping cell is stopped after 10 s
    assert took < 60 + 30, f"{took:.0f} s"
    kept = tmp_path / "out" / "failed" / "02_metrics.ipynb"
    assert kept.is_file() and "time.sleep(600)" in kept.read_text()
    after = tree_hashes(tmp_path / "out")
    assert {k: v for k, v in after.items() if not k.startswith("failed/")} == before_out
    assert tree_hashes(tmp_path / "proc") == before_proc


def test_cell_timeout_must_be_positive(tmp_path):
    from alliance_study.errors import ParameterError
    from alliance_study.report import build

    with pytest.raises(ParameterError, match="cell_timeout"):
        build(output_dir=tmp_path / "o", processed_dir=tmp_path / "p", cell_timeout=-1)


# ------------------------------------------------------------------ lock
def test_lock_excludes_a_second_holder_and_names_the_first(tmp_path):
    folder = tmp_path / "reports"
    with FolderLock(folder) as first:
        info = holder(first.path)
        assert info["pid"] == os.getpid() and info["host"]
        # flock locks belong to the open file: a second open in another process is refused
        code = ("import sys; from alliance_study.report.lock import FolderLock, BuildLocked\n"
                f"try:\n    FolderLock({str(folder)!r}).acquire()\nexcept BuildLocked as e:\n"
                "    print(e); sys.exit(e.exit_code)\n")
        r = subprocess.run([str(Path(CLI).parent / "python"), "-c", code], capture_output=True, text=True, timeout=120)
        assert r.returncode == LOCKED_EXIT
        assert f"build pid {os.getpid()}" in r.stdout and "running since" in r.stdout and "--wait" in r.stdout
    assert holder(lock_path(folder)) == {}  # released: nothing left to report


@pytest.mark.slow
def test_two_builds_at_once_one_exits_75_naming_the_other(tmp_path, raw_dir):
    nbs = _sleepy_notebooks(tmp_path / "nbs", seconds=600)
    out, proc = tmp_path / "out", tmp_path / "proc"
    pid_file = tmp_path / "kernel.pid"
    a = _start(raw_dir, out, proc, nbs, "-p", "pid_file", pid_file, "--cell-timeout", "120")
    b = _start(raw_dir, out, proc, nbs, "-p", "pid_file", pid_file, "--cell-timeout", "120")
    try:
        # the loser exits at once (well before the winner's sleeping cell could end)
        _wait_for(lambda: a.poll() is not None or b.poll() is not None, 90, "one build to exit")
        loser, winner = (a, b) if a.poll() is not None else (b, a)
        err = loser.communicate(timeout=30)[1]
        assert loser.returncode == LOCKED_EXIT, err
        assert f"build pid {winner.pid}" in err and "running since" in err and "--wait" in err
        assert "Traceback" not in err
        assert winner.poll() is None  # still running
    finally:
        for p in (a, b):
            if p.poll() is None:
                p.send_signal(signal.SIGINT)
        for p in (a, b):
            try:
                p.communicate(timeout=60)
            except subprocess.TimeoutExpired:
                p.kill()
                p.communicate()
        _kill_pid_file(pid_file)


@pytest.mark.slow
def test_lock_of_a_killed_build_is_taken_over(tmp_path, raw_dir):
    sleepy = _sleepy_notebooks(tmp_path / "sleepy", seconds=600)
    quick = _sleepy_notebooks(tmp_path / "quick", seconds=0)
    out, proc = tmp_path / "out", tmp_path / "proc"
    pid_file = tmp_path / "kernel.pid"
    a = _start(raw_dir, out, proc, sleepy, "-p", "pid_file", pid_file)
    try:
        _wait_for(pid_file.is_file, 120, "the first build's notebook to start")
        assert holder(lock_path(out))["pid"] == a.pid
        a.send_signal(signal.SIGKILL)
        a.communicate(timeout=30)
    finally:
        if a.poll() is None:
            a.kill()
            a.communicate()
        _kill_pid_file(pid_file)
    assert holder(lock_path(out))["pid"] == a.pid  # the dead build's lock file is still there
    assert [p for p in tmp_path.iterdir() if ".build-" in p.name]  # and its staging folder
    t = time.monotonic()
    r = run_build("--raw-dir", raw_dir, "--output-dir", out, "--processed-dir", proc, "--notebooks-dir", quick,
                  timeout=300)
    assert r.returncode == 0, r.stderr
    # said once, naming both folders (it used to come twice, the same line, with no folder)
    assert r.stderr.count("took over the stale lock") == 1, r.stderr
    assert f"took over the stale locks of {out} and {proc}, left by build pid {a.pid}" in r.stderr
    assert (out / "framing_report.html").is_file() and time.monotonic() - t < 240
    assert not [p for p in tmp_path.iterdir() if ".build-" in p.name]


def test_wait_queues_behind_the_holder(tmp_path):
    folder = tmp_path / "reports"
    notes = []
    first = FolderLock(folder).acquire()
    code = ("from alliance_study.report.lock import FolderLock\n"
            f"with FolderLock({str(folder)!r}, wait=True, say=print, poll=0.1):\n    print('got it')\n")
    p = subprocess.Popen([str(Path(CLI).parent / "python"), "-c", code], stdout=subprocess.PIPE, text=True)
    try:
        line = p.stdout.readline()
        notes.append(line)
        assert "waiting for build pid" in line
        assert p.poll() is None
    finally:
        first.release()
    assert p.communicate(timeout=60)[0].strip().endswith("got it") and p.returncode == 0
    with pytest.raises(BuildLocked):
        with FolderLock(folder):
            FolderLock(folder).acquire()


# ------------------------------------------------------------------ progress
def test_progress_lines_when_not_a_terminal():
    out = io.StringIO()
    p = Progress(stream=out, tty=False)
    with p.stage("load corpus") as st:
        st.note("5 articles")
    with p.notebook(1, 2, "01_corpus.ipynb") as nb:
        assert nb.bar is False  # papermill draws no bar
    lines = out.getvalue().splitlines()
    assert lines[0].startswith("alliance-study build: load corpus ") and lines[0].endswith(" s (5 articles)")
    assert lines[1].startswith("alliance-study build: [1/2] 01_corpus.ipynb ") and lines[1].endswith(" s")


def test_progress_bars_on_a_terminal():
    out = io.StringIO()
    p = Progress(stream=out, tty=True)
    with p.stage("score sentences") as st:
        st.note("239 sentences")
    with p.notebook(2, 4, "02_metrics.ipynb") as nb:
        assert nb.bar["desc"] == "[2/4] 02_metrics.ipynb" and nb.bar["file"] is out
    text = out.getvalue()
    assert "score sentences" in text and "239 sentences" in text and "\r" in text
    assert "alliance-study build:" not in text  # bars, not log lines


def test_failed_stage_prints_no_time():
    out = io.StringIO()
    with pytest.raises(RuntimeError):
        with Progress(stream=out, tty=False).stage("compare groups"):
            raise RuntimeError("boom")
    assert out.getvalue() == ""


@pytest.mark.slow
def test_build_manifest_records_cell_timeout_and_data_files(tmp_path, raw_dir):
    """A built report's manifest says which limit applied and which data files were used."""
    quick = _sleepy_notebooks(tmp_path / "quick", seconds=0)
    # a corpus folder, not ./study.yaml: these notebooks declare none of the pilot's parameters
    r = run_build("--raw-dir", raw_dir, "--output-dir", tmp_path / "out", "--processed-dir", tmp_path / "proc", "--notebooks-dir", quick,
                  "--cell-timeout", "300", timeout=300)
    assert r.returncode == 0, r.stderr
    m = json.loads((tmp_path / "out" / "manifest.json").read_text())
    assert m["build"]["cell_timeout"] == 300
    assert "lexicons/hedges.yaml" in m["data_files"]
    assert not lock_path(tmp_path / "out").read_text()


@pytest.mark.slow
def test_processed_folder_on_another_file_system(tmp_path, raw_dir):
    """The processed tables were staged beside the report folder and moved with rename: with the report on
    disk and the tables on tmpfs, every build failed at the very end ('Invalid cross-device link')."""
    import tempfile

    shm = Path("/dev/shm")
    if not shm.is_dir() or os.stat(shm).st_dev == os.stat(tmp_path).st_dev:
        pytest.skip("needs /dev/shm on another file system than the test's folder")
    quick = _sleepy_notebooks(tmp_path / "quick", seconds=0)
    proc = Path(tempfile.mkdtemp(dir=shm)) / "proc"
    try:
        r = run_build("--raw-dir", raw_dir, "--output-dir", tmp_path / "out", "--processed-dir", proc,
                      "--notebooks-dir", quick, timeout=300)
        assert r.returncode == 0, r.stderr
        assert (proc / "manifest.json").is_file() and (tmp_path / "out" / "manifest.json").is_file()
        assert not list(proc.parent.glob(".proc.build-*")) and not list(tmp_path.glob(".out.build-*"))
    finally:
        shutil.rmtree(proc.parent, ignore_errors=True)


# ------------------------------------------------------------------ warm kernels
_PROBE = ("import json, os, sys\n"
          "probe = {'pandas_loaded': 'pandas' in sys.modules, 'own_session': os.getsid(0) == os.getpid(),\n"
          "         'cwd': os.getcwd(), 'hashseed': os.environ.get('PYTHONHASHSEED'), 'marker': os.environ.get(marker),\n"
          "         'path0': sys.path[0], 'parent_alive': os.getppid() != 1}\n"
          "open(out_file, 'w').write(json.dumps(probe))\n"
          "import pandas as pd")


def _probe_notebook(folder: Path) -> Path:
    return _one_notebook(folder, "01_probe.ipynb", 'out_file = ""\nmarker = ""', _PROBE)


def _run_probe(nb: Path, tmp_path: Path, name: str, warm, monkeypatch) -> dict:
    from alliance_study.report.execute import execute_notebook, kernel_env

    monkeypatch.setenv("ALS_TEST_MARKER", name)  # the environment at the kernel's start reaches the kernel
    ipc = tmp_path / f"ipc-{name}"
    ipc.mkdir()
    with kernel_env():
        execute_notebook(nb, tmp_path / f"{name}.ipynb", {"out_file": str(tmp_path / f"{name}.json"),
                                                          "marker": "ALS_TEST_MARKER"},
                         cwd=nb.parent, failed_dir=tmp_path / "failed", ipc_dir=ipc, cell_timeout=120, warm=warm)
    return json.loads((tmp_path / f"{name}.json").read_text())


def test_warm_kernel_has_the_notebooks_modules_and_is_otherwise_a_fresh_kernel(tmp_path, monkeypatch):
    from alliance_study.report.execute import KERNEL_ENV
    from alliance_study.report.kernels import WarmKernels

    nb = _probe_notebook(tmp_path / "nbs")
    cold = _run_probe(nb, tmp_path, "cold", None, monkeypatch)
    with WarmKernels([nb], {**os.environ, **KERNEL_ENV}) as warm:
        hot = _run_probe(nb, tmp_path, "hot", warm, monkeypatch)
    assert cold["pandas_loaded"] is False  # a kernel started the usual way imports pandas in the cell
    assert hot["pandas_loaded"] is True    # the forked one has it (the notebook imports it)
    for key in ("own_session", "cwd", "hashseed", "parent_alive"):
        assert hot[key] == cold[key], key
    assert hot["own_session"] and hot["hashseed"] == "0" and Path(hot["cwd"]) == nb.parent.resolve()
    assert (cold["marker"], hot["marker"]) == ("cold", "hot")
    assert hot["path0"] == cold["path0"]


def test_kernels_start_the_usual_way_when_the_helper_is_gone(tmp_path, monkeypatch):
    from alliance_study.report.execute import KERNEL_ENV
    from alliance_study.report.kernels import WarmKernels

    nb = _probe_notebook(tmp_path / "nbs")
    warm = WarmKernels([nb], {**os.environ, **KERNEL_ENV})
    warm.close()
    assert warm.start("x.json", tmp_path, dict(os.environ)) is None
    probe = _run_probe(nb, tmp_path, "after", warm, monkeypatch)
    assert probe["pandas_loaded"] is False and probe["own_session"]


def test_small_corpus_starts_the_helper_early_a_large_one_after_processing(tmp_path, monkeypatch, raw_dir):
    from alliance_study.report import schedule
    from alliance_study.report.study import folder_study

    seeds = folder_study(raw_dir)
    assert schedule.small_corpus(seeds)
    monkeypatch.setattr(schedule, "SMALL_CORPUS_FILES", 2)  # the seed folder has more files than that
    assert not schedule.small_corpus(seeds)
    monkeypatch.setattr(schedule, "SMALL_CORPUS_FILES", 10**6)
    monkeypatch.setattr(schedule, "SMALL_CORPUS_BYTES", 100)  # and more bytes
    assert not schedule.small_corpus(seeds)


def test_a_report_folder_that_is_a_mount_point_is_refused_before_any_work(tmp_path, raw_dir, monkeypatch):
    """A volume mounted at reports/ (CI, Docker) cannot be replaced by a rename: the build failed at the
    very end ('Device or resource busy') with the processed tables already replaced."""
    from alliance_study.errors import InputError
    from alliance_study.report import orchestrate
    from alliance_study.report.study import folder_study

    out = (tmp_path / "mnt").resolve()
    out.mkdir()
    monkeypatch.setattr(orchestrate.os.path, "ismount", lambda p: Path(p) == out)
    with pytest.raises(InputError, match=r"mount point.*Fix: write the report into a folder inside it"):
        orchestrate._paths(folder_study(raw_dir), tmp_path / "proc", out, None)


def test_a_processed_folder_that_is_a_file_is_refused_before_any_work(tmp_path, raw_dir):
    """It passed --check, then the build failed after every stage had run ('File exists')."""
    from alliance_study.errors import InputError
    from alliance_study.report import orchestrate
    from alliance_study.report.study import folder_study

    (tmp_path / "afile.txt").write_text("x")
    with pytest.raises(InputError, match=r"afile.txt: the processed-tables folder is a file.*Fix"):
        orchestrate._paths(folder_study(raw_dir), tmp_path / "afile.txt", tmp_path / "out", None)
