-- 002 user_profiles: one row per person (user_id = auth.users.id), created at
-- sign-up from the metadata the client sends (full_name, role). Every signed-in
-- user may read a mentor's row (007), so nothing private is kept here: no email
-- (a person's own comes from auth) and no call room (mentor_private_profiles, 011).
--
-- The table may already exist with a web app's columns and rows: the table is
-- created bare, and each column is added only when missing, so the same
-- statements serve a new project and an existing one.
begin;

create table if not exists public.user_profiles (
    id uuid primary key default gen_random_uuid()
);

alter table public.user_profiles
    add column if not exists user_id     uuid,
    add column if not exists full_name   text,
    add column if not exists avatar_url  text,
    add column if not exists username    text,
    add column if not exists role        text default 'student',
    add column if not exists profession  text,
    add column if not exists experience  text,           -- free text ("5 years", "Senior")
    add column if not exists hourly_rate numeric(10, 2),
    add column if not exists expertise   text[] not null default '{}',
    add column if not exists bio         text,
    add column if not exists timezone    text not null default 'UTC',
    add column if not exists created_at  timestamptz not null default now(),
    add column if not exists updated_at  timestamptz not null default now();

-- Defaults are schema, not data: setting them changes no row.
alter table public.user_profiles
    alter column id set default gen_random_uuid(),
    alter column role set default 'student',
    alter column created_at set default now(),
    alter column updated_at set default now();

call mentor_tui.set_not_null('public.user_profiles', 'user_id');
call mentor_tui.add_user_reference('public.user_profiles', 'user_id');
-- One profile per person: the app looks people up by user_id.
call mentor_tui.add_unique('public.user_profiles', 'user_profiles_user_id_key', array['user_id'],
    'Merge or remove the extra profile rows of the user_id above, then run this file again.');

-- Named <table>_<column>_check so a client can tell which field was refused.
call mentor_tui.add_constraint('public.user_profiles', 'user_profiles_role_check',
    $c$check (role in ('student', 'mentor'))$c$);
call mentor_tui.add_constraint('public.user_profiles', 'user_profiles_hourly_rate_check',
    'check (hourly_rate is null or hourly_rate between 0 and 10000)');
-- Only a mentor has an hourly rate.
call mentor_tui.add_constraint('public.user_profiles', 'user_profiles_hourly_rate_role_check',
    $c$check (hourly_rate is null or role = 'mentor')$c$);

-- What sign-up chose, from the auth user's metadata. Only a known role counts
-- (null otherwise: none, a typo, 'admin'; callers make that a student). A name the text rules
-- refuse (001) is left out rather than failing the whole sign-up; the person
-- can set it on their profile.
create or replace function mentor_tui.role_from_metadata(meta jsonb)
returns text
language sql immutable
set search_path = ''
as $$
    select case pg_catalog.lower(pg_catalog.btrim(meta ->> 'role'))
               when 'mentor' then 'mentor' when 'student' then 'student' end
$$;

create or replace function mentor_tui.name_from_metadata(meta jsonb)
returns text
language sql immutable
set search_path = ''
as $$
    select case when mentor_tui.plain_text_ok(n, 100, false) then n end
    from (select nullif(pg_catalog.btrim(meta ->> 'full_name'), '') as n) t
$$;

-- Creates the profile of an auth user who has none (at sign-up, for users the
-- web app made before these migrations, and through mentor_ensure_profile);
-- never changes an existing row. The profile's id is the user's id, as the
-- sign-up trigger has always made it.
create or replace function mentor_tui.add_missing_profile(person uuid)
returns void
language sql
security definer
set search_path = ''
as $$
    insert into public.user_profiles (id, user_id, full_name, role)
    select u.id, u.id, mentor_tui.name_from_metadata(u.raw_user_meta_data),
           coalesce(mentor_tui.role_from_metadata(u.raw_user_meta_data), 'student')
    from auth.users u
    where u.id = person
      and not exists (select 1 from public.user_profiles p where p.user_id = u.id)
    on conflict do nothing
$$;
revoke execute on function mentor_tui.add_missing_profile(uuid) from public;

-- Sign-up: the auth service inserts into auth.users; this creates the profile.
-- Security definer because the auth service's role may not write public tables.
-- A web app may have its own sign-up trigger creating the same profile; triggers
-- fire in name order and ours is named to fire last, so it completes that row
-- instead of inserting a second one. Such a row can only have been made during
-- this very sign-up (the user id is brand new), so the role the person chose
-- in the metadata still decides, and the name is filled only where empty.
-- The email is not copied: profiles are readable by others (007).
create or replace function mentor_tui.create_profile_for_new_user()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
    update public.user_profiles p
    set full_name = coalesce(p.full_name, mentor_tui.name_from_metadata(new.raw_user_meta_data)),
        role      = coalesce(mentor_tui.role_from_metadata(new.raw_user_meta_data), p.role, 'student')
    where p.user_id = new.id;
    if not found then
        perform mentor_tui.add_missing_profile(new.id);
    end if;
    return new;
end
$$;
revoke execute on function mentor_tui.create_profile_for_new_user() from public;

create or replace trigger zz_mentor_tui_create_profile
    after insert on auth.users
    for each row execute function mentor_tui.create_profile_for_new_user();

-- The role the caller chose at sign-up. Security definer: clients cannot read
-- auth.users; this reveals only the caller's own choice.
create or replace function mentor_tui.my_signed_up_role()
returns text
language sql stable
security definer
set search_path = ''
as $$
    select coalesce((select mentor_tui.role_from_metadata(u.raw_user_meta_data)
                     from auth.users u where u.id = auth.uid()), 'student')
$$;

-- When a row is written, by the database's clock: a client can neither
-- back-date created_at nor forge updated_at. Trusted roles (rules_apply, 001)
-- may keep the created_at of rows they import.
create or replace function mentor_tui.stamp_times()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
    new.updated_at := pg_catalog.now();
    if mentor_tui.rules_apply(tg_relid) then
        new.created_at := case tg_op when 'INSERT' then pg_catalog.now() else old.created_at end;
    end if;
    return new;
end
$$;

create or replace trigger mentor_tui_stamp_times
    before insert or update on public.user_profiles
    for each row execute function mentor_tui.stamp_times();

-- Profile rules: a person edits only their own row (RLS, 007), but never who it
-- belongs to nor their role, and a client creating its own missing row gets the
-- role chosen at sign-up, whatever it sends; the time zone must be a real IANA
-- name, since every local time in the app is computed from it.
create or replace function mentor_tui.user_profiles_rules()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
    if tg_op = 'INSERT' and mentor_tui.rules_apply(tg_relid) then
        new.role := mentor_tui.my_signed_up_role();
    end if;
    if tg_op = 'UPDATE' then
        if mentor_tui.rules_apply(tg_relid) then
            if new.id is distinct from old.id or new.user_id is distinct from old.user_id then
                perform mentor_tui.refuse('A profile always belongs to the same person: id and user_id never change.');
            end if;
            if new.role is distinct from old.role then
                perform mentor_tui.refuse('The role cannot be changed after sign-up.');
            end if;
        end if;
        if new.timezone is not distinct from old.timezone then
            return new;
        end if;
    end if;
    if new.timezone is not null and new.timezone <> 'UTC'
       and not exists (select 1 from pg_catalog.pg_timezone_names z where z.name = new.timezone) then
        perform mentor_tui.bad_value('user_profiles_timezone_check',
            pg_catalog.format('"%s" is not a known time zone; use an IANA name such as Europe/Berlin.', new.timezone));
    end if;
    return new;
end
$$;
revoke execute on function mentor_tui.user_profiles_rules(), mentor_tui.stamp_times() from public;

create or replace trigger mentor_tui_profile_rules
    before insert or update on public.user_profiles
    for each row execute function mentor_tui.user_profiles_rules();

commit;
