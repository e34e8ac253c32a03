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
import logging
import math
import os
import signal
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING, Any, Iterator

from ..errors import BuildError
from ..io import write_bytes_atomic

if TYPE_CHECKING:
    from nbformat import NotebookNode

    from .kernels import WarmKernels

__all__ = ["execute_notebook", "kernel_env", "sigterm_as_interrupt", "signals_blocked", "lazy_iri_grammar",
           "KERNEL_NAME", "KERNEL_ENV", "CELL_TIMEOUT"]

KERNEL_NAME = "alliance-study"
#: default limit on the run time of one cell, in seconds
CELL_TIMEOUT = 1800
#: fixed environment of the notebook kernels: same inputs, same bytes
KERNEL_ENV = {"PYTHONHASHSEED": "0", "SOURCE_DATE_EPOCH": "0", "ALLIANCE_STUDY_BUILD": "1"}
_HIDDEN_TAGS = {"injected-parameters", "papermill-error-cell-tag"}
_TIMEOUT = "CellTimeoutError"


def lazy_iri_grammar() -> bool:
    """Let ``jsonschema`` import without compiling its IRI grammar; the grammar is built on first use.

    papermill and nbconvert read notebooks with ``nbformat``, which imports ``jsonschema``;
    when the optional ``rfc3987_syntax`` is installed, that import compiles 38 Lark
    grammars (about 1.4 s of CPU) for the ``iri`` format checkers, which no notebook or
    study schema uses.  Called before ``jsonschema`` is first imported, this hands
    ``jsonschema`` a stand-in ``is_valid_syntax`` that imports the real module the first
    time an ``iri`` value is checked: every format check still runs, the grammar is
    only built when one needs it.  Returns whether the stand-in was installed (False:
    ``jsonschema`` already imported, or ``rfc3987_syntax`` not installed).

    >>> isinstance(lazy_iri_grammar(), bool)
    True
    """
    import importlib
    import importlib.util
    import sys
    import types

    name = "rfc3987_syntax"
    if "jsonschema" in sys.modules or name in sys.modules or importlib.util.find_spec(name) is None:
        return False

    def is_valid_syntax(*args: Any, **kwargs: Any) -> Any:
        return importlib.import_module(name).is_valid_syntax(*args, **kwargs)

    stand_in = types.ModuleType(name, "stand-in while jsonschema imports (see lazy_iri_grammar)")
    stand_in.is_valid_syntax = is_valid_syntax  # type: ignore[attr-defined]
    sys.modules[name] = stand_in
    try:
        import jsonschema  # noqa: F401  (binds the stand-in's is_valid_syntax)
    finally:
        if sys.modules.get(name) is stand_in:
            del sys.modules[name]  # the next import of the name gets the real module
    return True


@contextlib.contextmanager
def sigterm_as_interrupt() -> Iterator[None]:
    """Handle SIGTERM like Ctrl-C (KeyboardInterrupt) so temporary folders are cleaned up."""
    import threading

    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def handler(signum: int, frame: FrameType | None) -> None:
        raise KeyboardInterrupt(f"signal {signum}")

    old = signal.signal(signal.SIGTERM, handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, old)


@contextlib.contextmanager
def signals_blocked() -> Iterator[None]:
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
def kernel_env() -> Iterator[None]:
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


