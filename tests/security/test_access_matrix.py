"""The access-control matrix: every route of the URL map, for every role
(anonymous, viewer, an organiser of another network, an organiser of this
network, admin) and, where a route names a workshop, every visibility
(public, participants, private), answers as the table below says.

A route that is not in the table fails the test, so no new page can be
forgotten. A POST, PATCH (…) from a role the table refuses must leave the
database exactly as it was.

Each answer is written as one token per role, in the order of ROLES:

    200 …   that status code
    L       302 to the login page
    R       a 302/303 redirect elsewhere (back to a page, with a message)

The API (/api/v1/…) is called with each role's bearer token (it ignores the
session cookie by design); the other routes with a logged-in browser.
Requests are bodiless: the point is who gets in, not what a form accepts
(tests/reliability/test_fuzzing.py sends bodies).
"""

from __future__ import annotations

import pytest
from werkzeug.exceptions import MethodNotAllowed

from workshops.audit.operations import unit_of_work
from workshops.extensions import db

from ..conftest import Pristine, log_in, snapshot
from ..factories import API_BODIES, ROLES, VISIBILITIES, WORKSHOP_ARGS, build_world

# Public, for logged-in users only, for admins only, for those who may edit
# the workshop's network (organisers of it and admins), for any organiser.
PUBLIC = "200 200 200 200 200"
LOGIN = "L 200 200 200 200"
ADMIN = "L 403 403 403 200"
EDITOR = "L 403 403 200 200"
ANY_EDITOR = "L 403 200 200 200"
API_READ = "401 200 200 200 200"
API_EDIT = "401 403 403 200 200"

NOT_TAKEN = "405 405 405 405 405"
# Answers that refuse: the database must be exactly as before.
REFUSED = {"L", "401", "403", "404", "405"}
# Routes after which a browser is no longer logged in.
ENDS_SESSIONS = {"auth.logout"}

# The agenda pages: public ones for anyone; participants' ones through a
# link, or for anyone logged in; private ones for logged-in users only, and a
# link does not open them.
AGENDA = {"public": PUBLIC, "participants": LOGIN.replace("L", "404"), "private": LOGIN.replace("L", "404")}
AGENDA_LINK = {"public": PUBLIC, "participants": PUBLIC, "private": LOGIN.replace("L", "404")}
# The API reads workshops: public ones without a token, the others with one.
API_WORKSHOP = {"public": PUBLIC, "participants": "404 200 200 200 200", "private": "404 200 200 200 200"}
# A web form posted empty: refused before it is read for those without the
# right; for the others, the form's complaint (422), a redirect with a
# message (R) or a save of the values it already holds (R).
FORM_EDITOR = "L 403 403 422 422"
ACTION_EDITOR = "L 403 403 R R"

