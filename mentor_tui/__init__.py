"""mentor-tui: find mentors, book sessions and run them from the terminal."""

__version__ = "0.1.0"
