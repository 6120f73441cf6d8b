-- 021 A mentor's booking rules (mentor_tui/domain/booking_rules.py, with the same
-- limits and sentences): minimum notice, a buffer before and after each session,
-- at most so many sessions a day and a week (the mentor's own days, in their zone),
-- how far ahead bookings open, and a cancellation window inside which cancelling a
-- confirmed session needs a reason and is marked late (mentor_sessions.cancelled_late).
-- One row per mentor who set any, in a table of its own (user_profiles belongs to the
-- organisation's web app); no row means the defaults, which change nothing.
-- Read by every signed-in person (students compute open times from them), written
-- only by the mentor. The sessions trigger below applies them to a hostile client's
-- insert, and to any change of a session's time by a signed-in person (rescheduling
-- through a function included), leaving the session itself out of its own counts.
begin;

create table if not exists public.mentor_booking_rules (
    mentor_id            uuid primary key references auth.users (id) on delete cascade,
    min_notice_minutes   integer not null default 0,
    buffer_minutes       integer not null default 0,
    max_per_day          integer,
    max_per_week         integer,
    horizon_days         integer not null default 730,
    cancel_window_hours  integer not null default 0,
    request_expiry_hours integer not null default 48,
    updated_at           timestamptz not null default now()
);

call mentor_tui.add_constraint('public.mentor_booking_rules', 'mentor_booking_rules_min_notice_minutes_check',
    'check (min_notice_minutes between 0 and 10080)');
call mentor_tui.add_constraint('public.mentor_booking_rules', 'mentor_booking_rules_buffer_minutes_check',
    'check (buffer_minutes between 0 and 240)');
call mentor_tui.add_constraint('public.mentor_booking_rules', 'mentor_booking_rules_max_per_day_check',
    'check (max_per_day is null or max_per_day between 1 and 48)');
call mentor_tui.add_constraint('public.mentor_booking_rules', 'mentor_booking_rules_max_per_week_check',
    'check (max_per_week is null or max_per_week between 1 and 200)');
call mentor_tui.add_constraint('public.mentor_booking_rules', 'mentor_booking_rules_horizon_days_check',
    'check (horizon_days between 1 and 730)');
call mentor_tui.add_constraint('public.mentor_booking_rules', 'mentor_booking_rules_cancel_window_hours_check',
    'check (cancel_window_hours between 0 and 168)');
call mentor_tui.add_constraint('public.mentor_booking_rules', 'mentor_booking_rules_request_expiry_hours_check',
    'check (request_expiry_hours between 1 and 720)');

alter table public.mentor_sessions add column if not exists cancelled_late boolean;

-- Only a mentor has rules, stamped by the database.
create or replace function mentor_tui.mentor_booking_rules_stamp()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
    if mentor_tui.rules_apply(tg_relid)
       and not exists (select 1 from public.user_profiles p where p.user_id = new.mentor_id and p.role = 'mentor') then
        perform mentor_tui.refuse('Only mentors can do that.');
    end if;
    new.updated_at := pg_catalog.now();
    return new;
end
$$;
revoke execute on function mentor_tui.mentor_booking_rules_stamp() from public;
create or replace trigger mentor_tui_booking_rules_stamp
    before insert or update on public.mentor_booking_rules
    for each row execute function mentor_tui.mentor_booking_rules_stamp();

alter table public.mentor_booking_rules enable row level security;

drop policy if exists "mentor_tui: signed-in users reach booking rules" on public.mentor_booking_rules;
create policy "mentor_tui: signed-in users reach booking rules" on public.mentor_booking_rules
    as permissive for all to authenticated using (true) with check (true);

drop policy if exists "mentor_tui: mentors write only their own booking rules" on public.mentor_booking_rules;
create policy "mentor_tui: mentors write only their own booking rules" on public.mentor_booking_rules
    as restrictive for insert to public
    with check (mentor_id = (select auth.uid()));

drop policy if exists "mentor_tui: mentors change only their own booking rules" on public.mentor_booking_rules;
create policy "mentor_tui: mentors change only their own booking rules" on public.mentor_booking_rules
    as restrictive for update to public
    using (mentor_id = (select auth.uid())) with check (mentor_id = (select auth.uid()));

drop policy if exists "mentor_tui: mentors remove only their own booking rules" on public.mentor_booking_rules;
create policy "mentor_tui: mentors remove only their own booking rules" on public.mentor_booking_rules
    as restrictive for delete to public
    using (mentor_id = (select auth.uid()));

revoke all on table public.mentor_booking_rules from public, anon, authenticated;
grant select, insert, update, delete on table public.mentor_booking_rules to authenticated;
grant all on table public.mentor_booking_rules to service_role;

-- "12 hours'", "1 hour's", "90 minutes'", as domain/messages.notice_span.
create or replace function mentor_tui.notice_span(minutes integer)
returns text
language sql immutable
set search_path = ''
as $$
    select case
        when minutes % 60 <> 0 then minutes::text || ' minutes'''
        when minutes = 60 then '1 hour''s'
        else (minutes / 60)::text || ' hours'''
    end
$$;

-- The mentor's held sessions in a period, leaving one out (the session being moved).
-- Security definer: the trigger below runs as the client, whose row-level security
-- hides other students' sessions, yet a limit or a buffer counts them all. It tells no
-- more than mentor_held_times() below tells anyone signed in.
create or replace function mentor_tui.mentor_held_in(mentor uuid, from_time timestamptz, to_time timestamptz,
                                                     leaving_out uuid)
returns table (start_time timestamptz, end_time timestamptz)
language sql stable
security definer
set search_path = ''
as $$
    select s.scheduled_time, s.scheduled_time + pg_catalog.make_interval(mins => s.duration_minutes)
    from public.mentor_sessions s
    where s.mentor_id = mentor_held_in.mentor and s.status in ('pending', 'confirmed')
      and s.id is distinct from mentor_held_in.leaving_out
      and mentor_tui.session_period(s.scheduled_time, s.duration_minutes)
          && pg_catalog.tstzrange(mentor_held_in.from_time, mentor_held_in.to_time, '[)')
$$;
revoke execute on function mentor_tui.mentor_held_in(uuid, timestamptz, timestamptz, uuid) from public, anon;
grant execute on function mentor_tui.mentor_held_in(uuid, timestamptz, timestamptz, uuid) to authenticated, service_role;

-- Notice, horizon, day and week limits and buffers. Runs after 006's booking check
-- (triggers fire in name order), under its lock on the mentor, so counts are exact;
-- takes the same lock itself for a change of time.
create or replace function mentor_tui.mentor_sessions_check_booking_rules()
returns trigger
language plpgsql
set search_path = ''
as $$
declare
    r public.mentor_booking_rules;
    tz text;
    local_day date;
    monday date;
    ends timestamptz := new.scheduled_time + pg_catalog.make_interval(mins => new.duration_minutes);
    pad interval;
begin
    -- A new request under the rules; a change of time by anyone signed in (a
    -- rescheduling function runs as its owner, but on a person's behalf).
    if tg_op = 'INSERT' and not mentor_tui.rules_apply(tg_relid) then
        return new;
    end if;
    if tg_op = 'UPDATE' and not (mentor_tui.rules_apply(tg_relid) or auth.uid() is not null) then
        return new;
    end if;
    if new.status not in ('pending', 'confirmed') then
        return new;
    end if;
    select * into r from public.mentor_booking_rules b where b.mentor_id = new.mentor_id;
    if not found then
        return new;
    end if;
    perform pg_catalog.pg_advisory_xact_lock(
        pg_catalog.hashtextextended('mentor_tui.booking:' || new.mentor_id::text, 0));
    if new.scheduled_time < pg_catalog.now() + pg_catalog.make_interval(mins => r.min_notice_minutes) then
        perform mentor_tui.bad_value('mentor_sessions_scheduled_time_check',
            pg_catalog.format('The mentor needs %s notice; pick a later time.', mentor_tui.notice_span(r.min_notice_minutes)));
    end if;
    if new.scheduled_time > pg_catalog.now() + pg_catalog.make_interval(days => r.horizon_days) then
        perform mentor_tui.bad_value('mentor_sessions_scheduled_time_check',
            pg_catalog.format('The mentor takes bookings at most %s days ahead; pick an earlier time.', r.horizon_days));
    end if;
    select coalesce(p.timezone, 'UTC') into tz from public.user_profiles p where p.user_id = new.mentor_id;
    local_day := (new.scheduled_time at time zone coalesce(tz, 'UTC'))::date;
    if r.max_per_day is not null and (
        select pg_catalog.count(*)
        from mentor_tui.mentor_held_in(new.mentor_id, (local_day::timestamp at time zone tz) - interval '4 hours',
                                       ((local_day + 1)::timestamp at time zone tz), new.id) h
        where h.start_time >= (local_day::timestamp at time zone tz)
    ) >= r.max_per_day then
        perform mentor_tui.bad_value('mentor_sessions_scheduled_time_check',
            pg_catalog.format('The mentor takes at most %s sessions a day, and that day is full.', r.max_per_day));
    end if;
    monday := local_day - (extract(isodow from local_day)::integer - 1);
    if r.max_per_week is not null and (
        select pg_catalog.count(*)
        from mentor_tui.mentor_held_in(new.mentor_id, (monday::timestamp at time zone tz) - interval '4 hours',
                                       ((monday + 7)::timestamp at time zone tz), new.id) h
        where h.start_time >= (monday::timestamp at time zone tz)
    ) >= r.max_per_week then
        perform mentor_tui.bad_value('mentor_sessions_scheduled_time_check',
            pg_catalog.format('The mentor takes at most %s sessions a week, and that week is full.', r.max_per_week));
    end if;
    pad := pg_catalog.make_interval(mins => r.buffer_minutes);
    if r.buffer_minutes > 0
       and exists (select 1 from mentor_tui.mentor_held_in(new.mentor_id, new.scheduled_time - pad, ends + pad, new.id)) then
        perform mentor_tui.bad_value('mentor_sessions_scheduled_time_check',
            pg_catalog.format('The mentor keeps %s minutes free before and after each session; pick another time.',
                r.buffer_minutes));
    end if;
    return new;
end
$$;
revoke execute on function mentor_tui.mentor_sessions_check_booking_rules() from public;
create or replace trigger mentor_tui_check_booking_rules
    before insert or update of scheduled_time, duration_minutes on public.mentor_sessions
    for each row execute function mentor_tui.mentor_sessions_check_booking_rules();

-- The cancellation window: cancelling a confirmed session less than cancel_window_hours
-- before its start needs a reason and is recorded as late. Clients never write
-- cancelled_late themselves; trusted roles write it as they like (imports, fixes).
create or replace function mentor_tui.mentor_sessions_record_late_cancel()
returns trigger
language plpgsql
set search_path = ''
as $$
declare
    hours integer;
begin
    if not mentor_tui.rules_apply(tg_relid) then
        return new;
    end if;
    if tg_op = 'INSERT' then
        new.cancelled_late := null;
        return new;
    end if;
    if new.status = 'cancelled' and old.status = 'confirmed' then
        select b.cancel_window_hours into hours from public.mentor_booking_rules b where b.mentor_id = new.mentor_id;
        new.cancelled_late := coalesce(hours, 0) > 0
            and pg_catalog.now() > old.scheduled_time - pg_catalog.make_interval(hours => hours);
        if new.cancelled_late and pg_catalog.btrim(coalesce(new.cancellation_reason, '')) = '' then
            perform mentor_tui.bad_value('mentor_sessions_cancellation_reason_check',
                pg_catalog.format('Cancelling less than %s hours before the start is a late cancellation: say why.',
                    hours));
        end if;
    else
        new.cancelled_late := old.cancelled_late;
    end if;
    return new;
end
$$;
revoke execute on function mentor_tui.mentor_sessions_record_late_cancel() from public;
create or replace trigger mentor_tui_record_late_cancel
    before insert or update on public.mentor_sessions
    for each row execute function mentor_tui.mentor_sessions_record_late_cancel();

-- The mentor's own held times (their limits and buffers on the booking form), as
-- mentor_busy_times (008, 020) without the caller's: anyone signed in may already
-- see these intervals there.
create or replace function public.mentor_held_times(mentor uuid, from_time timestamptz, to_time timestamptz)
returns table (start_time timestamptz, end_time timestamptz)
language sql stable
security definer
set search_path = ''
as $$
    select s.scheduled_time, s.scheduled_time + pg_catalog.make_interval(mins => s.duration_minutes)
    from public.mentor_sessions s
    where s.mentor_id = mentor_held_times.mentor and s.status in ('pending', 'confirmed')
      and auth.uid() is not null
      and mentor_tui.session_period(s.scheduled_time, s.duration_minutes)
          && pg_catalog.tstzrange(mentor_held_times.from_time,
                                  greatest(mentor_held_times.from_time, mentor_held_times.to_time), '[)')
    order by 1, 2
$$;
revoke execute on function public.mentor_held_times(uuid, timestamptz, timestamptz) from public, anon;
grant execute on function public.mentor_held_times(uuid, timestamptz, timestamptz) to authenticated, service_role;

notify pgrst, 'reload schema';

commit;
