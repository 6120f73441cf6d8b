-- 012 Every auth user has a profile. Users the web app signed up before these
-- migrations (or whose profile row was removed) get one now, from their sign-up
-- metadata as the sign-up trigger would (002: full_name, role; a student when
-- the role is missing or unknown). mentor_ensure_profile lets a signed-in user
-- whose row is still missing create it safely, instead of writing the row (and
-- choosing its role) themselves.
begin;

do $$
begin
    perform mentor_tui.add_missing_profile(u.id)
    from auth.users u
    where not exists (select 1 from public.user_profiles p where p.user_id = u.id);
end
$$;

-- POST /rest/v1/rpc/mentor_ensure_profile: the caller's user_profiles row,
-- created first if missing; calling it again changes nothing. Security definer
-- (the row is made from auth.users, which clients cannot read), for the caller
-- only.
create or replace function public.mentor_ensure_profile()
returns public.user_profiles
language plpgsql
security definer
set search_path = ''
as $$
declare
    me uuid := auth.uid();
    profile public.user_profiles;
begin
    if me is null then
        perform mentor_tui.refuse('Sign in first.');
    end if;
    perform mentor_tui.add_missing_profile(me);
    select * into profile from public.user_profiles p where p.user_id = me;
    return profile;
end
$$;

revoke execute on function public.mentor_ensure_profile() from public, anon;
grant execute on function public.mentor_ensure_profile() to authenticated, service_role;

commit;
