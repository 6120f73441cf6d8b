"""The mentor directory: search, filter by expertise, sort, see one mentor's detail, book,
and write to a mentor once a session with them has been booked.

The pane has a search box, so its keys are ctrl keys a text box leaves alone (``keymap``).
"""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta
from time import monotonic
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widget import Widget
from textual.widgets import Button, DataTable, Input, Select, Static

from ..domain.models import MentorOrder, MentorPage, MentorSession, MentorSummary, Review, ReviewStats
from ..domain.money import format_money
from ..domain.text import FIELDS
from ..keymap import binding, key_for
from ..navigation import section_label
from ..services.open_times import bookable_starts
from ..widgets.message_open import OpenConversation, Partner
from ..widgets.notice import Notice
from ..widgets.open_times import open_time_lines
from ..widgets.pane import Pane
from ..widgets.plain import NAME, plain, shown
from ..widgets.rating import rating_label, review_chart, stars
from ..widgets.table import Column, FittedTable, Row
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

TYPING_PAUSE = 0.2
"""At most one search per this many seconds while typing. A key after a quiet spell searches at
once (the table follows a person typing at an ordinary pace with no added wait); keys closer to
the last search wait out the rest of the pause, each cancelling the wait before it, so a word
typed quickly is one search for its first letter and one for the word."""
CURSOR_PAUSE = 0.1
"""Seconds the cursor rests on a mentor before their open times and reviews are asked for:
holding a key down through the list asks for none of the mentors passed over."""


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


def _rows(page: MentorPage) -> tuple[list[Row], dict[str, MentorSummary]]:
    """The table's rows for a page of mentors, and each mentor by row key."""
    return [(m.profile.id, _cells(m)) for m in page.mentors], {m.profile.id: m for m in page.mentors}


