"""provider_create / provider_update: rules, scoping and "nothing written on error"."""

from datetime import date

import pytest

from core.errors import NotFound, PermissionDenied, ValidationFailed
from practice import services
from practice.models import Provider
from tests.factories import MembershipFactory, ProviderFactory, UserFactory

pytestmark = pytest.mark.django_db


def provider_snapshot(provider_id):
    return Provider.objects.filter(pk=provider_id).values(
        "first_name", "last_name", "npi", "taxonomy_code", "credential", "is_active"
    )[0]


def test_create_a_licensed_provider(admin_access, practice):
    # when
    provider = services.provider_create(
        access=admin_access,
        first_name=" Dana ",
        last_name="Reyes",
        credential="LPC",
        npi=" 1245319599 ",
        taxonomy_code="101yp2500x",
    )
    # then
    assert Provider.objects.filter(practice=practice).count() == 1
    assert provider_snapshot(provider.pk) == {
        "first_name": "Dana",
        "last_name": "Reyes",
        "npi": "1245319599",
        "taxonomy_code": "101YP2500X",
        "credential": "LPC",
        "is_active": True,
    }


def test_a_technician_may_have_no_npi(admin_access):
    provider = services.provider_create(
        access=admin_access, first_name="Sam", last_name="Lee", credential="RBT"
    )
    assert (provider.npi, provider.credential) == ("", "RBT")


@pytest.mark.parametrize(
    ("_case", "credential", "npi", "message"),
    [
        ("wrong check digit", "LPC", "1234567890", "This NPI's check digit is wrong; check it for a typo."),
        ("nine digits", "LPC", "123456789", "An NPI is exactly 10 digits."),
        ("technician with a bad NPI", "RBT", "1234567890", "This NPI's check digit is wrong; check it for a typo."),
        ("licensed without NPI", "LCSW", "", "An NPI is required for a provider who bills under their own credential."),
    ],
)  # fmt: skip
def test_invalid_npi_is_rejected_and_nothing_is_written(
    admin_access, practice, _case, credential, npi, message
):
    # when
    with pytest.raises(ValidationFailed) as caught:
        services.provider_create(
            access=admin_access, first_name="Dana", last_name="Reyes", credential=credential, npi=npi
        )
    # then
    assert caught.value.field_errors == {"npi": [message]}
    assert Provider.objects.filter(practice=practice).count() == 0


def test_npi_must_be_unique_within_the_practice_only(admin_access, practice, other_practice):
    # given
    ProviderFactory(practice=practice, npi="1245319599")
    ProviderFactory(practice=other_practice, npi="1234567893")
    # when
    with pytest.raises(ValidationFailed) as caught:
        services.provider_create(
            access=admin_access, first_name="A", last_name="B", credential="LPC", npi="1245319599"
        )
    elsewhere_ok = services.provider_create(
        access=admin_access, first_name="C", last_name="D", credential="LPC", npi="1234567893"
    )
    # then
    assert caught.value.field_errors == {"npi": ["Another provider in this practice has this NPI."]}
    assert elsewhere_ok.practice_id == practice.pk
    assert Provider.objects.filter(practice=practice).count() == 2


def test_biller_cannot_create_a_provider(biller_access, practice):
    with pytest.raises(PermissionDenied):
        services.provider_create(
            access=biller_access, first_name="A", last_name="B", credential="LPC", npi="1245319599"
        )
    assert Provider.objects.filter(practice=practice).count() == 0


def test_link_a_member_user(admin_access, practice, other_practice):
    # given
    member = UserFactory()
    MembershipFactory(user=member, practice=practice, role="clinician")
    outsider = UserFactory()
    MembershipFactory(user=outsider, practice=other_practice, role="clinician")
    # when
    linked = services.provider_create(
        access=admin_access, first_name="A", last_name="B", credential="RBT", user_id=member.pk
    )
    with pytest.raises(ValidationFailed) as not_member:
        services.provider_create(
            access=admin_access, first_name="C", last_name="D", credential="RBT", user_id=outsider.pk
        )
    with pytest.raises(ValidationFailed) as twice:
        services.provider_create(
            access=admin_access, first_name="E", last_name="F", credential="RBT", user_id=member.pk
        )
    # then
    assert linked.user_id == member.pk
    assert not_member.value.field_errors == {"user_id": ["That user is not a member of this practice."]}
    assert twice.value.field_errors == {"user_id": ["That user is already linked to a provider."]}
    assert Provider.objects.filter(practice=practice).count() == 1


def test_update_changes_only_the_given_fields(admin_access, practice):
    # given
    provider = ProviderFactory(practice=practice, first_name="Dana", last_name="Reyes", npi="1245319599")
    # when
    services.provider_update(
        access=admin_access, provider_id=provider.pk, last_name="Reyes-Ortiz", is_active=False
    )
    # then
    assert provider_snapshot(provider.pk) == {
        "first_name": "Dana",
        "last_name": "Reyes-Ortiz",
        "npi": "1245319599",
        "taxonomy_code": "101YP2500X",
        "credential": "LPC",
        "is_active": False,
    }


def test_update_with_invalid_npi_changes_nothing(admin_access, practice):
    provider = ProviderFactory(practice=practice, npi="1245319599")
    before = provider_snapshot(provider.pk)
    with pytest.raises(ValidationFailed) as caught:
        services.provider_update(
            access=admin_access, provider_id=provider.pk, npi="1245319590", last_name="X"
        )
    assert list(caught.value.field_errors) == ["npi"]
    assert provider_snapshot(provider.pk) == before


def test_update_another_practices_provider_is_not_found(admin_access, other_practice):
    provider = ProviderFactory(practice=other_practice)
    before = provider_snapshot(provider.pk)
    with pytest.raises(NotFound):
        services.provider_update(access=admin_access, provider_id=provider.pk, last_name="Hijacked")
    assert provider_snapshot(provider.pk) == before


def test_a_supervisor_cannot_become_a_technician_while_supervising(admin_access, practice):
    # given
    supervisor = ProviderFactory(practice=practice, credential="BCBA")
    tech = ProviderFactory(practice=practice, credential="RBT", npi="")
    services.supervision_add(
        access=admin_access, supervisor_id=supervisor.pk, supervisee_id=tech.pk, starts_on=date(2020, 1, 1)
    )
    # when
    with pytest.raises(ValidationFailed) as caught:
        services.provider_update(access=admin_access, provider_id=supervisor.pk, credential="RBT")
    # then
    assert list(caught.value.field_errors) == ["credential"]
    assert provider_snapshot(supervisor.pk)["credential"] == "BCBA"
