"""One home for cleaning input (issue 12, item 3): a text's maximum length
is read from its String(N) column by the web forms, the API schemas and the
operations alike (core.cleaning.column_limit), and over it every one of
them says the same (core.cleaning.length_message); today's date is asked
in one place (core/clock.py)."""

from __future__ import annotations

import importlib
import re
from pathlib import Path

import pytest
from flask_wtf import FlaskForm
from wtforms.fields.core import UnboundField
from wtforms.validators import Length

from workshops.api import schemas as s
from workshops.api.operations import create_token
from workshops.audit.operations import Invalid
from workshops.core.cleaning import column_limit, length_message
from workshops.models import AgendaItem, Person, Recommendation, Track1Body, UptakeEventReference, Workshop
from workshops.outcomes import operations as outcomes_ops

ROOT = Path(__file__).resolve().parents[2]
FORM_MODULES = ["workshops.programme.forms", "workshops.outcomes.forms", "workshops.people.forms",
                "workshops.auth.forms", "workshops.api.forms"]


def _length_checks():
    """(form, field, Length) for every text field of every form."""
    for module_name in FORM_MODULES:
        module = importlib.import_module(module_name)
        for form in vars(module).values():
            if not (isinstance(form, type) and issubclass(form, FlaskForm)):
                continue
            for name in dir(form):
                field = getattr(form, name)
                if isinstance(field, UnboundField):
                    for check in field.kwargs.get("validators", []):
                        if isinstance(check, Length):
                            yield form, name, check


def test_every_form_says_the_one_message_over_a_length():
    checks = list(_length_checks())
    assert len(checks) > 40
    other = [f"{form.__name__}.{name}: {check.message}" for form, name, check in checks
             if check.message != length_message(check.max)]
    assert other == []


@pytest.mark.parametrize(("form_name", "field", "column"), [
    ("workshops.programme.forms.WorkshopForm", "title", Workshop.title),
    ("workshops.programme.forms.WorkshopForm", "slug", Workshop.slug),
    ("workshops.programme.forms.AgendaItemForm", "room", AgendaItem.room),
    ("workshops.outcomes.forms.RecommendationForm", "title", Recommendation.title),
    ("workshops.outcomes.forms.ReferenceRowForm", "url", UptakeEventReference.url),
    ("workshops.outcomes.forms.ReferenceRowForm", "label", UptakeEventReference.label),
    ("workshops.outcomes.forms.Track1BodyForm", "established", Track1Body.established),
    ("workshops.people.forms.PersonForm", "full_name", Person.full_name),
    ("workshops.people.forms.PersonForm", "email", Person.email),
])
def test_a_form_field_takes_its_limit_from_the_column(form_name, field, column):
    module, _, form = form_name.rpartition(".")
    unbound = getattr(getattr(importlib.import_module(module), form), field)
    limits = [v.max for v in unbound.kwargs["validators"] if isinstance(v, Length)]
    assert limits == [column_limit(column)] == [column.type.length]


@pytest.mark.parametrize(("model", "field", "column"), [
    (s.WorkshopCreate, "title", Workshop.title), (s.WorkshopUpdate, "venue", Workshop.venue),
    (s.AgendaItemCreate, "room", AgendaItem.room), (s.NewPerson, "honorific", Person.honorific),
    (s.RecommendationCreate, "reference", Recommendation.reference),
    (s.ReferenceIn, "url", UptakeEventReference.url), (s.ReferenceIn, "label", UptakeEventReference.label),
])
def test_an_api_schema_takes_its_limit_from_the_column(model, field, column):
    schema = model.model_json_schema()["properties"][field]
    limits = [part["maxLength"] for part in schema.get("anyOf", [schema]) if "maxLength" in part]
    assert limits == [column_limit(column)]


def test_no_form_or_schema_writes_a_column_length_as_a_literal():
    """Length(max=…) is written once (core.forms.at_most)."""
    literal = []
    for path in (ROOT / "workshops").rglob("forms.py"):
        if path.parent.name != "core":
            literal += [f"{path.relative_to(ROOT)}: {m}" for m in re.findall(r"Length\(max=\w+\)", path.read_text())]
    assert literal == []


def test_an_operation_says_the_same_as_the_form(app, make):
    workshop = make.workshop()
    admin = make.user(role="admin")
    with app.test_request_context("/"), pytest.raises(Invalid) as refused:
        outcomes_ops.create_recommendation(admin, workshop, {"title": "x" * 301, "text": "A text."})
    assert refused.value.errors == {"title": length_message(300)}


def test_the_same_limit_has_one_message_on_a_page_and_in_the_api(client, auth, make):
    admin = auth.login(role="admin")
    workshop = make.workshop()
    page = client.post(f"/workshops/{workshop.id}/recommendations/new",
                       data={"title": "x" * 301, "text": "A text.", "priority": "medium"})
    assert page.status_code == 422
    assert length_message(300) in page.get_data(as_text=True)
    _, secret = create_token(admin, admin, "tests")
    api = client.post(f"/api/v1/workshops/{workshop.id}/recommendations", json={"title": "x" * 301, "text": "A"},
                      headers={"Authorization": f"Bearer {secret}"})
    assert api.status_code == 422
    assert api.get_json()["errors"]["title"] == length_message(300)


def test_today_is_defined_once():
    homes = [str(p.relative_to(ROOT)) for p in (ROOT / "workshops").rglob("*.py")
             if re.search(r"^def today\(", p.read_text(encoding="utf-8"), re.M)]
    assert homes == ["workshops/core/clock.py"]
