-- 018 mentor_change_marker(): what live updates poll when Supabase Realtime cannot be
-- reached (mentor_tui/repository/supabase_live.py). One row that differs once
-- anything the caller can see has changed in their sessions (inserted, a step or an
-- edit: updated_at moves, 006), their conversations (a new message, one marked read)
-- or their notifications (a new one, one marked read). Only the caller's own rows,
-- each found through the index that starts with the caller's id (009, 015, 016), so
-- asking every second costs a few index lookups. Security invoker: RLS applies too.
-- Proposals (017) are not counted: proposing sends a message and accepting creates a
-- session, which are.
begin;

-- One row: a count and the newest time for each kind of row, and the unread counts.
create or replace function public.mentor_change_marker()
returns table (
    sessions bigint, sessions_changed timestamptz,
    messages bigint, messages_newest timestamptz, messages_unread bigint,
    notifications bigint, notifications_newest timestamptz, notifications_unread bigint
)
language sql
stable
security invoker
set search_path = ''
as $$
    with me as (select (select auth.uid()) as id)
    select s.total, s.changed, m.total, m.newest, m.unread, n.total, n.newest, n.unread
    from me
    cross join lateral (
        select pg_catalog.count(*) as total, pg_catalog.max(x.updated_at) as changed
        from public.mentor_sessions x
        where x.mentor_id = me.id or x.student_id = me.id
    ) s
    cross join lateral (
        select pg_catalog.count(*) as total, pg_catalog.max(x.created_at) as newest,
               pg_catalog.count(*) filter (where x.sender_id <> me.id and x.read_at is null) as unread
        from public.mentor_messages x
        where x.mentor_id = me.id or x.student_id = me.id
    ) m
    cross join lateral (
        select pg_catalog.count(*) as total, pg_catalog.max(x.created_at) as newest,
               pg_catalog.count(*) filter (where x.read_at is null) as unread
        from public.mentor_notifications x
        where x.user_id = me.id
    ) n
$$;

-- As 013 grants: only signed-in people (and the trusted server role) may call it.
revoke execute on function public.mentor_change_marker() from public, anon;
grant execute on function public.mentor_change_marker() to authenticated, service_role;

notify pgrst, 'reload schema';

commit;
