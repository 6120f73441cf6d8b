"""What every screen and pane is given, instead of looking things up on the app."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from zoneinfo import ZoneInfo

    from .clock import Clock
    from .config import Settings
    from .domain.demo_login import DemoLogin
    from .domain.models import Profile
    from .services import Services


@dataclass(frozen=True)
class AppContext:
    services: Services
    clock: Clock
    settings: Settings | None = None
    demo_logins: tuple[DemoLogin, ...] = ()
    demo_password: str = ""

    @property
    def me(self) -> Profile:
        """The signed-in person (screens below sign-in exist only while there is one)."""
        return self.services.person()

    @property
    def zone(self) -> ZoneInfo:
        """The zone times are shown in: the signed-in person's, else UTC (never the machine's)."""
        from zoneinfo import ZoneInfo

        me = self.services.me
        return me.zone if me is not None else ZoneInfo("UTC")


__all__ = ["AppContext"]
