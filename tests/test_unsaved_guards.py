"""Work is never lost by leaving: quitting, signing out and changing section ask first; Esc goes back one step."""

from __future__ import annotations

import pytest
from shell_support import SIZE, settle, signed_in_app
from textual.app import ComposeResult
from textual.widgets import DataTable, Input, TabbedContent

from mentor_tui import navigation
from mentor_tui.domain.models import Role
from mentor_tui.screens.home import HomeScreen
from mentor_tui.screens.settings import SettingsPane
from mentor_tui.screens.sign_in import SignInScreen
from mentor_tui.widgets.dialog import ConfirmDialog, Dialog
from mentor_tui.widgets.pane import Pane
from mentor_tui.widgets.unsaved import DiscardQuestion, HoldsWork
from pilot_support import paste


class DraftPane(Pane):
    """The smallest section holding work: a note is unsaved while it is not empty; it has a list too."""

    work_title = "the draft"

    def compose(self) -> ComposeResult:
        yield Input(id="draft")
        yield DataTable(id="drafts")

    async def load(self) -> None:
        table = self.query_one(DataTable)
        if not table.columns:
            table.add_column("Draft")
            table.add_row("first")

    def unsaved_changes(self) -> bool:
        return bool(self.query_one("#draft", Input).value)


class OtherPane(Pane):
    async def load(self) -> None:
        pass


class DraftDialog(Dialog[None]):
    work_title = "the dialog's note"

    def fields(self) -> ComposeResult:
        yield Input(id="note")

    def unsaved_changes(self) -> bool:
        return bool(self.query_one("#note", Input).value)


@pytest.fixture
def draft_sections(monkeypatch):
    monkeypatch.setitem(
        navigation.NAVIGATION,
        "student",
        (
            navigation.NavItem("drafting", "Drafting", lambda: DraftPane),
            navigation.NavItem("other", "Other", lambda: OtherPane),
        ),
    )


async def start_drafting(clock, pilot, text: str = "half a thought") -> Input:
    """Signed in on the draft section, with ``text`` typed into its box."""
    app = pilot.app
    await settle(app, pilot)
    box = app.screen.query_one("#draft", Input)
    assert app.screen.focused is box
    await paste(pilot, text)
    return box


async def test_changing_section_asks_and_keep_editing_stays_where_the_typing_was(clock, draft_sections):
    app = await signed_in_app(clock, Role.STUDENT)
    async with app.run_test(size=SIZE) as pilot:
        box = await start_drafting(clock, pilot)
        await pilot.press("left", "left")
        await pilot.press("f3")
        await settle(app, pilot)
        assert isinstance(app.screen, DiscardQuestion)
        assert "the draft" in str(app.screen.about)

        await pilot.press("escape")  # Keep editing
        await settle(app, pilot)
        assert isinstance(app.screen, HomeScreen)
        assert app.screen.query_one("#sections", TabbedContent).active == "drafting"
        assert app.screen.focused is box
        await pilot.press("!")
        assert box.value == "half a thoug!ht"  # the cursor is where it was, nothing replaced


async def test_changing_section_after_discarding_leaves(clock, draft_sections):
    app = await signed_in_app(clock, Role.STUDENT)
    async with app.run_test(size=SIZE) as pilot:
        await start_drafting(clock, pilot)
        await pilot.press("f3")
        await settle(app, pilot)
        await pilot.click("#dialog-ok")
        await settle(app, pilot)
        assert isinstance(app.screen, HomeScreen)
        assert app.screen.query_one("#sections", TabbedContent).active == "other"


async def test_clicking_another_tab_asks_too(clock, draft_sections):
    app = await signed_in_app(clock, Role.STUDENT)
    async with app.run_test(size=SIZE) as pilot:
        await start_drafting(clock, pilot)
        await pilot.click("#--content-tab-other")
        await settle(app, pilot)
        assert isinstance(app.screen, DiscardQuestion)
        await pilot.press("escape")
        await settle(app, pilot)
        assert app.screen.query_one("#sections", TabbedContent).active == "drafting"


