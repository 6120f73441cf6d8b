"""Every sentence mentor-tui shows a person about a refusal or a failure, written once.

The domain's rules, the services and both backends take their messages from here, so
the same refusal reads the same whichever layer or backend noticed it. Messages that
depend on a value are functions of it; none of them reads anything but its arguments
(the domain stays free of I/O). The Supabase SQL repeats some of them in its triggers
(``sql/supabase/``), because clients other than mentor-tui meet those too.
"""

from __future__ import annotations

# --- signing in and accounts ---------------------------------------------------------
SIGN_IN_FIRST = "Please sign in first."
WRONG_CREDENTIALS = "Wrong email or password."
EMAIL_FORMAT = "Enter an email address like name@example.org."
EMAIL_IN_USE = "An account with this email already exists. Sign in instead."
ENTER_NAME = "Enter your name."
CHOOSE_ROLE = "Choose student or mentor."
STRONGER_PASSWORD = "Choose a stronger password."
CONFIRM_EMAIL_FIRST = "Confirm your email first: open the link we sent you, then sign in."
CONFIRMATION_SENT = "Almost done: open the confirmation link we emailed you, then sign in."
SIGN_UPS_OFF = "New accounts are turned off for this Supabase project."
SIGN_IN_EXPIRED = "Your sign-in has expired. Please sign in again."
SIGN_IN_ENDED = (
    "This sign-in was ended on the server (signed out, or renewed too long ago elsewhere). Please sign in again."
)
TOO_MANY_REQUESTS = "Too many requests; wait a minute and try again."
TOO_MANY_EMAILS = "Too many emails were sent from this project; wait an hour and try again."
NO_PROFILE = "This account has no mentor-tui profile and none could be made."
PROFILE_MISSING = "Your profile could not be found."


def password_min(length: int) -> str:
    return f"Use at least {length} characters."


def password_max(length: int) -> str:
    return f"Use at most {length} characters."


def only_role(role: str) -> str:
    """A refusal for a person of the other role ("Only mentors can do that.")."""
    return f"Only {role}s can do that."


# --- generic ------------------------------------------------------------------------
SOMETHING_WRONG = "Something went wrong."
NOT_ALLOWED = "You are not allowed to do that."
NOT_FOUND = "Not found."
CHECK_VALUE = "Please check this value."
SERVER_UNREACHABLE = "The server cannot be reached. Please try again."
CONTENTION = "Many people are booking at this moment. Please try again."

# --- people's text ------------------------------------------------------------------
URL_FORMAT = "Use an https:// address with a host name, and no spaces."


def text_has_controls(label: str, *, multiline: bool) -> str:
    what = "control characters or direction overrides" if multiline else "line breaks, tabs or control characters"
    return f"The {label} cannot contain {what}."


def text_too_long(label: str, max_length: int) -> str:
    return f"Keep the {label} to {max_length} characters."


def text_refused(label: str, max_length: int) -> str:
    """What a database CHECK on a text column refused, when the domain did not say first."""
    return (
        f"The {label} is empty, longer than {max_length} characters, or holds characters "
        "that cannot be stored (such as control characters)."
    )


def too_many_tags(count: int) -> str:
    return f"Keep to {count} expertise tags."


# --- profiles and the directory ------------------------------------------------------
NO_SUCH_MENTOR = "There is no mentor with that id."
PICK_TIME_ZONE = "Pick a time zone from the list."


def hourly_rate_range(highest: object) -> str:
    return f"The hourly rate is from 0 to {highest}."


AMOUNT_FORMAT = "Enter an amount like 60, 60.50 or 60,50, without thousands separators."
AMOUNT_DECIMALS = "Use at most two decimals, like 60.50 or 60,50, without thousands separators."


def amount_range(highest: object) -> str:
    return f"Enter an amount from 0 to {highest}."


