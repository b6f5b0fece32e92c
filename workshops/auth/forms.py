from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, HiddenField, PasswordField, StringField
from wtforms.validators import DataRequired, Email, EqualTo, Length

from ..core.forms import VersionedForm


class LoginForm(FlaskForm):
    email = EmailField("Email", validators=[DataRequired(), Email(), Length(max=254)])
    password = PasswordField("Password", validators=[DataRequired(), Length(max=1000)])
    next = HiddenField()


class SecondFactorForm(FlaskForm):
    code = StringField(
        "Code from your authenticator app, or a recovery code",
        validators=[DataRequired(), Length(max=40)],
        render_kw={"autocomplete": "one-time-code", "inputmode": "text", "autocapitalize": "off"},
    )


class ChangePasswordForm(FlaskForm):
    current_password = PasswordField("Current password", validators=[DataRequired(), Length(max=1000)],
                                     render_kw={"autocomplete": "current-password"})
    new_password = PasswordField("New password", validators=[DataRequired(), Length(max=1000)],
                                 render_kw={"autocomplete": "new-password"})
    confirm = PasswordField(
        "New password again",
        validators=[DataRequired(), EqualTo("new_password", message="The two new passwords differ.")],
        render_kw={"autocomplete": "new-password"},
    )


class TotpSetupForm(FlaskForm):
    secret = HiddenField(validators=[Length(max=64)])
    code = StringField("Six-digit code from the app", validators=[DataRequired(), Length(max=20)],
                       render_kw={"autocomplete": "one-time-code", "inputmode": "numeric"})


class PasswordConfirmForm(FlaskForm):
    """Turning the second factor off, or making new recovery codes."""

    password = PasswordField("Your password", validators=[DataRequired(), Length(max=1000)],
                             render_kw={"autocomplete": "current-password"})


class EraseConfirmForm(VersionedForm):
    confirm = BooleanField(
        "I understand: the name, email, phone, affiliation and notes are removed for good.",
        validators=[DataRequired(message="Tick the box to confirm.")],
    )


class UserStatusForm(VersionedForm):
    """Deactivating or reactivating an account (admins): the confirmation
    page's button, with the version of the account the admin saw."""
