"""The package layout holds its rules: each stage imports only downward, with no circles.

The rules are import-linter contracts in pyproject.toml ([tool.importlinter]); imports inside
functions count too. Each stage's package says in its docstring what it owns.
"""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
from pathlib import Path

from .conftest import ROOT

SOURCE = ROOT / "src" / "notebuild"


def test_the_import_contracts_are_kept():
    lint = shutil.which("lint-imports", path=str(Path(sys.executable).parent))
    assert lint, "import-linter is missing: run `make test`"
    result = subprocess.run(
        [lint, "--no-cache"], cwd=ROOT, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def test_every_stage_package_says_what_it_owns():
    for init in sorted(SOURCE.glob("*/__init__.py")):
        if init.parent.name in {"data"}:
            continue
        docstring = ast.get_docstring(ast.parse(init.read_text("utf-8")))
        assert docstring and len(docstring) > 40, f"{init.parent.name}/__init__.py"


# Above the engines, the budget note is a kind like any other: named in kind.yaml, not in code.
ABOVE_THE_ENGINES = ["pipeline.py", "fix_totals.py", "cli.py", "round", "commands", "preview"]


def test_no_module_above_the_engines_names_the_budget_note_kind():
    files = [
        file
        for name in ABOVE_THE_ENGINES
        for file in ([SOURCE / name] if name.endswith(".py") else (SOURCE / name).glob("*.py"))
    ]
    assert len(files) > 10
    named = []
    for file in files:
        for node in ast.walk(ast.parse(file.read_text("utf-8"))):
            words: list[str] = []
            if isinstance(node, ast.ImportFrom):
                words = [node.module or "", *(a.name for a in node.names)]
            elif isinstance(node, ast.Import):
                words = [a.name for a in node.names]
            elif isinstance(node, ast.Name):
                words = [node.id]
            elif isinstance(node, ast.Attribute):
                words = [node.attr]
            elif isinstance(node, ast.Constant) and node.value == "budgetnotat":
                words = ["'budgetnotat'"]
            for word in words:
                if "budgetnote" in word.replace("_", "").casefold() or word == "'budgetnotat'":
                    named.append(f"{file.relative_to(SOURCE)}:{node.lineno}: {word}")
    assert not named, "\n".join(named)
