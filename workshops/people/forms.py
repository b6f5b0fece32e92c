"""Forms of the people capability: a person, a participation, adding a
participant, and the two steps of an import (upload, then confirm)."""

from __future__ import annotations

from flask import current_app
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from itsdangerous import BadData, URLSafeTimedSerializer
from wtforms import (
    BooleanField,
    EmailField,
    HiddenField,
    IntegerField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Email, Optional
from wtforms.widgets import HiddenInput

from ..core.countries import all_countries
from ..core.forms import VersionedForm, at_most, options, vocab_options
from ..vocab import (
    PARTICIPATION_STATUS_LABELS,
    PARTICIPATION_STATUSES,
    ROLE_LABELS,
    ROLES,
    SECTOR_LABELS,
    SECTORS,
)
from .gender import GENDER_MAX
from .operations import (
    AFFILIATION_MAX,
    EMAIL_MAX,
    HONORIFIC_MAX,
    NAME_MAX,
    NOTES_MAX,
    PHONE_MAX,
    clean_line,
    clean_name,
    clean_text,
)

EMAIL_MESSAGE = "Enter an email address such as name@example.org."
LINE = [clean_line]
NAME = [clean_name]  # refuses a bidirectional control character at the field


def country_choices() -> list[SelectChoice]:
    return options([("", "— Not given —"), *all_countries()])


class PersonFields:
    """The person's own fields, shared by the person form and the add-participant form."""

    honorific = StringField("Title", validators=[at_most(HONORIFIC_MAX)], filters=NAME,
                            description="Dr, Amb., Rear Adm. — optional")
    full_name = StringField("Full name", validators=[DataRequired("Enter the person's name."),
                                                     at_most(NAME_MAX)], filters=NAME)
    email = EmailField("Email", validators=[Optional(), Email(EMAIL_MESSAGE), at_most(EMAIL_MAX)],
                       filters=LINE)


class PersonForm(PersonFields, VersionedForm):
    phone = StringField("Phone", validators=[at_most(PHONE_MAX)], filters=LINE)
    affiliation = StringField("Affiliation", validators=[at_most(AFFILIATION_MAX)], filters=LINE)
    country = SelectField("Country", choices=[])
    sector = SelectField("Sector", choices=vocab_options(SECTORS, SECTOR_LABELS))
    notes = TextAreaField("Notes", validators=[at_most(NOTES_MAX)], filters=[clean_text])
    different_person = BooleanField("This is a different person from the similar names shown above")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.country.choices = country_choices()

    def person_data(self) -> dict:
        return {key: getattr(self, key).data for key in (
            "honorific", "full_name", "email", "phone", "affiliation", "country", "sector", "notes")}


class ParticipationForm(VersionedForm):
    role = SelectField("Role", choices=vocab_options(ROLES, ROLE_LABELS), default="participant")
    status = SelectField("Status", choices=vocab_options(PARTICIPATION_STATUSES, PARTICIPATION_STATUS_LABELS),
                         default="invited")
    sector = SelectField("Sector at this workshop", choices=vocab_options(SECTORS, SECTOR_LABELS))
    country = SelectField("Country at this workshop", choices=[])
    affiliation = StringField("Affiliation at this workshop", validators=[at_most(AFFILIATION_MAX)],
                              filters=LINE)
    gender = StringField("Gender (optional, as the person describes it)", validators=[at_most(GENDER_MAX)],
                         filters=LINE)
    serving_official = BooleanField("Serving official (attends in a private capacity)")
    consent_to_list = BooleanField("Consents to be named in the participant list")
    consent_to_be_named = BooleanField("Consents to be named on the public agenda")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.country.choices = country_choices()

    def participation_data(self) -> dict:
        return {key: getattr(self, key).data for key in (
            "role", "status", "sector", "country", "affiliation", "gender", "serving_official",
            "consent_to_list", "consent_to_be_named")}


class AddParticipantForm(ParticipationForm):
    """Either `person_id` (an existing person, found with the find box) or
    the new person's name, title and email."""

    person_id = IntegerField(widget=HiddenInput(), validators=[Optional()])
    honorific = PersonFields.honorific
    full_name = StringField("Full name", validators=[at_most(NAME_MAX)], filters=NAME)
    email = PersonFields.email
    different_person = BooleanField("This is a different person from the similar names shown above")

    def new_person_data(self) -> dict:
        return {"honorific": self.honorific.data, "full_name": self.full_name.data, "email": self.email.data}


class FindPersonForm(FlaskForm):
    """The find box (a GET form: nothing changes, no CSRF token needed)."""

    class Meta:
        csrf = False

    q = StringField("Find by name or email", validators=[at_most(254)], filters=LINE)


class RemoveParticipationForm(VersionedForm):
    drop_agenda_roles = HiddenField()


class CheckInForm(VersionedForm):
    """One tap of the check-in list: the status to set (attended, or the
    one to go back to) and the version of the participation as shown."""

    status = HiddenField()


class MergeForm(VersionedForm):
    """Merge another person into this one: the other's id and version, and
    per field which value to keep (operations_merge.MERGE_FIELDS)."""

    other_id = IntegerField(widget=HiddenInput(), validators=[Optional()])
    other_version = IntegerField(widget=HiddenInput(), validators=[Optional()])

    def keep(self, fields) -> dict[str, str]:
        from flask import request

        return {f: request.form.get(f"keep_{f}", "survivor") for f in fields}


class EraseConfirmForm(VersionedForm):
    confirm = BooleanField(
        "I understand: the name, email, phone, affiliation and notes are removed for good.",
        validators=[DataRequired(message="Tick the box to confirm.")],
    )


class ImportUploadForm(FlaskForm):
    file = FileField("Spreadsheet file (.csv or .xlsx)", validators=[FileRequired("Choose a file to upload.")])


class ImportConfirmForm(FlaskForm):
    """Carries the checked rows from the preview to the import, signed with
    the app's secret key: no temporary file on the server (several workers),
    no second upload, and nothing a user can alter on the way."""

    payload = HiddenField()


_IMPORT_SALT = "people.participants_import"
IMPORT_MAX_AGE = 6 * 3600  # a preview left open longer is uploaded again


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.secret_key, salt=_IMPORT_SALT)


def sign_import(workshop_id: int, user_id: int, source: str, rows: list[tuple[int, dict]]) -> str:
    return _serializer().dumps({"w": workshop_id, "u": user_id, "s": source, "r": rows})


def read_signed_import(token: str, workshop_id: int, user_id: int) -> tuple[str, list[tuple[int, dict]]] | None:
    """The source name and rows of a signed preview, or None when the token
    is missing, altered, expired, or made for another workshop or user."""
    if not token:
        return None
    try:
        data = _serializer().loads(token, max_age=IMPORT_MAX_AGE)
    except BadData:
        return None
    if not isinstance(data, dict) or data.get("w") != workshop_id or data.get("u") != user_id:
        return None
    try:
        rows = [(int(number), {str(k): str(v) for k, v in row.items()}) for number, row in data["r"]]
    except (KeyError, TypeError, ValueError, AttributeError):
        return None
    return str(data.get("s", "")), rows
