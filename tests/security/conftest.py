from tests.placements.conftest import api, officer_api, scene  # noqa: F401 (fixtures)
