"""Creating an account, as a student or as a mentor."""

from __future__ import annotations

from functools import partial
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import BindingType
from textual.widgets import Input, RadioButton, RadioSet

from ..domain import rules, text
from ..domain.models import Role
from ..keymap import binding
from ..widgets.form_field import FormField
from ..widgets.limited import LimitedInput
from .sign_in import AuthScreen, SignInScreen


class SignUpScreen(AuthScreen):
    SUB_TITLE = "Create an account"
    FIELDS = ("full_name", "email", "password", "role")
    SUBMIT = "Create account"
    SWITCH = "Sign in instead"
    AUTO_FOCUS = "#full_name"
    BINDINGS: ClassVar[list[BindingType]] = [binding("close", label="Sign in instead", show=True)]

    def compose_fields(self) -> ComposeResult:
        yield FormField(
            "Full name", LimitedInput("full_name", placeholder="Maya Chen", id="full_name"), id="field-full_name"
        )
        yield self.email_field()
        yield FormField(
            "Password",
            Input(
                password=True,
                placeholder=f"at least {rules.PASSWORD_MIN} characters",
                id="password",
                max_length=text.PASSWORD_MAX,
            ),
            id="field-password",
        )
        yield FormField(
            "I am a",
            RadioSet(
                RadioButton("Student", value=True, id="role-student"),
                RadioButton("Mentor", id="role-mentor"),
                id="role",
            ),
            id="field-role",
        )

    @property
    def role(self) -> Role:
        return Role.MENTOR if self.query_one("#role-mentor", RadioButton).value else Role.STUDENT

    def action_submit(self) -> None:
        email, password, full_name = self.value("email"), self.value("password"), self.value("full_name")
        errors = rules.sign_up_errors(email=email, password=password, full_name=full_name)
        self.show_errors(errors)
        if not errors:
            self.attempt(partial(self.ctx.services.sign_up, email, password, full_name, self.role))

    def action_switch(self) -> None:
        self.give_way_to(SignInScreen(self.ctx, email=self.value("email")))

    def action_close(self) -> None:
        self.action_switch()
