"""The OpenAPI 3.1 document describes every API route, is valid, and is the
one the documentation page is made from."""

from __future__ import annotations

import json
import re

from jsonschema import Draft202012Validator
from schemathesis.specs.openapi.definitions import OPENAPI_31

from workshops.api import schemas


def test_the_served_document_is_valid_openapi_3_1(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200 and response.mimetype == "application/json"
    document = response.get_json()
    assert document == json.loads(json.dumps(schemas.openapi_document()))
    assert document["openapi"] == "3.1.0"
    errors = sorted(Draft202012Validator(OPENAPI_31).iter_errors(document), key=str)
    assert errors == [], [e.message for e in errors[:5]]
    for name, schema in document["components"]["schemas"].items():
        Draft202012Validator.check_schema(schema)
        for example in schema.get("examples", []):
            Draft202012Validator(schema | {"components": document["components"]}).validate(example)
        assert name.isidentifier()


def test_every_api_route_is_in_the_document_and_nothing_else(app):
    document = schemas.openapi_document()
    documented = {(method.upper(), path) for path, item in document["paths"].items() for method in item}
    routed = set()
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith("/api/v1/") and rule.endpoint != "api.docs":
            path = re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule.rule)
            routed |= {(m, path) for m in rule.methods - {"HEAD", "OPTIONS"}}
    assert documented == routed
    assert len(documented) >= 25


def test_every_operation_documents_its_parameters_answers_and_errors():
    document = schemas.openapi_document()
    for path, item in document["paths"].items():
        for method, op in item.items():
            where = f"{method.upper()} {path}"
            assert op["summary"] and op["operationId"], where
            names = {p["name"] for p in op.get("parameters", []) if p["in"] == "path"}
            assert names == set(re.findall(r"\{(\w+)\}", path)), where
            success = [s for s in op["responses"] if s.startswith("2")]
            assert len(success) == 1 and "content" in op["responses"][success[0]], where
            for status, answer in op["responses"].items():
                if status.startswith("4"):
                    assert answer["content"]["application/problem+json"]["schema"] == {
                        "$ref": "#/components/schemas/Problem"}, where
            if "requestBody" in op:
                assert {"400", "422"} <= set(op["responses"]), where
            if op["security"] != []:
                assert "401" in op["responses"], where


def test_the_documentation_page_is_made_from_the_document(client):
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    document = schemas.openapi_document()
    for path, item in document["paths"].items():
        for op in item.values():
            assert f'id="{op["operationId"]}"' in html
            assert path in html
    for name in document["components"]["schemas"]:
        assert f'id="schema-{name}"' in html
    assert "NADI Workshop on Climate Resilience" in html  # a body example
    assert "<script" not in html and "style=" not in html and "<style" not in html
