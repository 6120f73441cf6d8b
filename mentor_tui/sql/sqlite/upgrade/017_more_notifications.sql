-- More notifications: the other party hears when a request to move a session is withdrawn;
-- the absent party when marked a no-show (with the note); the student when the mentor writes
-- the session's notes (once until read) and when the mentor replies to their review.
-- SQLite cannot change a CHECK, so the table is made again with every kind (copy, drop,
-- rename), with its index, trigger and unique index as 014 and 016 made them. The same as
-- sql/supabase/027_more_notifications.sql.
create table mentor_notifications_017 (
    id         text primary key default (lower(hex(randomblob(16)))),
    user_id    text not null references user_profiles(id),
    kind       text not null
               check (kind in ('requested', 'confirmed', 'declined', 'cancelled', 'completed', 'rated', 'message',
                               'reschedule_proposed', 'reschedule_accepted', 'reschedule_declined',
                               'reminder', 'starting', 'reschedule_withdrawn', 'no_show',
                               'notes_written', 'review_replied')),
    session_id text references mentor_sessions(id),
    message_id text references mentor_messages(id),
    actor_id   text references user_profiles(id),
    detail     text check (detail is null or length(detail) <= 200),
    created_at text not null,
    read_at    text
);
insert into mentor_notifications_017 (id, user_id, kind, session_id, message_id, actor_id, detail, created_at, read_at)
select id, user_id, kind, session_id, message_id, actor_id, detail, created_at, read_at
from mentor_notifications order by rowid;
drop table mentor_notifications;
-- The triggers on other tables that write to mentor_notifications stay as written (see 014).
pragma legacy_alter_table = on;
alter table mentor_notifications_017 rename to mentor_notifications;
pragma legacy_alter_table = off;
create index if not exists mentor_notifications_user on mentor_notifications(user_id, created_at);
create unique index if not exists mentor_notifications_reminder_once
on mentor_notifications(session_id, user_id, kind) where kind in ('reminder', 'starting');

create trigger if not exists mentor_notifications_read_once
before update on mentor_notifications
begin
    select raise(abort, 'a notification never changes; it is only read, once')
    where new.id is not old.id or new.user_id is not old.user_id or new.kind is not old.kind
       or new.session_id is not old.session_id or new.message_id is not old.message_id
       or new.actor_id is not old.actor_id or new.detail is not old.detail
       or new.created_at is not old.created_at or old.read_at is not null or new.read_at is null;
end;

-- The proposer withdraws: the other party hears of it, from the proposer.
create trigger if not exists mentor_notifications_reschedule_withdrawn
after update of status on session_reschedules
when new.status = 'withdrawn' and old.status = 'open'
begin
    insert into mentor_notifications (user_id, kind, session_id, actor_id, detail, created_at)
    select case when new.proposed_by = s.mentor_id then s.student_id else s.mentor_id end,
           'reschedule_withdrawn', s.id, new.proposed_by, null, new.answered_at
    from mentor_sessions s where s.id = new.session_id;
end;

-- A no-show tells the party marked absent, with the note.
create trigger if not exists mentor_notifications_no_show
after insert on session_no_shows
begin
    insert into mentor_notifications (user_id, kind, session_id, actor_id, detail, created_at)
    values (new.absent_id, 'no_show', new.session_id, new.marked_by, substr(new.note, 1, 200), new.created_at);
end;

-- Notes written or changed tell the student, unless a notice of them is still unread.
create trigger if not exists mentor_notifications_notes_written
after insert on session_notes
begin
    insert into mentor_notifications (user_id, kind, session_id, actor_id, detail, created_at)
    values (new.student_id, 'notes_written', new.session_id, new.mentor_id, null, new.updated_at);
end;

create trigger if not exists mentor_notifications_notes_changed
after update of summary on session_notes
when new.summary is not old.summary and not exists (
    select 1 from mentor_notifications n
    where n.user_id = new.student_id and n.session_id = new.session_id and n.kind = 'notes_written'
      and n.read_at is null
)
begin
    insert into mentor_notifications (user_id, kind, session_id, actor_id, detail, created_at)
    values (new.student_id, 'notes_written', new.session_id, new.mentor_id, null, new.updated_at);
end;

-- The mentor's one reply to a review tells the student, with the reply.
create trigger if not exists mentor_notifications_review_replied
after update of review_reply on mentor_sessions
when old.review_reply is null and new.review_reply is not null
begin
    insert into mentor_notifications (user_id, kind, session_id, actor_id, detail, created_at)
    values (new.student_id, 'review_replied', new.id, new.mentor_id, substr(new.review_reply, 1, 200),
            new.review_replied_at);
end;
