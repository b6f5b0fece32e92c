"""Who sees which agenda, through which link.

    /agenda/<slug>                    public (or, for a logged-in user, any)
    /agenda/<slug>/s/<token>          the participants' secret link
    /agenda/<slug>/p/<token>          a participant's personal link

`open_agenda` decides with one statement (queries.agenda_header) and answers
404, revealing nothing, to anyone who may not see the agenda; `Access` is
what the routes, the validators and the templates read about the visit.
"""

from __future__ import annotations

import hmac
from functools import cached_property

from flask import abort, url_for
from flask_login import current_user

from ..people.models import Participation
from ..programme.models import Workshop
from . import queries

NOT_FOUND = (
    "There is no agenda at this address. If you were sent a link, check that it is complete; "
    "a link the organisers have withdrawn or replaced no longer works: ask them for your current one. "
    "Staff can log in to see every workshop."
)


class Access:
    """A visitor allowed to see an agenda, through which link. The workshop
    and the visitor's participation are loaded only when something is
    rendered: a repeat visit needs the header alone."""

    def __init__(self, header: queries.Header, slug: str, kind: str | None, token: str | None, editor: bool):
        self.header = header
        self.slug = slug
        self.kind = kind  # None, "s" (secret link) or "p" (personal link)
        self.token = token
        self.editor = editor

    @cached_property
    def workshop(self) -> Workshop:
        return queries.workshop_by_id(self.header.workshop_id)

    @cached_property
    def me(self) -> Participation | None:
        if self.header.me_id is None or self.kind != "p":
            return None
        return queries.participation_with_person(self.header.me_id)

    @property
    def shows_participants(self) -> bool:
        return self.kind is not None or self.editor

    @property
    def names_everyone(self) -> bool:
        """The participants' links name every chair and speaker, and so does
        the plain address for the workshop's organisers; anyone else reads
        it as the public does (queries.as_shown)."""
        return self.kind is not None or self.editor

    @property
    def is_public_copy(self) -> bool:
        """Shared caches may keep it: the same for everyone."""
        return self.kind is None and not current_user.is_authenticated

    def url(self, endpoint: str, external: bool = False, **values) -> str:
        return url_for(f"agenda_views.{endpoint}", slug=self.slug, kind=self.kind, token=self.token,
                       _external=external, **values)


def _not_found():
    abort(404, NOT_FOUND)


def open_agenda(slug: str, kind: str | None, token: str | None) -> Access:
    """404 (revealing nothing) unless this viewer may see this agenda.
    Public: anyone. Participants: a secret or personal link, or a login.
    Private: a login. Drafts: a login. A link must be right and not revoked,
    whatever the visibility. One statement decides."""
    if kind is not None and not queries.well_formed_token(token):
        _not_found()
    header = queries.agenda_header(slug, token if kind == "p" else None)
    if header is None:
        _not_found()
    logged_in = current_user.is_authenticated
    if kind == "s" and (header.secret_token is None or not hmac.compare_digest(header.secret_token, token)):
        _not_found()
    if kind == "p" and header.me_id is None:
        _not_found()
    if kind is not None and header.visibility == "private" and not logged_in:
        _not_found()
    if kind is None and header.visibility != "public" and not logged_in:
        _not_found()
    if header.status == "draft" and not logged_in:
        _not_found()
    # Organisers of the lead network or of a co-organising one (auth/access.py networks_of).
    editor = logged_in and (current_user.can_edit_network(header.network_id) or bool(header.co_networks) and any(
        current_user.can_edit_network(n) for n in queries.co_networks_of(header.workshop_id)))
    return Access(header, slug, kind, token, editor)
