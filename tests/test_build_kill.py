"""A build killed with ``kill -9`` leaves no process behind, and the next build takes over its locks.

The build runs the real command line in a subprocess, on a small corpus cut into several
partitions with ``--jobs 2`` (so a pool of worker processes is running), and is killed
while its workers run.  Its worker processes used to survive it (their parent gone),
holding copies of the folder locks: the next build then stopped with exit status 75.
"""
from __future__ import annotations

import os
import signal
import subprocess
import time
from pathlib import Path

from _buildkit import CLI, FAST, ROOT, cli_env, run_build, two_outlet_corpus

from alliance_study.report.lock import holder, lock_path


def _children() -> dict[int, int]:
    """pid -> parent pid of every process (from /proc)."""
    out = {}
    for d in Path("/proc").iterdir():
        if d.name.isdigit():
            try:
                stat = (d / "stat").read_text()
            except OSError:
                continue
            out[int(d.name)] = int(stat.rsplit(")", 1)[1].split()[1])
    return out


def _descendants(pid: int) -> set[int]:
    parents = _children()
    found, todo = set(), [pid]
    while todo:
        p = todo.pop()
        for child, parent in parents.items():
            if parent == p and child not in found:
                found.add(child)
                todo.append(child)
    return found


def _running(pid: int) -> bool:
    """Alive and not a zombie (an orphan's zombie may wait a while for a reaper)."""
    try:
        os.kill(pid, 0)
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state != "Z"


def one_quick_notebook(folder: Path) -> Path:
    """A folder of one fast numbered notebook: it lists the processed tables and writes one figure."""
    import nbformat

    folder.mkdir(parents=True)
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "alliance-study", "display_name": "Python (alliance-study)",
                                 "language": "python"}
    params = nbformat.v4.new_code_cell('processed_dir = ""\nfigures_dir = ""\ngroup_by = "outlet"\n'
                                       'n_boot = 1000\nn_perm = 1000')
    params.metadata["tags"] = ["parameters"]
    nb.cells = [params, nbformat.v4.new_code_cell(
        "import os, pathlib\nprint(sorted(os.listdir(processed_dir))[:3])\n"
        "pathlib.Path(figures_dir, '01_tables.svg').write_text('<svg>' + ' '.join(sorted(os.listdir(processed_dir)))"
        " + '</svg>')")]
    nbformat.write(nb, folder / "01_quick.ipynb")
    return folder


def test_kill_9_leaves_no_worker_and_the_next_build_takes_over(tmp_path, monkeypatch):
    monkeypatch.setenv("ALLIANCE_STUDY_CACHE", str(tmp_path / "cache"))
    raw = two_outlet_corpus(tmp_path / "raw", n=120)
    nbs = one_quick_notebook(tmp_path / "nbs")
    out, proc = tmp_path / "out", tmp_path / "proc"
    args = ["--raw-dir", raw, "--output-dir", out, "--processed-dir", proc, "--notebooks-dir", nbs,
            "-p", "group_by", "outlet", *FAST]
    build = subprocess.Popen([str(CLI), "build", *map(str, args), "--jobs", "2", "--partition-size", "10"],
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env=cli_env(),
                             cwd=ROOT)
    seen: set[int] = set()
    try:
        end = time.monotonic() + 120
        while time.monotonic() < end and build.poll() is None:
            seen |= _descendants(build.pid)
            # the pool's two workers (and the kernels' helper): kill the build while they run
            if len(_descendants(build.pid)) >= 3:
                break
            time.sleep(0.05)
        assert build.poll() is None, f"the build ended before its workers were seen: {build.stderr.read()}"
        seen |= _descendants(build.pid)
        assert holder(lock_path(out)).get("pid") == build.pid
        build.send_signal(signal.SIGKILL)
        build.wait(timeout=30)
        end = time.monotonic() + 20
        while time.monotonic() < end and any(_running(p) for p in seen):
            time.sleep(0.1)
        left = sorted(p for p in seen if _running(p))
        assert not left, [Path(f"/proc/{p}/cmdline").read_bytes()[:120] for p in left]
    finally:
        if build.poll() is None:
            build.kill()
            build.wait()
        for p in seen:  # never leave a process of this test behind, even when it fails
            if _running(p):
                os.kill(p, signal.SIGKILL)
    r = run_build(*args, "--jobs", "2", "--partition-size", "10", timeout=300)
    assert r.returncode == 0, r.stderr
    assert r.stderr.count("took over the stale lock") == 1, r.stderr
    assert f"left by build pid {build.pid}" in r.stderr and str(out) in r.stderr and str(proc) in r.stderr
    assert (out / "framing_report.html").is_file()
