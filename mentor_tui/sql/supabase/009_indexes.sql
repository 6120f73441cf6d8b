-- 009 Indexes for the queries the app makes. Already covered elsewhere:
-- user_profiles by user_id (its unique constraint), mentor_students by mentor
-- (the unique (mentor_id, student_id) constraint), and the held sessions of a
-- mentor or a student by time range (the gist indexes of the no-overlap rules,
-- which mentor_busy_times uses).
begin;

-- A person's sessions in time order (My Sessions, the mentor's Sessions and
-- week view, the RLS check behind a profile read, the dashboard and ratings).
create index if not exists mentor_sessions_mentor_id_scheduled_time_idx
    on public.mentor_sessions (mentor_id, scheduled_time);
create index if not exists mentor_sessions_student_id_scheduled_time_idx
    on public.mentor_sessions (student_id, scheduled_time);

-- A mentor's weekly windows, by weekday then start (Schedule, booking, the
-- availability check).
create index if not exists mentor_availability_mentor_id_idx
    on public.mentor_availability (mentor_id, day_of_week, start_time);

-- A student's own mentor_students rows (RLS lets the student read them).
create index if not exists mentor_students_student_id_idx
    on public.mentor_students (student_id);

-- The mentor directory: mentors by name.
create index if not exists user_profiles_role_full_name_idx
    on public.user_profiles (role, full_name);

commit;
