"""Signing in, and what the sign-in and sign-up forms share."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.lazy import Lazy
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Button, Input, OptionList, Static
from textual.widgets.option_list import Option

from .. import collector
from ..domain import text
from ..domain.errors import InvalidCredentials, InvalidInput
from ..keymap import binding
from ..widgets.failures import ReportsFailures
from ..widgets.footer import Footer
from ..widgets.form_field import FormField
from ..widgets.plain import NAME, plain

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable

    from ..context import AppContext
    from ..domain.demo_login import DemoLogin
    from ..domain.models import Profile


class SignedIn(Message):
    """Someone has signed in or created an account; the app shows their home."""

    def __init__(self, person: Profile) -> None:
        super().__init__()
        self.person = person


class AuthScreen(ReportsFailures, Screen[None]):
    """A centred form whose errors show beside the field they are about.

    The values typed stay in place whatever goes wrong; only success leaves the screen.
    """

    FIELDS: ClassVar[tuple[str, ...]]
    """Names of the form's fields; the control of field ``name`` has the id ``name``."""
    SUBMIT: ClassVar[str]
    SWITCH: ClassVar[str]
    """The button that goes to the other form, taking the email along."""

    def __init__(self, ctx: AppContext, email: str = "") -> None:
        super().__init__()
        self.ctx = ctx
        self.email = email

    def compose(self) -> ComposeResult:
        # The title as Header draws it, without Header's icon, clock space and their own
        # styles: the sign-in form is the first frame a signed-out person waits for.
        yield Static(self.app.format_title(self.app.title, self.SUB_TITLE or ""), id="auth-title")
        # Flat on purpose: the form (and the demo logins beside it) sit straight in the one
        # scrolling region, and each field's row has a fixed height (styles/forms.tcss), so a
        # key typed re-lays out its own row, not every container around it.
        with VerticalScroll(id="auth", can_focus=False), Vertical(id="auth-form") as form:
            form.border_title = self.SUB_TITLE
            yield from self.compose_fields()
            yield Static("", id="form-error", markup=False)
            with Horizontal(id="form-buttons"):
                yield Button(self.SUBMIT, variant="primary", id="submit")
                yield Button(self.SWITCH, id="switch")
        # Mounted just after the first frame (Textual's Lazy): the form is what a person waits
        # for, and the footer's keys cost as much to build as one of its fields.
        yield Lazy(Footer())

    def compose_fields(self) -> ComposeResult:
        raise NotImplementedError

    def email_field(self) -> FormField:
        return FormField("Email", Input(self.email, placeholder="name@example.org", id="email", max_length=text.EMAIL_MAX), id="field-email")

    def field(self, name: str) -> FormField:
        return self.query_one(f"#field-{name}", FormField)

    def value(self, name: str) -> str:
        return self.query_one(f"#{name}", Input).value

    def show_errors(self, errors: dict[str, str]) -> None:
        """Put each message beside its field; one about no field here goes above the buttons."""
        for name in self.FIELDS:
            self.field(name).show_error(errors.get(name))
        general = " ".join(message for name, message in errors.items() if name not in self.FIELDS)
        form_error = self.query_one("#form-error", Static)
        form_error.update(plain(general, 500, multiline=True))
        form_error.set_class(bool(general), "-shown")
        first = next((name for name in self.FIELDS if name in errors), None)
        if first is not None:
            self.query_one(f"#{first}").focus()

    @work(group="auth", exclusive=True, exit_on_error=False)
    async def attempt(self, sign_in: Callable[[], Awaitable[Profile]]) -> None:
        """Call the backend in a worker; an error about the form shows in it, success signs in."""
        submit = self.query_one("#submit", Button)
        submit.loading = True
        try:
            user = await sign_in()
        except InvalidCredentials as exc:
            self.show_errors({"form": exc.message})
            self.query_one("#password").focus()
            return
        except InvalidInput as exc:
            self.show_errors({exc.field: exc.message})
            return
        finally:
            submit.loading = False
        self.forget_password()  # this form may stay beneath the home screen (see give_way_to)
        self.post_message(SignedIn(user))

    def forget_password(self) -> None:
        self.query_one("#password", Input).value = ""

    def give_way_to(self, screen: AuthScreen) -> None:
        """Show the other form instead of this one. When this one is the app's first screen,
        which Textual cannot replace, the other goes above it, and this one forgets its password."""
        if len(self.app.screen_stack) > 1:
            self.app.switch_screen(screen)
        else:
            self.forget_password()
            self.app.push_screen(screen)

    @on(Input.Submitted)
    @on(Button.Pressed, "#submit")
    def _submit_pressed(self) -> None:
        self.action_submit()

    @on(Button.Pressed, "#switch")
    def _switch_pressed(self) -> None:
        self.action_switch()

    def action_submit(self) -> None:
        raise NotImplementedError

    def action_switch(self) -> None:
        raise NotImplementedError


class SignInScreen(AuthScreen):
    SUB_TITLE = "Sign in"
    FIELDS = ("email", "password")
    SUBMIT = "Sign in"
    SWITCH = "Create an account"
    AUTO_FOCUS = "#email"
    BINDINGS: ClassVar[list[BindingType]] = [binding("new", label="New account")]

    def compose_fields(self) -> ComposeResult:
        yield self.email_field()
        yield FormField(
            "Password", Input(password=True, id="password", max_length=text.PASSWORD_MAX), id="field-password"
        )

    def on_mount(self) -> None:
        self.call_after_refresh(collector.resume)  # off while the app started (``cli``)
        if self.email:
            self.query_one("#password").focus()
        if self.ctx.demo_logins:
            self.query_one("#auth").mount(DemoLogins(self.ctx.demo_logins, self.ctx.demo_password))

    def action_new(self) -> None:
        self.action_switch()

    @on(OptionList.OptionSelected, "DemoLogins OptionList")
    def _fill_demo_login(self, event: OptionList.OptionSelected) -> None:
        self.query_one("#email", Input).value = event.option.id or ""
        self.query_one("#password", Input).value = self.query_one(DemoLogins).password
        self.query_one("#submit").focus()

    def action_submit(self) -> None:
        email, password = self.value("email"), self.value("password")
        errors = {}
        if not email.strip():
            errors["email"] = "Enter the email address of your account."
        if not password:
            errors["password"] = "Enter your password."
        self.show_errors(errors)
        if not errors:
            self.attempt(partial(self.ctx.services.sign_in, email, password))

    def action_switch(self) -> None:
        from .sign_up import SignUpScreen

        self.give_way_to(SignUpScreen(self.ctx, email=self.value("email")))


class DemoLogins(Vertical):
    """The demo accounts, shown when the database holds them; choosing one fills in the form."""

    def __init__(self, logins: tuple[DemoLogin, ...], password: str) -> None:
        super().__init__(id="demo-logins")
        self.border_title = "Demo accounts"
        self.logins = logins
        self.password = password

    def compose(self) -> ComposeResult:
        yield Static(f"Password: {self.password}\nPick one to fill in the form.", id="demo-password", markup=False)
        options: list[Option] = []
        for role, heading in (("mentor", "Mentors"), ("student", "Students")):
            options.append(Option(heading, disabled=True))
            options.extend(
                Option(plain(login.email, NAME), id=login.email) for login in self.logins if login.role == role
            )
        yield OptionList(*options)
