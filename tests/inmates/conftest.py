"""API clients per role, authenticated with bearer tokens (as API callers are)."""

import pytest

from tests import factories


class ApiClient:
    def __init__(self, client, user) -> None:
        self.client, self.headers = client, factories.bearer(user)

    def __getattr__(self, method: str):
        def call(url: str, **kwargs):
            return getattr(self.client, method)(url, headers=self.headers, **kwargs)

        return call


@pytest.fixture
def officer_api(app, world):
    return ApiClient(app.test_client(), world["officer"])


@pytest.fixture
def other_officer_api(app, world):
    return ApiClient(app.test_client(), world["other_officer"])


@pytest.fixture
def prosecutor_api(app, world):
    return ApiClient(app.test_client(), world["prosecutor"])


@pytest.fixture
def other_prosecutor_api(app, world):
    return ApiClient(app.test_client(), world["other_prosecutor"])


@pytest.fixture
def employer_api(app, world):
    return ApiClient(app.test_client(), world["employer_user"])


@pytest.fixture
def admin_api(app, world):
    return ApiClient(app.test_client(), world["admin"])
