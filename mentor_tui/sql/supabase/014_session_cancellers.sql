-- 014 Who cancelled a session: cancelled_by (the party's user id) and declined
-- (the mentor cancelled it while it was still a request). The database records
-- both from the caller's token on the change to cancelled, whichever client makes
-- it (mentor-tui or the web app), so no client sends them and none can forge them.
-- Table privileges (013) cover the new columns; RLS (007) decides the rows.
begin;

alter table public.mentor_sessions
    add column if not exists cancelled_by uuid,
    add column if not exists declined     boolean not null default false;

call mentor_tui.add_constraint('public.mentor_sessions', 'mentor_sessions_cancelled_by_check',
    'check (cancelled_by is null or (status = ''cancelled'' and cancelled_by in (mentor_id, student_id)))');
call mentor_tui.add_constraint('public.mentor_sessions', 'mentor_sessions_declined_check',
    'check (not declined or cancelled_by = mentor_id)');

-- For clients under the rules (see mentor_tui.rules_apply in 001): a new session has
-- not been cancelled; on the change to cancelled the caller is recorded; at any other
-- time both keep what they held. Trusted roles write them as they like (imports, fixes).
-- Runs after mentor_tui_check_update (triggers fire in name order), which has already
-- decided that the caller may cancel.
create or replace function mentor_tui.mentor_sessions_record_canceller()
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
        new.cancelled_by := null;
        new.declined := false;
    elsif new.status = 'cancelled' and old.status is distinct from 'cancelled' then
        new.cancelled_by := caller;
        new.declined := coalesce(old.status = 'pending' and caller = old.mentor_id, false);
    else
        new.cancelled_by := old.cancelled_by;
        new.declined := old.declined;
    end if;
    return new;
end
$$;

revoke execute on function mentor_tui.mentor_sessions_record_canceller() from public;

create or replace trigger mentor_tui_record_canceller
    before insert or update on public.mentor_sessions
    for each row execute function mentor_tui.mentor_sessions_record_canceller();

-- The newest file: ask PostgREST to reload its schema cache so the new columns answer at once.
notify pgrst, 'reload schema';

commit;
