-- 026 Reviews in depth and session notes.
--
-- A mentor replies once to a rated session's review: review_reply and
-- review_replied_at beside the session, written only by its mentor, once, stamped
-- by the database. The mentor page's figures: ratings per star and completed
-- sessions, kept in 019's mentor_ratings by its trigger (extended here), read for
-- one mentor by mentor_review_stats(). Session notes: session_notes, one row per
-- session, Markdown by the session's mentor once the session has started (completed,
-- or confirmed and past its start), read by both parties; the pair and the session's
-- time are copied from the session, so the carry-over of open action items is one
-- index search. The same rules as mentor_tui/domain/session_notes.py and
-- sql/sqlite/upgrade/015_reviews_notes.sql.
begin;

-- --- the reply ---------------------------------------------------------------------
alter table public.mentor_sessions add column if not exists review_reply text;
alter table public.mentor_sessions add column if not exists review_replied_at timestamptz;
call mentor_tui.add_constraint('public.mentor_sessions', 'mentor_sessions_review_reply_text_check',
    'check (mentor_tui.plain_text_ok(review_reply, 1000, true) and char_length(btrim(review_reply)) >= 1)');

-- Beside 006's update rules (which leave these columns alone): for clients under the
-- rules, the reply is the mentor's, on a completed and rated session, once.
create or replace function mentor_tui.mentor_sessions_check_reply()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
    if new.review_reply is not distinct from old.review_reply
       and new.review_replied_at is not distinct from old.review_replied_at then
        return new;
    end if;
    if not mentor_tui.rules_apply(tg_relid) then
        return new;
    end if;
    if (select auth.uid()) is distinct from old.mentor_id then
        perform mentor_tui.refuse('Only the session''s mentor can reply to its review.');
    end if;
    if old.status is distinct from 'completed' or old.rating is null then
        perform mentor_tui.refuse('Only a rated session''s review can be answered.');
    end if;
    if old.review_reply is not null or new.review_reply is null then
        perform mentor_tui.refuse('You have already replied to this review.');
    end if;
    new.review_replied_at := pg_catalog.now();
    return new;
end
$$;
revoke execute on function mentor_tui.mentor_sessions_check_reply() from public;

create or replace trigger mentor_tui_check_reply
    before update on public.mentor_sessions
    for each row execute function mentor_tui.mentor_sessions_check_reply();

-- Reviews as 008's mentor_reviews, with the mentor's reply. A function of its own:
-- 008, run again, must still find mentor_reviews with the result it defines.
create or replace function public.mentor_reviews_replied(mentor uuid, max_rows integer default 10)
returns table (rating integer, review text, session_date timestamptz, review_reply text)
language sql stable
security definer
set search_path = ''
as $$
    select s.rating, s.review, s.scheduled_time, s.review_reply
    from public.mentor_sessions s
    where s.mentor_id = mentor_reviews_replied.mentor and s.status = 'completed' and s.rating is not null
    order by s.scheduled_time desc
    limit least(greatest(coalesce(mentor_reviews_replied.max_rows, 10), 0), 100)
$$;

-- --- the mentor page's figures ----------------------------------------------------------
alter table public.mentor_ratings add column if not exists stars_1 integer not null default 0;
alter table public.mentor_ratings add column if not exists stars_2 integer not null default 0;
alter table public.mentor_ratings add column if not exists stars_3 integer not null default 0;
alter table public.mentor_ratings add column if not exists stars_4 integer not null default 0;
alter table public.mentor_ratings add column if not exists stars_5 integer not null default 0;
alter table public.mentor_ratings add column if not exists completed_count integer not null default 0;
call mentor_tui.add_constraint('public.mentor_ratings', 'mentor_ratings_counts_check',
    'check (least(stars_1, stars_2, stars_3, stars_4, stars_5, completed_count) >= 0)');

