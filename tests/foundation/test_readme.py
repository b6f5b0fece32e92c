"""The README tells the truth: the report's definitions in the same words as
the page, and the two commands."""

from pathlib import Path

from workshops.reports.definitions import DEFINITIONS

README = Path(__file__).resolve().parents[2] / "README.md"


def test_the_readme_defines_every_report_figure_in_the_page_s_words():
    text = README.read_text(encoding="utf-8")
    for name, definition in DEFINITIONS.values():
        assert f"- **{name}**: {definition}" in text, name


def test_the_readme_shows_the_two_commands():
    text = README.read_text(encoding="utf-8")
    assert "make run" in text and "make test" in text
