"""Small readers for the programme tests' assertions (the shared ones:
tests/conftest.py)."""

from __future__ import annotations

import html
import re

from ..conftest import audit_entries, count, form_errors, fresh  # noqa: F401


def flashes(html: str, category: str) -> list[str]:
    return [re.sub(r"\s+", " ", m).strip()
            for m in re.findall(rf'class="flash flash-{category}">(.*?)</p>', html, re.S)]


def field_errors(page: str) -> list[str]:
    """The messages shown next to fields, as the user reads them."""
    return [html.unescape(m) for m in form_errors(page)]
