"""Forms of the outcomes capability: they check types and formats and keep
what the user typed; the domain rules live in operations.py."""

from __future__ import annotations

import datetime as dt
import re

from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    FieldList,
    Form,
    FormField,
    HiddenField,
    RadioField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import AnyOf, DataRequired, InputRequired, Optional, ValidationError

from ..core.forms import (  # noqa: F401  (CheckboxesField: re-exported, it lived here)
    CheckboxesField,
    FilterSelect,
    FriendlyDateField,
    SearchText,
    VersionedForm,
    at_most,
    choice_values,
    options,
    vocab_options,
)
from ..vocab import (
    ATTRIBUTION_LABELS,
    ATTRIBUTIONS,
    CLOSURE_LABELS,
    CLOSURES,
    DATE_PRECISION_LABELS,
    DATE_PRECISIONS,
    EVIDENCE_KINDS,
    EVIDENCE_LABELS,
    PRIORITIES,
    PRIORITY_LABELS,
    STAGE_LABELS,
    STAGES,
    TRACK1_KIND_LABELS,
    TRACK1_KINDS,
    TRACK1_LEVEL_LABELS,
    TRACK1_LEVELS,
)
from . import operations as ops

PICK = "Pick one from the list."


def clean(value):
    return ops.clean_text(value) if isinstance(value, str) else value


class IdSelectField(SelectField):
    """A select of database ids with an empty "none" choice; unknown or
    tampered values get a plain-language message instead of a crash."""

    def __init__(self, label=None, validators=None, none_label="— none —", **kw):
        super().__init__(label, validators, coerce=self._coerce, **kw)
        self.none_label = none_label

    @staticmethod
    def _coerce(value):
        if value in (None, "", "None"):
            return None
        if isinstance(value, int):
            return value
        value = str(value).strip()
        return int(value) if value.isdecimal() and len(value) < 12 else -1

    def pre_validate(self, form):
        if self.data is not None and str(self.data) not in choice_values(self):
            raise ValidationError(PICK)

    def set_options(self, pairs: list[tuple[int, str]]) -> None:
        self.choices = options([("", self.none_label), *pairs])


class RecommendationForm(VersionedForm):
    title = StringField("Title", validators=[DataRequired("Give the recommendation a short title."),
                                              at_most(ops.TITLE_MAX)], filters=[clean])
    reference = StringField("Reference (optional)", validators=[Optional(),
                            at_most(ops.RECOMMENDATION_REFERENCE_MAX)], filters=[clean])
    text = TextAreaField("Text of the recommendation",
                         validators=[DataRequired("Write the text of the recommendation."),
                                     at_most(ops.TEXT_MAX)], filters=[clean])
    theme_ids = CheckboxesField("Themes")
    target_ids = CheckboxesField("Target Track-1 bodies")
    priority = SelectField("Priority", choices=vocab_options(PRIORITIES, PRIORITY_LABELS), default="medium",
                           invalid_choice_message=PICK)
    agenda_item_id = IdSelectField("Agenda item it came from (optional)", none_label="— not tied to an item —")
    output_id = IdSelectField("Written output it comes from", none_label="— none —")

    def data_for_operation(self) -> dict:
        return {k: self[k].data for k in ("title", "reference", "text", "theme_ids", "target_ids",
                                          "priority", "agenda_item_id", "output_id")}


class ReferenceRowForm(Form):
    """One source of an uptake event: a web address or a file, with a label;
    a row showing a file already attached carries its id and may remove it."""

    url = StringField("Web address", validators=[Optional(), at_most(ops.REFERENCE_URL_MAX)], filters=[clean])
    label = StringField("Label or document symbol", validators=[Optional(), at_most(ops.REFERENCE_LABEL_MAX)],
                        filters=[clean])
    file = FileField("Or attach a file (PDF, Word or Excel)")
    document_id = HiddenField()
    remove = BooleanField("Remove this file")

    def validate_url(self, field):
        problem = ops.url_problem(field.data or "")
        if problem:
            raise ValidationError(problem)

    def validate_document_id(self, field):
        if field.data and not (str(field.data).isdecimal() and len(str(field.data)) < 12):
            raise ValidationError("This form was altered; reload the page and attach the file again.")

    def chosen_file(self):
        upload = self.file.data
        return upload if upload is not None and getattr(upload, "filename", "") else None

    def for_operation(self) -> dict:
        if self.remove.data:
            return {}
        upload = self.chosen_file()
        return {"url": self.url.data, "label": self.label.data, "document_id": self.document_id.data or None,
                "file": (upload.filename, upload.read()) if upload is not None else None}


