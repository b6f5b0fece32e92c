"""How long does the archive import take for a file of N rows?

Run from the repository root:

    .venv/bin/python bench/archive_bench.py --rows 500

It builds a fresh SQLite database under a temporary folder with the demo
data (for its networks, institutes and Track-1 bodies), writes an archive
of N rows (each a meeting with a host, a recommendation and one uptake
event with two sources, dates in every precision), then times the preview
(`--dry-run`, everything checked and rolled back) and the import, and the
re-import that finds every record and creates nothing. It prints seconds
and rows per second for each. Options: --rows N (default 300),
--database-url URL (an empty PostgreSQL database instead of SQLite).
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

DATES = ("{y}-03-1{d}", "June {y}", "c. {y}", "{y}?", "before March {y}")


def archive(rows: int) -> bytes:
    from workshops.archive.columns import COLUMN_NAMES

    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMN_NAMES)
    for i in range(rows):
        year = 1995 + i % 28
        row = {"network": "NADI", "meeting_title": f"NADI Seminar {i}",
               "meeting_date": DATES[i % len(DATES)].format(y=year, d=i % 9), "country": "SG", "hosts": "RSIS",
               "recommendation_ref": f"NADI-BENCH-{i}", "recommendation_title": f"Recommendation {i}",
               "event_stage": "transmitted", "event_date": str(year + 1), "track1_body": "ADMM",
               "references": "https://admm.asean.org/ | ADMM/SOM/X", "attribution": "thematic"}
        writer.writerow([row.get(c, "") for c in COLUMN_NAMES])
    return out.getvalue().encode("utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=300)
    parser.add_argument("--database-url", default="")
    args = parser.parse_args()
    folder = tempfile.mkdtemp(prefix="archive-bench-")
    os.environ["INSTANCE_PATH"] = folder
    if args.database_url:
        os.environ["DATABASE_URL"] = args.database_url
    from flask_migrate import upgrade

    from workshops import create_app
    from workshops.archive import columns, importing
    from workshops.core.spreadsheets import read_table
    from workshops.demo import load

    app = create_app()
    with app.app_context():
        upgrade()
        load()
        rows = columns.read_rows(read_table("bench.csv", archive(args.rows), max_bytes=10**8,
                                            max_rows=args.rows + 1))
        for label, dry_run in (("preview (--dry-run)", True), ("import", False), ("re-import", False)):
            started = time.perf_counter()
            result = importing.import_archive(importing.CommandLine(), rows, source="bench.csv", dry_run=dry_run)
            took = time.perf_counter() - started
            print(f"{label:20} {args.rows} rows in {took:6.1f} s ({args.rows / took:5.1f} rows/s): {result.summary()}")


if __name__ == "__main__":
    main()
