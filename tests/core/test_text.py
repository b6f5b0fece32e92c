"""Numbers in words: one plural rule and one sign rule for every page."""

from __future__ import annotations

from workshops.core.text import number, plural, signed


def test_plural_is_singular_for_exactly_one():
    assert plural(1, "workshop") == "1 workshop"
    assert plural(0, "workshop") == "0 workshops"
    assert plural(2, "day") == "2 days"
    assert plural(1, "person") == "1 person" and plural(3, "person") == "3 people"
    assert plural(1200, "recommendation") == "1,200 recommendations"
    assert plural(1.5, "day") == "1.5 days"


def test_a_difference_always_carries_its_sign_and_the_figures_digits():
    assert signed(15.0, "days") == "+15 days"
    assert signed(-56.5, "days") == "\u221256.5 days"
    assert signed(1.0, "days") == "+1 day"
    assert signed(-2) == "\u22122" and signed(1234) == "+1,234"
    assert signed(0.04, "share") == "+4 pp" and signed(-0.083, "share") == "\u22128 pp"
    assert signed(0) == "no change" and signed(0.001, "share") == "no change"
    assert signed(None) == "—"
    assert number(51.0) == "51" and number(183.5) == "183.5" and number(None) == "—"


def test_no_template_spells_a_plural_by_hand():
    """"Import 1 participants" came from a template that added its own "s":
    every count and its noun go through plural()/plural_word()."""
    import re
    from pathlib import Path

    by_hand = re.compile(r"""(['"])s\1\s+if\b|else\s+(['"])s\2""")
    found = [f"{path.relative_to(path.parents[1])}:{n}"
             for path in sorted((Path(__file__).resolve().parents[2] / "templates").rglob("*.html"))
             for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if by_hand.search(line)]
    assert found == []
