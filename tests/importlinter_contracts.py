"""Custom import-linter contract: no module imports a private module of another package.

A module is private when a part of its dotted name starts with one underscore
(``alliance_study.compare._tables``).  It may be imported only from inside the
package that holds it (``alliance_study.compare.*``).  Used by the
``[[tool.importlinter.contracts]]`` of type ``private_modules`` in pyproject.toml;
``make test`` runs ``lint-imports`` with ``tests/`` on ``PYTHONPATH``.
"""
from __future__ import annotations

from importlinter.application import output
from importlinter.domain import fields
from importlinter.domain.contract import Contract, ContractCheck


def _private_owner(module: str) -> str | None:
    """The package a private module belongs to, or None when the module is public."""
    parts = module.split(".")
    for i, part in enumerate(parts):
        if part.startswith("_") and not part.startswith("__"):
            return ".".join(parts[:i])
    return None


class PrivateModulesContract(Contract):
    """Every import of a private module comes from inside the package that owns it."""

    containers = fields.ListField(subfield=fields.StringField())

    def check(self, graph, verbose: bool) -> ContractCheck:
        roots = tuple(self.containers)
        broken = []
        for importer in sorted(graph.modules):
            if not importer.startswith(roots):
                continue
            for imported in sorted(graph.find_modules_directly_imported_by(importer)):
                owner = _private_owner(imported)
                if owner is None or importer == owner or importer.startswith(owner + "."):
                    continue
                lines = sorted(d["line_number"] for d in graph.get_import_details(importer=importer, imported=imported))
                broken.append({"importer": importer, "imported": imported, "lines": lines})
        return ContractCheck(kept=not broken, metadata={"broken": broken})

    def render_broken_contract(self, check: ContractCheck) -> None:
        for b in check.metadata["broken"]:
            where = ", ".join(f"l.{n}" for n in b["lines"])
            output.print(f"{b['importer']} imports the private module {b['imported']} ({where}): "
                         f"make what it needs public in its package, or move the code there.")
            output.new_line()