# --- booking ------------------------------------------------------------------------
SAY_SUBJECT = "Say what the session is about."
PICK_DATE_TIME = "Pick a date and a start time."
PICK_FROM_2000 = "Pick a time from the year 2000 on."
PICK_FUTURE = "Pick a time in the future."
PICK_WITHIN_TWO_YEARS = "Pick a time at most two years ahead."
BOOK_ONLY_MENTOR = "Sessions can be booked only with a mentor."
BOOK_SELF = "You cannot book a session with yourself."
OUTSIDE_AVAILABILITY = "The mentor is not available at that time."
SLOT_TAKEN = "That time is already taken. Please pick another slot."
NOT_A_SESSION_TIME = "That is not a time a session can have."


def duration_steps(shortest: int, longest: int, step: int) -> str:
    return f"A session lasts {shortest} to {longest} minutes, in steps of {step}."


def subject_length(longest: int) -> str:
    return f"Keep the subject between 1 and {longest} characters."


# --- a mentor's booking rules (domain/booking_rules.py; sql/supabase/021 says the same) ----
def notice_span(minutes: int) -> str:
    """ "12 hours'", "1 hour's", "90 minutes'": a notice as a sentence says it."""
    if minutes % 60 == 0:
        hours = minutes // 60
        return f"{hours} hour's" if hours == 1 else f"{hours} hours'"
    return f"{minutes} minutes'"


def needs_notice(minutes: int) -> str:
    return f"The mentor needs {notice_span(minutes)} notice; pick a later time."


def beyond_horizon(days: int) -> str:
    return f"The mentor takes bookings at most {days} days ahead; pick an earlier time."


def day_full(most: int) -> str:
    return f"The mentor takes at most {most} sessions a day, and that day is full."


def week_full(most: int) -> str:
    return f"The mentor takes at most {most} sessions a week, and that week is full."


def needs_buffer(minutes: int) -> str:
    return f"The mentor keeps {minutes} minutes free before and after each session; pick another time."


def late_cancel_needs_reason(hours: int) -> str:
    return f"Cancelling less than {hours} hours before the start is a late cancellation: say why."


def late_cancel_ahead(hours: int) -> str:
    """Said up front in the cancel dialog when cancelling now falls inside the mentor's window."""
    return f"Less than {hours} hours before: a reason is needed and the cancellation is marked late."


REASON_OPTIONAL = "Reason (optional)"
REASON_NEEDED = "Reason (needed)"


def rule_range(lowest: int, highest: int) -> str:
    return f"Enter a whole number from {lowest} to {highest}."


def hidden_by_notice(when: str, name: str, minutes: int) -> str:
    return f"Times before {when} are hidden: {name} needs {notice_span(minutes)} notice."


def hidden_by_horizon(when: str, name: str, days: int) -> str:
    return f"Times after {when} are hidden: {name} takes bookings at most {days} days ahead."


def hidden_by_day_limit(name: str, most: int) -> str:
    return f"No times this day: {name} takes at most {most} sessions a day."


def hidden_by_week_limit(name: str, most: int) -> str:
    return f"No times this week: {name} takes at most {most} sessions a week."


def hidden_by_buffer(name: str, minutes: int) -> str:
    return f"Some times are hidden: {name} keeps {minutes} minutes free around each session."


BREAKS_BOOKING_RULES = "That time breaks the mentor's booking rules; pick another."
LATE_CANCEL_SAY_WHY = "This is a late cancellation: say why."
LATE = "late"
"""Beside a session cancelled inside the mentor's cancellation window."""
EXPIRED_UNANSWERED = "expired unanswered"
"""Beside a request nobody answered in time (``booking_rules.EXPIRED_REASON``)."""
BOOKING_RULES_SAVED = "Booking rules saved."


def request_expired(when: str) -> str:
    """The notification both parties get when a request nobody answered expires."""
    return f"The request for {when} expired unanswered"


