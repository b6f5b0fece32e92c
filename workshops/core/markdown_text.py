"""Short texts that organisers write in Markdown (a report's foreword:
docs/report-definitions.md, "Foreword"), checked when saved and rendered
safely when shown.

Checked: raw HTML (a <script>, a <b>, an HTML comment) and links that are
not web or mail addresses (javascript:, data:, file:…) are refused with a
message that says what to write instead. Rendered: markdown-it-py's
CommonMark with raw HTML off (any "<" left is shown as text), images off
(the report PDF loads nothing from outside) and only http(s), mailto and
relative links kept — so even a text that never went through the check
cannot put markup or a script on the page.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from markdown_it import MarkdownIt
from markupsafe import Markup

LINK_SCHEMES = ("http", "https", "mailto")


def _link_allowed(url: str) -> bool:
    scheme = urlsplit(url.strip()).scheme.lower()
    return scheme in LINK_SCHEMES or (scheme == "" and not url.strip().lower().startswith(("//", "\\")))


def _renderer() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "typographer": False})
    md.disable("image")
    md.validateLink = _link_allowed  # refused links stay as plain text
    return md


def _reader() -> MarkdownIt:
    """A parser that sees everything (raw HTML, any link), for the check."""
    md = MarkdownIt("commonmark", {"html": True})
    md.validateLink = lambda url: True
    return md


_RENDER = _renderer()
_READ = _reader()


def _tokens(text: str):
    for token in _READ.parse(text):
        yield token
        yield from token.children or ()


def problems(text: str) -> list[str]:
    """What in `text` the page will not show as written: raw HTML and
    links that are not web or mail addresses; [] when it is fine."""
    found: list[str] = []
    html, links = False, []
    for token in _tokens(text):
        if token.type in ("html_block", "html_inline"):
            html = True
        elif token.type in ("link_open", "image") and not _link_allowed(str(token.attrs.get("href")
                                                                           or token.attrs.get("src") or "")):
            links.append(str(token.attrs.get("href") or token.attrs.get("src") or ""))
        elif token.type == "image":
            found.append("Images cannot be shown here; link to the picture instead: [the photo](https://…).")
    if html:
        found.append("HTML such as <script> or <b> is not allowed: write Markdown instead — **bold**, "
                      "*italic*, [a link](https://…), lists with “- ”.")
    if links:
        shown = links[0] if len(links[0]) <= 40 else links[0][:40] + "…"
        found.append(f"Links must be web or mail addresses (https://…, mailto:…); “{shown}” is not.")
    return found


def render(text: str) -> Markup:
    """The text as safe HTML (see the module's docstring)."""
    return Markup(_RENDER.render(text or ""))  # noqa: S704  # nosec B704 (raw HTML off, links checked)
