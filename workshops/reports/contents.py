"""The contents page of the report PDF: one line per section (each <h2>
with an id the sections write, templates/reports/_sections.html), read from
the rendered HTML so that a section added to the report is listed without
a second list to keep. WeasyPrint writes each line's page number
(target-counter, static/reports-pdf.css)."""

from __future__ import annotations

import html as html_entities
import re

from markupsafe import escape

MARKER = "<!-- contents -->"
_HEADING = re.compile(r'<h2 id="([A-Za-z][\w-]*)"[^>]*>(.*?)</h2>', re.S)
_TAG = re.compile(r"<[^>]+>")
_SPACE = re.compile(r"\s+")


def sections_of(html: str) -> list[tuple[str, str]]:
    """(id, title as text) of each <h2 id=…> in the HTML, in order."""
    found = []
    for anchor, inner in _HEADING.findall(html):
        title = _SPACE.sub(" ", _TAG.sub("", inner)).strip()
        found.append((anchor, html_entities.unescape(title)))
    return found


def with_contents(html: str) -> str:
    """The HTML with its contents list written where MARKER stands."""
    rows = "".join(f'<li><a href="#{escape(anchor)}">{escape(title)}</a></li>'
                   for anchor, title in sections_of(html) if anchor != "sec-downloads")
    return html.replace(MARKER, f'<ol class="contents-list">{rows}</ol>', 1)
