from tests.inmates.conftest import (  # noqa: F401  (the same API clients per role)
    admin_api,
    employer_api,
    officer_api,
    other_officer_api,
    prosecutor_api,
)