# (endpoint, method) -> answers, or {visibility: answers}; an agenda route
# reached through a link has the link's kind in the key: (endpoint, method, "s"|"p").
EXPECTED: dict[tuple, str | dict[str, str]] = {
    # --- participants' agendas (agenda_views)
    ("agenda_views.index", "GET"): PUBLIC,
    **{(endpoint, "GET"): AGENDA for endpoint in (
        "agenda_views.agenda", "agenda_views.agenda_pdf", "agenda_views.agenda_ics", "agenda_views.item_ics",
        "agenda_views.schedule_xml", "agenda_views.schedule_json")},
    **{(endpoint, "GET", kind): AGENDA_LINK for kind in ("s", "p") for endpoint in (
        "agenda_views.agenda", "agenda_views.agenda_pdf", "agenda_views.agenda_ics", "agenda_views.item_ics",
        "agenda_views.schedule_xml", "agenda_views.schedule_json")},
    ("agenda_views.links", "GET"): EDITOR,
    ("agenda_views.revoke_secret", "POST"): ACTION_EDITOR,
    ("agenda_views.regenerate_secret", "POST"): ACTION_EDITOR,
    ("agenda_views.revoke_personal", "POST"): ACTION_EDITOR,
    ("agenda_views.regenerate_personal", "POST"): ACTION_EDITOR,
    ("agenda_views.create_missing_personal", "POST"): ACTION_EDITOR,
    # the participant's own pages behind the personal link (a link does not open a private agenda)
    ("agenda_views.reply", "GET"): AGENDA_LINK,
    ("agenda_views.reply", "POST"): {v: a.replace("200", "422") for v, a in AGENDA_LINK.items()},  # empty: no answer
    ("agenda_views.unsubscribe", "GET"): AGENDA_LINK,
    ("agenda_views.unsubscribe", "POST"): AGENDA_LINK,
    ("agenda_views.my_sessions_ics", "GET"): AGENDA_LINK,  # the personal link's "my sessions only" feed
    ("agenda_views.invite", "POST"): ACTION_EDITOR,  # nobody chosen: back with a message
    ("agenda_views.personal_links_csv", "GET"): EDITOR,
    # --- the JSON API (bearer tokens; writes get a minimal valid body, see API_BODIES)
    ("api.docs", "GET"): PUBLIC,
    ("api.openapi_json", "GET"): PUBLIC,
    ("api.me", "GET"): API_READ,
    ("api.list_themes", "GET"): PUBLIC,
    ("api.list_institutes", "GET"): API_READ,
    ("api.list_networks", "GET"): API_READ,
    ("api.get_network", "GET"): API_READ,
    ("api.list_series", "GET"): API_READ,
    ("api.get_series", "GET"): API_READ,
    ("api.list_workshops", "GET"): PUBLIC,
    ("api.get_workshop", "GET"): API_WORKSHOP,
    ("api.get_agenda", "GET"): API_WORKSHOP,
    ("api.list_participants", "GET"): "401 403 403 200 200",
    # People: names and contacts only for admins and the organisers who may
    # read the person (people/access.py people_seen); the matrix's person took
    # part in a workshop of the organiser's network (Walker), so the organiser
    # of another network is refused, and viewers read no one (403).
    ("api.list_people", "GET"): "401 403 200 200 200",  # the other organiser: a list without this person
    ("api.get_person", "GET"): API_EDIT,
    ("api.list_recommendations", "GET"): API_READ,
    ("api.get_recommendation", "GET"): API_READ,
    ("api.list_track1_bodies", "GET"): API_READ,
    ("api.get_track1_body", "GET"): API_READ,
    ("api.get_report", "GET"): API_READ,
    ("api.create_workshop", "POST"): "401 403 403 201 201",
    ("api.update_workshop", "PATCH"): API_EDIT,
    ("api.change_workshop_status", "POST"): API_EDIT,
    ("api.create_agenda_item", "POST"): "401 403 403 201 201",
    ("api.update_agenda_item", "PATCH"): API_EDIT,
    ("api.create_participation", "POST"): "401 403 403 201 201",
    ("api.update_participation", "PATCH"): API_EDIT,
    ("api.create_recommendation", "POST"): "401 403 403 201 201",
    ("api.create_uptake_event", "POST"): "401 403 403 201 201",
    ("api.create_follow_up_check", "POST"): "401 403 403 201 201",
    ("api.update_recommendation", "PATCH"): API_EDIT,
    ("api.close_recommendation", "POST"): API_EDIT,
    ("api.reopen_recommendation", "POST"): "401 403 403 422 422",  # allowed, but the recommendation is open
    ("api.create_recommendation_from_origin", "POST"): "401 403 403 201 201",  # from the world's output
    # registries (api/views_registries.py): the rights of their web forms
    ("api.get_theme", "GET"): PUBLIC,
    ("api.create_theme", "POST"): "401 403 403 403 201",
    ("api.update_theme", "PATCH"): "401 403 403 403 200",
    ("api.create_network", "POST"): "401 403 403 403 201",
    ("api.update_network", "PATCH"): "401 403 403 403 200",
    ("api.get_institute", "GET"): API_READ,
    ("api.create_institute", "POST"): "401 403 403 201 201",
    ("api.update_institute", "PATCH"): API_EDIT,
    ("api.create_series", "POST"): "401 403 403 201 201",
    ("api.update_series", "PATCH"): API_EDIT,
    ("api.create_track1_body", "POST"): "401 403 201 201 201",  # any organiser, as on the web
    ("api.update_track1_body", "PATCH"): "401 403 200 200 200",
    # written outputs: a network the caller does not organise is refused with
    # 403, as for a workshop (nothing saved)
    ("api.list_outputs", "GET"): API_READ,
    ("api.get_output", "GET"): API_READ,
    ("api.create_output", "POST"): "401 403 403 201 201",
    ("api.update_output", "PATCH"): API_EDIT,
    ("api.tokens", "GET"): LOGIN,
    ("api.tokens", "POST"): "L R R R R",  # an unreadable form: back to the page with a message
    # --- the audit log, accounts, personal data
    ("audit.log", "GET"): ADMIN,
    ("auth.login", "GET"): "200 R R R R",  # logged in already: home
    ("auth.login", "POST"): "200 R R R R",
    ("auth.second_factor", "GET"): "L R R R R",
    ("auth.second_factor", "POST"): "L R R R R",
    ("auth.logout", "POST"): "R R R R R",
    ("auth.profile", "GET"): LOGIN,
    ("auth.change_password", "POST"): LOGIN,  # the form again, with its complaints
    ("auth.totp_setup", "GET"): LOGIN,
    ("auth.totp_setup", "POST"): LOGIN,
    ("auth.regenerate_recovery_codes", "POST"): "L R R R R",
    ("auth.totp_disable", "POST"): "L R R R R",
    ("auth.users", "GET"): ADMIN,
    ("auth.user_status", "GET"): ADMIN,  # the confirmation page
    ("auth.user_status", "POST"): "L 403 403 403 R",  # deactivated, back to the list
    ("auth.invite", "GET"): ADMIN,
    ("auth.invite", "POST"): "L 403 403 403 422",
    ("auth.invite_again", "POST"): "L 403 403 403 R",  # never invited: back to the list with a message
    ("auth.forgot_password", "GET"): PUBLIC,
    ("auth.forgot_password", "POST"): "422 422 422 422 422",  # no address given
    ("auth.set_password", "GET"): "404 404 404 404 404",  # a made-up link: a clear page saying so
    ("auth.set_password", "POST"): "404 404 404 404 404",
    # --- the outbox (mail): admins, and organisers for their networks' mail
    ("mail.outbox", "GET"): ANY_EDITOR,
    ("mail.resend", "POST"): ACTION_EDITOR,
    ("people.export_person", "POST"): ADMIN,
    ("people.erase_person", "GET"): ADMIN,
    ("people.erase_person", "POST"): ADMIN,  # the page again: the box was not ticked
    ("home.home", "GET"): PUBLIC,
    ("core.healthz", "GET"): PUBLIC,
    ("search.search", "GET"): LOGIN,
    ("documents.download", "GET"): LOGIN,  # any logged-in user (README, "Uploaded documents")
    # --- recommendations, uptake, Track-1 bodies (outcomes)
    ("outcomes.recommendations", "GET"): LOGIN,
    ("outcomes.follow_up", "GET"): LOGIN,
    ("outcomes.workshop_recommendations", "GET"): LOGIN,
    ("outcomes.recommendation", "GET"): LOGIN,
    ("outcomes.recommendation_new", "GET"): EDITOR,
    ("outcomes.recommendation_new", "POST"): FORM_EDITOR,
    ("outcomes.recommendation_edit", "GET"): EDITOR,
    ("outcomes.recommendation_edit", "POST"): ACTION_EDITOR,
    ("outcomes.recommendation_delete", "GET"): EDITOR,
    ("outcomes.recommendation_delete", "POST"): "L 403 403 409 409",  # it has an uptake event
    ("outcomes.recommendation_close", "GET"): EDITOR,
    ("outcomes.recommendation_close", "POST"): FORM_EDITOR,
    ("outcomes.recommendation_reopen", "POST"): ACTION_EDITOR,
    ("outcomes.recommendation_featured", "POST"): ACTION_EDITOR,  # nothing chosen: back with a message
    ("outcomes.event_new", "GET"): EDITOR,
    ("outcomes.event_new", "POST"): FORM_EDITOR,
    ("outcomes.event_edit", "GET"): EDITOR,
    ("outcomes.event_edit", "POST"): FORM_EDITOR,
    ("outcomes.event_delete", "GET"): EDITOR,
    ("outcomes.event_delete", "POST"): ACTION_EDITOR,
    ("outcomes.follow_up_edit", "GET"): EDITOR,
    ("outcomes.follow_up_edit", "POST"): ACTION_EDITOR,  # no owner, no next check: saved as such
    ("outcomes.check_new", "GET"): EDITOR,
    ("outcomes.check_new", "POST"): FORM_EDITOR,
    ("outcomes.track1_bodies", "GET"): LOGIN,
    ("outcomes.track1_body", "GET"): LOGIN,
    ("outcomes.track1_body_new", "GET"): ANY_EDITOR,  # the registry is shared by every network
    ("outcomes.track1_body_new", "POST"): "L 403 422 422 422",
    ("outcomes.track1_body_edit", "GET"): ANY_EDITOR,
    ("outcomes.track1_body_edit", "POST"): "L 403 R R R",
    # --- people and participants (people)
    # The directory: a list for admins and organisers, counts for viewers
    # (test_people_are_named_only_to_those_who_may_read_them); a person's page
    # and edit form only for those who may read them (people/access.py people_seen).
    ("people.people", "GET"): LOGIN,
    ("people.person", "GET"): EDITOR,
    ("people.person_new", "GET"): ANY_EDITOR,  # people are not scoped by network
    ("people.person_new", "POST"): "L 403 422 422 422",
    ("people.person_edit", "GET"): EDITOR,
    ("people.person_edit", "POST"): "L 403 403 R R",
    # Names and contacts only for the network's organisers and admins; the
    # others read counts (test_participant_lists_name_people_only_to_their_organisers).
    ("people.participants", "GET"): LOGIN,
    ("people.participants_export", "GET"): EDITOR,
    ("people.participants_import_template", "GET"): EDITOR,
    ("people.participants_import", "GET"): EDITOR,
    ("people.participants_import", "POST"): FORM_EDITOR,
    ("people.participant_add", "GET"): EDITOR,
    ("people.participant_add", "POST"): FORM_EDITOR,
    ("people.participant_edit", "GET"): EDITOR,
    ("people.participant_edit", "POST"): ACTION_EDITOR,
    ("people.participant_remove", "GET"): EDITOR,
    ("people.participant_remove", "POST"): FORM_EDITOR,  # "also drop their agenda roles?" unanswered
    # The check-in list of the day (issue 15): the network's organisers and admins; a tap without
    # a status is refused (422); "mark all confirmed" says there is no one confirmed (422: the
    # world's participants attended).
    ("people.check_in_list", "GET"): EDITOR,
    ("people.check_in", "POST"): FORM_EDITOR,
    ("people.check_in_all", "POST"): FORM_EDITOR,
    # Merging two records of a person: those who may edit and read the person; posted
    # without the other record, "choose the person to merge" (422).
    ("people.person_merge", "GET"): EDITOR,
    ("people.person_merge", "POST"): FORM_EDITOR,
    # The import preview's rows to fix: without a signed preview, "upload the file again" (400).
    ("people.participants_import_problems", "POST"): "L 403 403 400 400",
    # --- networks, series, workshops, agendas (programme)
    ("programme.networks", "GET"): LOGIN,
    ("programme.network", "GET"): LOGIN,
    ("programme.network_new", "GET"): ADMIN,
    ("programme.network_new", "POST"): "L 403 403 403 422",
    ("programme.network_edit", "GET"): ADMIN,
    ("programme.network_edit", "POST"): "L 403 403 403 R",
    ("programme.institute_new", "GET"): EDITOR,
    ("programme.institute_new", "POST"): FORM_EDITOR,
    ("programme.institute_edit", "GET"): EDITOR,
    ("programme.institute_edit", "POST"): ACTION_EDITOR,
    ("programme.series_list", "GET"): LOGIN,
    ("programme.series", "GET"): LOGIN,
    ("programme.series_new", "GET"): ANY_EDITOR,  # in a network of their own
    ("programme.series_new", "POST"): "L 403 422 422 422",
    ("programme.series_edit", "GET"): EDITOR,
    ("programme.series_edit", "POST"): FORM_EDITOR,
    ("programme.series_status_add", "POST"): FORM_EDITOR,
    ("programme.workshops", "GET"): LOGIN,
    ("programme.workshop", "GET"): LOGIN,
    # any organiser: a one-off meeting of their own network needs no series
    ("programme.workshop_new", "GET"): ANY_EDITOR,
    ("programme.workshop_new", "POST"): "L 403 422 422 422",
    ("programme.workshop_edit", "GET"): EDITOR,
    ("programme.workshop_edit", "POST"): FORM_EDITOR,
    ("programme.workshop_publish", "POST"): ACTION_EDITOR,
    ("programme.workshop_unpublish", "POST"): ACTION_EDITOR,
    ("programme.workshop_reinstate", "POST"): ACTION_EDITOR,
    ("programme.workshop_cancel", "GET"): EDITOR,
    ("programme.workshop_cancel", "POST"): ACTION_EDITOR,
    ("programme.workshop_delete", "GET"): EDITOR,
    ("programme.workshop_delete", "POST"): FORM_EDITOR,  # it has participants and recommendations
    ("programme.workshop_clone", "GET"): EDITOR,
    ("programme.workshop_clone", "POST"): FORM_EDITOR,
    ("programme.agenda", "GET"): LOGIN,
    ("programme.agenda_item_new", "GET"): EDITOR,
    ("programme.agenda_item_new", "POST"): FORM_EDITOR,
    ("programme.agenda_item_edit", "GET"): EDITOR,
    ("programme.agenda_item_edit", "POST"): FORM_EDITOR,
    ("programme.agenda_item_move", "GET"): EDITOR,
    ("programme.agenda_item_move", "POST"): FORM_EDITOR,
    ("programme.agenda_item_status", "POST"): ACTION_EDITOR,
    ("programme.agenda_item_duplicate", "POST"): ACTION_EDITOR,  # a copy right after the item
    ("programme.agenda_item_delete", "GET"): EDITOR,
    ("programme.agenda_item_delete", "POST"): ACTION_EDITOR,
    # --- the annual report (reports)
    ("reports.index", "GET"): LOGIN,
    ("reports.report", "GET"): LOGIN,
    ("reports.report_pdf", "GET"): LOGIN,
    ("reports.report_csv", "GET"): LOGIN,
    ("reports.report_xlsx", "GET"): LOGIN,
    ("reports.report_json", "GET"): LOGIN,
    # The foreword for all networks is the admins' (a network's: its organisers' too; tests/reports).
    ("reports.foreword_edit", "GET"): ADMIN,
    ("reports.foreword_edit", "POST"): "L 403 403 403 R",  # empty: no foreword, saved as such
    # --- a network's archive import (archive): any organiser, for their networks
    ("archive.archive_import", "GET"): ANY_EDITOR,
    ("archive.archive_import", "POST"): "L 403 422 422 422",  # no file: the form's complaint
    ("archive.archive_template", "GET"): ANY_EDITOR,
    ("archive.archive_example", "GET"): ANY_EDITOR,
    # --- written outputs (outputs)
    ("outputs.outputs", "GET"): LOGIN,
    ("outputs.output", "GET"): LOGIN,
    ("outputs.output_new", "GET"): ANY_EDITOR,
    ("outputs.output_new", "POST"): "L 403 422 422 422",
    ("outputs.output_edit", "GET"): EDITOR,
    ("outputs.output_edit", "POST"): FORM_EDITOR,
    ("outputs.output_delete", "GET"): EDITOR,
    ("outputs.output_delete", "POST"): ACTION_EDITOR,
    ("outcomes.output_recommendation_new", "GET"): EDITOR,
    ("outcomes.output_recommendation_new", "POST"): FORM_EDITOR,
    # --- a network's public outcomes page and feed (public_outcomes): anyone; marking a
    # recommendation for it: its network's organisers (posted empty: back with a message)
    ("public_outcomes.page", "GET"): PUBLIC,
    ("public_outcomes.feed", "GET"): PUBLIC,
    ("public_outcomes.mark", "POST"): ACTION_EDITOR,
    # --- themes (admins only)
    ("programme.themes", "GET"): ADMIN,
    ("programme.theme_new", "POST"): "L 403 403 403 422",
    ("programme.theme_edit", "GET"): ADMIN,
    ("programme.theme_edit", "POST"): "L 403 403 403 R",  # posted empty: the name it holds is kept
    ("programme.theme_merge", "POST"): "L 403 403 403 422",
}


