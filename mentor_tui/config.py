"""Settings, from lowest to highest precedence: defaults, ``config.toml`` in the
config folder, environment variables, command-line flags."""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from . import paths

Backend = Literal["local", "supabase"]
BACKENDS: tuple[Backend, ...] = ("local", "supabase")

# config.toml key -> environment variable
ENVIRONMENT = {
    "backend": "MENTOR_TUI_BACKEND",
    "db": "MENTOR_TUI_DB",
    "supabase_url": "SUPABASE_URL",
    "supabase_anon_key": "SUPABASE_ANON_KEY",
}


class ConfigError(Exception):
    """A setting is missing or wrong; the message says which and how to fix it."""


@dataclass(frozen=True)
class Settings:
    backend: Backend
    db_path: Path
    state_dir: Path
    supabase_url: str | None = None
    supabase_anon_key: str | None = None
    demo: bool = False


def config_file() -> Path:
    return paths.config_dir() / "config.toml"


def _read_config_file(path: Path) -> dict[str, str]:
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"Cannot read {path}: {exc}") from exc
    unknown = set(raw) - set(ENVIRONMENT)
    if unknown:
        raise ConfigError(f"Unknown setting(s) in {path}: {', '.join(sorted(unknown))}")
    return {key: str(value) for key, value in raw.items()}


def load_settings(
    *, backend: str | None = None, db: str | None = None, demo: bool = False, environ: dict[str, str] | None = None
) -> Settings:
    """Merge every source; flags are the keyword arguments (None: not given)."""
    environ = os.environ if environ is None else environ
    values = _read_config_file(config_file())
    values.update({key: environ[var] for key, var in ENVIRONMENT.items() if environ.get(var)})
    if backend:
        values["backend"] = backend
    if db:
        values["db"] = db

    url, key = values.get("supabase_url"), values.get("supabase_anon_key")
    chosen = values.get("backend") or ("supabase" if url and key else "local")
    if chosen not in BACKENDS:
        raise ConfigError(f"Unknown backend {chosen!r}: use one of {', '.join(BACKENDS)}.")
    if chosen == "supabase":
        missing = [name for name, value in (("SUPABASE_URL", url), ("SUPABASE_ANON_KEY", key)) if not value]
        if missing:
            raise ConfigError(
                f"The Supabase backend needs {' and '.join(missing)}: set them in the environment "
                f"or as supabase_url / supabase_anon_key in {config_file()}."
            )
        if demo:
            raise ConfigError("--demo fills the embedded database; it does not apply to Supabase.")
    return Settings(
        backend=chosen,
        db_path=Path(values["db"]).expanduser() if values.get("db") else paths.default_db_path(),
        state_dir=paths.state_dir(),
        supabase_url=url,
        supabase_anon_key=key,
        demo=demo,
    )


__all__ = ["BACKENDS", "ConfigError", "Settings", "config_file", "load_settings"]
