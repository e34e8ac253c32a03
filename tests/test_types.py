"""Type hints on the public API.

mypy (``make test`` runs ``.venv/bin/mypy``, configured by mypy.ini) checks that the
annotations agree with the code.  It cannot tell a public function from a private
helper, so this test checks the other half: every public function, and every public
method of a public class -- the names in ``alliance_study.__all__`` and in the
``__all__`` of every public subpackage and top-level module -- annotates every
parameter and its return value, so that users' type checkers see the API
(the package ships ``py.typed``).
"""
from __future__ import annotations

import importlib
import inspect
import pkgutil
from typing import Any, Callable

import alliance_study

# Modules whose public annotations are not checked yet (module -> reason); empty: all are.
NOT_YET: dict[str, str] = {}


def public_api() -> dict[str, list[str]]:
    """``{module: names}``: the package, its public subpackages and top-level modules with ``__all__``."""
    out = {"alliance_study": list(alliance_study.__all__)}
    for info in pkgutil.walk_packages(alliance_study.__path__, "alliance_study."):
        public = not any(p.startswith("_") for p in info.name.split("."))
        if public and (info.ispkg or info.name.count(".") == 1):
            mod = importlib.import_module(info.name)
            if hasattr(mod, "__all__"):
                out[info.name] = [n for n in mod.__all__ if not n.startswith("__")]
    return out


def _skipped(obj: Any) -> bool:
    where = getattr(obj, "__module__", "") or ""
    return any(where == m or where.startswith(m + ".") for m in NOT_YET)


def unannotated(fn: Callable[..., Any], qualname: str) -> list[str]:
    """The parameters (and the return) of ``fn`` that carry no annotation.

    >>> def f(a: int, b, *args, **kw) -> None: ...
    >>> unannotated(f, "f")
    ['f(b)', 'f(*args)', 'f(**kw)']
    >>> unannotated(lambda x: x, "g")
    ['g(x)', 'g -> ?']
    """
    sig = inspect.signature(fn)
    bad = []
    for name, p in sig.parameters.items():
        if name in ("self", "cls") or p.annotation is not inspect.Parameter.empty:
            continue
        star = {p.VAR_POSITIONAL: "*", p.VAR_KEYWORD: "**"}.get(p.kind, "")
        bad.append(f"{qualname}({star}{name})")
    if sig.return_annotation is inspect.Signature.empty and fn.__name__ != "__init__":
        bad.append(f"{qualname} -> ?")
    return bad


def test_public_functions_and_methods_are_annotated():
    seen: set[int] = set()
    problems: list[str] = []
    checked = 0
    for module, names in public_api().items():
        mod = importlib.import_module(module)
        for name in names:
            obj = getattr(mod, name)
            if id(obj) in seen or _skipped(obj):
                continue
            seen.add(id(obj))
            if inspect.isfunction(obj):
                checked += 1
                problems += unannotated(obj, f"{obj.__module__}.{obj.__qualname__}")
            elif inspect.isclass(obj) and obj.__module__.startswith("alliance_study"):
                for attr, member in vars(obj).items():
                    if inspect.isfunction(member) and (not attr.startswith("_") or attr == "__init__"):
                        checked += 1
                        problems += unannotated(member, f"{obj.__module__}.{obj.__qualname__}.{attr}")
    assert checked > 50, f"only {checked} public functions found: the walk of __all__ is broken"
    assert not problems, "public API without type hints (annotate them):\n" + "\n".join(problems)

