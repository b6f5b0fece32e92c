"""The Track-2 workshop planner and outcome tracker."""

from __future__ import annotations

import logging
import uuid
from pathlib import Path

from flask import Flask, g
from jinja2 import StrictUndefined
from werkzeug.exceptions import NotFound
from werkzeug.routing import IntegerConverter

from . import extensions
from .config import ROOT, Config, ConfigError
from .db import MAX_INTEGER


def create_app(config: dict | Config | None = None) -> Flask:
    """Build the app. `config` is a dict of overrides (tests) or a Config."""
    settings = config if isinstance(config, Config) else Config(config)
    app = Flask(
        __name__,
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
        instance_path=settings.INSTANCE_PATH,
    )
    app.config.from_object(settings)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    # Browsers ask for /favicon.ico whatever the page links: it is the static file of
    # that name, served as every static file is (same endpoint, caching and headers).
    app.add_url_rule("/favicon.ico", endpoint="static", defaults={"filename": "favicon.ico"})

    from . import models  # noqa: F401  (every table known before anything queries)

    extensions.db.init_app(app)
    extensions.migrate.init_app(app, extensions.db, directory=str(ROOT / "migrations"), render_as_batch=True, compare_type=True)
    extensions.csrf.init_app(app)
    extensions.login_manager.init_app(app)

    # First of all hooks, so every log line and error page of a request
    # (even one refused by a blueprint's hook) carries its id.
    @app.before_request
    def _request_id() -> None:
        g.request_id = uuid.uuid4().hex[:12]

    from .core import security

    security.init_app(app)  # headers, body size limit, log redaction (after the request id)

    app.url_map.converters["int"] = ColumnInteger  # before any route is added
    from .core.urls import refuse_nul_in_paths

    refuse_nul_in_paths(app)  # before any route is added
    _register_blueprints(app)

    from .core.errors import register_error_handlers
    from .core.templating import register_template_helpers

    register_error_handlers(app)
    register_template_helpers(app)
    if app.config.get("TESTING"):
        # In tests a template using a variable its view did not pass fails
        # loudly instead of rendering it as nothing (or, tested with
        # `is not none`, as something): the page sweep (tests/core/
        # test_page_sweep.py) opens every page this way.
        app.jinja_env.undefined = _StrictUndefined

    from .cli import register_commands

    register_commands(app)

    @app.teardown_appcontext
    def _no_leftover_transaction(exc) -> None:
        # A request that failed half-way must not leave a transaction open.
        if exc is not None:
            extensions.db.session.rollback()

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    return app


class ColumnInteger(IntegerConverter):
    """`<int:…>` in every route: a number no INTEGER column can hold is a
    plain 404 on every engine (PostgreSQL would otherwise refuse the query),
    on every page and API path alike. NotFound, not werkzeug's
    ValidationError, which would answer 405 where a rule of another method
    shares the path."""

    def to_python(self, value: str) -> int:
        number = super().to_python(value)
        if number > MAX_INTEGER:
            raise NotFound()
        return number


class _StrictUndefined(StrictUndefined):
    """StrictUndefined, except for a form's `csrf_token`: the one field
    that is genuinely absent when CSRF protection is off (most tests turn
    it off), which every form template renders with `{{ form.csrf_token }}`."""

    __slots__ = ()

    def __str__(self) -> str:
        if self._undefined_name == "csrf_token":
            return ""
        return super().__str__()


def _register_blueprints(app: Flask) -> None:
    """One blueprint per capability; each package has the same file names."""
    from .agenda_views import views as agenda_views
    from .api import views as api
    from .archive import views as archive
    from .audit import views as audit
    from .auth import views as auth
    from .core import views as core
    from .documents import views as documents
    from .home import views as home
    from .mail import views as mail
    from .outcomes import views as outcomes
    from .outputs import views as outputs
    from .people import views as people
    from .programme import views as programme
    from .public_outcomes import views as public_outcomes
    from .reports import views as reports
    from .search import views as search

    for module in (core, home, auth, programme, outputs, people, outcomes, agenda_views, reports, api, audit, search,
                   documents, mail, archive, public_outcomes):
        app.register_blueprint(module.bp)
        if hasattr(module, "init_app"):
            module.init_app(app)


__all__ = ["create_app", "ConfigError"]
