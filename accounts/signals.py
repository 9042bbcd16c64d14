"""Account events other apps record (the audit app listens: accounts sits below it).

Each is sent with `request` (the HttpRequest it happened in) and `user`; `mfa_reset` with `user`,
the acting admin's `context` (core.audit_context.AuditContext) and `devices` (how many went).
"""

from __future__ import annotations

from django.dispatch import Signal

# The second factor was accepted: the sign-in is complete.
mfa_verified = Signal()
# A wrong two-factor code, or a code while the device is locked after too many (`locked` says which).
mfa_code_refused = Signal()
# A device was enrolled (confirmed with a first valid code).
mfa_enrolled = Signal()
# Someone's devices were removed so they can enrol again (accounts.services.mfa_device_reset).
mfa_reset = Signal()