async def test_nothing_typed_nothing_asked(clock, draft_sections):
    app = await signed_in_app(clock, Role.STUDENT)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("f3")
        await settle(app, pilot)
        assert app.screen.query_one("#sections", TabbedContent).active == "other"
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert app.return_code == 0


async def test_quitting_asks_and_keep_editing_keeps_the_app(clock, draft_sections):
    app = await signed_in_app(clock, Role.STUDENT)
    async with app.run_test(size=SIZE) as pilot:
        box = await start_drafting(clock, pilot)
        await pilot.press("ctrl+q")
        await settle(app, pilot)
        assert isinstance(app.screen, DiscardQuestion)
        await pilot.press("ctrl+q")  # pressed again while asked: still one question
        await settle(app, pilot)
        assert len([screen for screen in app.screen_stack if isinstance(screen, DiscardQuestion)]) == 1

        await pilot.press("escape")
        await settle(app, pilot)
        assert app.return_code is None and box.value == "half a thought"

        await pilot.press("ctrl+q")
        await settle(app, pilot)
        await pilot.press("enter")  # the question's focus is on "Discard and quit"
        await pilot.pause()
        assert app.return_code == 0


async def test_signing_out_asks_then_signs_out(clock, draft_sections):
    app = await signed_in_app(clock, Role.STUDENT)
    async with app.run_test(size=SIZE) as pilot:
        await start_drafting(clock, pilot)
        await pilot.press("ctrl+o")
        await settle(app, pilot)
        assert isinstance(app.screen, DiscardQuestion)
        await pilot.press("escape")
        await settle(app, pilot)
        assert isinstance(app.screen, HomeScreen) and app.ctx.services.me is not None

        await pilot.press("ctrl+o")
        await settle(app, pilot)
        await pilot.click("#dialog-ok")
        await settle(app, pilot)
        assert isinstance(app.screen, SignInScreen) and app.ctx.services.me is None


async def test_quitting_asks_about_work_in_a_dialog_above_the_sections(clock, draft_sections):
    app = await signed_in_app(clock, Role.STUDENT)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        app.push_screen(DraftDialog("A note"))
        await settle(app, pilot)
        await paste(pilot, "hello")
        await pilot.press("ctrl+q")
        await settle(app, pilot)
        assert isinstance(app.screen, DiscardQuestion)
        assert "the dialog's note" in str(app.screen.about)


async def test_esc_closes_only_the_innermost_dialog(clock, draft_sections):
    app = await signed_in_app(clock, Role.STUDENT)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        app.push_screen(DraftDialog("A note"))
        await settle(app, pilot)
        app.push_screen(ConfirmDialog("Sure?"))
        await settle(app, pilot)
        await pilot.press("escape")
        await settle(app, pilot)
        assert isinstance(app.screen, DraftDialog)
        await pilot.press("escape")
        await settle(app, pilot)
        assert isinstance(app.screen, HomeScreen)


async def test_esc_in_a_search_box_goes_back_to_the_list(clock, draft_sections):
    app = await signed_in_app(clock, Role.STUDENT)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        home = app.screen
        assert isinstance(home.focused, Input)
        await pilot.press("escape")
        assert home.focused is home.query_one("#drafts", DataTable)
        # On the list, Esc has nothing to leave: it stays, and the palette does not offer it.
        assert home.check_action("close", ()) is False
        await pilot.press("escape")
        assert home.focused is home.query_one("#drafts", DataTable)


async def test_settings_with_typed_changes_ask_before_another_section(clock):
    app = await signed_in_app(clock, Role.STUDENT)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("f4")
        await settle(app, pilot)
        settings = app.screen.query_one(SettingsPane)
        assert isinstance(settings, HoldsWork) and not settings.unsaved_changes()
        name = settings.query_one("#full-name", Input)
        name.value = "Sam Rivera-Lopez"
        await pilot.pause()
        assert settings.unsaved_changes()

        await pilot.press("f2")
        await settle(app, pilot)
        assert isinstance(app.screen, DiscardQuestion)
        await pilot.press("escape")
        await settle(app, pilot)
        assert app.screen.query_one("#sections", TabbedContent).active == "settings"
        assert name.value == "Sam Rivera-Lopez"
