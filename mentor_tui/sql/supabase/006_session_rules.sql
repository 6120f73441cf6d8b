-- 006 Who may do what to a session, for clients (roles under row-level
-- security; see mentor_tui.rules_apply in 001). RLS (007) decides which rows a
-- person reaches; these triggers decide which changes they may make, with a
-- clear message each. The same rules as mentor_tui/domain/rules.py.
--
-- Errors: mentor_tui.refuse (42501) and mentor_tui.bad_value (23514), see 001.
begin;

-- Booking, before the row is written: the request is the caller's own, by a
-- student, starts pending and empty, is made with a mentor, lies in the future
-- but at most 730 days ahead (as domain/rules.py BOOKING_HORIZON), and the
-- student has fewer than 5 pending requests with that mentor. Value checks
-- (duration, subject, notes, a real time) are the table's constraints.
--
-- Bookings of one mentor are serialised by a transaction-level advisory lock on
-- the mentor, taken before any check: concurrent requests for the same mentor
-- then queue instead of meeting inside the exclusion constraint's index, where
-- they could deadlock (40P01). The loser of a race waits for the winner's
-- commit and gets the no-overlap error (23P01), and the pending count is exact.
-- Every booking of the mentor takes this lock, trusted roles included.
create or replace function mentor_tui.mentor_sessions_check_booking()
returns trigger
language plpgsql
set search_path = ''
as $$
declare
    caller uuid := auth.uid();
begin
    perform pg_catalog.pg_advisory_xact_lock(
        pg_catalog.hashtextextended('mentor_tui.booking:' || new.mentor_id::text, 0));
    if not mentor_tui.rules_apply(tg_relid) then
        return new;
    end if;
    if caller is null then
        perform mentor_tui.refuse('Sign in to book a session.');
    end if;
    if new.student_id is distinct from caller then
        perform mentor_tui.refuse('You can book sessions only in your own name.');
    end if;
    if new.mentor_id = caller then
        perform mentor_tui.refuse('You cannot book a session with yourself.');
    end if;
    if exists (select 1 from public.user_profiles p where p.user_id = caller and p.role = 'mentor') then
        perform mentor_tui.refuse('Mentors cannot book sessions; sign in as a student to book one.');
    end if;
    if new.status is distinct from 'pending' then
        perform mentor_tui.refuse('A new session starts as pending.');
    end if;
    if pg_catalog.num_nonnulls(new.rating, new.review, new.feedback, new.meeting_link, new.cancellation_reason) > 0 then
        perform mentor_tui.refuse('A new session has no rating, review, feedback, meeting link or cancellation reason yet.');
    end if;
    if not exists (select 1 from public.user_profiles p where p.user_id = new.mentor_id and p.role = 'mentor') then
        perform mentor_tui.bad_value('mentor_sessions_mentor_id_check', 'Sessions can be booked only with a mentor.');
    end if;
    if new.scheduled_time <= pg_catalog.now() then
        perform mentor_tui.bad_value('mentor_sessions_scheduled_time_check', 'Pick a time in the future.');
    end if;
    if new.scheduled_time > pg_catalog.now() + interval '730 days' then
        perform mentor_tui.bad_value('mentor_sessions_scheduled_time_check', 'Pick a time at most two years ahead.');
    end if;
    if (select pg_catalog.count(*) from public.mentor_sessions s
        where s.student_id = caller and s.mentor_id = new.mentor_id and s.status = 'pending') >= 5 then
        perform mentor_tui.refuse(
            'You already have 5 pending requests with this mentor; wait for an answer or cancel one.');
    end if;
    new.created_at := pg_catalog.now();
    new.updated_at := pg_catalog.now();
    return new;
end
$$;

-- Availability, after the row is written: by then the value checks and the
-- no-overlap constraint have passed, so a bad duration or a taken slot is
-- reported as such and not as "outside availability".
-- When the mentor has weekly windows, the session must lie inside one of them
-- on its local date in the mentor's time zone. (date + time) at time zone tz
-- turns a wall-clock time on that very date into an instant, so a window keeps
-- its local hours across daylight-saving changes. A window lies within one local
-- day, so the local date of the start is the only one to look at. (In the hour
-- that repeats when clocks go back, PostgreSQL reads a wall-clock time as the
-- later of its two instants.)
create or replace function mentor_tui.mentor_sessions_check_availability()
returns trigger
language plpgsql
set search_path = ''
as $$
declare
    tz text;
    local_day date;
begin
    if not mentor_tui.rules_apply(tg_relid)
       or not exists (select 1 from public.mentor_availability a where a.mentor_id = new.mentor_id) then
        return null;
    end if;
    select coalesce(p.timezone, 'UTC') into tz from public.user_profiles p where p.user_id = new.mentor_id;
    local_day := (new.scheduled_time at time zone tz)::date;
    if not exists (
        select 1
        from public.mentor_availability a
        where a.mentor_id = new.mentor_id
          and a.day_of_week = extract(isodow from local_day)::integer - 1
          and ((local_day + a.start_time) at time zone tz) <= new.scheduled_time
          and new.scheduled_time + pg_catalog.make_interval(mins => new.duration_minutes)
              <= ((local_day + a.end_time) at time zone tz)
    ) then
        perform mentor_tui.bad_value('mentor_sessions_scheduled_time_check',
            'The mentor is not available at that time: it is outside their weekly availability.');
    end if;
    return null;
