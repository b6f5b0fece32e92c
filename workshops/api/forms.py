"""The API tokens page's two forms."""

from flask_wtf import FlaskForm
from wtforms import IntegerField, StringField
from wtforms.validators import DataRequired, NumberRange
from wtforms.widgets import HiddenInput

from ..core.forms import at_most
from ..db import MAX_INTEGER
from .operations import NAME_MAX


class CreateTokenForm(FlaskForm):
    name = StringField("Name", validators=[DataRequired(message="Name the token after what will use it."),
                                           at_most(NAME_MAX)])


class RevokeTokenForm(FlaskForm):
    token_id = IntegerField(widget=HiddenInput(), validators=[DataRequired(), NumberRange(1, MAX_INTEGER)])
