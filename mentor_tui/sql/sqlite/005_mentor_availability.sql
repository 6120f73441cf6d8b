-- Weekly windows in the mentor's own time zone; day_of_week 0 = Monday, as Python's weekday().
create table if not exists mentor_availability (
    id          text primary key,
    mentor_id   text not null references user_profiles(id) on delete cascade,
    day_of_week integer not null check (day_of_week between 0 and 6),
    start_time  text not null check (start_time glob '[0-2][0-9]:[0-5][0-9]'),
    end_time    text not null check (end_time glob '[0-2][0-9]:[0-5][0-9]'),
    created_at  text not null,
    check (start_time < end_time)
);
create index if not exists mentor_availability_mentor on mentor_availability(mentor_id, day_of_week, start_time);
