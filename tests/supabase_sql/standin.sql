-- A small stand-in for what every Supabase project provides, so the migrations
-- in sql/supabase/ can be tested on plain PostgreSQL: the API roles, the auth
-- schema with auth.users and the helpers that read the request's JWT claims
-- (as PostgREST sets them), and Supabase's grants on schema public.

-- Roles are cluster-wide and several test databases may be set up at once,
-- so each is created only when missing, tolerating a concurrent creator.
do $$
declare
    spec text[];
begin
    foreach spec slice 1 in array array[
        array['anon', 'nologin noinherit'],
        array['authenticated', 'nologin noinherit'],
        array['service_role', 'nologin noinherit bypassrls']
    ] loop
        if not exists (select 1 from pg_roles where rolname = spec[1]) then
            begin
                execute format('create role %I %s', spec[1], spec[2]);
            exception when duplicate_object or unique_violation then
                null;
            end;
        end if;
    end loop;
end
$$;

create schema if not exists auth;
create schema if not exists extensions;

create table if not exists auth.users (
    id                 uuid primary key default gen_random_uuid(),
    email              text unique,
    raw_user_meta_data jsonb not null default '{}',
    raw_app_meta_data  jsonb not null default '{}',
    created_at         timestamptz not null default now(),
    updated_at         timestamptz not null default now()
);

create or replace function auth.jwt() returns jsonb
language sql stable
as $$
    select coalesce(nullif(current_setting('request.jwt.claims', true), ''), '{}')::jsonb
$$;

create or replace function auth.uid() returns uuid
language sql stable
as $$
    select nullif(auth.jwt() ->> 'sub', '')::uuid
$$;

create or replace function auth.role() returns text
language sql stable
as $$
    select auth.jwt() ->> 'role'
$$;

grant usage on schema auth, extensions to anon, authenticated, service_role;
grant execute on all functions in schema auth to anon, authenticated, service_role;
revoke all on auth.users from anon, authenticated;

-- The API roles may use schema public, but nothing created there is granted to
-- them: a project created today (the default for new projects since 30 May 2026
-- and for every project since 30 October 2026; "New tables in the public schema
-- will no longer be exposed to the Data API automatically",
-- https://supabase.com/changelog/45329-breaking-change-tables-not-exposed-to-data-and-graphql-api-automatically).
-- Each table, sequence and function needs an explicit grant. PostgreSQL's own
-- default, EXECUTE on new functions to PUBLIC, still applies.
-- standin_legacy.sql adds the broad defaults older projects had.
grant usage on schema public to anon, authenticated, service_role;
