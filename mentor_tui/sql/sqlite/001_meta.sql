-- Facts about the database itself: schema version, whether demo data was loaded.
-- The file header says whose it is: PRAGMA application_id holds mentor-tui's mark and
-- PRAGMA user_version the number of the newest file here; both are set by the code that
-- applies these files (repository/local.py), which refuses a database marked newer.
create table if not exists meta (
    key   text primary key,
    value text not null
);
