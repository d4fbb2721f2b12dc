"""The direction of the arrows between stages (docs/architecture.md), read from the source with ast.

Every ``import`` of every module of the package counts, wherever it stands: at the top, inside a
function (the lazy imports that keep start-up fast) or under ``TYPE_CHECKING``. A stage that
needs something from a stage above it is a design change, not an import.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "harbinger"

#: What each part of the package may not import (a package, or a top-level module).
FORBIDDEN: dict[str, frozenset[str]] = {
    "records": frozenset(
        {"cli", "web", "report", "analyze", "store", "evaluate", "extract", "ingest", "geo"}
    ),
    "errors": frozenset(
        {"cli", "web", "report", "analyze", "store", "evaluate", "extract", "ingest", "geo"}
    ),
    "knowledge": frozenset(
        {"cli", "web", "report", "analyze", "store", "evaluate", "extract", "ingest", "geo"}
    ),
    "geo": frozenset({"cli", "web", "report", "analyze", "store", "evaluate", "extract", "ingest"}),
    "ingest": frozenset({"cli", "web", "report", "analyze", "store", "evaluate", "extract"}),
    "extract": frozenset({"cli", "web", "report", "analyze", "store", "evaluate"}),
    "store": frozenset({"cli", "web", "report", "analyze", "evaluate", "extract", "ingest"}),
    "analyze": frozenset({"cli", "web", "report", "evaluate"}),
    "evaluate": frozenset({"cli", "web", "report", "store"}),
    "report": frozenset({"cli", "web"}),
    "web": frozenset({"cli"}),
}


def imported_modules(path: Path, package: Path = PACKAGE) -> list[tuple[int, str]]:
    """(line, module) of every import in a file, relative imports resolved against the package."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    parts = list(path.relative_to(package.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                # A module's own package is parts[:-1]; an __init__'s is parts itself.
                base = parts if path.name == "__init__.py" else parts[:-1]
                base = base[: len(base) - node.level + 1]
                module = ".".join([*base, *([node.module] if node.module else [])])
            else:
                module = node.module or ""
            found.append((node.lineno, module))
            # "from harbinger import cli" names a package in the imported names.
            if module == "harbinger":
                found += [(node.lineno, f"harbinger.{alias.name}") for alias in node.names]
    return found


def part_of(module: str) -> str | None:
    """The stage a ``harbinger.*`` module belongs to ("harbinger.geo.names" → "geo")."""
    pieces = module.split(".")
    return pieces[1] if len(pieces) > 1 and pieces[0] == "harbinger" else None


def violations(package: Path = PACKAGE) -> list[str]:
    """Every import that goes against the arrows, as "file:line imports module"."""
    bad: list[str] = []
    for path in sorted(package.rglob("*.py")):
        rel = path.relative_to(package)
        own = rel.parts[0].removesuffix(".py")
        if own == "migrations":
            continue
        for line, module in imported_modules(path, package):
            target = part_of(module)
            if target is None or target == own:
                continue
            if target == "cli":
                bad.append(f"{rel}:{line} imports {module} (only harbinger.cli may)")
            elif target in FORBIDDEN.get(own, frozenset()):
                bad.append(f"{rel}:{line} imports {module} ({own} may not import {target})")
    return bad


def test_imports_follow_the_arrows() -> None:
    bad = violations()
    assert not bad, "imports against docs/architecture.md:\n" + "\n".join(bad)


def test_the_check_sees_every_kind_of_import(tmp_path: Path) -> None:
    """A lazy import, a TYPE_CHECKING import, ``from harbinger import cli`` and a relative import
    are all caught; an import within a stage is not."""
    pkg = tmp_path / "harbinger"
    (pkg / "geo").mkdir(parents=True)
    (pkg / "analyze").mkdir()
    (pkg / "geo" / "__init__.py").write_text("")
    (pkg / "geo" / "names.py").write_text(
        "from typing import TYPE_CHECKING\n"
        "from harbinger.geo import gazetteer\n"
        "if TYPE_CHECKING:\n"
        "    from harbinger.store import Store\n"
        "def f():\n"
        "    from harbinger.extract.coder import Coder\n"
    )
    (pkg / "analyze" / "x.py").write_text(
        "from harbinger import cli\nimport harbinger.web.app\nfrom ..report import situation\n"
    )
    found = violations(pkg)
    assert found == [
        "analyze/x.py:1 imports harbinger.cli (only harbinger.cli may)",
        "analyze/x.py:2 imports harbinger.web.app (analyze may not import web)",
        "analyze/x.py:3 imports harbinger.report (analyze may not import report)",
        "geo/names.py:4 imports harbinger.store (geo may not import store)",
        "geo/names.py:6 imports harbinger.extract.coder (geo may not import extract)",
    ]


@pytest.mark.parametrize("stage", sorted(FORBIDDEN))
def test_every_stage_named_in_the_rules_exists(stage: str) -> None:
    assert (PACKAGE / stage).is_dir() or (PACKAGE / f"{stage}.py").is_file()