def _expected(key: tuple, visibility: str | None) -> str:
    if key not in EXPECTED:
        pytest.fail(
            f"The route {key[0]} ({key[1]}{', link ' + key[2] if len(key) > 2 else ''}) is not in the "
            f"access-control matrix. Add {key!r} to EXPECTED in {__file__} with what each role "
            f"({', '.join(ROLES)}) must get."
        )
    answer = EXPECTED[key]
    if isinstance(answer, dict):
        return answer[visibility]
    return answer


def _classify(response) -> str:
    status = response.status_code
    if status in (302, 303):
        location = response.headers.get("Location", "")
        return "L" if "/login" in location.split("?")[0] and status == 302 else "R"
    return str(status)


class Walker:
    """Sends one request per role, keeping a logged-in browser per role."""

    def __init__(self, app, make):
        self.app = app
        self.world = build_world(make)
        # The person routes name a participant of the public workshop, in the
        # organiser's network: the organiser of another network may not read
        # them (a person in no workshop is readable by every organiser:
        # test_people_are_named_only_to_those_who_may_read_them).
        self.world.person_id = self.world.places["public"].person_id
        self.clients = {role: app.test_client() for role in ROLES}
        for role in ROLES[1:]:
            log_in(self.clients[role], self.world.users[role])
        self.pristine = Pristine()
        self.cookies = {role: self.clients[role].get_cookie("session") for role in ROLES[1:]}

    def reset(self) -> None:
        """The world as built, login sessions and the browsers' cookies included."""
        self.pristine.restore()
        for role, cookie in self.cookies.items():
            self.clients[role].set_cookie("session", cookie.value, domain=cookie.domain, path=cookie.path)

    def request(self, role: str, method: str, path: str, endpoint: str, visibility: str):
        client = self.clients[role]
        headers = {}
        body = {}
        if path.startswith("/api/v1/"):
            if role != "anonymous":
                headers["Authorization"] = f"Bearer {self.world.tokens[role]}"
            if method != "GET":
                make_body = API_BODIES.get(endpoint, lambda w, p: {})
                body = {"json": make_body(self.world, self.world.places[visibility])}
            # The API ignores cookies: a fresh client, so the browser session plays no part.
            client = self.app.test_client()
        elif method != "GET":
            body = {"data": {}}
        response = client.open(path, method=method, headers=headers, **body)
        response.get_data()  # a streamed answer runs to its end
        response.close()
        return response


