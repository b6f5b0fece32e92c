"""Logging in with email and password; users created on the command line."""

import pytest
from sqlalchemy import select

from workshops.auth.models import User
from workshops.extensions import db


def test_login_with_the_right_password_opens_the_app(client, make):
    make.user(email="ann@example.org", name="Ann", password="a-long-passphrase-1")
    response = client.post("/login", data={"email": "ANN@example.org", "password": "a-long-passphrase-1"})
    assert response.status_code == 302
    assert "Log out" in client.get("/").get_data(as_text=True)


def test_a_wrong_password_is_refused_at_the_field(client, make):
    make.user(email="ann@example.org", password="a-long-passphrase-1")
    response = client.post("/login", data={"email": "ann@example.org", "password": "nope"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "The email or password is not right." in html
    assert 'value="ann@example.org"' in html  # what the user typed is kept


@pytest.mark.real_password_hashing
def test_passwords_are_hashed_with_a_key_derivation_function(make):
    user = make.user(password="a-long-passphrase-1")
    assert user.password_hash.startswith("scrypt:")
    assert "a-long-passphrase-1" not in user.password_hash


def test_logout_needs_a_post_and_ends_the_session(client, auth):
    auth.login()
    assert client.get("/logout").status_code == 405
    client.post("/logout")
    assert "Log in" in client.get("/").get_data(as_text=True)


def test_every_form_is_protected_against_csrf(make_app, make):
    app = make_app(WTF_CSRF_ENABLED=True)
    client = app.test_client()
    with app.app_context():
        make.user(email="ann@example.org", password="a-long-passphrase-1")
    response = client.post("/login", data={"email": "ann@example.org", "password": "a-long-passphrase-1"})
    assert response.status_code == 400


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


def test_create_user_reads_the_password_from_standard_input(runner):
    result = runner.invoke(args=["create-user", "Boss@Example.org", "--role", "admin"],
                           input="a-strong-enough-pass\n")
    assert result.exit_code == 0, result.output
    user = db.session.scalar(select(User).where(User.email == "boss@example.org"))
    assert user.role == "admin"
    assert "a-strong-enough-pass" not in result.output


def test_create_user_refuses_a_short_password_and_saves_nothing(runner):
    result = runner.invoke(args=["create-user", "boss@example.org", "--role", "admin"], input="short\n")
    assert result.exit_code != 0
    assert "at least 12 characters" in result.output
    assert db.session.scalar(select(User)) is None


def test_create_user_scopes_an_organiser_to_networks(runner, make):
    make.network(acronym="NADI")
    result = runner.invoke(args=["create-user", "o@example.org", "--role", "organiser", "--network", "nadi"],
                           input="a-strong-enough-pass\n")
    assert result.exit_code == 0, result.output
    user = db.session.scalar(select(User).where(User.email == "o@example.org"))
    assert [n.acronym for n in user.networks] == ["NADI"]
    assert user.can_edit_network(user.networks[0].id)


def test_load_demo_fills_an_empty_database_and_then_changes_nothing(runner):
    first = runner.invoke(args=["load-demo"])
    assert "Loaded the demo data" in first.output
    count = db.session.scalar(select(db.func.count(User.id)))
    second = runner.invoke(args=["load-demo"])
    assert "already holds data" in second.output
    assert db.session.scalar(select(db.func.count(User.id))) == count
