"""Reads for claims: the charge screens' scoped, audited reads (`charges`) and the facts that
capture and the scrubber decide from (`facts`, read through the owning apps' selectors)."""

from claims.selectors.charges import CHARGE_OBJECT_TYPE as CHARGE_OBJECT_TYPE
from claims.selectors.charges import LIST_PAGE_SIZE as LIST_PAGE_SIZE
from claims.selectors.charges import MAX_PAGE_SIZE as MAX_PAGE_SIZE
from claims.selectors.charges import ChargeFilters as ChargeFilters
from claims.selectors.charges import ChargePage as ChargePage
from claims.selectors.charges import ChargeWorklistCounts as ChargeWorklistCounts
from claims.selectors.charges import charge_list as charge_list
from claims.selectors.charges import charge_set_after_change as charge_set_after_change
from claims.selectors.charges import charge_set_for_note as charge_set_for_note
from claims.selectors.charges import charge_set_get as charge_set_get
from claims.selectors.charges import charge_set_id_for_line as charge_set_id_for_line
from claims.selectors.charges import charge_set_id_for_note as charge_set_id_for_note
from claims.selectors.charges import charge_set_id_of_line as charge_set_id_of_line
from claims.selectors.charges import charge_worklist_counts as charge_worklist_counts
from claims.selectors.charges import payer_choices as payer_choices
from claims.selectors.charges import provider_choices as provider_choices
from claims.selectors.facts import SELF_PAY_LABEL as SELF_PAY_LABEL
from claims.selectors.facts import ClaimSpec as ClaimSpec
from claims.selectors.facts import authorizations_for as authorizations_for
from claims.selectors.facts import capture_facts as capture_facts
from claims.selectors.facts import catalog as catalog
from claims.selectors.facts import charge_row as charge_row
from claims.selectors.facts import charge_rows as charge_rows
from claims.selectors.facts import claim_to_be as claim_to_be
from claims.selectors.facts import day_charges as day_charges
from claims.selectors.facts import diagnosis_facts as diagnosis_facts
from claims.selectors.facts import fee_entries as fee_entries
from claims.selectors.facts import final_sessions as final_sessions
from claims.selectors.facts import policy_on as policy_on
from claims.selectors.facts import session_of as session_of
from claims.selectors.facts import stored_claim_spec as stored_claim_spec
