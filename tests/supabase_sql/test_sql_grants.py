"""Table privileges per API role, on a project created today (no default grants)
and on an older one (broad default grants): exactly what the app and the web app
need, never a column privilege, and safe to run again."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

import pg_support
from pg_support import Db, Scripts

GRANTS = next(path for path in pg_support.MIGRATIONS if path.name.endswith("_grants.sql"))
PRIVILEGES = ("SELECT", "INSERT", "UPDATE", "DELETE", "TRUNCATE", "REFERENCES", "TRIGGER")
EXPECTED = {
    "authenticated": {
        "user_profiles": {"SELECT", "INSERT", "UPDATE"},
        "mentor_sessions": {"SELECT", "INSERT", "UPDATE"},
        "mentor_availability": {"SELECT", "INSERT", "UPDATE", "DELETE"},
        "mentor_students": {"SELECT"},
        "mentor_private_profiles": {"SELECT", "INSERT", "UPDATE"},
        # Their read_at column alone may be updated (a column privilege: these tables are mentor-tui's own).
        "mentor_messages": {"SELECT", "INSERT"},
        "mentor_notifications": {"SELECT"},
    },
    "anon": {table: set() for table in ("user_profiles", "mentor_sessions", "mentor_availability",
                                        "mentor_students", "mentor_private_profiles", "mentor_messages",
                                        "mentor_notifications")},
    "service_role": {table: set(PRIVILEGES) for table in ("user_profiles", "mentor_sessions",
                                                          "mentor_availability", "mentor_students",
                                                          "mentor_private_profiles", "mentor_messages",
                                                          "mentor_notifications")},
}
SHARED_TABLES = ("user_profiles", "mentor_sessions", "mentor_availability", "mentor_students")
# The web app's reads: select('*') on each shared table.
WEB_APP_READS = [f"select * from public.{table}" for table in SHARED_TABLES]
# A web app's own serial column: whoever inserts a window needs its sequence.
SERIAL_COLUMN = "alter table public.mentor_availability add column row_no bigserial"


def privileges(db: Db, role: str) -> dict[str, set[str]]:
    return {
        table: {p for p in PRIVILEGES if db.value("select has_table_privilege(%s, %s, %s)", (role, f"public.{table}", p))}
        for table in EXPECTED[role]
    }


@pytest.fixture(scope="module", params=[False, True], ids=["current", "legacy"])
def project(server_url: str, request: pytest.FixtureRequest) -> Iterator[Db]:
    """Migrated twice, with a web-app serial column on mentor_availability."""
    with pg_support.standin_database(server_url, f"grants_{request.param}", legacy=request.param) as db:
        db.rows("create table public.mentor_availability (id uuid primary key default gen_random_uuid())")
        db.rows(SERIAL_COLUMN)
        Scripts.migrate(db.admin)
        Scripts.migrate(db.admin)
        yield db


def test_each_role_holds_exactly_its_privileges(project):
    for role, expected in EXPECTED.items():
        assert privileges(project, role) == expected, role


def test_clients_update_only_when_messages_and_notifications_were_read(project):
    for table in ("mentor_messages", "mentor_notifications"):
        updatable = project.rows(
            "select attname from pg_attribute where attrelid = %s::regclass and attnum > 0 and not attisdropped"
            " and has_column_privilege('authenticated', attrelid, attnum, 'UPDATE') order by 1",
            (f"public.{table}",),
        )
        assert updatable == [("read_at",)], table


def test_no_column_privileges_on_the_shared_tables(project):
    with_column_acl = project.rows(
        "select attrelid::regclass::text, attname from pg_attribute"
        " where attrelid = any(%s::regclass[]) and attacl is not null",
        ([f"public.{t}" for t in SHARED_TABLES],),
    )
    assert with_column_acl == []


def test_the_web_apps_select_star_reads_work_when_signed_in(project):
    user = project.new_user("student")
    for query in WEB_APP_READS:
        project.act(user, query)


def test_signed_out_nothing_is_read_written_or_called(project):
    mentor = project.new_user("mentor")
    statements = [
        *WEB_APP_READS,
        "select * from public.mentor_private_profiles",
        f"insert into public.mentor_availability (mentor_id, day_of_week, start_time, end_time)"
        f" values ('{mentor}', 1, '09:00', '10:00')",
        "update public.user_profiles set full_name = 'x'",
        "delete from public.mentor_availability",
        "select public.mentor_directory()",
        "select public.mentor_ensure_profile()",
    ]
    for statement in statements:
        with project.refused("42501", "permission denied"):
            project.act(None, statement)


def test_serial_ids_of_a_web_app_table_can_be_used(project):
    mentor = project.new_user("mentor")
    [(row_no,)] = project.act(
        mentor,
        "insert into public.mentor_availability (mentor_id, day_of_week, start_time, end_time)"
        " values (%s, 2, '09:00', '10:00') returning row_no",
        (mentor,),
    )
    assert row_no >= 1


def test_truncate_is_refused_to_clients(project):
    user = project.new_user("student")
    for table in SHARED_TABLES:
        with project.refused("42501", "permission denied"):
            project.act(user, f"truncate public.{table}")


def test_on_a_new_project_table_calls_fail_before_the_grants_and_work_after(server_url):
    with pg_support.standin_database(server_url, "grants_before_after") as db:
        for path in pg_support.MIGRATIONS:
            if path != GRANTS:
                Scripts.run(db.admin, path)
        user = db.new_user("student")
        for query in WEB_APP_READS:
            with db.refused("42501", "permission denied"):
                db.act(user, query)
        Scripts.run(db.admin, GRANTS)
        for query in WEB_APP_READS:
            db.act(user, query)
        assert db.act(user, "select full_name from public.user_profiles where user_id = %s", (user,)) != []
