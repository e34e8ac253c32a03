"""Warm kernels: one helper process imports what the notebooks import, then forks each notebook's kernel.

Every notebook of a build runs in a fresh kernel, and every kernel imports the same
libraries before its first line of analysis: IPython and ipykernel, pandas, matplotlib,
the package (1.5 to 3 s of CPU each, more than the analysis itself on a small corpus).
:class:`WarmKernels` starts one helper process as the build begins, which imports them
once (on the second core, while the build processes the corpus) and then forks a kernel
for each notebook: each kernel starts with those modules already loaded.

A forked kernel is a fresh process as far as the notebook can tell: its own session
(signals from the terminal do not reach it, the cell time limit's interrupt does), the
notebook's folder as working directory, the environment the build gives a kernel (the
helper itself starts with :data:`~alliance_study.report.execute.KERNEL_ENV`, so
``PYTHONHASHSEED`` is the kernels'), fresh random seeds, and nothing of the notebooks
executed yet: the helper only imports modules, it runs no notebook code.  When the
helper cannot serve (it failed to start, or died), kernels start the usual way.

Which modules: those the notebooks' cells import at their top level (``import x``,
``from x import y``: ``x``, and ``x.y`` when that is a module), plus the kernel and the
figure writers; a module that fails to import is left to the kernel, which reports the
error where the notebook imports it.

>>> from alliance_study.resources import notebooks_dir
>>> mods = notebook_imports(sorted(notebooks_dir().glob("0*.ipynb")))
>>> [m in mods for m in ("ipykernel.kernelapp", "pandas", "alliance_study.report", "alliance_study.plots")]
[True, True, True, True]
"""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any, Iterable, Mapping

from ..scale.tasks import close_in_workers, die_with_parent, forget_in_workers

__all__ = ["WarmKernels", "ForkedKernel", "notebook_imports"]

#: always loaded: the kernel itself, the display helpers, the Parquet readers and the table and figure
#: writers (loaded on first use by the package and pandas: as costly in every kernel)
BASE_MODULES = ("ipykernel.kernelapp", "IPython.display", "pyarrow.parquet", "pyarrow.dataset",
                "pandas.io.formats.html", "matplotlib.backends.backend_agg", "matplotlib.backends.backend_svg",
                "PIL.PngImagePlugin")
#: what ipykernel sets before any notebook code runs; set first so matplotlib reads the same
_MPL_BACKEND = "module://matplotlib_inline.backend_inline"
#: longest wait for the helper to answer (its imports run first); then kernels start the usual way
READY_TIMEOUT = 60.0


def notebook_imports(notebooks: Iterable[str | os.PathLike[str]]) -> list[str]:
    """The modules imported at the top level of the notebooks' code cells, plus :data:`BASE_MODULES`.

    Cells that do not parse (IPython magics) and imports inside ``if``/functions are skipped.
    """
    import ast

    names = dict.fromkeys(BASE_MODULES)
    for path in notebooks:
        try:
            cells = json.loads(Path(path).read_text(encoding="utf-8")).get("cells", [])
        except (OSError, ValueError):
            continue
        for cell in cells:
            if cell.get("cell_type") != "code":
                continue
            src = cell.get("source", "")
            try:
                tree = ast.parse("".join(src) if isinstance(src, list) else src)
            except SyntaxError:
                continue
            for node in tree.body:
                if isinstance(node, ast.Import):
                    names.update(dict.fromkeys(a.name for a in node.names))
                elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                    names[node.module] = None  # and the names, when they are submodules (`from pkg import mod`)
                    names.update(dict.fromkeys(f"{node.module}.{a.name}" for a in node.names if a.name != "*"))
    return list(names)


