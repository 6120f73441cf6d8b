"""A section's loads.

The first section that shows its data sets start-up's objects aside from the garbage
collector (gc.freeze), once per process, and not before a load has succeeded; whatever
the first load's end, the collector is on again after it (the command turned it off).

A section asked to load twice in a row runs the newer load only, and the older one,
replaced before it began, leaves nothing behind (no coroutine that was never awaited).
"""

from __future__ import annotations

import gc
import warnings
from dataclasses import dataclass

import pytest
from textual.app import App, ComposeResult

from mentor_tui import collector as collector_module
from mentor_tui.domain.errors import BackendUnavailable
from mentor_tui.widgets.pane import Pane
from pilot_support import settle


@dataclass
class Collector:
    """Stands in for the gc module: counts freezes, frozen objects as gc reports them."""

    freezes: int = 0
    frozen: int = 0
    enabled: bool = False
    """Off, as the command leaves it while the app starts."""

    def enable(self) -> None:
        self.enabled = True

    def freeze(self) -> None:
        self.freezes += 1
        self.frozen += 1000

    def get_freeze_count(self) -> int:
        return self.frozen


@pytest.fixture
def collector(monkeypatch) -> Collector:
    fake = Collector()
    monkeypatch.setattr(collector_module, "gc", fake)
    return fake


class Section(Pane):
    failing = False
    loads = 0

    async def load(self) -> None:
        self.loads += 1
        if self.failing:
            raise BackendUnavailable("down")


class Sections(App[None]):
    def compose(self) -> ComposeResult:
        yield Section(None, id="one")  # type: ignore[arg-type]  # these sections use no context
        yield Section(None, id="two")  # type: ignore[arg-type]


async def load(app: Sections, pilot, section_id: str) -> None:
    app.query_one(f"#{section_id}", Section).refresh_data()
    await app.workers.wait_for_complete()
    await pilot.pause()


async def test_start_up_is_frozen_once_when_a_section_first_shows_its_data(collector):
    app = Sections()
    async with app.run_test() as pilot:
        assert (collector.freezes, collector.enabled) == (0, False)
        await load(app, pilot, "one")
        assert (collector.freezes, collector.enabled) == (1, True)
        await load(app, pilot, "one")
        await load(app, pilot, "two")  # another section's first load: already done
        assert collector.freezes == 1


async def test_a_failed_first_load_freezes_nothing(collector):
    app = Sections()
    async with app.run_test() as pilot:
        app.query_one("#one", Section).failing = True
        await load(app, pilot, "one")
        assert (collector.freezes, collector.enabled) == (0, True)
        app.query_one("#one", Section).failing = False
        await load(app, pilot, "one")
        assert collector.freezes == 1


async def test_nothing_more_is_frozen_where_the_kiosk_server_froze_before_forking(collector):
    collector.frozen = 5000
    app = Sections()
    async with app.run_test() as pilot:
        await load(app, pilot, "one")
        assert collector.freezes == 0


@pytest.mark.usefixtures("collector")  # the loads' own gc.freeze stays out of this process
async def test_a_load_replaced_before_it_began_is_dropped_without_a_trace():
    app = Sections()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        async with app.run_test() as pilot:
            section = app.query_one("#one", Section)
            section.refresh_data()
            section.refresh_data()
            await settle(app, pilot)
            assert section.loads == 1
        del app, section, pilot
        gc.collect()
    assert [str(warning.message) for warning in caught] == []
