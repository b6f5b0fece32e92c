"""Forms of the programme pages: type and length checks only; the domain
rules (unique names, dates within the workshop…) live in operations.py."""

from __future__ import annotations

from functools import lru_cache

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    FieldList,
    Form,
    FormField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    TimeField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Optional, StopValidation

from ..core.countries import all_countries
from ..core.forms import CheckboxesField, VersionedForm, at_most, options, vocab_options
from ..core.zones import zone_groups
from ..vocab import (
    AGENDA_KIND_LABELS,
    AGENDA_KINDS,
    DATE_PRECISION_LABELS,
    DATE_PRECISIONS,
    FORMAT_LABELS,
    FORMATS,
    INSTITUTE_ROLE_LABELS,
    INSTITUTE_ROLES,
    SERIES_KIND_LABELS,
    SERIES_KINDS,
    SERIES_STATUS_LABELS,
    SERIES_STATUSES,
    VISIBILITIES,
    VISIBILITY_LABELS,
)
from .models import AgendaItem, MemberInstitute, Network, Series, Theme, Workshop

SLUG_HINT = "Lower-case letters, digits and hyphens. Left empty, it is made from the name."
# The zones people pick a venue's zone from: Region/City names, plus UTC.
# HH:MM from a time input; HH:MM:SS from browsers that add seconds.
TIME_FORMATS = ["%H:%M", "%H:%M:%S"]
BAD_DATE = "Enter a date like 2025-06-03."
BAD_TIME = "Enter a time like 09:30 (24-hour clock)."
PICK = "Pick from the list."
OUTSIDE = "Pick one of the workshop's days: an item cannot be outside its dates."
PICK_MANY = "Pick from the list (“%(value)s” is not on it)."


@lru_cache(maxsize=1)
def timezone_choices() -> tuple[SelectChoice, ...]:
    """The current IANA zones, the region's first (optgroups, core.zones.zone_groups)."""
    return tuple(SelectChoice(name, name.replace("_", " "), optgroup=group)
                 for group, names in zone_groups() for name in names)


def with_current_zone(zone: str | None) -> list[SelectChoice]:
    """The zone list, plus the record's own zone if it is none of them (a
    fixed offset such as Etc/GMT+7; an alias is shown as its current zone)."""
    zones = list(timezone_choices())
    if zone and not any(zone == z.value for z in zones):
        zones.insert(0, SelectChoice(zone, zone))
    return zones


NO_COUNTRY_YET = "Choose a country (none if online)"


def country_choices(blank: str = "—") -> list[SelectChoice]:
    return options([("", blank), *all_countries()])


class Picked:
    """A select must have a value. Unlike InputRequired it adds no HTML
    `required`, which a select whose first option is a real choice (not a
    blank placeholder) may not carry."""

    def __init__(self, message: str):
        self.message = message

    def __call__(self, form, field) -> None:
        if not field.raw_data or not field.raw_data[0]:
            raise StopValidation(self.message)


class LastDay:
    """The last day is needed for a workshop known to the day; for one known
    only to the month or the year it stays empty (models.Workshop)."""

    def __call__(self, form, field) -> None:
        if field.raw_data and field.raw_data[0].strip():
            return
        field.errors[:] = []  # not "Enter a date like…" for an empty field
        if form.date_precision.data in (None, "", "day"):
            raise StopValidation("Enter the last day.")
        raise StopValidation()


def _strip(value):
    return value.strip() if isinstance(value, str) else value


class NetworkForm(VersionedForm):
    acronym = StringField("Acronym", validators=[DataRequired("Enter the network's acronym, e.g. CSCAP."),
                                                 at_most(Network.acronym)], filters=[_strip])
    name = StringField("Full name", validators=[DataRequired("Enter the network's full name."),
                                                at_most(Network.name)], filters=[_strip])
    slug = StringField("Web address", validators=[Optional(), at_most(Network.slug)], filters=[_strip])
    website = StringField("Website", validators=[Optional(), at_most(Network.website)], filters=[_strip])
    founded_year = IntegerField("Founded in", invalid_value_message="Enter a year like 1993.", validators=[Optional()])
    description = TextAreaField("Description", validators=[at_most(10000)])


