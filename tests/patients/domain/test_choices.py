"""The domain's plain choice values must match the models' TextChoices."""

from patients.domain import types
from patients.models import Consent, Coverage, Guarantor, Sex


def test_domain_choices_match_models():
    assert dict(types.SEX_CHOICES) == dict(Sex.choices)
    assert dict(types.SUBSCRIBER_RELATIONSHIP_CHOICES) == dict(Coverage.SubscriberRelationship.choices)
    assert dict(types.GUARANTOR_RELATIONSHIP_CHOICES) == dict(Guarantor.Relationship.choices)
    assert dict(types.CONSENT_KIND_CHOICES) == dict(Consent.Kind.choices)
    assert dict(Coverage.Priority.choices) == types.PRIORITIES
    assert set(Sex.values) == types.SEX_CODES
    assert set(Coverage.SubscriberRelationship.values) == types.SUBSCRIBER_RELATIONSHIPS
    assert set(Consent.Kind.values) == types.CONSENT_KINDS