def _variants(rule, world, visibility) -> list[tuple[tuple, dict]]:
    """The ways to fill a rule from the world: one per link kind (secret,
    personal) and export format its converters allow."""
    values = world.url_values(rule.arguments, visibility)
    place = world.places[visibility]
    variants = [((), values)]
    if "kind" in rule.arguments:
        variants = [(("s",), {**values, "kind": "s", "token": place.secret_token}),
                    (("p",), {**values, "kind": "p", "token": place.personal_token})]
    if "fmt" in rule.arguments:
        variants = [(extra, {**v, "fmt": fmt}) for extra, v in variants for fmt in ("csv", "xlsx")]
    return variants


def _routes(app):
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: (r.endpoint, r.rule)):
        if rule.endpoint != "static":
            yield rule


def _path(app, rule, values: dict) -> str:
    return app.url_map.bind("localhost").build(rule.endpoint, values, force_external=False)


def _method_not_taken(app, path: str, rule) -> str | None:
    """A method no route takes at this address (GET, else POST), or None."""
    adapter = app.url_map.bind("localhost")
    for method in ("GET", "POST"):
        if method in rule.methods:
            continue
        try:
            adapter.match(path, method=method)
        except MethodNotAllowed:
            return method
        except Exception:  # noqa: BLE001, S112  (another rule answers this address: not our business)
            continue
    return None