class InstituteForm(VersionedForm):
    name = StringField("Name", validators=[DataRequired("Enter the institute's name."), at_most(MemberInstitute.name)],
                       filters=[_strip])
    acronym = StringField("Acronym", validators=[Optional(), at_most(MemberInstitute.acronym)], filters=[_strip])
    country = SelectField("Country", invalid_choice_message=PICK, validators=[DataRequired("Pick a country.")])
    city = StringField("City", validators=[Optional(), at_most(MemberInstitute.city)], filters=[_strip])
    website = StringField("Website", validators=[Optional(), at_most(MemberInstitute.website)], filters=[_strip])
    networks = SelectMultipleField("Networks", invalid_choice_message=PICK_MANY, invalid_value_message=PICK, coerce=int)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.country.choices = country_choices("Pick a country")


class SeriesForm(VersionedForm):
    network = SelectField("Network", invalid_choice_message=PICK, invalid_value_message=PICK, coerce=int, validators=[Picked("Pick a network.")])
    name = StringField("Name", validators=[DataRequired("Enter the series' name."), at_most(Series.name)],
                       filters=[_strip])
    slug = StringField("Web address", validators=[Optional(), at_most(Series.slug)], filters=[_strip])
    kind = SelectField("Kind", invalid_choice_message=PICK, choices=vocab_options(SERIES_KINDS, SERIES_KIND_LABELS))
    description = TextAreaField("Description", validators=[at_most(10000)])
    active_since = DateField("Active since", invalid_value_message=BAD_DATE, validators=[Optional()])


class SeriesStatusForm(FlaskForm):
    status = SelectField("Status", invalid_choice_message=PICK, choices=vocab_options(SERIES_STATUSES, SERIES_STATUS_LABELS))
    effective_on = DateField("From", invalid_value_message=BAD_DATE, validators=[InputRequired("Enter the date the status began.")])
    note = TextAreaField("Note", validators=[at_most(2000)])


class InstituteRoleForm(Form):
    """One row of a workshop's institutes: an institute and its role."""

    institute = SelectField("Institute", invalid_choice_message=PICK, invalid_value_message=PICK, coerce=int,
                            default=0, validators=[Optional()])
    role = SelectField("Role", invalid_choice_message=PICK, choices=vocab_options(INSTITUTE_ROLES, INSTITUTE_ROLE_LABELS),
                       default="co_organiser")


BLANK_INSTITUTE_ROWS = 2  # empty rows offered after the workshop's own (at least three rows in all)