class ForkedKernel:
    """The :class:`subprocess.Popen` calls jupyter_client makes on a kernel, for a kernel forked by the helper.

    The kernel is the helper's child (the helper reaps it), so its exit status is not
    known here: :attr:`returncode` is -1 once it has gone.
    """

    stdin = stdout = stderr = None

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.returncode: int | None = None

    def poll(self) -> int | None:
        if self.returncode is None:
            try:
                os.kill(self.pid, 0)
            except ProcessLookupError:
                self.returncode = -1
            except PermissionError:  # pragma: no cover - the pid was reused by another user's process
                self.returncode = -1
        return self.returncode

    def wait(self, timeout: float | None = None) -> int:
        end = None if timeout is None else time.monotonic() + timeout
        while self.poll() is None:
            if end is not None and time.monotonic() > end:
                raise subprocess.TimeoutExpired(f"kernel {self.pid}", timeout or 0)
            time.sleep(0.05)
        return self.returncode  # type: ignore[return-value]

    def send_signal(self, signum: int) -> None:
        if self.poll() is None:
            os.kill(self.pid, signum)

    def kill(self) -> None:
        self.send_signal(signal.SIGKILL)

    def terminate(self) -> None:
        self.send_signal(signal.SIGTERM)


class WarmKernels:
    """The helper process: started with the modules to load, asked for one kernel per notebook.

    Use as a context manager (the helper stops at the end); :meth:`start` is thread-safe.
    """

    def __init__(self, notebooks: Iterable[str | os.PathLike[str]], env: Mapping[str, str]) -> None:
        self._lock = threading.Lock()
        self._buf = b""
        self._ready = False
        self._proc: subprocess.Popen | None = None
        if not hasattr(os, "fork"):  # no fork (Windows): kernels start the usual way
            return
        read, write = os.pipe()
        try:
            self._proc = subprocess.Popen(
                [sys.executable, "-c", "from alliance_study.report.kernels import _serve; _serve()", str(write),
                 *notebook_imports(notebooks)],
                stdin=subprocess.PIPE, pass_fds=(write,), env=dict(env), close_fds=True)
        except OSError:
            self._proc = None
            os.close(read)
        else:
            self._replies = read
            # a worker the build forks later must not keep our ends of the pipes: the helper waits for its
            # stdin's end of file, which a worker's copy would hold off after the build died
            for fd in (read, self._proc.stdin.fileno() if self._proc.stdin else -1):
                if fd >= 0:
                    close_in_workers(fd)
        finally:
            os.close(write)

    def __enter__(self) -> WarmKernels:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def _line(self, timeout: float) -> dict | None:
        import select

        end = time.monotonic() + timeout
        while b"\n" not in self._buf:
            left = end - time.monotonic()
            if left <= 0 or not select.select([self._replies], [], [], left)[0]:
                return None
            chunk = os.read(self._replies, 4096)
            if not chunk:
                return None
            self._buf += chunk
        line, self._buf = self._buf.split(b"\n", 1)
        try:
            return json.loads(line)
        except ValueError:
            return None

    def start(self, connection_file: str, cwd: str | os.PathLike[str] | None,
              env: Mapping[str, str] | None) -> ForkedKernel | None:
        """Fork a kernel reading ``connection_file``; None when the helper cannot (start one the usual way)."""
        env = dict(os.environ if env is None else env)
        with self._lock:
            proc = self._proc
            if proc is None or proc.poll() is not None or proc.stdin is None:
                return None
            try:
                if not self._ready:
                    hello = self._line(READY_TIMEOUT)
                    if not hello or hello.get("ready") is not True or hello.get("hashseed") != env.get(
                            "PYTHONHASHSEED"):
                        self.close()
                        return None
                    self._ready = True
                request = {"connection_file": str(connection_file), "cwd": str(cwd or os.getcwd()), "env": env}
                proc.stdin.write(json.dumps(request).encode() + b"\n")
                proc.stdin.flush()
                reply = self._line(READY_TIMEOUT)
            except OSError:
                reply = None
            if not reply or not isinstance(reply.get("pid"), int):
                self.close()
                return None
            return ForkedKernel(reply["pid"])

    def close(self) -> None:
        """Stop the helper (kernels it forked are not affected: the build shuts them down)."""
        proc, self._proc = self._proc, None
        if proc is None:
            return
        try:
            if proc.stdin:
                forget_in_workers(proc.stdin.fileno())
                proc.stdin.close()
            proc.wait(timeout=5)
        except (OSError, subprocess.TimeoutExpired):
            proc.kill()
            proc.wait()
        finally:
            forget_in_workers(self._replies)
            os.close(self._replies)


# --------------------------------------------------------------------------- the helper process

