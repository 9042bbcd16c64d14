"""ICD-10-CM for the app: simple-icd-10-cm loaded lazily, plus our fiscal-year change rows.

The package parses its CDC XML when first imported (about 1.5-7 s and ~200 MB), so nothing
imports it at Django startup: the first call here does, once per process (thread-safe), and
the search index is built on the first search. Everything else is `coding.domain.icd10`.
Callers elsewhere use these functions through `coding.selectors`.
"""

from __future__ import annotations

import threading
import warnings
from collections.abc import Iterator
from datetime import date
from importlib import resources
from types import ModuleType

from coding.domain.icd10 import (
    Icd10Catalog,
    Icd10Check,
    Icd10Entry,
    icd10_fiscal_year,
    normalise_icd10,
    parse_fy_changes,
    release_fiscal_year,
)

CHANGES_FILE = "icd10cm_fy_changes.csv"
PACKAGE_DEFAULT_FISCAL_YEAR = 2026  # simple-icd-10-cm 1.5.0 holds the April 2026 release (FY2026)

_lock = threading.Lock()
_catalog: Icd10Catalog | None = None

__all__ = [
    "icd10_catalog",
    "icd10_check",
    "icd10_description",
    "icd10_exists",
    "icd10_fiscal_year",
    "icd10_is_billable",
    "icd10_search",
    "normalise_icd10",
]


class PackageSource:
    """simple-icd-10-cm as an `Icd10Source` (its module-global table is one fiscal year)."""

    def __init__(self, module: ModuleType) -> None:
        self._cm = module
        inner = getattr(module, "simple_icd_10_cm", module)
        file_name = str(getattr(inner, "_classification_data_package_file_name", ""))
        self.fiscal_year = release_fiscal_year(file_name, PACKAGE_DEFAULT_FISCAL_YEAR)

    def entry(self, code: str) -> Icd10Entry | None:
        cm = self._cm
        if not cm.is_valid_item(code) or not cm.is_category_or_subcategory(code):
            return None
        return Icd10Entry(code=code, description=cm.get_description(code), billable=bool(cm.is_leaf(code)))

    def entries(self) -> Iterator[Icd10Entry]:
        cm = self._cm
        for code in cm.get_all_codes(True):
            if cm.is_category_or_subcategory(code):
                yield Icd10Entry(
                    code=code, description=cm.get_description(code), billable=bool(cm.is_leaf(code))
                )


def _load() -> Icd10Catalog:
    with warnings.catch_warnings():
        # The package reads its data with importlib.resources' legacy read_text (deprecated).
        warnings.simplefilter("ignore", DeprecationWarning)
        import simple_icd_10_cm  # noqa: PLC0415 - deliberately lazy: heavy to import

    changes = parse_fy_changes(
        resources.files("coding.data").joinpath(CHANGES_FILE).read_text(encoding="utf-8")
    )
    return Icd10Catalog(PackageSource(simple_icd_10_cm), changes)


def icd10_catalog() -> Icd10Catalog:
    """The process-wide catalog, loaded on first use."""
    global _catalog
    if _catalog is None:
        with _lock:
            if _catalog is None:
                _catalog = _load()
    return _catalog


def icd10_check(code: str, *, on: date | None = None) -> Icd10Check:
    """Whether `code` is a billable ICD-10-CM code for a date of service `on` (None: the table's year)."""
    return icd10_catalog().check(code, on=on)


def icd10_is_billable(code: str, *, on: date | None = None) -> bool:
    """A valid leaf category/subcategory in the fiscal year of `on`."""
    return icd10_catalog().is_billable(code, on=on)


def icd10_exists(code: str) -> bool:
    """Whether `code` is an ICD-10-CM category/subcategory in any year we know (not necessarily billable)."""
    return icd10_catalog().exists(code)


def icd10_description(code: str) -> str | None:
    return icd10_catalog().description(code)


def icd10_search(text: str, *, limit: int = 20, billable_only: bool = True) -> list[Icd10Entry]:
    """Autocomplete: code prefix first, then words of the description (each word as a prefix)."""
    return icd10_catalog().search(text, limit=limit, billable_only=billable_only)
