"""Running a build's notebooks: side by side, longest first, kernels from the warm helper.

Each notebook reads the processed tables and nothing another notebook writes, so they
are independent: :func:`run_notebooks` runs them ``jobs`` at a time, the one that took
longest in the last build first (:func:`notebook_times`, kept in the cache), so the
side-by-side runs end close together.  Kernels are forked from the build's helper
process (:class:`~alliance_study.report.kernels.WarmKernels`) when it serves, which the
build starts before processing for a small corpus (:func:`small_corpus`) and after it
for a large one.  The report's exporter is warmed up while the last notebook runs.
:func:`final_paths` then points the executed notebooks' parameters at the installed folders.
"""
from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import tempfile
from pathlib import Path

from ..io import write_json_atomic
from .assemble import warm_up_in_background
from .execute import execute_notebook, kernel_env
from .kernels import WarmKernels
from .study import Study

__all__ = ["run_notebooks", "notebook_times", "small_corpus", "SMALL_CORPUS_BYTES", "SMALL_CORPUS_FILES"]


#: a corpus up to this size (input bytes, or files of a folder) starts the kernels' helper before processing
SMALL_CORPUS_BYTES = 4 * 2**20
SMALL_CORPUS_FILES = 2000


def small_corpus(study: Study) -> bool:
    """Whether the corpus's input files are small (:data:`SMALL_CORPUS_BYTES`, :data:`SMALL_CORPUS_FILES`),
    counted until the limits are passed (a large folder is not walked to the end)."""
    total, files = 0, 0
    try:
        paths = iter(study.table) if study.table else (
            Path(root) / f for root, _, names in os.walk(study.folder) for f in names) if study.folder else iter(())
        for path in paths:
            total, files = total + Path(path).stat().st_size, files + 1
            if total > SMALL_CORPUS_BYTES or files > SMALL_CORPUS_FILES:
                return False
    except OSError:
        return True  # the build itself names what is missing
    return True


def run_notebooks(notebooks, nb_params, declared, report_dir: Path, notebooks_dir, output_dir: Path, kernel_name,
                   cell_timeout, progress, jobs: int | None, warm: WarmKernels | None = None) -> list[Path]:
    """Run the notebooks (independent of each other: each reads the processed tables), ``jobs`` at a time.

    Returns the executed notebooks in their order.  The first failure stops the build
    (notebooks already running finish first).
    """
    import concurrent.futures

    from ..scale.tasks import default_jobs

    width = max(1, min(len(notebooks), jobs or default_jobs()))
    outs = [report_dir / "notebooks" / nb.name for nb in notebooks]
    ipc_dir = Path(tempfile.mkdtemp(prefix="als-ipc-"))  # short path: Unix socket names are limited
    with kernel_env(), contextlib.ExitStack() as cleanup:
        cleanup.callback(shutil.rmtree, ipc_dir, True)

        def one(i: int, nb: Path, bar) -> None:
            mine = {k: v for k, v in nb_params.items() if k in declared and nb.name in declared[k].notebooks}
            own_ipc = ipc_dir / str(i)  # one folder per kernel: side by side, their socket names must not clash
            own_ipc.mkdir()
            execute_notebook(nb, outs[i], mine, cwd=notebooks_dir, failed_dir=output_dir / "failed",
                             ipc_dir=own_ipc, kernel_name=kernel_name, cell_timeout=cell_timeout, progress_bar=bar,
                             warm=warm)

        if width == 1:
            for i, nb in enumerate(notebooks):
                if i == len(notebooks) - 1:
                    warm_up_in_background()  # the report's exporter, while the last notebook runs
                with progress.notebook(i + 1, len(notebooks), nb.name) as st:
                    one(i, nb, st.bar)
            return outs
        import time

        def timed(i: int, nb: Path) -> float:
            t = time.monotonic()
            one(i, nb, False)
            return time.monotonic() - t

        progress.say(f"running {len(notebooks)} notebooks, {width} side by side")
        last = notebook_times()
        # longest first (by their last run time): the side-by-side runs end closest together
        order = sorted(range(len(notebooks)), key=lambda i: -last.get(notebooks[i].name, 0.0))
        took: dict[str, float] = {}
        with concurrent.futures.ThreadPoolExecutor(max_workers=width) as pool:
            futures = {pool.submit(timed, i, notebooks[i]): (i, notebooks[i]) for i in order}
            try:
                for fut in concurrent.futures.as_completed(futures):
                    i, nb = futures[fut]
                    took[nb.name] = fut.result()
                    progress.say(f"[{i + 1}/{len(notebooks)}] {nb.name} {took[nb.name]:.1f} s")
                    if len(took) == len(notebooks) - 1:  # one left: a core is free for the report's exporter
                        warm_up_in_background()
            except BaseException:
                for f in futures:
                    f.cancel()
                raise
        notebook_times({**last, **took})
    return outs


