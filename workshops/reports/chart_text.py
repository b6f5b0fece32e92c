"""The text of the report's charts (charts.py): how wide a label is drawn,
measured against the widest of the chart fonts, and wrapped to a width
without losing a character; a wrapped label as one SVG <text>.
"""

from __future__ import annotations

import re
import unicodedata

from markupsafe import escape

# Advance widths in em of DejaVu Sans, the widest of the fonts above (and the
# one the PDF is drawn with on Debian): a label measured with them fits in
# every one of the fonts. Characters not listed: 0.64 (lower case, digits).
_NARROW = dict.fromkeys("'ijlIJ|!", 0.28) | dict.fromkeys(" .,;:/", 0.32) | dict.fromkeys("ft()[]-r", 0.42)
_WIDE = dict.fromkeys("mwMW", 1.0) | {"&": 0.78}
LINE = 15  # px between the lines of a wrapped label (13 px text)


def text_width(text: str, size: float = 13) -> float:
    """An upper estimate of the width of `text` in px at `size` px."""
    total = 0.0
    for char in text:
        if char in _NARROW:
            em = _NARROW[char]
        elif char in _WIDE:
            em = _WIDE[char]
        elif unicodedata.east_asian_width(char) in ("W", "F"):
            em = 1.0
        elif char.isupper():
            em = 0.8
        else:
            em = 0.64
        total += em
    return total * size


def _split_long_word(word: str, width: float) -> list[str]:
    """A word wider than a line: at its hyphens if that is enough, else in
    pieces that end with a hyphen (never cut without a mark)."""
    pieces, current = [], ""
    for part in re.split(r"(?<=-)", word):
        if current and text_width(current + part) > width:
            pieces.append(current)
            current = ""
        current += part
    pieces.append(current)
    out = []
    for piece in pieces:
        while text_width(piece) > width and len(piece) > 1:
            cut = len(piece) - 1
            while cut > 1 and text_width(piece[:cut] + "-") > width:
                cut -= 1
            out.append(piece[:cut] + "-")
            piece = piece[cut:]
        out.append(piece)
    return out


def wrap(text: str, width: float) -> list[str]:
    """`text` in lines at most `width` px wide, broken between words: the
    lines joined by spaces give the text back (a word wider than a line is
    split at its hyphens, or hyphenated)."""
    lines: list[str] = []
    current = ""
    for word in text.split():
        candidate = f"{current} {word}" if current else word
        if text_width(candidate) <= width:
            current = candidate
            continue
        if current:
            lines.append(current)
        if text_width(word) <= width:
            current = word
        else:
            *full, current = _split_long_word(word, width)
            lines.extend(full)
    if current:
        lines.append(current)
    return lines or [""]


def label_lines(lines: list[str], x: float, first_baseline: float, **attrs: str) -> str:
    """A <text> of one <tspan> per line, right-aligned at x."""
    extra = "".join(f' {k.replace("_", "-")}="{escape(v)}"' for k, v in attrs.items())
    spans = "".join(f'<tspan x="{x}" dy="{0 if i == 0 else LINE}">{escape(line)}</tspan>'
                    for i, line in enumerate(lines))
    return f'<text x="{x}" y="{first_baseline:.1f}"{extra}>{spans}</text>'
