"""Text as typed into a form, an imported file or the JSON API, cleaned by
one rule before anything checks or stores it (docs/domain.md names the
fields; each capability's operations call `clean_text`).

- Control characters go: C0 controls other than tab, line feed and carriage
  return, and DEL. PostgreSQL refuses a NUL, and none of them belongs in an
  organiser's text.
- One-line text (the default) turns each run of line breaks and tabs into
  one space; a paragraph (``multiline=True``) keeps them.
- Surrounding blanks go.

A person's name (``name=True``) is held to more, because a name identifies
someone on agendas, lists, exports and the audit trail:

- Bidirectional embedding, override and isolate controls (U+202A–U+202E,
  U+2066–U+2069) are refused with a message (`UnsafeText`): "\u202eAnn" is
  stored one way and shown reversed, so a list or an audit entry would show
  a name other than the one recorded. The right-to-left and left-to-right
  marks (U+200E, U+200F, U+061C) stay: they only place neutral characters
  such as brackets beside Arabic or Hebrew letters and cannot reverse text.
- Invisible characters that carry no meaning in a name — zero-width space
  U+200B, word joiner U+2060, byte-order mark U+FEFF — are removed silently.
  They arrive by copy and paste from web pages and word processors; removing
  them changes nothing a reader sees, and two people typed the same way then
  match (duplicate checks, search).
- The zero-width non-joiner U+200C and joiner U+200D are kept where a
  script needs them and removed elsewhere. Persian writes ZWNJ inside words
  (می‌خواهم), and Indic scripts and Sinhala write ZWNJ or ZWJ after a virama
  to choose a conjunct's shape, so refusing them would refuse real names.
  The rule is the one IDNA uses for domain names (RFC 5892, appendix A.1 and
  A.2), simplified: kept after a virama, and a ZWNJ also between two letters
  of the Arabic script; between Latin letters, or at either end, they only
  make a name look like another and are removed.
"""

from __future__ import annotations

import re
import unicodedata

# C0 control characters other than tab, line feed and carriage return, and DEL.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# Every C0 control character and DEL, line breaks and tabs included.
ANY_CONTROL_CHARACTER = re.compile(r"[\x00-\x1f\x7f]")
# What XML 1.0 cannot hold (XLSX, SVG, the Nu checker): for writing files.
NOT_IN_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_LINE_BREAKS = re.compile(r"[\r\n\t]+")

BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")
_INVISIBLE = re.compile("[\u200b\u2060\ufeff]")
_JOINERS = re.compile("[\u200c\u200d]")
ZWNJ, ZWJ = "\u200c", "\u200d"
_VIRAMA = 9  # the canonical combining class of a virama
_BIDI_NAMES = {
    "\u202a": "left-to-right embedding", "\u202b": "right-to-left embedding",
    "\u202c": "pop directional formatting", "\u202d": "left-to-right override",
    "\u202e": "right-to-left override", "\u2066": "left-to-right isolate",
    "\u2067": "right-to-left isolate", "\u2068": "first strong isolate", "\u2069": "pop directional isolate",
}


def column_limit(column) -> int:
    """The N of a String(N) column (`Workshop.title`): the one source of a
    text's maximum length for its form field, its API schema and its
    operation's check, so that none can accept what the column cannot hold."""
    length = getattr(column.type, "length", None)
    if length is None:
        raise TypeError(f"{column} has no length: give its limit as a number")
    return length


def length_message(limit: int) -> str:
    """The one message for text over its limit, on pages, the import and the API."""
    return f"This is too long: at most {limit} characters."


class UnsafeText(ValueError):
    """Text refused as typed; the message says which character and why.
    A ValueError, so a WTForms filter raising it shows it at the field."""


def clean_text(value, *, multiline: bool = False, name: bool = False) -> str:
    """`value` as stored (see the module's docstring): None is "", other
    values are made text first. With ``name=True`` raises UnsafeText for a
    bidirectional control character."""
    text = "" if value is None else str(value)
    text = CONTROL_CHARACTERS.sub("", text)
    if not multiline:
        text = _LINE_BREAKS.sub(" ", text)
    if name:
        text = _clean_name(text)
    return text.strip()


def strip_controls(value) -> str:
    """Every control character removed (line breaks and tabs too) and the
    ends trimmed: for a token name, a filter or a search, never stored as
    a paragraph."""
    return ANY_CONTROL_CHARACTER.sub("", "" if value is None else str(value)).strip()


def _clean_name(text: str) -> str:
    found = BIDI_CONTROLS.search(text)
    if found:
        char, before = found.group(), text[:found.start()].strip()[-20:]
        where = f"after “{before}”" if before else "at the start"
        raise UnsafeText(
            f"Remove the invisible {_BIDI_NAMES[char]} character (U+{ord(char):04X}) {where}: it makes a "
            "name show in another order than it is written. Type or paste the name again without it."
        )
    text = _INVISIBLE.sub("", text)
    if _JOINERS.search(text):
        text = "".join(c for i, c in enumerate(text) if c not in (ZWNJ, ZWJ) or _joiner_needed(text, i))
    return text


def _joiner_needed(text: str, i: int) -> bool:
    before = text[i - 1] if i > 0 else ""
    after = text[i + 1] if i + 1 < len(text) else ""
    if before and unicodedata.combining(before) == _VIRAMA:
        return True
    return text[i] == ZWNJ and _arabic_letter(before) and _arabic_letter(after)


def _arabic_letter(char: str) -> bool:
    if not char or not unicodedata.category(char).startswith("L"):
        return False
    code = ord(char)
    return (0x0600 <= code <= 0x06FF or 0x0750 <= code <= 0x077F or 0x08A0 <= code <= 0x08FF
            or 0xFB50 <= code <= 0xFDFF or 0xFE70 <= code <= 0xFEFC)
