-- 022 Requests nobody answers expire (domain/booking_rules.has_expired): a pending
-- request whose start has come, or that waited the mentor's request_expiry_hours
-- (021; 48 without a row) unanswered, becomes cancelled with the reason 'expired'
-- (booking_rules.EXPIRED_REASON). Nobody is recorded as its canceller, so 016's
-- trigger tells both parties.
--
-- Without a server process of the app, this happens on read: the app calls
-- expire_stale_requests() before listing a person's sessions, which expires only the
-- caller's own stale requests, and returns their ids. Where pg_cron is installed, the same function runs
-- every five minutes for everyone (no caller: every stale request); elsewhere the
-- block below skips quietly.
begin;

create or replace function public.expire_stale_requests()
returns table (expired_session uuid, expired_at timestamptz)
language plpgsql
security definer
set search_path = ''
as $$
declare
    caller uuid := auth.uid();
begin
    -- As the table's owner the rules triggers (006, 014, 021) step aside: the request
    -- may have ended long ago, and no party cancelled it.
    return query
    update public.mentor_sessions s
    set status = 'cancelled', cancellation_reason = 'expired', cancelled_by = null, declined = false,
        updated_at = pg_catalog.now()
    where s.status = 'pending'
      and (caller is null or caller in (s.mentor_id, s.student_id))
      and (s.scheduled_time <= pg_catalog.now()
           or s.created_at + pg_catalog.make_interval(hours => coalesce(
                  (select b.request_expiry_hours from public.mentor_booking_rules b where b.mentor_id = s.mentor_id),
                  48)) <= pg_catalog.now())
    returning s.id, s.updated_at;
end
$$;

-- Signed-in people expire their own; anon never; with no caller (pg_cron, the
-- service role) every stale request.
revoke execute on function public.expire_stale_requests() from public, anon;
grant execute on function public.expire_stale_requests() to authenticated, service_role;

do $$
begin
    if exists (select 1 from pg_catalog.pg_extension where extname = 'pg_cron') then
        perform cron.schedule('mentor_tui_expire_stale_requests', '*/5 * * * *',
                              'select public.expire_stale_requests()');
    end if;
end
$$;

notify pgrst, 'reload schema';

commit;
