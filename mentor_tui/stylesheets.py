"""The app's stylesheets (``styles/``), in two parts: what the first frame of a signed-out
start needs, and what only a signed-in home needs.

Textual parses every stylesheet it is given before the first frame: a signed-out start
is given only the first part, and the home screen brings the rest (as its ``CSS_PATH``)
when it is first shown. A start that restores a sign-in is given both at once, since the
stylesheet added with a screen is parsed again with all the others.
"""

from __future__ import annotations

from pathlib import Path, PurePath

_FOLDER = Path(__file__).with_name("styles")

FIRST: list[str | PurePath] = [_FOLDER / "auth.tcss"]
"""The sign-in and sign-up forms (the help screen, open from them too, has its own styles)."""
HOME: list[str | PurePath] = [
    _FOLDER / "shell.tcss", _FOLDER / "sessions.tcss", _FOLDER / "forms.tcss", _FOLDER / "messages.tcss",
]
"""The home frame, the inbox, the sections' panes and the dialogs opened from them."""

__all__ = ["FIRST", "HOME"]
