"""The foreword of a report, written on the report page (the form there
posts here) or on a page of its own (docs/report-definitions.md,
"Foreword"); operations.py holds the rules.

    /reports/<year>/foreword              all networks (admins)
    /reports/<year>/foreword?network=X    one network (its organisers and admins)
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from flask import abort, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import func, select

from ..auth.access import can_edit
from ..core.markdown_text import render
from ..core.pages import edit_round, guarded
from ..extensions import db
from ..programme.models import Network
from .filters import FIRST_YEAR, LAST_YEAR, filter_text
from .foreword import foreword_of
from .forms import ForewordForm
from .operations import FOREWORD_MAX, save_foreword
from .views import bp


@dataclass(frozen=True)
class ForewordOf:
    """Whose foreword: a year's report, for all networks (network_id None) or one."""

    year: int
    network_id: int | None
    network: str | None  # its acronym


def _load(year: int) -> ForewordOf:
    if not FIRST_YEAR <= year <= LAST_YEAR:
        abort(404, description=f"Reports are made for the years {FIRST_YEAR} to {LAST_YEAR}.")
    typed = filter_text(request.args, "network")
    if not typed:
        return ForewordOf(year, None, None)
    condition = (Network.id == int(typed) if typed.isdecimal() and len(typed) < 10
                 else func.lower(Network.acronym) == typed.lower())
    row = db.session.execute(select(Network.id, Network.acronym).where(condition)).first()
    if row is None:
        abort(404, description=f"There is no network “{typed[:40]}”.")
    return ForewordOf(year, row.id, row.acronym)


@bp.route("/<int:year>/foreword", methods=["GET", "POST"])
@guarded(_load, may=can_edit)
def foreword_edit(target: ForewordOf):
    found = foreword_of(target.year, target.network_id)
    form = ForewordForm(data={"text": found.text if found else "", "version": found.version if found else None}
                        if request.method == "GET" else None)
    where = {"network": target.network} if target.network else {}
    report_url = url_for(".report", year=target.year, **where) + "#foreword"

    def saved(result) -> str:
        return (f"Foreword of the {target.year} report saved." if result is not None
                else f"The {target.year} report has no foreword now.")

    return edit_round(
        form, lambda: save_foreword(current_user._get_current_object(), target.year, target.network_id,
                                    form.text.data, form.version.data),
        record=found,
        render=lambda **c: render_template("reports/foreword_form.html", form=form, target=target,
                                           current=render(found.text) if found else None,
                                           report_url=report_url, limit=FOREWORD_MAX, **c),
        saved=saved, then=report_url)


@bp.app_template_filter("iso_day")
def iso_day(text: str) -> str:
    """A day the report's JSON gives as YYYY-MM-DD (highlights.py), as the page writes it: 20 January 2026."""
    try:
        day = dt.date.fromisoformat(text)
    except (TypeError, ValueError):
        return text or ""
    return f"{day.day} {day:%B %Y}"


@bp.app_template_global("foreword_editor")
def foreword_editor(report) -> dict | None:
    """The foreword's form for the report page, when the logged-in user may write this report's foreword."""
    f = report.filters
    if not (current_user.is_authenticated and can_edit(f.network_id)):
        return None
    found = report.foreword
    form = ForewordForm(formdata=None, data={"text": found["text"] if found else "",
                                             "version": found["version"] if found else None})
    return {"form": form, "target": ForewordOf(f.year, f.network_id, f.network), "limit": FOREWORD_MAX}
