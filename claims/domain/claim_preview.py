"""A readable 837P preview of one claim: its own segments (2000A billing provider to the last
2400 line), one per line, cut from a file the 837P builder wrote (edi.x837p.build_837p), so the
preview is exactly what a batch would carry for it, less the envelope a batch adds around it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from edi.x270 import Envelope
from edi.x837p import Batch, Claim, ClaimDataError, Party, build_837p

_PREVIEW_ENVELOPE = Envelope(
    sender_id="PREVIEW",
    receiver_id="PREVIEW",
    interchange_control_number=1,
    group_control_number=1,
    created=datetime(2000, 1, 1),  # noqa: DTZ001 - never shown: the envelope is cut off
)


@dataclass(frozen=True, slots=True)
class Preview:
    segments: tuple[str, ...] = ()
    problem: str = ""  # why the claim cannot be written yet (the builder's field and message)


def claim_segments(claim: Claim) -> Preview:
    batch = Batch(
        submitter=Party("PREVIEW", "PREVIEW", "PREVIEW", "0000000000"),
        receiver=Party("PREVIEW", "PREVIEW"),
        claims=(claim,),
        reference="PREVIEW",
    )
    try:
        text = build_837p(batch, _PREVIEW_ENVELOPE)
    except ClaimDataError as error:
        return Preview(problem=error.reason.replace("claims[0].", "", 1))
    terminator = _PREVIEW_ENVELOPE.delimiters.segment
    segments = [s for s in text.split(terminator) if s.strip()]
    start = next(
        i for i, s in enumerate(segments) if s.startswith("HL" + _PREVIEW_ENVELOPE.delimiters.element)
    )
    end = next(i for i, s in enumerate(segments) if s.startswith("SE" + _PREVIEW_ENVELOPE.delimiters.element))
    return Preview(segments=tuple(f"{s}{terminator}" for s in segments[start:end]))
