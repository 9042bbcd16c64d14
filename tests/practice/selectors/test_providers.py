"""Provider reads: scoped by practice, no N+1, "today" in the practice's zone."""

from datetime import date

import pytest
import time_machine

from core.errors import NotFound
from practice import selectors
from practice.domain.credentials import LicenseStatus
from practice.models import License, LicenseAlert, Supervision
from tests.factories import PracticeFactory, ProviderFactory
from tests.practice.graph import build_providers

pytestmark = pytest.mark.django_db

TODAY = date(2025, 6, 1)

# practice zone, providers, licences, alerts, supervisors (+people), enrolments, payers
LIST_QUERIES = 7


@pytest.mark.parametrize("technicians", [1, 6])
def test_provider_list_query_count_does_not_grow(
    admin_access, practice, django_assert_num_queries, technicians
):
    # given
    build_providers(practice, technicians=technicians, today=TODAY)
    # when
    with django_assert_num_queries(LIST_QUERIES):
        overviews = selectors.provider_overview_list(access=admin_access)
    # then
    assert len(overviews) == technicians + 1


@time_machine.travel("2025-06-01 15:00:00+00:00", tick=False)
def test_overview_contents(admin_access, practice):
    # given
    bcba, techs, payers = build_providers(practice, technicians=1, today=TODAY)
    # when
    by_id = {o.provider_id: o for o in selectors.provider_overview_list(access=admin_access)}
    # then
    tech = by_id[techs[0].pk]
    assert tech.today == TODAY
    assert tech.license_status is LicenseStatus.EXPIRING
    assert [(p.provider_id, p.name) for p in tech.supervisors_today] == [(bcba.pk, bcba.full_name)]
    assert [(a.license_number, a.status) for a in tech.open_alerts] == [("RBT-0", "expiring")]
    assert [(e.payer_name, e.status) for e in tech.enrollments] == [
        ("Plan 0", "enrolled"),
        ("Plan 1", "enrolled"),
    ]
    assert tech.requires_supervision is True
    assert by_id[bcba.pk].license_status is LicenseStatus.ACTIVE
    assert by_id[bcba.pk].supervisors_today == ()


def test_ended_supervision_and_stale_or_acknowledged_alerts_are_not_shown(admin_access, practice):
    # given
    supervisor = ProviderFactory(practice=practice, credential="LCSW")
    tech = ProviderFactory(practice=practice, credential="BHT", npi="")
    Supervision.objects.create(
        supervisor=supervisor, supervisee=tech, starts_on=date(2025, 1, 1), ends_on=date(2025, 5, 31)
    )
    lic = License.objects.create(provider=tech, number="L1", state="IL", expires_on=date(2026, 6, 1))
    LicenseAlert.objects.create(license=lic, expires_on=date(2025, 6, 1), status="expiring")  # before renewal
    LicenseAlert.objects.create(
        license=lic, expires_on=date(2026, 6, 1), status="expiring", acknowledged_at="2025-06-01T00:00Z"
    )
    # when
    overview = selectors.provider_overview_get(access=admin_access, provider_id=tech.pk, today=TODAY)
    # then
    assert overview.supervisors_today == ()
    assert [s.current for s in overview.supervisions] == [False]
    assert overview.open_alerts == ()
    assert overview.license_status is LicenseStatus.ACTIVE


def test_detail_lists_supervisees(admin_access, practice):
    bcba, techs, _ = build_providers(practice, technicians=2, today=TODAY)
    overview = selectors.provider_overview_get(access=admin_access, provider_id=bcba.pk, today=TODAY)
    assert sorted(s.supervisee_id for s in overview.supervisees) == sorted(t.pk for t in techs)


def test_another_practices_provider_is_not_found(admin_access, other_practice):
    outsider = ProviderFactory(practice=other_practice)
    with pytest.raises(NotFound):
        selectors.provider_overview_get(access=admin_access, provider_id=outsider.pk)
    with pytest.raises(NotFound):
        selectors.provider_get(access=admin_access, provider_id=outsider.pk)


def test_list_is_scoped_to_the_practice(admin_access, practice, other_practice):
    mine = ProviderFactory(practice=practice)
    ProviderFactory(practice=other_practice)
    assert [o.provider_id for o in selectors.provider_overview_list(access=admin_access)] == [mine.pk]


@time_machine.travel("2025-06-02 03:30:00+00:00", tick=False)
def test_practice_today_uses_the_practice_zone():
    chicago = PracticeFactory(timezone="America/Chicago")
    tokyo = PracticeFactory(timezone="Asia/Tokyo")
    broken = PracticeFactory(timezone="Not/AZone")  # only possible by bypassing the services
    assert selectors.practice_today(practice_id=chicago.pk) == date(2025, 6, 1)
    assert selectors.practice_today(practice_id=tokyo.pk) == date(2025, 6, 2)
    assert selectors.practice_today(practice_id=broken.pk) == date(2025, 6, 1)  # falls back to New York


def test_supervision_periods_for_supervisee_feed_supervisor_on(practice):
    from practice.domain.supervision import supervisor_on

    first = ProviderFactory(practice=practice, credential="BCBA")
    second = ProviderFactory(practice=practice, credential="BCBA")
    tech = ProviderFactory(practice=practice, credential="RBT", npi="")
    Supervision.objects.create(
        supervisor=first, supervisee=tech, starts_on=date(2025, 1, 1), ends_on=date(2025, 3, 31)
    )
    Supervision.objects.create(supervisor=second, supervisee=tech, starts_on=date(2025, 4, 1))
    periods = selectors.supervision_periods_for_supervisee(supervisee_id=tech.pk)
    assert supervisor_on(date(2025, 3, 31), periods) == first.pk
    assert supervisor_on(date(2025, 4, 1), periods) == second.pk
