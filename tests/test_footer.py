"""The footer is built again only when the keys it shows change, and its keys mount
without restyling themselves."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.widgets import Input
from textual.widgets._footer import FooterKey

from mentor_tui.widgets.footer import Footer
from pilot_support import settle, until


class Box(Input):
    BINDINGS = [Binding("ctrl+o", "open", "Open")]


class FooterApp(App[None]):
    def compose(self) -> ComposeResult:
        yield Input(id="first")
        yield Input(id="second")
        yield Box(id="box")
        yield Footer()


def shown(app: App[None]) -> list[FooterKey]:
    return list(app.screen.query(FooterKey))


def descriptions(app: App[None]) -> list[str]:
    return [key.description for key in shown(app)]


async def focus(app: App[None], pilot, selector: str) -> None:
    app.query_one(selector).focus()
    await settle(app, pilot)


async def test_focus_moving_between_widgets_with_the_same_keys_keeps_the_footer():
    app = FooterApp()
    async with app.run_test() as pilot:
        await focus(app, pilot, "#first")
        await until(pilot, lambda: bool(shown(app)), "the footer shows its keys")
        before = shown(app)
        await focus(app, pilot, "#second")
        assert shown(app) == before  # the same widgets: nothing was built again
        await focus(app, pilot, "#box")
        assert "Open" in descriptions(app)
        assert not set(shown(app)) & set(before)
        await focus(app, pilot, "#first")
        assert "Open" not in descriptions(app)


async def test_a_bound_key_mounts_without_restyling_itself_and_looks_as_textuals_does():
    app = FooterApp()
    restyled: list[object] = []
    async with app.run_test() as pilot:
        await settle(app, pilot)
        update_styles = app.update_styles

        def counting(node, animate: bool = True) -> None:
            restyled.append(node)
            update_styles(node, animate)

        app.update_styles = counting  # type: ignore[method-assign]
        await focus(app, pilot, "#box")
        keys = shown(app)
        assert "Open" in descriptions(app)
        # Textual's own command palette key is not bound to the footer: it styles itself.
        bound = [key for key in keys if not key.has_class("-command-palette")]
        assert bound and not set(restyled) & set(bound)
        # As Textual's footer leaves them: bound keys follow the footer (not compact), the
        # command palette's key keeps its own compact style.
        for key in keys:
            palette = key.has_class("-command-palette")
            assert key.compact is palette and key.has_class("-compact") is palette
