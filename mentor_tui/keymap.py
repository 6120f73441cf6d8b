"""Every key of the app, with one meaning each: the README's table and the F1 help are made from this.

Screens build their bindings with :func:`binding` by action name, so a key can
not mean two things in two places. Letters act on the selected row of a list and
work only while the list (not a text box) has the focus; ctrl and function keys
work from anywhere, text boxes included.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol, runtime_checkable

from textual.binding import Binding


@dataclass(frozen=True)
class Key:
    key: str
    """Textual's name for the key."""
    action: str
    """The action it runs; the same name on every screen that has it."""
    label: str
    """The footer's word for it."""
    description: str
    """What it does, for the help screen, the palette and the README."""
    where: str
    shown: bool = True
    """False for keys the footer leaves out (navigation), which help still lists."""
    priority: bool = False

    @property
    def display(self) -> str:
        return DISPLAY.get(self.key, self.key)


DISPLAY = {
    "escape": "Esc",
    "slash": "/",
    "delete": "Del",
    "left_square_bracket": "[",
    "right_square_bracket": "]",
    "f1": "F1",
    "f2": "F2",
    "f3": "F3",
    "f4": "F4",
    "f5": "F5",
    "f6": "F6",
    "f7": "F7",
    "f8": "F8",
    "f9": "F9",
    "enter": "Enter",
    "tab": "Tab",
    "shift+tab": "Shift+Tab",
}

EVERYWHERE = "everywhere"
A_LIST = "a list of sessions"
FORMS = "forms and dialogs"
MESSAGE_BOX = "the message box"
CONVERSATIONS = "the list of conversations"
NOTES_DIALOG = "the notes dialog"
LISTS = "lists and the calendar"
CALENDAR = "the calendar and the schedule"

