"""Property-based run of schemathesis against the live OpenAPI schema (in-process WSGI).

Every operation of /api/v1/openapi.json is called with generated data that fits the schema and
data that does not, on a seeded database (agencies, requests, documents, a published report, a
head's token for the /staff/ operations). The run fails on any server error, any response whose
status, content type, headers or body the schema does not document, and any invalid request that
is accepted. Bounded in time: a few examples per operation and mode, no shrinking, derandomized
(the same cases every run); the whole run takes well under a minute.

schemathesis' own pytest integration (``schema.parametrize`` / ``from_fixture``) is not used: its
lazy loader touches a private attribute that pytest 9 removed, and one test with the seed built
once is much faster than one test per operation. Each operation still gets its own hypothesis run
and its failures are collected and reported together.
"""

from __future__ import annotations

import time

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis.config import SchemathesisConfig
from schemathesis.core.parameters import ParameterLocation
from schemathesis.generation import GenerationMode
from schemathesis.specs.openapi.checks import positive_data_acceptance

from gongkai.letters import services as letters
from gongkai.wsgi import application
from tests.api.conftest import token_for

pytestmark = pytest.mark.schemathesis

EXAMPLES_PER_MODE = 6
#: "Schema-valid data must be accepted" does not hold for this API by design: business rules go
#: beyond the schema (an identity number's checksum, an e-mail address required when the reply
#: goes by e-mail, a request id that exists), and they answer 400 with the rule's message.
ACCEPTS_VALID = positive_data_acceptance
#: A negative case may be an over-long string that makes the body exceed the API's 256 KB cap; the
#: API then refuses it with 413 before reading it, which is a rejection like 400 (schemathesis'
#: default list omits 413).
CONFIG = SchemathesisConfig.from_dict(
    {
        "checks": {
            "negative_data_rejection": {
                "expected-statuses": [
                    "400",
                    "401",
                    "403",
                    "404",
                    "405",
                    "406",
                    "409",
                    "413",
                    "415",
                    "422",
                    "428",
                    "429",
                    "5xx",
                ]
            }
        }
    }
)
TIME_BUDGET_SECONDS = 150  # a hard stop far above the usual run time (~30–40 s on this machine)


@pytest.fixture
def _keep_test_connection():
    """Django's WSGI handler closes the database connection after each request; inside a test
    transaction that would close the test database (Django's test client disconnects the same
    handlers for the same reason)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def _run(operation, mode, path_parameters, headers) -> str | None:
    """One hypothesis run of ``operation``; the failure report, or None."""
    strategy = operation.as_strategy(generation_mode=mode, path_parameters=path_parameters)

    @given(case=strategy)
    @settings(
        max_examples=EXAMPLES_PER_MODE,
        deadline=None,
        derandomize=True,
        database=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    def run(case):
        meta = case._meta
        invalid_headers = meta is not None and meta.is_negative_at(ParameterLocation.HEADER)
        if headers and not invalid_headers:  # the real token instead of a generated value
            case.headers = {**(case.headers or {}), **headers}
        case.call_and_validate(excluded_checks=[ACCEPTS_VALID])

    try:
        run()
    except Unsatisfiable:
        return None  # nothing in the operation can be made invalid (no parameters)
    except (Exception, BaseExceptionGroup) as exc:  # report every operation's failures
        where = f" with {path_parameters}" if path_parameters else ""
        return f"{mode.value} {operation.label}{where}:\n{exc}"
    return None


def test_the_api_conforms_to_its_schema(_keep_test_connection, world, seed):
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application, config=CONFIG)
    event = seed.request.events.get(type="submitted")
    letter = letters.issue(seed.request, event, "receipt", inputs={}, actor=world.officer)
    staff = {"Authorization": f"Bearer {token_for(world.head)}"}
    failures: list[str] = []
    started = time.monotonic()
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) > 30, "the schema lists fewer operations than the API has"

    # Path parameters pointing at seeded objects, so that generated bodies reach the rules (the
    # first pass uses generated ids, which mostly answer 404).
    known = {
        "code": world.league.code,
        "year": 2025,
        "scope": "self",
        "request_id": seed.request.pk,
        "document_id": seed.draft.pk,
        "letter_id": letter.pk,
        "appeal_id": 1,
        "fmt": "pdf",
    }
    passes = []
    for operation in operations:
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            passes.append((operation, mode, None))
        names = {p.name for p in operation.path_parameters}
        if names:
            passes.append((operation, GenerationMode.POSITIVE, {n: known[n] for n in names}))

    for operation, mode, path_parameters in passes:
        headers = staff if "/staff/" in operation.path else {}
        failure = _run(operation, mode, path_parameters, headers)
        if failure:
            failures.append(failure)
        if time.monotonic() - started > TIME_BUDGET_SECONDS:
            pytest.fail(f"schemathesis run exceeded {TIME_BUDGET_SECONDS} s")

    assert not failures, "\n\n".join(failures)
