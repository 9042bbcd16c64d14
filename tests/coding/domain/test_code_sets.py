"""Code-set CSV parsing and look-up by date (pure)."""

from __future__ import annotations

from datetime import date

import pytest

from coding.domain.code_sets import CodeCatalog, parse_code_set_csv, read_shipped_code_set, shipped_catalog
from coding.domain.types import CodeKind, CodeUnit

HEADER = "code,kind,label,unit,timed_minutes,add_on,effective_from,effective_to,note\n"


def test_the_shipped_code_set_parses_cleanly_and_covers_the_brief():
    # when
    parsed = parse_code_set_csv(read_shipped_code_set())

    # then
    assert parsed.problems == ()
    codes = {(r.kind, r.code) for r in parsed.rows}
    bh_cpt = "90785 90791 90792 90832 90833 90834 90836 90837 90838 90839 90840 90845 90846 90847 90849 90853 90863 90870 90880 90882 90885 90887 90889 90899"
    aba = "97151 97152 97153 97154 97155 97156 97157 97158 0362T 0373T"
    em = "99202 99203 99204 99205 99211 99212 99213 99214 99215"
    hcpcs = "H0001 H0002 H0004 H0005 H0015 H0031 H0032 H0035 H0036 H0038 H0040 H2011 H2012 H2014 H2015 H2016 H2017 H2018 H2019 H2020 T1016 T1017 S9480 S9485"
    modifiers = "HA HB HC HD HE HF HG HH HI HJ HK HL HM HN HO HP HQ HR HS HT HU HV HW HX HY HZ U1 U2 U3 U4 U5 U6 U7 U8 U9 UA UB UC UD 95 93 GT GQ FQ 59 XE XP XS XU 25"
    pos = "02 03 04 09 10 11 12 13 14 15 21 22 23 49 50 51 52 53 55 56 57 58 72 99"
    for kind, listed in [
        (CodeKind.CPT, f"{bh_cpt} {aba} {em}"),
        (CodeKind.HCPCS, hcpcs),
        (CodeKind.MODIFIER, modifiers),
        (CodeKind.POS, pos),
    ]:
        assert {(kind, code) for code in listed.split()} <= codes


def test_shipped_labels_are_short():
    assert all(len(row.label) <= 80 for row in parse_code_set_csv(read_shipped_code_set()).rows)


@pytest.mark.parametrize(
    ("code", "day", "kind", "label"),
    [
        ("99354", date(2022, 12, 31), None, "Prolonged outpatient service first hour (retired)"),
        ("99354", date(2023, 1, 1), None, None),
        ("10", date(2021, 12, 31), CodeKind.POS, None),
        ("10", date(2022, 1, 1), CodeKind.POS, "Telehealth with the patient at home"),
        ("97153", date(2019, 1, 1), None, "ABA treatment by a technician"),
        ("h2019", date(2026, 1, 1), None, "Therapeutic behavioral services"),
        ("95", date(2026, 1, 1), CodeKind.POS, None),
        ("95", date(2026, 1, 1), None, "Telehealth with real-time audio and video"),
        ("ZZZZZ", date(2026, 1, 1), None, None),
    ],
)
def test_lookup_by_date(code, day, kind, label):
    # when
    info = shipped_catalog().lookup(code, on=day, kind=kind)

    # then
    assert (info.label if info else None) == label


