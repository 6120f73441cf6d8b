"""The week view: each day's items at their wall-clock time, people's text shown as text."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from hostile_text import OSC52, markup
from textual.app import App, ComposeResult
from textual.widgets import Label, Static

from mentor_tui.widgets.timefmt import TimeFormat
from mentor_tui.widgets.week_view import WeekItem, WeekView

MONDAY = date(2026, 11, 23)


class WeekApp(App[None]):
    def compose(self) -> ComposeResult:
        yield WeekView()


async def test_items_sit_on_their_local_day_and_hostile_text_stays_text(tmp_path):
    name = OSC52 + markup(tmp_path)[0]
    subject = "Mentor [/] Name"
    # 23:30 UTC on Tuesday is already Wednesday 08:30 in Tokyo.
    item = WeekItem(datetime(2026, 11, 24, 23, 30, tzinfo=UTC), name, subject, "✔", "bold green")
    times = TimeFormat(ZoneInfo("Asia/Tokyo"), datetime(2026, 11, 24, 10, tzinfo=UTC))
    app = WeekApp()
    async with app.run_test(size=(120, 20)) as pilot:
        week = app.query_one(WeekView)
        week.show(MONDAY, [item], times, date(2026, 11, 24))
        await pilot.pause()
        days = list(week.query(".day"))
        headings = [str(day.query_one(".day-name", Label).render()) for day in days]
        assert headings[:3] == ["Mon 23", "▸Tue 24", "Wed 25"]
        wednesday = str(days[2].query_one(".day-items", Static).render())
        assert wednesday.startswith("08:30 ✔\n␛]52;c;aGVsbG8=␇[@click=app.screenshot")
        assert "Mentor [/] Name" in wednesday
        assert "\x1b" not in wednesday and "␛]52" in wednesday
        assert all(str(day.query_one(".day-items", Static).render()) == "—" for i, day in enumerate(days) if i != 2)
