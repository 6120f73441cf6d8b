-- A mentor's booking rules (domain/booking_rules.py), one row per mentor who set any;
-- no row means the defaults. The CHECKs are the domain's LIMITS, as in
-- sql/supabase/021_booking_rules.sql. Times as in 004 (UTC, fixed width), stamped by the
-- storage's clock, which is also the "now" the triggers below read (the new row's
-- created_at or updated_at).
create table if not exists mentor_booking_rules (
    mentor_id            text primary key references user_profiles(id),
    min_notice_minutes   integer not null default 0 check (min_notice_minutes between 0 and 10080),
    buffer_minutes       integer not null default 0 check (buffer_minutes between 0 and 240),
    max_per_day          integer check (max_per_day is null or max_per_day between 1 and 48),
    max_per_week         integer check (max_per_week is null or max_per_week between 1 and 200),
    horizon_days         integer not null default 730 check (horizon_days between 1 and 730),
    cancel_window_hours  integer not null default 0 check (cancel_window_hours between 0 and 168),
    request_expiry_hours integer not null default 48 check (request_expiry_hours between 1 and 720),
    updated_at           text not null
);

-- Cancelled inside the mentor's cancellation window: recorded by the trigger below.
alter table mentor_sessions add column cancelled_late integer check (cancelled_late in (0, 1));

-- Second line behind the services' check (which also counts the mentor's days and
-- weeks in their zone, which SQLite cannot): notice, horizon and buffers of a student's
-- new request. A session made confirmed (a proposal the student accepts) is the mentor's
-- own offer, as on Supabase, where only requests meet the rules.
create trigger if not exists mentor_sessions_booking_rules
before insert on mentor_sessions
when new.status = 'pending'
begin
    select raise(abort, 'booking_rules')
    from mentor_booking_rules r
    where r.mentor_id = new.mentor_id and (
        unixepoch(new.scheduled_time) < unixepoch(new.created_at) + r.min_notice_minutes * 60
        or unixepoch(new.scheduled_time) > unixepoch(new.created_at) + r.horizon_days * 86400
        or (r.buffer_minutes > 0 and exists (
            select 1 from mentor_sessions s
            where s.mentor_id = new.mentor_id and s.status in ('confirmed', 'pending')
              and unixepoch(s.scheduled_time) > unixepoch(new.scheduled_time) - (240 + r.buffer_minutes) * 60
              and unixepoch(s.scheduled_time)
                  < unixepoch(new.scheduled_time) + (new.duration_minutes + r.buffer_minutes) * 60
              and unixepoch(new.scheduled_time) - r.buffer_minutes * 60
                  < unixepoch(s.scheduled_time) + s.duration_minutes * 60
        ))
    );
end;

-- A confirmed session cancelled inside the window needs a reason, and is marked late.
create trigger if not exists mentor_sessions_late_cancel_reason
before update of status on mentor_sessions
when old.status = 'confirmed' and new.status = 'cancelled'
     and trim(coalesce(new.cancellation_reason, '')) = ''
begin
    select raise(abort, 'late_cancel')
    from mentor_booking_rules r
    where r.mentor_id = new.mentor_id
      and unixepoch(new.scheduled_time) - unixepoch(new.updated_at) < r.cancel_window_hours * 3600;
end;

create trigger if not exists mentor_sessions_late_cancel_mark
after update of status on mentor_sessions
when old.status = 'confirmed' and new.status = 'cancelled'
begin
    update mentor_sessions set cancelled_late = (
        select count(*) > 0 from mentor_booking_rules r
        where r.mentor_id = new.mentor_id
          and unixepoch(new.scheduled_time) - unixepoch(new.updated_at) < r.cancel_window_hours * 3600
    )
    where id = new.id;
end;
