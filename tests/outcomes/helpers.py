"""Plain helpers for the outcomes tests (the shared ones: tests/conftest.py)."""

from __future__ import annotations

import datetime as dt

from ..conftest import audit_entries, count  # noqa: F401
from ..conftest import fresh as reload  # noqa: F401


def days_ago(n: int) -> dt.date:
    return dt.date.today() - dt.timedelta(days=n)
