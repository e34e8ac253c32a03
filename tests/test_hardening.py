"""Build-level hardening: parameter checking, failing notebooks, interruption, no network, corpus errors."""
from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pytest

from _buildkit import CLI, FAST, ROOT, cli_env, copy_raw, fake_previous_outputs, run_build, tree_hashes

from alliance_study.errors import ParameterError
from alliance_study.report import notebook_parameters, resolve_parameters

NB_DIR = ROOT / "notebooks"


# ------------------------------------------------------------- parameters
def test_parameters_are_coerced_to_declared_types():
    declared = notebook_parameters(NB_DIR)
    p = resolve_parameters(declared, parameters=[("n_boot", "500"), ("roles", "headline,body,caption"),
                                                 ("group_by", "outlet"), ("seed", "7")])
    assert p["n_boot"] == 500 and p["seed"] == 7
    assert p["roles"] == ["headline", "body", "caption"] and p["group_by"] == "outlet"
    assert resolve_parameters(declared, parameters=[("roles", "[body]")])["roles"] == ["body"]


def test_params_file_then_p_overrides(tmp_path):
    f = tmp_path / "params.yaml"
    f.write_text("group_by: outlet\nn_boot: 300\nroles: [body]\n")
    p = resolve_parameters(notebook_parameters(NB_DIR), params_file=f, parameters=[("n_boot", "400")])
    assert (p["group_by"], p["n_boot"], p["roles"]) == ("outlet", 400, ["body"])
    f.write_text("n_boot: many\n")
    with pytest.raises(ParameterError, match="n_boot.*int"):
        resolve_parameters(notebook_parameters(NB_DIR), params_file=f)


def test_cli_refuses_unknown_parameter_listing_valid_ones(tmp_path):
    r = run_build("--output-dir", tmp_path / "out", "--processed-dir", tmp_path / "proc", "-p", "group_bye", "outlet")
    assert r.returncode == 2
    assert "unknown parameter 'group_bye'" in r.stderr and "group_by" in r.stderr and "n_boot" in r.stderr
    assert "Traceback" not in r.stderr
    assert not (tmp_path / "out").exists() and not (tmp_path / "proc").exists()


def test_cli_refuses_wrong_type(tmp_path):
    r = run_build("--output-dir", tmp_path / "out", "-p", "n_boot", "lots")
    assert r.returncode == 2
    assert "'n_boot' must be int" in r.stderr and "'lots'" in r.stderr
    assert "Traceback" not in r.stderr
    r = run_build("--output-dir", tmp_path / "out", "-p", "raw_dir", "x")
    assert r.returncode == 2 and "--raw-dir" in r.stderr


# ------------------------------------------------------------ corpus errors
def test_invalid_corpus_fails_before_any_notebook(tmp_path, raw_dir):
    raw = copy_raw(raw_dir, tmp_path / "raw")
    with open(raw / "articles.csv", "a", encoding="utf-8") as fh:
        fh.write("ghost,ghost.txt,Nobody,,,,,,,,,\n")
    (raw / "stray.txt").write_text("not listed\n")
    before_out, before_proc = fake_previous_outputs(tmp_path / "out", tmp_path / "proc")
    r = run_build("--raw-dir", raw, "--output-dir", tmp_path / "out", "--processed-dir", tmp_path / "proc")
    assert r.returncode != 0
    assert "ghost.txt" in r.stderr and "--on-invalid skip" in r.stderr
    assert "ipynb" not in r.stderr and "Traceback" not in r.stderr
    assert tree_hashes(tmp_path / "out") == before_out and tree_hashes(tmp_path / "proc") == before_proc


# ------------------------------------------------------------ failing notebook
@pytest.mark.slow
def test_failing_notebook_names_cell_keeps_it_and_previous_report(tmp_path, raw_dir):
    nbs = tmp_path / "notebooks"
    shutil.copytree(NB_DIR, nbs, ignore=shutil.ignore_patterns("*.py"))
    nb = nbformat.read(nbs / "01_corpus.ipynb", as_version=4)
    pos = next(i for i, c in enumerate(nb.cells) if "parameters" in c.metadata.get("tags", [])) + 2
    nb.cells.insert(pos, nbformat.v4.new_code_cell("raise RuntimeError('deliberately broken cell')"))
    nbformat.write(nb, nbs / "01_corpus.ipynb")
    before_out, before_proc = fake_previous_outputs(tmp_path / "out", tmp_path / "proc")
    r = run_build("--raw-dir", raw_dir, "--output-dir", tmp_path / "out", "--processed-dir", tmp_path / "proc",
                  "--notebooks-dir", nbs, *FAST)
    assert r.returncode == 1
    assert "01_corpus.ipynb" in r.stderr and f"cell {pos + 1} of {len(nb.cells)} (counting from 1)" in r.stderr
    assert "RuntimeError: deliberately broken cell" in r.stderr
    assert "Traceback" not in r.stderr
    kept = tmp_path / "out" / "failed" / "01_corpus.ipynb"
    assert kept.is_file() and "deliberately broken cell" in kept.read_text()
    # the last good report and tables are untouched (only failed/ was added)
    after = tree_hashes(tmp_path / "out")
    assert {k: v for k, v in after.items() if not k.startswith("failed/")} == before_out
    assert tree_hashes(tmp_path / "proc") == before_proc
    assert not [p for p in tmp_path.iterdir() if ".build-" in p.name]


