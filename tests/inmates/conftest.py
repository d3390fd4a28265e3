"""API clients per role, authenticated with bearer tokens (as API callers are)."""

import pytest

from tests.factories import ApiClient


def _role_api(user_key: str):
    @pytest.fixture
    def role_api(app, world):
        return ApiClient(app, world[user_key])

    return role_api


officer_api = _role_api("officer")
other_officer_api = _role_api("other_officer")
prosecutor_api = _role_api("prosecutor")
other_prosecutor_api = _role_api("other_prosecutor")
employer_api = _role_api("employer_user")
admin_api = _role_api("admin")
