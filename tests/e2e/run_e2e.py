"""End-to-end check of a notebook in a real JupyterLab, driven in headless Chromium.

What it does, as a user would:

1. copies ``notebooks/03_framing_comparison.ipynb`` and the seed corpus (``data/raw``)
   into a temporary project (``notebooks/``, ``data/raw``, ``data/processed``,
   ``reports/figures``, with ``study.yaml`` and ``lexicons/``), so the notebook's
   relative default paths work and nothing in the repository is written;
2. starts JupyterLab on 127.0.0.1 (a free port, a random token, settings, workspaces
   and runtime files in the temporary folder, no announcements, no update check);
3. opens the notebook in Chromium (Debian's ``/usr/bin/chromium`` through Playwright;
   no browser is downloaded), waits for the kernel, takes a screenshot;
4. edits the ``parameters`` cell in the editor (double-click the value of
   ``group_by``, type the new one), then Run > Run All Cells from the menu;
5. waits until every cell has run, then checks: no error output and no traceback on
   stderr, every figure an ``<img>`` that the browser decoded (non-zero size), the new
   parameter in the cell's source, and every value of the new grouping column shown
   in the outputs; takes screenshots after the run and of the first figure;
6. stops JupyterLab, never saves, and checks that the committed notebook is unchanged.

Screenshots go to ``reports/e2e/`` (``before.png``, ``after.png``, ``figure.png``) with a
``result.json``.  Exit code 0 when every check passes, 1 otherwise (the reason printed).

Usage (``make e2e``)::

    .venv/bin/python tests/e2e/run_e2e.py [--group-by outlet] [--timeout 240]

Needs ``tests/e2e/install.sh`` run once (Chromium from apt, Playwright from PyPI).
"""
from __future__ import annotations

import argparse
import csv
import hashlib
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOK = "03_framing_comparison.ipynb"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
OUT = ROOT / "reports" / "e2e"


class E2EFailure(Exception):
    """A check failed; the message says which and what was seen."""


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def make_project(tmp: Path) -> Path:
    """A throw-away copy of what the notebook reads, laid out like the repository."""
    work = tmp / "project"
    (work / "notebooks").mkdir(parents=True)
    shutil.copy2(ROOT / "notebooks" / NOTEBOOK, work / "notebooks" / NOTEBOOK)
    shutil.copytree(ROOT / "data" / "raw", work / "data" / "raw")
    for name in ("study.yaml", "lexicons"):  # the pilot's study file and the lexicons it names
        src = ROOT / name
        if src.is_dir():
            shutil.copytree(src, work / name)
        elif src.exists():
            shutil.copy2(src, work / name)
    (work / "data" / "processed").mkdir(parents=True)
    (work / "reports" / "figures").mkdir(parents=True)
    return work


def lab_settings(tmp: Path) -> dict[str, Path]:
    """Settings, config and runtime folders for a JupyterLab that stays on this machine."""
    dirs = {k: tmp / k for k in ("settings", "workspaces", "config", "runtime", "data")}
    for d in dirs.values():
        d.mkdir(parents=True, exist_ok=True)
    plugin = dirs["settings"] / "@jupyterlab"
    (plugin / "docmanager-extension").mkdir(parents=True)
    (plugin / "docmanager-extension" / "plugin.jupyterlab-settings").write_text(json.dumps({"autosave": False}))
    (plugin / "notebook-extension").mkdir(parents=True)
    # every cell in the DOM (no virtual scrolling), so every output can be checked
    (plugin / "notebook-extension" / "tracker.jupyterlab-settings").write_text(json.dumps({"windowingMode": "none"}))
    (plugin / "apputils-extension").mkdir(parents=True)
    (plugin / "apputils-extension" / "notification.jupyterlab-settings").write_text(
        json.dumps({"fetchNews": "false", "checkForUpdates": False}))
    (dirs["config"] / "labconfig").mkdir(parents=True)
    (dirs["config"] / "labconfig" / "page_config.json").write_text(json.dumps(
        {"disabledExtensions": {"@jupyterlab/apputils-extension:announcements": True}}))
    return dirs


