"""The one family of errors a user may see: each carries a message that names the
file (and line, where there is one), the reason, and what to do.  The CLI prints
these messages without a traceback; anything else is a bug and is reported as one.
"""
from __future__ import annotations


class AllianceStudyError(Exception):
    """Base class of every error meant for the user (printed without a traceback)."""

    exit_code = 1


class InputError(AllianceStudyError):
    """An input file or table cannot be used as given (missing column, unreadable file ...)."""

    exit_code = 2
