"""Who took part, by gender (docs/report-definitions.md, "Gender"): among the
distinct attendees of the period, and among the distinct speakers and
chairs, how many described their gender each way and how many did not say
("not recorded": counted, never guessed). Counts only, no names (Chatham
House rule).

A person counts once per group, with the gender of their last attended
participation of the period in that group (as the sector mix does). The
counts come from the report's one statement about who took part
(figures.participation); here they are folded by people/gender.py's
`gender_key`, the one rule for counting the free text.
"""

from __future__ import annotations

from ..people.gender import gender_key, gender_label
from .scope import share

GROUPS = {"attendees": "Distinct attendees", "speakers_chairs": "Distinct speakers and chairs"}
ON_STAGE = ("chair", "speaker")  # the participation roles counted as speakers and chairs


def shares(counted: dict[str, list[tuple[str | None, int]]]) -> dict:
    """{group: {"total", "recorded", "not_recorded", "not_recorded_share",
    "by_gender": [{"gender", "count", "share"}]}} for the attendees and for
    the speakers and chairs of the period within the filters, from each
    group's (gender as written, how many people) pairs — counted by
    figures.participation in the report's one statement about who took part."""
    result = {}
    for group, label in GROUPS.items():
        spellings: dict[str, list[tuple[str, int]]] = {}
        not_recorded = 0
        for gender, n in counted.get(group, []):
            key = gender_key(gender)
            if key is None:
                not_recorded += n
            else:
                spellings.setdefault(key, []).append((gender, n))
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
