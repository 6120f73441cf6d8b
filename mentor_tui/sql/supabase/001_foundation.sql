-- 001 Foundation: the btree_gist extension, a private schema for mentor-tui's
-- internal functions, and the helpers later files use to change tables that may
-- already exist and hold a web app's rows.
--
-- Every file here is safe to run again: it creates only what is missing and
-- never drops or rewrites rows. Each file is one transaction, so a file that
-- stops half-way leaves nothing behind.
begin;

-- Exclusion constraints on (uuid with =, range with &&) need btree_gist.
-- Supabase keeps extensions in their own schema.
create schema if not exists extensions;
create extension if not exists btree_gist with schema extensions;

-- Internal functions live outside the API schema, so PostgREST never lists
-- them as RPCs. Trigger bodies run as the caller and look names up here.
create schema if not exists mentor_tui;
comment on schema mentor_tui is 'mentor-tui internals: trigger functions and helpers; not exposed through the API.';
grant usage on schema mentor_tui to public;

-- Who the rules apply to: exactly the roles row-level security binds on that
-- table, which is what a client with the anon key becomes (anon,
-- authenticated). Roles RLS does not bind (superusers, BYPASSRLS roles such as
-- service_role, the table's owner such as postgres in the SQL editor) are
-- trusted, as Supabase treats them: they may load history, fix data or seed demos.
create or replace function mentor_tui.rules_apply(tbl oid)
returns boolean
language sql stable
set search_path = ''
as $$
    select not (r.rolsuper or r.rolbypassrls or pg_catalog.pg_has_role(current_user, c.relowner, 'usage'))
    from pg_catalog.pg_roles r, pg_catalog.pg_class c
    where r.rolname = current_user and c.oid = tbl
$$;

-- The two ways a rule says no, so every trigger words its errors alike:
-- refuse() for an action the caller may not take (42501, insufficient_privilege),
-- bad_value() for a value that is not allowed (23514, check_violation). A bad
-- value's DETAIL (PostgREST: "details") names a <table>_<column>_check
-- constraint, as the table's own checks do, so a client can tell the field.
create or replace function mentor_tui.refuse(message text)
returns void
language plpgsql
set search_path = ''
as $$
begin
    raise exception using errcode = 'insufficient_privilege', message = message;
end
$$;

create or replace function mentor_tui.bad_value(constraint_name text, message text)
returns void
language plpgsql
set search_path = ''
as $$
begin
    raise exception using errcode = 'check_violation', message = message,
        detail = constraint_name, constraint = constraint_name;
end
$$;

-- The time a session holds, as a half-open range: a session ending at 10:00 does
-- not clash with one starting at 10:00. Adding minutes is independent of the
-- time zone, so the function is truly immutable and fits an index expression
-- (timestamptz + interval itself is only stable). Strict: rows with a missing
-- time or duration hold no range instead of an endless one.
create or replace function mentor_tui.session_period(start_at timestamptz, minutes integer)
returns tstzrange
language sql immutable strict parallel safe
set search_path = ''
as $$
    select pg_catalog.tstzrange(start_at, start_at + pg_catalog.make_interval(mins => minutes), '[)')
$$;

-- A weekly window as a range on a fixed day; there is no built-in range of times.
create or replace function mentor_tui.window_period(start_at time, end_at time)
returns tsrange
language sql immutable strict parallel safe
set search_path = ''
as $$
    select pg_catalog.tsrange(date '2000-01-03' + start_at, date '2000-01-03' + end_at, '[)')
$$;

-- People's text, as mentor_tui/domain/text.py judges it (the same classes and
-- limits; tests/supabase_sql/test_sql_text_rules.py keeps them in step): no C0
-- control (a multi-line field allows tab and newline), no DEL, no C1 control and
-- no bidi embedding, override or isolate, since a terminal acts on them; and at
-- most max_length characters. Null passes: whether a field is required is its
-- own check. Immutable, so CHECK constraints can use them.
create or replace function mentor_tui.plain_text_ok(value text, max_length integer, multiline boolean)
returns boolean
language sql immutable parallel safe
set search_path = ''
as $$
    select value is null or (
        pg_catalog.char_length(value) <= max_length
        and value !~ (case when multiline then '[\u0001-\u0008\u000b-\u001f' else '[\u0001-\u001f' end
                      || '\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]')
    )
$$;

-- A call address: plain single-line text of at most 500 characters, https:// and
-- a host name with a dot, no whitespace (text.URL_PATTERN, spelled without \s
-- so that only ASCII whitespace counts, as there).
create or replace function mentor_tui.url_ok(value text)
returns boolean
language sql immutable parallel safe
set search_path = ''
as $$
    select value is null or (
        mentor_tui.plain_text_ok(value, 500, false)
        and value ~ '^https://[^ \t\n\r\f\v/?#@]+\.[^ \t\n\r\f\v/?#@]+([/?#][^ \t\n\r\f\v]*)?$'
    )
$$;

-- Expertise: at most 20 tags, each plain single-line text of at most 40 characters.
create or replace function mentor_tui.tags_ok(tags text[])
returns boolean
language sql immutable parallel safe
set search_path = ''
as $$
    select tags is null or (
        coalesce(pg_catalog.cardinality(tags), 0) <= 20
        and not exists (select 1 from pg_catalog.unnest(tags) t where not mentor_tui.plain_text_ok(t, 40, false))
    )
