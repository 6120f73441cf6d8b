"""The application layer between the screens and storage (see ARCHITECTURE.md).

Nothing heavy is imported here: the domain's models (pydantic) load when a service
first runs, after the first frame is on the terminal.
"""

from .core import Services

__all__ = ["Services"]
