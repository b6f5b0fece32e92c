"""The JSON API under /api/v1, its OpenAPI document and documentation page,
and the page where users create and revoke their API tokens.

Every API route is declared with `operation(...)` (pipeline.py), which
records it in the registry the OpenAPI document is written from
(openapi.py) and wraps the view in one pipeline: authenticate the bearer
token, validate the path, query and body with the operation's models
(400/422 naming the field), call the view, and turn domain refusals into
problem details (422 Invalid, 409 Conflict); a POST's `Idempotency-Key` is
honoured around it (idempotency.py). The views load (404), check access
(403) and then call the same operations functions as the web forms, so
validation, permissions, version checks and the audit trail are one code
path.

The API never trusts the browser's session cookie: a request is who its
bearer token says, or anonymous. Writes therefore need the token, which a
cross-site form cannot send, so CSRF protection is not needed here (and is
switched off for these views only, not for the token page).

    pipeline.py         the blueprint, token authentication, request parsing,
                        problem details and the `operation` decorator
    responses.py        JSON answers, pages of lists, URLs of operations
    views_openapi.py    the OpenAPI document and the documentation page
    views_tokens.py     /me and the tokens page
    views_programme.py  themes, institutes, networks, series, workshops, agenda
    views_people.py     participants and people
    views_outcomes.py   recommendations, uptake events, Track-1 bodies
    views_outputs.py    written outputs
    views_registries.py creating and changing themes, networks, institutes, series,
                        Track-1 bodies (the same operations as their forms)
    views_reports.py    the annual report's figures

The route modules are imported below in the order of the OpenAPI document
(its paths and tags follow the order the operations are registered in).
"""

from __future__ import annotations

from .pipeline import bp

# isort: off
from . import views_openapi, views_tokens, views_programme, views_people, views_outcomes  # noqa: F401
from . import views_outputs, views_registries, views_reports  # noqa: F401
# isort: on

__all__ = ["bp"]
