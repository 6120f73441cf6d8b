-- 004 mentor_availability: a mentor's weekly windows, as wall-clock times in the
-- mentor's own user_profiles.timezone. day_of_week 0 = Monday ... 6 = Sunday,
-- as Python's date.weekday(). A session must fit inside one window (006).
begin;

create table if not exists public.mentor_availability (
    id uuid primary key default gen_random_uuid()
);

alter table public.mentor_availability
    add column if not exists mentor_id   uuid,
    add column if not exists day_of_week smallint,
    add column if not exists start_time  time,
    add column if not exists end_time    time,
    add column if not exists created_at  timestamptz not null default now(),
    add column if not exists updated_at  timestamptz not null default now();

alter table public.mentor_availability
    alter column id set default gen_random_uuid(),
    alter column created_at set default now(),
    alter column updated_at set default now();

call mentor_tui.set_not_null('public.mentor_availability', 'mentor_id');
call mentor_tui.set_not_null('public.mentor_availability', 'day_of_week');
call mentor_tui.set_not_null('public.mentor_availability', 'start_time');
call mentor_tui.set_not_null('public.mentor_availability', 'end_time');
call mentor_tui.add_user_reference('public.mentor_availability', 'mentor_id');

call mentor_tui.add_constraint('public.mentor_availability', 'mentor_availability_day_of_week_check',
    'check (day_of_week between 0 and 6)');
-- Named after end_time: an empty window is reported on the field that ends it.
call mentor_tui.add_constraint('public.mentor_availability', 'mentor_availability_end_time_check',
    'check (start_time < end_time)');

-- Two windows of one mentor on the same weekday may not overlap (23P01);
-- touching ones (09:00-12:00 and 12:00-15:00) may.
call mentor_tui.add_strict_constraint('public.mentor_availability', 'mentor_availability_no_overlap',
    $c$exclude using gist (
        mentor_id with =,
        day_of_week with =,
        mentor_tui.window_period(start_time, end_time) with &&
    )$c$,
    'Two windows of one mentor on the same weekday overlap (above). Delete or shorten one of them, '
    'then run this file again.');

-- created_at and updated_at by the database's clock (mentor_tui.stamp_times, 002).
create or replace trigger mentor_tui_stamp_times
    before insert or update on public.mentor_availability
    for each row execute function mentor_tui.stamp_times();

commit;