KEYS: tuple[Key, ...] = (
    Key("f1", "help", "Help", "Show every key and what it does", EVERYWHERE, priority=True),
    Key("ctrl+p", "command_palette", "Commands", "Search every action on this screen", EVERYWHERE, shown=False),
    Key("ctrl+q", "quit", "Quit", "Quit (asks first when a form has unsaved changes)", EVERYWHERE, priority=True),
    Key("ctrl+o", "sign_out", "Sign out", "Sign out (asks first when a form has unsaved changes)", EVERYWHERE),
    Key("escape", "close", "Close", "Close the dialog, or leave the search box", EVERYWHERE, shown=False),
    # Textual's own keys for these, taken before the focused widget (see ``MentorApp.BINDINGS``).
    Key("tab", "focus_next", "Next field", "Go to the next field, list or button", EVERYWHERE, shown=False,
        priority=True),
    Key("shift+tab", "focus_previous", "Previous field", "Go to the field, list or button before", EVERYWHERE,
        shown=False, priority=True),
    Key("f2", "section(1)", "Section 1", "Go to the first section (the tab labels show each key)", EVERYWHERE,
        shown=False, priority=True),
    Key("f3", "section(2)", "Section 2", "Go to the second section", EVERYWHERE, shown=False, priority=True),
    Key("f4", "section(3)", "Section 3", "Go to the third section", EVERYWHERE, shown=False, priority=True),
    Key("f5", "section(4)", "Section 4", "Go to the fourth section", EVERYWHERE, shown=False, priority=True),
    Key("f6", "section(5)", "Section 5", "Go to the fifth section", EVERYWHERE, shown=False, priority=True),
    Key("f7", "section(6)", "Section 6", "Go to the sixth section", EVERYWHERE, shown=False, priority=True),
    Key("f8", "inbox", "Inbox", "Show your notifications (the header counts the unread ones)", EVERYWHERE,
        priority=True),
    Key("ctrl+s", "save", "Save", "Save the form, or send the dialog", FORMS, priority=True),
    Key("ctrl+r", "refresh", "Refresh", "Load the list again", EVERYWHERE),
    Key("ctrl+n", "new", "New", "Book the selected mentor; add an availability window; create an account",
        EVERYWHERE),
    Key("ctrl+f", "search", "Search", "Go to the search box", EVERYWHERE),
    Key("ctrl+t", "filter", "Filter", "Filter: pick an expertise in the directory, the next status in Sessions", EVERYWHERE),
    Key("ctrl+g", "sort", "Sort", "Next sort order of the mentor directory", EVERYWHERE),
    Key("ctrl+l", "message", "Message",
        "Write to the other person of the selected session or student, or to a mentor you have booked", EVERYWHERE),
    Key("c", "confirm", "Confirm", "Confirm the selected request", A_LIST),
    Key("d", "decline", "Decline",
        "Decline the selected request, with an optional reason, or the other person's request to move it;"
        " withdraw your own request to move it", A_LIST),
    Key("x", "cancel", "Cancel", "Cancel the selected session, with an optional reason", A_LIST),
    Key("m", "complete", "Complete", "Complete the selected session, with feedback", A_LIST),
    Key("r", "rate", "Rate", "Rate the selected session, once it is completed", A_LIST),
    Key("o", "join", "Join call", "Join call: open the selected session's call; in Messages, the next one with that"
        " person; elsewhere, the call of the session a reminder is about", A_LIST + ", " + CONVERSATIONS + ", after a reminder"),
    Key("y", "copy_link", "Copy link", "Copy the selected session's call link", A_LIST),
    Key("p", "reply", "Reply", "Reply to the selected review (a mentor, once, on a rated session)", A_LIST),
    Key("w", "write_notes", "Notes", "Write notes: the summary of the selected session (a mentor, once it has started)",
        A_LIST),
    Key("f9", "external_editor", "$EDITOR", "Edit the notes in your $EDITOR (not over SSH)", NOTES_DIALOG),
    # Left out of the footer, which is full at 80 columns on a list of sessions; F1 and the palette list it.
    Key("i", "calendar_file", "Calendar", "Calendar file: save the selected session as .ics, or copy it", A_LIST,
        shown=False),
    Key("s", "reschedule", "Reschedule", "Ask the other person to move the selected session to a new time, with a reason",
        A_LIST),
    Key("n", "no_show", "No-show", "Mark the other person absent from the selected session once it has ended", A_LIST),
    Key("e", "edit", "Edit", "Change the selected availability window", "the schedule"),
    Key("delete", "remove", "Remove", "Remove the selected availability window", "the schedule"),
    Key("j", "cursor_down", "Down", "Move down: the next row of a list, the next hour in the week grid", LISTS,
        shown=False),
    Key("k", "cursor_up", "Up", "Move up: the row before in a list, the hour before in the week grid", LISTS,
        shown=False),
    Key("h", "day(-1)", "Prev day", "Go to the day before", CALENDAR, shown=False),
    Key("l", "day(1)", "Next day", "Go to the day after", CALENDAR, shown=False),
    Key("left_square_bracket", "week(-1)", "Prev week", "Show the week before", CALENDAR),
    Key("right_square_bracket", "week(1)", "Next week", "Show the week after", CALENDAR),
    Key("t", "today", "Today", "Go to today; in the schedule, this week", CALENDAR),
    Key("v", "switch_view", "Agenda/Week", "Switch between the agenda and the week grid", CALENDAR),
    Key("a", "accept", "Accept",
        "Accept the session your mentor proposed in the conversation, or the other person's request to move "
        "the selected session", CONVERSATIONS + ", " + A_LIST),
    Key("enter", "send", "Send", "Send the message", MESSAGE_BOX),
    Key("ctrl+j", "newline", "New line", "Start a new line in the message (what ctrl+Enter sends in most terminals)",
        MESSAGE_BOX),
)

KEYS_BY_ACTION = {key.action: key for key in KEYS}
if len(KEYS_BY_ACTION) != len(KEYS) or len({key.key for key in KEYS}) != len(KEYS):
    raise RuntimeError("keymap: every key and every action appears once")


def key_for(action: str) -> Key:
    """The one key of ``action`` (its name as in :data:`KEYS`)."""
    return KEYS_BY_ACTION[action]


@runtime_checkable
class NamesActions(Protocol):
    """A node whose actions have names of their own here ("Go to Mentors" for ``section(1)``)."""

    def action_title(self, action: str) -> str | None:
        """The command palette's name for ``action``, or None for its label."""
        ...


def binding(action: str, *, label: str | None = None, show: bool | None = None) -> Binding:
    """The binding for ``action``; ``label`` words it for one screen ("Book" for ``new``)."""
    key = KEYS_BY_ACTION[action]
    return Binding(
        key.key,
        key.action,
        label or key.label,
        show=key.shown if show is None else show,
        priority=key.priority,
        tooltip=key.description,
    )


def bindings(*actions: str) -> list[Binding]:
    return [binding(action) for action in actions]


__all__ = ["A_LIST", "CALENDAR", "CONVERSATIONS", "LISTS", "EVERYWHERE", "FORMS", "KEYS", "KEYS_BY_ACTION", "MESSAGE_BOX", "Key", "NamesActions", "binding", "bindings", "key_for"]
