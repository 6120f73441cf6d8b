"""Settings, from lowest to highest precedence: defaults, ``config.toml`` in the
config folder, environment variables, command-line flags.

Every mistake in them is a ``ConfigError`` whose message is one sentence naming
the setting and where it came from; nothing is written before they are all read.
"""

from __future__ import annotations

import base64
import binascii
import json
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from . import paths
from .files import UnsafePath, private_dir, read_regular

Backend = Literal["local", "supabase"]
BACKENDS: tuple[Backend, ...] = ("local", "supabase")

# Each setting, and where it may come from. When one source holds several names for
# the same setting, the first one set wins: the publishable key is Supabase's current
# name for what older projects call the anon key.
CONFIG_KEYS: dict[str, tuple[str, ...]] = {
    "backend": ("backend",),
    "db": ("db",),
    "supabase_url": ("supabase_url",),
    "supabase_key": ("supabase_publishable_key", "supabase_anon_key"),
}
ENVIRONMENT: dict[str, tuple[str, ...]] = {
    "backend": ("MENTOR_TUI_BACKEND",),
    "db": ("MENTOR_TUI_DB",),
    "supabase_url": ("SUPABASE_URL",),
    "supabase_key": ("SUPABASE_PUBLISHABLE_KEY", "SUPABASE_KEY", "SUPABASE_ANON_KEY"),
}
SWITCHES: tuple[str, ...] = ("notify_toast", "notify_bell", "notify_terminal")
"""Settings that are true or false, given only in the config file: how a notification that
arrives while the app is open is announced (Settings can switch each off for one person)."""
MAX_CONFIG_BYTES = 64 * 1024


class ConfigError(Exception):
    """A setting is missing or wrong; the message says which and how to fix it."""


@dataclass(frozen=True)
class Settings:
    backend: Backend
    db_path: Path
    state_dir: Path
    supabase_url: str | None = None
    supabase_key: str | None = None
    """The project's publishable (or legacy anon) key; never a secret one."""
    demo: bool = False
    notify_toast: bool = True
    notify_bell: bool = True
    notify_terminal: bool = True
    """A terminal notification (OSC 9 / 777) where the terminal is known to show one."""


def config_file() -> Path:
    return paths.config_dir() / "config.toml"


def _read_config_file(path: Path) -> dict[str, str | bool]:
    """The file's settings by their config key, each checked to be known and of its kind
    (text, or true/false for the switches)."""
    try:
        data = read_regular(path, MAX_CONFIG_BYTES, follow_symlinks=True)  # a FIFO must not hang start-up
    except FileNotFoundError:
        return {}
    except UnsafePath as exc:
        raise ConfigError(str(exc)) from None
    except OSError as exc:
        raise ConfigError(f"Cannot read {path}: {exc.strerror}.") from None
    import tomllib  # only when there is a file: most starts have none

    try:
        raw = tomllib.loads(data.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{path} is not UTF-8 text (byte {exc.start + 1}); save it as UTF-8.") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path} is not valid TOML: {exc}.") from None
    unknown = set(raw) - {key for keys in CONFIG_KEYS.values() for key in keys} - set(SWITCHES)
    if unknown:
        raise ConfigError(f"Unknown setting(s) in {path}: {', '.join(sorted(unknown))}")
    for key, value in raw.items():
        if key in SWITCHES:
            if not isinstance(value, bool):
                raise ConfigError(
                    f"In {path}, {key} must be true or false (without quotes: {key} = false), not {_toml_kind(value)}."
                )
        elif not isinstance(value, str):
            raise ConfigError(f'In {path}, {key} must be text in quotes ({key} = "..."), not {_toml_kind(value)}.')
    return raw


def _toml_kind(value: object) -> str:
    if isinstance(value, str):
        return "text in quotes"
    if isinstance(value, bool):
        return "true or false"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a table"
    return "a date or time"