-- 019's function, extended: a completed session counts once, its rating per star too.
create or replace function mentor_tui.count_rating()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
    if tg_op <> 'INSERT' and old.status = 'completed' then
        if tg_op = 'UPDATE' and new.status = 'completed' and new.rating is not distinct from old.rating
           and new.mentor_id = old.mentor_id then
            return null;  -- the same part as before
        end if;
        update public.mentor_ratings
           set rating_count = rating_count - (old.rating is not null)::integer,
               rating_sum = rating_sum - coalesce(old.rating, 0),
               stars_1 = stars_1 - coalesce((old.rating = 1)::integer, 0),
               stars_2 = stars_2 - coalesce((old.rating = 2)::integer, 0),
               stars_3 = stars_3 - coalesce((old.rating = 3)::integer, 0),
               stars_4 = stars_4 - coalesce((old.rating = 4)::integer, 0),
               stars_5 = stars_5 - coalesce((old.rating = 5)::integer, 0),
               completed_count = completed_count - 1
         where mentor_id = old.mentor_id;
    end if;
    if tg_op <> 'DELETE' and new.status = 'completed' then
        insert into public.mentor_ratings as r
            (mentor_id, rating_count, rating_sum, stars_1, stars_2, stars_3, stars_4, stars_5, completed_count)
        values (new.mentor_id, (new.rating is not null)::integer, coalesce(new.rating, 0),
                coalesce((new.rating = 1)::integer, 0), coalesce((new.rating = 2)::integer, 0),
                coalesce((new.rating = 3)::integer, 0), coalesce((new.rating = 4)::integer, 0),
                coalesce((new.rating = 5)::integer, 0), 1)
        on conflict (mentor_id) do update
            set rating_count = r.rating_count + excluded.rating_count,
                rating_sum = r.rating_sum + excluded.rating_sum,
                stars_1 = r.stars_1 + excluded.stars_1, stars_2 = r.stars_2 + excluded.stars_2,
                stars_3 = r.stars_3 + excluded.stars_3, stars_4 = r.stars_4 + excluded.stars_4,
                stars_5 = r.stars_5 + excluded.stars_5, completed_count = r.completed_count + 1;
    end if;
    return null;
end
$$;
revoke execute on function mentor_tui.count_rating() from public, anon, authenticated;

-- Recount, as 019 does: no session changes meanwhile.
lock table public.mentor_sessions in share row exclusive mode;
delete from public.mentor_ratings;
insert into public.mentor_ratings
    (mentor_id, rating_count, rating_sum, stars_1, stars_2, stars_3, stars_4, stars_5, completed_count)
select s.mentor_id, pg_catalog.count(s.rating), coalesce(pg_catalog.sum(s.rating), 0),
       pg_catalog.count(*) filter (where s.rating = 1), pg_catalog.count(*) filter (where s.rating = 2),
       pg_catalog.count(*) filter (where s.rating = 3), pg_catalog.count(*) filter (where s.rating = 4),
       pg_catalog.count(*) filter (where s.rating = 5), pg_catalog.count(*)
from public.mentor_sessions s
where s.status = 'completed'
group by s.mentor_id;

-- One mentor's figures: one primary-key lookup. No row for a mentor without any.
create or replace function public.mentor_review_stats(mentor uuid)
returns table (stars_1 integer, stars_2 integer, stars_3 integer, stars_4 integer, stars_5 integer,
               completed_count integer)
language sql stable
security definer
set search_path = ''
as $$
    select r.stars_1, r.stars_2, r.stars_3, r.stars_4, r.stars_5, r.completed_count
    from public.mentor_ratings r
    where r.mentor_id = mentor_review_stats.mentor
$$;