def more_line(page: MentorPage) -> str:
    """What to say when the page holds only the first of the matches ("" when it holds them all)."""
    if page.total <= len(page.mentors):
        return ""
    return f"Showing {len(page.mentors):,} of {page.total:,} — type to narrow your search"


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
        self._listed: dict[str, MentorSummary] = {}
        """The mentors the table shows, by row key."""
        self._order = MentorOrder.RATING
        self._selected: MentorSummary | None = None
        self._tags_asked = False
        self._typed_search_at = float("-inf")
        """When (``monotonic``) the last search asked for by typing started."""
        self._booked_with: set[str] = set()
        """Mentors the student shares a session with (any status): those they may write to."""
        self._offered: tuple[bool | None, ...] = ()
        """What ``check_action`` last said of booking and writing, as the footer shows it."""

    def compose(self) -> ComposeResult:
        with Horizontal(id="mentor-filters"):
            yield SearchField(
                results="#mentor-table", placeholder="Search name, profession or expertise", id="mentor-search",
                compact=True,
            )
            yield Select[str]([], prompt="Any expertise", id="mentor-expertise", compact=True)
            yield Static(id="mentor-sort")
        yield Static(id="mentor-more")
        with Vertical(id="mentor-body"):
            yield FittedTable(COLUMNS, id="mentor-table")
            yield Notice(id="mentor-empty")
            with VerticalScroll(id="mentor-detail"):
                yield Static(id="mentor-detail-text")
                yield Button(f"Book a session  {key_for('new').key}", id="book", variant="primary", compact=True)

    def on_mount(self) -> None:
        self._show_sort()
        self.query_one("#book").display = False
        self.query_one("#mentor-more").display = False

    def on_resize(self) -> None:
        self.set_class(self.size.width >= WIDE, "-wide")

    def _table(self) -> FittedTable:
        return self.query_one("#mentor-table", FittedTable)

    # --- loading --------------------------------------------------------------
    def loading_cover(self) -> Widget:
        # The search box stays usable while the first list loads: early keys land in it.
        return self.query_one("#mentor-body")

    async def load(self) -> None:
        if not self._tags_asked:
            self._tags_asked = True
            self._load_tags()
        before = self._selected
        # Both at once: the list does not wait for the student's own sessions.
        sessions, _ = await asyncio.gather(self.ctx.services.my_sessions(), self._list())
        self._booked_with = {view.session.mentor_id for view in sessions}
        self._refresh_actions()
        if self._selected is not None and self._selected == before:
            # Still the same mentor (a new one loads when selected): their open times change as
            # sessions are booked and cancelled.
            self._load_detail(self._selected)

    @property
    def _text(self) -> str:
        return self.query_one("#mentor-search", Input).value

    @property
    def _expertise(self) -> str | None:
        value = self.query_one("#mentor-expertise", Select).value
        return value if isinstance(value, str) else None

    @work(exclusive=True, group="mentor-tags", exit_on_error=False)
    async def _load_tags(self) -> None:
        tags = await self.ctx.services.expertise_tags()
        select: Select[str] = self.query_one("#mentor-expertise", Select)
        current = select.value
        select.set_options((plain(tag, NAME), tag) for tag in tags)
        if isinstance(current, str) and current in tags:
            select.value = current

    @work(exclusive=True, group="mentor-list", exit_on_error=False)
    async def _load_mentors(self, *, after_typing: bool = False) -> None:
        """A newer search cancels this one, also while it waits for the typing to pause."""
        if after_typing:
            await self._typing_pause()
            self._typed_search_at = monotonic()
        await self._list()

    async def _typing_pause(self) -> None:
        wait = self._typed_search_at + TYPING_PAUSE - monotonic()
        if wait > 0:
            await asyncio.sleep(wait)

    async def _cursor_pause(self) -> None:
        await asyncio.sleep(CURSOR_PAUSE)

    async def _list(self) -> None:
        """Ask for the mentors the filters and order choose; show them unless the filters
        changed meanwhile (then a newer search shows its own, whichever answers last)."""
        asked = (self._text, self._expertise, self._order)
        page = await self.ctx.services.list_mentors(*asked)
        if asked != (self._text, self._expertise, self._order):
            return
        rows, self._listed = _rows(page)
        self._fill_table(rows, more_line(page))

    # --- the table ------------------------------------------------------------
    def _fill_table(self, rows: list[Row], more: str) -> None:
        """The mentors in the order asked for; the cursor stays on its mentor, or starts at the top."""
        table = self._table()
        table.show_rows(rows)
        self._show_empty(not rows)
        shown_more = self.query_one("#mentor-more", Static)
        shown_more.update(Text(more, style="dim"))
        shown_more.display = bool(more)
        chosen = self._listed.get(table.selected_key or "")
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
        mentor = self._listed.get(event.row_key.value or "")
        if mentor is not None and mentor != self._selected:
            self._select(mentor)

    # --- the detail -----------------------------------------------------------
    def _select(self, mentor: MentorSummary | None) -> None:
        self._selected = mentor
        self.query_one("#book").display = mentor is not None
        self._refresh_actions()
        text = self.query_one("#mentor-detail-text", Static)
        if mentor is None:
            text.update("")
            return
        text.update(self._detail(mentor, slots=None, reviews=None))
        self._load_detail(mentor, after_cursor=True)

    @work(exclusive=True, group="mentor-detail", exit_on_error=False)
    async def _load_detail(self, mentor: MentorSummary, *, after_cursor: bool = False) -> None:
        """A newer selection cancels this one, also while it waits for the cursor to rest."""
        if after_cursor:
            await self._cursor_pause()
        services, now = self.ctx.services, self.ctx.clock.now()
        mentor_id = mentor.profile.id
        availability, reviews, stats = await asyncio.gather(
            services.get_availability(mentor_id),
            services.mentor_reviews(mentor_id, limit=REVIEWS_SHOWN),
            services.review_stats(mentor_id),
        )
        starts: list[datetime] = []
        if availability:
            # The times the booking form would offer: open, free, and allowed by the mentor's rules.
            rules = await services.booking_rules(mentor_id)
            starts, _ = await bookable_starts(
                services, mentor_id, mentor.profile.zone, availability, rules,
                now, now + timedelta(days=DETAIL_DAYS), DETAIL_SLOT_MINUTES,
            )
        if self._selected is not None and self._selected.profile.id == mentor_id:
            slots = starts if availability else None
            self.query_one("#mentor-detail-text", Static).update(self._detail(mentor, slots, reviews, stats))

    def _detail(self, mentor: MentorSummary, slots: list[datetime] | None, reviews: list[Review] | None,
                stats: ReviewStats | None = None) -> Text:
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
            for line in open_time_lines(slots, times, DETAIL_DAYS_SHOWN, DETAIL_TIMES_SHOWN):
                text.append(f"\n  {line}")
        if stats is not None and (stats.completed_sessions or any(stats.stars)):
            text.append_text(review_chart(stats))
        if reviews:
            text.append("\nRecent reviews", style="bold")
            for review in reviews:
                text.append(f"\n{stars(review.rating)} ", style="yellow")
                text.append(times.day(review.session_date.astimezone(times.zone).date()), style="dim")
                if review.comment:
                    text.append("  ")
                    text.append_text(plain(review.comment, FIELDS["review"].max_length, multiline=True))
                if review.reply:
                    text.append("\n    ↳ Mentor's reply: ", style="dim")
                    text.append_text(plain(review.reply, FIELDS["review_reply"].max_length, multiline=True))
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

    def _refresh_actions(self) -> None:
        """Tell the footer when booking or writing became possible or impossible; only then,
        as it is built again each time it is told (the cursor moves from mentor to mentor)."""
        offered = (self.check_action("new", ()), self.check_action("message", ()))
        if offered != self._offered:
            self._offered = offered
            self.refresh_bindings()

    @on(Input.Changed, "#mentor-search")
    def _search_typed(self) -> None:
        self._load_mentors(after_typing=True)

    @on(Select.Changed, "#mentor-expertise")
    def _expertise_chosen(self) -> None:
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
        orders = list(MentorOrder)
        self._order = orders[(orders.index(self._order) + 1) % len(orders)]
        self._show_sort()
        self._load_mentors()

    def _show_sort(self) -> None:
        self.query_one("#mentor-sort", Static).update(f"Sort: {self._order.value}")

    @on(Button.Pressed, "#book")
    def action_new(self) -> None:
        if self._selected is None or self._table().selected_key is None:
            return
        from .booking import BookingScreen  # with its text boxes: not before the directory shows

        self.app.push_screen(BookingScreen(self.ctx, self._selected), self._booked)

    def action_message(self) -> None:
        if self._selected is not None and self._selected.profile.id in self._booked_with:
            profile = self._selected.profile
            self.post_message(OpenConversation(Partner(profile.id, profile.full_name)))

    def _booked(self, session: MentorSession | None) -> None:
        if session is None:
            return
        self._booked_with.add(session.mentor_id)
        self._refresh_actions()
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