def _serve() -> None:  # pragma: no cover - runs in the helper process (exercised by the build tests)
    """The helper's main loop: import, say ready, then fork one kernel per request line on stdin.

    It ends when the build closes its stdin, and when the build is gone
    (:func:`~alliance_study.scale.tasks.die_with_parent`: a build killed with ``kill -9`` closes nothing).
    """
    die_with_parent()
    reply_fd, modules = int(sys.argv[1]), sys.argv[2:]
    os.environ.setdefault("MPLBACKEND", _MPL_BACKEND)
    import importlib

    for name in modules:
        parent, _, attr = name.rpartition(".")
        if parent in sys.modules and attr and hasattr(sys.modules[parent], attr) and not isinstance(
                getattr(sys.modules[parent], attr), type(sys)):
            continue  # `from x import name` of a function or class, not a module
        try:
            importlib.import_module(name)
        except Exception:  # noqa: BLE001 - not a module, or the kernel imports it again and reports the error there
            pass
    signal.signal(signal.SIGCHLD, _reap)  # kernels are reaped as they exit (their CPU time counts as the build's)
    # the terminal's Ctrl-C reaches the build's process group: the build stops and closes our stdin, which ends
    # this loop; a KeyboardInterrupt here would only print a traceback
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _tell(reply_fd, {"ready": True, "hashseed": os.environ.get("PYTHONHASHSEED")})
    start_dir = os.getcwd()
    while True:
        line = sys.stdin.buffer.readline()
        if not line:  # the build closed the pipe (finished, or died): leave at once, nothing to tidy
            sys.stdout.flush()
            sys.stderr.flush()
            os._exit(0)
        try:
            request = json.loads(line)
            pid = os.fork()
        except (ValueError, OSError) as err:
            _tell(reply_fd, {"error": str(err)})
            continue
        if pid == 0:
            code = 1
            try:
                code = _kernel(request, reply_fd, start_dir)
            finally:
                os._exit(code)


def _tell(reply_fd: int, message: dict) -> None:  # pragma: no cover - in the helper process
    """One reply line to the build; if the build is gone (killed), leave quietly (no BrokenPipeError in its log)."""
    try:
        os.write(reply_fd, json.dumps(message).encode() + b"\n")
    except OSError:
        os._exit(0)


def _reap(signum: int, frame: Any) -> None:  # pragma: no cover - in the helper process
    try:
        while os.waitpid(-1, os.WNOHANG)[0]:
            pass
    except ChildProcessError:
        pass


def _kernel(request: dict, reply_fd: int, start_dir: str) -> int:  # pragma: no cover - in the forked kernel
    """In the forked child: become a fresh kernel (own session, folder, environment, seeds), then run it."""
    import atexit
    import random

    os.setsid()  # like jupyter_client's start_new_session: the terminal's Ctrl-C does not reach the kernel
    signal.signal(signal.SIGCHLD, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.default_int_handler)  # the helper ignores it; a kernel is interrupted by it
    null = os.open(os.devnull, os.O_RDONLY)
    os.dup2(null, 0)
    os.close(null)
    os.chdir(request["cwd"])
    os.environ.clear()
    os.environ.update(request["env"])
    os.environ["JPY_PARENT_PID"] = str(os.getppid())
    random.seed()
    if "numpy" in sys.modules:
        sys.modules["numpy"].random.seed()
    if sys.path and sys.path[0] in ("", start_dir):  # as ipykernel_launcher: IPython puts '' back
        del sys.path[0]
    import ipykernel
    from ipykernel import kernelapp

    sys.argv = [str(Path(ipykernel.__file__).parent.parent / "ipykernel_launcher.py"), "-f", request["connection_file"]]
    os.write(reply_fd, json.dumps({"pid": os.getpid()}).encode() + b"\n")
    os.close(reply_fd)

    code = 0
    try:
        kernelapp.launch_new_instance(argv=["-f", request["connection_file"],
                                            f"--IPKernelApp.parent_handle={os.getppid()}"])
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    finally:
        atexit._run_exitfuncs()
        for stream in (sys.stdout, sys.stderr):
            try:
                stream.flush()
            except Exception:  # noqa: BLE001
                pass
    return code
