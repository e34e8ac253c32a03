"""Run one notebook with papermill: fixed kernel environment, Unix-socket kernels, clear failures.

:func:`execute_notebook` runs a notebook with its parameters.  When a cell raises, or
runs longer than ``cell_timeout`` seconds, the executed notebook is kept in
``failed_dir`` and a :class:`~alliance_study.errors.BuildError` names the notebook, the
cell (counted from 1 as the user sees it in the source notebook) and its first line.

:func:`kernel_env`, :func:`sigterm_as_interrupt` and :func:`signals_blocked` are the
context managers the build wraps around the run.

>>> KERNEL_ENV["PYTHONHASHSEED"]
'0'
"""
from __future__ import annotations

import contextlib
import os
import signal
from pathlib import Path

from ..errors import BuildError
from ..io import write_bytes_atomic

__all__ = ["execute_notebook", "kernel_env", "sigterm_as_interrupt", "signals_blocked", "KERNEL_NAME",
           "KERNEL_ENV", "CELL_TIMEOUT"]

KERNEL_NAME = "alliance-study"
#: default limit on the run time of one cell, in seconds
CELL_TIMEOUT = 1800
#: fixed environment of the notebook kernels: same inputs, same bytes
KERNEL_ENV = {"PYTHONHASHSEED": "0", "SOURCE_DATE_EPOCH": "0", "ALLIANCE_STUDY_BUILD": "1"}
_HIDDEN_TAGS = {"injected-parameters", "papermill-error-cell-tag"}


@contextlib.contextmanager
def sigterm_as_interrupt():
    """Handle SIGTERM like Ctrl-C (KeyboardInterrupt) so temporary folders are cleaned up."""
    import threading

    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def handler(signum, frame):
        raise KeyboardInterrupt(f"signal {signum}")

    old = signal.signal(signal.SIGTERM, handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, old)


@contextlib.contextmanager
def signals_blocked():
    """Defer SIGINT/SIGTERM while outputs are swapped into place (a few renames)."""
    sigs = {signal.SIGINT, signal.SIGTERM}
    try:
        old = signal.pthread_sigmask(signal.SIG_BLOCK, sigs)
    except (AttributeError, ValueError, OSError):
        yield
        return
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, old)


@contextlib.contextmanager
def kernel_env():
    """:data:`KERNEL_ENV` set in ``os.environ`` (inherited by the kernels), restored afterwards."""
    saved = {k: os.environ.get(k) for k in KERNEL_ENV}
    os.environ.update(KERNEL_ENV)
    try:
        yield
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


def _kernel_manager_class(ipc_dir: Path):
    """Kernels talk over Unix sockets in ``ipc_dir``: no TCP port is opened, and no
    'running over TCP without encryption' warning clutters the build's stderr."""
    from jupyter_client.manager import AsyncKernelManager

    class IPCKernelManager(AsyncKernelManager):
        def __init__(self, **kw):
            super().__init__(**kw)
            self.transport = "ipc"
            self.ip = str(ipc_dir / "k")

    return IPCKernelManager


@contextlib.contextmanager
def _quiet_papermill():
    """Papermill logs warnings for parameters it cannot parse; the build checks parameters itself."""
    import logging

    log = logging.getLogger("papermill")
    old = log.level
    log.setLevel(logging.ERROR)
    try:
        yield
    finally:
        log.setLevel(old)


def _source_cells(out_path: Path) -> list:
    """The cells of the executed notebook that exist in the source notebook (papermill's own left out)."""
    import nbformat

    executed = nbformat.read(out_path, as_version=4)
    return [c for c in executed.cells if not _HIDDEN_TAGS & set(c.metadata.get("tags", []))]


def _keep(out_path: Path, failed_dir: Path, name: str) -> Path:
    failed_dir.mkdir(parents=True, exist_ok=True)
    kept = failed_dir / name
    if out_path.exists():
        write_bytes_atomic(kept, out_path.read_bytes())
    return kept


def _where(cells: list, index: int | None) -> str:
    return f"cell {index + 1} of {len(cells)} (counting from 1)" if index is not None else "a cell"


def _first_line(source: str) -> str:
    return next((ln for ln in (source or "").splitlines() if ln.strip()), "")[:120]


def execute_notebook(path, out_path, params: dict, *, cwd, failed_dir, ipc_dir, kernel_name: str = KERNEL_NAME,
                     cell_timeout: float | None = CELL_TIMEOUT, progress_bar=False):
    """Run notebook ``path`` with ``params`` into ``out_path``; return the executed notebook.

    ``progress_bar`` is papermill's: False, or tqdm arguments for a bar of the cells.

    Raises
    ------
    BuildError
        A cell raised or ran longer than ``cell_timeout`` seconds (``None``: no limit).
        The executed notebook is kept as ``failed_dir/<name>.ipynb``.
    """
    import papermill as pm
    from nbclient.exceptions import CellTimeoutError
    from papermill.exceptions import PapermillExecutionError

    path, out_path, failed_dir = Path(path), Path(out_path), Path(failed_dir)
    try:
        with _quiet_papermill():
            return pm.execute_notebook(str(path), str(out_path), parameters=params, kernel_name=kernel_name,
                                       cwd=str(cwd), progress_bar=progress_bar, log_output=False,
                                       request_save_on_cell_execute=False, start_timeout=120,
                                       execution_timeout=cell_timeout or None,
                                       kernel_manager_class=_kernel_manager_class(Path(ipc_dir)),
                                       shutdown_kernel="immediate")  # outputs are in; no shutdown chatter
    except PapermillExecutionError as exc:
        kept = _keep(out_path, failed_dir, path.name)
        # papermill's cell_index counts its injected-parameters and error-banner cells: name the cell
        # as the user sees it in the source notebook (counting from 1)
        cells, index = [], None
        with contextlib.suppress(Exception):
            cells = _source_cells(out_path)
            index = next(i for i, c in enumerate(cells)
                         if any(o.get("output_type") == "error" for o in c.get("outputs", [])))
        raise BuildError(
            f"{path}: {_where(cells, index)}, In [{exc.exec_count}], failed: {exc.ename}: {exc.evalue}\n"
            f"  cell starts: {_first_line(exc.source)}\n"
            f"  executed notebook kept for inspection: {kept}\n"
            f"  the previous report (if any) was left in place.\n"
            f"  Fix: correct the cell (or the input it reads) and build again.") from None
    except CellTimeoutError:
        kept = _keep(out_path, failed_dir, path.name)
        cells, index = [], None
        with contextlib.suppress(Exception):
            cells = _source_cells(out_path)
            index = next(i for i, c in enumerate(cells)
                         if c.get("metadata", {}).get("papermill", {}).get("status") == "running")
        first = _first_line(cells[index].source) if index is not None else ""
        raise BuildError(
            f"{path}: {_where(cells, index)} ran longer than the cell time limit of {cell_timeout:g} s "
            f"and was stopped.\n"
            f"  cell starts: {first}\n"
            f"  executed notebook kept for inspection: {kept}\n"
            f"  the previous report (if any) was left in place.\n"
            f"  Fix: make the cell faster, or raise the limit with --cell-timeout SECONDS.") from None
