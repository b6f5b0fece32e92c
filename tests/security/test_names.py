"""One cleaning of typed text (workshops/core/cleaning.py) for forms, the
import and the API; a person's name refuses bidirectional controls and loses
zero-width characters (issue 11, low: "right-to-left override and zero-width
characters are accepted in names")."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from sqlalchemy import func, select

from workshops.api.operations import create_token
from workshops.core.cleaning import UnsafeText, clean_text
from workshops.extensions import db
from workshops.models import Person

ROOT = Path(__file__).resolve().parents[2]
BIDI = ["\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068", "\u2069"]


@pytest.mark.parametrize("char", BIDI)
def test_a_name_with_a_bidirectional_control_is_refused_naming_the_character(char):
    with pytest.raises(UnsafeText) as refused:
        clean_text(f"Siti {char}Rahman", name=True)
    assert f"(U+{ord(char):04X}) after “Siti”" in str(refused.value)


@pytest.mark.parametrize(("typed", "stored"), [
    ("\ufeffSiti\u200b Rahman\u2060", "Siti Rahman"),  # pasted from a web page or Word
    ("Al\u200dice", "Alice"), ("Al\u200cice", "Alice"), ("\u200cAli", "Ali"),  # joiners between Latin letters
    ("\u0645\u06cc\u200c\u062e\u0648\u0627\u0647", "\u0645\u06cc\u200c\u062e\u0648\u0627\u0647"),  # Persian ZWNJ
    ("\u0915\u094d\u200d\u0937", "\u0915\u094d\u200d\u0937"),  # Devanagari: ZWJ after a virama
    ("\u0dc1\u0dca\u200d\u0dbb\u0dd3", "\u0dc1\u0dca\u200d\u0dbb\u0dd3"),  # Sinhala (Sri): ZWJ after al-lakuna
    ("\u05e9\u05e8\u05d4 (Sarah)\u200f", "\u05e9\u05e8\u05d4 (Sarah)\u200f"),  # a right-to-left mark stays
    ("Nguy\u1ec5n\tV\u0103n\r\nAn\x00", "Nguyễn Văn An"),
])
def test_a_name_keeps_what_a_script_needs_and_loses_what_only_hides(typed, stored):
    assert clean_text(typed, name=True) == stored


def test_other_text_is_cleaned_as_before():
    """Titles, notes and recommendations keep bidirectional text and
    invisible characters; only control characters go."""
    assert clean_text("\u202eRTL\u202c title\x07\n\tsecond") == "\u202eRTL\u202c title second"
    assert clean_text("line\x00one\n\tline two\u200b ", multiline=True) == "lineone\n\tline two\u200b"
    assert clean_text(None) == "" and clean_text(12) == "12"


def test_the_control_character_rule_is_written_once():
    """Every module cleans through core/cleaning.py: no other copy of the
    control-character pattern or of a clean_text body."""
    copies = []
    for path in (ROOT / "workshops").rglob("*.py"):
        if path.name == "cleaning.py" and path.parent.name == "core":
            continue
        source = path.read_text(encoding="utf-8")
        if re.search(r"\\x0e-\\x1f|\\x00-\\x1f", source):
            copies.append(str(path.relative_to(ROOT)))
    assert copies == []


def test_the_person_form_refuses_an_override_at_the_field_and_keeps_what_was_typed(client, auth):
    auth.login(role="admin")
    name = "Siti \u202enamhaR"
    response = client.post("/people/new", data={"full_name": name, "honorific": "Dr\u200b", "email": "",
                                                "sector": "academia", "country": ""})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Remove the invisible right-to-left override character (U+202E) after “Siti”" in page
    assert name in page  # what was typed is still in the field
    assert db.session.scalar(select(func.count()).select_from(Person)) == 0


def test_the_person_form_removes_zero_width_characters(client, auth):
    auth.login(role="admin")
    response = client.post("/people/new", data={"full_name": "\u200bSiti\u2060 Rahman\ufeff", "honorific": "Dr",
                                                "email": "", "sector": "academia", "country": ""})
    assert response.status_code == 302
    assert db.session.scalar(select(Person.full_name)) == "Siti Rahman"


def test_the_api_refuses_an_override_in_a_new_participants_name(client, make):
    admin = make.user(role="admin")
    workshop = make.workshop()
    _, secret = create_token(admin, admin, "tests")
    response = client.post(f"/api/v1/workshops/{workshop.id}/participants",
                           json={"new_person": {"full_name": "\u202eeeL nnA"}, "role": "participant"},
                           headers={"Authorization": f"Bearer {secret}"})
    assert response.status_code == 422, response.get_data(as_text=True)
    problem = response.get_json()
    assert "U+202E" in str(problem) and "full_name" in str(problem)
    assert db.session.scalar(select(func.count()).select_from(Person)) == 0