def test_parse_a_good_file():
    # given
    text = (
        HEADER
        + "H2014,hcpcs,Skills training,15min,15,false,2013-01-01,,\n# a comment\n99417,cpt,Prolonged service,untimed,,yes,2021-01-01,,\n"
    )

    # when
    parsed = parse_code_set_csv(text)

    # then
    assert parsed.problems == ()
    assert [(r.code, r.kind, r.unit, r.timed_minutes, r.add_on, r.effective_from) for r in parsed.rows] == [
        ("H2014", CodeKind.HCPCS, CodeUnit.MIN15, 15, False, date(2013, 1, 1)),
        ("99417", CodeKind.CPT, CodeUnit.UNTIMED, None, True, date(2021, 1, 1)),
    ]


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("H2014,hcpcs,,15min,15,false,2013-01-01,,", "line 2: label is empty"),
        ("H201,hcpcs,Skills,15min,15,false,2013-01-01,,", "line 2: 'H201' is not a valid hcpcs code"),
        (
            "12345,drug,Thing,,,false,2013-01-01,,",
            "line 2: kind 'drug' is not one of cpt, hcpcs, modifier, pos",
        ),
        (
            "H2014,hcpcs,Skills,weekly,15,false,2013-01-01,,",
            "line 2: unit 'weekly' is not one of 15min, 30min, session, untimed, per_diem, hour (or blank)",
        ),
        (
            "H2014,hcpcs,Skills,15min,-5,false,2013-01-01,,",
            "line 2: timed_minutes '-5' is not a whole number > 0",
        ),
        ("H2014,hcpcs,Skills,15min,15,maybe,2013-01-01,,", "line 2: add_on 'maybe' is not true or false"),
        (
            "H2014,hcpcs,Skills,15min,15,false,2013-13-01,,",
            "line 2: effective_from '2013-13-01' is not a date (YYYY-MM-DD)",
        ),
        ("H2014,hcpcs,Skills,15min,15,false,,,", "line 2: effective_from is empty"),
        (
            "H2014,hcpcs,Skills,15min,15,false,2020-01-01,2019-01-01,",
            "line 2: effective_to is before effective_from",
        ),
        ("HO,modifier,Masters,15min,,false,2013-01-01,,", "line 2: a modifier has no unit; leave unit blank"),
        ("1,pos,Pharmacy,,,false,2013-01-01,,", "line 2: '1' is not a valid pos code"),
    ],
)
def test_bad_rows_are_reported_with_their_line(row, message):
    # when
    parsed = parse_code_set_csv(HEADER + row + "\n")

    # then
    assert [p.message for p in parsed.problems] == [message]
    assert parsed.rows == ()


def test_one_bad_row_is_reported_but_good_rows_are_still_parsed_for_the_report():
    # when
    parsed = parse_code_set_csv(
        HEADER + "H2014,hcpcs,Skills,15min,15,false,2013-01-01,,\nH2015,hcpcs,,15min,15,false,2013-01-01,,\n"
    )

    # then: not ok, so the caller imports nothing
    assert not parsed.ok
    assert [p.message for p in parsed.problems] == ["line 3: label is empty"]


def test_duplicates_and_overlaps_are_problems():
    # given
    text = HEADER + (
        "H2014,hcpcs,Skills,15min,15,false,2013-01-01,,\n"
        "H2014,hcpcs,Skills again,15min,15,false,2013-01-01,,\n"
        "H2015,hcpcs,Support,15min,15,false,2013-01-01,2020-12-31,\n"
        "H2015,hcpcs,Support,15min,15,false,2020-06-01,,\n"
    )

    # when
    parsed = parse_code_set_csv(text)

    # then
    assert [p.code for p in parsed.problems] == ["code_set_duplicate", "code_set_overlap"]
    assert parsed.problems[0].message == "line 3: hcpcs H2014 from 2013-01-01 is already on line 2"


def test_missing_columns():
    # when
    parsed = parse_code_set_csv("code,label\nH2014,Skills\n")

    # then
    assert [p.message for p in parsed.problems] == ["the header lacks column(s): effective_from, kind"]


def test_kind_option_filters_rows_and_supplies_a_missing_kind_column():
    # given
    mixed = (
        HEADER + "H2014,hcpcs,Skills,15min,15,false,2013-01-01,,\nHO,modifier,Masters,,,false,2013-01-01,,\n"
    )
    no_kind = "code,label,effective_from\nHO,Masters,2013-01-01\n"

    # when
    filtered = parse_code_set_csv(mixed, kind=CodeKind.MODIFIER)
    supplied = parse_code_set_csv(no_kind, kind=CodeKind.MODIFIER)

    # then
    assert [(r.code, r.kind) for r in filtered.rows] == [("HO", CodeKind.MODIFIER)]
    assert filtered.skipped == 1
    assert [(r.code, r.kind) for r in supplied.rows] == [("HO", CodeKind.MODIFIER)]


def test_empty_file():
    assert [p.code for p in parse_code_set_csv(HEADER).problems] == ["code_set_empty"]


def test_catalog_prefers_procedure_codes_when_kind_is_not_given():
    # given: a (made-up) code that is both a modifier and a POS, and a CPT code
    parsed = parse_code_set_csv(
        HEADER + "99,pos,Other,,,false,2013-01-01,,\n99,modifier,Multiple,,,false,2013-01-01,,\n"
    )
    catalog = CodeCatalog(parsed.rows)

    # then: modifier before POS
    assert catalog.lookup("99", on=date(2026, 1, 1)).kind is CodeKind.MODIFIER
    assert catalog.lookup("99", on=date(2026, 1, 1), kind=CodeKind.POS).kind is CodeKind.POS
