"""The API caller of tests/api, for the outputs' API tests."""

from ..api.conftest import api  # noqa: F401