# --- a session's life -----------------------------------------------------------------
NO_SUCH_SESSION = "That session does not exist or is not yours."
NOT_A_PARTY = "You are not part of this session."
INVALID_TIME = "This session has an invalid time; it cannot be changed here."
NOT_STARTED = "A session can be completed only once it has started."
ALREADY_ENDED = "This session has already ended, so it can no longer be cancelled."
ALREADY_RATED = "This session has already been rated."
RATING_RANGE = "A rating is a whole number from 1 to 5."
NO_CALL_YET = "This session has no call link yet."
ONLY_CONFIRMED_CALL = "Only a confirmed session has a call to join."
WRONG_STATUS = {
    "confirm": "Only a pending request can be confirmed.",
    "decline": "Only a pending request can be declined.",
    "cancel": "Only a pending or confirmed session can be cancelled.",
    "complete": "Only a confirmed session can be completed.",
    "rate": "Only a completed session can be rated.",
}
"""Why an action does not apply to a session in its present status, by action."""


def only_party(party: str, verb: str) -> str:
    """ "Only the mentor can confirm this session." """
    return f"Only the {party} can {verb} this session."


def just_became(status: str) -> str:
    """A change lost a race: the session moved on between reading and writing it."""
    return f"This session has just become {status}. Please look again."


# --- messages and notifications ------------------------------------------------------
WRITE_MESSAGE = "Write a message first."
MESSAGE_NEEDS_SESSION = "You can message only a mentor or student you share a session with."
"""The Supabase trigger (015) says the same to clients that skip the app."""
MESSAGE_SELF = "You cannot message yourself."


# --- weekly availability --------------------------------------------------------------
PICK_WEEKDAY = "Pick a day from Monday to Sunday."
END_AFTER_START = "The end must be after the start."
NO_SUCH_WINDOW = "That availability window does not exist or is not yours."
WINDOW_OVERLAPS = "This window overlaps another one on the same day."


def overlaps_window(start: str, end: str) -> str:
    return f"Overlaps {start}-{end} on the same day."


# --- the embedded database file ---------------------------------------------------------
NEWER_DATABASE = "This database was made by a newer version of mentor-tui; upgrade mentor-tui."


def not_our_database(path: object) -> str:
    return f"{path} is not a mentor-tui database; refusing to use it."


def not_sqlite(path: object) -> str:
    return f"{path} is not a mentor-tui database (not SQLite); refusing to use it."


def database_refused_change(detail: object) -> str:
    return f"The database refused the change ({detail})."


def database_busy(path: object) -> str:
    return f"The database {path} is busy (another program holds it). Please try again."


def database_unusable(path: object, detail: object) -> str:
    return f"Cannot use the database {path}: {detail}."


def database_damaged(path: object, detail: object) -> str:
    return f"The database {path} is damaged or is not a mentor-tui database ({detail})."


def file_unusable(path: object, detail: object) -> str:
    return f"Cannot use {path}: {detail}."


def demo_needs_new_database(path: object) -> str:
    return f"{path} already has accounts of its own; --demo fills only a new database. Choose another file with --db."


# --- a Supabase project -----------------------------------------------------------------
def project_not_answering(host: str, status: object) -> str:
    return f"The Supabase project at {host} is not answering right now (HTTP {status}). Please try again."


def project_failed(host: str, status: object) -> str:
    return f"The Supabase project at {host} had a problem (HTTP {status}). Please try again."


def project_unreachable(host: str) -> str:
    return f"Cannot reach the Supabase project at {host}. Check your connection and SUPABASE_URL."


def project_timed_out(host: str) -> str:
    return f"The Supabase project at {host} did not answer in time. Please try again."


def not_a_project(host: str) -> str:
    return f"The server at {host} did not answer like a Supabase project. Check SUPABASE_URL."


def project_refused_key(host: str) -> str:
    return (
        f"The Supabase project at {host} refused the API key. "
        "Check SUPABASE_PUBLISHABLE_KEY (or the legacy SUPABASE_ANON_KEY)."
    )


def project_lacks_schema(host: str, detail: str) -> str:
    return f"The Supabase project at {host} lacks part of mentor-tui's schema ({detail}). Apply the migrations in sql/supabase/."


def project_database_unreachable(host: str) -> str:
    return f"The Supabase project at {host} cannot reach its database right now."


