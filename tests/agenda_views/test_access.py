"""Who sees which agenda: every visibility against every kind of visitor.
A wrong or revoked link, like a closed agenda, gets the same 404 as an
address that never existed: nothing is revealed."""

from __future__ import annotations

import pytest

from workshops.programme.models import new_token

from .conftest import change

NOT_FOUND_TEXT = "There is no agenda at this address"

# visibility -> visitor -> status
MATRIX = {
    "public": {
        "anonymous": 200, "wrong secret link": 404, "wrong personal link": 404, "secret link": 200,
        "personal link": 200, "revoked secret link": 404, "revoked personal link": 404,
        "logged-in viewer": 200, "organiser": 200,
    },
    "participants": {
        "anonymous": 404, "wrong secret link": 404, "wrong personal link": 404, "secret link": 200,
        "personal link": 200, "revoked secret link": 404, "revoked personal link": 404,
        "logged-in viewer": 200, "organiser": 200,
    },
    "private": {
        "anonymous": 404, "wrong secret link": 404, "wrong personal link": 404, "secret link": 404,
        "personal link": 404, "revoked secret link": 404, "revoked personal link": 404,
        "logged-in viewer": 200, "organiser": 200,
    },
}


def visit_as(visitor: str, p, auth) -> str:
    """Prepare the visitor (log in, revoke…) and return the address they open."""
    someone = p.participations[0]
    if visitor == "anonymous":
        return p.url()
    if visitor == "wrong secret link":
        return p.url(kind="s", token=new_token())
    if visitor == "wrong personal link":
        return p.url(kind="p", token=new_token())
    if visitor == "secret link":
        return p.secret_url()
    if visitor == "personal link":
        return p.personal_url(someone)
    if visitor == "revoked secret link":
        url = p.secret_url()
        change(p.workshop, secret_token=None)
        return url
    if visitor == "revoked personal link":
        url = p.personal_url(someone)
        change(someone, personal_token=None)
        return url
    if visitor == "logged-in viewer":
        auth.login(role="viewer")
        return p.url()
    if visitor == "organiser":
        auth.login(role="organiser", networks=[p.workshop.series.network])
        return p.url()
    raise AssertionError(visitor)


@pytest.mark.parametrize(
    ("visibility", "visitor", "expected"),
    [(v, who, code) for v, row in MATRIX.items() for who, code in row.items()],
)
def test_who_sees_the_agenda(client, auth, programme, visibility, visitor, expected):
    p = programme(visibility=visibility, title="Maritime Confidence Building", per_day=1, people=2)
    url = visit_as(visitor, p, auth)

    response = client.get(url)

    assert response.status_code == expected
    body = response.get_data(as_text=True)
    if expected == 200:
        assert "Maritime Confidence Building" in body
    else:
        assert "Maritime Confidence Building" not in body
        assert "Session 1.1" not in body
        assert NOT_FOUND_TEXT in body


def test_feeds_follow_the_same_rules_as_the_page(client, programme):
    p = programme(visibility="participants", per_day=1, people=2)

    for suffix in ("/agenda.ics", "/schedule.xml", "/schedule.json", "/agenda.pdf",
                   f"/items/{p.items[0].uid}.ics"):
        assert client.get(p.url(suffix)).status_code == 404, suffix
        assert client.get(p.url(suffix, kind="s", token=new_token())).status_code == 404, suffix
        assert client.get(p.secret_url(suffix)).status_code == 200, suffix
        assert client.get(p.personal_url(p.participations[1], suffix)).status_code == 200, suffix


def test_a_wrong_link_reveals_no_more_than_an_unknown_address(client, programme):
    p = programme(visibility="participants", per_day=1, people=1)

    wrong = client.get(p.url(kind="s", token=new_token())).get_data(as_text=True)
    unknown = client.get("/agenda/no-such-workshop").get_data(as_text=True)

    def without_request_id(html: str) -> str:
        return "\n".join(line for line in html.splitlines() if "rror id" not in line and "next=" not in line)

    assert without_request_id(wrong) == without_request_id(unknown)


def test_a_secret_link_of_one_workshop_does_not_open_another(client, programme):
    first = programme(visibility="participants", per_day=1, people=1)
    second = programme(visibility="participants", per_day=1, people=1)

    assert client.get(second.url(kind="s", token=first.workshop.secret_token)).status_code == 404
    assert client.get(second.url(kind="p", token=first.participations[0].personal_token)).status_code == 404


def test_logged_in_users_open_a_private_agenda_with_a_link_too(client, auth, programme):
    p = programme(visibility="private", per_day=1, people=1)
    auth.login(role="viewer")

    assert client.get(p.secret_url()).status_code == 200


