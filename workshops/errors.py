"""The refusals every layer speaks: a domain rule said no (`Invalid`, with
`Problems` to gather them), or the record changed meanwhile (`Conflict`).

They live below every package (they import nothing of the app), so the
shared page pipeline (core/pages.py) and forms (core/forms.py) read them
without importing a capability. audit/operations.py raises them and
re-exports them, and tells `Conflict` how to read what changed since (the
audit trail), so this module needs no table. The HTTP error pages are
another thing: core/errors.py."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


class Conflict(Exception):
    """The record changed since the form was loaded: nothing was saved."""

    # history(obj, since_version) -> the audit entries written after the
    # version the user saw; set by audit/operations.py (the audit trail).
    history: Callable[[Any, int | None], list] | None = None

    def __init__(self, obj, since_version: int | None):
        self.obj = obj
        self.since_version = since_version
        super().__init__("This record was changed by someone else meanwhile; nothing was saved.")

    def changes_since(self) -> list:
        """The audit entries written after the version the user saw."""
        if self.obj is None or Conflict.history is None:
            return []
        return Conflict.history(self.obj, self.since_version)


class Invalid(Exception):
    """A domain rule refused the change; `errors` maps field names to a
    message a non-technical organiser understands. Nothing was saved."""

    def __init__(self, errors: dict[str, str]):
        self.errors = errors
        super().__init__("; ".join(f"{k}: {v}" for k, v in errors.items()))


class Problems:
    """Gathers every field's refusal before giving up, so a form shows all
    its errors in one round instead of one per submit:

        found = Problems()
        title = found.check(_required, data, "title", ...)   # None if refused
        if start and end and end < start:
            found.add("end_date", "The last day cannot be before the first day.")
        found.raise_any()                                       # Invalid(all of them)

    The first message for a field wins."""

    def __init__(self) -> None:
        self.errors: dict[str, str] = {}

    def check(self, rule, *args, **kwargs):
        try:
            return rule(*args, **kwargs)
        except Invalid as exc:
            for name, message in exc.errors.items():
                self.errors.setdefault(name, message)
            return None

    def add(self, name: str, message: str) -> None:
        self.errors.setdefault(name, message)

    def raise_any(self) -> None:
        if self.errors:
            raise Invalid(dict(self.errors))


def problems_of(rule: Callable[..., Any], *args, **kwargs) -> dict[str, str]:
    """What `rule(*args, **kwargs)` refuses, as {field: message}, without
    its result: the domain checks of an operation run on a submission the
    form already refused, so that the page shows the form's messages and
    the operation's together, in one round (core/pages.py edit_round's
    `problems`). The rule must save nothing (the operations' `_…_values`)."""
    try:
        rule(*args, **kwargs)
    except Invalid as exc:
        return dict(exc.errors)
    return {}