def start_lab(work: Path, dirs: dict[str, Path], port: int, token: str, log: Path) -> subprocess.Popen:
    env = dict(os.environ, JUPYTER_CONFIG_DIR=str(dirs["config"]), JUPYTER_RUNTIME_DIR=str(dirs["runtime"]),
               JUPYTER_PLATFORM_DIRS="1", PYTHONUNBUFFERED="1")
    cmd = [str(Path(sys.executable).with_name("jupyter")), "lab", "--no-browser", "--ip=127.0.0.1", f"--port={port}",
           "--port-retries=0", f"--ServerApp.root_dir={work}", f"--IdentityProvider.token={token}",
           f"--LabApp.user_settings_dir={dirs['settings']}", f"--LabApp.workspaces_dir={dirs['workspaces']}",
           "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
           "--LabApp.extension_manager=readonly",  # no queries to PyPI for extensions
           "--LabApp.expose_app_in_browser=True",  # window.jupyterapp: the checks read the notebook's model
           "--ServerApp.open_browser=False"] + (["--allow-root"] if os.geteuid() == 0 else [])
    fh = open(log, "w")  # noqa: SIM115 - closed when the process is stopped
    proc = subprocess.Popen(cmd, cwd=work, env=env, stdout=fh, stderr=subprocess.STDOUT, start_new_session=True)
    proc._log = fh  # type: ignore[attr-defined]
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise E2EFailure(f"JupyterLab exited with code {proc.returncode}; log: {log.read_text()[-2000:]}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/status?token={token}", timeout=2) as r:
                if r.status == 200:
                    return proc
        except OSError:
            time.sleep(0.5)
    stop_lab(proc)
    raise E2EFailure(f"JupyterLab did not answer on port {port} within 60 s; log: {log.read_text()[-2000:]}")


def stop_lab(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)  # our own session: JupyterLab and its kernels
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=10)
    proc._log.close()  # type: ignore[attr-defined]


def _wait_kernel_ready(page, timeout_ms: int) -> None:
    """Wait until the notebook's kernel is connected and idle (the toolbar may say idle earlier)."""
    page.wait_for_function("""() => {
        const w = window.jupyterapp && window.jupyterapp.shell.currentWidget;
        const k = w && w.sessionContext && w.sessionContext.session && w.sessionContext.session.kernel;
        return !!k && k.connectionStatus === 'connected' && k.status === 'idle';
    }""", timeout=timeout_ms, polling=250)


_STATE_JS = """() => {
    // the notebook's model (JupyterLab is started with expose_app_in_browser) and its prompts
    const w = window.jupyterapp.shell.currentWidget;
    const cells = [...Array(w.content.model.cells.length).keys()].map(i => w.content.model.cells.get(i).toJSON());
    const code = cells.filter(c => c.cell_type === 'code');
    const kernel = w.sessionContext.session && w.sessionContext.session.kernel;
    const prompts = [...document.querySelectorAll('.jp-Notebook .jp-CodeCell .jp-InputArea-prompt')];
    return {
        code_cells: code.length,
        executed: code.filter(c => c.execution_count !== null).length,
        errors: code.filter(c => c.outputs.some(o => o.output_type === 'error')).length,
        running: prompts.filter(p => p.textContent.includes('*')).length,
        kernel: kernel ? kernel.status : 'none',
    };
}"""


def _notebook_state(page) -> dict:
    """Counts of code cells, executed cells, cells with an error output, cells running; kernel status."""
    return page.evaluate(_STATE_JS)


def drive(url: str, group_by: str, outlets_values: list[str], timeout_s: float, result: dict) -> None:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.set_default_timeout(60_000)
            console_errors: list[str] = []
            page.on("pageerror", lambda e: console_errors.append(str(e)))
            try:
                _session(page, url, group_by, outlets_values, timeout_s, result)
            except Exception as e:  # a Playwright timeout, a missing element ...: record what the page showed
                page.screenshot(path=str(OUT / "failure.png"))
                if isinstance(e, E2EFailure):
                    raise
                raise E2EFailure(f"{type(e).__name__}: {str(e)[:1500]}") from e
            result["page_errors"] = console_errors
        finally:
            browser.close()


