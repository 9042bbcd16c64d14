"""The POS table and practice-local dates (pure, no database)."""

from datetime import UTC, date, datetime

import pytest

from practice.domain.place_of_service import (
    PLACES_OF_SERVICE,
    place_of_service_label,
    place_of_service_problems,
)
from practice.domain.timezones import local_date, timezone_problems


def test_the_behavioral_health_codes_are_in_the_table():
    for code in ["02", "03", "10", "11", "12", "22", "49", "53", "57", "99"]:
        assert code in PLACES_OF_SERVICE
        assert place_of_service_problems(code) == []
    assert all(len(code) == 2 and code.isdigit() for code in PLACES_OF_SERVICE)


@pytest.mark.parametrize(
    ("code", "expected"),
    [("21", ["pos_unsupported"]), ("00", ["pos_unsupported"]), ("1", ["pos_format"]), ("111", ["pos_format"]), ("", ["pos_format"])],
)  # fmt: skip
def test_pos_problems(code, expected):
    assert [p.code for p in place_of_service_problems(code)] == expected


def test_pos_label():
    assert place_of_service_label("11") == "Office"
    assert place_of_service_label("21") == "21"


@pytest.mark.parametrize("name", ["America/Chicago", "America/New_York", "Pacific/Honolulu", "UTC"])
def test_known_time_zones(name):
    assert timezone_problems(name) == []


def test_local_date_crosses_midnight():
    # 03:30 UTC on June 2 is still June 1 in Chicago (UTC-5 in summer) and June 2 in UTC
    moment = datetime(2025, 6, 2, 3, 30, tzinfo=UTC)
    assert local_date(moment, "America/Chicago") == date(2025, 6, 1)
    assert local_date(moment, "UTC") == date(2025, 6, 2)


def test_local_date_needs_an_aware_datetime():
    with pytest.raises(ValueError, match="aware"):
        local_date(datetime(2025, 6, 2, 3, 30), "UTC")  # noqa: DTZ001
