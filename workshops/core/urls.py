"""String parts of every route refuse a NUL character: `/agenda/%00` is a
plain 404 on every engine, as an address that never existed (PostgreSQL
refuses a NUL in a query parameter, which answered 500; SQLite simply found
nothing). Installed by the app factory before any blueprint is registered, so every
`<name>`, `<string:name>` and `<path:name>` part of their routes follows it
(Flask's own /static/<path:filename> comes earlier; a NUL there finds no file)."""

from __future__ import annotations

from flask import Flask
from werkzeug.routing import PathConverter, UnicodeConverter


class TextPart(UnicodeConverter):
    """The default converter, without NUL."""

    def __init__(self, map, minlength: int = 1, maxlength: int | None = None, length: int | None = None):
        super().__init__(map, minlength=minlength, maxlength=maxlength, length=length)
        self.regex = self.regex.replace("[^/]", r"[^/\x00]", 1)


class PathPart(PathConverter):
    """`<path:…>`, without NUL."""

    regex = r"[^/\x00][^\x00]*?"


def refuse_nul_in_paths(app: Flask) -> None:
    converters = app.url_map.converters
    converters["default"] = converters["string"] = TextPart
    converters["path"] = PathPart
