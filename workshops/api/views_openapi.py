"""The OpenAPI document's route and the documentation page rendered from it."""

from __future__ import annotations

import json
from functools import lru_cache

from flask import Response, render_template, request
from markupsafe import Markup, escape

from . import schemas as s
from .pipeline import bp, operation


@operation("GET", "/openapi.json", summary="This API's OpenAPI 3.1 document", tag="About", auth="none",
           response_schema={"type": "object"})
def openapi_json():
    """The document the documentation page is made from; generated from the
    same models that validate the requests."""
    return Response(_document_json(), mimetype="application/json")


@lru_cache(maxsize=1)
def _document() -> dict:
    """Built once per process: the operations are all registered at import."""
    return s.openapi_document()


@lru_cache(maxsize=1)
def _document_json() -> str:
    return json.dumps(_document(), ensure_ascii=False)


@bp.route(s.API_PREFIX + "/docs")
def docs():
    """The documentation page, rendered on the server from the OpenAPI document."""
    document = _document()
    groups: dict[str, list] = {t["name"]: [] for t in document["tags"]}
    for path, item in document["paths"].items():
        for method, op in item.items():
            groups[op["tags"][0]].append((method, path, op))
    return render_template("api/docs.html", doc=document, groups=list(groups.items()),
                           schemas=document["components"]["schemas"], describe=describe_schema,
                           code_spans=code_spans,
                           base_url=request.host_url.rstrip("/"))


FORMATS = {"date": "date (YYYY-MM-DD)", "date-time": "date and time (ISO 8601)"}


def code_spans(text: str) -> Markup:
    """The document's descriptions mark names `like this` (Markdown, as
    OpenAPI tools read them): shown here as <code>, everything escaped."""
    parts = text.split("`")
    if len(parts) % 2 == 0:  # an unpaired backtick: leave the text as it is
        return escape(text)
    return Markup("").join(escape(p) if i % 2 == 0 else Markup("<code>{}</code>").format(p)
                           for i, p in enumerate(parts))


def describe_schema(schema: dict) -> Markup:
    """A JSON Schema fragment in words, linking to the schemas it names."""
    if "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        return Markup('<a href="#schema-{0}">{0}</a>').format(name)
    options = schema.get("anyOf")
    if options:
        return Markup(" or ").join(describe_schema(o) for o in options)
    kind = schema.get("type")
    if isinstance(kind, list):
        return Markup(" or ").join(describe_schema({**schema, "type": k}) for k in kind)
    if "enum" in schema:
        return Markup("one of ") + Markup(", ").join(Markup("<code>{}</code>").format(v) for v in schema["enum"])
    if kind == "array":
        text = Markup("list of ") + describe_schema(schema.get("items", {}))
        if "maxItems" in schema:
            text += Markup(", at most {}").format(schema["maxItems"])
        return text
    if kind == "object" and isinstance(schema.get("additionalProperties"), dict):
        return Markup("object of ") + describe_schema(schema["additionalProperties"])
    if kind == "string":
        text = escape(FORMATS.get(schema.get("format"), "text"))
        if schema.get("pattern") and schema["pattern"] != s.NO_NUL:
            text += Markup(" matching <code>{}</code>").format(schema["pattern"])
        if "maxLength" in schema:
            text += Markup(", up to {} characters").format(schema["maxLength"])
        return text
    if kind == "integer":
        text = Markup("whole number")
        if "minimum" in schema and "maximum" in schema:
            text += Markup(" from {} to {}").format(schema["minimum"], schema["maximum"])
        return text
    return escape(kind or "any JSON value")

