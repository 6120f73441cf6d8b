"""Render the SVG screenshots in this folder: demo data, a frozen clock, the real app.

    python screenshots/generate.py            # every scene
    python screenshots/generate.py NAME.svg   # only these

Each scene signs in as a demo login on a fresh copy of the demo database, presses
its keys through Textual's Pilot (waiting for the work each key starts) and saves
what the terminal shows. Nothing depends on the machine's clock, zone or folders.
"""

from __future__ import annotations

import asyncio
import shutil
import sys
import tempfile
from datetime import datetime, timezone
from pathlib import Path

from mentor_tui.app import MentorApp

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
from clocks import FixedClock  # noqa: E402  (a test helper, not part of the package)

from mentor_tui.repository.demo import DEMO_PASSWORD, seed_demo  # noqa: E402
from mentor_tui.repository.local import LocalRepository  # noqa: E402

NOW = datetime(2026, 11, 24, 15, 0, tzinfo=timezone.utc)
"""A Tuesday afternoon in Europe, morning in the Americas."""

HERE = Path(__file__).resolve().parent

# (file name, demo login, terminal size, keys pressed in order).
# Keys are Pilot key names; type text with *"text". Add a row to add a screenshot.
SCENES: list[tuple[str, str, tuple[int, int], tuple[str, ...]]] = [
    ("student-mentors.svg", "sam@demo.mentor-tui.dev", (100, 32), ()),
    ("student-mentors-python.svg", "sam@demo.mentor-tui.dev", (100, 32), (*"python",)),
    ("student-booking.svg", "sam@demo.mentor-tui.dev", (100, 32),
     (*"python", "ctrl+n", *"Review my pytest fixtures", "tab", "down", "down", "down", "down", "down", "down")),
    ("student-my-sessions.svg", "sam@demo.mentor-tui.dev", (100, 32), ("f3",)),
    ("student-rate.svg", "sam@demo.mentor-tui.dev", (100, 32),
     ("f3", "tab", "down", "down", "down", "r", "5", "tab", *"Very practical")),
    ("student-settings.svg", "sam@demo.mentor-tui.dev", (100, 32), ("f4",)),
    ("student-mentors-80x24.svg", "sam@demo.mentor-tui.dev", (80, 24), ()),
    ("student-messages.svg", "sam@demo.mentor-tui.dev", (100, 32),
     ("f3", "ctrl+l", *"Thanks! See you tomorrow.", "enter", *"The test is pushed; the fixture is in conftest.py")),
    ("student-inbox.svg", "sam@demo.mentor-tui.dev", (100, 32), ("f8",)),
    ("mentor-overview.svg", "maya@demo.mentor-tui.dev", (120, 40), ()),
    ("mentor-sessions.svg", "maya@demo.mentor-tui.dev", (120, 40), ("f3", "down", "down", "down")),
    ("mentor-students.svg", "maya@demo.mentor-tui.dev", (120, 40), ("f4",)),
    ("mentor-schedule.svg", "maya@demo.mentor-tui.dev", (120, 40), ("f5",)),
    ("mentor-settings.svg", "maya@demo.mentor-tui.dev", (120, 40), ("f6", *["tab"] * 8)),
    ("mentor-schedule-preview.svg", "maya@demo.mentor-tui.dev", (120, 40),
     ("f7", "enter", *"/schedule friday 4pm 45m Fixtures review", "enter")),
    ("mentor-proposal-sent.svg", "maya@demo.mentor-tui.dev", (120, 40),
     ("f7", "enter", *"/schedule friday 4pm 45m Fixtures review", "enter", "ctrl+s")),
    ("mentor-overview-80x24.svg", "maya@demo.mentor-tui.dev", (80, 24), ()),
    ("mentor-sessions-80x24.svg", "maya@demo.mentor-tui.dev", (80, 24), ("f3", "ctrl+t")),
    ("mentor-students-80x24.svg", "maya@demo.mentor-tui.dev", (80, 24), ("f4",)),
    ("mentor-schedule-80x24.svg", "maya@demo.mentor-tui.dev", (80, 24), ("f5", "right_square_bracket")),
    ("student-calendar.svg", "sam@demo.mentor-tui.dev", (100, 32), ("f6",)),
    ("student-agenda.svg", "sam@demo.mentor-tui.dev", (100, 32), ("f6", "v")),
    ("student-calendar-80x24.svg", "sam@demo.mentor-tui.dev", (80, 24), ("f6",)),
    ("student-reschedule.svg", "sam@demo.mentor-tui.dev", (100, 32),
     ("f3", "down", "s", "ctrl+u", *"2026-11-26", "tab", "ctrl+u", *"09:00", "tab", *"Exam clash")),
    ("mentor-booking-rules.svg", "maya@demo.mentor-tui.dev", (120, 40), ("f6", *["tab"] * 16)),
    ("mentor-notes.svg", "maya@demo.mentor-tui.dev", (120, 40), ("f3", "ctrl+t", "ctrl+t", "ctrl+t", "w")),
]


async def _settle(app: MentorApp, pilot) -> None:
    for _ in range(3):
        await app.workers.wait_for_complete()
        await pilot.pause()


async def render(demo_db: Path, work: Path, login: str, size: tuple[int, int], keys: tuple[str, ...]) -> str:
    """The SVG of the app after ``keys``, signed in as ``login`` on a copy of ``demo_db``."""
    work.mkdir(parents=True)
    db_path = work / "mentor-tui.db"
    shutil.copyfile(demo_db, db_path)
    clock = FixedClock(NOW)
    repo = LocalRepository(db_path, work, clock)
    await repo.sign_in(login, DEMO_PASSWORD)  # remembered in ``work``, so the app opens signed in
    await repo.close()
    app = MentorApp(LocalRepository(db_path, work, clock), clock)
    async with app.run_test(size=size) as pilot:
        await _settle(app, pilot)
        for key in keys:
            await pilot.press(key)
            await _settle(app, pilot)
        return app.export_screenshot(title="mentor-tui")


def main(argv: list[str] | None = None) -> int:
    wanted = set(sys.argv[1:] if argv is None else argv)
    scenes = [scene for scene in SCENES if not wanted or scene[0] in wanted]
    unknown = wanted - {scene[0] for scene in SCENES}
    if unknown:
        print(f"No such scene: {', '.join(sorted(unknown))}", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as folder:
        demo_db = Path(folder) / "demo.db"
        seed_demo(demo_db, NOW)
        for index, (name, login, size, keys) in enumerate(scenes):
            svg = asyncio.run(render(demo_db, Path(folder) / str(index), login, size, keys))
            (HERE / name).write_text(svg, encoding="utf-8")
            print(f"wrote screenshots/{name}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
