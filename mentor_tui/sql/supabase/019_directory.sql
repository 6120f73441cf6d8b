-- 019 The mentor directory at any size.
--
-- Rating aggregates: public.mentor_ratings holds each mentor's count and sum of
-- ratings (completed, rated sessions), kept by a trigger on mentor_sessions, so the
-- directory never aggregates sessions. A table of its own rather than columns on
-- user_profiles: a mentor may update their own profile row (007), and these figures
-- must not be theirs to write; keeping them apart also leaves profile triggers and
-- updated_at alone when a rating arrives. The trigger runs as the owner, so the
-- figures stay right whoever writes a session (this app, the web app, the server).
--
-- Text search: pg_trgm, a GIN trigram index on the lowercase name, profession and
-- tags of mentors. It serves "contains" (LIKE '%...%') for any search of three
-- characters or more, where a precomputed lowercase column would still be read row
-- by row; shorter searches match most mentors anyway. pg_trgm is available on local
-- PostgreSQL 15 and on Supabase (in the extensions schema).
--
-- mentor_directory(search, tag, sort, max_rows): the first max_rows matches in one of
-- the directory's orders, each row carrying the number of all matches. The query is
-- built from the filters actually given (EXECUTE plans it with the values), so the
-- planner can use the trigram, tag and name indexes.
begin;

create extension if not exists pg_trgm with schema extensions;

create table if not exists public.mentor_ratings (
    -- No foreign key: a session's mentor_id may point wherever the web app's schema
    -- points it, and counting a rating must never make writing a session fail.
    mentor_id    uuid primary key,
    rating_count integer not null default 0 check (rating_count >= 0),
    rating_sum   bigint not null default 0 check (rating_sum >= 0)
);
-- Read only through the security definer functions below: no client reads or writes it.
alter table public.mentor_ratings enable row level security;
revoke all on table public.mentor_ratings from public, anon, authenticated;

-- A session's part in its mentor's figures: a completed session with a rating counts.
create or replace function mentor_tui.count_rating()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
    if tg_op <> 'INSERT' and old.status = 'completed' and old.rating is not null then
        if tg_op = 'UPDATE' and new.status = 'completed' and new.rating is not distinct from old.rating
           and new.mentor_id = old.mentor_id then
            return null;  -- the same part as before
        end if;
        update public.mentor_ratings
           set rating_count = rating_count - 1, rating_sum = rating_sum - old.rating
         where mentor_id = old.mentor_id;
    end if;
    if tg_op <> 'DELETE' and new.status = 'completed' and new.rating is not null then
        insert into public.mentor_ratings as r (mentor_id, rating_count, rating_sum)
        values (new.mentor_id, 1, new.rating)
        on conflict (mentor_id) do update
            set rating_count = r.rating_count + 1, rating_sum = r.rating_sum + excluded.rating_sum;
    end if;
    return null;
end
$$;
revoke execute on function mentor_tui.count_rating() from public, anon, authenticated;

drop trigger if exists mentor_sessions_count_rating on public.mentor_sessions;
create trigger mentor_sessions_count_rating
after insert or delete or update of status, rating, mentor_id on public.mentor_sessions
for each row execute function mentor_tui.count_rating();

-- Backfill (and, run again, recount): no session changes meanwhile, so the figures
-- and the trigger agree from the moment this commits.
lock table public.mentor_sessions in share row exclusive mode;
delete from public.mentor_ratings;
insert into public.mentor_ratings (mentor_id, rating_count, rating_sum)
select s.mentor_id, pg_catalog.count(*), pg_catalog.sum(s.rating)
from public.mentor_sessions s
where s.status = 'completed' and s.rating is not null
group by s.mentor_id;

-- What a search looks in: name, profession and tags, lowercase, one line apart
-- (a search is one line, so it never matches across two fields).
create or replace function mentor_tui.directory_text(full_name text, profession text, expertise text[])
returns text
language sql immutable parallel safe
set search_path = ''
as $$
    select pg_catalog.lower(pg_catalog.concat_ws(E'\n', full_name, profession,
                                                 pg_catalog.array_to_string(expertise, E'\n')))
$$;

-- The tags, lowercase: the expertise filter compares without regard to case.
create or replace function mentor_tui.directory_tags(expertise text[])
returns text[]
language sql immutable parallel safe
set search_path = ''
as $$
    select coalesce(pg_catalog.array_agg(pg_catalog.lower(e)), '{}') from pg_catalog.unnest(expertise) e
$$;

