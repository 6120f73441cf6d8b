-- 024 session_no_shows: after a confirmed session has ended (one its mentor completed
-- counts too), each party may mark the other absent, once, with an optional note. Kept
-- beside the session, never as a status of its own: the web app reads mentor_sessions'
-- four statuses only. The two parties read a session's marks (a mentor counts a
-- student's in My Students); nobody changes or deletes one.
-- The same rules as mentor_tui/domain/no_show.py and sql/sqlite/upgrade/014_reschedules.sql.
begin;

create table if not exists public.session_no_shows (
    id         uuid primary key default gen_random_uuid(),
    session_id uuid not null references public.mentor_sessions (id) on delete cascade,
    marked_by  uuid not null references auth.users (id) on delete cascade,
    absent_id  uuid not null references auth.users (id) on delete cascade,
    note       text,
    created_at timestamptz not null default now()
);

call mentor_tui.add_constraint('public.session_no_shows', 'session_no_shows_absent_id_check',
    'check (absent_id <> marked_by)');
call mentor_tui.add_constraint('public.session_no_shows', 'session_no_shows_note_check',
    'check (mentor_tui.plain_text_ok(note, 500, true))');
-- Once per session and party.
call mentor_tui.add_unique('public.session_no_shows', 'session_no_shows_session_id_marked_by_key',
    array['session_id', 'marked_by'],
    'Keep one row per session_id/marked_by pair above, then run this file again.');
create index if not exists session_no_shows_marked_by_absent_id_idx
    on public.session_no_shows (marked_by, absent_id);

-- For clients under the rules (001): a party marks the other party of a confirmed or
-- completed session that has ended, in their own name, stamped now.
create or replace function mentor_tui.session_no_shows_rules()
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
        perform mentor_tui.refuse('A no-show never changes.');
    end if;
    if caller is null or new.marked_by is distinct from caller then
        perform mentor_tui.refuse('You can mark a no-show only in your own name.');
    end if;
    select * into s from public.mentor_sessions where id = new.session_id;
    if not found or caller not in (s.mentor_id, s.student_id) then
        perform mentor_tui.refuse('That session does not exist or is not yours.');
    end if;
    if s.status not in ('confirmed', 'completed') then
        perform mentor_tui.refuse('Only a confirmed or completed session can have a no-show.');
    end if;
    if s.scheduled_time + pg_catalog.make_interval(mins => s.duration_minutes) > pg_catalog.now() then
        perform mentor_tui.refuse('You can mark a no-show only after the session has ended.');
    end if;
    if exists (select 1 from public.session_no_shows n where n.session_id = s.id and n.marked_by = caller) then
        perform mentor_tui.refuse('You have already marked a no-show for this session.');
    end if;
    new.absent_id := case when caller = s.mentor_id then s.student_id else s.mentor_id end;
    new.created_at := pg_catalog.now();
    return new;
end
$$;
revoke execute on function mentor_tui.session_no_shows_rules() from public;

create or replace trigger mentor_tui_no_show_rules
    before insert or update on public.session_no_shows
    for each row execute function mentor_tui.session_no_shows_rules();

alter table public.session_no_shows enable row level security;

drop policy if exists "mentor_tui: signed-in users reach no-shows" on public.session_no_shows;
create policy "mentor_tui: signed-in users reach no-shows" on public.session_no_shows
    as permissive for all to authenticated using (true) with check (true);

drop policy if exists "mentor_tui: the two parties read a session's no-shows" on public.session_no_shows;
create policy "mentor_tui: the two parties read a session's no-shows" on public.session_no_shows
    as restrictive for select to public
    using ((select auth.uid()) in (marked_by, absent_id));

drop policy if exists "mentor_tui: a party marks the other absent in their own name" on public.session_no_shows;
create policy "mentor_tui: a party marks the other absent in their own name" on public.session_no_shows
    as restrictive for insert to public
    with check (
        marked_by = (select auth.uid())
        and exists (select 1 from public.mentor_sessions s
                    where s.id = session_no_shows.session_id and marked_by in (s.mentor_id, s.student_id))
    );

drop policy if exists "mentor_tui: no-shows are never updated" on public.session_no_shows;
create policy "mentor_tui: no-shows are never updated" on public.session_no_shows
    as restrictive for update to public using (false) with check (false);

drop policy if exists "mentor_tui: no-shows are never deleted" on public.session_no_shows;
create policy "mentor_tui: no-shows are never deleted" on public.session_no_shows
    as restrictive for delete to public using (false);

revoke all on table public.session_no_shows from public, anon, authenticated;
grant select, insert on table public.session_no_shows to authenticated;
grant all on table public.session_no_shows to service_role;

notify pgrst, 'reload schema';

commit;
