"""Practice use cases: settings, locations, providers, licences, supervision, licence alerts.

Each service checks `Capability.PRACTICE_MANAGE`, runs the pure rules, and writes nothing
when they find a problem (`ValidationFailed` carrying field errors). Provider data is not
PHI, so these changes write no audit events.
"""

from practice.services.common import assign_changed as assign_changed
from practice.services.common import model_full_clean as model_full_clean
from practice.services.common import raise_if_problems as raise_if_problems
from practice.services.licenses import license_add as license_add
from practice.services.licenses import license_alert_acknowledge as license_alert_acknowledge
from practice.services.licenses import license_expiry_alerts_raise as license_expiry_alerts_raise
from practice.services.licenses import license_renew as license_renew
from practice.services.mfa_enrolment import IssuedCode as IssuedCode
from practice.services.mfa_enrolment import mfa_device_reset as mfa_device_reset
from practice.services.mfa_enrolment import mfa_enrolment_code_issue as mfa_enrolment_code_issue
from practice.services.mfa_enrolment import mfa_enrolment_code_redeem as mfa_enrolment_code_redeem
from practice.services.mfa_enrolment import mfa_enrolment_codes_expire as mfa_enrolment_codes_expire
from practice.services.mfa_enrolment import mfa_enrolment_complete as mfa_enrolment_complete
from practice.services.mfa_enrolment import mfa_enrolment_pending_device as mfa_enrolment_pending_device
from practice.services.practice_settings import location_create as location_create
from practice.services.practice_settings import location_update as location_update
from practice.services.practice_settings import practice_update as practice_update
from practice.services.providers import provider_create as provider_create
from practice.services.providers import provider_update as provider_update
from practice.services.supervision import supervision_add as supervision_add
from practice.services.supervision import supervision_end as supervision_end
