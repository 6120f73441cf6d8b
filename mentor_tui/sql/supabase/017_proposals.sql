-- 017 mentor_proposals: a mentor proposes a session to a student they share a session
-- with (/schedule in a conversation); the student accepts it once, before it starts,
-- and it becomes a confirmed session with no further step by the mentor. The proposal
-- row is what authorises that session: the meeting link is fixed by the mentor when
-- proposing, and acceptance goes only through mentor_accept_proposal() below, which
-- still meets the no-overlap rules of 003. Clients never update or delete a proposal.
-- A message may point to what /schedule created: a student's request (session_id) or
-- a mentor's proposal (proposal_id), only ones of the same pair.
-- The same rules as mentor_tui/services/proposals.py and sql/sqlite/upgrade/010_proposals.sql.
begin;

create table if not exists public.mentor_proposals (
    id                  uuid primary key default gen_random_uuid(),
    mentor_id           uuid not null references auth.users (id) on delete cascade,
    student_id          uuid not null references auth.users (id) on delete cascade,
    subject             text not null,
    scheduled_time      timestamptz not null,
    duration_minutes    integer not null,
    meeting_link        text not null,
    created_at          timestamptz not null default now(),
    accepted_session_id uuid references public.mentor_sessions (id) on delete set null,
    accepted_at         timestamptz
);

-- Named <table>_<column>_check so a client can tell the field (see 001); the same
-- value rules as a session's (003, 010).
call mentor_tui.add_constraint('public.mentor_proposals', 'mentor_proposals_subject_check',
    'check (char_length(btrim(subject)) between 1 and 100)');
call mentor_tui.add_constraint('public.mentor_proposals', 'mentor_proposals_subject_text_check',
    'check (mentor_tui.plain_text_ok(subject, 100, false))');
call mentor_tui.add_constraint('public.mentor_proposals', 'mentor_proposals_duration_minutes_check',
    'check (duration_minutes between 15 and 240 and duration_minutes % 15 = 0)');
call mentor_tui.add_constraint('public.mentor_proposals', 'mentor_proposals_meeting_link_check',
    'check (mentor_tui.url_ok(meeting_link))');
call mentor_tui.add_constraint('public.mentor_proposals', 'mentor_proposals_student_id_check',
    'check (student_id <> mentor_id)');
call mentor_tui.add_constraint('public.mentor_proposals', 'mentor_proposals_accepted_at_check',
    'check ((accepted_session_id is null) = (accepted_at is null))');

create index if not exists mentor_proposals_pair_created_at_idx
    on public.mentor_proposals (mentor_id, student_id, created_at);
create index if not exists mentor_proposals_student_id_idx
    on public.mentor_proposals (student_id);

-- For clients under the rules (mentor_tui.rules_apply, 001): a proposal is made by a
-- mentor in their own name, to a student they share a session with, for a time in
-- the future at most two years ahead (as 006 for a booking), unaccepted, stamped now.
create or replace function mentor_tui.mentor_proposals_rules()
returns trigger
language plpgsql
set search_path = ''
as $$
declare
    caller uuid := auth.uid();
begin
    if not mentor_tui.rules_apply(tg_relid) then
        return new;
    end if;
    if tg_op <> 'INSERT' then
        perform mentor_tui.refuse('A proposal never changes; the student accepts it.');
    end if;
    if caller is null or new.mentor_id is distinct from caller then
        perform mentor_tui.refuse('You can propose sessions only in your own name.');
    end if;
    if not exists (select 1 from public.user_profiles p where p.user_id = caller and p.role = 'mentor') then
        perform mentor_tui.refuse('Only mentors propose sessions; a student books one.');
    end if;
    if not exists (select 1 from public.mentor_sessions s
                   where s.mentor_id = new.mentor_id and s.student_id = new.student_id) then
        perform mentor_tui.refuse('You can propose sessions only to a student you share a session with.');
    end if;
    if new.scheduled_time <= pg_catalog.now() then
        perform mentor_tui.bad_value('mentor_proposals_scheduled_time_check', 'Pick a time in the future.');
    end if;
    if new.scheduled_time > pg_catalog.now() + interval '730 days' then
        perform mentor_tui.bad_value('mentor_proposals_scheduled_time_check', 'Pick a time at most two years ahead.');
    end if;
    new.created_at := pg_catalog.now();
    new.accepted_session_id := null;
    new.accepted_at := null;
    return new;
end
$$;
revoke execute on function mentor_tui.mentor_proposals_rules() from public;

create or replace trigger mentor_tui_proposal_rules
    before insert or update on public.mentor_proposals
    for each row execute function mentor_tui.mentor_proposals_rules();

-- Row-level security in 007's two kinds. Nobody updates or deletes directly:
-- acceptance is the function below.
alter table public.mentor_proposals enable row level security;

drop policy if exists "mentor_tui: signed-in users reach proposals" on public.mentor_proposals;
create policy "mentor_tui: signed-in users reach proposals" on public.mentor_proposals
    as permissive for all to authenticated using (true) with check (true);

drop policy if exists "mentor_tui: the two parties read their proposals" on public.mentor_proposals;
create policy "mentor_tui: the two parties read their proposals" on public.mentor_proposals
    as restrictive for select to public
    using ((select auth.uid()) in (mentor_id, student_id));

