"""Today's date, asked in one place: "in the future", "stale" and the
report's default figures are judged against it (docs/domain.md)."""

from __future__ import annotations

import datetime as dt


def today() -> dt.date:
    """The date against which "in the future" and "stale" are judged."""
    return dt.date.today()
