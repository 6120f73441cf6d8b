"""How the sign-in and sign-up forms look at the smallest supported terminal: the sign-in
with the demo accounts beside it, and the sign-up with an error under each field.

Update with ``pytest tests/test_auth_snapshots.py --snapshot-update`` after looking at the change.
"""

from __future__ import annotations

from shell_support import SIZE, new_repo, settle
from textual.widgets import Input

from mentor_tui.app import MentorApp
from mentor_tui.domain.demo_login import DemoLogin
from mentor_tui.domain.models import Role

DEMO = (
    DemoLogin("maya@demo.example", "Maya Chen", Role.MENTOR),
    DemoLogin("arjun@demo.example", "Arjun Rao", Role.MENTOR),
    DemoLogin("sam@demo.example", "Sam Rivera", Role.STUDENT),
)


def pressing(*keys: str):
    async def run_before(pilot) -> None:
        await settle(pilot.app, pilot)
        for key in keys:
            await pilot.press(key)
            await settle(pilot.app, pilot)
        # A blinking cursor is drawn or not by the time of the picture: hold it steady.
        for field in pilot.app.screen.query(Input):
            field.cursor_blink = False
        await pilot.pause()

    return run_before


def test_sign_in_with_demo_accounts(clock, snap_compare):
    app = MentorApp(new_repo(clock), clock, demo_logins=DEMO, demo_password="demo-password")
    assert snap_compare(app, terminal_size=SIZE, run_before=pressing())


def test_sign_up_with_errors(clock, snap_compare):
    app = MentorApp(new_repo(clock), clock)
    assert snap_compare(app, terminal_size=SIZE, run_before=pressing("ctrl+n", "enter"))