def test_every_route_answers_every_role_as_the_matrix_says(app, make, monkeypatch):
    # Typesetting a PDF takes most of a second and tells nothing about access.
    monkeypatch.setattr("weasyprint.HTML.write_pdf", lambda self, *a, **kw: b"%PDF-1.7 access matrix")
    walker = Walker(app, make)
    mismatches: list[str] = []
    seen: set[tuple] = set()

    def check(key, wanted: str, method: str, rule, visibility: str, index: int) -> None:
        for role, want in zip(ROLES, wanted.split(), strict=True):
            # Built afresh for each request: a rebuilt world has new link tokens.
            path = _path(walker.app, rule, _variants(rule, walker.world, visibility)[index][1])
            before = snapshot() if method != "GET" else None
            response = walker.request(role, method, path, rule.endpoint, visibility)
            got = _classify(response)
            if got != want:
                mismatches.append(f"{method} {path} [{visibility}] as {role}: got {got}, "
                                  f"the matrix says {want} for {key}")
            if method == "GET":
                continue
            after = snapshot()
            if want in REFUSED and after != before:
                changed = {t: (before[t], after[t]) for t in after if after[t] != before[t]}
                mismatches.append(f"{method} {path} as {role} was refused ({got}) but changed the "
                                  f"database: {changed}")
            if after != before or rule.endpoint in ENDS_SESSIONS:
                walker.reset()

    for rule in _routes(app):
        visibilities = VISIBILITIES if WORKSHOP_ARGS & set(rule.arguments) else ("public",)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            for visibility in visibilities:
                for index, (extra, _) in enumerate(_variants(rule, walker.world, visibility)):
                    key = (rule.endpoint, method, *extra)
                    seen.add(key)
                    check(key, _expected(key, visibility), method, rule, visibility, index)
        # A method the route does not take: 405 for everyone, nothing changed.
        path = _path(app, rule, _variants(rule, walker.world, "public")[0][1])
        other = _method_not_taken(app, path, rule)
        if other:
            check((rule.endpoint, other), NOT_TAKEN, other, rule, "public", 0)

    stale = [key for key in EXPECTED if key not in seen]
    assert not stale, f"The matrix names routes that no longer exist: {stale}"
    assert not mismatches, f"{len(mismatches)} answers differ from the matrix:\n" + "\n".join(mismatches)


