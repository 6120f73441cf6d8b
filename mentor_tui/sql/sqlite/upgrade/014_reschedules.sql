-- Moving a session to a new time on request, and no-shows beside a session. The same
-- shapes and rules as sql/supabase/023_reschedules.sql and 024_no_shows.sql, and as
-- domain/reschedule.py and domain/no_show.py; times as in 004 (UTC, fixed width).

-- Notifications learn three kinds. SQLite cannot change a CHECK in place: the table is
-- made again with the new one and its rows copied (this step runs once, in the upgrade's
-- transaction). The triggers that write it name it, so they find the new table; the
-- rename runs in SQLite's legacy mode, which does not first check those triggers against
-- the table dropped a moment before.
create table mentor_notifications_014 (
    id         text primary key default (lower(hex(randomblob(16)))),
    user_id    text not null references user_profiles(id),
    kind       text not null
               check (kind in ('requested', 'confirmed', 'declined', 'cancelled', 'completed', 'rated', 'message',
                               'reschedule_proposed', 'reschedule_accepted', 'reschedule_declined')),
    session_id text references mentor_sessions(id),
    message_id text references mentor_messages(id),
    actor_id   text references user_profiles(id),
    detail     text check (detail is null or length(detail) <= 200),
    created_at text not null,
    read_at    text
);
insert into mentor_notifications_014 (id, user_id, kind, session_id, message_id, actor_id, detail, created_at, read_at)
select id, user_id, kind, session_id, message_id, actor_id, detail, created_at, read_at
from mentor_notifications order by rowid;
drop table mentor_notifications;
pragma legacy_alter_table = on;
alter table mentor_notifications_014 rename to mentor_notifications;
pragma legacy_alter_table = off;
create index if not exists mentor_notifications_user on mentor_notifications(user_id, created_at);
create trigger if not exists mentor_notifications_read_once
before update on mentor_notifications
begin
    select raise(abort, 'a notification never changes; it is only read, once')
    where new.id is not old.id or new.user_id is not old.user_id or new.kind is not old.kind
       or new.session_id is not old.session_id or new.message_id is not old.message_id
       or new.actor_id is not old.actor_id or new.detail is not old.detail
       or new.created_at is not old.created_at or old.read_at is not null or new.read_at is null;
end;

create table if not exists session_reschedules (
    id          text primary key,
    session_id  text not null references mentor_sessions(id),
    proposed_by text not null references user_profiles(id),
    old_time    text not null,
    new_time    text not null check (unixepoch(new_time) is not null),
    reason      text check (reason is null or length(reason) <= 500),
    status      text not null default 'open' check (status in ('open', 'accepted', 'declined', 'withdrawn')),
    created_at  text not null,
    answered_at text,
    check ((status = 'open') = (answered_at is null))
);
create index if not exists session_reschedules_session on session_reschedules(session_id, created_at);
-- One open request per session at a time.
create unique index if not exists session_reschedules_one_open on session_reschedules(session_id) where status = 'open';

-- Second line behind the services: a party of a pending or confirmed session asks, from the
-- session's current time, and a new request is open.
create trigger if not exists session_reschedules_proposed
before insert on session_reschedules
begin
    select raise(abort, 'only a party of a pending or confirmed session asks to move it')
    where not exists (
        select 1 from mentor_sessions s
        where s.id = new.session_id and new.proposed_by in (s.mentor_id, s.student_id)
          and s.status in ('pending', 'confirmed')
          and unixepoch(s.scheduled_time) = unixepoch(new.old_time)
    );
    select raise(abort, 'a new request to move a session is open')
    where new.status <> 'open';
end;

-- A request only closes, once; accepted only once the session is at its new time (the
-- storage moves the session first, in the same transaction).
create trigger if not exists session_reschedules_answered
before update on session_reschedules
begin
    select raise(abort, 'a request to move a session only closes, once')
    where new.id is not old.id or new.session_id is not old.session_id or new.proposed_by is not old.proposed_by
       or new.old_time is not old.old_time or new.new_time is not old.new_time or new.reason is not old.reason
       or new.created_at is not old.created_at or old.status <> 'open' or new.status = 'open';
    select raise(abort, 'an accepted request names the session''s new time')
    where new.status = 'accepted' and not exists (
        select 1 from mentor_sessions s
        where s.id = new.session_id and unixepoch(s.scheduled_time) = unixepoch(new.new_time)
    );
