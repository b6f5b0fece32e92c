"""The participant describes their own gender in the reply on their personal
page (optional, free text; people/gender.py); too long is refused at the field."""

from __future__ import annotations

from workshops.extensions import db
from workshops.people.models import Participation

from .conftest import change

ANSWER = {"reply": "confirmed", "dietary_needs": "", "access_needs": "", "timezone": ""}


def test_the_reply_records_a_self_described_gender_and_can_clear_it(client, programme):
    p = programme(visibility="participants", per_day=1, people=2)
    me = p.participations[0]
    change(me, status="invited")
    form = client.get(p.personal_url(me, "/reply")).get_data(as_text=True)
    assert 'name="gender"' in form and "in your own words" in form

    assert client.post(p.personal_url(me, "/reply"), data={**ANSWER, "gender": " genderqueer "}).status_code == 302
    db.session.expire_all()
    assert db.session.get(Participation, me.id).gender == "genderqueer"
    assert 'value="genderqueer"' in client.get(p.personal_url(me, "/reply")).get_data(as_text=True)

    refused = client.post(p.personal_url(me, "/reply"), data={**ANSWER, "gender": "x" * 61})
    assert refused.status_code in (400, 422) and "at most 60 characters" in refused.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Participation, me.id).gender == "genderqueer"

    client.post(p.personal_url(me, "/reply"), data={**ANSWER, "gender": ""})
    db.session.expire_all()
    assert db.session.get(Participation, me.id).gender is None
