-- Second line behind the booking rule (at most two years ahead, which needs the app's
-- clock): a new session's time is always one a reader can use, from 2000 up to, not
-- including, 2200 (models.LATEST_STORED_TIME). unixepoch() is null for text that is no
-- time at all. Nothing in mentor-tui moves a session's time after it is booked, and
-- reading copes with anything an older version or a hand edit left (time_invalid).
create trigger if not exists mentor_sessions_real_time_insert
before insert on mentor_sessions
begin
    select raise(abort, 'invalid_time')
    where unixepoch(new.scheduled_time) is null
       or unixepoch(new.scheduled_time) < unixepoch('2000-01-01')
       or unixepoch(new.scheduled_time) >= unixepoch('2200-01-01');
end;
