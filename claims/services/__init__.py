"""Claims use cases: the hand-off of a final note, charge capture, the scrubber, a biller's
override and review, and the fee schedule.

* `note_ready_to_bill_record(note_id=)` (handoff): what the documentation hand-off task runs:
  records the note as ready to bill, then captures its charges. Both steps are idempotent.
* `charges_capture_for_note(note_id=)` (capture): one final note -> one `ChargeSet` of lines,
  decided by `claims.domain.capture_plan`, then scrubbed.
* `charge_set_scrub` (scrub), `charge_override` (override), `charge_set_mark_reviewed`
  (review): a biller's actions. `fee_schedule_entry_set` (fees).

Every change appends a `ChargeEvent` and an audit event (category billing) in the same
transaction.
"""

from claims.services.capture import charges_capture_for_note as charges_capture_for_note
from claims.services.common import require_edit as require_edit
from claims.services.fees import FeeKind as FeeKind
from claims.services.fees import contracted_rate_set as contracted_rate_set
from claims.services.fees import fee_schedule_entry_set as fee_schedule_entry_set
from claims.services.fees import fees_import as fees_import
from claims.services.handoff import note_ready_to_bill_record as note_ready_to_bill_record
from claims.services.override import charge_line_add as charge_line_add
from claims.services.override import charge_override as charge_override
from claims.services.review import charge_set_mark_reviewed as charge_set_mark_reviewed
from claims.services.scrub import charge_set_scrub as charge_set_scrub
