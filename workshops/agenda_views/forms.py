"""The participant's reply form on their personal link (views_reply.py):
the answer's rules are people/operations_reply.py's."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, RadioField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired

from ..core.forms import at_most
from ..people.models import Participation
from ..people.operations import clean_text

TEXT = [lambda value: clean_text(value) if value is not None else value]


class ReplyForm(FlaskForm):
    reply = RadioField("Will you take part?", choices=[SelectChoice("confirmed", "Yes, I will take part"),
                                                       SelectChoice("declined", "No, I cannot take part")],
                       validators=[InputRequired("Say whether you will take part: choose yes or no.")])
    consent_to_list = BooleanField("List me among the participants shown to the other participants")
    consent_to_be_named = BooleanField("Name me on the public agenda where I chair or speak")
    dietary_needs = TextAreaField("Dietary needs", validators=[at_most(Participation.dietary_needs)])
    access_needs = TextAreaField("Access needs", validators=[at_most(Participation.access_needs)])
    gender = StringField("Gender (optional)", validators=[at_most(Participation.gender)], filters=TEXT)
    timezone = StringField("Time zone of the mails we send you", filters=TEXT)
    agenda_mail = BooleanField("Mail me when the agenda changes (at most one mail a day)")

    def reply_data(self) -> dict:
        return {name: getattr(self, name).data for name in (
            "reply", "consent_to_list", "consent_to_be_named", "dietary_needs", "access_needs", "gender",
            "timezone", "agenda_mail")}


class UnsubscribeForm(FlaskForm):
    """One button: no more agenda change mails."""
