"""Schemathesis fuzzes every operation of the OpenAPI document against the
app (on the suite's database, with an admin's token): no answer may be a
server error, and every answer must be one the document describes (status,
content type, headers, body schema)."""

from __future__ import annotations

import datetime as dt

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.conftest import _empty_all_tables, _settings
from tests.factories import Factories
from workshops import create_app
from workshops.api import views  # noqa: F401  (registers the operations)
from workshops.api.operations import create_token
from workshops.api.schemas import openapi_document
from workshops.extensions import db

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance,
          response_headers_conformance, response_schema_conformance, negative_data_rejection]
MAX_EXAMPLES = 25  # per operation: about a minute in all on two cores


@pytest.fixture(scope="module")
def fuzzed(database_url, tmp_path_factory):
    """One app and one small world for the whole run (data built once)."""
    app = create_app(_settings(database_url, tmp_path_factory.mktemp("fuzz")))
    with app.app_context():
        make = Factories()
        network = make.network(acronym="NADI")
        series = make.series(network=network)
        theme = make.theme(name="HADR")
        make.institute(networks=[network])
        workshop = make.workshop(series=series, themes=[theme], start_date=dt.date(2025, 6, 3))
        person = make.person(full_name="Ann Lee")
        participation = make.participation(workshop=workshop, person=person)
        make.agenda_item(workshop=workshop, people=[(participation, "speaker")])
        body = make.track1_body(name="ASEAN Regional Forum", acronym="ARF")
        rec = make.recommendation(workshop=workshop, themes=[theme], targets=[body])
        make.uptake_event(recommendation=rec, track1_body=body)
        admin = make.user(role="admin")
        _, secret = create_token(admin, admin, "schemathesis")
    yield app, secret
    with app.app_context():
        db.session.remove()
        _empty_all_tables()
        db.session.remove()
        db.engine.dispose()


# The document the app serves at /api/v1/openapi.json (test_openapi.py
# checks that it is this one), loaded at collection time: schemathesis'
# fixture-based loader does not run under pytest 9.
schema = schemathesis.openapi.from_dict(openapi_document())


@schema.parametrize()
@settings(max_examples=MAX_EXAMPLES, deadline=None, derandomize=True, database=None,
          suppress_health_check=list(HealthCheck), phases=[Phase.explicit, Phase.generate])
def test_the_api_keeps_the_promises_of_its_openapi_document(case, fuzzed):
    app, secret = fuzzed
    response = case.call(app=app, base_url="http://localhost", headers={"Authorization": f"Bearer {secret}"})
    case.validate_response(response, checks=CHECKS)
