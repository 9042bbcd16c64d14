"""A final note's page keeps every text answer when the note templates change later (issue #7):
an answer whose field the catalog no longer knows is still shown, under its key."""

from __future__ import annotations

import dataclasses
from types import MappingProxyType

import pytest
from django.urls import reverse

from clinical_notes.domain.templates import catalog
from clinical_notes.view_models import note as note_view_models
from tests.clinical_notes.views.builders import final_note

pytestmark = pytest.mark.django_db


def test_a_text_answer_whose_field_was_dropped_from_the_catalog_is_still_shown(
    clinic, client_for, monkeypatch
):
    # given: a final note, then a catalog without the "behavior_data" field
    note = final_note(clinic)
    current = catalog()
    fields = {key: spec for key, spec in current.fields.items() if key != "behavior_data"}
    without = dataclasses.replace(current, fields=MappingProxyType(fields))
    monkeypatch.setattr(note_view_models, "catalog", lambda: without)
    # when
    response = client_for(clinic.tech_user).get(reverse("clinical_notes:detail", args=[note.pk]))
    # then
    sections = [(s.label, s.text) for s in response.context["note"].sections]
    assert sections[-1] == ("Behavior data", note.content["behavior_data"])
    assert [label for label, _text in sections].count("Behavior data") == 1
    assert "Targets and data" not in [label for label, _text in sections]


def test_with_the_current_catalog_each_answer_is_shown_once_under_its_label(clinic, client_for):
    # given
    note = final_note(clinic)
    # when
    response = client_for(clinic.tech_user).get(reverse("clinical_notes:detail", args=[note.pk]))
    # then
    sections = [(s.label, s.text) for s in response.context["note"].sections]
    assert ("Targets and data", note.content["behavior_data"]) in sections
    texts = [text for _label, text in sections]
    assert len(texts) == len(set(texts))
    assert all(label != "Behavior data" for label, _text in sections)