def url_not_web_address(url: str) -> str:
    return f"SUPABASE_URL {url!r} is not a web address: it looks like https://<project>.supabase.co."


KEY_EMPTY = "SUPABASE_ANON_KEY is empty: copy the anon (public) key from the project's API settings."
DATABASE_REFUSED = "The database file cannot be used."


# --- the inbox and arrival alerts -------------------------------------------------------
# ``actor``, ``when`` and ``detail`` arrive already cut to size; the screen shows the sentence as plain text.
SOMEONE = "Someone"
"""The actor of a notification whose account is gone."""
A_SESSION = "a session"
"""Where a session's time would go when it is not known here (removed, or an unusable stored time)."""


def session_requested(actor: str, when: str, subject: str | None) -> str:
    return f"{actor} asked for {when}" + (f": {subject}" if subject else "")


def session_confirmed(actor: str, when: str) -> str:
    return f"{actor} confirmed {when}"


def session_declined(actor: str, when: str, reason: str | None) -> str:
    return f"{actor} declined {when}" + (f": {reason}" if reason else "")


def session_cancelled(actor: str, when: str, reason: str | None) -> str:
    return f"{actor} cancelled {when}" + (f": {reason}" if reason else "")


def session_completed(actor: str, when: str, feedback: str | None) -> str:
    return f"{actor} completed {when}" + (f": {feedback}" if feedback else "")


def session_rated(actor: str, when: str, review: str | None) -> str:
    return f"{actor} rated {when}" + (f": {review}" if review else "")


def message_arrived(actor: str, excerpt: str | None) -> str:
    return f"New message from {actor}" + (f": {excerpt}" if excerpt else "")


INBOX_TITLE = "Inbox"
INBOX_EMPTY = (
    "Nothing here yet. You will see here when a session is requested, confirmed, declined, "
    "cancelled, completed or rated, and when someone writes to you."
)
INBOX_HINT = "Enter goes to it. Opening the inbox marks what it shows as read."
SINCE_LAST_TIME = "Since you were last here"
JUST_NOW = "Just now"


def unread_badge(count: int, key: str) -> str:
    """The header's count of unread notifications: '3 new (F8)'."""
    return f"{count} new ({key})"


def and_more(count: int, key: str) -> str:
    return f"and {count} more — {key}"


def live_updates_off(why: str, key: str) -> str:
    return f"Live updates are off: {why}; {key} refreshes."


# --- /schedule in a conversation: requests and proposals ------------------------------------
NO_SUCH_PROPOSAL = "There is no such proposal."
PROPOSAL_ONLY_STUDENT = "Only the student a proposal is for accepts it."
PROPOSAL_ALREADY_ACCEPTED = "This proposal was already accepted."
PROPOSAL_EXPIRED = "This proposal expired when its time began."
PROPOSE_NEEDS_SESSION = "You can propose sessions only to a student you share a session with."
NO_OPEN_PROPOSAL = "There is no open proposal in this conversation."
SCHEDULE_SUBJECT = "Mentoring session"
"""The subject of a /schedule that names none."""
PREVIEW_FITS = "Inside the mentor's open times."
PREVIEW_OUTSIDE_PROPOSAL = "Outside your open times: you can still propose it."
PREVIEW_OUTSIDE_REQUEST = "Outside the mentor's open times: the request would be refused; pick another time."
PREVIEW_BUSY = "Clashes with another session of the mentor or the student."
PREVIEW_NO_WINDOWS = "The mentor has set no open times: any free time can be booked."


def request_message(subject: str) -> str:
    """The message that announces a student's request made with /schedule."""
    return f"Session request: {subject}"


def proposal_message(subject: str) -> str:
    """The message that carries a mentor's proposal made with /schedule."""
    return f"Session proposal: {subject}"


def proposal_accepted(when: str) -> str:
    return f"Accepted: the session on {when} is confirmed."


def call_with(name: str) -> str:
    """The title of a call's dialog."""
    return f"Call with {name}"


def no_call_with(name: str) -> str:
    return f"There is no upcoming confirmed session with {name} to join."


