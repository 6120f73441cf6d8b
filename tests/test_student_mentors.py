"""The Mentors pane: filtering as you type, the expertise picker, sorting, the selected mentor's detail."""

from __future__ import annotations

from dataclasses import asdict

from textual.widgets import DataTable, Select, Static

from mentor_tui.screens.booking import BookingScreen
from mentor_tui.screens.mentors import MentorsPane
from pilot_support import paste
from student_support import SIZE, act_as, settle, signed_in_app, world, world_template  # noqa: F401 (fixtures)


def names(app) -> list[str]:
    table = app.screen.query_one("#mentor-table", DataTable)
    return [table.get_row_at(row)[0].plain for row in range(table.row_count)]


def footer_actions(app) -> set[str]:
    return {active.binding.action for active in app.screen.active_bindings.values() if active.binding.show}


def detail(app) -> str:
    return str(app.screen.query_one("#mentor-detail-text", Static).content)


async def test_the_list_shows_every_mentor_with_rate_and_rating_best_rated_first(world, clock):
    app = await signed_in_app(world, clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        assert app.screen.query_one(MentorsPane)
        assert names(app) == ["Ana Souza", "Dev Patel", "Ben Okoro", "Ada Byron", "Chloé Martin"]
        table = app.screen.query_one("#mentor-table", DataTable)
        # At 80 columns the text columns share what is left, cut with an ellipsis.
        assert [cell.plain for cell in table.get_row_at(0)] == [
            "Ana Souza", "Data Scienti…", "Python, Dat…", "7 years", "$70.00", "★4.5 (2)"
        ]
        assert [cell.plain for cell in table.get_row_at(3)][-1] == "new"


async def test_typing_filters_by_name_profession_and_expertise(world, clock):
    app = await signed_in_app(world, clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        assert app.focused.id == "mentor-search"
        await paste(pilot, "python")
        await settle(app, pilot)
        assert names(app) == ["Ana Souza", "Dev Patel", "Ada Byron"]  # by expertise, still best rated first
        await pilot.press("ctrl+u")
        await paste(pilot, "okoro")
        await settle(app, pilot)
        assert names(app) == ["Ben Okoro"]  # by name
        await pilot.press("ctrl+u")
        await paste(pilot, "product man")
        await settle(app, pilot)
        assert names(app) == ["Chloé Martin"]  # by profession
        assert "Chloé Martin" in detail(app)


async def test_no_match_says_what_to_do_next(world, clock):
    app = await signed_in_app(world, clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await paste(pilot, "haskell")
        await settle(app, pilot)
        pane = app.screen.query_one(MentorsPane)
        assert pane.has_class("-empty")
        message = str(app.screen.query_one("#mentor-empty", Static).content)
        assert "No mentor matches “haskell”" in message
        assert "ctrl+u" in message and "ctrl+t" in message
        assert not app.screen.query_one("#book").display
        # With no mentor to book, the footer does not offer it.
        assert pane.check_action("new", ()) is False
        assert "new" not in footer_actions(app)


async def test_escape_leaves_the_search_box_for_the_list(world, clock):
    app = await signed_in_app(world, clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await paste(pilot, "python")
        await settle(app, pilot)
        assert app.focused.id == "mentor-search"
        await pilot.press("escape")
        assert app.focused.id == "mentor-table"
        assert app.screen.query_one("#mentor-search").value == "python"  # the search stays
        assert "new" in footer_actions(app)


async def test_the_expertise_picker_narrows_the_list_and_combines_with_the_search(world, clock):
    app = await signed_in_app(world, clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("ctrl+t")  # opens the picker: Any, Data Science, JavaScript, Kubernetes, ...
        await pilot.press("down", "down", "down", "enter")
        await settle(app, pilot)
        assert app.screen.query_one("#mentor-expertise", Select).value == "Kubernetes"
        assert names(app) == ["Dev Patel"]

        await pilot.press("ctrl+t", "down", "down", "enter")  # Kubernetes -> Product -> Python
        await settle(app, pilot)
        assert names(app) == ["Ana Souza", "Dev Patel", "Ada Byron"]
        await pilot.press("ctrl+f", *"byron")
        await settle(app, pilot)
        assert names(app) == ["Ada Byron"]


async def test_sort_cycles_through_rating_rate_and_name(world, clock):
    app = await signed_in_app(world, clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        sort = app.screen.query_one("#mentor-sort", Static)
        assert str(sort.content) == "Sort: rating"
        await pilot.press("ctrl+g")
        await pilot.pause()
        assert str(sort.content) == "Sort: rate"
        assert names(app) == ["Ben Okoro", "Ana Souza", "Dev Patel", "Ada Byron", "Chloé Martin"]
        await pilot.press("ctrl+g")
        await pilot.pause()
        assert str(sort.content) == "Sort: name"
        assert names(app) == ["Ada Byron", "Ana Souza", "Ben Okoro", "Chloé Martin", "Dev Patel"]
        await pilot.press("ctrl+g")
        await pilot.pause()
        assert names(app)[0] == "Ana Souza"


async def test_the_detail_shows_bio_rate_zone_open_times_in_my_zone_and_reviews(world, clock):
    app = await signed_in_app(world, clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        text = detail(app)  # Ana, the first row
        assert "Ana Souza  Data Scientist · 7 years" in text
        assert "$70.00/h · ★4.5 (2) · America/Sao_Paulo, now 07:00 there" in text
        assert "Expertise: Python, Data Science" in text
        assert "Forecasting and pandas" in text
        # Tue and Thu 14:00-18:00 in São Paulo are 11:00-15:00 in Chicago; Thursday 11:00-12:00
        # is Sam's own confirmed session, so an hour-long session fits from 12:00 that day.
        assert "(your time, America/Chicago)" in text
        assert "Tue 24 Nov  11:00 11:30 12:00 12:30 13:00 13:30 +1" in text
        assert "Thu 26 Nov  12:00 12:30 13:00 13:30 14:00" in text
        assert "★★★★☆ Thu 12 Nov  Helpful, with good examples." in text
        assert "★★★★★ Tue 10 Nov  Clear and patient." in text
        assert "Sam" not in text.split("Recent reviews")[1] and "Tara" not in text

        await pilot.press("down")  # into the list
        await pilot.press("down")  # Dev
        await settle(app, pilot)
        assert "Dev Patel" in detail(app)
        await pilot.press("down", "down")  # Ada: no reviews yet
        await settle(app, pilot)
        assert "No reviews yet." in detail(app)
        await pilot.press("down")  # Chloé: no weekly hours
        await settle(app, pilot)
        assert "no weekly hours set: propose any time when you book." in detail(app)


async def test_book_opens_the_form_for_the_selected_mentor_by_key_and_by_button(world, clock):
    app = await signed_in_app(world, clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("ctrl+n")
        await settle(app, pilot)
        assert isinstance(app.screen, BookingScreen)
        assert app.screen.mentor.profile.full_name == "Ana Souza"
        await pilot.press("escape")
        await pilot.press("down", "down")  # Dev
        await settle(app, pilot)
        app.screen.query_one("#book").press()
        await settle(app, pilot)
        assert isinstance(app.screen, BookingScreen)
        assert app.screen.mentor.profile.full_name == "Dev Patel"


async def test_the_detail_offers_only_the_times_the_mentors_booking_rules_allow(world, clock):
    # Ana asks 12 hours' notice and 15 minutes around each session: Tuesday's hours (17:00 UTC
    # on) are inside the notice, and Thursday 12:00 follows Sam's session too closely. The
    # detail says what the booking form would offer.
    ana = await act_as(world, "ana", clock)
    values = asdict(await ana.booking_rules(ana.person().id)) | {"min_notice_minutes": 720, "buffer_minutes": 15}
    await ana.save_booking_rules(values)
    await ana.close()
    app = await signed_in_app(world, clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        text = detail(app)
        assert "Tue 24 Nov" not in text
        assert "Thu 26 Nov  12:30 13:00 13:30 14:00" in text
