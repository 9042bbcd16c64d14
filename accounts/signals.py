"""Account events other apps record (the audit app listens: accounts sits below it).

Each is sent with `request` (the HttpRequest it happened in) and `user`. Enrolment and device
resets are recorded by the services that do them (practice.services.mfa_enrolment).
"""

from __future__ import annotations

from django.dispatch import Signal

# The second factor was accepted: the sign-in is complete.
mfa_verified = Signal()
# A wrong two-factor code, or a code while the device is locked after too many (`locked` says which).
mfa_code_refused = Signal()