EMPTY_REFERENCE_ROWS = 2  # blank rows offered below the event's sources
_REFERENCE_PROBLEM = re.compile(r"references\[(\d+)\](?:\.(\w+))?$")


class UptakeEventForm(VersionedForm):
    occurred_on = FriendlyDateField("Date of the event",
                                    validators=[InputRequired("Enter the date of the event.")])
    date_precision = SelectField("Date known to the", choices=vocab_options(DATE_PRECISIONS, DATE_PRECISION_LABELS),
                                 default="day", invalid_choice_message=PICK)
    approximate = BooleanField("Approximate (the record says “c.” or “?”)", default=False)
    stage = SelectField("Stage it shows", choices=vocab_options(STAGES, STAGE_LABELS), default="transmitted",
                        invalid_choice_message=PICK)
    track1_body_id = IdSelectField("Track-1 body", none_label="— not recorded —")
    evidence_kind = SelectField("Kind of evidence", choices=vocab_options(EVIDENCE_KINDS, EVIDENCE_LABELS),
                                default="document", invalid_choice_message=PICK)
    title = StringField("Title", validators=[DataRequired("Give the event a title, such as the document's name."),
                                              at_most(ops.TITLE_MAX)], filters=[clean])
    excerpt = TextAreaField("Short excerpt (optional)", validators=[Optional(), at_most(ops.EXCERPT_MAX)],
                            filters=[clean])
    attribution = SelectField("Attribution", choices=vocab_options(ATTRIBUTIONS, ATTRIBUTION_LABELS, "— not judged —"), default="",
                              invalid_choice_message=PICK)
    # Ticked to set the event apart; left alone (and by a client that does not send it) the event counts.
    not_confirmed = BooleanField("Not yet confirmed")
    references = FieldList(FormField(ReferenceRowForm), max_entries=ops.MAX_REFERENCES)
    add_reference = SubmitField("Add another source")

    def pad_references(self) -> None:
        """Offer blank rows below the sources given (at most MAX_REFERENCES rows)."""
        blank = sum(1 for row in self.references if not (row.form.url.data or row.form.label.data or row.form.document_id.data))
        while blank < EMPTY_REFERENCE_ROWS and len(self.references) < ops.MAX_REFERENCES:
            self.references.append_entry()
            blank += 1

    def adding_reference(self) -> bool:
        """The "add another source" button was pressed: one more row, nothing saved."""
        if self.is_submitted() and self.add_reference.data:
            if len(self.references) < ops.MAX_REFERENCES:
                self.references.append_entry()
            return True
        return False

    @property
    def errors(self):
        """Also the problems an operation put at a row's field after the
        form's own checks (FieldList keeps the list it made then)."""
        rows = [entry.errors for entry in self.references.entries]
        self.references.errors = rows if any(rows) else []
        return super().errors

    @property
    def files_chosen(self) -> bool:
        return any(row.form.chosen_file() is not None for row in self.references)

    def __getattr__(self, name: str):
        """An operation's problem about a source ("references[1].url") goes to
        that row's field (core.forms.show_errors looks fields up by name)."""
        match = _REFERENCE_PROBLEM.match(name)
        if match is None or "_fields" not in self.__dict__:
            raise AttributeError(name)
        index, key = int(match[1]), match[2] or "url"
        rows = self._fields["references"].entries
        if index >= len(rows):
            raise AttributeError(name)
        row = rows[index].form
        return row[{"document_id": "file"}.get(key, key)] if key in ("url", "label", "file", "document_id") \
            else row.url

    def data_for_operation(self) -> dict:
        data = {k: self[k].data for k in ("occurred_on", "date_precision", "approximate", "stage",
                                          "track1_body_id", "evidence_kind",
                                          "title", "excerpt", "attribution")}
        data["confirmed"] = not self.not_confirmed.data
        data["references"] = [row.form.for_operation() for row in self.references]
        return data


class CloseForm(VersionedForm):
    closed_as = RadioField("Close as", choices=vocab_options(CLOSURES, CLOSURE_LABELS), invalid_choice_message=PICK,
                           validators=[InputRequired("Choose declined, superseded or withdrawn.")])
    closed_on = FriendlyDateField("Date", validators=[InputRequired("Enter the date of the closure.")],
                                  default=dt.date.today)
    closed_reason = TextAreaField("Reason", validators=[
        DataRequired("Say why the recommendation is closed; readers of the report will ask."),
        at_most(ops.REASON_MAX)], filters=[clean])


