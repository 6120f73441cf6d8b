-- Profiles mirror the Supabase table of the same name; id = accounts.id.
create table if not exists user_profiles (
    id          text primary key references accounts(id) on delete cascade,
    email       text not null,
    full_name   text not null check (length(trim(full_name)) > 0),
    role        text not null check (role in ('student', 'mentor')),
    profession  text,
    experience  text,
    hourly_rate text check (hourly_rate is null or cast(hourly_rate as real) between 0 and 10000),
    expertise   text not null default '[]' check (json_valid(expertise) and json_type(expertise) = 'array'),
    bio         text,
    timezone    text not null default 'UTC',
    meeting_url text check (meeting_url is null or meeting_url like 'https://%'),
    created_at  text not null,
    updated_at  text not null
);
create index if not exists user_profiles_role on user_profiles(role, full_name);
