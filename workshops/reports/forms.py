"""Forms of the reports capability: the foreword of a report. The rules
(length, no raw HTML, safe links) are the operation's (operations.py), so
the page and any other caller refuse the same things with the same words."""

from __future__ import annotations

from wtforms import TextAreaField

from ..core.forms import VersionedForm


class ForewordForm(VersionedForm):
    text = TextAreaField("Foreword")