end
$$;

-- Changes after booking. The parties never change, nor what was booked;
-- status moves only as the role rules allow and never back to pending, and a
-- session that has ended can no longer be cancelled; the student rates once,
-- after completion; the mentor alone writes feedback (on completing, or on a
-- completed session) and the meeting link (on confirming, or on a confirmed
-- session); a cancellation reason comes with the cancellation.
create or replace function mentor_tui.mentor_sessions_check_update()
returns trigger
language plpgsql
set search_path = ''
as $$
declare
    caller uuid := auth.uid();
    by_mentor boolean := coalesce(caller = old.mentor_id, false);
    by_student boolean := coalesce(caller = old.student_id, false);
    col text;
    move record;
    mentor_field record;
begin
    new.updated_at := pg_catalog.now();
    if not mentor_tui.rules_apply(tg_relid) then
        return new;
    end if;
    if not (by_mentor or by_student) then
        perform mentor_tui.refuse('You are not part of this session.');
    end if;
    if new.mentor_id is distinct from old.mentor_id or new.student_id is distinct from old.student_id then
        perform mentor_tui.refuse('The mentor and the student of a session never change.');
    end if;
    foreach col in array array['id', 'subject', 'notes', 'scheduled_time', 'duration_minutes', 'created_at'] loop
        if (pg_catalog.to_jsonb(new) -> col) is distinct from (pg_catalog.to_jsonb(old) -> col) then
            perform mentor_tui.refuse(
                pg_catalog.format('%s cannot change once a session is booked; book a new session instead.', col));
        end if;
    end loop;

    -- The status machine: to which status, from which, and whether only the
    -- mentor may take that step (the mentor declines or cancels a request with
    -- the same move by which the student cancels it).
    if new.status is distinct from old.status then
        if new.status = 'pending' then
            perform mentor_tui.refuse('A session never returns to pending.');
        end if;
        select * into move
        from (values
            ('confirmed', array['pending'], true, 'confirm', 'Only a pending request can be confirmed.'),
            ('cancelled', array['pending', 'confirmed'], false, 'cancel', 'Only a pending or confirmed session can be cancelled.'),
            ('completed', array['confirmed'], true, 'complete', 'Only a confirmed session can be completed.')
        ) as t(to_status, from_statuses, mentor_only, verb, wrong_status)
        where t.to_status = new.status;
        -- Not found: not a status at all, which mentor_sessions_status_check refuses (23514).
        if found then
            if move.mentor_only and not by_mentor then
                perform mentor_tui.refuse(pg_catalog.format('Only the mentor can %s this session.', move.verb));
            end if;
            if not coalesce(old.status = any (move.from_statuses), false) then
                perform mentor_tui.refuse(move.wrong_status);
            end if;
            if new.status = 'completed' and old.scheduled_time > pg_catalog.now() then
                perform mentor_tui.refuse('A session can be completed only once it has started.');
            end if;
            if new.status = 'cancelled'
               and old.scheduled_time + pg_catalog.make_interval(mins => old.duration_minutes) <= pg_catalog.now() then
                perform mentor_tui.refuse('This session has already ended, so it can no longer be cancelled.');
            end if;
        end if;
    end if;

    if new.rating is distinct from old.rating or new.review is distinct from old.review then
        if not by_student then
            perform mentor_tui.refuse('Only the student can rate this session.');
        end if;
        if old.status is distinct from 'completed' then
            perform mentor_tui.refuse('Only a completed session can be rated.');
        end if;
        if old.rating is not null then
            perform mentor_tui.refuse('This session has already been rated.');
        end if;
    end if;
    -- What the mentor alone writes, each in the status it belongs to.
    for mentor_field in
        select * from (values
            ('feedback', 'completed', 'Only the mentor can write feedback.',
             'Feedback is given when completing a session.'),
            ('meeting_link', 'confirmed', 'Only the mentor can set the meeting link.',
             'The meeting link is set when confirming a session.')
        ) as t(col, status, not_mentor, wrong_status)
    loop
        if (pg_catalog.to_jsonb(new) -> mentor_field.col) is distinct from (pg_catalog.to_jsonb(old) -> mentor_field.col) then
            if not by_mentor then
                perform mentor_tui.refuse(mentor_field.not_mentor);
            end if;
            if new.status is distinct from mentor_field.status then
                perform mentor_tui.refuse(mentor_field.wrong_status);
            end if;
        end if;
    end loop;
    if new.cancellation_reason is distinct from old.cancellation_reason
       and not (new.status = 'cancelled' and old.status is distinct from 'cancelled') then
        perform mentor_tui.refuse('A cancellation reason is given only when cancelling.');
    end if;
    return new;
end
$$;

revoke execute on function
    mentor_tui.mentor_sessions_check_booking(),
    mentor_tui.mentor_sessions_check_availability(),
    mentor_tui.mentor_sessions_check_update()
from public;

create or replace trigger mentor_tui_check_booking
    before insert on public.mentor_sessions
    for each row execute function mentor_tui.mentor_sessions_check_booking();

create or replace trigger mentor_tui_check_availability
    after insert on public.mentor_sessions
    for each row execute function mentor_tui.mentor_sessions_check_availability();

create or replace trigger mentor_tui_check_update
    before update on public.mentor_sessions
    for each row execute function mentor_tui.mentor_sessions_check_update();

commit;
