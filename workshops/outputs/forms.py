"""Forms of the outputs pages: types and lengths only; the rules (the
network one organises, the series of that network, the date and its
precision) live in operations.py."""

from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import BooleanField, Form, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Optional, ValidationError

from ..core.forms import FilterSelect, VersionedForm, at_most, choice_values, vocab_options
from ..core.partial_dates import EXAMPLES, parse_partial_date
from ..vocab import OUTPUT_KIND_LABELS, OUTPUT_KINDS
from .models import Output
from .operations import SUMMARY_MAX

PICK = "Pick from the list."


class PartialDateField(StringField):
    """A date as records write it: "12 June 2007", "June 2007", "c. 2008"
    (core/partial_dates.py); `data` is the PartialDate, the text is kept."""

    def process_formdata(self, valuelist):
        self.raw = (valuelist[0] if valuelist else "").strip()
        self.data = None
        if self.raw:
            try:
                self.data = parse_partial_date(self.raw)
            except ValueError as exc:
                raise ValueError(str(exc)) from None

    def _value(self):
        if getattr(self, "raw", None) is not None:
            return self.raw
        return str(self.data) if self.data is not None else ""


class OutputForm(VersionedForm):
    kind = SelectField("Kind", choices=vocab_options(OUTPUT_KINDS, OUTPUT_KIND_LABELS), invalid_choice_message=PICK)
    title = StringField("Title", validators=[DataRequired("Give the output its title."), at_most(Output.title)])
    date = PartialDateField("Date issued", validators=[InputRequired("Give the date the output was issued.")])
    network = SelectField("Network", coerce=int, invalid_choice_message=PICK, invalid_value_message=PICK)
    series_id = SelectField("Series (optional)", invalid_choice_message=PICK, default="")
    issuing_body = StringField("Issuing body (optional)", validators=[Optional(), at_most(Output.issuing_body)])
    url = StringField("Link (optional)", validators=[Optional(), at_most(Output.url)])
    upload = FileField("Upload a copy (optional)")
    remove_document = BooleanField("Remove the uploaded copy")
    workshop_ids = SelectMultipleField("Workshops that produced it (optional)", coerce=int,
                                       validate_choice=False)
    summary = TextAreaField("Summary (optional)", validators=[Optional(), at_most(SUMMARY_MAX)])

    def validate_workshop_ids(self, field):
        known = choice_values(field)
        if any(str(v) not in known for v in field.data or []):
            raise ValidationError(PICK)

    def data_for_operation(self, current_document_id: int | None = None) -> dict:
        upload = None
        if self.upload.data and getattr(self.upload.data, "filename", ""):
            upload = (self.upload.data.filename, self.upload.data.read())
        return {
            "kind": self.kind.data, "title": self.title.data, "date": self.date.data,
            "network": self.network.data, "series_id": self.series_id.data or None,
            "issuing_body": self.issuing_body.data, "url": self.url.data, "summary": self.summary.data,
            "workshop_ids": self.workshop_ids.data or [], "upload": upload,
            "document_id": None if self.remove_document.data else current_document_id,
        }


DATE_HINT = f"As the record says it: {EXAMPLES}."


class ConfirmForm(FlaskForm):
    """A delete button: the CSRF token is the whole form."""


class OutputFilterForm(Form):
    network = FilterSelect("Network")
    kind = FilterSelect("Kind", choices=vocab_options(OUTPUT_KINDS, OUTPUT_KIND_LABELS, "Any kind"))
    year = FilterSelect("Year")
