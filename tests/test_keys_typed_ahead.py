"""Keys that arrive together, as a terminal hands them over from a slow link, a busy
kiosk or a password manager, land where they would have landed one by one: a Tab among
them moves the focus before the keys after it are handed on."""

from __future__ import annotations

from textual import events
from textual.keys import _character_to_key
from textual.widgets import Input

from mentor_tui.app import MentorApp
from shell_support import SIZE, new_repo, settle


def arriving_together(app: MentorApp, keys: list[str]) -> None:
    """Every key read at once, each its own Key event, before the app has handled any."""
    for key in keys:
        if key in ("tab", "shift+tab"):
            app.post_message(events.Key(key, "\t" if key == "tab" else None))
        else:
            for character in key:
                app.post_message(events.Key(_character_to_key(character), character))


def values(app: MentorApp) -> tuple[str, str]:
    return app.screen.query_one("#email", Input).value, app.screen.query_one("#password", Input).value


async def test_email_tab_password_typed_at_once_fills_each_field(clock):
    app = MentorApp(new_repo(clock), clock, signed_out=True)
    async with app.run_test(size=SIZE) as pilot:
        app.screen.query_one("#email", Input).focus()
        await settle(app, pilot)
        arriving_together(app, ["ann@example.org", "tab", "secret-words"])
        await settle(app, pilot)
        assert values(app) == ("ann@example.org", "secret-words")
        # Back to the email, whose text a field selects as it takes the focus: typed over.
        arriving_together(app, ["shift+tab", "ben@example.org"])
        await settle(app, pilot)
        assert values(app) == ("ben@example.org", "secret-words")
