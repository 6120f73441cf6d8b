"""Reminders on a frozen clock in the app: a toast (and the bell) the lead time before a
confirmed session and at its start, with the join key; once each, also after a restart;
the lead time from Settings; the reminder kept in the inbox. ``check_reminders`` is what
a live run's timer calls every 20 seconds."""

from __future__ import annotations

from datetime import timedelta

from student_support import MEETING_LINK, SIZE, app_for, settle, signed_in_app, utc, world, world_template  # noqa: F401
from test_student_sessions import messages

from mentor_tui import reminder_lead
from mentor_tui.domain.models import NotificationKind
from mentor_tui.keymap import key_for
from mentor_tui.screens.reminder_settings import ReminderLeadSelect
from mentor_tui.services import reminders
from mentor_tui.services.notifications import sentences

START = utc(26, 17)  # Sam's confirmed "Pandas group-by" with Ana Souza


def reminder_toasts(app) -> list[str]:
    return [text for text in messages(app) if "Pandas group-by" in text]


async def reminded(app, pilot) -> list[str]:
    await app.check_reminders()
    await settle(app, pilot)
    return reminder_toasts(app)


async def test_a_reminder_fires_before_the_start_once_and_again_at_the_start(world, clock):
    join = key_for("join").display
    clock.advance(START - timedelta(minutes=14, seconds=30) - clock.now())
    app = await signed_in_app(world, clock)
    bells: list[None] = []
    app.bell = lambda: bells.append(None)  # type: ignore[method-assign]
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        assert await reminded(app, pilot) == [f"Starts in 15 min: Pandas group-by with Ana Souza. {join} to join"]
        assert len(bells) == 1
        assert await reminded(app, pilot) == [f"Starts in 15 min: Pandas group-by with Ana Souza. {join} to join"]

        clock.advance(START - clock.now())
        assert (await reminded(app, pilot))[1:] == [f"Starting now: Pandas group-by with Ana Souza. {join} to join"]
        assert len(bells) == 2

        notes = [n for n in await app.ctx.services.notifications() if n.kind in reminders.KINDS]
        assert [n.kind for n in notes] == [NotificationKind.STARTING, NotificationKind.REMINDER]
        assert all(n.actor_name == "Ana Souza" and n.read_at is None for n in notes)
        lines = sentences(notes, await app.ctx.services.my_sessions(), lambda s: "Thu 26 Nov 11:00")
        assert lines[1] == "Reminder: your session with Ana Souza starts Thu 26 Nov 11:00"


async def test_a_restart_inside_the_window_does_not_remind_again(world, clock):
    clock.advance(START - timedelta(minutes=10) - clock.now())
    first = await signed_in_app(world, clock)
    async with first.run_test(size=SIZE) as pilot:
        await settle(first, pilot)
        assert len(await reminded(first, pilot)) == 1
    again = app_for(world, clock)
    async with again.run_test(size=SIZE) as pilot:
        await settle(again, pilot)
        assert await reminded(again, pilot) == []


async def test_nothing_before_the_lead_time_and_the_lead_time_from_settings(world, clock):
    clock.advance(START - timedelta(minutes=50) - clock.now())
    app = await signed_in_app(world, clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        assert await reminded(app, pilot) == []  # 15 minutes by default

        await pilot.press("f4")  # Settings
        await settle(app, pilot)
        select = app.screen.query_one(ReminderLeadSelect)
        assert select.value == reminder_lead.DEFAULT
        select.value = 60
        await settle(app, pilot)
        assert reminder_lead.load(None, app.ctx.me.id) == 60
        assert await reminded(app, pilot) == [
            f"Starts in 50 min: Pandas group-by with Ana Souza. {key_for('join').display} to join"
        ]


async def test_a_request_gets_no_reminder(world, clock):
    clock.advance(utc(30, 15) - timedelta(minutes=5) - clock.now())  # Sam's pending request with Ada
    app = await signed_in_app(world, clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await app.check_reminders()
        await settle(app, pilot)
        assert not [text for text in messages(app) if "Starts in" in text]


async def test_the_alert_switches_decide_how_a_reminder_is_given(world, clock):
    from mentor_tui import alert_choices

    clock.advance(START - timedelta(minutes=5) - clock.now())
    app = await signed_in_app(world, clock)
    sam = world.people["sam"].id
    alert_choices.save(None, sam, alert_choices.AlertChoices(toast=False, bell=True, terminal=False))
    bells: list[None] = []
    app.bell = lambda: bells.append(None)  # type: ignore[method-assign]
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        assert await reminded(app, pilot) == []
        assert len(bells) == 1


async def test_a_failing_look_for_reminders_is_logged_not_fatal(world, clock, caplog):
    app = await signed_in_app(world, clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)

        async def broken() -> list:
            raise RuntimeError("network down")

        app.ctx.services.my_sessions_as_stored = broken  # type: ignore[method-assign]
        await app._remind()
        await settle(app, pilot)
        assert app.is_running and "Looking for reminders failed: RuntimeError" in caplog.text


async def test_the_join_key_opens_the_reminded_call_from_outside_a_list_of_sessions(world, clock, monkeypatch):
    """The reminder names the join key; on the directory, which has no sessions of its own,
    that key opens the reminded session's call, offered in the footer and the palette until
    the session ends. A list's own selection still comes first (tested with the lists)."""
    from test_palette import footer, palette

    from mentor_tui.widgets import session_call
    from mentor_tui.widgets.session_call import CallDialog

    opened: list[str] = []
    monkeypatch.setattr(session_call, "open_in_browser", lambda url: opened.append(url) or True)
    clock.advance(START - timedelta(minutes=30) - clock.now())
    app = await signed_in_app(world, clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("escape")  # from the directory's search box to its list: letters are keys there
        await settle(app, pilot)
        assert await reminded(app, pilot) == []  # 30 minutes ahead: no reminder, no call to join
        assert "join" not in footer(app.screen) and "join" not in await palette(app.screen)

        clock.advance(timedelta(minutes=20))
        assert len(await reminded(app, pilot)) == 1
        assert footer(app.screen)["join"] == ("Join call", "o")
        assert (await palette(app.screen))["join"] == ("Join the call you were reminded of", "o")
        await pilot.press("o")
        await settle(app, pilot)
        assert isinstance(app.screen, CallDialog) and app.screen.url == MEETING_LINK
        assert opened == [MEETING_LINK] and app.screen.dialog_title == "Call with Ana Souza"
        await pilot.press("escape")
        await settle(app, pilot)

        clock.advance(START + timedelta(hours=1) - clock.now())  # the session has ended
        await pilot.press("o")  # before the next look for reminders, too: the key checks the time
        await settle(app, pilot)
        assert not isinstance(app.screen, CallDialog)
        await reminded(app, pilot)
        assert "join" not in footer(app.screen)
        await pilot.press("o")
        await settle(app, pilot)
        assert not isinstance(app.screen, CallDialog) and opened == [MEETING_LINK]
