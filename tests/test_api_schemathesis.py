"""Requests generated from `/api/v1/openapi.json` (schemathesis): none answers a server error.

Every operation of the document gets valid and invalid requests (bounded: `EXAMPLES` for each
operation and mode, the same ones every run), sent in process through Django's WSGI
application with a learner's token, against a small network with sessions, enrolments and a
certificate. Each answer must not be a 5xx, and must match what the document says of it.
"""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from rest_framework.authtoken.models import Token
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
)

from tests import factories
from tests.certificates_helpers import complete
from tests.material_factories import enrol
from tests.shared_data import built_once

EXAMPLES = 30


@pytest.fixture(scope="module")
def token_once(django_db_setup, django_db_blocker):
    with built_once(django_db_blocker):
        network = factories.small_network(factories.site_tree())
        learner = factories.learner("partner@example.com")
        enrol(learner, network["intro_in_person"])
        enrol(learner, network["llm_full"], status="waitlisted")
        complete(learner, network["intro_online"])
        yield Token.objects.create(user=learner).key


# The document is made by drf-spectacular from the code alone: no database is needed to load it.
schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())
schema.config.generation.update(
    modes=["positive", "negative"], max_examples=EXAMPLES, deterministic=True
)


@pytest.fixture
def connection_kept():
    """The test's database connection stays open across requests, as with Django's test
    client: the WSGI handler would close it when each request finishes."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)
def test_no_generated_request_gets_a_server_error(case, token_once, db, connection_kept):
    case.call_and_validate(
        headers={"Authorization": f"Bearer {token_once}"},
        checks=[not_a_server_error, content_type_conformance, response_schema_conformance],
    )
