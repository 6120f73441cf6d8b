"""The checks that keep the shape: mypy over the package and the import contracts
(pyproject.toml's ``[tool.mypy]`` and ``[tool.importlinter]``), run with the tests so CI
fails when either is broken. Each also has a test showing it does fail on a violation."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PYPROJECT = ROOT / "pyproject.toml"
BIN = Path(sys.executable).parent


def _run(args: list[str], cwd: Path, pythonpath: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ)
    if pythonpath is not None:
        env["PYTHONPATH"] = str(pythonpath)
    env.pop("MYPYPATH", None)
    return subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=600)


def _copy(tmp_path: Path) -> Path:
    """A copy of the package and its settings, to break on purpose."""
    shutil.copytree(ROOT / "mentor_tui", tmp_path / "mentor_tui", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(PYPROJECT, tmp_path / "pyproject.toml")
    return tmp_path


def _mypy(cwd: Path, cache: Path) -> subprocess.CompletedProcess[str]:
    return _run([sys.executable, "-m", "mypy", "--cache-dir", str(cache)], cwd)


def _lint_imports(cwd: Path) -> subprocess.CompletedProcess[str]:
    return _run([str(BIN / "lint-imports"), "--no-cache"], cwd, pythonpath=cwd)


def test_the_package_type_checks(tmp_path: Path) -> None:
    result = _mypy(ROOT, tmp_path / "cache")
    assert result.returncode == 0, result.stdout + result.stderr


def test_a_type_error_fails_the_check(tmp_path: Path) -> None:
    copy = _copy(tmp_path / "copy")
    with (copy / "mentor_tui" / "domain" / "money.py").open("a", encoding="utf-8") as module:
        module.write('\n\ndef cents(amount: int) -> str:\n    return amount * 100\n')
    result = _mypy(copy, tmp_path / "cache")
    assert result.returncode == 1
    assert "money.py" in result.stdout and "Incompatible return value type" in result.stdout


def test_the_layers_hold() -> None:
    if not (BIN / "lint-imports").exists():
        pytest.fail("import-linter is not installed: pip install -e '.[test]'")
    result = _lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize(
    ("module", "line", "reported"),
    [
        ("screens/home.py", "from ..repository import local", "mentor_tui.screens.home -> mentor_tui.repository.local"),
        ("domain/money.py", "from ..services import core", "mentor_tui.domain.money -> mentor_tui.services.core"),
        ("domain/money.py", "import textual", "mentor_tui.domain.money -> textual"),
    ],
)
def test_a_forbidden_import_fails_the_check(tmp_path: Path, module: str, line: str, reported: str) -> None:
    copy = _copy(tmp_path)
    path = copy / "mentor_tui" / module
    path.write_text(path.read_text(encoding="utf-8") + f"\n{line}  # noqa\n", encoding="utf-8")
    result = _lint_imports(copy)
    assert result.returncode == 1
    assert reported in result.stdout, result.stdout
