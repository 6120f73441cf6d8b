"""The migrations on a fresh database: the fixture applies them twice; a third
run changes nothing, and everything the schema contract names is there."""

from __future__ import annotations

# The schema contract (SUPABASE_SCHEMA.md): table -> column -> type.
CONTRACT = {
    "user_profiles": {
        "id": "uuid", "user_id": "uuid", "full_name": "text", "avatar_url": "text",
        "username": "text", "role": "text", "profession": "text", "experience": "text",
        "hourly_rate": "numeric", "expertise": "ARRAY", "bio": "text", "timezone": "text",
        "created_at": "timestamp with time zone", "updated_at": "timestamp with time zone",
    },
    "mentor_sessions": {
        "id": "uuid", "mentor_id": "uuid", "student_id": "uuid", "subject": "text",
        "scheduled_time": "timestamp with time zone", "duration_minutes": "integer", "status": "text",
        "notes": "text", "meeting_link": "text", "feedback": "text", "rating": "integer", "review": "text",
        "cancellation_reason": "text", "created_at": "timestamp with time zone",
        "updated_at": "timestamp with time zone",
    },
    "mentor_availability": {
        "id": "uuid", "mentor_id": "uuid", "day_of_week": "smallint", "start_time": "time without time zone",
        "end_time": "time without time zone", "created_at": "timestamp with time zone",
        "updated_at": "timestamp with time zone",
    },
    "mentor_students": {
        "id": "uuid", "mentor_id": "uuid", "student_id": "uuid", "total_sessions": "integer",
        "last_session_date": "timestamp with time zone", "subjects": "ARRAY",
        "created_at": "timestamp with time zone", "updated_at": "timestamp with time zone",
    },
    "mentor_private_profiles": {
        "user_id": "uuid", "meeting_url": "text",
        "created_at": "timestamp with time zone", "updated_at": "timestamp with time zone",
    },
    "mentor_messages": {
        "id": "uuid", "mentor_id": "uuid", "student_id": "uuid", "sender_id": "uuid", "body": "text",
        "created_at": "timestamp with time zone", "read_at": "timestamp with time zone",
    },
    "mentor_notifications": {
        "id": "uuid", "user_id": "uuid", "kind": "text", "session_id": "uuid", "message_id": "uuid",
        "actor_id": "uuid", "detail": "text", "created_at": "timestamp with time zone",
        "read_at": "timestamp with time zone",
    },
}
RPCS = [
    "public.mentor_dashboard_stats()",
    "public.mentor_directory(text, text, text, integer)",
    "public.mentor_profile(uuid)",
    "public.mentor_expertise_tags()",
    "public.mentor_reviews(uuid, integer)",
    "public.mentor_busy_times(uuid, timestamptz, timestamptz)",
    "public.mentor_ensure_profile()",
    "public.mentor_conversations()",
    "public.mentor_session_parties()",
    "public.mentor_reviews_replied(uuid, integer)",
    "public.mentor_review_stats(uuid)",
    "public.record_reminder(uuid, text)",
    "public.mentor_held_times(uuid, timestamptz, timestamptz)",
    "public.expire_stale_requests()",
]

# Everything the migrations define, as the catalog describes it.
SCHEMA_SNAPSHOT = """
select 'constraint', conrelid::regclass::text || '.' || conname || ' ' || pg_get_constraintdef(oid) || ' ' || convalidated
  from pg_constraint where connamespace = 'public'::regnamespace
union all
select 'index', indexdef from pg_indexes where schemaname = 'public'
union all
select 'policy', tablename || '.' || policyname || ' ' || permissive || ' ' || cmd || ' ' || roles::text
       || coalesce(qual, '') || coalesce(with_check, '')
  from pg_policies where schemaname = 'public'
union all
select 'trigger', tgrelid::regclass::text || '.' || tgname from pg_trigger where not tgisinternal
union all
select 'function', p.oid::regprocedure::text || ' ' || md5(p.prosrc) from pg_proc p
  where p.pronamespace in ('public'::regnamespace, 'mentor_tui'::regnamespace)
union all
select 'grant', table_name || ' ' || grantee || ' ' || privilege_type
  from information_schema.role_table_grants where table_schema = 'public'
order by 1, 2
"""