$$;

-- Migration helpers, as procedures (psql prints CALL, not a result row).
-- Not security definer: they can do only what the role running the migrations
-- may do, and nobody else may call them.

-- Adds a check or foreign-key constraint that existing rows may break. It is
-- added NOT VALID, so old rows are kept as they are while every new or changed
-- row must satisfy it; then validated when the old rows happen to satisfy it too.
create or replace procedure mentor_tui.add_constraint(tbl regclass, name text, definition text)
language plpgsql
set search_path = ''
as $$
begin
    if not exists (select 1 from pg_catalog.pg_constraint c where c.conrelid = tbl and c.conname = name) then
        execute pg_catalog.format('alter table %s add constraint %I %s not valid', tbl, name, definition);
    end if;
    if exists (select 1 from pg_catalog.pg_constraint c
               where c.conrelid = tbl and c.conname = name and not c.convalidated) then
        begin
            execute pg_catalog.format('alter table %s validate constraint %I', tbl, name);
        exception when check_violation or foreign_key_violation then
            raise notice '%: some existing rows break constraint %; they are kept, and every new or changed row must satisfy it.',
                tbl, name;
        end;
    end if;
end
$$;

-- A user-id column references auth.users, unless the table already has a
-- foreign key on that column (a web app may point it elsewhere on purpose).
create or replace procedure mentor_tui.add_user_reference(tbl regclass, col text)
language plpgsql
set search_path = ''
as $$
declare
    name text := pg_catalog.format('%s_%s_fkey', (select r.relname from pg_catalog.pg_class r where r.oid = tbl), col);
begin
    if exists (
        select 1
        from pg_catalog.pg_constraint c
        join pg_catalog.pg_attribute a on a.attrelid = c.conrelid and a.attnum = c.conkey[1]
        where c.conrelid = tbl and c.contype = 'f' and pg_catalog.cardinality(c.conkey) = 1 and a.attname = col
    ) then
        return;
    end if;
    call mentor_tui.add_constraint(
        tbl, name, pg_catalog.format('foreign key (%I) references auth.users (id) on delete cascade', col));
end
$$;

-- NOT NULL where the existing rows allow it; otherwise say so and keep the rows.
create or replace procedure mentor_tui.set_not_null(tbl regclass, col text)
language plpgsql
set search_path = ''
as $$
declare
    has_nulls boolean;
begin
    if (select a.attnotnull from pg_catalog.pg_attribute a where a.attrelid = tbl and a.attname = col) then
        return;
    end if;
    execute pg_catalog.format('select exists (select 1 from %s where %I is null)', tbl, col) into has_nulls;
    if has_nulls then
        raise notice '%: some existing rows have no %; they are kept, and the column stays nullable.', tbl, col;
    else
        execute pg_catalog.format('alter table %s alter column %I set not null', tbl, col);
    end if;
end
$$;

-- Unique and exclusion constraints cannot be added NOT VALID, and the app relies
-- on them (one profile per person; no double booking). So rows that already
-- break one stop the migration with a clear message, and the file's transaction
-- leaves everything as it was. Fix those rows as the hint says, then run the
-- file again.
create or replace procedure mentor_tui.add_strict_constraint(tbl regclass, name text, definition text, fix_hint text)
language plpgsql
set search_path = ''
as $$
declare
    conflict text;
begin
    if exists (select 1 from pg_catalog.pg_constraint c where c.conrelid = tbl and c.conname = name) then
        return;
    end if;
    begin
        execute pg_catalog.format('alter table %s add constraint %I %s', tbl, name, definition);
    exception when unique_violation or exclusion_violation then
        get stacked diagnostics conflict = pg_exception_detail;
        raise exception using
            errcode = sqlstate,
            message = pg_catalog.format('%s already holds rows that break %s, so it cannot be added.', tbl, name),
            detail = conflict,
            hint = fix_hint;
    end;
end
$$;

-- A unique constraint, unless the table already has a plain unique index on
-- exactly these columns under another name (a web app's own).
create or replace procedure mentor_tui.add_unique(tbl regclass, name text, cols text[], fix_hint text)
language plpgsql
set search_path = ''
as $$
declare
    definition text := pg_catalog.format('unique (%s)',
        (select pg_catalog.string_agg(pg_catalog.quote_ident(c), ', ') from pg_catalog.unnest(cols) c));
begin
    if exists (
        select 1
        from pg_catalog.pg_index i
        where i.indrelid = tbl and i.indisunique and i.indpred is null and i.indexprs is null
          and i.indnatts = pg_catalog.cardinality(cols) and i.indnkeyatts = i.indnatts
          and (select pg_catalog.array_agg(a.attname::text)
               from pg_catalog.pg_attribute a
               where a.attrelid = tbl and a.attnum = any (i.indkey::int2[])) @> cols
    ) then
        return;
    end if;
    call mentor_tui.add_strict_constraint(tbl, name, definition, fix_hint);
end
$$;

revoke execute on procedure
    mentor_tui.add_constraint(regclass, text, text),
    mentor_tui.add_user_reference(regclass, text),
    mentor_tui.set_not_null(regclass, text),
    mentor_tui.add_strict_constraint(regclass, text, text, text),
    mentor_tui.add_unique(regclass, text, text[], text)
from public;

commit;
