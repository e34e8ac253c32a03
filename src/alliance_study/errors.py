"""The one family of errors a user may see (bottom layer: imports nothing of the package).

Each error carries a message that names the file (and line or key, where there is
one), the reason, and what to do.  The command line prints these messages without
a traceback and exits with the error's :attr:`~AllianceStudyError.exit_code`;
anything else is a bug and is reported as one.

>>> err = InputError("corpus.csv line 3: empty text. Fix: remove the row.")
>>> err.exit_code
2
>>> str(CorpusError(["a.txt line 2: file not found. Fix: check the path."])).splitlines()[0]
'1 corpus problem:'
"""
from __future__ import annotations

import difflib
from typing import Any, Iterable


def did_you_mean(word: Any, choices: Iterable[str], cutoff: float = 0.6) -> str:
    """`` (did you mean 'x'?)`` for the choice closest to a misspelt ``word``, or ``""``: for messages.

    >>> did_you_mean("case_sensitiv", ["case_sensitive", "cue"]), did_you_mean("zzz", ["cue"])
    (" (did you mean 'case_sensitive'?)", '')
    """
    close = difflib.get_close_matches(str(word), list(choices), n=1, cutoff=cutoff)
    return f" (did you mean {close[0]!r}?)" if close else ""


class AllianceStudyError(Exception):
    """Base class of every error meant for the user (printed without a traceback)."""

    exit_code = 1


class InputError(AllianceStudyError):
    """An input file or table cannot be used as given (missing column, unreadable file ...)."""

    exit_code = 2


class LexiconError(InputError, ValueError):
    """A lexicon, rule or actor file is malformed or missing; the message names the file and entry."""


class ParameterError(InputError):
    """A report parameter has an unknown name or a value of the wrong type."""


class BuildError(AllianceStudyError):
    """A report build failed (a notebook raised, an output folder is unusable ...)."""

    exit_code = 1


class CorpusError(AllianceStudyError):
    """The corpus cannot be loaded as asked; ``.problems`` lists every problem found.

    ``problems`` are :class:`alliance_study.corpus.Problem` objects (anything with a
    ``severity`` attribute and a readable ``str``); errors are listed before warnings.

    Examples
    --------
    >>> from alliance_study.corpus import Problem
    >>> err = CorpusError([Problem("x.txt", 2, "file not found", "check the path")])
    >>> err.problems[0].reason
    'file not found'
    >>> print(err)
    1 corpus problem:
      x.txt line 2: file not found. Fix: check the path.
    """

    exit_code = 1

    def __init__(self, problems: Iterable):
        self.problems = list(problems)
        errors = [p for p in self.problems if getattr(p, "severity", "error") == "error"]
        warnings = [p for p in self.problems if getattr(p, "severity", "error") != "error"]
        n = len(errors)
        head = f"{n} corpus problem{'s' if n != 1 else ''}" if n else f"{len(warnings)} corpus warning(s)"
        if n and warnings:
            head += f" (and {len(warnings)} warning{'s' if len(warnings) != 1 else ''})"
        lines = [head + ":"] + [f"  {p}" for p in errors] + [f"  warning: {p}" for p in warnings]
        super().__init__("\n".join(lines))
