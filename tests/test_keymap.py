"""One keymap: the README's table is keymap.KEYS, and every binding in the app comes from it."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import re
from pathlib import Path

import pytest
from textual.binding import Binding
from textual.dom import DOMNode

from mentor_tui.keymap import KEYS, binding
from mentor_tui.navigation import NAVIGATION, SECTION_KEYS

README = Path(__file__).resolve().parents[1] / "README.md"
MOVING = {"up", "down", "left", "right", "pageup", "pagedown", "home", "end"}
"""Keys that move within one control (a day up or down in a date field), as Textual's own widgets use them."""


def readme_section(name: str) -> str:
    text = README.read_text(encoding="utf-8")
    match = re.search(rf"<!-- section: {name} -->\n(.*?)<!-- /section: {name} -->", text, re.DOTALL)
    assert match, f"README.md has no {name} section"
    return match.group(1)


def readme_keys() -> list[tuple[str, str, str]]:
    rows = []
    for line in readme_section("keys").splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")] if line.startswith("|") else []
        if len(cells) == 3 and cells[0].startswith("`"):
            rows.append((cells[0].strip("`"), cells[1], cells[2]))
    return rows


def test_the_readme_lists_exactly_the_keymap():
    assert readme_keys() == [(key.display, key.where, key.description) for key in KEYS]


def test_the_readme_names_each_roles_sections_by_key():
    section = " ".join(readme_section("keys").split())
    for role, items in NAVIGATION.items():
        listed = ", ".join(f"`{key.upper()}` {item.title}" for key, item in zip(SECTION_KEYS, items))
        assert f"for a {role} {listed}" in section


def node_classes() -> list[type[DOMNode]]:
    """Every Textual class the app defines."""
    modules = [importlib.import_module("mentor_tui.app")]
    for name in ("mentor_tui.screens", "mentor_tui.widgets"):
        package = importlib.import_module(name)
        modules += [importlib.import_module(f"{name}.{info.name}") for info in pkgutil.iter_modules(package.__path__)]
    return sorted(
        {cls for module in modules for _, cls in inspect.getmembers(module, inspect.isclass)
         if issubclass(cls, DOMNode) and cls.__module__.startswith("mentor_tui.")},
        key=lambda cls: f"{cls.__module__}.{cls.__qualname__}",
    )


@pytest.mark.parametrize("cls", node_classes(), ids=lambda cls: f"{cls.__module__}.{cls.__qualname__}")
def test_every_binding_is_a_row_of_the_keymap(cls):
    known = {(key.key, key.action) for key in KEYS}
    for bound in cls.__dict__.get("BINDINGS", []):
        assert isinstance(bound, Binding), f"{cls.__name__}: a binding written as a tuple: {bound}"
        if bound.key in MOVING:
            continue
        assert (bound.key, bound.action) in known, f"{cls.__name__}: {bound.key} -> {bound.action} is not in KEYS"


def test_a_binding_carries_the_keymaps_key_and_description():
    made = binding("new", label="Book")
    assert (made.key, made.action, made.description, made.tooltip) == (
        "ctrl+n", "new", "Book", "Book the selected mentor; add an availability window; create an account"
    )
