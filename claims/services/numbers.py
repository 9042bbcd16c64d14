"""Numbers from database counters.

* `interchange_control_number()`: ISA13/GS06 of a new 837 file, from eligibility's
  "interchange" counter, so every interchange a practice sends (270 or 837) has its own number
  and none is ever reused (pitfall C16: a new file never reuses a number; a re-sent file keeps
  its own).
* `claim_numbers(practice_id, count)`: a block of patient-control-number sequence values for
  the practice from claims' own counter (`ClaimCounter`), in three queries however many
  (unique per practice, pitfall C6).
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import F

from claims.models import ClaimCounter
from eligibility.services import next_control_number


def interchange_control_number() -> int:
    return next_control_number("interchange")


def claim_numbers(practice_id: int, count: int) -> range:
    """`count` new values of the practice's claim counter (never handed out twice)."""
    if count <= 0:
        return range(0)
    name = f"pcn:{practice_id}"
    with transaction.atomic():
        ClaimCounter.objects.get_or_create(name=name)
        ClaimCounter.objects.filter(name=name).update(last_value=F("last_value") + count)
        last = ClaimCounter.objects.values_list("last_value", flat=True).get(name=name)
    return range(last - count + 1, last + 1)
