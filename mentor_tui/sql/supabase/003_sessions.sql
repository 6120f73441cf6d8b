-- 003 mentor_sessions: a student's request to a mentor, then its life
-- (pending -> confirmed -> completed, or cancelled). Who may change what is in
-- 006; this file holds the shape, the value checks and the no-overlap rule.
begin;

create table if not exists public.mentor_sessions (
    id uuid primary key default gen_random_uuid()
);

alter table public.mentor_sessions
    add column if not exists mentor_id           uuid,
    add column if not exists student_id          uuid,
    add column if not exists subject             text,
    add column if not exists scheduled_time      timestamptz,
    add column if not exists duration_minutes    integer,
    add column if not exists status              text default 'pending',
    add column if not exists notes               text,
    add column if not exists meeting_link        text,
    add column if not exists feedback            text,
    add column if not exists rating              integer,
    add column if not exists review              text,
    add column if not exists cancellation_reason text,
    add column if not exists created_at          timestamptz not null default now(),
    add column if not exists updated_at          timestamptz not null default now();

alter table public.mentor_sessions
    alter column id set default gen_random_uuid(),
    alter column status set default 'pending',
    alter column created_at set default now(),
    alter column updated_at set default now();

call mentor_tui.set_not_null('public.mentor_sessions', 'mentor_id');
call mentor_tui.set_not_null('public.mentor_sessions', 'student_id');
call mentor_tui.set_not_null('public.mentor_sessions', 'subject');
call mentor_tui.set_not_null('public.mentor_sessions', 'scheduled_time');
call mentor_tui.set_not_null('public.mentor_sessions', 'duration_minutes');
call mentor_tui.set_not_null('public.mentor_sessions', 'status');
call mentor_tui.add_user_reference('public.mentor_sessions', 'mentor_id');
call mentor_tui.add_user_reference('public.mentor_sessions', 'student_id');

-- Value checks, named <table>_<column>_check so a client can tell the field.
-- The text rules (characters and lengths of every person-written column) are
-- in 010.
call mentor_tui.add_constraint('public.mentor_sessions', 'mentor_sessions_subject_check',
    'check (char_length(btrim(subject)) between 1 and 100)');
call mentor_tui.add_constraint('public.mentor_sessions', 'mentor_sessions_duration_minutes_check',
    'check (duration_minutes between 15 and 240 and duration_minutes % 15 = 0)');
call mentor_tui.add_constraint('public.mentor_sessions', 'mentor_sessions_status_check',
    $c$check (status in ('pending', 'confirmed', 'completed', 'cancelled'))$c$);
call mentor_tui.add_constraint('public.mentor_sessions', 'mentor_sessions_student_id_check',
    'check (student_id <> mentor_id)');
-- Only a completed session carries a rating; a review comes with a rating.
call mentor_tui.add_constraint('public.mentor_sessions', 'mentor_sessions_rating_check',
    $c$check (rating is null or (rating between 1 and 5 and status = 'completed'))$c$);
call mentor_tui.add_constraint('public.mentor_sessions', 'mentor_sessions_review_check',
    'check (review is null or rating is not null)');
call mentor_tui.add_constraint('public.mentor_sessions', 'mentor_sessions_cancellation_reason_check',
    $c$check (cancellation_reason is null or status = 'cancelled')$c$);

-- No double booking, enforced by the database so that no race between two
-- requests can beat it: the held time of a pending or confirmed session may not
-- overlap another held one of the same mentor, nor of the same student.
-- A violation is SQLSTATE 23P01. Existing rows that already overlap stop this
-- file (nothing is changed); see mentor_tui.add_strict_constraint in 001.
call mentor_tui.add_strict_constraint('public.mentor_sessions', 'mentor_sessions_mentor_overlap',
    $c$exclude using gist (
        mentor_id with =,
        mentor_tui.session_period(scheduled_time, duration_minutes) with &&
    ) where (status in ('pending', 'confirmed'))$c$,
    'Two pending or confirmed sessions of one mentor overlap (above). Cancel one of them '
    '(update public.mentor_sessions set status = ''cancelled'' where id = ...), then run this file again.');
call mentor_tui.add_strict_constraint('public.mentor_sessions', 'mentor_sessions_student_overlap',
    $c$exclude using gist (
        student_id with =,
        mentor_tui.session_period(scheduled_time, duration_minutes) with &&
    ) where (status in ('pending', 'confirmed'))$c$,
    'Two pending or confirmed sessions of one student overlap (above). Cancel one of them '
    '(update public.mentor_sessions set status = ''cancelled'' where id = ...), then run this file again.');

commit;
