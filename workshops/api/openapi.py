"""The registry of API operations and the OpenAPI 3.1 document written from
it. Pydantic v2's JSON Schema is JSON Schema 2020-12, the dialect of
OpenAPI 3.1, so the document and the validation cannot drift apart.

The registry and the document builder stay ours rather than flask-openapi3's
or spectree's because both answer every validation error with one status and
their own body and name the components their own way (spectree adds a hash),
so the published document and its problem+json errors (400 for a query, 422
for a body) would change for every client.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Literal

from pydantic import BaseModel
from pydantic.json_schema import GenerateJsonSchema, models_json_schema

from .schemas_common import API_PREFIX, API_VERSION, MAX_ID, Problem

# ------------------------------------------------------------ the registry


@dataclass
class Operation:
    """One API operation: what it takes, what it gives, who may call it."""

    method: str
    rule: str  # the Flask rule, under API_PREFIX
    name: str
    summary: str
    description: str
    tag: str
    auth: Literal["none", "optional", "token"]
    query: type[BaseModel] | None = None
    body: type[BaseModel] | None = None
    response: type[BaseModel] | None = None
    response_schema: dict | None = None  # when the response is not a pydantic model
    status: int = 200
    errors: tuple[int, ...] = ()
    path_params: dict[str, dict] = field(default_factory=dict)

    @property
    def path(self) -> str:
        """The OpenAPI path: '/workshops/{workshop_id}'."""
        return API_PREFIX + re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", self.rule)

    @property
    def statuses(self) -> list[int]:
        found = set(self.errors)
        if self.query is not None or self.body is not None:
            found.add(400)
        if self.auth != "none":
            found.add(401)
        if "{" in self.path:
            found.add(404)
        if self.body is not None:
            found.add(422)
        if self.idempotent:
            found |= {400, 409, 422}
        return sorted(found)

    @property
    def idempotent(self) -> bool:
        """Takes an `Idempotency-Key` header (api/idempotency.py): every POST."""
        return self.method == "POST" and self.auth == "token"


OPERATIONS: list[Operation] = []

PATH_PARAM = {"type": "integer", "minimum": 1, "maximum": MAX_ID, "examples": [1]}
ERROR_MEANINGS = {
    400: "The request is malformed: not JSON, or a query parameter is wrong (see `errors`).",
    401: "A bearer token is needed, or the one sent is not valid (revoked, unknown, or its user deactivated).",
    403: "The token's user may not do this.",
    404: "There is no such record, or it is not visible to you.",
    409: ("The record changed since the version you sent, or a request with the same `Idempotency-Key` is "
          "still being answered; nothing was saved."),
    422: "The body is well-formed but refused: `errors` names each field at fault.",
}


IDEMPOTENCY_KEY_PARAMETER = {
    "name": "Idempotency-Key", "in": "header", "required": False,
    "description": (
        "A key of your choice (a random UUID) that makes a retry safe: sent again with the same key and "
        "the same body within 24 hours, the request is not saved twice and gets the first answer again "
        "(status, body, `Location`). The same key with another body or address is refused with 422 "
        "naming this header. A refused request (4xx) leaves the key free."),
    "schema": {"type": "string", "minLength": 1, "maxLength": 200, "pattern": "^[!-~]+$",
               "examples": ["5f0c7d7e-2a4b-4d0e-9f57-6b1c3a1e9d21"]},
}


class _JsonSchema(GenerateJsonSchema):
    """A field that may be left out but not sent as null gets no default: pydantic writes
    `"default": null` there, which would read as if null were allowed."""

    def default_schema(self, schema) -> dict:
        json_schema = super().default_schema(schema)
        if json_schema.get("default", ...) is None and not _allows_null(json_schema):
            del json_schema["default"]
        return json_schema


def _allows_null(schema: dict) -> bool:
    if schema.get("type") == "null":
        return True
    return any(isinstance(s, dict) and _allows_null(s) for s in schema.get("anyOf", []))


def _without_null(schema: dict) -> dict:
    """A query parameter is absent rather than null: keep the non-null branch."""
    options = [s for s in schema.get("anyOf", []) if s.get("type") != "null"]
    if len(options) == 1:
        rest = {k: v for k, v in schema.items() if k not in ("anyOf", "default")}
        return {**options[0], **rest}
    return {k: v for k, v in schema.items() if not (k == "default" and v is None)}


def _query_parameters(model: type[BaseModel], defs: dict) -> list[dict]:
    schema = model.model_json_schema(mode="validation", ref_template="#/components/schemas/{model}",
                                     schema_generator=_JsonSchema)
    defs.update(schema.get("$defs", {}))
    required = set(schema.get("required", []))
    params = []
    for name, prop in schema["properties"].items():
        prop = _without_null(prop)
        description = prop.pop("description", "")
        prop.pop("title", None)
        param = {"name": name, "in": "query", "required": name in required, "schema": prop}
        if description:
            param["description"] = description
        params.append(param)
    return params


def openapi_document(operations: list[Operation] | None = None) -> dict:
    """The OpenAPI 3.1 document of the registered operations."""
    operations = OPERATIONS if operations is None else operations
    pairs = [(Problem, "serialization")]
    for op in operations:
        if op.body is not None:
            pairs.append((op.body, "validation"))
        if op.response is not None:
            pairs.append((op.response, "serialization"))
    refs, top = models_json_schema(list(dict.fromkeys(pairs)), ref_template="#/components/schemas/{model}",
                                   schema_generator=_JsonSchema)
    components = dict(top.get("$defs", {}))
    paths: dict[str, dict] = {}
    tags: list[str] = []
    for op in operations:
        if op.tag not in tags:
            tags.append(op.tag)
        parameters = []
        for name in re.findall(r"\{(\w+)\}", op.path):
            parameters.append({"name": name, "in": "path", "required": True,
                               "schema": dict(op.path_params.get(name, PATH_PARAM))})
        if op.query is not None:
            parameters.extend(_query_parameters(op.query, components))
        if op.idempotent:
            parameters.append(IDEMPOTENCY_KEY_PARAMETER)
        item: dict[str, Any] = {
            "operationId": op.name,
            "summary": op.summary,
            "tags": [op.tag],
            "responses": {},
        }
        if op.description:
            item["description"] = op.description
        if parameters:
            item["parameters"] = parameters
        if op.auth == "token":
            item["security"] = [{"bearerToken": []}]
        elif op.auth == "optional":
            item["security"] = [{}, {"bearerToken": []}]
        else:
            item["security"] = []
        if op.body is not None:
            item["requestBody"] = {"required": True, "content": {
                "application/json": {"schema": refs[(op.body, "validation")]}}}
        success: dict[str, Any] = {"description": "Created." if op.status == 201 else "OK."}
        if op.response is not None:
            success["content"] = {"application/json": {"schema": refs[(op.response, "serialization")]}}
        elif op.response_schema is not None:
            success["content"] = {"application/json": {"schema": op.response_schema}}
        if op.status == 201:
            success["headers"] = {"Location": {"description": "The URL of the new record.",
                                               "schema": {"type": "string"}}}
        item["responses"][str(op.status)] = success
        for status in op.statuses:
            response: dict[str, Any] = {
                "description": ERROR_MEANINGS[status],
                "content": {"application/problem+json": {"schema": refs[(Problem, "serialization")]}},
            }
            if status == 401:
                response["headers"] = {"WWW-Authenticate": {"schema": {"type": "string"}}}
            item["responses"][str(status)] = response
        paths.setdefault(op.path, {})[op.method.lower()] = item
    return {
        "openapi": "3.1.0",
        "jsonSchemaDialect": "https://json-schema.org/draft/2020-12/schema",
        "info": {
            "title": "Track-2 Workshops API",
            "version": API_VERSION,
            "description": (
                "Networks, series, workshops with their agendas, people, recommendations with their "
                "road into Track-1, Track-1 bodies and the annual report figures.\n\n"
                "Send a personal token (created on your profile page, under API tokens) as "
                "`Authorization: Bearer <token>`. Public workshops and their agendas are readable "
                "without one. The API never uses the browser's login cookie.\n\n"
                "Lists are paginated (`page`, `per_page` up to 100) and give `total` and the "
                "URL of the `next` page. Errors are RFC 9457 problem details; `errors` names "
                "each field at fault. Updates carry the `version` you read: if the record changed "
                "meanwhile, the answer is 409 and nothing is saved. Every POST takes an "
                "`Idempotency-Key` header, so that a request whose answer was lost can be sent "
                "again without saving it twice."
            ),
        },
        "servers": [{"url": "/"}],
        "tags": [{"name": t} for t in tags],
        "paths": paths,
        "components": {
            "schemas": components,
            "securitySchemes": {"bearerToken": {
                "type": "http", "scheme": "bearer",
                "description": "A personal API token from the API tokens page of your profile.",
            }},
        },
    }
