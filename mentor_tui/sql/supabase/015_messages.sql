-- 015 mentor_messages: a mentor and a student who share at least one session (any
-- status) write to each other. Only the two read a message; the sender writes it in
-- their own name; only the recipient marks it read, once; nothing else ever changes
-- and no client deletes. The database stamps both times. The same rules as
-- mentor_tui/services/messages.py and sql/sqlite/upgrade/009_messages_notifications.sql.
begin;

create table if not exists public.mentor_messages (
    id         uuid primary key default gen_random_uuid(),
    mentor_id  uuid not null references auth.users (id) on delete cascade,
    student_id uuid not null references auth.users (id) on delete cascade,
    sender_id  uuid not null references auth.users (id) on delete cascade,
    body       text not null,
    created_at timestamptz not null default now(),
    read_at    timestamptz
);

-- Named <table>_<column>_check so a client can tell the field (see 001).
call mentor_tui.add_constraint('public.mentor_messages', 'mentor_messages_body_check',
    'check (char_length(btrim(body)) between 1 and 4000)');
call mentor_tui.add_constraint('public.mentor_messages', 'mentor_messages_body_text_check',
    'check (mentor_tui.plain_text_ok(body, 4000, true))');
call mentor_tui.add_constraint('public.mentor_messages', 'mentor_messages_sender_id_check',
    'check (sender_id in (mentor_id, student_id))');
call mentor_tui.add_constraint('public.mentor_messages', 'mentor_messages_student_id_check',
    'check (student_id <> mentor_id)');

-- A conversation's messages in time order (a thread, its last message, unread counts).
create index if not exists mentor_messages_pair_created_at_idx
    on public.mentor_messages (mentor_id, student_id, created_at);
create index if not exists mentor_messages_student_id_created_at_idx
    on public.mentor_messages (student_id, created_at);

-- For clients under the rules (mentor_tui.rules_apply, 001). Insert: in the caller's
-- name, to someone they share a session with, stamped now and unread. Update: only
-- read_at, only by the recipient, only from null (stamped now). RLS (below) already
-- hides other people's rows; these say why with a clear message.
create or replace function mentor_tui.mentor_messages_rules()
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
    if tg_op = 'INSERT' then
        if caller is null or new.sender_id is distinct from caller then
            perform mentor_tui.refuse('You can send messages only in your own name.');
        end if;
        if not exists (select 1 from public.mentor_sessions s
                       where s.mentor_id = new.mentor_id and s.student_id = new.student_id) then
            perform mentor_tui.refuse('You can message only a mentor or student you share a session with.');
        end if;
        new.created_at := pg_catalog.now();
        new.read_at := null;
        return new;
    end if;
    if (pg_catalog.to_jsonb(new) - 'read_at') is distinct from (pg_catalog.to_jsonb(old) - 'read_at') then
        perform mentor_tui.refuse('A message never changes once sent.');
    end if;
    if new.read_at is distinct from old.read_at then
        if caller is null or caller = old.sender_id or caller not in (old.mentor_id, old.student_id) then
            perform mentor_tui.refuse('Only the recipient marks a message read.');
        end if;
        if old.read_at is not null or new.read_at is null then
            perform mentor_tui.refuse('A message is marked read once.');
        end if;
        new.read_at := pg_catalog.now();
    end if;
    return new;
end
$$;
revoke execute on function mentor_tui.mentor_messages_rules() from public;

create or replace trigger mentor_tui_message_rules
    before insert or update on public.mentor_messages
    for each row execute function mentor_tui.mentor_messages_rules();

-- Row-level security, in 007's two kinds: permissive to reach the table, restrictive
-- for the rule, so a policy someone adds later cannot widen it.
alter table public.mentor_messages enable row level security;

drop policy if exists "mentor_tui: signed-in users reach messages" on public.mentor_messages;
create policy "mentor_tui: signed-in users reach messages" on public.mentor_messages
    as permissive for all to authenticated using (true) with check (true);

