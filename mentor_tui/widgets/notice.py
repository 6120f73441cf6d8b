"""A plain message in place of content: an empty state or a section that is not there."""

from __future__ import annotations

from textual.widgets import Static


class Notice(Static):
    DEFAULT_CSS = """
    Notice {
        width: 1fr;
        height: 1fr;
        content-align: center middle;
        text-align: center;
        color: $text-muted;
        padding: 1 2;
    }
    """