# --- chat commands and /schedule -----------------------------------------------------
# Times are wall-clock times in the sender's zone, written like "02:30" or "15:00"; days
# like "Sun 29 Mar" (``domain.schedule_text`` writes both).
SCHEDULE_EXAMPLE = "/schedule tomorrow 3pm 45m Python review"
SAY_WHEN = f"Say when, e.g. {SCHEDULE_EXAMPLE}."
SAY_TIME_TOO = f"Say a time too, e.g. {SCHEDULE_EXAMPLE}."
UNREADABLE_WHEN = f"Start with a date and time, e.g. {SCHEDULE_EXAMPLE}."


def unknown_command(name: str) -> str:
    return f"There is no /{name} command. Type /help to see the commands, or start with // to send a line beginning with /."


def time_rolled_to_tomorrow(clock: str, day: str) -> str:
    """A time of day given without a date had passed today, so the next one is meant."""
    return f"{clock} has passed today: tomorrow, {day}."


def time_has_passed(clock: str, day: str) -> str:
    return f"{day} {clock} has passed; pick a time in the future."


def time_skipped(clock: str, day: str, zone: str, jump_from: str, jump_to: str) -> str:
    """``clock`` falls in the hour a spring-forward change skips."""
    return (
        f"{clock} does not exist on {day} in {zone} "
        f"(clocks jump from {jump_from} to {jump_to}); pick another time."
    )


def time_repeated(clock: str, day: str, zone: str, back_from: str, back_to: str) -> str:
    """``clock`` falls in the hour a fall-back change repeats."""
    return (
        f"{clock} happens twice on {day} in {zone} "
        f"(clocks go back from {back_from} to {back_to}); pick another time."
    )


# --- review replies and session notes --------------------------------------------------
ONLY_MENTOR_REPLIES = "Only the session's mentor can reply to its review."
NOTHING_TO_REPLY_TO = "Only a rated session's review can be answered."
ALREADY_REPLIED = "You have already replied to this review."
EMPTY_REPLY = "Write a reply first."
ONLY_MENTOR_WRITES_NOTES = "Only the session's mentor writes its notes."
NOTES_NOT_YET = "Notes are written once the session has started."
NOTES_CANCELLED = "A cancelled session has no notes."
EMPTY_NOTES = "Write the summary first."


# --- reminders and calendar files ---------------------------------------------------------
REMINDER_TITLE = "Session reminder"
REMINDER_NOT_DUE = "There is no reminder due for that session now."


def reminder_soon(minutes: int, subject: str, other: str, join_key: str) -> str:
    return f"Starts in {minutes} min: {subject} with {other}. {join_key} to join"


def reminder_starting(subject: str, other: str, join_key: str) -> str:
    return f"Starting now: {subject} with {other}. {join_key} to join"


def reminder_note(actor: str, when: str, starting: bool) -> str:
    """The inbox's line for a reminder the app (or another of the person's devices) gave."""
    return f"Reminder: your session with {actor} {'started' if starting else 'starts'} {when}"


def ics_saved(path: str) -> str:
    return f"Saved the calendar file: {path}"


ICS_COPIED = "Copied the calendar file; paste it into a file ending in .ics to import it."


def ics_not_saved(path: str, why: str) -> str:
    return f"Could not save {path}: {why}"
# --- rescheduling and no-shows (domain/reschedule.py, domain/no_show.py) ----------------
NO_SUCH_RESCHEDULE = "There is no such request to move a session."
RESCHEDULE_NOT_ACTIVE = "Only a pending or confirmed session can be moved."
RESCHEDULE_STARTED = "This session has already started, so it can no longer be moved."
RESCHEDULE_ALREADY_OPEN = "This session already has an open request to move it; wait for the answer or withdraw it."
RESCHEDULE_SAME_TIME = "Pick a time other than the session's current one."
RESCHEDULE_ANSWER_OTHER = "Only the other person answers a request to move a session."
RESCHEDULE_WITHDRAW_OWN = "Only the person who asked to move a session withdraws the request."
RESCHEDULE_NOT_OPEN = "This request to move the session has already been answered or withdrawn."
RESCHEDULE_SESSION_CHANGED = "The session changed since the request was made; ask again for a new time."
RESCHEDULE_NONE_OPEN = "There is no open request to move this session."
NO_SHOW_NOT_CONFIRMED = "Only a confirmed or completed session can have a no-show."
NO_SHOW_NOT_ENDED = "You can mark a no-show only after the session has ended."
NO_SHOW_ALREADY = "You have already marked a no-show for this session."


