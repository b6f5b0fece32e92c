"""Numbers in words, one rule each, for every page, PDF and message:

- `number`: 1,234 and 56.5 (one decimal only when the value is not whole);
- `plural`: "1 workshop", "2 workshops", "0 workshops";
- `signed`: a difference with its sign, "+15", "−56.5", "+2 pp", "−3 days",
  or "no change", written with the same digits as `number`.
"""

from __future__ import annotations

MINUS = "\u2212"  # the minus sign, the typographic pair of "+"

# Irregular plurals the app needs; every other word takes an "s".
IRREGULAR = {"person": "people", "series": "series", "day": "days"}


def number(value) -> str:
    """A count or a measure as people read it: thousands separated, one
    decimal only when the value is not a whole number; "—" for no value."""
    if value is None:
        return "—"
    if isinstance(value, float) and not value.is_integer():
        return f"{value:,.1f}"
    return f"{int(value):,}"


def plural_word(n, singular: str, plural_form: str | None = None) -> str:
    """The word alone, singular for exactly one."""
    if n == 1:
        return singular
    return plural_form or IRREGULAR.get(singular) or singular + "s"


def plural(n, singular: str, plural_form: str | None = None) -> str:
    """The count and its noun: plural(1, "workshop") is "1 workshop"."""
    return f"{number(n)} {plural_word(n, singular, plural_form)}"


def signed(value, unit: str = "count") -> str:
    """A difference between two figures, always with its sign: "+3", "−2",
    "+1.5 days", "−56.5 days", "+4 pp" (a share's change, in percentage
    points, given as a fraction: 0.04). Zero is "no change"; None is "—"."""
    if value is None:
        return "—"
    if unit == "share":
        value = round(value * 100)
    if value == 0:
        return "no change"
    sign = "+" if value > 0 else MINUS
    text = sign + number(abs(value))
    if unit == "share":
        return f"{text} pp"
    if unit == "days":
        return f"{text} {plural_word(abs(value), 'day')}"
    return text
