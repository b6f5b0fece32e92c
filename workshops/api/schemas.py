"""The API's contract, written once: pydantic models of what goes in (query
parameters, bodies) and what comes out, and the registry of operations that
the views validate requests with and the OpenAPI 3.1 document is written
from. One namespace (`from . import schemas as s`) over

    schemas_common.py     types, base models, pages, problem details, references
    schemas_programme.py  networks, series, workshops, agenda items
    schemas_people.py     people and participations
    schemas_outcomes.py   recommendations, uptake events, Track-1 bodies
    schemas_outputs.py    written outputs (memoranda, reports, statements)
    schemas_reports.py    the report's filters and figures
    schemas_registries.py what creates and changes themes, networks, institutes, series, Track-1 bodies
    openapi.py            the registry of operations and the OpenAPI document
"""

from __future__ import annotations

from .openapi import *  # noqa: F403
from .schemas_common import *  # noqa: F403
from .schemas_outcomes import *  # noqa: F403
from .schemas_outputs import *  # noqa: F403
from .schemas_people import *  # noqa: F403
from .schemas_programme import *  # noqa: F403
from .schemas_registries import *  # noqa: F403
from .schemas_reports import *  # noqa: F403
