"""A small provider graph for list tests: licences, alerts, supervision, enrolments."""

from datetime import date

from payers.models import PayerEnrollment
from practice.models import License, LicenseAlert, Supervision
from tests.factories import PayerFactory, ProviderFactory


def build_providers(practice, *, technicians: int, today: date):
    """One BCBA supervising `technicians` RBTs, each with a licence/alert and two enrolments."""
    payers = [PayerFactory(practice=practice, name=f"Plan {i}") for i in range(2)]
    bcba = ProviderFactory(practice=practice, credential="BCBA", first_name="Alex", last_name="Aardvark")
    License.objects.create(provider=bcba, number="BCBA-1", state="IL", expires_on=date(today.year + 2, 1, 1))
    techs = []
    for i in range(technicians):
        tech = ProviderFactory(practice=practice, credential="RBT", npi="", last_name=f"Tech{i:02d}")
        lic = License.objects.create(provider=tech, number=f"RBT-{i}", state="IL", expires_on=today)
        LicenseAlert.objects.create(license=lic, expires_on=today, status="expiring")
        Supervision.objects.create(supervisor=bcba, supervisee=tech, starts_on=date(today.year - 1, 1, 1))
        for payer in payers:
            PayerEnrollment.objects.create(provider=tech, payer=payer, status="enrolled", effective_on=today)
        techs.append(tech)
    return bcba, techs, payers