def _session(page, url: str, group_by: str, outlets_values: list[str], timeout_s: float, result: dict) -> None:
    page.goto(url)
    page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=90_000)
    _wait_kernel_ready(page, 90_000)
    page.screenshot(path=str(OUT / "before.png"))

    # edit the parameters cell as a user would: double-click the value, type the new one
    cell = page.locator(".jp-Notebook .jp-CodeCell").filter(has_text="group_by =").first
    cell.scroll_into_view_if_needed()
    old = cell.locator(".cm-line", has_text="group_by =").first
    text = old.inner_text()
    raw_value = text.split("=", 1)[1].split("#")[0].strip()
    quoted = raw_value[:1] in "\"'" and len(raw_value) > 1
    value = raw_value.strip("\"'") if quoted else raw_value  # "origin_country" or None
    box = old.evaluate("""(line, word) => {
        // the screen box of `word` inside this editor line (a text Range, whatever the token spans)
        const walker = document.createTreeWalker(line, NodeFilter.SHOW_TEXT);
        let node;
        while ((node = walker.nextNode())) {
            const i = node.textContent.indexOf(word);
            if (i >= 0) {
                const r = document.createRange();
                r.setStart(node, i); r.setEnd(node, i + word.length);
                const b = r.getBoundingClientRect();
                return {x: b.x + b.width / 2, y: b.y + b.height / 2};
            }
        }
        return null;
    }""", value)
    if box is None:
        raise E2EFailure(f"value {value!r} of group_by not found in the editor line {text!r}")
    for _ in range(5):  # the editor may still be settling: double-click until the word is selected
        page.mouse.dblclick(box["x"], box["y"])  # selects the word, as a user would
        page.wait_for_timeout(300)
        if page.evaluate("() => String(window.getSelection())") == value:
            break
    else:
        raise E2EFailure(f"double-clicking {value!r} in the parameters cell did not select it")
    # inside quotes: type the new word; over None: type a string (the editor closes the quote)
    page.keyboard.type(group_by if quoted else f'"{group_by}"')
    page.keyboard.press("Escape")
    source = cell.locator(".cm-content").inner_text()
    edited = [ln for ln in source.splitlines() if ln.startswith("group_by =")]
    result["parameter_line"] = edited[0] if edited else None
    if not edited or edited[0].split("#")[0].strip() != f'group_by = "{group_by}"':
        raise E2EFailure(f"could not set group_by in the parameters cell; its line reads {edited!r}")

    # Run > Run All Cells
    _wait_kernel_ready(page, 60_000)
    page.locator(".lm-MenuBar-itemLabel").filter(has_text=re.compile(r"^Run$")).first.click()
    page.locator(".lm-Menu-itemLabel").filter(has_text=re.compile(r"^Run All Cells$")).first.click()
    t0 = time.monotonic()
    settled = 0
    while settled < 3:  # three quiet polls in a row: nothing running, kernel idle, all run or stopped at an error
        time.sleep(1)
        state = _notebook_state(page)
        quiet = state["running"] == 0 and state["kernel"] == "idle" and state["executed"] > 0
        done = state["executed"] == state["code_cells"] or state["errors"] > 0
        settled = settled + 1 if quiet and done else 0
        if time.monotonic() - t0 > timeout_s:
            raise E2EFailure(f"the notebook did not finish within {timeout_s:.0f} s (state {state})")
    result["cells"] = state
    result["run_seconds"] = round(time.monotonic() - t0, 1)

    # checks
    stderr = page.locator('.jp-RenderedText[data-mime-type="application/vnd.jupyter.stderr"]')
    tracebacks = [t for t in stderr.all_inner_texts() if "Traceback" in t or "Error" in t]
    result["stderr_tracebacks"] = len(tracebacks)
    if tracebacks:
        page.get_by_text("Traceback").first.scroll_into_view_if_needed()
    page.screenshot(path=str(OUT / "after.png"))
    if state["errors"] or tracebacks:
        shown = tracebacks[0][-1500:] if tracebacks else "(error output in the notebook model)"
        raise E2EFailure(f"{state['errors']} cell(s) show an error; run stopped after "
                         f"{state['executed']} of {state['code_cells']} code cells:\n{shown}")
    if state["executed"] != state["code_cells"]:
        raise E2EFailure(f"only {state['executed']} of {state['code_cells']} code cells ran")
    sizes = page.evaluate("""() => [...document.querySelectorAll('.jp-OutputArea-output img')]
                            .map(i => [i.naturalWidth, i.naturalHeight])""")
    result["figures"] = len(sizes)
    if not sizes:
        raise E2EFailure("no figure (img element) in the outputs")
    broken = [s for s in sizes if not (s[0] > 0 and s[1] > 0)]
    if broken:
        raise E2EFailure(f"{len(broken)} of {len(sizes)} figures did not render (zero size)")
    page.locator(".jp-OutputArea-output img").first.scroll_into_view_if_needed()
    page.screenshot(path=str(OUT / "figure.png"))
    outputs = " ".join(page.locator(".jp-Notebook .jp-OutputArea").all_inner_texts())
    missing = [v for v in outlets_values if v not in outputs]
    result["groups_shown"] = len(outlets_values) - len(missing)
    if missing:
        raise E2EFailure(f"groups of {group_by} not shown in the outputs: {missing}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--group-by", default="outlet", help="new value of group_by (a column of articles.csv)")
    ap.add_argument("--timeout", type=float, default=240, help="seconds allowed for Run All")
    args = ap.parse_args(argv)
    if not Path(CHROMIUM).exists():
        print(f"e2e: {CHROMIUM} not found. Fix: run tests/e2e/install.sh", file=sys.stderr)
        return 1
    with open(ROOT / "data" / "raw" / "articles.csv", newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    if not rows or args.group_by not in rows[0]:
        print(f"e2e: data/raw/articles.csv has no column {args.group_by!r}", file=sys.stderr)
        return 1
    values = sorted({r[args.group_by] for r in rows if r[args.group_by]})
    OUT.mkdir(parents=True, exist_ok=True)
    committed = ROOT / "notebooks" / NOTEBOOK
    before = _sha256(committed)
    result: dict = {"notebook": f"notebooks/{NOTEBOOK}", "group_by": args.group_by}
    t0 = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="alliance-e2e-") as tmp_name:
        tmp = Path(tmp_name)
        work = make_project(tmp)
        dirs = lab_settings(tmp)
        port, token = _free_port(), secrets.token_hex(16)
        proc = None
        try:
            proc = start_lab(work, dirs, port, token, OUT / "jupyterlab.log")
            drive(f"http://127.0.0.1:{port}/lab/tree/notebooks/{NOTEBOOK}?token={token}",
                  args.group_by, values, args.timeout, result)
            status = 0
        except E2EFailure as e:
            result["failure"] = str(e)
            status = 1
        finally:
            if proc is not None:
                stop_lab(proc)
    if _sha256(committed) != before:
        result["failure"] = result.get("failure", "") + f"\nnotebooks/{NOTEBOOK} changed during the run"
        status = 1
    result["total_seconds"] = round(time.monotonic() - t0, 1)
    (OUT / "result.json").write_text(json.dumps(result, indent=2) + "\n")
    if status:
        print(f"e2e FAILED: {result['failure']}\nscreenshots and log in {OUT}", file=sys.stderr)
    else:
        print(f"e2e ok: {result['figures']} figures, no errors, run {result['run_seconds']} s, "
              f"total {result['total_seconds']} s; screenshots in {OUT}")
    return status


if __name__ == "__main__":
    sys.exit(main())
