-- 025 Reminders: when the app reminds a person of a confirmed session (services/reminders.py:
-- the person's lead time before its start, and at its start), it keeps the reminder as
-- that person's notification, so their other devices, and the app opened late, show it.
-- Clients still insert no notification themselves: record_reminder writes one for the
-- CALLER only, only for a confirmed session they are a party to, only near its start (the
-- longest lead time the app offers, 60 minutes, before it, until its end for the start
-- one; a minute either way for clocks that differ), and once per session, person and kind.
-- The other party is the one the reminder names (actor_id). Re-runnable.
begin;

alter table public.mentor_notifications drop constraint if exists mentor_notifications_kind_check;
call mentor_tui.add_constraint('public.mentor_notifications', 'mentor_notifications_kind_check',
    $c$check (kind in ('requested', 'confirmed', 'declined', 'cancelled', 'completed', 'rated', 'message',
                       'reschedule_proposed', 'reschedule_accepted', 'reschedule_declined',
                       'reminder', 'starting'))$c$);

create unique index if not exists mentor_notifications_reminder_once_idx
    on public.mentor_notifications (session_id, user_id, kind) where kind in ('reminder', 'starting');

-- One row: the session, and added: true when the reminder was added, false when the caller
-- already had it (a row of two columns, as the app reads every RPC's result as rows).
drop function if exists public.record_reminder(uuid, text);
create function public.record_reminder(p_session uuid, p_kind text)
returns table (reminded_session uuid, added boolean)
language plpgsql
security definer
set search_path = ''
as $$
declare
    caller uuid := auth.uid();
    s public.mentor_sessions;
    opens timestamptz;
    closes timestamptz;
    inserted integer;
begin
    if p_kind is null or p_kind not in ('reminder', 'starting') then
        perform mentor_tui.refuse('A reminder is either ''reminder'' or ''starting''.');
    end if;
    select * into s from public.mentor_sessions where id = record_reminder.p_session;
    if not found or caller is null or caller not in (s.mentor_id, s.student_id) then
        perform mentor_tui.refuse('There is no such session.');
    end if;
    if s.status <> 'confirmed' then
        perform mentor_tui.refuse('Only a confirmed session has reminders.');
    end if;
    if p_kind = 'reminder' then
        opens := s.scheduled_time - interval '61 minutes';
        closes := s.scheduled_time + interval '1 minute';
    else
        opens := s.scheduled_time - interval '1 minute';
        closes := s.scheduled_time + pg_catalog.make_interval(mins => s.duration_minutes);
    end if;
    if pg_catalog.now() < opens or pg_catalog.now() >= closes then
        perform mentor_tui.refuse('It is not the time for this reminder.');
    end if;
    insert into public.mentor_notifications (user_id, kind, session_id, actor_id)
    values (caller, p_kind, s.id, case when caller = s.mentor_id then s.student_id else s.mentor_id end)
    on conflict (session_id, user_id, kind) where (kind in ('reminder', 'starting')) do nothing;
    get diagnostics inserted = row_count;
    return query select s.id, inserted = 1;
end
$$;

-- As 013 grants: only signed-in people (and the trusted server role) may call it.
revoke execute on function public.record_reminder(uuid, text) from public, anon;
grant execute on function public.record_reminder(uuid, text) to authenticated, service_role;

commit;
