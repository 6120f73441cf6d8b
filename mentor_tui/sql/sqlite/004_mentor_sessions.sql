-- Times are UTC, ISO 8601 with microseconds and '+00:00', so text order is time order.
create table if not exists mentor_sessions (
    id                  text primary key,
    mentor_id           text not null references user_profiles(id),
    student_id          text not null references user_profiles(id),
    subject             text not null check (length(trim(subject)) between 1 and 100),
    scheduled_time      text not null,
    duration_minutes    integer not null check (duration_minutes between 15 and 240 and duration_minutes % 15 = 0),
    status              text not null default 'pending'
                        check (status in ('pending', 'confirmed', 'completed', 'cancelled')),
    notes               text check (notes is null or length(notes) <= 2000),
    meeting_link        text,
    feedback            text,
    rating              integer check (rating is null or (rating between 1 and 5 and status = 'completed')),
    review              text check (review is null or rating is not null),
    cancellation_reason text,
    created_at          text not null,
    updated_at          text not null,
    check (mentor_id <> student_id)
);
create index if not exists mentor_sessions_mentor on mentor_sessions(mentor_id, scheduled_time);
create index if not exists mentor_sessions_student on mentor_sessions(student_id, scheduled_time);

-- Second line behind the repository's check inside BEGIN IMMEDIATE: a session that
-- holds a slot may not overlap another held one of the same mentor or student.
create trigger if not exists mentor_sessions_no_overlap
before insert on mentor_sessions
when new.status in ('pending', 'confirmed')
begin
    select raise(abort, 'slot_taken')
    where exists (
        select 1 from mentor_sessions s
        where s.status in ('pending', 'confirmed')
          and (s.mentor_id = new.mentor_id or s.student_id = new.student_id)
          and unixepoch(s.scheduled_time) < unixepoch(new.scheduled_time) + new.duration_minutes * 60
          and unixepoch(new.scheduled_time) < unixepoch(s.scheduled_time) + s.duration_minutes * 60
    );
end;

-- Second line for the state machine: nothing returns to pending, and a rating is given once.
create trigger if not exists mentor_sessions_guard
before update on mentor_sessions
begin
    select raise(abort, 'a session never returns to pending')
    where new.status = 'pending' and old.status <> 'pending';
    select raise(abort, 'a session is rated once')
    where old.rating is not null and new.rating is not old.rating;
end;
