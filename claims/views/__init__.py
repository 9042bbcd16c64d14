"""Billing screens of the claims app: charges (`charges`, mounted at /charges/) and claims
(`claim_screens`, mounted at /claims/)."""

from claims.views.charges import charge_line_add as charge_line_add
from claims.views.charges import charge_list as charge_list
from claims.views.charges import charge_override as charge_override
from claims.views.charges import charge_set_detail as charge_set_detail
from claims.views.charges import charge_set_review as charge_set_review
from claims.views.charges import charge_set_review_many as charge_set_review_many
from claims.views.charges import charge_set_scrub as charge_set_scrub
from claims.views.charges import charges_for_note as charges_for_note