def notebook_times(update: dict[str, float] | None = None) -> dict[str, float]:
    """The last run time of each notebook (kept in the cache; only the order of runs depends on it)."""
    from .partitions import cache_root

    path = cache_root() / "notebook_times.json"
    if update is not None:
        with contextlib.suppress(OSError):
            write_json_atomic(path, {k: round(v, 1) for k, v in sorted(update.items())})
        return update
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return {str(k): float(v) for k, v in data.items()} if isinstance(data, dict) else {}
    except (OSError, ValueError, TypeError):
        return {}


def final_paths(notebooks: list[Path], moves: dict[Path, Path]) -> None:
    """Point the parameters papermill injected into each executed notebook at where the staged
    folders end up (``moves``: staged folder -> final folder), in its cell and its metadata, and
    leave out what differs between two builds of the same inputs (:func:`_same_bytes`).

    A researcher who opens ``reports/notebooks/...`` and changes a parameter then reads and
    writes the build's tables and figures, not a temporary folder that is gone.
    """
    import nbformat

    def moved(value):
        if isinstance(value, str):
            for old, new in moves.items():
                if value == str(old) or value.startswith(str(old) + os.sep):
                    return str(new) + value[len(str(old)):]
        return value

    for path in notebooks:
        nb = nbformat.read(path, as_version=4)
        meta = nb.metadata.get("papermill", {})
        params = meta.get("parameters", {})
        changed = {k: moved(v) for k, v in params.items() if moved(v) != v}
        params.update(changed)
        for key in ("input_path", "output_path"):
            if key in meta:
                meta[key] = moved(meta[key])
        for cell in nb.cells:
            if "injected-parameters" in cell.get("metadata", {}).get("tags", []):
                for k, v in changed.items():
                    cell.source = re.sub(rf"(?m)^{re.escape(k)} = .*$", lambda _m: f"{k} = {json.dumps(v)}", cell.source)
        _same_bytes(nb)
        nbformat.write(nb, path)


#: papermill's and nbclient's clock readings: they differ between two builds of the same inputs
_TIMES = ("start_time", "end_time", "duration")


def _same_bytes(nb) -> None:
    """Leave out of an executed notebook what changes from build to build with the same inputs: papermill's
    start and end times and durations, nbclient's execution timestamps, and the random id papermill gives
    its injected-parameters cell (it becomes one made from the cell's text).

    >>> import nbformat
    >>> nb = nbformat.v4.new_notebook()
    >>> nb.metadata["papermill"] = {"duration": 1.5, "parameters": {"seed": 1}}
    >>> cell = nbformat.v4.new_code_cell("seed = 1")
    >>> cell.metadata.update(tags=["injected-parameters"], execution={"iopub.status.busy": "2026-01-01"},
    ...                      papermill={"duration": 0.1, "status": "completed"})
    >>> nb.cells = [cell]
    >>> _same_bytes(nb)
    >>> dict(nb.metadata["papermill"]), dict(cell.metadata), cell.id
    ({'parameters': {'seed': 1}}, {'tags': ['injected-parameters'], 'papermill': {'status': 'completed'}}, 'injected-parameters-1d932908')
    """
    import hashlib

    for key in _TIMES:
        nb.metadata.get("papermill", {}).pop(key, None)
    for cell in nb.cells:
        cell.get("metadata", {}).pop("execution", None)
        for key in _TIMES:
            cell.get("metadata", {}).get("papermill", {}).pop(key, None)
        if "injected-parameters" in cell.get("metadata", {}).get("tags", []) and "id" in cell:
            cell["id"] = "injected-parameters-" + hashlib.sha256(cell.source.encode("utf-8")).hexdigest()[:8]
