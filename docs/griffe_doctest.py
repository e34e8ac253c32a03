"""Griffe extension: doctest blocks become ``pycon`` code fences, Sphinx roles inline code.

The package's docstrings carry runnable examples (``>>>``) in module overviews and
descriptions, not only under an ``Examples`` heading.  Markdown would read ``>>>`` as
nested block quotes and a printed list such as ``['a', 'b']`` as a link reference, so
this extension fences every doctest block (from a ``>>>`` line to the next blank line)
before mkdocstrings parses the docstring.  Loaded by mkdocs.yml
(``plugins.mkdocstrings.handlers.python.options.extensions``).  Sphinx roles such as
``:func:`x``` are written as inline code.
"""
from __future__ import annotations

import re
from typing import Any

import griffe

_PROMPT = re.compile(r"^(\s*)>>>")
_ROLE = re.compile(r":(?:py:)?(?:func|class|meth|mod|data|attr|obj|exc|const):`~?([^`]+)`")


def plain_roles(text: str) -> str:
    """Sphinx cross-reference roles become inline code (Markdown has no roles).

    >>> plain_roles("See :func:`alliance_study.score` and :class:`~x.Corpus`.")
    'See `alliance_study.score` and `x.Corpus`.'
    """
    return _ROLE.sub(r"`\1`", text)


def fence_doctests(text: str) -> str:
    r"""Wrap each run of doctest lines in a fenced ``pycon`` block (existing fences kept).

    >>> fence_doctests("Intro.\n\n>>> 1 + 1\n2\n\nEnd.").splitlines()
    ['Intro.', '', '```pycon', '>>> 1 + 1', '2', '```', '', 'End.']
    """
    out: list[str] = []
    in_fence = False
    indent: str | None = None  # indentation of the open doctest block, None when none is open
    for line in text.split("\n"):
        if indent is not None and not line.strip():
            out.append(f"{indent}```")
            indent = None
        if indent is None and line.lstrip().startswith("```"):
            in_fence = not in_fence
        elif indent is None and not in_fence:
            m = _PROMPT.match(line)
            if m:
                indent = m.group(1)
                out.append(f"{indent}```pycon")
        out.append(line)
    if indent is not None:
        out.append(f"{indent}```")
    return "\n".join(out)


class FenceDoctests(griffe.Extension):
    """Fence the doctest blocks of every docstring."""

    def on_instance(self, *, obj: griffe.Object, **kwargs: Any) -> None:
        if obj.docstring is not None:
            obj.docstring.value = plain_roles(fence_doctests(obj.docstring.value))
