"""The claims sandbox is refused in production (system check and at run time) unless a demo
allows it; its settings have sensible defaults."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings
from django.test import override_settings

from clearinghouse.interface import PermanentClearinghouseError
from clearinghouse.sandbox_claims import sandbox_claims_adapter
from eligibility.checks import claims_sandbox_refused_in_production


def test_claims_sandbox_refused_in_production_unless_allowed() -> None:
    with override_settings(DEBUG=False, CLAIMS_SANDBOX_ALLOWED=False, CLAIMS_CLEARINGHOUSE="sandbox"):
        assert [e.id for e in claims_sandbox_refused_in_production()] == ["eligibility.E002"]
    with override_settings(DEBUG=False, CLAIMS_SANDBOX_ALLOWED=True, CLAIMS_CLEARINGHOUSE="sandbox"):
        assert claims_sandbox_refused_in_production() == []
    with override_settings(DEBUG=False, CLAIMS_SANDBOX_ALLOWED=False, CLAIMS_CLEARINGHOUSE="sftp"):
        assert claims_sandbox_refused_in_production() == []
    with override_settings(DEBUG=True, CLAIMS_SANDBOX_ALLOWED=False, CLAIMS_CLEARINGHOUSE="sandbox"):
        assert claims_sandbox_refused_in_production() == []


def test_the_adapter_is_refused_at_run_time_in_production(tmp_path: Path) -> None:
    with pytest.raises(PermanentClearinghouseError, match="refused in production"):
        sandbox_claims_adapter(tmp_path, debug=False, allowed=False)
    adapter = sandbox_claims_adapter(str(tmp_path), debug=False, allowed=True, latency_ms=5)
    assert (adapter.directory, adapter.latency_ms, adapter.is_sandbox) == (tmp_path, 5, True)


def test_the_mailbox_defaults_under_the_project_var_directory() -> None:
    assert Path(settings.CLAIMS_SANDBOX_DIR).parts[-2:] == ("var", "clearinghouse-sandbox")
    assert settings.CLAIMS_SANDBOX_LATENCY_MS == 0