def load_settings(
    *, backend: str | None = None, db: str | None = None, demo: bool = False, environ: Mapping[str, str] | None = None
) -> Settings:
    """Merge every source; flags are the keyword arguments (None: not given). Reads, never writes."""
    environ = os.environ if environ is None else environ
    in_file = _read_config_file(config_file())
    # setting -> every (source, value) given for it, the one that wins first
    given: dict[str, list[tuple[str, str]]] = {setting: [] for setting in CONFIG_KEYS}
    if backend:
        given["backend"].append(("--backend", backend))
    if db:
        given["db"].append(("--db", db))
    for setting in CONFIG_KEYS:
        given[setting] += [(name, environ[name]) for name in ENVIRONMENT[setting] if environ.get(name)]
        given[setting] += [(key, text) for key in CONFIG_KEYS[setting] if isinstance(text := in_file.get(key), str) and text]
    values = {setting: sources[0][1] for setting, sources in given.items() if sources}

    url, key = values.get("supabase_url"), values.get("supabase_key")
    chosen = values.get("backend") or ("supabase" if url and key else "local")
    if chosen not in BACKENDS:
        raise ConfigError(f"Unknown backend {chosen!r}: use one of {', '.join(BACKENDS)}.")
    if chosen == "supabase":
        missing = [name for name, value in (("SUPABASE_URL", url), ("SUPABASE_PUBLISHABLE_KEY", key)) if not value]
        if missing:
            raise ConfigError(
                f"The Supabase backend needs {' and '.join(missing)} (or the legacy SUPABASE_ANON_KEY): "
                f"set them in the environment or as supabase_url / supabase_publishable_key in {config_file()}."
            )
        _refuse_secret_keys(given["supabase_key"])
        if demo:
            raise ConfigError("--demo fills the embedded database; it does not apply to Supabase.")

    db_path = paths.default_db_path()
    if given["db"]:
        source, value = given["db"][0]
        db_path = Path(value).expanduser()
        if chosen == "local":
            _check_db_folder(db_path, source)
    return Settings(
        backend=chosen,
        db_path=db_path,
        state_dir=paths.state_dir(),
        supabase_url=url,
        supabase_key=key,
        demo=demo,
        notify_toast=_switch(in_file, "notify_toast"),
        notify_bell=_switch(in_file, "notify_bell"),
        notify_terminal=_switch(in_file, "notify_terminal"),
    )


def _switch(in_file: Mapping[str, str | bool], name: str) -> bool:
    """A switch as the file sets it; on when it does not."""
    value = in_file.get(name, True)
    return value if isinstance(value, bool) else True


def _check_db_folder(db_path: Path, source: str) -> None:
    """A database the person named goes into a folder they made: it is never created here."""
    folder = db_path.parent
    if folder.is_dir():
        return
    if folder.exists() or folder.is_symlink():
        raise ConfigError(f"The database {db_path} ({source}) cannot be made: {folder} is not a folder.")
    raise ConfigError(f"The folder of the database {db_path} ({source}) does not exist; create {folder} first.")


# --- Supabase keys -----------------------------------------------------------------

def _refuse_secret_keys(keys: list[tuple[str, str]]) -> None:
    """A key that bypasses row-level security must never sit on a person's terminal,
    wherever it was given (the message names where, never the key)."""
    for source, value in keys:
        kind = secret_key_kind(value)
        if kind is not None:
            raise ConfigError(
                f"{source} is {kind}, which bypasses every access rule: mentor-tui must never hold it. "
                "Use the project's publishable key (sb_publishable_...) or its anon key."
            )


def secret_key_kind(key: str) -> str | None:
    """What kind of secret ``key`` is (for a message), or None for a key a client may hold."""
    key = key.strip()
    if key.startswith("sb_secret_"):
        return "a secret key (sb_secret_...)"
    if _jwt_role(key) == "service_role":
        return "the service_role key (a JWT whose role is service_role)"
    return None


def _jwt_role(token: str) -> str | None:
    """The ``role`` claim of a JWT, read without checking its signature (only to refuse it)."""
    parts = token.split(".")
    if len(parts) != 3:
        return None
    payload = parts[1]
    try:
        claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    except (binascii.Error, ValueError):
        return None
    role = claims.get("role") if isinstance(claims, dict) else None
    return role if isinstance(role, str) else None


# --- folders -------------------------------------------------------------------------

def prepare_folders(settings: Settings, *, create: bool = True) -> None:
    """Make sure every folder the run writes into is private: the state folder, and the
    data folder when the embedded database lives there. Every existing one is checked
    before any missing one is created (with ``create``), so a refusal leaves nothing behind.

    Raises UnsafePath for a folder that is not a folder, belongs to someone else or
    that others can write into.
    """
    folders = [settings.state_dir]
    if settings.backend == "local" and settings.db_path.parent == paths.data_dir():
        folders.append(settings.db_path.parent)
    for folder in folders:
        if os.path.lexists(folder):
            private_dir(folder)
    if create:
        for folder in folders:
            private_dir(folder)


__all__ = [
    "BACKENDS",
    "SWITCHES",
    "ConfigError",
    "Settings",
    "config_file",
    "load_settings",
    "prepare_folders",
    "secret_key_kind",
]
