-- Messages between a mentor and a student who share a session, and each person's
-- notifications, which only the triggers below write. The same shape and rules as
-- sql/supabase/015_messages.sql and 016_notifications.sql; times as in 004 (UTC,
-- fixed width), stamped by the storage's clock.
create table if not exists mentor_messages (
    id         text primary key,
    mentor_id  text not null references user_profiles(id),
    student_id text not null references user_profiles(id),
    sender_id  text not null references user_profiles(id),
    body       text not null check (length(trim(body)) between 1 and 4000 and length(body) <= 4000),
    created_at text not null,
    read_at    text,
    check (sender_id in (mentor_id, student_id)),
    check (mentor_id <> student_id)
);
create index if not exists mentor_messages_pair on mentor_messages(mentor_id, student_id, created_at);
create index if not exists mentor_messages_student on mentor_messages(student_id, created_at);

-- Second line behind the services: only people who share a session (any status) write
-- to each other, and a message never changes except that it is read, once.
create trigger if not exists mentor_messages_shared_session
before insert on mentor_messages
begin
    select raise(abort, 'no_shared_session')
    where not exists (
        select 1 from mentor_sessions s where s.mentor_id = new.mentor_id and s.student_id = new.student_id
    );
    select raise(abort, 'a new message is unread')
    where new.read_at is not null;
end;

create trigger if not exists mentor_messages_read_once
before update on mentor_messages
begin
    select raise(abort, 'a message never changes; it is only read, once')
    where new.id is not old.id or new.mentor_id is not old.mentor_id or new.student_id is not old.student_id
       or new.sender_id is not old.sender_id or new.body is not old.body or new.created_at is not old.created_at
       or old.read_at is not null or new.read_at is null;
end;

create table if not exists mentor_notifications (
    id         text primary key default (lower(hex(randomblob(16)))),
    user_id    text not null references user_profiles(id),
    kind       text not null
               check (kind in ('requested', 'confirmed', 'declined', 'cancelled', 'completed', 'rated', 'message')),
    session_id text references mentor_sessions(id),
    message_id text references mentor_messages(id),
    actor_id   text references user_profiles(id),
    detail     text check (detail is null or length(detail) <= 200),
    created_at text not null,
    read_at    text
);
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

-- What happened to a session, to the party who did not do it. Excerpts are cut to
-- models.NOTIFICATION_DETAIL_MAX characters.
create trigger if not exists mentor_notifications_requested
after insert on mentor_sessions
when new.status = 'pending'
begin
    insert into mentor_notifications (user_id, kind, session_id, actor_id, detail, created_at)
    values (new.mentor_id, 'requested', new.id, new.student_id, substr(new.subject, 1, 200), new.created_at);
end;

create trigger if not exists mentor_notifications_status
after update of status on mentor_sessions
when new.status is not old.status
begin
    insert into mentor_notifications (user_id, kind, session_id, actor_id, detail, created_at)
    select new.student_id, 'confirmed', new.id, new.mentor_id, null, new.updated_at
    where new.status = 'confirmed';
    insert into mentor_notifications (user_id, kind, session_id, actor_id, detail, created_at)
    select new.student_id, 'declined', new.id, new.mentor_id, substr(new.cancellation_reason, 1, 200), new.updated_at
    where new.status = 'cancelled' and new.declined = 1;
    -- Cancelled: to the party who did not cancel (both when it is not recorded who did).
    insert into mentor_notifications (user_id, kind, session_id, actor_id, detail, created_at)
    select party.id, 'cancelled', new.id, new.cancelled_by, substr(new.cancellation_reason, 1, 200), new.updated_at
    from (select new.mentor_id as id union all select new.student_id) party
    where new.status = 'cancelled' and new.declined = 0 and party.id is not new.cancelled_by;
    insert into mentor_notifications (user_id, kind, session_id, actor_id, detail, created_at)
    select new.student_id, 'completed', new.id, new.mentor_id, substr(new.feedback, 1, 200), new.updated_at
    where new.status = 'completed';
end;

create trigger if not exists mentor_notifications_rated
after update of rating on mentor_sessions
when old.rating is null and new.rating is not null
begin
    insert into mentor_notifications (user_id, kind, session_id, actor_id, detail, created_at)
    values (new.mentor_id, 'rated', new.id, new.student_id, substr(new.review, 1, 200), new.updated_at);
end;

create trigger if not exists mentor_notifications_message
after insert on mentor_messages
begin
    insert into mentor_notifications (user_id, kind, message_id, actor_id, detail, created_at)
    values (
        case when new.sender_id = new.mentor_id then new.student_id else new.mentor_id end,
        'message', new.id, new.sender_id, substr(new.body, 1, 200), new.created_at
    );
end;
