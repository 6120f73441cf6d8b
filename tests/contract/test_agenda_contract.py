"""``mentor-tui agenda`` on every backend: what it prints for the person whose sign-in is
remembered in the state folder (the subprocess tests, tests/test_agenda_cli.py, cover the
embedded backend end to end; here the same code reads through each backend)."""

from __future__ import annotations

import argparse
import json
from types import SimpleNamespace

from icalendar import Calendar
from test_repository_contract import PASSWORD, ROOM, at, book, people  # noqa: F401  (people is a fixture)

from mentor_tui import agenda
from mentor_tui.domain.models import Role
from mentor_tui.repository import factory


async def test_agenda_prints_the_remembered_persons_sessions(backend, people, tmp_path, monkeypatch, capsys):
    student = backend.connect("agenda-student")
    await student.sign_up(backend.email("agenda"), PASSWORD, "Agenda Student", Role.STUDENT)
    booked = await student.create_session(book(people, at(people.day, 11), subject="Agenda check"))
    await people.mentor.confirm_session(booked.id, ROOM)
    monkeypatch.setattr(factory, "build_repository", lambda settings, clock: backend.open_storage("agenda-student"))
    settings = SimpleNamespace(state_dir=tmp_path)

    def options(**chosen: bool) -> argparse.Namespace:
        return argparse.Namespace(days=7, json=chosen.get("json", False), ics=chosen.get("ics", False))

    assert await agenda._print(settings, options(json=True), backend.clock) == agenda.OK
    [item] = json.loads(capsys.readouterr().out)
    assert (item["id"], item["subject"], item["with"], item["status"], item["role"], item["meeting_link"]) == (
        booked.id, "Agenda check", "Mentor", "confirmed", "student", ROOM,
    )
    assert await agenda._print(settings, options(ics=True), backend.clock) == agenda.OK
    (event,) = Calendar.from_ical(capsys.readouterr().out).walk("VEVENT")
    assert str(event["UID"]) == f"{booked.id}@mentor-tui" and str(event["STATUS"]) == "CONFIRMED"

    await student.sign_out()
    assert await agenda._print(settings, options(), backend.clock) == agenda.NOT_SIGNED_IN
    assert "not signed in" in capsys.readouterr().err
