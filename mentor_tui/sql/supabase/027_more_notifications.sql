-- 027 More notifications: the other party hears when a request to move a session is
-- withdrawn; the absent party when marked a no-show (with the note); the student when the
-- mentor writes the session's notes (once until read: saving again while the last one is
-- unread adds none) and when the mentor replies to their review (with the reply). The kinds are domain/models.py NotificationKind, all of them listed again
-- (as 023 and 025 list them). The same as sql/sqlite/upgrade/017_more_notifications.sql.
-- Re-runnable.
begin;

alter table public.mentor_notifications drop constraint if exists mentor_notifications_kind_check;
call mentor_tui.add_constraint('public.mentor_notifications', 'mentor_notifications_kind_check',
    $c$check (kind in ('requested', 'confirmed', 'declined', 'cancelled', 'completed', 'rated', 'message',
                       'reschedule_proposed', 'reschedule_accepted', 'reschedule_declined',
                       'reminder', 'starting', 'reschedule_withdrawn', 'no_show',
                       'notes_written', 'review_replied'))$c$);

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

-- A no-show tells the party marked absent, with the note (after 024's rules allowed it).
create or replace function mentor_tui.notify_no_show()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
    perform mentor_tui.notify(new.absent_id, 'no_show', new.session_id, null, new.marked_by, new.note);
    return null;
end
$$;
revoke execute on function mentor_tui.notify_no_show() from public;

create or replace trigger mentor_tui_notify_no_show
    after insert on public.session_no_shows
    for each row execute function mentor_tui.notify_no_show();

-- Notes written or changed tell the student, unless a notice of them is still unread.
create or replace function mentor_tui.notify_session_notes()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
    if tg_op = 'UPDATE' and new.summary is not distinct from old.summary then
        return null;
    end if;
    if not exists (select 1 from public.mentor_notifications n
                   where n.user_id = new.student_id and n.session_id = new.session_id
                     and n.kind = 'notes_written' and n.read_at is null) then
        perform mentor_tui.notify(new.student_id, 'notes_written', new.session_id, null, new.mentor_id, null);
    end if;
    return null;
end
$$;
revoke execute on function mentor_tui.notify_session_notes() from public;

create or replace trigger mentor_tui_notify_session_notes
    after insert or update of summary on public.session_notes
    for each row execute function mentor_tui.notify_session_notes();

-- The mentor's reply to a review (026 allows one) tells the student, with the reply.
create or replace function mentor_tui.notify_review_reply()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
    if old.review_reply is null and new.review_reply is not null then
        perform mentor_tui.notify(new.student_id, 'review_replied', new.id, null, new.mentor_id, new.review_reply);
    end if;
    return null;
end
$$;
revoke execute on function mentor_tui.notify_review_reply() from public;

create or replace trigger mentor_tui_notify_review_reply
    after update of review_reply on public.mentor_sessions
    for each row execute function mentor_tui.notify_review_reply();

notify pgrst, 'reload schema';

commit;
