"""audit_event_record: the chain grows by one linked, hashed row per event."""

from __future__ import annotations

import pytest
from django.test import RequestFactory

from audit.chain_services import audit_chain_verify
from audit.domain.chain import GENESIS_HASH
from audit.models import AuditChainHead, AuditEvent
from audit.services import AuditContext, normalized_ip
from tests.factories import PatientFactory

pytestmark = pytest.mark.django_db


def test_events_are_linked_in_order(practice, record_event):
    # when
    first = record_event(practice_id=practice.pk)
    second = record_event(practice_id=practice.pk, action=AuditEvent.Action.UPDATE)
    # then
    assert (first.seq, second.seq) == (1, 2)
    assert first.prev_hash == GENESIS_HASH
    assert second.prev_hash == first.hash
    head = AuditChainHead.objects.get()
    assert (head.last_seq, head.last_hash) == (2, second.hash)


@pytest.mark.parametrize(
    ("_case", "ip", "stored"),
    [
        ("ipv4", "192.0.2.10", "192.0.2.10"),
        ("ipv6_long_form", "2001:0DB8:0000:0000:0000:0000:0000:0001", "2001:db8::1"),
        ("ipv4_mapped", "::ffff:192.0.2.10", "::ffff:192.0.2.10"),
        ("garbage", "not-an-ip", None),
        ("none", None, None),
    ],
)
def test_the_ip_is_stored_as_hashed_so_the_chain_verifies(practice, record_event, _case, ip, stored):
    # when
    event = record_event(practice_id=practice.pk, ip_address=ip)
    # then
    event.refresh_from_db()
    assert event.ip_address == stored
    assert audit_chain_verify().ok is True


def test_long_values_are_cut_to_their_columns_before_hashing(practice, record_event):
    # when
    event = record_event(practice_id=practice.pk, object_id="9" * 60, detail="d" * 250)
    # then
    event.refresh_from_db()
    assert event.object_id == "9" * 40
    assert event.detail == "d" * 200
    assert audit_chain_verify().ok is True


@pytest.mark.parametrize(
    ("_case", "trusted", "meta", "expected"),
    [
        ("remote_addr", 0, {"REMOTE_ADDR": "198.51.100.7"}, "198.51.100.7"),
        (
            "forged_header_ignored_by_default",
            0,
            {"HTTP_X_FORWARDED_FOR": "203.0.113.5, 10.0.0.1", "REMOTE_ADDR": "10.0.0.1"},
            "10.0.0.1",
        ),
        (
            "one_trusted_proxy",
            1,
            {"HTTP_X_FORWARDED_FOR": "6.6.6.6, 203.0.113.5", "REMOTE_ADDR": "10.0.0.1"},
            "203.0.113.5",
        ),
        (
            "ipv6_normalized",
            1,
            {"HTTP_X_FORWARDED_FOR": "2001:0DB8::0001", "REMOTE_ADDR": "10.0.0.1"},
            "2001:db8::1",
        ),
        ("forwarded_garbage", 1, {"HTTP_X_FORWARDED_FOR": "<script>", "REMOTE_ADDR": "10.0.0.1"}, "10.0.0.1"),
    ],
)
def test_context_from_request_takes_a_valid_ip(settings, _case, trusted, meta, expected):
    # given
    settings.TRUSTED_PROXY_COUNT = trusted
    request = RequestFactory().get("/audit/", **meta)
    request.user = type("Anon", (), {"is_authenticated": False, "pk": None})()
    # when
    context = AuditContext.from_request(request)
    # then
    assert context.ip_address == expected
    assert context.request_path == "/audit/"


def test_normalized_ip_drops_zone_ids():
    assert normalized_ip("fe80::1%eth0") is None


def test_a_forged_forwarded_header_is_not_recorded_by_default(practice, make_member, client_for):
    # given: no trusted proxy (the default); the client claims another address
    web = client_for(make_member("biller", practice))
    patient = PatientFactory(practice=practice)
    # when
    response = web.get(f"/patients/{patient.pk}/", HTTP_X_FORWARDED_FOR="203.0.113.99")
    # then
    assert response.status_code == 200
    assert set(AuditEvent.objects.filter(patient_id=patient.pk).values_list("ip_address", flat=True)) == {
        "127.0.0.1"
    }


def test_the_trusted_proxy_address_is_recorded(settings, practice, make_member, client_for):
    # given: one proxy in front, which appended the address it saw
    settings.TRUSTED_PROXY_COUNT = 1
    web = client_for(make_member("biller", practice))
    patient = PatientFactory(practice=practice)
    # when
    web.get(f"/patients/{patient.pk}/", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.99")
    # then
    assert set(AuditEvent.objects.filter(patient_id=patient.pk).values_list("ip_address", flat=True)) == {
        "203.0.113.99"
    }
