-- 013 Table privileges, per API role: exactly what mentor-tui and the web app
-- need, with row-level security (007, 011) deciding which rows.
--
-- Supabase projects no longer grant new public tables, sequences and functions
-- to anon, authenticated and service_role: the default for new projects since
-- 30 May 2026 and for every project since 30 October 2026 ("New tables in the
-- public schema will no longer be exposed to the Data API automatically",
-- https://supabase.com/changelog/45329-breaking-change-tables-not-exposed-to-data-and-graphql-api-automatically).
-- Without these grants every table call fails with 42501. Supabase's guide
-- grants per role, as here: https://supabase.com/docs/guides/database/data-api
--
-- Each table's privileges are first revoked from the API roles, then granted,
-- all in one transaction, so running this again changes nothing, and on an
-- older project whose tables still carry the old broad grants (everything to
-- anon and authenticated) this narrows them:
--   anon           nothing at all (mentor-tui has no signed-out screen);
--   authenticated  no TRUNCATE, REFERENCES or TRIGGER anywhere; no DELETE on
--                  user_profiles (a profile goes with its account) nor on
--                  mentor_sessions (a session is cancelled); only SELECT on
--                  mentor_students (the database writes it, 005);
--   service_role   everything, as Supabase's trusted server-side role.
-- Only table privileges: a column privilege on the four shared tables would
-- break the web app's select('*'), so private fields live in owner-only tables.
-- Execute on the RPCs is granted where each is defined (008, 012).
begin;

do $$
declare
    spec record;
    seq regclass;
begin
    for spec in
        select t.tbl::regclass as tbl, t.privileges
        from (values
            ('public.user_profiles',           'select, insert, update'),
            ('public.mentor_sessions',         'select, insert, update'),
            ('public.mentor_availability',     'select, insert, update, delete'),
            ('public.mentor_students',         'select'),
            ('public.mentor_private_profiles', 'select, insert, update')
        ) as t(tbl, privileges)
    loop
        execute pg_catalog.format('revoke all on table %s from public, anon, authenticated', spec.tbl);
        execute pg_catalog.format('grant %s on table %s to authenticated', spec.privileges, spec.tbl);
        execute pg_catalog.format('grant all on table %s to service_role', spec.tbl);
        -- A web app's table may have serial or identity ids: whoever inserts
        -- rows needs their sequence.
        for seq in
            select d.objid::regclass
            from pg_catalog.pg_depend d
            join pg_catalog.pg_class s on s.oid = d.objid and s.relkind = 'S'
            where d.classid = 'pg_catalog.pg_class'::regclass
              and d.refobjid = spec.tbl and d.deptype in ('a', 'i')
        loop
            execute pg_catalog.format('revoke all on sequence %s from public, anon, authenticated', seq);
            if spec.privileges like '%insert%' then
                execute pg_catalog.format('grant usage, select on sequence %s to authenticated', seq);
            end if;
            execute pg_catalog.format('grant all on sequence %s to service_role', seq);
        end loop;
    end loop;
end
$$;

-- The last file: ask PostgREST to reload its schema cache so the new columns,
-- privileges and RPCs answer at once (Supabase also does this on its own after DDL).
notify pgrst, 'reload schema';

commit;
