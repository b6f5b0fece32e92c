"""Validators, 304 and the render cache of the participants' agendas.

Every variant answers with an ETag computed from one small query
(queries.agenda_header's fingerprint) before anything is rendered; a
matching If-None-Match gets 304, and rendered bodies are kept in an
in-process cachetools LRU under that same validator.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Callable

from cachetools import LRUCache
from flask import Response, current_app, request, session
from flask_login import current_user

from .access import Access

# Part of every validator: bump when a template or exporter changes what it
# emits for the same data, so no cache keeps the old rendering.
RENDER_REVISION = "agenda-4"
CACHE_KEY = "agenda_views.render_cache"


def init_app(app) -> None:
    """Rendered bodies keyed by their ETag (which changes whenever the data, the link or the viewer's zone
    does), in a cachetools LRU; the lock is ours because cachetools' caches are not thread-safe."""
    app.extensions[CACHE_KEY] = (LRUCache(maxsize=int(app.config.get("AGENDA_CACHE_SIZE", 256))), threading.Lock())


def validator(access: Access, *variant) -> str:
    """The ETag of what this visitor gets here: the data's fingerprint, the
    link, the user and whatever else the variant depends on."""
    user = ()
    if current_user.is_authenticated:
        key = hashlib.sha256(str(getattr(current_user, "login_key", "")).encode()).hexdigest()[:16]
        user = (current_user.id, current_user.role, key, access.editor)
    raw = repr((
        RENDER_REVISION, request.endpoint, request.host_url, request.path, access.header.workshop_id,
        access.kind, access.token, access.header.me_id, user, access.header.fingerprint, variant,
    ))
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()[:40]


def _pending_flashes() -> bool:
    return bool(session.get("_flashes"))


def _headers(response: Response, access: Access, etag: str) -> Response:
    response.set_etag(etag)
    response.headers["Cache-Control"] = "public, no-cache" if access.is_public_copy else "private, no-cache"
    response.vary.add("Cookie")
    if access.kind is not None:
        # The token is in the address: keep it out of Referer headers and search engines.
        response.headers["Referrer-Policy"] = "no-referrer"
        response.headers["X-Robots-Tag"] = "noindex"
    return response


def conditional(access: Access, etag: str, render: Callable[[], str | bytes], mimetype: str, *,
                cacheable: bool, filename: str | None = None, attachment: bool = False) -> Response:
    """304 when the client has this version; else the body from the cache
    or freshly rendered."""
    if not _pending_flashes() and request.if_none_match.contains_weak(etag):
        return _headers(Response(status=304), access, etag)
    cache, lock = current_app.extensions[CACHE_KEY]
    with lock:
        body = cache.get(etag) if cacheable else None
    if body is None:
        body = render()
        if isinstance(body, str):
            body = body.encode("utf-8")
        if cacheable and cache.maxsize and not _pending_flashes():
            with lock:
                cache[etag] = body
    response = Response(body, mimetype=mimetype)
    if mimetype.startswith("text/"):
        response.charset = "utf-8"
    if filename:
        disposition = "attachment" if attachment else "inline"
        response.headers["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    return _headers(response, access, etag)
