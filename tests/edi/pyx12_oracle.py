"""pyx12 as the independent validator of our 837Ps: its 999 answer, read by edi.x999."""

from __future__ import annotations

import io
import logging

import pyx12.params
import pyx12.x12n_document


def pyx12_validate(text: str) -> tuple[bool, str]:
    """(valid, the 999 pyx12 writes for `text`)."""
    ack = io.StringIO()
    logging.getLogger("pyx12").setLevel(logging.CRITICAL)
    ok = pyx12.x12n_document.x12n_document(pyx12.params.params(), io.StringIO(text), ack, None)
    return bool(ok), ack.getvalue()
