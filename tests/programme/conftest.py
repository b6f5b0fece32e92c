"""Fixtures of the programme tests."""

from __future__ import annotations

from contextlib import contextmanager

import pytest
from sqlalchemy import event

from workshops.extensions import db


@pytest.fixture
def count_queries():
    """Counts the SQL statements run inside the block: `with count_queries() as n: …; n[0]`."""

    @contextmanager
    def counting():
        counter = [0]

        def before(*args, **kwargs):
            counter[0] += 1

        engine = db.engine
        event.listen(engine, "before_cursor_execute", before)
        try:
            yield counter
        finally:
            event.remove(engine, "before_cursor_execute", before)

    return counting
