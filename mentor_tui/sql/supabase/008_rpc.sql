-- 008 Functions the app calls through PostgREST (POST /rest/v1/rpc/<name>).
-- Each answers one screen in one round trip. Only signed-in users may call
-- them: Supabase grants execute on new functions to anon, so it is revoked.
begin;

-- The mentor dashboard's figures, for the caller only. Runs with the caller's
-- rights (RLS shows a mentor their own rows) and filters on auth.uid() as well.
-- "Today" is the mentor's calendar day in their own time zone.
-- Returns one row (PostgREST answers with a single JSON object).
create or replace function public.mentor_dashboard_stats(
    out total_students integer,
    out upcoming_sessions integer,
    out completed_today integer,
    out average_rating numeric,
    out rating_count integer
)
language plpgsql stable
set search_path = ''
as $$
declare
    me uuid := auth.uid();
    tz text;
    today date;
begin
    select coalesce(p.timezone, 'UTC') into tz
    from public.user_profiles p
    where p.user_id = me and p.role = 'mentor';
    if not found then
        perform mentor_tui.refuse('Only mentors have a dashboard.');
    end if;
    today := (pg_catalog.now() at time zone tz)::date;

    select pg_catalog.count(*) into total_students
    from public.mentor_students m
    where m.mentor_id = me;

    select pg_catalog.count(*) filter (where s.status in ('pending', 'confirmed') and s.scheduled_time > pg_catalog.now()),
           pg_catalog.count(*) filter (where s.status = 'completed'
                                         and s.scheduled_time >= (today::timestamp at time zone tz)
                                         and s.scheduled_time < ((today + 1)::timestamp at time zone tz)),
           pg_catalog.round(pg_catalog.avg(s.rating) filter (where s.status = 'completed'), 2),
           pg_catalog.count(s.rating) filter (where s.status = 'completed')
      into upcoming_sessions, completed_today, average_rating, rating_count
    from public.mentor_sessions s
    where s.mentor_id = me;
end
$$;

-- The mentor directory with public rating aggregates. Security definer: the
-- averages cover sessions the caller may not read; only aggregates leave.
create or replace function public.mentor_directory(search text default '', tag text default null)
returns table (
    user_id uuid,
    full_name text,
    profession text,
    experience text,
    hourly_rate numeric,
    expertise text[],
    bio text,
    timezone text,
    average_rating numeric,
    rating_count integer
)
language sql stable
security definer
set search_path = ''
as $$
    select p.user_id, p.full_name, p.profession, p.experience, p.hourly_rate,
           coalesce(p.expertise, '{}'), p.bio, coalesce(p.timezone, 'UTC'),
           r.average_rating, r.rating_count
    from public.user_profiles p
    cross join lateral (
        select pg_catalog.round(pg_catalog.avg(s.rating), 2) as average_rating,
               pg_catalog.count(s.rating)::integer as rating_count
        from public.mentor_sessions s
        where s.mentor_id = p.user_id and s.status = 'completed' and s.rating is not null
    ) r
    where p.role = 'mentor'
      -- strpos, not LIKE: a search for "50%" or "c_" means those characters.
      and (coalesce(mentor_directory.search, '') = ''
           or pg_catalog.strpos(pg_catalog.lower(coalesce(p.full_name, '')), pg_catalog.lower(mentor_directory.search)) > 0
           or pg_catalog.strpos(pg_catalog.lower(coalesce(p.profession, '')), pg_catalog.lower(mentor_directory.search)) > 0
           or exists (select 1 from pg_catalog.unnest(p.expertise) e
                      where pg_catalog.strpos(pg_catalog.lower(e), pg_catalog.lower(mentor_directory.search)) > 0))
      and (coalesce(mentor_directory.tag, '') = ''
           or exists (select 1 from pg_catalog.unnest(p.expertise) e
                      where pg_catalog.lower(e) = pg_catalog.lower(mentor_directory.tag)))
    order by p.full_name nulls last, p.user_id
$$;

-- A mentor's public reviews: rating, comment and date of completed, rated
-- sessions; never who wrote them, nor notes, subjects or any id.
create or replace function public.mentor_reviews(mentor uuid, max_rows integer default 10)
returns table (rating integer, review text, session_date timestamptz)
language sql stable
security definer
set search_path = ''
as $$
    select s.rating, s.review, s.scheduled_time
    from public.mentor_sessions s
    where s.mentor_id = mentor_reviews.mentor and s.status = 'completed' and s.rating is not null
    order by s.scheduled_time desc
    limit least(greatest(coalesce(mentor_reviews.max_rows, 10), 0), 100)
$$;

-- Busy intervals for the booking form: the held (pending or confirmed) sessions
-- of that mentor and of the caller that overlap [from_time, to_time). Only
-- start and end leave, never whose session it is. Someone who is not a mentor
-- cannot be looked up this way: for them only the caller's own times come back.
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
    )
    select distinct s.scheduled_time, s.scheduled_time + pg_catalog.make_interval(mins => s.duration_minutes)
    from public.mentor_sessions s
    where s.status in ('pending', 'confirmed')
      and (s.mentor_id in (select user_id from people) or s.student_id in (select user_id from people))
      and mentor_tui.session_period(s.scheduled_time, s.duration_minutes)
          && pg_catalog.tstzrange(mentor_busy_times.from_time,
                                  greatest(mentor_busy_times.from_time, mentor_busy_times.to_time), '[)')
    order by 1, 2
$$;

revoke execute on function
    public.mentor_dashboard_stats(),
    public.mentor_directory(text, text),
    public.mentor_reviews(uuid, integer),
    public.mentor_busy_times(uuid, timestamptz, timestamptz)
from public, anon;
grant execute on function
    public.mentor_dashboard_stats(),
    public.mentor_directory(text, text),
    public.mentor_reviews(uuid, integer),
    public.mentor_busy_times(uuid, timestamptz, timestamptz)
to authenticated, service_role;

commit;
