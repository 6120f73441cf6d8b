-- Applied after standin.sql: a project created before 30 May 2026 (and not yet
-- switched over), where everything created in schema public is granted to the
-- API roles and row-level security decides the rest. Only the tests about such
-- older projects load it. The statements are those Supabase documents for
-- turning "Default privileges for new entities" back on
-- (https://supabase.com/docs/guides/database/data-api).
alter default privileges in schema public grant all on tables to anon, authenticated, service_role;
alter default privileges in schema public grant all on functions to anon, authenticated, service_role;
alter default privileges in schema public grant all on sequences to anon, authenticated, service_role;
