-- A mentor's proposal of a session to a student they share a session with, which the
-- student accepts once, before it starts, as a confirmed session; and what a message
-- points to (a student's request or a mentor's proposal). The same shape and rules as
-- sql/supabase/017_proposals.sql; times as in 004 (UTC, fixed width).
create table if not exists mentor_proposals (
    id                  text primary key,
    mentor_id           text not null references user_profiles(id),
    student_id          text not null references user_profiles(id),
    subject             text not null check (length(trim(subject)) between 1 and 100),
    scheduled_time      text not null check (unixepoch(scheduled_time) is not null),
    duration_minutes    integer not null check (duration_minutes between 15 and 240 and duration_minutes % 15 = 0),
    meeting_link        text not null,
    created_at          text not null,
    accepted_session_id text references mentor_sessions(id),
    accepted_at         text,
    check (mentor_id <> student_id),
    check ((accepted_session_id is null) = (accepted_at is null))
);
create index if not exists mentor_proposals_pair on mentor_proposals(mentor_id, student_id, created_at);

-- Second line behind the services: only a mentor proposes, to a student they share a
-- session with, and a new proposal is open.
create trigger if not exists mentor_proposals_shared_session
before insert on mentor_proposals
begin
    select raise(abort, 'no_shared_session')
    where not exists (
        select 1 from mentor_sessions s where s.mentor_id = new.mentor_id and s.student_id = new.student_id
    );
    select raise(abort, 'only a mentor proposes a session')
    where not exists (select 1 from user_profiles p where p.id = new.mentor_id and p.role = 'mentor');
    select raise(abort, 'a new proposal is open')
    where new.accepted_session_id is not null;
end;

-- Acceptance is the only change: once, before the start, naming the confirmed session
-- of the same pair, time and length that the same transaction inserted.
create trigger if not exists mentor_proposals_accepted_once
before update on mentor_proposals
begin
    select raise(abort, 'a proposal never changes; it is only accepted, once')
    where new.id is not old.id or new.mentor_id is not old.mentor_id or new.student_id is not old.student_id
       or new.subject is not old.subject or new.scheduled_time is not old.scheduled_time
       or new.duration_minutes is not old.duration_minutes or new.meeting_link is not old.meeting_link
       or new.created_at is not old.created_at
       or old.accepted_session_id is not null or new.accepted_session_id is null;
    select raise(abort, 'proposal_expired')
    where unixepoch(new.accepted_at) >= unixepoch(old.scheduled_time);
    select raise(abort, 'the accepted session is not the proposal''s')
    where not exists (
        select 1 from mentor_sessions s
        where s.id = new.accepted_session_id and s.status = 'confirmed'
          and s.mentor_id = old.mentor_id and s.student_id = old.student_id
          and s.scheduled_time = old.scheduled_time and s.duration_minutes = old.duration_minutes
          and s.meeting_link is old.meeting_link
    );
end;

alter table mentor_messages add column session_id text references mentor_sessions(id);
alter table mentor_messages add column proposal_id text references mentor_proposals(id);

-- A message points only to its pair's own request or proposal, a proposal only from its mentor.
create trigger if not exists mentor_messages_reference
before insert on mentor_messages
when new.session_id is not null or new.proposal_id is not null
begin
    select raise(abort, 'a message points to a session or a proposal, not both')
    where new.session_id is not null and new.proposal_id is not null;
    select raise(abort, 'a message points only to its pair''s own session')
    where new.session_id is not null and not exists (
        select 1 from mentor_sessions s
        where s.id = new.session_id and s.mentor_id = new.mentor_id and s.student_id = new.student_id
    );
    select raise(abort, 'a message points only to its mentor''s own proposal to that student')
    where new.proposal_id is not null and not exists (
        select 1 from mentor_proposals p
        where p.id = new.proposal_id and p.mentor_id = new.sender_id
          and p.mentor_id = new.mentor_id and p.student_id = new.student_id
    );
end;

create trigger if not exists mentor_messages_reference_fixed
before update of session_id, proposal_id on mentor_messages
when new.session_id is not old.session_id or new.proposal_id is not old.proposal_id
begin
    select raise(abort, 'a message never changes; it is only read, once');
end;

-- The mentor hears of an accepted proposal as of a confirmation, with the student as the
-- one who acted (as 017's mentor_accept_proposal tells them).
create trigger if not exists mentor_notifications_proposal_accepted
after update of accepted_session_id on mentor_proposals
when old.accepted_session_id is null and new.accepted_session_id is not null
begin
    insert into mentor_notifications (user_id, kind, session_id, actor_id, detail, created_at)
    values (new.mentor_id, 'confirmed', new.accepted_session_id, new.student_id, null, new.accepted_at);
end;