drop policy if exists "mentor_tui: mentors propose in their own name to a session partner" on public.mentor_proposals;
create policy "mentor_tui: mentors propose in their own name to a session partner" on public.mentor_proposals
    as restrictive for insert to public
    with check (
        mentor_id = (select auth.uid())
        and exists (select 1 from public.mentor_sessions s
                    where s.mentor_id = mentor_proposals.mentor_id and s.student_id = mentor_proposals.student_id)
    );

drop policy if exists "mentor_tui: proposals are never updated directly" on public.mentor_proposals;
create policy "mentor_tui: proposals are never updated directly" on public.mentor_proposals
    as restrictive for update to public using (false) with check (false);

drop policy if exists "mentor_tui: proposals are never deleted" on public.mentor_proposals;
create policy "mentor_tui: proposals are never deleted" on public.mentor_proposals
    as restrictive for delete to public using (false);

revoke all on table public.mentor_proposals from public, anon, authenticated;
grant select, insert on table public.mentor_proposals to authenticated;
grant all on table public.mentor_proposals to service_role;

-- POST /rest/v1/rpc/mentor_accept_proposal: the caller, the proposal's student,
-- accepts it: a confirmed session with the proposal's subject, time, duration and
-- link. Security definer, because clients may not insert a confirmed session nor
-- update a proposal; the proposal row, locked here, is what authorises it: accepted
-- once, only by its student, only before its start. The session still meets the
-- no-overlap constraints of 003 (23P01) and takes 006's per-mentor booking lock.
-- The mentor is notified (016's notify, kind 'confirmed', by the student).
create or replace function public.mentor_accept_proposal(proposal uuid)
returns setof public.mentor_sessions
language plpgsql
security definer
set search_path = ''
as $$
declare
    caller uuid := auth.uid();
    p public.mentor_proposals;
    s public.mentor_sessions;
begin
    select * into p from public.mentor_proposals where id = mentor_accept_proposal.proposal for update;
    if not found or caller is null or caller not in (p.mentor_id, p.student_id) then
        perform mentor_tui.refuse('There is no such proposal.');
    end if;
    if caller <> p.student_id then
        perform mentor_tui.refuse('Only the student a proposal is for accepts it.');
    end if;
    if p.accepted_session_id is not null or p.accepted_at is not null then
        perform mentor_tui.refuse('This proposal was already accepted.');
    end if;
    if p.scheduled_time <= pg_catalog.now() then
        perform mentor_tui.refuse('This proposal expired when its time began.');
    end if;
    insert into public.mentor_sessions
        (mentor_id, student_id, subject, scheduled_time, duration_minutes, status, meeting_link, created_at, updated_at)
    values
        (p.mentor_id, p.student_id, p.subject, p.scheduled_time, p.duration_minutes, 'confirmed', p.meeting_link,
         pg_catalog.now(), pg_catalog.now())
    returning * into s;
    update public.mentor_proposals
    set accepted_session_id = s.id, accepted_at = pg_catalog.now()
    where id = p.id;
    -- The mentor hears of it as of a confirmation, with the student as the one who acted (016).
    perform mentor_tui.notify(p.mentor_id, 'confirmed', s.id, null, p.student_id, null);
    return next s;
end
$$;
revoke execute on function public.mentor_accept_proposal(uuid) from public, anon;
grant execute on function public.mentor_accept_proposal(uuid) to authenticated, service_role;

-- What a message points to. Both optional, never both; only the pair's own session or
-- proposal, and a proposal only in a message from its mentor.
alter table public.mentor_messages
    add column if not exists session_id uuid references public.mentor_sessions (id) on delete set null,
    add column if not exists proposal_id uuid references public.mentor_proposals (id) on delete set null;
call mentor_tui.add_constraint('public.mentor_messages', 'mentor_messages_proposal_id_check',
    'check (session_id is null or proposal_id is null)');

drop policy if exists "mentor_tui: messages point only to the pair's own session or proposal" on public.mentor_messages;
create policy "mentor_tui: messages point only to the pair's own session or proposal" on public.mentor_messages
    as restrictive for insert to public
    with check (
        (session_id is null
         or exists (select 1 from public.mentor_sessions s
                    where s.id = mentor_messages.session_id
                      and s.mentor_id = mentor_messages.mentor_id and s.student_id = mentor_messages.student_id))
        and (proposal_id is null
             or exists (select 1 from public.mentor_proposals p
                        where p.id = mentor_messages.proposal_id and p.mentor_id = mentor_messages.sender_id
                          and p.mentor_id = mentor_messages.mentor_id and p.student_id = mentor_messages.student_id))
    );

-- Live updates, as 015 and 016: only where the publication exists and lists tables.
do $$
begin
    if exists (select 1 from pg_catalog.pg_publication where pubname = 'supabase_realtime' and not puballtables)
       and not exists (select 1 from pg_catalog.pg_publication_tables
                       where pubname = 'supabase_realtime' and schemaname = 'public' and tablename = 'mentor_proposals')
    then
        alter publication supabase_realtime add table public.mentor_proposals;
    end if;
end
$$;

notify pgrst, 'reload schema';

commit;