# ------------------------------------------------------------ interruption
@pytest.mark.slow
@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_interrupted_build_leaves_previous_outputs(tmp_path, raw_dir, sig):
    raw = copy_raw(raw_dir, tmp_path / "raw")
    before_out, before_proc = fake_previous_outputs(tmp_path / "out", tmp_path / "proc")
    proc = subprocess.Popen([str(CLI), "build", "--raw-dir", str(raw), "--output-dir", str(tmp_path / "out"),
                             "--processed-dir", str(tmp_path / "proc"), *FAST],
                            stderr=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=cli_env(), cwd=ROOT)
    lines = []
    try:
        deadline = time.monotonic() + 300
        for line in proc.stderr:
            lines.append(line)
            if "[1/4]" in line or time.monotonic() > deadline:
                break
        assert any("[1/4]" in ln for ln in lines), "".join(lines)
        proc.send_signal(sig)
        rest = proc.communicate(timeout=120)[1]
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    stderr = "".join(lines) + rest
    assert proc.returncode != 0
    assert "Traceback" not in stderr, stderr
    assert "interrupted" in stderr
    assert tree_hashes(tmp_path / "out") == before_out
    assert tree_hashes(tmp_path / "proc") == before_proc
    assert (tmp_path / "out" / "framing_report.html").read_text().startswith("<html>")
    assert not [p for p in tmp_path.iterdir() if ".build-" in p.name], list(tmp_path.iterdir())
    assert tree_hashes(raw) == tree_hashes(raw_dir)


# ------------------------------------------------------------ no network
@pytest.fixture
def no_network(monkeypatch):
    """Any connection to a non-loopback address raises."""
    calls = []

    def _loopback(address) -> bool:
        if isinstance(address, (str, bytes)):  # AF_UNIX
            return True
        host = str(address[0])
        return host in ("localhost", "::1") or host.startswith("127.")

    real_connect, real_connect_ex = socket.socket.connect, socket.socket.connect_ex
    real_create = socket.create_connection

    def connect(self, address):
        if not _loopback(address):
            calls.append(address)
            raise OSError(f"network disabled in tests: {address}")
        return real_connect(self, address)

    def connect_ex(self, address):
        if not _loopback(address):
            calls.append(address)
            raise OSError(f"network disabled in tests: {address}")
        return real_connect_ex(self, address)

    def create_connection(address, *a, **kw):
        if not _loopback(address):
            calls.append(address)
            raise OSError(f"network disabled in tests: {address}")
        return real_create(address, *a, **kw)

    monkeypatch.setattr(socket.socket, "connect", connect)
    monkeypatch.setattr(socket.socket, "connect_ex", connect_ex)
    monkeypatch.setattr(socket, "create_connection", create_connection)
    return calls


def test_guard_really_blocks(no_network):
    with pytest.raises(OSError, match="network disabled"):
        socket.create_connection(("192.0.2.1", 80), timeout=1)
    assert no_network


def test_score_and_process_need_no_network(no_network, raw_dir, tmp_path):
    import alliance_study as als
    from alliance_study.report import process_corpus

    assert als.score(["It may be possible."])["hedged"].tolist() == [True]
    tables = process_corpus(raw_dir, tmp_path / "proc", n_boot=50, n_perm=50)
    assert len(tables["sentences"]) > 0 and (tmp_path / "proc" / "manifest.json").is_file()
    assert no_network == []


def test_processed_tables_do_not_depend_on_corpus_location(raw_dir, tmp_path):
    from alliance_study.report import process_corpus

    process_corpus(raw_dir, tmp_path / "a", n_boot=50, n_perm=50)
    process_corpus(copy_raw(raw_dir, tmp_path / "elsewhere" / "raw"), tmp_path / "b", n_boot=50, n_perm=50)
    assert tree_hashes(tmp_path / "a") == tree_hashes(tmp_path / "b")


def test_package_build_is_the_report_build_function():
    import importlib

    import alliance_study as als
    from alliance_study.report import build

    importlib.import_module("alliance_study.report.orchestrate")
    assert als.build is build and callable(als.build)
