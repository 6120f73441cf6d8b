"""Mistakes on ``mentor-tui serve-ssh``'s command line: one line on stderr and exit code 2."""

from __future__ import annotations

import subprocess
import sys

import pytest

from mentor_tui.kiosk.limits import parse_size
from mentor_tui.kiosk.server import _term_size


@pytest.mark.parametrize("mistake", [
    ["--port", "99999"], ["--port", "-1"], ["--session-memory", "lots"], ["--session-memory", "512"],
    ["--session-memory", "-1G"], ["--max-sessions", "-3"], ["--idle-timeout", "0"],
    ["--db", "/nonexistent-folder/kiosk.db"],
])
def test_a_bad_value_is_one_line_and_exit_2(mistake, tmp_path):
    run = subprocess.run([sys.executable, "-m", "mentor_tui", "serve-ssh", "--state-dir", str(tmp_path / "state"),
                          *mistake], capture_output=True, text=True, timeout=60, check=False)
    assert run.returncode == 2
    assert len(run.stderr.splitlines()) == 1 and "Traceback" not in run.stderr
    assert run.stderr.startswith("mentor-tui serve-ssh: ")
    assert not (tmp_path / "state").exists()


def test_a_state_folder_that_is_a_file_is_one_line_and_exit_2(tmp_path):
    (tmp_path / "state").write_text("not a folder")
    run = subprocess.run([sys.executable, "-m", "mentor_tui", "serve-ssh", "--port", "0", "--state-dir",
                          str(tmp_path / "state"), "--db", str(tmp_path / "kiosk.db")],
                         capture_output=True, text=True, timeout=60, check=False)
    assert run.returncode == 2
    assert len(run.stderr.splitlines()) == 1 and "refusing to use it" in run.stderr
    assert not (tmp_path / "kiosk.db").exists()


@pytest.mark.parametrize(("text", "size"), [("512M", 512 * 2**20), ("1G", 2**30), ("1.5GiB", 3 * 2**29),
                                            ("768mb", 768 * 2**20), ("64K", 65536)])
def test_sizes_read_as_people_write_them(text, size):
    assert parse_size(text) == size


@pytest.mark.parametrize(("asked", "given"), [
    ((10000, 10000, 90000, 90000), (500, 200, 0, 0)),
    ((80, 24, 640, 480), (80, 24, 640, 480)),
    ((80, 24, 99999, 480), (80, 24, 0, 0)),  # not believable: not passed on
    ((600, 24, 4800, 480), (500, 24, 0, 0)),  # cut: the pixels no longer match the cells
    ((0, 0, 0, 0), (80, 24, 0, 0)),
])
def test_a_terminal_size_is_kept_within_500x200(asked, given):
    size = _term_size(*asked)
    assert (size.cols, size.rows, size.xpixels, size.ypixels) == given