drop policy if exists "mentor_tui: the two parties read their messages" on public.mentor_messages;
create policy "mentor_tui: the two parties read their messages" on public.mentor_messages
    as restrictive for select to public
    using ((select auth.uid()) in (mentor_id, student_id));

drop policy if exists "mentor_tui: senders write in their own name to a session partner" on public.mentor_messages;
create policy "mentor_tui: senders write in their own name to a session partner" on public.mentor_messages
    as restrictive for insert to public
    with check (
        sender_id = (select auth.uid())
        and exists (select 1 from public.mentor_sessions s
                    where s.mentor_id = mentor_messages.mentor_id and s.student_id = mentor_messages.student_id)
    );

drop policy if exists "mentor_tui: recipients mark messages read" on public.mentor_messages;
create policy "mentor_tui: recipients mark messages read" on public.mentor_messages
    as restrictive for update to public
    using ((select auth.uid()) in (mentor_id, student_id) and sender_id <> (select auth.uid()))
    with check ((select auth.uid()) in (mentor_id, student_id) and sender_id <> (select auth.uid()));

drop policy if exists "mentor_tui: messages are never deleted" on public.mentor_messages;
create policy "mentor_tui: messages are never deleted" on public.mentor_messages
    as restrictive for delete to public using (false);

-- Privileges as 013 grants them (projects created today grant nothing by default):
-- clients read and send, and may update read_at alone; nobody but the trusted role deletes.
revoke all on table public.mentor_messages from public, anon, authenticated;
grant select, insert on table public.mentor_messages to authenticated;
grant update (read_at) on table public.mentor_messages to authenticated;
grant all on table public.mentor_messages to service_role;

-- POST /rest/v1/rpc/mentor_conversations: the caller's conversations, one row each:
-- the other party and their name, the last message, and how many of the other
-- party's messages are unread; newest last message first. Runs with the caller's
-- rights, so RLS shows only their own messages and their partners' profiles.
create or replace function public.mentor_conversations()
returns table (
    id uuid,
    mentor_id uuid,
    student_id uuid,
    sender_id uuid,
    body text,
    created_at timestamptz,
    read_at timestamptz,
    other_id uuid,
    other_name text,
    unread integer
)
language sql stable
set search_path = ''
as $$
    select newest.id, newest.mentor_id, newest.student_id, newest.sender_id, newest.body, newest.created_at, newest.read_at,
           c.other_id, coalesce(p.full_name, ''), c.unread
    from (
        select m.mentor_id, m.student_id,
               case when m.mentor_id = (select auth.uid()) then m.student_id else m.mentor_id end as other_id,
               pg_catalog.count(*) filter (where m.sender_id <> (select auth.uid()) and m.read_at is null)::integer
                   as unread
        from public.mentor_messages m
        where (select auth.uid()) in (m.mentor_id, m.student_id)
        group by m.mentor_id, m.student_id
    ) c
    cross join lateral (
        select l.* from public.mentor_messages l
        where l.mentor_id = c.mentor_id and l.student_id = c.student_id
        order by l.created_at desc, l.id desc
        limit 1
    ) newest
    left join public.user_profiles p on p.user_id = c.other_id
$$;

revoke execute on function public.mentor_conversations() from public, anon;
grant execute on function public.mentor_conversations() to authenticated, service_role;

-- Live updates (Supabase Realtime postgres_changes) need the table in the
-- supabase_realtime publication, which every Supabase project has; a plain
-- PostgreSQL server may not, so only where it exists.
do $$
begin
    if exists (select 1 from pg_catalog.pg_publication where pubname = 'supabase_realtime' and not puballtables)
       and not exists (select 1 from pg_catalog.pg_publication_tables
                       where pubname = 'supabase_realtime' and schemaname = 'public' and tablename = 'mentor_messages')
    then
        alter publication supabase_realtime add table public.mentor_messages;
    end if;
end
$$;

notify pgrst, 'reload schema';

commit;