create index if not exists user_profiles_directory_text_idx on public.user_profiles
    using gin (mentor_tui.directory_text(full_name, profession, expertise) extensions.gin_trgm_ops)
    where role = 'mentor';
create index if not exists user_profiles_directory_tags_idx on public.user_profiles
    using gin (mentor_tui.directory_tags(expertise))
    where role = 'mentor';
-- The name order (the others sort the matches after the rating join).
create index if not exists user_profiles_directory_name_idx on public.user_profiles
    ((pg_catalog.lower(full_name) collate "C"), user_id)
    where role = 'mentor';

-- The earlier directory (two arguments, every match) gives way to the paged one.
drop function if exists public.mentor_directory(text, text);

create or replace function public.mentor_directory(
    search text default '',
    tag text default null,
    sort text default 'name',
    max_rows integer default 200
)
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
    rating_count integer,
    total_count integer
)
language plpgsql stable
security definer
set search_path = ''
as $$
declare
    matches text := 'p.role = ''mentor''';
    ordering text;
    pattern text;
    found integer;
begin
    if coalesce(search, '') <> '' then
        -- LIKE with its wildcards escaped: a search for "50%" or "c_" means those characters.
        pattern := '%' || pg_catalog.replace(pg_catalog.replace(pg_catalog.replace(
            pg_catalog.lower(search), '\', '\\'), '%', '\%'), '_', '\_') || '%';
        matches := matches || ' and mentor_tui.directory_text(p.full_name, p.profession, p.expertise) like $1';
    end if;
    if coalesce(tag, '') <> '' then
        matches := matches || ' and mentor_tui.directory_tags(p.expertise) @> array[pg_catalog.lower($2)]';
    end if;
    -- The screen's orders: best rated (unrated last), cheapest (no rate last), A-Z;
    -- ties by name, then id, so every backend lists the same rows in the same order.
    ordering := case sort
        when 'rating' then 'coalesce(r.rating_count, 0) = 0, r.rating_sum::numeric / nullif(r.rating_count, 0) desc, r.rating_count desc, '
        when 'rate' then 'p.hourly_rate is null, p.hourly_rate, '
        else ''
    end || 'pg_catalog.lower(p.full_name) collate "C", p.user_id';

    execute 'select pg_catalog.count(*)::integer from public.user_profiles p where ' || matches
        into found using pattern, tag;
    return query execute
        'select p.user_id, p.full_name, p.profession, p.experience, p.hourly_rate,'
        ' coalesce(p.expertise, ''{}''), p.bio, coalesce(p.timezone, ''UTC''),'
        ' pg_catalog.round(r.rating_sum::numeric / nullif(r.rating_count, 0), 2),'
        ' coalesce(r.rating_count, 0), $4'
        ' from public.user_profiles p left join public.mentor_ratings r on r.mentor_id = p.user_id'
        ' where ' || matches || ' order by ' || ordering || ' limit $3'
        using pattern, tag, greatest(least(coalesce(max_rows, 200), 1000), 0), found;
end
$$;

-- One mentor's directory row (the detail, the booking form): one index lookup.
create or replace function public.mentor_profile(mentor uuid)
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
           pg_catalog.round(r.rating_sum::numeric / nullif(r.rating_count, 0), 2),
           coalesce(r.rating_count, 0)
    from public.user_profiles p
    left join public.mentor_ratings r on r.mentor_id = p.user_id
    where p.user_id = mentor_profile.mentor and p.role = 'mentor'
$$;

-- Every expertise tag mentors list, each spelling once (the filter's choices). Rows of
-- a one-field composite type: PostgREST answers them as {"tag": ...} objects, as it
-- does every other list, where a set of bare text would come as an array of strings.
do $$
begin
    create type public.mentor_expertise_tag as (tag text);
exception when duplicate_object then
    null;  -- run again: the type is there
end
$$;

create or replace function public.mentor_expertise_tags()
returns setof public.mentor_expertise_tag
language sql stable
security definer
set search_path = ''
as $$
    select distinct e
    from public.user_profiles p
    cross join pg_catalog.unnest(p.expertise) e
    where p.role = 'mentor'
$$;

-- As 013 grants: only signed-in people (and the trusted server role) may call them.
revoke execute on function
    public.mentor_directory(text, text, text, integer),
    public.mentor_profile(uuid),
    public.mentor_expertise_tags()
from public, anon;
grant execute on function
    public.mentor_directory(text, text, text, integer),
    public.mentor_profile(uuid),
    public.mentor_expertise_tags()
to authenticated, service_role;

notify pgrst, 'reload schema';

commit;