@pytest.mark.parametrize("visitor", ["anonymous", "secret link", "personal link"])
def test_a_draft_is_not_shown_to_the_public(client, auth, programme, visitor):
    p = programme(visibility="public", status="draft", per_day=1, people=2)

    assert client.get(visit_as(visitor, p, auth)).status_code == 404


def test_a_draft_is_shown_to_logged_in_users_marked_as_draft(client, auth, programme):
    p = programme(visibility="public", status="draft", per_day=1, people=2)
    auth.login(role="viewer")

    response = client.get(p.url())

    assert response.status_code == 200
    assert "Draft." in response.get_data(as_text=True)


def test_a_cancelled_workshop_shows_a_clear_banner(client, programme):
    p = programme(visibility="public", status="cancelled", per_day=1, people=2)

    body = client.get(p.url()).get_data(as_text=True)

    assert "This workshop has been cancelled." in body
    assert 'role="alert"' in body


BAD_ADDRESSES = [
    "/agenda/no-such-workshop",
    "/agenda/no-such-workshop/agenda.ics",
    "/agenda/" + "x" * 500,
    "/agenda/%E2%80%AEevil%3Cscript%3E",
    "/agenda/{slug}/s/short",
    "/agenda/{slug}/s/%3Cscript%3Ealert(1)%3C%2Fscript%3E%3Cscript%3E",
    "/agenda/{slug}/p/" + "A" * 300,
    "/agenda/{slug}/p/%00%01%02%03%04%05%06%07%08%09%0A%0B%0C%0D%0E%0F%10",
    "/agenda/{slug}/x/" + "A" * 32,
    "/agenda/{slug}/items/not-an-item.ics",
    "/agenda/{slug}/items/" + "9" * 100 + ".ics",
]


def test_bad_addresses_get_a_clear_404(client, programme):
    p = programme(visibility="public", per_day=1, people=1)

    for url in BAD_ADDRESSES:
        response = client.get(url.format(slug=p.slug))
        assert response.status_code == 404, url
        assert "<h1>Not found</h1>" in response.get_data(as_text=True), url


# --- The participant list --------------------------------------------------------------


@pytest.fixture
def listed(programme, make):
    """A public workshop with one listed participant who has no role on the
    agenda, one who did not consent, and one who declined."""
    p = programme(visibility="public", per_day=1, people=3)
    quiet = make.participation(workshop=p.workshop, person=make.person(full_name="Wanted Anonymity"),
                               status="confirmed", consent_to_list=False)
    declined = make.participation(workshop=p.workshop, person=make.person(full_name="Sent Regrets"),
                                  status="declined", consent_to_list=True)
    return p, p.participations[2], quiet, declined


def _shows_list(body: str) -> bool:
    return 'id="participants-heading"' in body


@pytest.mark.parametrize("visitor", ["secret link", "personal link", "organiser", "admin"])
def test_link_holders_and_organisers_see_who_consented_to_be_listed(client, auth, listed, visitor):
    p, listener, quiet, declined = listed
    if visitor == "admin":
        auth.login(role="admin")
        url = p.url()
    else:
        url = visit_as(visitor, p, auth)

    body = client.get(url).get_data(as_text=True)

    assert _shows_list(body)
    assert listener.person.full_name in body
    assert "Institute" in body and "Singapore" in body  # affiliation and country
    assert "Wanted Anonymity" not in body
    assert "Sent Regrets" not in body
    assert "@example.org" not in body
    assert listener.person.phone not in body


@pytest.mark.parametrize("visitor", ["anonymous", "logged-in viewer", "organiser of another network"])
def test_others_never_see_the_participant_list(client, auth, make, listed, visitor):
    p, listener, _quiet, _declined = listed
    if visitor == "organiser of another network":
        auth.login(role="organiser", networks=[make.network()])
        url = p.url()
    else:
        url = visit_as(visitor, p, auth)

    body = client.get(url).get_data(as_text=True)

    assert not _shows_list(body)
    assert listener.person.full_name not in body
    assert "@example.org" not in body


def test_the_chatham_house_rule_is_stated_and_explained(client, programme):
    under_rule = programme(visibility="public", chatham_house=True, per_day=1, people=1)
    open_meeting = programme(visibility="public", chatham_house=False, per_day=1, people=1)

    assert "Chatham House rule." in client.get(under_rule.url()).get_data(as_text=True)
    assert "you may not reveal who said it" in client.get(under_rule.url()).get_data(as_text=True)
    assert "Chatham House" not in client.get(open_meeting.url()).get_data(as_text=True)
