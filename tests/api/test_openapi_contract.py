"""The OpenAPI document (/api/openapi.json) describes the API exactly: schemathesis
sends generated requests, valid and invalid, to every operation as every role and runs
all its checks on each answer (status documented, body and headers as described, bad
input refused, no 500...).

``make test`` runs two generated examples per operation (about a minute); CI (.ci/run)
runs once more on PostgreSQL with ``CONTRACT_EXAMPLES=10 CONTRACT_COVERAGE=1``: more
examples plus schemathesis' coverage phase (every boundary and every invalid value of
every parameter and field, about fifty requests per operation and role). The seed is
fixed, so a run is repeatable.
"""

import contextvars
import itertools
import os

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.config import SchemathesisConfig

from app import create_app
from app.auth.operations import issue_token
from app.config import TestingConfig
from app.extensions import db, limiter
from tests.api.contract_data import seed_contract_world

EXAMPLES = int(os.environ.get("CONTRACT_EXAMPLES", "2"))
COVERAGE = os.environ.get("CONTRACT_COVERAGE", "0") == "1"
ROLES = ("admin", "officer", "employer", "prosecutor", "partner", "centre")
TURNS = itertools.count()
CONFIG = SchemathesisConfig.from_dict({
    "seed": 20261130,
    # Unknown query parameters are ignored (webargs' rule for the query string), so
    # adding one is not a wrong request; unknown fields in a JSON body are refused.
    "generation": {"allow-extra-parameters": False},
    "phases": {"coverage": {"enabled": COVERAGE}},
    "checks": {
        # A body that matches the schema may still break a rule of the domain (R10's
        # minimum wage, R13's release date...): 422 is a correct answer to it.
        "positive_data_acceptance": {"expected-statuses": [
            "2xx", "401", "403", "404", "409", "422"]},
    },
})

# The document is read from an app of its own (it needs no database); the requests go
# to the tests' app (the ``app`` fixture) and its database.
schema = schemathesis.openapi.from_wsgi("/api/openapi.json", create_app(TestingConfig),
                                        config=CONFIG)


@pytest.fixture
def tokens(app):
    """A bearer token of each role's user in the contract world (throttling off: the
    run sends far more than ten token requests a minute)."""
    users = seed_contract_world()
    issued = {role: issue_token(user, "contract")[1] for role, user in users.items()}
    db.session.commit()
    limiter.enabled = False
    yield issued
    limiter.enabled = True


@schema.parametrize()
@settings(max_examples=EXAMPLES, deadline=None, derandomize=True,
          suppress_health_check=list(HealthCheck))
def test_every_operation_answers_as_documented(case, app, tokens):
    """Each generated request is sent as every role; with the coverage phase (about
    fifty requests per operation) each goes to the next role in turn. Schemathesis
    adds its own requests without and with a wrong token."""
    for role in ROLES if not COVERAGE else [ROLES[next(TURNS) % len(ROLES)]]:
        # A fresh context per request, as a real server has (no user left in ``g``).
        contextvars.Context().run(case.call_and_validate, app=app,
                                  headers={"Authorization": f"Bearer {tokens[role]}"})
