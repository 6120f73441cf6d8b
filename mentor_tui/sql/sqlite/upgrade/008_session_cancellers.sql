-- Who cancelled a session: the party (cancelled_by) and whether it was the mentor
-- declining a request. The storage records both on the change to cancelled.
alter table mentor_sessions add column cancelled_by text references user_profiles(id);
alter table mentor_sessions add column declined integer not null default 0 check (declined in (0, 1));

-- Second line: only a party of a cancelled session cancelled it, and only its mentor declines.
create trigger if not exists mentor_sessions_canceller
before update of cancelled_by, declined on mentor_sessions
begin
    select raise(abort, 'only a party of a cancelled session cancelled it')
    where new.cancelled_by is not null
      and (new.status <> 'cancelled' or new.cancelled_by not in (old.mentor_id, old.student_id));
    select raise(abort, 'only the mentor declines a request')
    where new.declined = 1 and new.cancelled_by is not old.mentor_id;
end;
