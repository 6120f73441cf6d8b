"""The embedded database's notification kinds are the domain's: each upgrade that makes the
table again must carry every kind added before it."""

from __future__ import annotations

import re
import sqlite3

from test_local_repository import cheap_hashing, db_path  # noqa: F401 - fixtures

from mentor_tui.domain.models import NotificationKind, Role
from mentor_tui.repository.local import LocalRepository


async def test_the_kinds_are_the_domains(db_path, tmp_path, clock):
    repo = LocalRepository(db_path, tmp_path / "state", clock)
    await repo.sign_up("kinds@example.org", "password-long", "Kim", Role.STUDENT)  # every schema file and upgrade runs
    await repo.close()
    with sqlite3.connect(db_path) as conn:
        (table,) = conn.execute("select sql from sqlite_master where name = 'mentor_notifications'").fetchone()
    conn.close()
    check = re.search(r"check \(kind in \(([^)]*)\)\)", table)
    assert check is not None
    assert sorted(re.findall(r"'([a-z_]+)'", check.group(1))) == sorted(kind.value for kind in NotificationKind)