class ReopenForm(VersionedForm):
    note = StringField("Why reopen? (optional)", validators=[Optional(), at_most(500)], filters=[clean])


class FollowUpForm(VersionedForm):
    """Who follows the recommendation up and when next (operations_follow_up.py)."""

    owner_id = IdSelectField("Owner", none_label="— nobody yet —")
    next_check_on = FriendlyDateField("Next check", validators=[Optional()])

    def data_for_operation(self) -> dict:
        return {"owner_id": self.owner_id.data, "next_check_on": self.next_check_on.data}


class CheckForm(FlaskForm):
    """"Checked, no trace found": the stage stays as it is."""

    checked_on = FriendlyDateField("Checked on", validators=[InputRequired("Enter the day of the check.")],
                                   default=dt.date.today)
    note = TextAreaField("What you looked at", validators=[Optional(), at_most(ops.CHECK_NOTE_MAX)],
                         filters=[clean])
    next_check_on = FriendlyDateField("Next check (optional)", validators=[Optional()])

    def data_for_operation(self) -> dict:
        return {k: self[k].data for k in ("checked_on", "note", "next_check_on")}


class ConfirmForm(FlaskForm):
    """A delete button: the CSRF token is the whole form."""


class Track1BodyForm(VersionedForm):
    name = StringField("Full name", validators=[DataRequired("Give the body its full name."),
                                                 at_most(ops.BODY_NAME_MAX)], filters=[clean])
    acronym = StringField("Acronym (optional)", validators=[Optional(), at_most(ops.BODY_ACRONYM_MAX)],
                          filters=[clean])
    kind = SelectField("Kind", choices=vocab_options(TRACK1_KINDS, TRACK1_KIND_LABELS), invalid_choice_message=PICK)
    level = SelectField("Level", choices=vocab_options(TRACK1_LEVELS, TRACK1_LEVEL_LABELS, "— not set —"),
                        invalid_choice_message=PICK)
    parent_id = IdSelectField("Parent body (optional)", none_label="— none: a body of its own —")
    established = StringField("Established (optional)", validators=[Optional(),
                              at_most(ops.ESTABLISHED_MAX)], filters=[clean])
    description = TextAreaField("Description (optional)", validators=[Optional(),
                                at_most(ops.DESCRIPTION_MAX)], filters=[clean])
    member_countries = CheckboxesField("Member countries", integer=False)

    def data_for_operation(self) -> dict:
        return {k: self[k].data for k in ("name", "acronym", "kind", "level", "parent_id", "established",
                                          "description", "member_countries")}


# --------------------------------------------------------------------------- list filters (GET)


class RecommendationFilterForm(Form):
    q = SearchText("Words")
    network = FilterSelect("Network")
    series = FilterSelect("Series")
    # Short, so the filter row stays in line; the full meaning is the field's title (docs/domain.md, Days and dates).
    year = FilterSelect("Year", render_kw={"title": "The year of the recommendation's workshop, or of its written output"})
    theme = FilterSelect("Theme")
    stage = FilterSelect("Stage", choices=vocab_options(STAGES, STAGE_LABELS, "Any stage"))
    target = FilterSelect("Target Track-1 body")
    status = FilterSelect("Status", choices=options({"": "Open and closed", "open": "Open", "closed": "Closed",
                                                     "stale": "Stale (needs follow-up)"}))
    priority = FilterSelect("Priority", choices=vocab_options(PRIORITIES, PRIORITY_LABELS, "Any priority"))
    sort = FilterSelect("Sort by")


class FollowUpFilterForm(Form):
    network = FilterSelect("Network")
    show = FilterSelect("Show", choices=options({"": "Stale", "due": "Check due"}))
    owner = FilterSelect("Owner", choices=options({"": "Anyone's", "me": "Mine"}))


class Track1FilterForm(Form):
    kind = FilterSelect("Kind", choices=vocab_options(TRACK1_KINDS, TRACK1_KIND_LABELS, "Any kind"))
    level = FilterSelect("Level", choices=vocab_options(TRACK1_LEVELS, TRACK1_LEVEL_LABELS, "Any level"))


class FeatureForm(VersionedForm):
    """Featured in the report's highlights or not (operations_featured.py): the mark wanted, "yes" or "no"."""

    featured = HiddenField(validators=[InputRequired(), AnyOf(("yes", "no"))])
