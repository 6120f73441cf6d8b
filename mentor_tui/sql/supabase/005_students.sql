-- 005 mentor_students: who a mentor has worked with, kept by the database.
-- Clients only read it (007); the trigger below writes it each time a session
-- becomes completed, so the totals cannot be forged.
begin;

create table if not exists public.mentor_students (
    id uuid primary key default gen_random_uuid()
);

alter table public.mentor_students
    add column if not exists mentor_id         uuid,
    add column if not exists student_id        uuid,
    add column if not exists total_sessions    integer not null default 0,
    add column if not exists last_session_date timestamptz,
    add column if not exists subjects          text[] not null default '{}',
    add column if not exists created_at        timestamptz not null default now(),
    add column if not exists updated_at        timestamptz not null default now();

alter table public.mentor_students
    alter column id set default gen_random_uuid(),
    alter column total_sessions set default 0,
    alter column subjects set default '{}',
    alter column created_at set default now(),
    alter column updated_at set default now();

call mentor_tui.set_not_null('public.mentor_students', 'mentor_id');
call mentor_tui.set_not_null('public.mentor_students', 'student_id');
call mentor_tui.add_user_reference('public.mentor_students', 'mentor_id');
call mentor_tui.add_user_reference('public.mentor_students', 'student_id');
call mentor_tui.add_constraint('public.mentor_students', 'mentor_students_total_sessions_check',
    'check (total_sessions >= 0)');
-- One row per pair: the trigger upserts on it.
call mentor_tui.add_unique('public.mentor_students', 'mentor_students_mentor_id_student_id_key',
    array['mentor_id', 'student_id'],
    'Merge the rows of the mentor_id/student_id pair above into one, then run this file again.');

-- Security definer: the row belongs to the pair, but clients may not write it.
-- Old rows of a web app may hold nulls; they count as empty.
create or replace function mentor_tui.record_completed_session()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
    insert into public.mentor_students as m (mentor_id, student_id, total_sessions, last_session_date, subjects)
    values (new.mentor_id, new.student_id, 1, new.scheduled_time, array_remove(array[new.subject], null))
    on conflict (mentor_id, student_id) do update set
        total_sessions = coalesce(m.total_sessions, 0) + 1,
        last_session_date = greatest(m.last_session_date, excluded.last_session_date),
        subjects = case
            when new.subject is null or new.subject = any (m.subjects) then coalesce(m.subjects, '{}')
            else coalesce(m.subjects, '{}') || new.subject
        end,
        updated_at = now();
    return null;
end
$$;
revoke execute on function mentor_tui.record_completed_session() from public;

create or replace trigger mentor_tui_record_completed
    after update of status on public.mentor_sessions
    for each row
    when (new.status = 'completed' and old.status is distinct from 'completed')
    execute function mentor_tui.record_completed_session();

-- On a project that already holds completed sessions, add the pairs that have
-- no row yet (rows already there are left exactly as they are).
insert into public.mentor_students (mentor_id, student_id, total_sessions, last_session_date, subjects)
select s.mentor_id, s.student_id, count(*), max(s.scheduled_time),
       coalesce(array_agg(distinct s.subject) filter (where s.subject is not null), '{}')
from public.mentor_sessions s
where s.status = 'completed'
  and exists (select 1 from auth.users u where u.id = s.mentor_id)
  and exists (select 1 from auth.users u where u.id = s.student_id)
  and not exists (select 1 from public.mentor_students m
                  where m.mentor_id = s.mentor_id and m.student_id = s.student_id)
group by s.mentor_id, s.student_id
on conflict do nothing;

commit;
