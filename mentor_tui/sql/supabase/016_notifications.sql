-- 016 mentor_notifications: what happened to a person's sessions and conversations,
-- written only by the triggers below, whichever client made the change (mentor-tui,
-- the web app, the SQL editor): a request (to the mentor), its confirmation, decline
-- with the reason, cancellation with who cancelled and why, completion with the
-- feedback, a rating (to the other party), and a message (to the recipient). Each
-- person reads and marks read only their own; no client inserts or deletes.
-- The kinds are domain/models.py NotificationKind; excerpts are cut to
-- models.NOTIFICATION_DETAIL_MAX characters.
begin;

create table if not exists public.mentor_notifications (
    id         uuid primary key default gen_random_uuid(),
    user_id    uuid not null references auth.users (id) on delete cascade,
    kind       text not null,
    session_id uuid references public.mentor_sessions (id) on delete cascade,
    message_id uuid references public.mentor_messages (id) on delete cascade,
    actor_id   uuid references auth.users (id) on delete set null,
    detail     text,
    created_at timestamptz not null default now(),
    read_at    timestamptz
);

call mentor_tui.add_constraint('public.mentor_notifications', 'mentor_notifications_kind_check',
    $c$check (kind in ('requested', 'confirmed', 'declined', 'cancelled', 'completed', 'rated', 'message'))$c$);
call mentor_tui.add_constraint('public.mentor_notifications', 'mentor_notifications_detail_check',
    'check (detail is null or char_length(detail) <= 200)');

-- A person's newest notifications, and their unread count.
create index if not exists mentor_notifications_user_id_created_at_idx
    on public.mentor_notifications (user_id, created_at desc);
create index if not exists mentor_notifications_unread_idx
    on public.mentor_notifications (user_id) where read_at is null;

-- One notification; called only by the two trigger functions below, which are
-- security definer (clients hold no insert privilege, and the recipient is another
-- person). Not callable by clients.
create or replace function mentor_tui.notify(
    recipient uuid, what text, session uuid, message uuid, actor uuid, excerpt text
)
returns void
language sql
set search_path = ''
as $$
    insert into public.mentor_notifications (user_id, kind, session_id, message_id, actor_id, detail)
    values (recipient, what, session, message, actor, pg_catalog.left(excerpt, 200))
$$;
revoke execute on function mentor_tui.notify(uuid, text, uuid, uuid, uuid, text) from public;

-- A session's steps, after they are written (and so after 006 allowed them and 014
-- recorded who cancelled). A cancellation whose canceller is not recorded (a trusted
-- writer) tells both parties.
create or replace function mentor_tui.notify_session_change()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
    if tg_op = 'INSERT' then
        if new.status = 'pending' then
            perform mentor_tui.notify(new.mentor_id, 'requested', new.id, null, new.student_id, new.subject);
        end if;
        return null;
    end if;
    if new.status is distinct from old.status then
        if new.status = 'confirmed' then
            perform mentor_tui.notify(new.student_id, 'confirmed', new.id, null, new.mentor_id, null);
        elsif new.status = 'cancelled' and coalesce(new.declined, false) then
            perform mentor_tui.notify(new.student_id, 'declined', new.id, null, new.mentor_id, new.cancellation_reason);
        elsif new.status = 'cancelled' then
            perform mentor_tui.notify(party, 'cancelled', new.id, null, new.cancelled_by, new.cancellation_reason)
            from pg_catalog.unnest(array[new.mentor_id, new.student_id]) party
            where party is distinct from new.cancelled_by;
        elsif new.status = 'completed' then
            perform mentor_tui.notify(new.student_id, 'completed', new.id, null, new.mentor_id, new.feedback);
        end if;
    end if;
    if old.rating is null and new.rating is not null then
        perform mentor_tui.notify(new.mentor_id, 'rated', new.id, null, new.student_id, new.review);
    end if;
    return null;
