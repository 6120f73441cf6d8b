"""A demo account, as the command line prints it and the sign-in screen offers it.

Kept apart from ``models`` so the sign-in screen can be given these without loading pydantic.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .models import Role


@dataclass(frozen=True)
class DemoLogin:
    email: str
    full_name: str
    role: Role


__all__ = ["DemoLogin"]
