"""The demo practice's documented logins. Synthetic; never use these keys outside the demo."""

import base64

DEMO_PASSWORD = "parity-demo-2026"  # noqa: S105 - documented demo password
DEMO_TOTP_BASE32 = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
DEMO_TOTP_KEY_HEX = base64.b32decode(DEMO_TOTP_BASE32).hex()
