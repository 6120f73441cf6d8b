"""Settings: full name and a searchable IANA time zone, saved to the profile."""

from __future__ import annotations

from textual.widgets import Input, OptionList, Static

from mentor_tui.screens.settings import SettingsPane, ZonePicker, matching_zones
from mentor_tui.widgets.unsaved import DiscardQuestion
from pilot_support import paste
from student_support import SIZE, act_as, settle, signed_in_app, world, world_template  # noqa: F401 (fixtures)


async def open_settings(app, pilot) -> SettingsPane:
    await settle(app, pilot)
    await pilot.press("f4")
    await settle(app, pilot)
    return app.screen.query_one(SettingsPane)


def test_zones_are_found_by_any_words_of_their_name():
    assert "America/New_York" in matching_zones("new york")
    assert matching_zones("São Paulo") == matching_zones("sao_paulo") == ["America/Sao_Paulo"]
    assert "Asia/Tokyo" in matching_zones("TOKYO")


async def test_a_new_name_and_zone_are_saved_and_times_follow_the_zone(world, clock):
    app = await signed_in_app(world, clock)
    async with app.run_test(size=SIZE) as pilot:
        await open_settings(app, pilot)
        name = app.screen.query_one("#full-name", Input)
        assert name.value == "Sam Rivera"
        assert name.has_focus
        assert "Chosen: America/Chicago · now 04:00 there" in str(app.screen.query_one("#zone-chosen", Static).content)

        await pilot.press("ctrl+u")
        await paste(pilot, "Samantha Rivera")
        app.screen.query_one("#zone-search").focus()
        await paste(pilot, "tokyo")
        await pilot.pause()
        zones = app.screen.query_one("#zone-list", OptionList)
        assert [zones.get_option_at_index(i).id for i in range(zones.option_count)] == ["Asia/Tokyo"]
        await pilot.press("enter")  # picks the zone; it does not save yet
        await pilot.pause()
        assert app.screen.query_one(ZonePicker).value == "Asia/Tokyo"
        assert app.ctx.services.me.timezone == "America/Chicago"
        await pilot.press("ctrl+s")
        await settle(app, pilot)

        assert app.ctx.services.me.full_name == "Samantha Rivera" and app.ctx.services.me.timezone == "Asia/Tokyo"
        assert "Saved. Times now show in Asia/Tokyo." in str(app.screen.query_one("#settings-message").content)
        assert "Samantha Rivera" in app.sub_title
        # The directory now shows Tokyo time: the open times are read in the new zone.
        await pilot.press("f2")
        await settle(app, pilot)
        assert "(your time, Asia/Tokyo)" in str(app.screen.query_one("#mentor-detail-text", Static).content)
    repo = await act_as(world, "sam", clock)
    assert (repo.me.full_name, repo.me.timezone) == ("Samantha Rivera", "Asia/Tokyo")
    await repo.close()


async def test_an_empty_name_is_refused_inline_and_kept_for_fixing(world, clock):
    app = await signed_in_app(world, clock)
    async with app.run_test(size=SIZE) as pilot:
        await open_settings(app, pilot)
        await pilot.press("ctrl+u", "ctrl+s")
        await settle(app, pilot)
        field = app.screen.query_one("#full_name")
        assert field.has_class("-has-error")
        assert str(field.query_one(".form-field--error", Static).content) == "Enter your name."
        assert app.ctx.services.me.full_name == "Sam Rivera"
        assert app.screen.query_one("#full-name").has_focus
        await pilot.press("S")  # changing the field makes its message stale
        await pilot.pause()
        assert not field.has_class("-has-error")
        assert str(app.screen.query_one("#settings-message", Static).content) == ""


async def test_the_pane_holds_work_only_while_it_differs_from_the_profile(world, clock):
    app = await signed_in_app(world, clock)
    async with app.run_test(size=SIZE) as pilot:
        pane = await open_settings(app, pilot)
        assert pane.work_title == "your settings"
        assert not pane.unsaved_changes()
        await pilot.press("end", "x")
        assert pane.unsaved_changes()
        await pilot.press("backspace")
        assert not pane.unsaved_changes()  # back to what is stored
        pane.query_one(ZonePicker).set_value("Asia/Tokyo")
        assert pane.unsaved_changes()
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert app.ctx.services.me.timezone == "Asia/Tokyo"
        assert not pane.unsaved_changes()


async def test_leaving_with_unsaved_edits_asks_and_keeping_them_keeps_them(world, clock):
    app = await signed_in_app(world, clock)
    async with app.run_test(size=SIZE) as pilot:
        pane = await open_settings(app, pilot)
        await pilot.press("ctrl+u", *"Sam R.")
        await pilot.press("f2")
        await settle(app, pilot)
        assert isinstance(app.screen, DiscardQuestion) and "your settings" in str(app.screen.about)
        await pilot.press("escape")  # keep editing
        await settle(app, pilot)
        assert app.screen.query_one("#full-name", Input).value == "Sam R."
        assert pane.unsaved_changes()


async def test_a_mentor_also_gets_the_mentor_profile_form(world, clock):
    app = await signed_in_app(world, clock, who="ada")
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("f6")
        await settle(app, pilot)
        pane = app.screen.query_one(SettingsPane)
        from mentor_tui.screens.mentor_profile import MentorProfileForm

        assert pane.query_one(MentorProfileForm)
        assert pane.query_one("#full-name", Input).value == "Ada Byron"
