-- Reviews in depth and session notes; the same shape and rules as
-- sql/supabase/026_reviews_notes.sql (domain/session_notes.py decides them first).

-- The mentor's one reply to a rated session's review, beside the session.
alter table mentor_sessions add column review_reply text
    check (review_reply is null or length(review_reply) between 1 and 1000);
alter table mentor_sessions add column review_replied_at text;

create trigger if not exists mentor_sessions_reply_once
before update of review_reply, review_replied_at on mentor_sessions
when new.review_reply is not old.review_reply or new.review_replied_at is not old.review_replied_at
begin
    select raise(abort, 'a review is answered once, on a rated session')
    where old.review_reply is not null or new.review_reply is null or new.review_replied_at is null
       or old.rating is null or old.status <> 'completed';
end;

-- The mentor page's figures beside 011's count and sum: ratings per star and completed
-- sessions, kept by the same triggers (replaced here), so a page never counts sessions.
alter table mentor_ratings add column stars_1 integer not null default 0 check (stars_1 >= 0);
alter table mentor_ratings add column stars_2 integer not null default 0 check (stars_2 >= 0);
alter table mentor_ratings add column stars_3 integer not null default 0 check (stars_3 >= 0);
alter table mentor_ratings add column stars_4 integer not null default 0 check (stars_4 >= 0);
alter table mentor_ratings add column stars_5 integer not null default 0 check (stars_5 >= 0);
alter table mentor_ratings add column completed_count integer not null default 0 check (completed_count >= 0);

drop trigger if exists mentor_sessions_rating_added;
drop trigger if exists mentor_sessions_rating_changed;
drop trigger if exists mentor_sessions_rating_removed;

-- A completed session's part: one completed session, and its rating when it has one.
create trigger mentor_sessions_rating_added
after insert on mentor_sessions
when new.status = 'completed'
begin
    insert into mentor_ratings (mentor_id, rating_count, rating_sum, stars_1, stars_2, stars_3, stars_4, stars_5,
                                completed_count)
    values (new.mentor_id, new.rating is not null, coalesce(new.rating, 0), new.rating is 1, new.rating is 2,
            new.rating is 3, new.rating is 4, new.rating is 5, 1)
    on conflict (mentor_id) do update set
        rating_count = rating_count + excluded.rating_count, rating_sum = rating_sum + excluded.rating_sum,
        stars_1 = stars_1 + excluded.stars_1, stars_2 = stars_2 + excluded.stars_2,
        stars_3 = stars_3 + excluded.stars_3, stars_4 = stars_4 + excluded.stars_4,
        stars_5 = stars_5 + excluded.stars_5, completed_count = completed_count + 1;
end;

create trigger mentor_sessions_rating_changed
after update of status, rating, mentor_id on mentor_sessions
begin
    update mentor_ratings set
        rating_count = rating_count - (old.rating is not null), rating_sum = rating_sum - coalesce(old.rating, 0),
        stars_1 = stars_1 - (old.rating is 1), stars_2 = stars_2 - (old.rating is 2),
        stars_3 = stars_3 - (old.rating is 3), stars_4 = stars_4 - (old.rating is 4),
        stars_5 = stars_5 - (old.rating is 5), completed_count = completed_count - 1
    where mentor_id = old.mentor_id and old.status = 'completed';
    insert into mentor_ratings (mentor_id, rating_count, rating_sum, stars_1, stars_2, stars_3, stars_4, stars_5,
                                completed_count)
    select new.mentor_id, new.rating is not null, coalesce(new.rating, 0), new.rating is 1, new.rating is 2,
           new.rating is 3, new.rating is 4, new.rating is 5, 1
    where new.status = 'completed'
    on conflict (mentor_id) do update set
        rating_count = rating_count + excluded.rating_count, rating_sum = rating_sum + excluded.rating_sum,
        stars_1 = stars_1 + excluded.stars_1, stars_2 = stars_2 + excluded.stars_2,
        stars_3 = stars_3 + excluded.stars_3, stars_4 = stars_4 + excluded.stars_4,
        stars_5 = stars_5 + excluded.stars_5, completed_count = completed_count + 1;
end;

create trigger mentor_sessions_rating_removed
after delete on mentor_sessions
when old.status = 'completed'
begin
    update mentor_ratings set
        rating_count = rating_count - (old.rating is not null), rating_sum = rating_sum - coalesce(old.rating, 0),
        stars_1 = stars_1 - (old.rating is 1), stars_2 = stars_2 - (old.rating is 2),
        stars_3 = stars_3 - (old.rating is 3), stars_4 = stars_4 - (old.rating is 4),
        stars_5 = stars_5 - (old.rating is 5), completed_count = completed_count - 1
    where mentor_id = old.mentor_id;
end;

-- Recount from the sessions (inside the upgrade's transaction).
delete from mentor_ratings;
insert into mentor_ratings (mentor_id, rating_count, rating_sum, stars_1, stars_2, stars_3, stars_4, stars_5,
                            completed_count)
select mentor_id, count(rating), coalesce(sum(rating), 0), sum(rating is 1), sum(rating is 2), sum(rating is 3),
       sum(rating is 4), sum(rating is 5), count(*)
from mentor_sessions where status = 'completed'
group by mentor_id;

-- A session's notes in Markdown, by its mentor, read by both parties. The pair and the
-- session's time are copied from the session, so the carry-over ("the open items of the
-- latest earlier session with notes of this pair") is one index search.
create table if not exists session_notes (
    session_id   text primary key references mentor_sessions(id),
    mentor_id    text not null,
    student_id   text not null,
    session_time text not null,
    summary      text not null check (length(summary) between 1 and 10000),
    updated_at   text not null
);
create index if not exists session_notes_pair on session_notes(mentor_id, student_id, session_time);

-- Second line: notes belong to a session that has started (completed, or confirmed and
-- past its start), and copy that session's pair and time.
create trigger if not exists session_notes_started
before insert on session_notes
begin
    select raise(abort, 'notes are written once the session has started')
    where not exists (
        select 1 from mentor_sessions s
        where s.id = new.session_id and s.mentor_id = new.mentor_id and s.student_id = new.student_id
          and s.scheduled_time = new.session_time
          and (s.status = 'completed' or (s.status = 'confirmed' and unixepoch(s.scheduled_time) <= unixepoch(new.updated_at)))
    );
end;

create trigger if not exists session_notes_fixed
before update of session_id, mentor_id, student_id, session_time on session_notes
when new.session_id is not old.session_id or new.mentor_id is not old.mentor_id
  or new.student_id is not old.student_id or new.session_time is not old.session_time
begin
    select raise(abort, 'notes stay with their session');
end;