def _kernel_manager_class(ipc_dir: Path, warm: WarmKernels | None = None):
    """Kernels talk over Unix sockets in ``ipc_dir``: no TCP port is opened, and no
    'running over TCP without encryption' warning clutters the build's stderr.

    The kernel always runs on the build's own Python (``sys.executable``), whatever
    kernels Jupyter has registered: the notebooks see exactly the packages the build
    sees, and an installed wheel builds with no kernel registration.  With ``warm``, the
    kernel is forked from the build's helper process, which has the notebooks' modules
    imported (:mod:`~alliance_study.report.kernels`); if it cannot, the kernel starts as usual.
    """
    import sys

    from jupyter_client.kernelspec import KernelSpec
    from jupyter_client.manager import AsyncKernelManager

    if warm is not None and not all(hasattr(AsyncKernelManager, name) for name in (
            "_async_launch_kernel", "_reconcile_connection_info")):
        warm = None  # a jupyter_client without the launch steps overridden below: kernels start the usual way
    spec = KernelSpec(argv=[sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
                      display_name="Python (alliance-study)", language="python", resource_dir="")

    class IPCKernelManager(AsyncKernelManager):
        def __init__(self, **kw):
            super().__init__(**kw)
            self.transport = "ipc"
            self.ip = str(ipc_dir / "k")

        @property
        def kernel_spec(self):
            return spec

        async def _async_launch_kernel(self, kernel_cmd, **kw):
            forked = warm.start(self.connection_file, kw.get("cwd"), kw.get("env")) if warm else None
            if forked is None:
                return await super()._async_launch_kernel(kernel_cmd, **kw)
            prov: Any = self.provisioner  # a LocalProvisioner: it polls, signals and kills the process group given
            prov.process, prov.pid, prov.pgid, prov.cwd = forked, forked.pid, forked.pid, kw.get("cwd")
            self._reconcile_connection_info(prov.connection_info)

    return IPCKernelManager


@contextlib.contextmanager
def _quiet_papermill():
    """Papermill logs warnings for parameters it cannot parse and errors the build reports itself."""
    import logging

    # nbclient logs its timeout lines through papermill's logger; the build reports failures itself
    logs = {logging.getLogger("papermill"): logging.CRITICAL}
    old = {log: log.level for log in logs}
    for log, level in logs.items():
        log.setLevel(level)
    try:
        yield
    finally:
        for log, level in old.items():
            log.setLevel(level)


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


def _failed_cell(cells: list) -> int | None:
    """Index of the cell papermill marked as failed (or, failing that, the first with an error output)."""
    for i, c in enumerate(cells):
        if c.get("metadata", {}).get("papermill", {}).get("exception"):
            return i
    return next((i for i, c in enumerate(cells)
                 if any(o.get("output_type") == "error" for o in c.get("outputs", []))), None)


def _timed_out(ename: str, cells: list, index: int | None, cell_timeout: float) -> bool:
    """Whether a failure is the time limit: nbclient interrupts the kernel (KeyboardInterrupt in the cell,
    which no terminal Ctrl-C can cause: kernels run in their own session) or reports its own error."""
    if ename == _TIMEOUT:
        return True
    if ename != "KeyboardInterrupt":
        return False
    duration = None
    if index is not None:
        duration = cells[index].get("metadata", {}).get("papermill", {}).get("duration")
    return duration is None or duration >= 0.9 * cell_timeout


def _cell_from_preview(path: Path, message: str) -> tuple[list, int | None]:
    """The source cell whose text nbclient quoted in a timeout message (when no executed notebook exists)."""
    import nbformat

    cells = [c for c in nbformat.read(path, as_version=4).cells]
    preview = message.split("-------------------\n")
    snippet = preview[1].strip() if len(preview) > 2 else ""
    for i, c in enumerate(cells):
        if snippet and c.cell_type == "code" and c.source.strip().startswith(snippet.splitlines()[0]):
            return cells, i
    return cells, None


def _timeout_error(path: Path, cells: list, index: int | None, cell_timeout, kept: Path) -> BuildError:
    first = _first_line(cells[index].source) if index is not None else ""
    return BuildError(
        f"{path}: {_where(cells, index)} ran longer than the cell time limit of {cell_timeout:g} s "
        f"and was stopped.\n"
        f"  cell starts: {first}\n"
        f"  executed notebook kept for inspection: {kept}\n"
        f"  the previous report (if any) was left in place.\n"
        f"  Fix: make the cell faster, or raise the limit with --cell-timeout SECONDS.")


def execute_notebook(path: str | os.PathLike[str], out_path: str | os.PathLike[str], params: dict[str, Any], *, cwd: str | os.PathLike[str],
                     failed_dir: str | os.PathLike[str], ipc_dir: str | os.PathLike[str], kernel_name: str = KERNEL_NAME,
                     cell_timeout: float | None = CELL_TIMEOUT,
                     progress_bar: bool | dict[str, Any] = False, warm: WarmKernels | None = None) -> NotebookNode:
    """Run notebook ``path`` with ``params`` into ``out_path``; return the executed notebook.

    ``progress_bar`` is papermill's: False, or tqdm arguments for a bar of the cells.
    A cell running past ``cell_timeout`` seconds is interrupted (the kernel gets a
    KeyboardInterrupt) and reported as timed out.  ``warm``: the kernel is forked from this
    helper (:class:`~alliance_study.report.kernels.WarmKernels`), its modules already imported.

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
    limit = {}
    if cell_timeout:
        # nbclient takes whole seconds: a limit of 0.5 s is 1 s
        limit = dict(execution_timeout=max(1, math.ceil(cell_timeout)), interrupt_on_timeout=True,
                     error_on_timeout={"ename": _TIMEOUT, "evalue": f"ran longer than {cell_timeout:g} s",
                                       "traceback": []})
    try:
        with _quiet_papermill():
            return pm.execute_notebook(str(path), str(out_path), parameters=params, kernel_name=kernel_name,
                                       cwd=str(cwd), progress_bar=progress_bar, log_output=False,
                                       request_save_on_cell_execute=False, start_timeout=120,
                                       kernel_manager_class=_kernel_manager_class(Path(ipc_dir), warm),
                                       shutdown_kernel="immediate",  # outputs are in; no shutdown chatter
                                       **limit)
    except KeyboardInterrupt:
        # the interrupted run leaves nbclient's cell task behind ("Task exception was never retrieved ...
        # DeadKernelError" at exit): the build says "interrupted" itself
        logging.getLogger("asyncio").disabled = True
        raise
    except PapermillExecutionError as exc:
        kept = _keep(out_path, failed_dir, path.name)
        # papermill's cell_index counts its injected-parameters and error-banner cells: name the cell
        # as the user sees it in the source notebook (counting from 1)
        cells, index = [], None
        with contextlib.suppress(Exception):
            cells = _source_cells(out_path)
            index = _failed_cell(cells)
        if cell_timeout and _timed_out(exc.ename, cells, index, cell_timeout):
            raise _timeout_error(path, cells, index, cell_timeout, kept) from None
        raise BuildError(
            f"{path}: {_where(cells, index)}, In [{exc.exec_count}], failed: {exc.ename}: {exc.evalue}\n"
            f"  cell starts: {_first_line(exc.source)}\n"
            f"  executed notebook kept for inspection: {kept}\n"
            f"  the previous report (if any) was left in place.\n"
            f"  Fix: correct the cell (or the input it reads) and build again.") from None
    except CellTimeoutError as exc:  # the kernel did not answer the interrupt: no executed notebook to keep
        kept = _keep(path, failed_dir, path.name)
        cells, index = [], None
        with contextlib.suppress(Exception):
            cells, index = _cell_from_preview(path, str(exc))
        raise _timeout_error(path, cells, index, cell_timeout, kept) from None
