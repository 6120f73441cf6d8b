"""Settings: defaults < config.toml < environment < flags; the backend chosen; clear errors."""

from __future__ import annotations

from pathlib import Path

import platformdirs
import pytest

from mentor_tui import paths
from mentor_tui.config import ConfigError, config_file, load_settings, prepare_folders, secret_key_kind
from mentor_tui.files import UnsafePath

URL = "https://project.supabase.co"
KEY = "anon-key"


def write_config(text: str) -> Path:
    path = config_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_defaults_use_the_folders_of_the_platform(monkeypatch):
    for name in ("DATA", "STATE", "CONFIG"):
        monkeypatch.delenv(f"MENTOR_TUI_{name}_DIR")
    monkeypatch.delenv("SSH_CONNECTION", raising=False)  # the kiosk keeps state per connection
    settings = load_settings(environ={})
    assert settings.backend == "local"
    assert settings.db_path == platformdirs.user_data_path("mentor-tui", appauthor=False) / "mentor-tui.db"
    assert settings.state_dir == platformdirs.user_state_path("mentor-tui", appauthor=False)
    assert config_file() == platformdirs.user_config_path("mentor-tui", appauthor=False) / "config.toml"
    assert settings.supabase_url is None and settings.supabase_key is None
    assert settings.demo is False


def test_the_folder_variables_move_every_file(isolated_dirs):
    settings = load_settings()
    assert settings.db_path == isolated_dirs / "data" / "mentor-tui.db"
    assert settings.state_dir == isolated_dirs / "state"
    assert config_file() == isolated_dirs / "config" / "config.toml"
    assert paths.default_db_path() == settings.db_path


def test_each_source_overrides_the_one_before(tmp_path):
    write_config(f'db = "{tmp_path / "from-file.db"}"\n')
    assert load_settings(environ={}).db_path == tmp_path / "from-file.db"

    environ = {"MENTOR_TUI_DB": str(tmp_path / "from-env.db")}
    assert load_settings(environ=environ).db_path == tmp_path / "from-env.db"

    flagged = load_settings(db=str(tmp_path / "from-flag.db"), environ=environ)
    assert flagged.db_path == tmp_path / "from-flag.db"


def test_the_backend_follows_the_same_order():
    write_config(f'backend = "supabase"\nsupabase_url = "{URL}"\nsupabase_anon_key = "{KEY}"\n')
    assert load_settings(environ={}).backend == "supabase"
    assert load_settings(environ={"MENTOR_TUI_BACKEND": "local"}).backend == "local"
    assert load_settings(backend="supabase", environ={"MENTOR_TUI_BACKEND": "local"}).backend == "supabase"


def test_a_database_path_may_start_with_the_home_folder(monkeypatch, tmp_path):
    monkeypatch.setenv("HOME", str(tmp_path))
    assert load_settings(db="~/mentor.db", environ={}).db_path == tmp_path / "mentor.db"


@pytest.mark.parametrize("source", ["environment", "config file"])
def test_supabase_is_chosen_when_both_of_its_settings_are_there(source):
    environ = {}
    if source == "environment":
        environ = {"SUPABASE_URL": URL, "SUPABASE_ANON_KEY": KEY}
    else:
        write_config(f'supabase_url = "{URL}"\nsupabase_anon_key = "{KEY}"\n')
    settings = load_settings(environ=environ)
    assert (settings.backend, settings.supabase_url, settings.supabase_key) == ("supabase", URL, KEY)


def test_the_two_supabase_settings_may_come_from_different_sources():
    write_config(f'supabase_url = "{URL}"\n')
    assert load_settings(environ={"SUPABASE_ANON_KEY": KEY}).backend == "supabase"


def test_half_the_supabase_settings_keeps_the_embedded_database():
    assert load_settings(environ={"SUPABASE_URL": URL}).backend == "local"


def test_the_local_flag_wins_over_supabase_settings():
    settings = load_settings(backend="local", environ={"SUPABASE_URL": URL, "SUPABASE_ANON_KEY": KEY})
    assert settings.backend == "local"


def test_an_empty_environment_variable_counts_as_unset(tmp_path):
    write_config(f'db = "{tmp_path / "from-file.db"}"\n')
    assert load_settings(environ={"MENTOR_TUI_DB": ""}).db_path == tmp_path / "from-file.db"


def test_supabase_without_its_key_names_what_is_missing_and_where_to_set_it():
    with pytest.raises(ConfigError) as caught:
        load_settings(backend="supabase", environ={"SUPABASE_URL": URL})
    message = str(caught.value)
    assert message.startswith("The Supabase backend needs SUPABASE_PUBLISHABLE_KEY (or the legacy SUPABASE_ANON_KEY):")
    assert str(config_file()) in message


def test_supabase_without_either_setting_names_both():
    with pytest.raises(ConfigError, match="SUPABASE_URL and SUPABASE_PUBLISHABLE_KEY"):
        load_settings(environ={"MENTOR_TUI_BACKEND": "supabase"})


