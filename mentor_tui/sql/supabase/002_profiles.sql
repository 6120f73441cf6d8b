-- 002 user_profiles: one row per person (user_id = auth.users.id), created at
-- sign-up from the metadata the client sends (full_name, role).
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
    add column if not exists email       text,
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
    add column if not exists meeting_url text,           -- a mentor's own call room
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
call mentor_tui.add_constraint('public.user_profiles', 'user_profiles_meeting_url_check',
    $c$check (meeting_url is null or meeting_url ~ '^https://[^\s/]+\.\S+$')$c$);

-- Sign-up: the auth service inserts into auth.users; this creates the profile.
-- Security definer because the auth service's role may not write public tables.
-- A web app may have its own sign-up trigger creating the same profile; triggers
-- fire in name order and ours is named to fire last, so it completes that row
-- instead of inserting a second one. Such a row can only have been made during
-- this very sign-up (the user id is brand new), so the role the person chose
-- in the metadata still decides, and other fields are filled only where empty.
create or replace function mentor_tui.create_profile_for_new_user()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
    -- Only a known role counts; anything else (a typo, 'admin') signs up a student.
    chosen_role text := case pg_catalog.lower(pg_catalog.btrim(new.raw_user_meta_data ->> 'role'))
                            when 'mentor' then 'mentor' when 'student' then 'student' end;
begin
    update public.user_profiles p
    set email     = coalesce(p.email, new.email),
        full_name = coalesce(p.full_name, new.raw_user_meta_data ->> 'full_name'),
        role      = coalesce(chosen_role, p.role, 'student')
    where p.user_id = new.id;
    if not found then
        insert into public.user_profiles (id, user_id, email, full_name, role)
        values (new.id, new.id, new.email, new.raw_user_meta_data ->> 'full_name', coalesce(chosen_role, 'student'))
        on conflict do nothing;
    end if;
    return new;
end
$$;
revoke execute on function mentor_tui.create_profile_for_new_user() from public;

create or replace trigger zz_mentor_tui_create_profile
    after insert on auth.users
    for each row execute function mentor_tui.create_profile_for_new_user();

-- Profile rules: a person edits only their own row (RLS, 007), but never who it
-- belongs to nor their role; the time zone must be a real IANA name, since every
-- local time in the app is computed from it.
create or replace function mentor_tui.user_profiles_rules()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
    if tg_op = 'UPDATE' then
        new.updated_at := pg_catalog.now();
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
revoke execute on function mentor_tui.user_profiles_rules() from public;

create or replace trigger mentor_tui_profile_rules
    before insert or update on public.user_profiles
    for each row execute function mentor_tui.user_profiles_rules();

commit;
