"""REST API of the claims app: charges (`charges`, /api/charges/) and claims (`claim_screens`,
/api/claims/)."""

from claims.api.charges import STATUSES as STATUSES
from claims.api.charges import ChargeLineAddApi as ChargeLineAddApi
from claims.api.charges import ChargeListApi as ChargeListApi
from claims.api.charges import ChargeOverrideApi as ChargeOverrideApi
from claims.api.charges import ChargeSetDetailApi as ChargeSetDetailApi
from claims.api.charges import ChargeSetForNoteApi as ChargeSetForNoteApi
from claims.api.charges import ChargeSetReviewApi as ChargeSetReviewApi
from claims.api.charges import ChargeSetScrubApi as ChargeSetScrubApi
