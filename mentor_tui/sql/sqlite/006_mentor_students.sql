-- Who a mentor has worked with; written only by the trigger below.
create table if not exists mentor_students (
    mentor_id         text not null references user_profiles(id) on delete cascade,
    student_id        text not null references user_profiles(id) on delete cascade,
    total_sessions    integer not null default 0 check (total_sessions >= 0),
    last_session_date text,
    subjects          text not null default '[]' check (json_valid(subjects)),
    created_at        text not null,
    updated_at        text not null,
    primary key (mentor_id, student_id)
);

-- A session counts once, when it becomes completed. Nothing inserts a session as
-- completed (the demo data completes its past sessions by update, as a mentor would).
create trigger if not exists mentor_sessions_completed_update
after update of status on mentor_sessions
when new.status = 'completed' and old.status <> 'completed'
begin
    insert into mentor_students
        (mentor_id, student_id, total_sessions, last_session_date, subjects, created_at, updated_at)
    values
        (new.mentor_id, new.student_id, 1, new.scheduled_time, json_array(new.subject), new.updated_at, new.updated_at)
    on conflict (mentor_id, student_id) do update set
        total_sessions = total_sessions + 1,
        last_session_date = max(coalesce(last_session_date, ''), excluded.last_session_date),
        subjects = case
            when exists (select 1 from json_each(subjects) where value = new.subject) then subjects
            else json_insert(subjects, '$[#]', new.subject)
        end,
        updated_at = excluded.updated_at;
end;

-- Keeps the summaries true: a session inserted as completed would never be counted.
create trigger if not exists mentor_sessions_insert_not_completed
before insert on mentor_sessions
when new.status = 'completed'
begin
    select raise(abort, 'a session becomes completed only by an update');
end;
