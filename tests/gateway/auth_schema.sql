-- What GoTrue keeps beside auth.users, created by the test gateway on top of the
-- Supabase stand-in (tests/supabase_sql/standin.sql). Column names and types follow
-- supabase/auth's migrations: users.encrypted_password / email_confirmed_at /
-- last_sign_in_at (00_init_auth_schema), auth.refresh_tokens with parent
-- (20210927181326_add_refresh_token_parent) and session_id
-- (20220811173540_add_sessions_table), auth.sessions with refreshed_at
-- (20231027141322_add_session_refresh_columns). Idempotent.
begin;

alter table auth.users
    add column if not exists encrypted_password varchar(255),
    add column if not exists email_confirmed_at timestamptz,
    add column if not exists last_sign_in_at timestamptz;

create table if not exists auth.sessions (
    id           uuid primary key,
    user_id      uuid not null references auth.users (id) on delete cascade,
    created_at   timestamptz not null default now(),
    updated_at   timestamptz not null default now(),
    refreshed_at timestamp without time zone
);

create table if not exists auth.refresh_tokens (
    id         bigserial primary key,
    token      varchar(255) unique not null,
    user_id    varchar(255) not null,
    revoked    boolean not null default false,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    parent     varchar(255),
    session_id uuid references auth.sessions (id) on delete cascade
);

create index if not exists refresh_tokens_session_id_revoked_idx on auth.refresh_tokens (session_id, revoked);
create index if not exists refresh_tokens_parent_idx on auth.refresh_tokens (parent);

commit;
