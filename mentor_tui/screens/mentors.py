"""The mentor directory: search, filter by expertise, sort, see one mentor's detail, book,
and write to a mentor once a session with them has been booked.

The pane has a search box, so its keys are ctrl keys a text box leaves alone (``keymap``).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from decimal import Decimal
from itertools import groupby, islice
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Button, DataTable, Input, Select, Static

from ..domain.models import MentorSession, MentorSummary, Review
from ..domain.money import format_money
from ..domain.slots import open_slots
from ..domain.text import FIELDS
from ..keymap import binding, key_for
from ..navigation import section_label
from ..widgets.message_open import OpenConversation, Partner
from ..widgets.notice import Notice
from ..widgets.pane import Pane
from ..widgets.plain import NAME, plain, shown
from ..widgets.rating import rating_label, stars
from ..widgets.table import Column, FittedTable
from .booking import BookingScreen
from .search_field import SearchField

if TYPE_CHECKING:
    from ..context import AppContext

DETAIL_DAYS = 14
"""How far ahead the detail looks for open slots."""
DETAIL_SLOT_MINUTES = 60
DETAIL_DAYS_SHOWN = 3
DETAIL_TIMES_SHOWN = 6
REVIEWS_SHOWN = 5
WIDE = 150
"""From this width on, the detail sits beside the table instead of under it."""

SortKey = tuple[object, ...]


def _by_rating(summary: MentorSummary) -> SortKey:
    rated = summary.average_rating is not None
    average = summary.average_rating or Decimal(0)
    return (not rated, -average, -summary.rating_count, summary.profile.full_name.casefold())


def _by_rate(summary: MentorSummary) -> SortKey:
    rate = summary.profile.hourly_rate
    return (rate is None, rate or Decimal(0), summary.profile.full_name.casefold())


def _by_name(summary: MentorSummary) -> SortKey:
    return (summary.profile.full_name.casefold(), summary.profile.id)


SORTS: dict[str, Callable[[MentorSummary], SortKey]] = {"rating": _by_rating, "rate": _by_rate, "name": _by_name}
"""Sort orders, in the order the sort key cycles through them: best rated, cheapest, A-Z."""


COLUMNS = (
    Column("name", "Name"),
    Column("profession", "Profession"),
    Column("expertise", "Expertise"),
    Column("experience", "Experience", 10),
    Column("rate", "Rate/h", 7, right=True),
    Column("rating", "Rating", 9, right=True),
)


def _cells(summary: MentorSummary) -> tuple[str, ...]:
    p = summary.profile
    return (
        p.full_name,
        p.profession or "—",
        ", ".join(p.expertise) or "—",
        p.experience or "—",
        format_money(p.hourly_rate),
        rating_label(summary.average_rating, summary.rating_count),
    )


class MentorsPane(Pane):
    BINDINGS: ClassVar[list[BindingType]] = [
        binding("search"),
        binding("filter", label="Expertise"),
        binding("sort"),
        binding("new", label="Book"),
        binding("message"),
    ]

    def __init__(self, ctx: AppContext, *, id: str | None = None) -> None:
        super().__init__(ctx, id=id)
        self._mentors: list[MentorSummary] = []
        self._sort = "rating"
        self._selected: MentorSummary | None = None
        self._booked_with: set[str] = set()
        """Mentors the student shares a session with (any status): those they may write to."""

    def compose(self) -> ComposeResult:
        with Horizontal(id="mentor-filters"):
            yield SearchField(
                results="#mentor-table", placeholder="Search name, profession or expertise", id="mentor-search",
                compact=True,
            )
            yield Select[str]([], prompt="Any expertise", id="mentor-expertise", compact=True)
            yield Static(id="mentor-sort")
        with Vertical(id="mentor-body"):
            yield FittedTable(COLUMNS, id="mentor-table")
            yield Notice(id="mentor-empty")
            with VerticalScroll(id="mentor-detail"):
                yield Static(id="mentor-detail-text")
                yield Button(f"Book a session  {key_for('new').key}", id="book", variant="primary", compact=True)

    def on_mount(self) -> None:
        self._show_sort()
        self.query_one("#book").display = False

    def on_resize(self) -> None:
        self.set_class(self.size.width >= WIDE, "-wide")

    def _table(self) -> FittedTable:
        return self.query_one("#mentor-table", FittedTable)

    # --- loading --------------------------------------------------------------
    async def load(self) -> None:
        everyone = await self.ctx.services.list_mentors()
        self._booked_with = {view.session.mentor_id for view in await self.ctx.services.my_sessions()}
        self._show_tags(everyone)
        filtered = self._text or self._expertise
        self._mentors = await self.ctx.services.list_mentors(self._text, self._expertise) if filtered else everyone
        self._fill_table()
        if self._selected is not None:
            self._load_detail(self._selected)  # open times change as sessions are booked and cancelled

    @property
    def _text(self) -> str:
        return self.query_one("#mentor-search", Input).value

    @property
    def _expertise(self) -> str | None:
        value = self.query_one("#mentor-expertise", Select).value
        return value if isinstance(value, str) else None

    def _show_tags(self, everyone: list[MentorSummary]) -> None:
        tags = sorted({tag for m in everyone for tag in m.profile.expertise}, key=str.casefold)
        select: Select[str] = self.query_one("#mentor-expertise", Select)
        current = select.value
        select.set_options((plain(tag, NAME), tag) for tag in tags)
        if isinstance(current, str) and current in tags:
            select.value = current

    @work(exclusive=True, group="mentor-list", exit_on_error=False)
    async def _load_mentors(self) -> None:
        self._mentors = await self.ctx.services.list_mentors(self._text, self._expertise)
        self._fill_table()

    # --- the table ------------------------------------------------------------
    def _fill_table(self) -> None:
        """The mentors in the chosen order; the cursor stays on its mentor, or starts at the top."""
        table = self._table()
        mentors = sorted(self._mentors, key=SORTS[self._sort])
        table.show_rows((summary.profile.id, _cells(summary)) for summary in mentors)
        self._show_empty(not mentors)
        chosen = next((m for m in mentors if m.profile.id == table.selected_key), None)
        if chosen is None or chosen != self._selected:
            self._select(chosen)

    def _show_empty(self, empty: bool) -> None:
        self.set_class(empty, "-empty")
        if not empty:
            return
        if self._text or self._expertise:
            what = " and ".join(
                part for part in (f"“{shown(self._text)}”" if self._text else "", shown(self._expertise or "")) if part
            )
            message = (
                f"No mentor matches {what}.\nChange the search ({key_for('search').key}, ctrl+u clears it) "
                f"or pick another expertise ({key_for('filter').key})."
            )
        else:
            message = "No mentors have joined yet. Come back later, or ask a mentor to sign up."
        self.query_one("#mentor-empty", Notice).update(plain(message, multiline=True))

    @on(DataTable.RowHighlighted, "#mentor-table")
    def _row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        mentor = next((m for m in self._mentors if m.profile.id == event.row_key.value), None)
        if mentor is not None and mentor != self._selected:
            self._select(mentor)

    # --- the detail -----------------------------------------------------------
    def _select(self, mentor: MentorSummary | None) -> None:
        self._selected = mentor
        self.query_one("#book").display = mentor is not None
        self.refresh_bindings()
        text = self.query_one("#mentor-detail-text", Static)
        if mentor is None:
            text.update("")
            return
        text.update(self._detail(mentor, slots=None, reviews=None))
        self._load_detail(mentor)

    @work(exclusive=True, group="mentor-detail", exit_on_error=False)
    async def _load_detail(self, mentor: MentorSummary) -> None:
        services, now = self.ctx.services, self.ctx.clock.now()
        mentor_id = mentor.profile.id
        availability = await services.get_availability(mentor_id)
        starts: list[datetime] = []
        if availability:
            end = now + timedelta(days=DETAIL_DAYS)
            busy = await services.busy_times(mentor_id, now, end)
            starts = open_slots(availability, mentor.profile.zone, now, end, DETAIL_SLOT_MINUTES, busy, now)
        reviews = await services.mentor_reviews(mentor_id, limit=REVIEWS_SHOWN)
        if self._selected is not None and self._selected.profile.id == mentor_id:
            slots = starts if availability else None
            self.query_one("#mentor-detail-text", Static).update(self._detail(mentor, slots, reviews))

    def _detail(self, mentor: MentorSummary, slots: list[datetime] | None, reviews: list[Review] | None) -> Text:
        """The selected mentor; ``slots`` None means no weekly hours, ``reviews`` None: still loading."""
        p = mentor.profile
        times = self.times()
        text = Text()
        text.append_text(plain(p.full_name, NAME, style="bold"))
        headline = " · ".join(shown(part) for part in (p.profession, p.experience) if part)
        if headline:
            text.append(f"  {headline}")
        rate = f"{format_money(p.hourly_rate)}/h" if p.hourly_rate is not None else "No rate set"
        rating = rating_label(mentor.average_rating, mentor.rating_count)
        there = times.in_zone(p.zone).clock(times.now)
        text.append(f"\n{rate} · {rating} · {p.timezone}, now {there} there")
        if p.expertise:
            text.append("\nExpertise: ", style="bold")
            text.append(", ".join(shown(tag) for tag in p.expertise))
        if p.bio:
            text.append("\n")
            text.append_text(plain(p.bio, FIELDS["bio"].max_length, multiline=True, style="italic"))
        text.append("\nNext open times ", style="bold")
        text.append(f"(your time, {times.zone.key}): ", style="dim")
        if reviews is None:
            text.append("loading…", style="dim")
        elif slots is None:
            text.append("no weekly hours set: propose any time when you book.")
        elif not slots:
            text.append(f"fully booked for the next {DETAIL_DAYS} days.")
        else:
            by_day = groupby(slots, key=lambda start: start.astimezone(times.zone).date())
            for day, starts in islice(by_day, DETAIL_DAYS_SHOWN):
                group = list(starts)
                clocks = " ".join(times.clock(s) for s in group[:DETAIL_TIMES_SHOWN])
                more = f" +{len(group) - DETAIL_TIMES_SHOWN}" if len(group) > DETAIL_TIMES_SHOWN else ""
                text.append(f"\n  {times.day(day)}  {clocks}{more}")
        if reviews:
            text.append("\nRecent reviews", style="bold")
            for review in reviews:
                text.append(f"\n{stars(review.rating)} ", style="yellow")
                text.append(times.day(review.session_date.astimezone(times.zone).date()), style="dim")
                if review.comment:
                    text.append("  ")
                    text.append_text(plain(review.comment, FIELDS["review"].max_length, multiline=True))
        elif reviews is not None:
            text.append("\nNo reviews yet.", style="dim")
        return text

    # --- actions --------------------------------------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "new":
            return self._selected is not None
        if action == "message":
            return self._selected is not None and self._selected.profile.id in self._booked_with
        return True

    @on(Input.Changed, "#mentor-search")
    @on(Select.Changed, "#mentor-expertise")
    def _filters_changed(self) -> None:
        self._load_mentors()

    @on(Input.Submitted, "#mentor-search")
    def _search_done(self) -> None:
        self._table().focus()

    def action_search(self) -> None:
        self.query_one("#mentor-search").focus()

    def action_filter(self) -> None:
        select = self.query_one("#mentor-expertise", Select)
        select.focus()
        select.action_show_overlay()

    def action_sort(self) -> None:
        names = list(SORTS)
        self._sort = names[(names.index(self._sort) + 1) % len(names)]
        self._show_sort()
        self._fill_table()

    def _show_sort(self) -> None:
        self.query_one("#mentor-sort", Static).update(f"Sort: {self._sort}")

    @on(Button.Pressed, "#book")
    def action_new(self) -> None:
        if self._selected is None or self._table().selected_key is None:
            return
        self.app.push_screen(BookingScreen(self.ctx, self._selected), self._booked)

    def action_message(self) -> None:
        if self._selected is not None and self._selected.profile.id in self._booked_with:
            profile = self._selected.profile
            self.post_message(OpenConversation(Partner(profile.id, profile.full_name)))

    def _booked(self, session: MentorSession | None) -> None:
        if session is None:
            return
        self._booked_with.add(session.mentor_id)
        self.refresh_bindings()
        name = shown(self._selected.profile.full_name) if self._selected else "the mentor"
        when = self.times().when(session.scheduled_time)
        self.notify(
            f"Request sent to {name} for {when}. It is pending until they confirm: see "
            f"{section_label(self.ctx.me.role, 'my-sessions')}.",
            title="Request sent",
            timeout=8,
            markup=False,
        )
        if self._selected is not None:
            self._load_detail(self._selected)


__all__ = ["MentorsPane"]
