"""Payer-rules tests use the per-role PracticeAccess fixtures of tests/payers."""

from tests.payers.conftest import access_for as access_for
from tests.payers.conftest import admin_access as admin_access
from tests.payers.conftest import biller_access as biller_access