end
$$;
revoke execute on function mentor_tui.notify_session_change() from public;

create or replace trigger mentor_tui_notify_session
    after insert or update on public.mentor_sessions
    for each row execute function mentor_tui.notify_session_change();

create or replace function mentor_tui.notify_message()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
    perform mentor_tui.notify(
        case when new.sender_id = new.mentor_id then new.student_id else new.mentor_id end,
        'message', null, new.id, new.sender_id, new.body);
    return null;
end
$$;
revoke execute on function mentor_tui.notify_message() from public;

create or replace trigger mentor_tui_notify_message
    after insert on public.mentor_messages
    for each row execute function mentor_tui.notify_message();

-- For clients under the rules: only read_at changes, only from null, stamped now.
-- (RLS below keeps each person to their own rows; clients cannot insert at all.)
create or replace function mentor_tui.mentor_notifications_rules()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
    if not mentor_tui.rules_apply(tg_relid) then
        return new;
    end if;
    if (pg_catalog.to_jsonb(new) - 'read_at') is distinct from (pg_catalog.to_jsonb(old) - 'read_at') then
        perform mentor_tui.refuse('A notification never changes; it is only marked read.');
    end if;
    if new.read_at is distinct from old.read_at then
        if old.read_at is not null or new.read_at is null then
            perform mentor_tui.refuse('A notification is marked read once.');
        end if;
        new.read_at := pg_catalog.now();
    end if;
    return new;
end
$$;
revoke execute on function mentor_tui.mentor_notifications_rules() from public;

create or replace trigger mentor_tui_notification_rules
    before update on public.mentor_notifications
    for each row execute function mentor_tui.mentor_notifications_rules();

alter table public.mentor_notifications enable row level security;

drop policy if exists "mentor_tui: signed-in users reach notifications" on public.mentor_notifications;
create policy "mentor_tui: signed-in users reach notifications" on public.mentor_notifications
    as permissive for all to authenticated using (true) with check (true);

drop policy if exists "mentor_tui: people read their own notifications" on public.mentor_notifications;
create policy "mentor_tui: people read their own notifications" on public.mentor_notifications
    as restrictive for select to public using (user_id = (select auth.uid()));

drop policy if exists "mentor_tui: people mark their own notifications read" on public.mentor_notifications;
create policy "mentor_tui: people mark their own notifications read" on public.mentor_notifications
    as restrictive for update to public
    using (user_id = (select auth.uid()))
    with check (user_id = (select auth.uid()));

drop policy if exists "mentor_tui: only the database writes notifications" on public.mentor_notifications;
create policy "mentor_tui: only the database writes notifications" on public.mentor_notifications
    as restrictive for insert to public with check (false);

drop policy if exists "mentor_tui: notifications are never deleted by clients" on public.mentor_notifications;
create policy "mentor_tui: notifications are never deleted by clients" on public.mentor_notifications
    as restrictive for delete to public using (false);

-- Privileges as 013 grants them: clients read and may update read_at alone.
revoke all on table public.mentor_notifications from public, anon, authenticated;
grant select on table public.mentor_notifications to authenticated;
grant update (read_at) on table public.mentor_notifications to authenticated;
grant all on table public.mentor_notifications to service_role;

-- Live updates: sessions and notifications in the supabase_realtime publication
-- (messages joined it in 015), where the publication exists and lists its tables.
do $$
declare
    name text;
begin
    if not exists (select 1 from pg_catalog.pg_publication where pubname = 'supabase_realtime' and not puballtables) then
        return;
    end if;
    foreach name in array array['mentor_sessions', 'mentor_notifications'] loop
        if not exists (select 1 from pg_catalog.pg_publication_tables
                       where pubname = 'supabase_realtime' and schemaname = 'public' and tablename = name) then
            execute pg_catalog.format('alter publication supabase_realtime add table public.%I', name);
        end if;
    end loop;
end
$$;

notify pgrst, 'reload schema';

commit;