def test_an_unknown_backend_is_refused_with_the_choices():
    with pytest.raises(ConfigError, match=r"Unknown backend 'sqlite': use one of local, supabase"):
        load_settings(environ={"MENTOR_TUI_BACKEND": "sqlite"})


def test_an_unknown_setting_in_the_file_is_named():
    path = write_config('backend = "local"\ndatabase = "x.db"\n')
    with pytest.raises(ConfigError, match=f"Unknown setting.*in {path}: database"):
        load_settings(environ={})


def test_a_broken_config_file_is_reported_with_its_path():
    path = write_config('backend = "local\n')
    with pytest.raises(ConfigError, match=f"{path} is not valid TOML: .*line 1"):
        load_settings(environ={})


def test_demo_data_is_only_for_the_embedded_database():
    with pytest.raises(ConfigError, match="--demo"):
        load_settings(demo=True, environ={"SUPABASE_URL": URL, "SUPABASE_ANON_KEY": KEY})
    assert load_settings(demo=True, environ={}).demo is True


async def test_the_factory_builds_the_embedded_backend_on_first_use(clock, tmp_path):
    from mentor_tui.repository.factory import open_repository
    from mentor_tui.repository.local import LocalRepository
    from mentor_tui.services import Services

    repo = open_repository(load_settings(db=str(tmp_path / "x.db"), environ={}), clock)
    services = Services(repo, clock)
    assert repo.name == "local" and services.me is None
    assert await services.restore() is None
    backend = await repo.backend()
    assert isinstance(backend, LocalRepository) and backend.db_path == tmp_path / "x.db"

    profile = await services.sign_up("sam@example.org", "long enough", "Sam Rivera", "student")
    assert services.me == profile
    assert await repo.backend() is backend
    await services.close()


def test_the_factory_builds_supabase_without_touching_the_network(clock):
    from mentor_tui.repository import supabase
    from mentor_tui.repository.factory import build_repository, open_repository

    settings = load_settings(environ={"SUPABASE_URL": URL, "SUPABASE_ANON_KEY": KEY})
    assert open_repository(settings, clock).name == "supabase"
    assert isinstance(build_repository(settings, clock), supabase.SupabaseRepository)


# --- config mistakes ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "kind"),
    [("db = 5", "a number"), ("backend = true", "true or false"), ("supabase_url = ['x']", "a list")],
)
def test_a_value_that_is_not_text_is_named_with_its_kind(line, kind):
    path = write_config(line + "\n")
    key = line.split(" ")[0]
    with pytest.raises(ConfigError) as caught:
        load_settings(environ={})
    assert str(caught.value) == f'In {path}, {key} must be text in quotes ({key} = "..."), not {kind}.'


def test_a_config_file_that_is_not_utf8_is_one_sentence():
    path = config_file()
    path.parent.mkdir(parents=True)
    path.write_bytes(b'db = "caf\xe9.db"\n')
    with pytest.raises(ConfigError, match=rf"^{path} is not UTF-8 text \(byte 10\); save it as UTF-8\.$"):
        load_settings(environ={})


def test_a_config_file_that_is_a_fifo_is_refused_without_blocking():
    import os

    path = config_file()
    path.parent.mkdir(parents=True)
    os.mkfifo(path)
    with pytest.raises(ConfigError, match="is a FIFO, not a regular file"):
        load_settings(environ={})


def test_a_symlinked_config_file_is_read(tmp_path):
    # config.toml holds no secret; dotfile managers link it from elsewhere.
    target = tmp_path / "dotfiles" / "config.toml"
    target.parent.mkdir()
    target.write_text('backend = "local"\ndb = "/srv/x.db"\n')
    config_file().parent.mkdir(parents=True)
    config_file().symlink_to(target)
    assert load_settings(backend="supabase", environ={"SUPABASE_URL": URL, "SUPABASE_KEY": KEY}).db_path == Path(
        "/srv/x.db"
    )


def test_a_database_in_a_missing_folder_is_refused_and_not_created(tmp_path):
    with pytest.raises(ConfigError) as caught:
        load_settings(db=str(tmp_path / "nowhere" / "x.db"), environ={})
    assert str(caught.value) == (
        f"The folder of the database {tmp_path / 'nowhere' / 'x.db'} (--db) does not exist; "
        f"create {tmp_path / 'nowhere'} first."
    )
    assert not (tmp_path / "nowhere").exists()


def test_a_database_folder_that_is_a_file_is_named_with_its_source(tmp_path):
    (tmp_path / "file").write_text("")
    with pytest.raises(ConfigError, match=r"\(MENTOR_TUI_DB\) cannot be made: .*file is not a folder"):
        load_settings(environ={"MENTOR_TUI_DB": str(tmp_path / "file" / "x.db")})


