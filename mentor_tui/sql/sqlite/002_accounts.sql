-- Local sign-in. Supabase keeps these in auth.users; here they live beside the data.
create table if not exists accounts (
    id            text primary key,
    email         text not null unique check (email = lower(trim(email)) and email like '%_@_%'),
    password_salt blob not null check (length(password_salt) >= 16),
    password_hash blob not null,          -- hashlib.scrypt of the password with password_salt
    created_at    text not null
);

-- Remembered sign-ins: only a hash of the token is kept, so a copy of the
-- database does not let anyone resume someone else's sign-in.
create table if not exists auth_sessions (
    token_hash text primary key,
    account_id text not null references accounts(id) on delete cascade,
    created_at text not null,
    expires_at text not null,
    revoked    integer not null default 0 check (revoked in (0, 1))
);
create index if not exists auth_sessions_account on auth_sessions(account_id);
