"""x12sdk as the independent reader of our 270s (pyx12 4.0 has no 005010X279A1 map).

`x12sdk_request(text)` rebuilds an `EligibilityRequest` from x12sdk's validated models, so a test
can compare it with the request the builder was given. x12sdk reads the file with its own
tokenizer and its own pydantic models of the implementation guide (loops, segment usage, code
values), none of our code.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from x12sdk.io import X12ModelReader

from edi.x270 import EligibilityRequest, Payer, Person, Provider


def x12sdk_models(text: str) -> list[object]:
    handle, name = tempfile.mkstemp(suffix=".x12")
    os.close(handle)
    path = Path(name)
    try:
        path.write_text(text)
        with X12ModelReader(str(path)) as reader:
            return list(reader.models())
    finally:
        path.unlink()


def _person(loop, *, with_id: bool) -> Person:  # type: ignore[no-untyped-def]
    nm1, dmg = loop.nm1_segment, loop.dmg_segment
    group = next(
        (
            ref.reference_identification
            for ref in loop.ref_segment
            if ref.reference_identification_qualifier == "6P"
        ),
        "",
    )
    return Person(
        last_name=nm1.name_last_or_organization_name,
        first_name=nm1.name_first or "",
        member_id=(nm1.identification_code or "") if with_id else "",
        birth_date=dmg.date_time_period if dmg else None,
        gender=(dmg.gender_code or "") if dmg else "",
        group_number=group,
    )


def x12sdk_request(text: str) -> EligibilityRequest:
    (model,) = x12sdk_models(text)
    (source,) = model.loop_2000a  # type: ignore[attr-defined]
    (receiver,) = source.loop_2000b
    (subscriber_level,) = receiver.loop_2000c
    payer_nm1 = source.loop_2100a.nm1_segment
    provider_nm1 = receiver.loop_2100b.nm1_segment
    subscriber = _person(subscriber_level.loop_2100c, with_id=True)
    dependents = subscriber_level.loop_2000d or []
    if dependents:
        (dependent_level,) = dependents
        patient_loop, trn, eqs = (
            dependent_level.loop_2100d,
            dependent_level.trn_segment,
            dependent_level.loop_2100d.loop_2110d,
        )
        dependent: Person | None = _person(patient_loop, with_id=False)
    else:
        patient_loop, trn, eqs = (
            subscriber_level.loop_2100c,
            subscriber_level.trn_segment,
            subscriber_level.loop_2100c.loop_2110c,
        )
        dependent = None
    (trace,) = trn
    is_person = provider_nm1.entity_type_qualifier == "1"
    return EligibilityRequest(
        payer=Payer(name=payer_nm1.name_last_or_organization_name, payer_id=payer_nm1.identification_code),
        provider=Provider(
            name=provider_nm1.name_last_or_organization_name,
            npi=provider_nm1.identification_code,
            first_name=(provider_nm1.name_first or "") if is_person else "",
        ),
        subscriber=subscriber,
        dependent=dependent,
        service_date=patient_loop.dtp_segment.date_time_period,
        trace_number=trace.reference_identification_1,
        originator_id=trace.originating_company_identifier,
        service_types=tuple(code for eq in eqs or [] for code in eq.eq_segment.service_type_code),
    )
