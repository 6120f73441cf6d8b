-- 007 Row-level security on all four tables: what a signed-in person reaches.
--
-- Policies come in two kinds. A permissive policy lets signed-in users reach a
-- table for one command; a restrictive policy holds the rule. PostgreSQL ANDs
-- every restrictive policy with the permissive ones, so a policy a web app
-- already has on these tables (say "sessions are viewable by everyone") can no
-- longer widen what the rule allows. The web app's policies are left in place.
--
-- auth.uid() is wrapped in a sub-select so it is evaluated once per statement,
-- not once per row.
begin;

alter table public.user_profiles enable row level security;
alter table public.mentor_sessions enable row level security;
alter table public.mentor_availability enable row level security;
alter table public.mentor_students enable row level security;

-- user_profiles -------------------------------------------------------------
-- Read: your own profile, any mentor's, and the profile of anyone you share a
-- session with (a mentor sees their students' names). Write: your own row;
-- the rules trigger (002) keeps user_id and role fixed. Rows are created at
-- sign-up by the auth trigger, never by clients through us.
drop policy if exists "mentor_tui: signed-in users read profiles" on public.user_profiles;
create policy "mentor_tui: signed-in users read profiles" on public.user_profiles
    as permissive for select to authenticated using (true);

drop policy if exists "mentor_tui: own, mentors and session partners only" on public.user_profiles;
create policy "mentor_tui: own, mentors and session partners only" on public.user_profiles
    as restrictive for select to public
    using (
        user_id = (select auth.uid())
        or role = 'mentor'
        or exists (
            select 1 from public.mentor_sessions s
            where (s.mentor_id = (select auth.uid()) and s.student_id = user_profiles.user_id)
               or (s.student_id = (select auth.uid()) and s.mentor_id = user_profiles.user_id)
        )
    );

drop policy if exists "mentor_tui: people update their profile" on public.user_profiles;
create policy "mentor_tui: people update their profile" on public.user_profiles
    as permissive for update to authenticated using (true) with check (true);

drop policy if exists "mentor_tui: only your own profile is written" on public.user_profiles;
create policy "mentor_tui: only your own profile is written" on public.user_profiles
    as restrictive for update to public
    using (user_id = (select auth.uid()))
    with check (user_id = (select auth.uid()));

-- A web app may let clients insert or delete profiles; keep that to their own.
drop policy if exists "mentor_tui: only your own profile is created" on public.user_profiles;
create policy "mentor_tui: only your own profile is created" on public.user_profiles
    as restrictive for insert to public with check (user_id = (select auth.uid()));

drop policy if exists "mentor_tui: only your own profile is deleted" on public.user_profiles;
create policy "mentor_tui: only your own profile is deleted" on public.user_profiles
    as restrictive for delete to public using (user_id = (select auth.uid()));

-- mentor_sessions -----------------------------------------------------------
-- Read and change: only the two parties. Book: only in your own name (the
-- triggers in 006 check the rest). Delete: nobody; a session is cancelled.
drop policy if exists "mentor_tui: signed-in users reach sessions" on public.mentor_sessions;
create policy "mentor_tui: signed-in users reach sessions" on public.mentor_sessions
    as permissive for all to authenticated using (true) with check (true);

drop policy if exists "mentor_tui: parties read their sessions" on public.mentor_sessions;
create policy "mentor_tui: parties read their sessions" on public.mentor_sessions
    as restrictive for select to public
    using ((select auth.uid()) in (mentor_id, student_id));

drop policy if exists "mentor_tui: students book in their own name" on public.mentor_sessions;
create policy "mentor_tui: students book in their own name" on public.mentor_sessions
    as restrictive for insert to public
    with check (student_id = (select auth.uid()));

drop policy if exists "mentor_tui: parties change their sessions" on public.mentor_sessions;
create policy "mentor_tui: parties change their sessions" on public.mentor_sessions
    as restrictive for update to public
    using ((select auth.uid()) in (mentor_id, student_id))
    with check ((select auth.uid()) in (mentor_id, student_id));

drop policy if exists "mentor_tui: sessions are never deleted" on public.mentor_sessions;
create policy "mentor_tui: sessions are never deleted" on public.mentor_sessions
    as restrictive for delete to public using (false);

-- mentor_availability -------------------------------------------------------
-- Read: any signed-in user (students see when a mentor is free).
-- Write: a mentor, their own windows only.
drop policy if exists "mentor_tui: signed-in users reach availability" on public.mentor_availability;
create policy "mentor_tui: signed-in users reach availability" on public.mentor_availability
    as permissive for all to authenticated using (true) with check (true);

drop policy if exists "mentor_tui: signed-in users read availability" on public.mentor_availability;
create policy "mentor_tui: signed-in users read availability" on public.mentor_availability
    as restrictive for select to public
    using ((select auth.uid()) is not null);

drop policy if exists "mentor_tui: mentors add their own windows" on public.mentor_availability;
create policy "mentor_tui: mentors add their own windows" on public.mentor_availability
    as restrictive for insert to public
    with check (
        mentor_id = (select auth.uid())
        and exists (select 1 from public.user_profiles p where p.user_id = (select auth.uid()) and p.role = 'mentor')
    );

drop policy if exists "mentor_tui: mentors change their own windows" on public.mentor_availability;
create policy "mentor_tui: mentors change their own windows" on public.mentor_availability
    as restrictive for update to public
    using (mentor_id = (select auth.uid()))
    with check (mentor_id = (select auth.uid()));

drop policy if exists "mentor_tui: mentors remove their own windows" on public.mentor_availability;
create policy "mentor_tui: mentors remove their own windows" on public.mentor_availability
    as restrictive for delete to public
    using (mentor_id = (select auth.uid()));

-- mentor_students -----------------------------------------------------------
-- Read: the mentor and the student of a row. Written only by the completion
-- trigger (005): clients hold no write privilege at all.
drop policy if exists "mentor_tui: signed-in users reach students" on public.mentor_students;
create policy "mentor_tui: signed-in users reach students" on public.mentor_students
    as permissive for select to authenticated using (true);

drop policy if exists "mentor_tui: the pair reads its row" on public.mentor_students;
create policy "mentor_tui: the pair reads its row" on public.mentor_students
    as restrictive for select to public
    using ((select auth.uid()) in (mentor_id, student_id));

-- Table privileges, per role, are granted in 013.

commit;
