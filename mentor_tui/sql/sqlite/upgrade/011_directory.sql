-- The mentor directory at any size: each mentor's count and sum of ratings (completed,
-- rated sessions), kept by triggers whoever writes a session, so listing mentors never
-- aggregates sessions. A table of its own, as on Supabase (019): the figures are not
-- part of the profile a mentor edits.
create table if not exists mentor_ratings (
    mentor_id    text primary key,
    rating_count integer not null default 0 check (rating_count >= 0),
    rating_sum   integer not null default 0 check (rating_sum >= 0)
);

create trigger if not exists mentor_sessions_rating_added
after insert on mentor_sessions
when new.status = 'completed' and new.rating is not null
begin
    insert into mentor_ratings (mentor_id, rating_count, rating_sum) values (new.mentor_id, 1, new.rating)
    on conflict (mentor_id) do update
        set rating_count = rating_count + 1, rating_sum = rating_sum + excluded.rating_sum;
end;

-- An update takes the old part out and puts the new one in (the same one when nothing that counts changed).
create trigger if not exists mentor_sessions_rating_changed
after update of status, rating, mentor_id on mentor_sessions
begin
    update mentor_ratings set rating_count = rating_count - 1, rating_sum = rating_sum - old.rating
    where mentor_id = old.mentor_id and old.status = 'completed' and old.rating is not null;
    insert into mentor_ratings (mentor_id, rating_count, rating_sum)
    select new.mentor_id, 1, new.rating where new.status = 'completed' and new.rating is not null
    on conflict (mentor_id) do update
        set rating_count = rating_count + 1, rating_sum = rating_sum + excluded.rating_sum;
end;

create trigger if not exists mentor_sessions_rating_removed
after delete on mentor_sessions
when old.status = 'completed' and old.rating is not null
begin
    update mentor_ratings set rating_count = rating_count - 1, rating_sum = rating_sum - old.rating
    where mentor_id = old.mentor_id;
end;

-- The sessions rated before this step (it runs inside the upgrade's transaction).
insert into mentor_ratings (mentor_id, rating_count, rating_sum)
select mentor_id, count(*), sum(rating) from mentor_sessions
where status = 'completed' and rating is not null
group by mentor_id;

-- The directory's orders: A-Z and cheapest read the mentors in the order of these
-- indexes and stop at the page's end; best rated sorts the matches after joining
-- mentor_ratings.
create index if not exists user_profiles_mentor_name
    on user_profiles (role, full_name collate nocase, id);
create index if not exists user_profiles_mentor_rate
    on user_profiles (role, hourly_rate is null, cast(hourly_rate as real), full_name collate nocase, id);
