"""A network's archive in one spreadsheet: every row mapped to the
capabilities' own operations (programme's workshops, outputs, outcomes'
recommendations and uptake events), all inside ONE unit of work for the
whole file, so that the file goes in whole or not at all.

The same run is the preview: with `dry_run` (or when any row has a
problem) everything is rolled back at the end, and the result tells, row
by row, what would be created, what is already recorded, and what each
row's problems are (at their column). A re-import of the same file finds
every record (identities in docs/domain.md, "The archive import") and
creates nothing. See the column guide in columns.py."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from sqlalchemy.exc import IntegrityError
from werkzeug.exceptions import HTTPException

from ..audit.operations import unit_of_work
from ..core.text import plural
from ..errors import Invalid
from ..extensions import db
from . import lookups
from .columns import COLUMN_NAMES, clean_line, split_list
from .steps import Steps

MAX_ARCHIVE_BYTES = 4 * 1024 * 1024
MAX_ARCHIVE_ROWS = 2000


@dataclass
class ArchiveRow:
    number: int
    raw: dict[str, str]
    problems: list[tuple[str, str]] = field(default_factory=list)  # (column, message)
    outcome: list[str] = field(default_factory=list)  # "New meeting", "Meeting already recorded"…

    def problem(self, column: str, message: str) -> None:
        self.problems.append((column, message))

    @property
    def source_label(self) -> str:
        return self.raw.get("meeting_title") or self.raw.get("output_title") or ""


@dataclass
class ArchiveResult:
    rows: list[ArchiveRow]
    created: Counter = field(default_factory=Counter)  # kind → how many new
    existing: Counter = field(default_factory=Counter)  # kind → how many already recorded
    saved: bool = False
    message: str = ""

    @property
    def with_problems(self) -> list[ArchiveRow]:
        return [r for r in self.rows if r.problems]

    @property
    def rows_problems_first(self) -> list[ArchiveRow]:
        return self.with_problems + [r for r in self.rows if not r.problems]

    @property
    def ok(self) -> bool:
        return bool(self.rows) and not self.with_problems and not self.message

    def summary(self) -> str:
        kinds = ("meeting", "output", "recommendation", "uptake event", "chair")
        new = ", ".join(plural(self.created[k], k) for k in kinds if self.created[k])
        return f"{'new: ' + new if new else 'nothing new'}; {plural(sum(self.existing.values()), 'record')} " \
               "already recorded"


class ArchiveRefused(Invalid):
    """Some rows have problems: nothing was imported. `result` says which."""

    def __init__(self, result: ArchiveResult):
        self.result = result
        bad = len(result.with_problems)
        super().__init__({"file": result.message or (
            f"{bad} {'row has a problem' if bad == 1 else 'rows have problems'}, so nothing was imported. "
            "Correct the file and upload it again.")})


class _RollBack(Exception):
    """Ends the outer unit of work without saving (a preview, or problems)."""


class CommandLine:
    """The actor of `flask import-archive`: the operator at the server, who
    may change every network; the audit trail names it "system: import-archive"."""

    is_authenticated = True
    active = True
    role = "admin"
    is_admin = True
    can_edit_anything = True
    id = None
    name = "system: import-archive"
    networks: list = []

    def can_edit_network(self, network_id) -> bool:
        return True


def may_import(actor) -> bool:
    return bool(getattr(actor, "is_authenticated", False) and getattr(actor, "can_edit_anything", False))


def import_archive(actor, rows: Iterable[tuple[int, Mapping[str, str]]], *, source: str = "",
                   dry_run: bool = False) -> ArchiveResult:
    """Run every row through the operations in one unit of work. Saves
    everything when no row has a problem and not `dry_run`; otherwise saves
    nothing. Raises ArchiveRefused when rows have problems (and not
    dry_run), Invalid when there is no row."""
    checked = [ArchiveRow(number=n, raw={k: str(raw.get(k, "") or "") for k in COLUMN_NAMES}) for n, raw in rows]
    if not checked:
        raise Invalid({"file": "There are no rows to import."})
    result = ArchiveResult(rows=checked)
    note = "Archive import" + (f" from {clean_line(source)[:200]}" if source else "")
    session = db.session
    try:
        with unit_of_work(actor, system="import-archive", note=note), session.no_autoflush:
            steps = Steps(actor, result)
            for row in checked:
                _run_row(steps, row, session)
            if dry_run or result.with_problems:
                raise _RollBack
    except _RollBack:
        pass
    except IntegrityError:
        result.message = ("Someone changed these records while the file was being imported, so nothing was "
                          "imported. Upload the file again.")
    else:
        result.saved = True
    if not dry_run and not result.saved:
        raise ArchiveRefused(result)
    return result


def _run_row(steps: Steps, row: ArchiveRow, session) -> None:
    """One row: every record it names found or created. A refusal of an
    operation becomes the row's problem at its column; what the row had
    added is taken out again, so that the next rows are checked against
    the records as they would be."""
    try:
        steps.row(row)
        session.flush()  # the next rows' look-ups find what this one created
    except (Invalid, HTTPException) as exc:
        if not session.is_active:  # a flush failed: someone saved the same record meanwhile
            raise IntegrityError("archive import", None, exc) from exc
        if isinstance(exc, HTTPException):
            row.problem("network", "You may not change this network's records.")
        elif not row.problems:
            row.problem("network", "; ".join(str(v) for v in getattr(exc, "errors", {}).values()) or str(exc))
        for obj in list(session.new):
            session.expunge(obj)
        session.expire_all()


__all__ = ["ArchiveRefused", "ArchiveResult", "ArchiveRow", "CommandLine", "MAX_ARCHIVE_BYTES",
           "MAX_ARCHIVE_ROWS", "import_archive", "lookups", "may_import", "split_list"]
