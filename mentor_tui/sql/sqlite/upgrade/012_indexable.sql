-- Held sessions of one mentor or one student by start time, as unixepoch() reads it
-- (the no-overlap trigger and the busy times), so neither walks a person's whole
-- history: the search is bounded to starts from (new start - 240 minutes, the longest
-- session) to the new end. On unixepoch() rather than the text, so a time stored in
-- another format by an older version or a hand edit is still found. Partial: only
-- pending and confirmed sessions hold time; a query uses these only when it names the
-- statuses in this order (SQLite matches the expression, not its meaning).
create index if not exists mentor_sessions_mentor_held
    on mentor_sessions(mentor_id, unixepoch(scheduled_time)) where status in ('confirmed', 'pending');
create index if not exists mentor_sessions_student_held
    on mentor_sessions(student_id, unixepoch(scheduled_time)) where status in ('confirmed', 'pending');

-- The rule of 004 again, each person's sessions through their own index and time window.
-- Same name, so 004's "create trigger if not exists" leaves this one in place.
drop trigger if exists mentor_sessions_no_overlap;
create trigger mentor_sessions_no_overlap
before insert on mentor_sessions
when new.status in ('pending', 'confirmed')
begin
    select raise(abort, 'slot_taken')
    where exists (
        select 1 from mentor_sessions s
        where s.mentor_id = new.mentor_id and s.status in ('confirmed', 'pending')
          and unixepoch(s.scheduled_time) > unixepoch(new.scheduled_time) - 240 * 60
          and unixepoch(s.scheduled_time) < unixepoch(new.scheduled_time) + new.duration_minutes * 60
          and unixepoch(new.scheduled_time) < unixepoch(s.scheduled_time) + s.duration_minutes * 60
    ) or exists (
        select 1 from mentor_sessions s
        where s.student_id = new.student_id and s.status in ('confirmed', 'pending')
          and unixepoch(s.scheduled_time) > unixepoch(new.scheduled_time) - 240 * 60
          and unixepoch(s.scheduled_time) < unixepoch(new.scheduled_time) + new.duration_minutes * 60
          and unixepoch(new.scheduled_time) < unixepoch(s.scheduled_time) + s.duration_minutes * 60
    );
end;
