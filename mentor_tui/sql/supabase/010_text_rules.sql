-- 010 What a person may write, held by the database for every client (the web
-- app, PostgREST called directly, an older mentor-tui): the text rules of
-- mentor_tui/domain/text.py (no control characters or bidi overrides, which a
-- terminal acts on; the same length limits; call addresses https:// with a
-- host), and sessions only at real times.
--
-- All are CHECK constraints added NOT VALID (mentor_tui.add_constraint, 001):
-- rows already there stay as they are, the run names any check they break, and
-- every new or changed row must pass. Named <table>_<column>_..._check so a
-- client can tell which field was refused (SQLSTATE 23514).
begin;

-- user_profiles: single-line name, profession, experience; multi-line bio;
-- at most 20 expertise tags of at most 40 characters.
call mentor_tui.add_constraint('public.user_profiles', 'user_profiles_full_name_text_check',
    'check (mentor_tui.plain_text_ok(full_name, 100, false))');
call mentor_tui.add_constraint('public.user_profiles', 'user_profiles_profession_text_check',
    'check (mentor_tui.plain_text_ok(profession, 100, false))');
call mentor_tui.add_constraint('public.user_profiles', 'user_profiles_experience_text_check',
    'check (mentor_tui.plain_text_ok(experience, 100, false))');
call mentor_tui.add_constraint('public.user_profiles', 'user_profiles_bio_text_check',
    'check (mentor_tui.plain_text_ok(bio, 2000, true))');
call mentor_tui.add_constraint('public.user_profiles', 'user_profiles_expertise_text_check',
    'check (mentor_tui.tags_ok(expertise))');

-- mentor_sessions: single-line subject; multi-line notes, feedback, review and
-- cancellation reason; the meeting link is a call address (the app opens it).
call mentor_tui.add_constraint('public.mentor_sessions', 'mentor_sessions_subject_text_check',
    'check (mentor_tui.plain_text_ok(subject, 100, false))');
call mentor_tui.add_constraint('public.mentor_sessions', 'mentor_sessions_notes_text_check',
    'check (mentor_tui.plain_text_ok(notes, 2000, true))');
call mentor_tui.add_constraint('public.mentor_sessions', 'mentor_sessions_feedback_text_check',
    'check (mentor_tui.plain_text_ok(feedback, 2000, true))');
call mentor_tui.add_constraint('public.mentor_sessions', 'mentor_sessions_review_text_check',
    'check (mentor_tui.plain_text_ok(review, 1000, true))');
call mentor_tui.add_constraint('public.mentor_sessions', 'mentor_sessions_cancellation_reason_text_check',
    'check (mentor_tui.plain_text_ok(cancellation_reason, 500, true))');
call mentor_tui.add_constraint('public.mentor_sessions', 'mentor_sessions_meeting_link_text_check',
    'check (mentor_tui.url_ok(meeting_link))');

-- A session at a real time: finite and not before 2000 (domain/models.py
-- EARLIEST_TIME). 'infinity' would otherwise hold an empty range, which the
-- no-overlap rules (003) never see. "At most two years ahead" depends on now(),
-- which a CHECK may not use: the booking trigger (006) holds it.
call mentor_tui.add_constraint('public.mentor_sessions', 'mentor_sessions_scheduled_time_range_check',
    $c$check (isfinite(scheduled_time) and scheduled_time >= timestamptz '2000-01-01 00:00:00+00')$c$);

commit;
