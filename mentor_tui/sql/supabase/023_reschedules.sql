-- 023 session_reschedules: either party of a pending or confirmed session that has not
-- started asks to move it to a new time, with a reason; one request per session is open
-- at a time; the other party accepts (accept_reschedule(), which moves the session) or
-- declines, and the proposer may withdraw (close_reschedule()). Rows are kept: they are
-- the session's history. Clients insert requests and never update or delete them.
-- The same rules as mentor_tui/domain/reschedule.py and sql/sqlite/upgrade/014_reschedules.sql.
begin;

-- Notifications learn three kinds (016's list and domain/models.py NotificationKind).
alter table public.mentor_notifications drop constraint if exists mentor_notifications_kind_check;
call mentor_tui.add_constraint('public.mentor_notifications', 'mentor_notifications_kind_check',
    $c$check (kind in ('requested', 'confirmed', 'declined', 'cancelled', 'completed', 'rated', 'message',
                       'reschedule_proposed', 'reschedule_accepted', 'reschedule_declined'))$c$);

create table if not exists public.session_reschedules (
    id          uuid primary key default gen_random_uuid(),
    session_id  uuid not null references public.mentor_sessions (id) on delete cascade,
    proposed_by uuid not null references auth.users (id) on delete cascade,
    old_time    timestamptz not null,
    new_time    timestamptz not null,
    reason      text,
    status      text not null default 'open',
    created_at  timestamptz not null default now(),
    answered_at timestamptz
);

call mentor_tui.add_constraint('public.session_reschedules', 'session_reschedules_status_check',
    $c$check (status in ('open', 'accepted', 'declined', 'withdrawn'))$c$);
call mentor_tui.add_constraint('public.session_reschedules', 'session_reschedules_answered_at_check',
    $c$check ((status = 'open') = (answered_at is null))$c$);
call mentor_tui.add_constraint('public.session_reschedules', 'session_reschedules_reason_check',
    'check (mentor_tui.plain_text_ok(reason, 500, true))');

create index if not exists session_reschedules_session_id_created_at_idx
    on public.session_reschedules (session_id, created_at);
-- One open request per session.
create unique index if not exists session_reschedules_one_open_idx
    on public.session_reschedules (session_id) where status = 'open';

-- For clients under the rules (mentor_tui.rules_apply, 001): a request is made in the
-- caller's own name by a party of a pending or confirmed session that has not started,
-- for a new time in the future at most two years ahead (as 006 for a booking); it starts
-- open, from the session's current time, stamped now.
create or replace function mentor_tui.session_reschedules_rules()
returns trigger
language plpgsql
set search_path = ''
as $$
declare
    caller uuid := auth.uid();
    s public.mentor_sessions;
begin
    if not mentor_tui.rules_apply(tg_relid) then
        return new;
    end if;
    if tg_op <> 'INSERT' then
        perform mentor_tui.refuse('A request to move a session is answered through accept_reschedule or close_reschedule.');
    end if;
    if caller is null or new.proposed_by is distinct from caller then
        perform mentor_tui.refuse('You can ask to move a session only in your own name.');
    end if;
    select * into s from public.mentor_sessions where id = new.session_id;
    if not found or caller not in (s.mentor_id, s.student_id) then
        perform mentor_tui.refuse('That session does not exist or is not yours.');
    end if;
    if s.status not in ('pending', 'confirmed') then
        perform mentor_tui.refuse('Only a pending or confirmed session can be moved.');
    end if;
    if s.scheduled_time <= pg_catalog.now() then
        perform mentor_tui.refuse('This session has already started, so it can no longer be moved.');
    end if;
    if new.new_time <= pg_catalog.now() then
        perform mentor_tui.bad_value('session_reschedules_new_time_check', 'Pick a time in the future.');
    end if;
    if new.new_time > pg_catalog.now() + interval '730 days' then
        perform mentor_tui.bad_value('session_reschedules_new_time_check', 'Pick a time at most two years ahead.');
    end if;
    if new.new_time = s.scheduled_time then
        perform mentor_tui.bad_value('session_reschedules_new_time_check',
            'Pick a time other than the session''s current one.');
    end if;
    new.old_time := s.scheduled_time;
    new.status := 'open';
    new.created_at := pg_catalog.now();
    new.answered_at := null;
    return new;
end
$$;
revoke execute on function mentor_tui.session_reschedules_rules() from public;

create or replace trigger mentor_tui_reschedule_rules
    before insert or update on public.session_reschedules
    for each row execute function mentor_tui.session_reschedules_rules();

-- Row-level security in 007's two kinds: the two parties of the session read its
-- requests; a party inserts one in their own name; nobody updates or deletes directly.
alter table public.session_reschedules enable row level security;

drop policy if exists "mentor_tui: signed-in users reach reschedules" on public.session_reschedules;
create policy "mentor_tui: signed-in users reach reschedules" on public.session_reschedules
    as permissive for all to authenticated using (true) with check (true);

drop policy if exists "mentor_tui: the two parties read a session's reschedules" on public.session_reschedules;
create policy "mentor_tui: the two parties read a session's reschedules" on public.session_reschedules
    as restrictive for select to public
    using (exists (select 1 from public.mentor_sessions s
                   where s.id = session_reschedules.session_id
                     and (select auth.uid()) in (s.mentor_id, s.student_id)));

drop policy if exists "mentor_tui: a party asks to move a session in their own name" on public.session_reschedules;
create policy "mentor_tui: a party asks to move a session in their own name" on public.session_reschedules
    as restrictive for insert to public
    with check (
        proposed_by = (select auth.uid())
        and exists (select 1 from public.mentor_sessions s
                    where s.id = session_reschedules.session_id and proposed_by in (s.mentor_id, s.student_id))
    );

drop policy if exists "mentor_tui: reschedules are never updated directly" on public.session_reschedules;
create policy "mentor_tui: reschedules are never updated directly" on public.session_reschedules
    as restrictive for update to public using (false) with check (false);

drop policy if exists "mentor_tui: reschedules are never deleted" on public.session_reschedules;
create policy "mentor_tui: reschedules are never deleted" on public.session_reschedules
    as restrictive for delete to public using (false);

revoke all on table public.session_reschedules from public, anon, authenticated;
grant select, insert on table public.session_reschedules to authenticated;
grant all on table public.session_reschedules to service_role;

-- The request, locked for its answer, after the same per-mentor lock a booking takes
-- (006), so a move and a booking of one mentor queue rather than meet in the exclusion
-- index; refuses unless the caller may give the answer (the same checks as
-- domain/reschedule.py refusal_to_answer).
create or replace function mentor_tui.open_reschedule_for_answer(p_id uuid, p_answer text)
returns public.session_reschedules
language plpgsql
set search_path = ''
as $$
declare
    caller uuid := auth.uid();
    r public.session_reschedules;
    s public.mentor_sessions;
begin
    select * into r from public.session_reschedules where id = p_id;
    if found then
        select * into s from public.mentor_sessions where id = r.session_id;
    end if;
    if r.id is null or s.id is null or caller is null or caller not in (s.mentor_id, s.student_id) then
        perform mentor_tui.refuse('There is no such request to move a session.');
    end if;
    perform pg_catalog.pg_advisory_xact_lock(
        pg_catalog.hashtextextended('mentor_tui.booking:' || s.mentor_id::text, 0));
    select * into r from public.session_reschedules where id = p_id for update;
    if r.status <> 'open' then
        perform mentor_tui.refuse('This request to move the session has already been answered or withdrawn.');
    end if;
    if p_answer = 'withdrawn' and caller <> r.proposed_by then
        perform mentor_tui.refuse('Only the person who asked to move a session withdraws the request.');
    end if;
    if p_answer in ('accepted', 'declined') and caller = r.proposed_by then
        perform mentor_tui.refuse('Only the other person answers a request to move a session.');
    end if;
    if p_answer not in ('accepted', 'declined', 'withdrawn') then
        perform mentor_tui.refuse('There is no such request to move a session.');
    end if;
    return r;
end
$$;
revoke execute on function mentor_tui.open_reschedule_for_answer(uuid, text) from public;

-- POST /rest/v1/rpc/accept_reschedule: the other party accepts; the session moves to the
-- new time and the request is accepted, in one transaction. Security definer, because no
-- client may change a session's time (006); the open request, locked here, is what
-- authorises it. The move still meets the no-overlap constraints of 003 (23P01): the old
-- slot is free the moment the row moves, and the busy times (020) read the row itself.
-- A confirmed session stays confirmed. The proposer is notified by the trigger below.
create or replace function public.accept_reschedule(p_id uuid)
returns setof public.mentor_sessions
language plpgsql
security definer
set search_path = ''
as $$
declare
    r public.session_reschedules := mentor_tui.open_reschedule_for_answer(p_id, 'accepted');
    s public.mentor_sessions;
begin
    select * into s from public.mentor_sessions where id = r.session_id for update;
    if s.status not in ('pending', 'confirmed') then
        perform mentor_tui.refuse('Only a pending or confirmed session can be moved.');
    end if;
    if s.scheduled_time <= pg_catalog.now() then
        perform mentor_tui.refuse('This session has already started, so it can no longer be moved.');
    end if;
    if s.scheduled_time is distinct from r.old_time then
        perform mentor_tui.refuse('The session changed since the request was made; ask again for a new time.');
    end if;
    if r.new_time <= pg_catalog.now() then
        perform mentor_tui.bad_value('session_reschedules_new_time_check', 'Pick a time in the future.');
    end if;
    update public.mentor_sessions set scheduled_time = r.new_time where id = s.id returning * into s;
    update public.session_reschedules set status = 'accepted', answered_at = pg_catalog.now() where id = r.id;
    return next s;
end
$$;

-- POST /rest/v1/rpc/close_reschedule: the other party declines ('declined'), or the
-- proposer withdraws ('withdrawn'), an open request; the request after.
create or replace function public.close_reschedule(p_id uuid, p_status text)
returns setof public.session_reschedules
language plpgsql
security definer
set search_path = ''
as $$
declare
    r public.session_reschedules;
begin
    if p_status not in ('declined', 'withdrawn') then
        perform mentor_tui.refuse('A request to move a session is declined or withdrawn here.');
    end if;
    r := mentor_tui.open_reschedule_for_answer(p_id, p_status);
    update public.session_reschedules set status = p_status, answered_at = pg_catalog.now()
    where id = r.id returning * into r;
    return next r;
end
$$;

revoke execute on function public.accept_reschedule(uuid), public.close_reschedule(uuid, text) from public, anon;
grant execute on function public.accept_reschedule(uuid), public.close_reschedule(uuid, text)
    to authenticated, service_role;

-- The other party hears of a request (with its reason); the proposer hears of an
-- acceptance or a decline (a withdrawal is their own doing). Through 016's notify.
create or replace function mentor_tui.notify_reschedule()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
    s public.mentor_sessions;
    other uuid;
begin
    select * into s from public.mentor_sessions where id = new.session_id;
    other := case when new.proposed_by = s.mentor_id then s.student_id else s.mentor_id end;
    if tg_op = 'INSERT' then
        perform mentor_tui.notify(other, 'reschedule_proposed', s.id, null, new.proposed_by, new.reason);
    elsif new.status is distinct from old.status and new.status in ('accepted', 'declined') then
        perform mentor_tui.notify(new.proposed_by, 'reschedule_' || new.status, s.id, null, other, null);
    end if;
    return null;
end
$$;
revoke execute on function mentor_tui.notify_reschedule() from public;

create or replace trigger mentor_tui_notify_reschedule
    after insert or update of status on public.session_reschedules
    for each row execute function mentor_tui.notify_reschedule();

-- Live updates, as 017: only where the publication exists and lists tables.
do $$
begin
    if exists (select 1 from pg_catalog.pg_publication where pubname = 'supabase_realtime' and not puballtables)
       and not exists (select 1 from pg_catalog.pg_publication_tables
                       where pubname = 'supabase_realtime' and schemaname = 'public' and tablename = 'session_reschedules')
    then
        alter publication supabase_realtime add table public.session_reschedules;
    end if;
end
$$;

notify pgrst, 'reload schema';

commit;
