-- 020 Queries that cost the same however many people and sessions there are.
--
-- mentor_busy_times: one branch per person and column, each an index search of the
-- no-overlap rules' gist indexes (003: (mentor_id, period) and (student_id, period),
-- partial on held statuses) instead of a time-range filter over everyone's sessions.
--
-- mentor_session_parties(): the names, time zones and rates of the caller and everyone
-- they share a session with, in one call. Reading user_profiles by a list of ids made
-- RLS check each row against the caller's sessions (007), and the list itself grew with
-- a busy mentor's students (a URL of tens of kilobytes). Security definer with the
-- caller's id written into the query: it returns only rows RLS already lets the caller
-- read (their own, and their session partners'), through the session indexes (009) and
-- user_profiles' unique user_id.
--
-- An index on (mentor_id, student_id): whether two people share a session is asked by
-- the profile read policy (007) for every profile row a caller reads, by the message
-- and proposal rules and by the services. Through the mentor's time index alone, a
-- mentor with thousands of sessions paid for all of them on each row read (a busy
-- mentor's conversation list: 1,000 names, 140 ms; with this index 13 ms).
begin;

create index if not exists mentor_sessions_mentor_id_student_id_idx
    on public.mentor_sessions (mentor_id, student_id);

create or replace function public.mentor_busy_times(mentor uuid, from_time timestamptz, to_time timestamptz)
returns table (start_time timestamptz, end_time timestamptz)
language sql stable
security definer
set search_path = ''
as $$
    with people as (
        select p.user_id from public.user_profiles p
        where p.user_id = mentor_busy_times.mentor and p.role = 'mentor'
        union
        select auth.uid()
    ),
    asked as (
        select pg_catalog.tstzrange(mentor_busy_times.from_time,
                                    greatest(mentor_busy_times.from_time, mentor_busy_times.to_time), '[)') as period
    )
    select distinct held.scheduled_time, held.scheduled_time + pg_catalog.make_interval(mins => held.duration_minutes)
    from people cross join asked cross join lateral (
        select s.scheduled_time, s.duration_minutes from public.mentor_sessions s
        where s.mentor_id = people.user_id and s.status in ('pending', 'confirmed')
          and mentor_tui.session_period(s.scheduled_time, s.duration_minutes) && asked.period
        union all
        select s.scheduled_time, s.duration_minutes from public.mentor_sessions s
        where s.student_id = people.user_id and s.status in ('pending', 'confirmed')
          and mentor_tui.session_period(s.scheduled_time, s.duration_minutes) && asked.period
    ) held
    order by 1, 2
$$;

create or replace function public.mentor_session_parties()
returns table (user_id uuid, full_name text, timezone text, hourly_rate numeric)
language sql stable
security definer
set search_path = ''
as $$
    with partners as (
        select auth.uid() as user_id
        union
        select s.student_id from public.mentor_sessions s where s.mentor_id = auth.uid()
        union
        select s.mentor_id from public.mentor_sessions s where s.student_id = auth.uid()
    )
    select p.user_id, p.full_name, p.timezone, p.hourly_rate
    from public.user_profiles p
    where p.user_id = any (array(select partners.user_id from partners))
$$;

-- As 013 grants: only signed-in people (and the trusted server role) may call them.
revoke execute on function
    public.mentor_busy_times(uuid, timestamptz, timestamptz),
    public.mentor_session_parties()
from public, anon;
grant execute on function
    public.mentor_busy_times(uuid, timestamptz, timestamptz),
    public.mentor_session_parties()
to authenticated, service_role;

notify pgrst, 'reload schema';

commit;