# One rule for participant lists (auth/access.py may_see_participants): on the
# page, in the download and in the API, names and contacts only for admins and
# the organisers of the workshop's network, whatever the workshop's visibility
# and whether or not the participant consented to be listed; the others see
# counts by sector and country.
SEES_NAMES = {"viewer": False, "other_organiser": False, "organiser": True, "admin": True}


def test_participant_lists_name_people_only_to_their_organisers(app, make):
    from workshops.models import Participation, Person

    walker = Walker(app, make)
    for visibility in VISIBILITIES:
        place = walker.world.places[visibility]
        with unit_of_work(system="test"):
            db.session.get(Participation, place.participation_id).consent_to_list = visibility == "public"
            db.session.get(Person, place.person_id).phone = "+65 5550 1234"
        db.session.commit()
        person = db.session.get(Person, place.person_id)
        for role, sees in SEES_NAMES.items():
            client = walker.clients[role]
            page = client.get(f"/workshops/{place.workshop_id}/participants").get_data(as_text=True)
            where = f"{role} on the {visibility} workshop"
            assert (person.full_name in page) is sees, where
            assert (person.email in page) is sees, where
            if not sees:
                assert "By sector" in page and "By country represented" in page, where
                assert "participants.csv" not in page, where
            for fmt in ("csv", "xlsx"):
                download = client.get(f"/workshops/{place.workshop_id}/participants.{fmt}")
                assert download.status_code == (200 if sees else 403), where
                assert (person.full_name.encode() in download.data) is (sees and fmt == "csv"), where
            api = app.test_client().get(f"/api/v1/workshops/{place.workshop_id}/participants",
                                        headers={"Authorization": f"Bearer {walker.world.tokens[role]}"})
            assert api.status_code == (200 if sees else 403), where
            assert (person.full_name in api.get_data(as_text=True)) is sees, where


