"""Fixtures shared with the outcomes tests."""

from tests.outcomes.conftest import one_hash_per_password, world  # noqa: F401
