"""The API caller of tests/api, for the visits flow's API tests."""

from ..api.conftest import api  # noqa: F401
