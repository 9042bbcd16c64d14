"""96127, GC and FR: in the shipped code set and loaded by migration 0003 with the same values."""

from __future__ import annotations

from datetime import date
from importlib import import_module

import pytest

from coding.domain.code_sets import shipped_catalog
from coding.domain.types import CodeKind
from coding.selectors import code_lookup

pytestmark = pytest.mark.django_db

MIGRATION = import_module("coding.migrations.0003_load_96127_gc_fr")


@pytest.mark.parametrize(
    ("code", "kind", "valid_from"),
    [("96127", CodeKind.CPT, date(2015, 1, 1)), ("GC", CodeKind.MODIFIER, date(2013, 1, 1)), ("FR", CodeKind.MODIFIER, date(2023, 1, 1))],
)  # fmt: skip
def test_code_is_loaded_with_the_shipped_values(code, kind, valid_from):
    shipped = shipped_catalog().lookup(code, on=valid_from, kind=kind)
    loaded = code_lookup(code, on=valid_from, kind=kind)
    assert shipped is not None
    assert loaded == shipped
    before = valid_from.replace(year=valid_from.year - 1, month=12, day=31)
    assert code_lookup(code, on=before, kind=kind) is None
    row = next(r for r in MIGRATION.ROWS if r["code"] == code)
    assert row["defaults"]["label"] == shipped.label