end;

-- A session's time changes only as its open request says, to a real time, clear of every
-- other held session of the mentor and of the student (004's rule, for a move).
create trigger if not exists mentor_sessions_moved
before update of scheduled_time on mentor_sessions
when new.scheduled_time is not old.scheduled_time
begin
    select raise(abort, 'a session moves only by an accepted request')
    where not exists (
        select 1 from session_reschedules r
        where r.session_id = new.id and r.status = 'open'
          and unixepoch(r.old_time) = unixepoch(old.scheduled_time)
          and unixepoch(r.new_time) = unixepoch(new.scheduled_time)
    );
    select raise(abort, 'invalid_time')
    where unixepoch(new.scheduled_time) is null
       or unixepoch(new.scheduled_time) < unixepoch('2000-01-01')
       or unixepoch(new.scheduled_time) >= unixepoch('2200-01-01');
    select raise(abort, 'slot_taken')
    where new.status in ('pending', 'confirmed') and (exists (
        select 1 from mentor_sessions s
        where s.mentor_id = new.mentor_id and s.status in ('confirmed', 'pending') and s.id <> new.id
          and unixepoch(s.scheduled_time) > unixepoch(new.scheduled_time) - 240 * 60
          and unixepoch(s.scheduled_time) < unixepoch(new.scheduled_time) + new.duration_minutes * 60
          and unixepoch(new.scheduled_time) < unixepoch(s.scheduled_time) + s.duration_minutes * 60
    ) or exists (
        select 1 from mentor_sessions s
        where s.student_id = new.student_id and s.status in ('confirmed', 'pending') and s.id <> new.id
          and unixepoch(s.scheduled_time) > unixepoch(new.scheduled_time) - 240 * 60
          and unixepoch(s.scheduled_time) < unixepoch(new.scheduled_time) + new.duration_minutes * 60
          and unixepoch(new.scheduled_time) < unixepoch(s.scheduled_time) + s.duration_minutes * 60
    ));
end;

-- The other party hears of a request; its proposer hears of the answer (not of a withdrawal).
create trigger if not exists mentor_notifications_reschedule_proposed
after insert on session_reschedules
begin
    insert into mentor_notifications (user_id, kind, session_id, actor_id, detail, created_at)
    select case when new.proposed_by = s.mentor_id then s.student_id else s.mentor_id end,
           'reschedule_proposed', s.id, new.proposed_by, substr(new.reason, 1, 200), new.created_at
    from mentor_sessions s where s.id = new.session_id;
end;

create trigger if not exists mentor_notifications_reschedule_answered
after update of status on session_reschedules
when new.status in ('accepted', 'declined') and old.status = 'open'
begin
    insert into mentor_notifications (user_id, kind, session_id, actor_id, detail, created_at)
    select new.proposed_by, 'reschedule_' || new.status, s.id,
           case when new.proposed_by = s.mentor_id then s.student_id else s.mentor_id end, null, new.answered_at
    from mentor_sessions s where s.id = new.session_id;
end;

create table if not exists session_no_shows (
    id         text primary key,
    session_id text not null references mentor_sessions(id),
    marked_by  text not null references user_profiles(id),
    absent_id  text not null references user_profiles(id),
    note       text check (note is null or length(note) <= 500),
    created_at text not null,
    unique (session_id, marked_by),
    check (marked_by <> absent_id)
);
create index if not exists session_no_shows_absent on session_no_shows(absent_id, marked_by);

-- Second line: a party marks the other, of a confirmed or completed session that has
-- ended; a mark never changes.
create trigger if not exists session_no_shows_marked
before insert on session_no_shows
begin
    select raise(abort, 'a party marks the other absent, after a confirmed session has ended')
    where not exists (
        select 1 from mentor_sessions s
        where s.id = new.session_id and s.status in ('confirmed', 'completed')
          and ((new.marked_by = s.mentor_id and new.absent_id = s.student_id)
               or (new.marked_by = s.student_id and new.absent_id = s.mentor_id))
          and unixepoch(s.scheduled_time) + s.duration_minutes * 60 <= unixepoch(new.created_at)
    );
end;

create trigger if not exists session_no_shows_fixed
before update on session_no_shows
begin
    select raise(abort, 'a no-show never changes');
end;