class WorkshopForm(VersionedForm):
    title = StringField("Title", validators=[DataRequired("Enter the workshop's title."), at_most(Workshop.title)],
                        filters=[_strip])
    slug = StringField("Web address", validators=[Optional(), at_most(Workshop.slug)], filters=[_strip])
    network = SelectField("Lead network", invalid_choice_message=PICK, invalid_value_message=PICK, coerce=int, validators=[Optional()])
    series = SelectField("Series", invalid_choice_message=PICK, invalid_value_message=PICK, coerce=int, validators=[Optional()])
    networks = CheckboxesField("Co-organising networks")
    institutes = FieldList(FormField(InstituteRoleForm), "Institutes", min_entries=3, max_entries=40)
    start_date = DateField("First day", invalid_value_message=BAD_DATE, validators=[InputRequired("Enter the first day.")])
    end_date = DateField("Last day", invalid_value_message=BAD_DATE, validators=[LastDay()])
    date_precision = SelectField("Dates known to the", invalid_choice_message=PICK,
                                 choices=vocab_options(DATE_PRECISIONS, DATE_PRECISION_LABELS), default="day")
    approximate = BooleanField("Approximate (the record says “c.” or “?”)", default=False)
    timezone = SelectField("Time zone of the venue", invalid_choice_message=PICK, validators=[Picked("Pick a time zone.")])
    format = SelectField("Format", invalid_choice_message=PICK, choices=vocab_options(FORMATS, FORMAT_LABELS))
    venue = StringField("Venue", validators=[Optional(), at_most(Workshop.venue)], filters=[_strip])
    city = StringField("City", validators=[Optional(), at_most(Workshop.city)], filters=[_strip])
    country = SelectField("Country", invalid_choice_message=PICK, validators=[Optional()])
    visibility = SelectField("Who may see the agenda", invalid_choice_message=PICK, choices=vocab_options(VISIBILITIES, VISIBILITY_LABELS))
    chatham_house = BooleanField("Under the Chatham House rule", default=True)
    objectives = TextAreaField("Objectives", validators=[at_most(20000)])
    rules = TextAreaField("Rules for participants", validators=[at_most(20000)])
    themes = CheckboxesField("Themes")
    shift_agenda = BooleanField("Move the agenda with the dates", default=True)

    def __init__(self, *args, zone: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.timezone.choices = with_current_zone(zone)
        # No country is picked for the user: "In person" (the default format) needs one chosen,
        # an online meeting leaves this empty option (operations_workshops.meeting_country).
        self.country.choices = country_choices(NO_COUNTRY_YET)

    def set_institutes(self, institutes) -> None:
        """The institutes every row offers, with none first (an empty row is left out)."""
        named = sorted(((i.id, f"{i.acronym} — {i.name}" if i.acronym else i.name) for i in institutes),
                       key=lambda pair: pair[1].lower())
        offered = options([(0, "—"), *named])  # the acronym first: a narrow select still shows it
        for number, row in enumerate(self.institutes, start=1):
            row.institute.choices = offered
            row.institute.label.text, row.role.label.text = f"Institute {number}", f"Role {number}"

    def organisers_data(self) -> dict:
        """The organisers as operations_organisers.py takes them: empty rows left out."""
        return {
            "network": self.network.data or None, "series": self.series.data or None,
            "networks": list(self.networks.data or []),
            "institutes": [{"institute_id": row.institute.data, "role": row.role.data}
                           for row in self.institutes if row.institute.data],
        }


class PlanNextForm(FlaskForm):
    start_date = DateField("First day of the next meeting", invalid_value_message=BAD_DATE, validators=[InputRequired("Enter the first day.")])
    title = StringField("Title", validators=[DataRequired("Enter the title."), at_most(Workshop.title)], filters=[_strip])
    slug = StringField("Web address", validators=[Optional(), at_most(Workshop.slug)], filters=[_strip])


class StatusForm(VersionedForm):
    """The buttons that publish, unpublish, cancel or reinstate a workshop."""


class AgendaItemForm(VersionedForm):
    title = StringField("Title", validators=[DataRequired("Enter a title, e.g. Opening session or Coffee break."),
                                             at_most(AgendaItem.title)], filters=[_strip])
    kind = SelectField("Kind", invalid_choice_message=PICK, choices=vocab_options(AGENDA_KINDS, AGENDA_KIND_LABELS), default="session")
    day = SelectField("Day", invalid_choice_message=OUTSIDE, validators=[Picked("Pick the day of the item.")])
    start = TimeField("Starts", format=TIME_FORMATS, invalid_value_message=BAD_TIME, validators=[InputRequired("Enter the start time, e.g. 09:00.")])
    end = TimeField("Ends", format=TIME_FORMATS, invalid_value_message=BAD_TIME, validators=[InputRequired("Enter the end time, e.g. 10:30.")])
    room = StringField("Room", validators=[Optional(), at_most(AgendaItem.room)], filters=[_strip])
    description = TextAreaField("Description", validators=[at_most(20000)])
    chairs = SelectMultipleField("Chairs", invalid_choice_message=PICK_MANY, invalid_value_message=PICK, coerce=int)
    speakers = SelectMultipleField("Speakers", invalid_choice_message=PICK_MANY, invalid_value_message=PICK, coerce=int)
    discussants = SelectMultipleField("Discussants", invalid_choice_message=PICK_MANY, invalid_value_message=PICK, coerce=int)
    status = SelectField("Status", invalid_choice_message=PICK, choices=options([("scheduled", "Scheduled"),
                                                  ("cancelled", "Cancelled (kept on the agenda, marked)")]))

    def set_choices(self, days, people) -> None:
        self.day.choices = day_choices(days)
        for name in ("chairs", "speakers", "discussants"):
            getattr(self, name).choices = options(people)


def day_choices(days) -> list[SelectChoice]:
    return options((d.isoformat(), f"{d:%A} {d.day} {d:%B %Y}") for d in days)


class MoveItemForm(VersionedForm):
    day = SelectField("New day", invalid_choice_message=OUTSIDE, validators=[Picked("Pick the day.")])
    start = TimeField("New start", format=TIME_FORMATS, invalid_value_message=BAD_TIME, validators=[InputRequired("Enter the start time, e.g. 09:00.")])


class ConfirmForm(VersionedForm):
    """A confirmation page's one button (CSRF and the version seen)."""


class ThemeForm(VersionedForm):
    name = StringField("Name", validators=[DataRequired("Enter the theme's name, e.g. Maritime security."),
                                           at_most(Theme.name)], filters=[_strip])
    non_traditional = BooleanField("A non-traditional security theme", default=True)


class MergeThemesForm(FlaskForm):
    theme = SelectField("Merge the theme", invalid_choice_message=PICK, invalid_value_message=PICK, coerce=int,
                        validators=[Picked("Pick the theme to merge.")])
    into = SelectField("into the theme", invalid_choice_message=PICK, invalid_value_message=PICK, coerce=int,
                       validators=[Picked("Pick the theme to keep.")])
