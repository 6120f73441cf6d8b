-- 027 More notifications: the other party hears when a request to move a session is
-- withdrawn. The kinds are domain/models.py NotificationKind, all of them listed again
-- (as 023 and 025 list them). The same as sql/sqlite/upgrade/017_more_notifications.sql.
-- Re-runnable.
begin;

alter table public.mentor_notifications drop constraint if exists mentor_notifications_kind_check;
call mentor_tui.add_constraint('public.mentor_notifications', 'mentor_notifications_kind_check',
    $c$check (kind in ('requested', 'confirmed', 'declined', 'cancelled', 'completed', 'rated', 'message',
                       'reschedule_proposed', 'reschedule_accepted', 'reschedule_declined',
                       'reminder', 'starting', 'reschedule_withdrawn'))$c$);

-- 023's function, extended: the other party also hears of a withdrawal (the proposer acts).
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
    elsif new.status is distinct from old.status and new.status = 'withdrawn' then
        perform mentor_tui.notify(other, 'reschedule_withdrawn', s.id, null, new.proposed_by, null);
    end if;
    return null;
end
$$;
revoke execute on function mentor_tui.notify_reschedule() from public;

notify pgrst, 'reload schema';

commit;
