"""How a failed worker reaches the app's one error handler, without patching Textual.

Textual tells only the node that started a worker how it ended. Every node that runs
workers (panes, screens, dialogs) mixes in :class:`ReportsFailures`, which passes a
failure up as :class:`WorkerFailed`; that message bubbles to the app, where
``MentorApp.on_worker_failed`` turns it into the one kind of notification.
"""

from __future__ import annotations

from textual.message import Message
from textual.worker import Worker, WorkerState


class WorkerFailed(Message, bubble=True):
    def __init__(self, worker: Worker[object]) -> None:
        super().__init__()
        self.worker = worker
        self.error = worker.error


class ReportsFailures:
    """Mix into a Textual node (before the widget class) whose workers may fail."""

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state is WorkerState.ERROR:
            self.post_message(WorkerFailed(event.worker))  # type: ignore[attr-defined]


__all__ = ["ReportsFailures", "WorkerFailed"]
