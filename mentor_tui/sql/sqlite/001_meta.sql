-- Facts about the database itself: schema version, whether demo data was loaded.
create table if not exists meta (
    key   text primary key,
    value text not null
);
