from flask_wtf import FlaskForm
from wtforms import EmailField, HiddenField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, Email, EqualTo

from ..core.forms import CheckboxesField, VersionedForm, at_most, vocab_options
from ..vocab import USER_ROLE_LABELS, USER_ROLES
from .models import User


class LoginForm(FlaskForm):
    email = EmailField("Email", validators=[DataRequired(), Email(), at_most(User.email)])
    password = PasswordField("Password", validators=[DataRequired(), at_most(1000)])
    next = HiddenField()


class SecondFactorForm(FlaskForm):
    code = StringField(
        "Code from your authenticator app, or a recovery code",
        validators=[DataRequired(), at_most(40)],
        render_kw={"autocomplete": "one-time-code", "inputmode": "text", "autocapitalize": "off"},
    )


class ChangePasswordForm(FlaskForm):
    current_password = PasswordField("Current password", validators=[DataRequired(), at_most(1000)],
                                     render_kw={"autocomplete": "current-password"})
    new_password = PasswordField("New password", validators=[DataRequired(), at_most(1000)],
                                 render_kw={"autocomplete": "new-password"})
    confirm = PasswordField(
        "New password again",
        validators=[DataRequired(), EqualTo("new_password", message="The two new passwords differ.")],
        render_kw={"autocomplete": "new-password"},
    )


class TotpSetupForm(FlaskForm):
    secret = HiddenField(validators=[at_most(64)])
    code = StringField("Six-digit code from the app", validators=[DataRequired(), at_most(20)],
                       render_kw={"autocomplete": "one-time-code", "inputmode": "numeric"})


class PasswordConfirmForm(FlaskForm):
    """Turning the second factor off, or making new recovery codes."""

    password = PasswordField("Your password", validators=[DataRequired(), at_most(1000)],
                             render_kw={"autocomplete": "current-password"})


class UserStatusForm(VersionedForm):
    """Deactivating or reactivating an account (admins): the confirmation
    page's button, with the version of the account the admin saw."""


class ForgotPasswordForm(FlaskForm):
    """"Forgot your password?": the address a reset link goes to."""

    email = EmailField("Email", validators=[DataRequired(), Email(), at_most(User.email)],
                       filters=[lambda value: value.strip() if isinstance(value, str) else value],
                       render_kw={"autocomplete": "email"})


class SetPasswordForm(FlaskForm):
    """A new password, through a reset or invitation link."""

    new_password = PasswordField("New password", validators=[DataRequired(), at_most(1000)],
                                 render_kw={"autocomplete": "new-password"})
    confirm = PasswordField(
        "New password again",
        validators=[DataRequired(), EqualTo("new_password", message="The two new passwords differ.")],
        render_kw={"autocomplete": "new-password"},
    )


class InviteUserForm(FlaskForm):
    """An admin invites someone by address; they set their own password."""

    email = EmailField("Email", validators=[DataRequired(), Email(), at_most(User.email)],
                       filters=[lambda value: value.strip() if isinstance(value, str) else value])
    name = StringField("Name", validators=[at_most(User.name)])
    role = SelectField("Role", choices=vocab_options(USER_ROLES, USER_ROLE_LABELS), default="viewer")
    networks = CheckboxesField("Networks (organisers)")


class ReinviteForm(FlaskForm):
    """The "Invite again" button (CSRF only)."""
