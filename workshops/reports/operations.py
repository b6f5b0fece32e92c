"""Writes of the reports capability: the foreword of a year's report, for
all networks or one network (docs/report-definitions.md, "Foreword").
Who may: an admin for all networks, an admin or an organiser of the
network for a network's report (auth/access.py can_edit). Through the
unit of work, so every change is in the audit trail.
"""

from __future__ import annotations

from sqlalchemy.exc import IntegrityError

from ..audit.operations import Conflict, Invalid, expect_version, unit_of_work
from ..auth.access import require_edit
from ..core import cleaning, markdown_text
from .filters import FIRST_YEAR, LAST_YEAR
from .foreword import foreword_of
from .models import ReportForeword

FOREWORD_MAX = 3000  # characters: a short foreword, half a page of the PDF


def clean_foreword(value) -> str:
    """The foreword as saved, or Invalid naming `text`: too long, raw HTML,
    a link that is not a web or mail address (core/markdown_text.py)."""
    text = cleaning.clean_text(value, multiline=True)
    if len(text) > FOREWORD_MAX:
        raise Invalid({"text": f"The foreword is {len(text):,} characters long; keep it to {FOREWORD_MAX:,} "
                               f"(about half a page)."})
    found = markdown_text.problems(text)
    if found:
        raise Invalid({"text": " ".join(found)})
    return text


def save_foreword(actor, year: int, network_id: int | None, text, version: int | None = None
                  ) -> ReportForeword | None:
    """Write (or, with an empty text, remove) the foreword of the year's
    report for the network; None when there is none left."""
    require_edit(network_id, actor)
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise Invalid({"year": f"Choose a year from {FIRST_YEAR} to {LAST_YEAR}."})
    cleaned = clean_foreword(text)
    foreword = foreword_of(year, network_id)
    if foreword is not None:
        expect_version(foreword, version)
    elif version:
        # The form was opened on a foreword someone else has removed since.
        raise Invalid({"text": "This foreword was removed meanwhile; save again to write it anew."})
    try:
        with unit_of_work(actor, note="Report foreword") as session:
            if not cleaned:
                if foreword is not None:
                    session.delete(foreword)
                return None
            if foreword is None:
                foreword = ReportForeword(year=year, network_id=network_id)
                session.add(foreword)
            foreword.text = cleaned
            foreword.updated_by_id = getattr(actor, "id", None)
    except Conflict as exc:
        if exc.obj is None and foreword is not None:
            raise Conflict(foreword, version) from exc
        raise
    except IntegrityError as exc:  # two first forewords of the same report at once: one is kept
        raise Invalid({"text": "Someone else wrote this foreword meanwhile; reload the page to read it "
                               "and save again."}) from exc
    return foreword
