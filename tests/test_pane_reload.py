"""A section asked to load twice in a row runs the newer load only, and the older one,
replaced before it began, leaves nothing behind (no coroutine that was never awaited)."""

from __future__ import annotations

import gc
import warnings

from textual.app import App, ComposeResult

from mentor_tui.widgets.pane import Pane
from pilot_support import settle


class Section(Pane):
    loads = 0

    async def load(self) -> None:
        self.loads += 1


class Sections(App[None]):
    def compose(self) -> ComposeResult:
        yield Section(None)  # type: ignore[arg-type]  # this section uses no context


async def test_a_load_replaced_before_it_began_is_dropped_without_a_trace():
    app = Sections()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        async with app.run_test() as pilot:
            section = app.query_one(Section)
            section.refresh_data()
            section.refresh_data()
            await settle(app, pilot)
            assert section.loads == 1
        del app, section, pilot
        gc.collect()
    assert [str(warning.message) for warning in caught] == []
