"""`flask --app wsgi import-archive FILE [--dry-run]`: the archive import
from the command line, with the same checks and preview as the page."""

from __future__ import annotations

from pathlib import Path

import click

from ..core.spreadsheets import SpreadsheetError, read_table
from ..errors import Invalid
from . import columns, importing


def _print_problems(result: importing.ArchiveResult) -> None:
    for row in result.with_problems:
        for column, message in row.problems:
            click.echo(f"Row {row.number}, {column}: {message}", err=True)


@click.command("import-archive")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Check every row and say what would be created; save nothing.")
def import_archive_command(file: Path, dry_run: bool) -> None:
    """Import a network's archive (CSV or XLSX, the template of /archive/import): all rows or none."""
    data = file.read_bytes()[: importing.MAX_ARCHIVE_BYTES + 1]
    try:
        table = read_table(file.name, data, max_bytes=importing.MAX_ARCHIVE_BYTES,
                           max_rows=importing.MAX_ARCHIVE_ROWS)
        rows = columns.read_rows(table)
        result = importing.import_archive(importing.CommandLine(), rows, source=file.name, dry_run=dry_run)
    except SpreadsheetError as exc:
        raise click.ClickException(str(exc)) from exc
    except importing.ArchiveRefused as exc:
        _print_problems(exc.result)
        raise click.ClickException(exc.errors["file"]) from exc
    except Invalid as exc:
        raise click.ClickException(" ".join(exc.errors.values())) from exc
    if dry_run:
        _print_problems(result)
        if result.with_problems:
            raise click.ClickException(
                f"{len(result.with_problems)} of {len(result.rows)} rows have problems; nothing was saved.")
        click.echo(f"Checked {len(result.rows)} rows of {file.name}: {result.summary()}. "
                   "Nothing was saved (--dry-run).")
        return
    click.echo(f"Imported {len(result.rows)} rows of {file.name}: {result.summary()}.")