def test_the_database_folder_does_not_matter_for_supabase(tmp_path):
    settings = load_settings(db=str(tmp_path / "nowhere" / "x.db"), environ={"SUPABASE_URL": URL, "SUPABASE_KEY": KEY})
    assert settings.backend == "supabase"


# --- Supabase keys ---------------------------------------------------------------------

PUBLISHABLE = "sb_publishable_abc123"


def jwt(claims: dict) -> str:
    import base64
    import json

    def part(data: dict) -> str:
        return base64.urlsafe_b64encode(json.dumps(data).encode()).decode().rstrip("=")

    return f"{part({'alg': 'HS256', 'typ': 'JWT'})}.{part(claims)}.c2lnbmF0dXJl"


ANON_JWT = jwt({"iss": "supabase", "ref": "project", "role": "anon"})
SERVICE_JWT = jwt({"iss": "supabase", "ref": "project", "role": "service_role"})


@pytest.mark.parametrize("name", ["SUPABASE_PUBLISHABLE_KEY", "SUPABASE_KEY", "SUPABASE_ANON_KEY"])
def test_each_key_variable_is_accepted(name):
    settings = load_settings(environ={"SUPABASE_URL": URL, name: PUBLISHABLE})
    assert (settings.backend, settings.supabase_key) == ("supabase", PUBLISHABLE)


def test_the_publishable_key_wins_then_supabase_key_then_the_anon_key():
    environ = {"SUPABASE_URL": URL, "SUPABASE_ANON_KEY": ANON_JWT, "SUPABASE_KEY": "sb_publishable_second"}
    assert load_settings(environ=environ).supabase_key == "sb_publishable_second"
    environ["SUPABASE_PUBLISHABLE_KEY"] = PUBLISHABLE
    assert load_settings(environ=environ).supabase_key == PUBLISHABLE


def test_in_the_file_the_publishable_key_wins_and_the_environment_wins_over_the_file():
    write_config(
        f'supabase_url = "{URL}"\nsupabase_anon_key = "{ANON_JWT}"\nsupabase_publishable_key = "{PUBLISHABLE}"\n'
    )
    assert load_settings(environ={}).supabase_key == PUBLISHABLE
    assert load_settings(environ={"SUPABASE_ANON_KEY": "from-env"}).supabase_key == "from-env"


@pytest.mark.parametrize(
    ("name", "key", "kind"),
    [
        ("SUPABASE_PUBLISHABLE_KEY", "sb_secret_abc123", "a secret key (sb_secret_...)"),
        ("SUPABASE_KEY", " sb_secret_abc123\n", "a secret key (sb_secret_...)"),
        ("SUPABASE_ANON_KEY", SERVICE_JWT, "the service_role key (a JWT whose role is service_role)"),
    ],
)
def test_a_secret_key_is_refused_without_repeating_it(name, key, kind):
    with pytest.raises(ConfigError) as caught:
        load_settings(environ={"SUPABASE_URL": URL, name: key})
    message = str(caught.value)
    assert message.startswith(f"{name} is {kind}, which bypasses every access rule")
    assert "Use the project's publishable key (sb_publishable_...)" in message
    assert key.strip() not in message and "\n" not in message


def test_a_secret_key_is_refused_even_where_another_key_wins():
    write_config(f'supabase_url = "{URL}"\nsupabase_anon_key = "{SERVICE_JWT}"\n')
    with pytest.raises(ConfigError, match="^supabase_anon_key is the service_role key"):
        load_settings(environ={"SUPABASE_PUBLISHABLE_KEY": PUBLISHABLE})


@pytest.mark.parametrize("key", [ANON_JWT, PUBLISHABLE, "eyJ.not-base64!.x", "a.b.c", jwt({"role": 5})])
def test_keys_a_client_may_hold_are_not_secret(key):
    assert secret_key_kind(key) is None


def test_the_embedded_backend_ignores_supabase_keys():
    settings = load_settings(backend="local", environ={"SUPABASE_URL": URL, "SUPABASE_KEY": "sb_secret_x"})
    assert settings.backend == "local"


# --- folders ---------------------------------------------------------------------------


def test_prepare_folders_makes_the_state_and_data_folders_private(isolated_dirs):
    import stat

    settings = load_settings(environ={})
    prepare_folders(settings)
    for folder in (isolated_dirs / "state", isolated_dirs / "data"):
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700


def test_prepare_folders_leaves_a_database_folder_the_person_chose_alone(isolated_dirs, tmp_path):
    (tmp_path / "mine").mkdir(mode=0o755)
    prepare_folders(load_settings(db=str(tmp_path / "mine" / "x.db"), environ={}))
    assert not (isolated_dirs / "data").exists()


def test_prepare_folders_refuses_before_creating_anything(isolated_dirs):
    (isolated_dirs / "data").mkdir()
    (isolated_dirs / "data").chmod(0o777)
    with pytest.raises(UnsafePath, match="data can be written by other users; refusing to use it"):
        prepare_folders(load_settings(environ={}))
    assert not (isolated_dirs / "state").exists()
