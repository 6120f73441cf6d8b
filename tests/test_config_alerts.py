"""How arrivals are announced: the config's three switches (true or false), and the
person's own choices in Settings, remembered on this machine and winning over the config."""

from __future__ import annotations

import os
import stat

import pytest
import student_support
from student_support import SIZE, settle, signed_in_app
from textual.widgets import Switch

from mentor_tui import alert_choices
from mentor_tui.alert_choices import AlertChoices
from mentor_tui.config import ConfigError, config_file, load_settings

world, world_template = student_support.world, student_support.world_template  # the fixtures


def write_config(text: str):
    path = config_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_every_switch_is_on_by_default():
    settings = load_settings(environ={})
    assert (settings.notify_toast, settings.notify_bell, settings.notify_terminal) == (True, True, True)
    assert alert_choices.configured(settings) == AlertChoices()
    assert alert_choices.configured(None) == AlertChoices()


def test_the_file_switches_each_off():
    write_config("notify_bell = false\nnotify_terminal = false\n")
    settings = load_settings(environ={})
    assert alert_choices.configured(settings) == AlertChoices(toast=True, bell=False, terminal=False)


@pytest.mark.parametrize(
    ("line", "kind"),
    [('notify_bell = "false"', "text in quotes"), ("notify_toast = 0", "a number"), ("notify_terminal = []", "a list")],
)
def test_a_switch_that_is_not_true_or_false_is_one_sentence(line, kind):
    path = write_config(line + "\n")
    key = line.split(" ")[0]
    with pytest.raises(ConfigError) as caught:
        load_settings(environ={})
    assert str(caught.value) == f"In {path}, {key} must be true or false (without quotes: {key} = false), not {kind}."
    assert "\n" not in str(caught.value)


def test_text_settings_still_refuse_true_or_false():
    path = write_config("db = true\n")
    with pytest.raises(ConfigError) as caught:
        load_settings(environ={})
    assert str(caught.value) == f'In {path}, db must be text in quotes (db = "..."), not true or false.'


def test_a_persons_choices_win_over_the_config_and_are_private():
    write_config("notify_bell = false\n")
    settings = load_settings(environ={})
    assert alert_choices.load(settings, "person-1") == AlertChoices(bell=False)
    alert_choices.save(settings, "person-1", AlertChoices(toast=False, bell=True, terminal=True))
    assert alert_choices.load(settings, "person-1") == AlertChoices(toast=False, bell=True, terminal=True)
    assert alert_choices.load(settings, "person-2") == AlertChoices(bell=False)  # someone else on this machine
    path = alert_choices.choices_file(settings, "person-1")
    assert path.parent == settings.state_dir
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600


def test_a_stored_id_never_names_a_path_and_a_broken_file_counts_as_unset():
    settings = load_settings(environ={})
    path = alert_choices.choices_file(settings, "../../etc/passwd")
    assert path.parent == settings.state_dir and "/" not in path.name.replace(".json", "")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text('{"toast": "no", "bell": false, "surprise": true}', encoding="utf-8")
    assert alert_choices.load(settings, "../../etc/passwd") == AlertChoices(bell=False)  # only well-formed values
    path.write_text("not json", encoding="utf-8")
    assert alert_choices.load(settings, "../../etc/passwd") == AlertChoices()


async def test_the_settings_switches_take_effect_at_once_and_are_remembered(world, clock):
    app = await signed_in_app(world, clock, "sam")
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("f4")
        await settle(app, pilot)
        bell = app.screen.query_one("#alert-bell", Switch)
        assert bell.value is True and app._alerts == AlertChoices()
        bell.scroll_visible(animate=False)
        bell.focus()
        await pilot.press("enter")  # a switch toggles with Enter or space
        await settle(app, pilot)
        assert bell.value is False
        assert app._alerts == AlertChoices(bell=False)  # the app uses it from now on
    assert alert_choices.load(None, world.people["sam"].id) == AlertChoices(bell=False)

    # The next run starts with it, in Settings and in the app.
    again = await signed_in_app(world, clock, "sam")
    async with again.run_test(size=SIZE) as pilot:
        await settle(again, pilot)
        assert again._alerts == AlertChoices(bell=False)
        await pilot.press("f4")
        await settle(again, pilot)
        assert again.screen.query_one("#alert-bell", Switch).value is False
        assert again.screen.query_one("#alert-toast", Switch).value is True