-- --- session notes ----------------------------------------------------------------------
create table if not exists public.session_notes (
    session_id   uuid primary key references public.mentor_sessions (id) on delete cascade,
    mentor_id    uuid not null,
    student_id   uuid not null,
    session_time timestamptz not null,
    summary      text not null,
    updated_at   timestamptz not null default now()
);
call mentor_tui.add_constraint('public.session_notes', 'session_notes_summary_text_check',
    'check (mentor_tui.plain_text_ok(summary, 10000, true) and char_length(btrim(summary)) >= 1)');
create index if not exists session_notes_pair_time_idx
    on public.session_notes (mentor_id, student_id, session_time);
create index if not exists session_notes_student_id_idx on public.session_notes (student_id);

-- The pair and time come from the session whatever the client sent (so a client
-- sends only the session and the summary); for clients under the rules, only the
-- session's mentor writes, once the session has started.
create or replace function mentor_tui.session_notes_rules()
returns trigger
language plpgsql
set search_path = ''
as $$
declare
    held record;
    session_found boolean;
begin
    select s.mentor_id, s.student_id, s.scheduled_time, s.status into held
    from public.mentor_sessions s where s.id = new.session_id;
    session_found := found;
    if session_found then
        new.mentor_id := held.mentor_id;
        new.student_id := held.student_id;
        new.session_time := held.scheduled_time;
    end if;
    if not mentor_tui.rules_apply(tg_relid) then
        return new;
    end if;
    if tg_op = 'UPDATE' and new.session_id is distinct from old.session_id then
        perform mentor_tui.refuse('Notes stay with their session.');
    end if;
    if not session_found or (select auth.uid()) is distinct from held.mentor_id then
        perform mentor_tui.refuse('Only the session''s mentor writes its notes.');
    end if;
    if not (held.status = 'completed' or (held.status = 'confirmed' and held.scheduled_time <= pg_catalog.now())) then
        perform mentor_tui.refuse('Notes are written once the session has started.');
    end if;
    new.updated_at := pg_catalog.now();
    return new;
end
$$;
revoke execute on function mentor_tui.session_notes_rules() from public;

create or replace trigger mentor_tui_session_notes_rules
    before insert or update on public.session_notes
    for each row execute function mentor_tui.session_notes_rules();

-- Row-level security in 007's two kinds: both parties read, the mentor writes, nobody deletes.
alter table public.session_notes enable row level security;

drop policy if exists "mentor_tui: signed-in users reach session notes" on public.session_notes;
create policy "mentor_tui: signed-in users reach session notes" on public.session_notes
    as permissive for all to authenticated using (true) with check (true);

drop policy if exists "mentor_tui: the two parties read their notes" on public.session_notes;
create policy "mentor_tui: the two parties read their notes" on public.session_notes
    as restrictive for select to public
    using ((select auth.uid()) in (mentor_id, student_id));

drop policy if exists "mentor_tui: the mentor writes the notes" on public.session_notes;
create policy "mentor_tui: the mentor writes the notes" on public.session_notes
    as restrictive for insert to public
    with check (mentor_id = (select auth.uid()));

drop policy if exists "mentor_tui: the mentor changes the notes" on public.session_notes;
create policy "mentor_tui: the mentor changes the notes" on public.session_notes
    as restrictive for update to public
    using (mentor_id = (select auth.uid())) with check (mentor_id = (select auth.uid()));

drop policy if exists "mentor_tui: notes are never deleted" on public.session_notes;
create policy "mentor_tui: notes are never deleted" on public.session_notes
    as restrictive for delete to public using (false);

revoke all on table public.session_notes from public, anon, authenticated;
grant select, insert, update on table public.session_notes to authenticated;
grant all on table public.session_notes to service_role;

-- As 013 grants: only signed-in people (and the trusted server role) may call them.
revoke execute on function
    public.mentor_reviews_replied(uuid, integer),
    public.mentor_review_stats(uuid)
from public, anon;
grant execute on function
    public.mentor_reviews_replied(uuid, integer),
    public.mentor_review_stats(uuid)
to authenticated, service_role;

notify pgrst, 'reload schema';

commit;
