"""Every API operation, generated from the OpenAPI schema, as a biller and as a clinician.

schemathesis draws requests from `/api/schema/` (drf-spectacular) and sends them to the Django
WSGI app in-process (inside the test's transaction, on PostgreSQL). Every answer must conform to
the schema (status code documented, body matching it, content type) and none may be a 5xx.

One default check is left out: `positive_data_acceptance` (a schema-valid request must not be
refused with 400). Our services refuse schema-valid input that breaks a rule (an unknown ICD-10
code, an end date before the start, a patient of another practice), which no JSON schema can say;
those answers are documented 400s in the one error shape, and they are still checked for that.
"""

from __future__ import annotations

import re
import sys
from collections import Counter
from typing import Any

import pytest
import requests
import schemathesis
from django.utils.crypto import get_random_string
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.core.failures import FailureGroup
from schemathesis.specs.openapi.checks import positive_data_acceptance

from tests.conftest import verified_client
from tests.factories import CoverageFactory, PatientFactory, PayerFactory

EXAMPLES_PER_OPERATION = 3  # keeps the run near a minute on two shared cores


def _schema() -> schemathesis.schemas.BaseSchema:
    raw = SchemaGenerator().get_schema(request=None, public=True)
    return schemathesis.openapi.from_dict(raw)


def _headers_for(user: Any) -> tuple[dict[str, str], dict[str, str]]:
    client = verified_client(user)
    csrf = get_random_string(32)
    cookies = {"sessionid": client.cookies["sessionid"].value, "csrftoken": csrf}
    return cookies, {"X-CSRFToken": csrf}


def _titles(error: BaseException) -> str:
    """The distinct failure titles ("Undocumented HTTP status code", "Server error"...) with status."""
    found = sorted({line.strip() for line in str(error).splitlines() if line.startswith("- ")})
    statuses = sorted(set(re.findall(r"\[(\d{3})\]", str(error))))
    return "; ".join(found) + (f" [{', '.join(statuses)}]" if statuses else "") or type(error).__name__


def _runner(
    operation: Any,
    key: str,
    calls: Counter[str],
    base_url: str,
    session: requests.Session,
    cookies: dict[str, str],
    headers: dict[str, str],
) -> Any:
    @given(case=operation.as_strategy())
    @settings(
        max_examples=EXAMPLES_PER_OPERATION,
        deadline=None,
        database=None,
        derandomize=True,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    def run(case: Any) -> None:
        calls[key] += 1
        case.call_and_validate(
            base_url=base_url,
            session=session,
            cookies=cookies,
            headers=headers,
            excluded_checks=[positive_data_acceptance],
        )

    return run


@pytest.mark.django_db(transaction=True)
def test_every_operation_conforms_for_a_biller_and_a_clinician(live_server, practice, make_member):
    # given: a practice with a patient, a coverage, a payer; two roles signed in with MFA
    payer = PayerFactory(practice=practice)
    CoverageFactory(patient=PatientFactory(practice=practice), payer=payer)
    roles = {
        "biller": make_member("biller", practice),
        "clinician": make_member("clinician", practice, provider=True),
    }
    schema = _schema()
    operations = [result.ok() for result in schema.get_all_operations()]
    calls: Counter[str] = Counter()
    failures: dict[str, str] = {}

    # when
    for role, user in roles.items():
        cookies, headers = _headers_for(user)
        session = requests.Session()  # one connection per role, kept alive
        for operation in operations:
            key = f"{role} {operation.method.upper()} {operation.path}"

            try:
                _runner(operation, key, calls, live_server.url, session, cookies, headers)()
            except (FailureGroup, AssertionError, Exception) as error:  # noqa: B014 - recorded, not raised
                failures[key] = _titles(error)

    # then
    for key, message in sorted(failures.items()):
        sys.stdout.write(f"FAIL {key}: {message}\n")
    sys.stdout.write(
        f"\nschemathesis: {len(operations)} operations x {len(roles)} roles, "
        f"{sum(calls.values())} calls, {len(failures)} failing operation-role pairs\n"
    )
    assert failures == {}
    assert len(operations) >= 70
    assert {key for key, count in calls.items() if count >= 1} == {
        f"{role} {op.method.upper()} {op.path}" for role in roles for op in operations
    }