# The same rule for people (people/access.py people_seen): an admin reads
# everyone; an organiser the people of their networks' workshops and people in
# no workshop at all; a viewer no one (the directory gives counts by sector and
# country). On the directory, a person's page and edit form, the API's list and
# item, and search; a person's page lists only the workshops (and agenda roles)
# whose participants the reader may see.
READS = {  # role -> (the home participant, the away participant, the person in no workshop)
    "viewer": (False, False, False),
    "other_organiser": (False, True, True),
    "organiser": (True, False, True),
    "admin": (True, True, True),
}


def test_people_are_named_only_to_those_who_may_read_them(app, make):
    from workshops.models import Network, Person, Workshop

    walker = Walker(app, make)
    world = walker.world
    home = world.places["private"]
    with unit_of_work(system="test"):
        db.session.get(Person, home.person_id).full_name = "Quokka Homeparticipant"
        db.session.get(Person, world.person_id).phone = "+65 5550 9876"
    db.session.commit()
    away_workshop = make.workshop(series=make.series(network=db.session.get(Network, world.other_network_id)),
                                  title="The away workshop", visibility="private")
    away = make.person(full_name="Quokka Awayparticipant", email="away@example.org", phone="+66 5550 1111")
    make.participation(workshop=away_workshop, person=away)
    # Also at the home network's private workshop: each organiser sees them, with only their own workshop.
    both = make.person(full_name="Wombat Bothnetworks", email="both@example.org")
    make.participation(workshop=away_workshop, person=both)
    make.participation(workshop=db.session.get(Workshop, home.workshop_id), person=both, role="speaker")
    nowhere = make.person(full_name="Quokka Noworkshop", email="nowhere@example.org")
    db.session.commit()
    people = [db.session.get(Person, home.person_id), away, nowhere]

    for role, reads in READS.items():
        client = walker.clients[role]
        api = app.test_client()
        bearer = {"Authorization": f"Bearer {world.tokens[role]}"}
        directory = client.get("/people").get_data(as_text=True)
        found = client.get("/search?q=quokka").get_data(as_text=True)
        listed = api.get("/api/v1/people?per_page=100", headers=bearer)
        assert listed.status_code == (403 if role == "viewer" else 200), role
        listed = listed.get_data(as_text=True)
        for person, sees in zip(people, reads, strict=True):
            where = f"{role} reading {person.full_name}"
            for text in (directory, found, listed):
                assert (person.full_name in text) is sees, where
            assert (person.email in directory) is sees, where
            assert client.get(f"/people/{person.id}").status_code == (200 if sees else 403), where
            assert client.get(f"/people/{person.id}/edit").status_code == (200 if sees else 403), where
            item = api.get(f"/api/v1/people/{person.id}", headers=bearer)
            assert item.status_code == (200 if sees else 403), where
            assert (person.full_name in item.get_data(as_text=True)) is sees, where
        if role == "viewer":
            assert "By sector" in directory and "By country" in directory
            assert 'href="/people/' not in directory and 'name="q"' not in directory
            assert "People (" not in found
        # A person of both networks: each organiser reads only their own network's workshop and roles.
        page = client.get(f"/people/{both.id}").get_data(as_text=True)
        if role == "viewer":
            continue
        assert ("The private workshop" in page) is (role in ("organiser", "admin")), role
        assert ("The away workshop" in page) is (role in ("other_organiser", "admin")), role
        assert ("Speaker" in page) is (role in ("organiser", "admin")), role
        item = api.get(f"/api/v1/people/{both.id}", headers=bearer).get_json()
        assert item["workshops"] == (2 if role == "admin" else 1), role