def test_the_contract_tables_and_columns_exist(db):
    for table, columns in CONTRACT.items():
        found = dict(
            db.rows(
                "select column_name, data_type from information_schema.columns"
                " where table_schema = 'public' and table_name = %s",
                (table,),
            )
        )
        assert {name: found.get(name) for name in columns} == columns, table


def test_row_level_security_is_on_for_every_table(db):
    rows = db.rows(
        "select relname, relrowsecurity from pg_class where relnamespace = 'public'::regnamespace"
        " and relname = any(%s)",
        (list(CONTRACT),),
    )
    assert sorted(rows) == sorted((table, True) for table in CONTRACT)


def test_a_third_run_changes_nothing_and_says_nothing_about_old_rows(db, scripts):
    before = db.rows(SCHEMA_SNAPSHOT)
    notices = scripts.migrate(db.admin)
    assert db.rows(SCHEMA_SNAPSHOT) == before
    assert not [n for n in notices if "kept" in n], notices


def test_every_function_pins_its_search_path(db):
    unpinned = db.rows(
        "select p.oid::regprocedure::text from pg_proc p"
        " where p.pronamespace in ('public'::regnamespace, 'mentor_tui'::regnamespace)"
        " and not exists (select 1 from unnest(p.proconfig) c where c like 'search_path=%%')"
    )
    assert unpinned == []


def test_rpcs_are_for_signed_in_users_only(db):
    for rpc in RPCS:
        assert db.value("select has_function_privilege('authenticated', %s, 'execute')", (rpc,)), rpc
        assert not db.value("select has_function_privilege('anon', %s, 'execute')", (rpc,)), rpc


def test_migration_helpers_and_trigger_functions_are_not_callable_by_clients(db):
    callable_internals = db.rows(
        "select p.oid::regprocedure::text from pg_proc p"
        " where p.pronamespace = 'mentor_tui'::regnamespace"
        " and (p.prokind = 'p' or p.prorettype = 'trigger'::regtype)"
        " and (has_function_privilege('authenticated', p.oid, 'execute')"
        "      or has_function_privilege('anon', p.oid, 'execute'))"
    )
    assert callable_internals == []


def test_security_definer_functions_are_exactly_the_intended_ones(db):
    definers = db.rows(
        "select p.oid::regprocedure::text from pg_proc p"
        " where p.prosecdef and p.pronamespace in ('public'::regnamespace, 'mentor_tui'::regnamespace)"
        " order by 1"
    )
    assert [name for (name,) in definers] == [
        "accept_reschedule(uuid)",
        "close_reschedule(uuid,text)",
        "expire_stale_requests()",
        "mentor_accept_proposal(uuid)",
        "mentor_busy_times(uuid,timestamp with time zone,timestamp with time zone)",
        "mentor_directory(text,text,text,integer)",
        "mentor_ensure_profile()",
        "mentor_expertise_tags()",
        "mentor_held_times(uuid,timestamp with time zone,timestamp with time zone)",
        "mentor_profile(uuid)",
        "mentor_review_stats(uuid)",
        "mentor_reviews(uuid,integer)",
        "mentor_reviews_replied(uuid,integer)",
        "mentor_session_parties()",
        "mentor_tui.add_missing_profile(uuid)",
        "mentor_tui.count_rating()",
        "mentor_tui.create_profile_for_new_user()",
        "mentor_tui.mentor_held_in(uuid,timestamp with time zone,timestamp with time zone,uuid)",
        "mentor_tui.my_signed_up_role()",
        "mentor_tui.notify_message()",
        "mentor_tui.notify_no_show()",
        "mentor_tui.notify_reschedule()",
        "mentor_tui.notify_review_reply()",
        "mentor_tui.notify_session_change()",
        "mentor_tui.notify_session_notes()",
        "mentor_tui.record_completed_session()",
        "record_reminder(uuid,text)",
    ]
