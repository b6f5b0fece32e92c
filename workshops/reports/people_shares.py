"""Who took part, by gender (docs/report-definitions.md, "Gender"): among the
distinct attendees of the period, and among the distinct speakers and
chairs, how many described their gender each way and how many did not say
("not recorded": counted, never guessed). Counts only, no names (Chatham
House rule).

A person counts once per group, with the gender of their last attended
participation of the period in that group (as the sector mix does). ONE
statement; the few rows it returns are folded by people/gender.py's
`gender_key`, the one rule for counting the free text.
"""

from __future__ import annotations

from sqlalchemy import func, literal, select, union_all

from ..extensions import db
from ..people.gender import gender_key, gender_label
from ..people.models import Participation
from ..programme.models import Workshop
from .filters import Filters
from .scope import share, workshop_conditions

GROUPS = {"attendees": "Distinct attendees", "speakers_chairs": "Distinct speakers and chairs"}
ON_STAGE = ("chair", "speaker")  # the participation roles counted as speakers and chairs


def people_shares(f: Filters) -> dict:
    """{group: {"total", "recorded", "not_recorded", "not_recorded_share",
    "by_gender": [{"gender", "count", "share"}]}} for the attendees and for
    the speakers and chairs of the period within the filters."""
    conditions = [Participation.status == "attended", *workshop_conditions(f, f.start, f.end, theme=True)]

    def rows(group: str, *extra):
        return (select(literal(group).label("grp"), Participation.person_id, Participation.gender,
                       Workshop.start_date, Participation.id)
                .join(Workshop, Workshop.id == Participation.workshop_id).where(*conditions, *extra))

    both = union_all(rows("attendees"), rows("speakers_chairs", Participation.role.in_(ON_STAGE))).subquery("people")
    c = both.c
    latest = select(
        c.grp, c.gender,
        func.row_number().over(partition_by=(c.grp, c.person_id),
                               order_by=(c.start_date.desc(), c.id.desc())).label("n"),
    ).subquery("latest")
    counted = db.session.execute(
        select(latest.c.grp, latest.c.gender, func.count().label("n"))
        .where(latest.c.n == 1).group_by(latest.c.grp, latest.c.gender)
    ).all()

    result = {}
    for group, label in GROUPS.items():
        spellings: dict[str, list[tuple[str, int]]] = {}
        not_recorded = 0
        for row in counted:
            if row.grp != group:
                continue
            key = gender_key(row.gender)
            if key is None:
                not_recorded += row.n
            else:
                spellings.setdefault(key, []).append((row.gender, row.n))
        total = not_recorded + sum(n for pairs in spellings.values() for _, n in pairs)
        by_gender = sorted(
            ({"gender": gender_label(pairs), "count": sum(n for _, n in pairs)} for pairs in spellings.values()),
            key=lambda e: (-e["count"], e["gender"].casefold()))
        for entry in by_gender:
            entry["share"] = share(entry["count"], total)
        result[group] = {
            "label": label, "total": total, "recorded": total - not_recorded, "not_recorded": not_recorded,
            "not_recorded_share": share(not_recorded, total), "by_gender": by_gender,
        }
    return result
