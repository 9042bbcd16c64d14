"""The demo's note prose: sentences from the phrase bank, filled, per section and kind of service."""

from __future__ import annotations

import re
from datetime import date

import pytest

from clinical_notes.domain.checks import boilerplate_phrase, clone_comparison
from clinical_notes.domain.templates import FieldKind, catalog
from clinical_notes.domain.types import PreviousNote
from core.domain.service_types import ServiceType
from demo.note_content import FAMILIES, complete_content_for, narrative, section_text
from demo.note_phrases import ABA, BANK, COMMUNITY, FILLERS

QUALITY = catalog().quality


def test_every_placeholder_in_the_bank_has_fillers():
    used = {
        name
        for family in BANK.values()
        for texts in family.values()
        for t in texts
        for name in re.findall(r"\{(\w+)\}", t)
    }
    assert used <= set(FILLERS)


@pytest.mark.parametrize("service_type", list(ServiceType))
def test_every_section_reads_as_filled_sentences(service_type):
    content = complete_content_for(service_type, seed=3)
    fields = catalog().fields
    # free-text sections only: pick-list answers (an E/M level such as "99214") are codes, not prose
    texts = [v for k, v in content.items() if fields[k].kind is FieldKind.TEXT and isinstance(v, str)]
    assert texts
    for text in texts:
        assert "{" not in text
        assert text[0].isupper()
        assert text.endswith((".", ")"))
        assert boilerplate_phrase(text, QUALITY.boilerplate_phrases, QUALITY.min_response_words) is None


def test_the_response_is_long_enough_for_the_note_check():
    for seed in range(30):
        response = complete_content_for(ServiceType.ABA_TECHNICIAN_TREATMENT, seed=seed)["patient_response"]
        assert len(str(response).split()) >= QUALITY.min_response_words


def test_services_draw_on_their_own_bank():
    assert FAMILIES[ServiceType.ABA_TECHNICIAN_TREATMENT] == ABA
    assert FAMILIES[ServiceType.PEER_SUPPORT] == COMMUNITY
    aba = section_text(ServiceType.ABA_TECHNICIAN_TREATMENT, "behavior_data", seed=1)
    assert any(sentence.split(":")[0].lower()[:8] in aba.lower() for sentence in BANK[ABA]["behavior_data"])


def test_the_same_seed_gives_the_same_text_and_consecutive_notes_are_not_clones():
    assert complete_content_for(ServiceType.INDIVIDUAL_PSYCHOTHERAPY, seed=5) == complete_content_for(
        ServiceType.INDIVIDUAL_PSYCHOTHERAPY, seed=5
    )
    similar = 0
    for seed in range(1, 40):
        previous = PreviousNote(
            note_id=1,
            date_of_service=date(2026, 1, 5),
            content=complete_content_for(ServiceType.INDIVIDUAL_PSYCHOTHERAPY, seed=seed),
        )
        now = complete_content_for(ServiceType.INDIVIDUAL_PSYCHOTHERAPY, seed=seed + 1)
        if clone_comparison(now, previous).similarity >= QUALITY.clone_similarity_threshold:
            similar += 1
    assert similar == 0


def test_narrative_has_the_words_asked_for():
    assert len(narrative(9, words=40).split()) >= 40