def reschedule_asked(actor: str | None, new_when: str, old_when: str, reason: str | None) -> str:
    """An open request, in the detail: "Sam asks to move this to Wed 2 Dec 10:00 (was Tue 09:30): exam clash";
    ``actor`` None when it is the reader's own."""
    asks = "You asked" if actor is None else f"{actor} asks"
    return f"{asks} to move this to {new_when} (was {old_when})" + (f": {reason}" if reason else "")


def reschedule_moved(actor: str | None, old_when: str, reason: str | None) -> str:
    """One accepted move, in the detail's history; ``actor`` None for the reader."""
    return f"Moved by {actor or 'you'} from {old_when}" + (f": {reason}" if reason else "")


def reschedule_refused(actor: str | None, new_when: str, status: str) -> str:
    """A declined or withdrawn request, in the detail's history; ``actor`` None for the reader."""
    whose = "Your" if actor is None else f"{actor}'s"
    return f"{whose} request to move this to {new_when} was {status}"


# A request to move names the session by its subject, not its time: the time it names
# would be wrong once the move is accepted.
def reschedule_proposed_note(actor: str, what: str, reason: str | None) -> str:
    return f"{actor} asks to move {what}" + (f": {reason}" if reason else "")


def reschedule_accepted_note(actor: str, when: str) -> str:
    return f"{actor} accepted moving the session to {when}"


def reschedule_declined_note(actor: str, what: str) -> str:
    return f"{actor} declined moving {what}"


def reschedule_withdrawn_note(actor: str, what: str) -> str:
    return f"{actor} withdrew the request to move {what}"


def no_show_note(actor: str, when: str, note: str | None) -> str:
    return f"{actor} marked you absent from the session of {when}" + (f": {note}" if note else "")


def notes_written_note(actor: str, subject: str) -> str:
    """The student's line when the mentor wrote notes: "Maya wrote notes for Python basics"."""
    return f"{actor} wrote notes for {subject}"


def review_replied_note(actor: str, subject: str, reply: str | None) -> str:
    return f"{actor} replied to your review of {subject}" + (f": {reply}" if reply else "")


def no_show_marked(absent: str | None, note: str | None) -> str:
    """A no-show, in the detail; ``absent`` None for the reader."""
    return f"Marked absent: {absent or 'you'}" + (f" ({note})" if note else "")


def date_format(example: str) -> str:
    return f"Enter the date as YYYY-MM-DD, like {example}."


CLOCK_FORMAT = "Enter the start time as HH:MM, like 14:30."


def clock_skipped(clock: str, day: str) -> str:
    return f"{clock} does not exist on {day}: the clocks change. Pick another time."


def open_times_for_move(zone: str) -> str:
    return f"Open times for it (your time, {zone}): "


def no_open_times(days: int) -> str:
    return f"none in the next {days} days that fit the mentor's hours and booking rules; you can still ask."


NO_WEEKLY_HOURS_TO_MOVE = "the mentor has not set weekly hours: ask for any time."


def reschedule_sent(subject: str) -> str:
    return f"Asked to move {subject}; the other person accepts or declines."


def reschedule_done(subject: str, when: str) -> str:
    return f"Moved {subject} to {when}."


def reschedule_declined_done(subject: str) -> str:
    return f"Declined the request to move {subject}."


def reschedule_withdrawn_done(subject: str) -> str:
    return f"Withdrew your request to move {subject}."


def no_show_done(name: str) -> str:
    return f"Marked {name} absent."
