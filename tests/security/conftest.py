"""Faster password hashing for these tests: they log in and fail logins
hundreds of times, and what they check is the flow, not scrypt's cost."""

import pytest
from werkzeug.security import generate_password_hash

import tests.factories
import workshops.auth.operations


def _cheap_hash(password: str) -> str:
    return generate_password_hash(password, method="pbkdf2:sha256:1000")


@pytest.fixture(autouse=True)
def cheap_password_hashes(monkeypatch):
    monkeypatch.setattr(workshops.auth.operations, "hash_password", _cheap_hash)
    monkeypatch.setattr(tests.factories, "hash_password", _cheap_hash)
    monkeypatch.setattr(workshops.auth.operations, "_dummy_hash", lambda: _cheap_hash("x"))
