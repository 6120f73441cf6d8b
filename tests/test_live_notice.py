"""The line above the footer when live updates keep failing: not for one blip, shown after
three failures in a row with the reason and the key that refreshes, gone once it works."""

from __future__ import annotations

import student_support
from student_support import SIZE, settle, signed_in_app

from mentor_tui.domain.errors import BackendUnavailable
from mentor_tui.widgets.notification_live import LiveUpdatesNotice

world, world_template = student_support.world, student_support.world_template  # the fixtures

REASON = "Cannot reach the server \x1b]0;owned\x07[@click=app.quit]x[/]."


async def test_the_footer_says_live_updates_are_off_after_three_failures_and_clears(world, clock, monkeypatch):
    app = await signed_in_app(world, clock, "sam")
    failing = True
    real = app.ctx.services.change_token

    async def change_token() -> int | None:
        if failing:
            raise BackendUnavailable(REASON)
        return await real()

    monkeypatch.setattr(app.ctx.services, "change_token", change_token)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        notice = app.screen.query_one(LiveUpdatesNotice)

        # The app's once-a-second ask, run here by hand.
        for _ in range(2):
            await app._look_for_changes()
            await pilot.pause()
            assert not notice.display  # a blip or two says nothing
        await app._look_for_changes()
        await pilot.pause()
        assert notice.display
        said = str(notice.render())
        assert said.startswith("Live updates are off: Cannot reach the server ")
        assert said.endswith("; ctrl+r refreshes.")
        assert "\x1b" not in said and "\x07" not in said and "[@click=app.quit]" in said  # plain text

        failing = False
        await app._look_for_changes()
        await pilot.pause()
        assert not notice.display
