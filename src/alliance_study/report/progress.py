"""Progress of a build on stderr: bars on a terminal, one line per stage with its time otherwise.

On a terminal each stage (loading, scoring, comparing ...) and each notebook gets a
tqdm bar (a notebook's bar counts its cells); in a log file or CI output each finished
stage is one line, ``alliance-study build: <stage> <seconds> s``, so logs stay readable.

>>> import io
>>> out = io.StringIO()
>>> p = Progress(stream=out, tty=False)
>>> with p.stage("load corpus") as st:
...     st.note("5 articles")
>>> out.getvalue().startswith("alliance-study build: load corpus ")
True
>>> out.getvalue().rstrip().endswith("s (5 articles)")
True
"""
from __future__ import annotations

import contextlib
import shutil
import sys
import time
from typing import IO, Any, Iterator

__all__ = ["Progress"]

_PREFIX = "alliance-study build:"


_HEIGHT = 40  # tqdm hides bars below the screen height; a terminal of unknown size reports 0


def _width() -> int:
    """Terminal width for the bars (80 when the terminal does not say)."""
    return min(shutil.get_terminal_size((80, 20)).columns or 80, 120)


class _Stage:
    """What a running stage may add to its line (``note``) or, in a notebook, to papermill (``bar``)."""

    def __init__(self, bar: bool | dict[str, Any] = False):
        self.text = ""
        self.bar = bar

    def note(self, text: str) -> None:
        self.text = text


class Progress:
    """Stage and notebook progress on ``stream`` (default stderr).

    Parameters
    ----------
    enabled : bool
        False: print nothing.
    stream : file, optional
        Where progress goes (default ``sys.stderr``).
    tty : bool, optional
        Bars (True) or lines (False); default: whether ``stream`` is a terminal.
    """

    def __init__(self, enabled: bool = True, stream: IO[str] | None = None, tty: bool | None = None):
        self.enabled = enabled
        self.stream = stream if stream is not None else sys.stderr
        if tty is None:
            tty = bool(getattr(self.stream, "isatty", lambda: False)())
        self.tty = tty
        self.t0 = time.monotonic()

    def _line(self, text: str) -> None:
        if self.enabled:
            print(f"{_PREFIX} {text}", file=self.stream, flush=True)

    @contextlib.contextmanager
    def stage(self, name: str) -> Iterator[_Stage]:
        """A stage of the build; on success its time is shown (bar completed, or one line)."""
        st, t, bar = _Stage(), time.monotonic(), None
        if self.enabled and self.tty:
            from tqdm.auto import tqdm

            bar = tqdm(total=1, desc=name, file=self.stream, leave=True, ncols=_width(), nrows=_HEIGHT,
                       bar_format="{desc}: {bar} {elapsed}{postfix}")
        try:
            yield st
        except BaseException:
            if bar is not None:
                bar.close()
            raise
        if bar is not None:
            bar.update(1)
            if st.text:
                bar.set_postfix_str(st.text)
            bar.close()
        else:
            self._line(f"{name} {time.monotonic() - t:.1f} s" + (f" ({st.text})" if st.text else ""))

    @contextlib.contextmanager
    def notebook(self, i: int, n: int, name: str) -> Iterator[_Stage]:
        """Running notebook ``i`` of ``n``; ``.bar`` is papermill's ``progress_bar`` argument (a cell bar on a terminal)."""
        bar: bool | dict[str, Any] = False
        if self.enabled and self.tty:
            bar = {"desc": f"[{i}/{n}] {name}", "file": self.stream, "leave": True, "ncols": _width(),
                   "nrows": _HEIGHT}
        st, t = _Stage(bar), time.monotonic()
        yield st
        if not bar:
            self._line(f"[{i}/{n}] {name} {time.monotonic() - t:.1f} s")

    def say(self, text: str) -> None:
        """One line of news (waiting for a lock, a stale lock taken over)."""
        self._line(text)

    def done(self, text: str) -> None:
        """The last line: what was written and the total time."""
        self._line(f"{text} in {time.monotonic() - self.t0:.1f} s")
