"""Structural checks of a 270 from the 005010X279A1 implementation guide.

An independent check of what `build_270` writes (pitfall E7): envelope and control numbers,
counts, the HL parent chain, required segments and qualifiers. Returns a list of `Problem`
(empty when the 270 passes); a file that cannot even be tokenized gives one `x12_syntax` problem.
"""

from __future__ import annotations

import re
from datetime import datetime

from core.domain.problems import Problem
from edi.codes import SERVICE_TYPES
from edi.errors import X12Error
from edi.reader import Segment, Transaction, read_interchange
from edi.x270 import IMPLEMENTATION

_PARENT_LEVEL = {"20": "", "21": "20", "22": "21", "23": "22"}
_NM1_ENTITY = {
    "20": {"PR", "2B", "36", "GP", "P5"},
    "21": {"1P", "2B", "36", "80", "FA", "GP", "P5", "PR"},
    "22": {"IL"},
    "23": {"03"},
}
_NINE_DIGITS = re.compile(r"\d{9}")


def _problem(code: str, message: str, segment: Segment | None = None) -> Problem:
    where = f"segment {segment.number} ({segment.id})" if segment is not None else ""
    return Problem(code, f"{where}: {message}" if where else message, where)


def _valid_date(value: str) -> bool:
    try:
        datetime.strptime(value, "%Y%m%d")  # noqa: DTZ007 (a calendar date)
    except ValueError:
        return False
    return True


def check_270(text: str) -> list[Problem]:
    try:
        interchange = read_interchange(text)  # counts and control numbers of SE/GE/IEA
    except X12Error as error:
        return [Problem("x12_syntax", str(error))]
    problems: list[Problem] = []
    isa = interchange.isa
    if not _NINE_DIGITS.fullmatch(isa.get(13)):
        problems.append(_problem("isa13", "ISA13 is 9 digits", isa))
    if isa.get(12) != "00501":
        problems.append(_problem("isa12", f"ISA12 is 00501, not {isa.get(12)!r}", isa))
    if len(isa.get(6)) != 15 or len(isa.get(8)) != 15:
        problems.append(_problem("isa_ids", "ISA06 and ISA08 are padded to 15 characters", isa))
    if isa.get(15) not in {"T", "P"}:
        problems.append(_problem("isa15", "ISA15 is T or P", isa))
    group_numbers = [gs.get(6) for gs, _ in interchange.groups]
    if len(set(group_numbers)) != len(group_numbers):
        problems.append(
            _problem("gs06_reused", "a group control number is used twice", interchange.groups[0][0])
        )
    for gs, _ in interchange.groups:
        if gs.get(1) != "HS":
            problems.append(_problem("gs01", f"GS01 is HS for a 270, not {gs.get(1)!r}", gs))
        if gs.get(8) != IMPLEMENTATION:
            problems.append(_problem("gs08", f"GS08 is {IMPLEMENTATION}, not {gs.get(8)!r}", gs))
        if not _valid_date(gs.get(4)):
            problems.append(_problem("gs04", "GS04 is a CCYYMMDD date", gs))
    set_numbers = [t.control_number for t in interchange.transactions]
    if len(set(set_numbers)) != len(set_numbers):
        problems.append(_problem("st02_reused", "a transaction set control number is used twice"))
    for transaction in interchange.transactions:
        problems.extend(_check_transaction(transaction))
    return problems


def _check_transaction(transaction: Transaction) -> list[Problem]:
    problems: list[Problem] = []
    st = transaction.header
    if st.get(1) != "270":
        return [_problem("st01", f"ST01 is 270, not {st.get(1)!r}", st)]
    if st.get(3) != IMPLEMENTATION:
        problems.append(_problem("st03", f"ST03 is {IMPLEMENTATION}", st))
    if not (4 <= len(st.get(2)) <= 9 and st.get(2).isdigit()):
        problems.append(_problem("st02", "ST02 is 4 to 9 digits", st))
    segments = transaction.segments
    if not segments or segments[0].id != "BHT":
        problems.append(_problem("bht_missing", "BHT must follow ST", st))
    else:
        bht = segments[0]
        if bht.get(1) != "0022":
            problems.append(_problem("bht01", "BHT01 is 0022", bht))
        if bht.get(2) not in {"01", "13", "36"}:
            problems.append(_problem("bht02", "BHT02 is 13 (request), 01 (cancellation) or 36", bht))
        if not _valid_date(bht.get(4)):
            problems.append(_problem("bht04", "BHT04 is a CCYYMMDD date", bht))
    problems.extend(_check_hierarchy(segments))
    return problems


def _check_hierarchy(segments: tuple[Segment, ...]) -> list[Problem]:
    problems: list[Problem] = []
    levels: dict[str, str] = {}  # HL01 -> level code
    children: dict[str, int] = {}
    loops: list[tuple[Segment, list[Segment]]] = []
    for segment in segments[1:]:
        if segment.id == "HL":
            loops.append((segment, []))
        elif loops:
            loops[-1][1].append(segment)
        else:
            problems.append(_problem("before_hl", f"{segment.id} before the first HL", segment))
    if not loops:
        return [*problems, _problem("hl_missing", "a 270 has HL levels 20, 21 and 22")]
    for expected_id, (hl, _) in enumerate(loops, start=1):
        hl_id, parent, level = hl.get(1), hl.get(2), hl.get(3)
        if hl_id != str(expected_id):
            problems.append(_problem("hl01_sequence", f"HL01 is {expected_id} here, not {hl_id!r}", hl))
        if level not in _PARENT_LEVEL:
            problems.append(_problem("hl03", f"HL03 {level!r} is not 20, 21, 22 or 23", hl))
            continue
        wanted_parent_level = _PARENT_LEVEL[level]
        if not wanted_parent_level:
            if parent:
                problems.append(_problem("hl02", "the information source (HL 20) has no parent", hl))
        elif levels.get(parent) != wanted_parent_level:
            problems.append(
                _problem("hl02", f"HL level {level} must point to an earlier level {wanted_parent_level}", hl)
            )
        else:
            children[parent] = children.get(parent, 0) + 1
        levels[hl_id] = level
    for hl, _ in loops:
        has_children = children.get(hl.get(1), 0) > 0
        if hl.get(4) not in {"0", "1"} or (hl.get(4) == "1") != has_children:
            problems.append(
                _problem(
                    "hl04",
                    f"HL04 is {'1' if has_children else '0'}: this level has "
                    f"{'children' if has_children else 'no children'}",
                    hl,
                )
            )
    present = set(levels.values())
    for level in ("20", "21", "22"):
        if level not in present:
            problems.append(_problem("hl_level_missing", f"no HL level {level}"))
    patient_ids = {hl.get(2) for hl, _ in loops if hl.get(3) == "23"}
    for hl, body in loops:
        problems.extend(
            _check_loop(
                hl, body, is_patient=hl.get(3) == "23" or (hl.get(3) == "22" and hl.get(1) not in patient_ids)
            )
        )
    return problems


def _check_loop(hl: Segment, body: list[Segment], *, is_patient: bool) -> list[Problem]:
    problems: list[Problem] = []
    level = hl.get(3)
    names = [s for s in body if s.id == "NM1"]
    if len(names) != 1:
        problems.append(
            _problem("nm1_count", f"HL level {level} has exactly one NM1, found {len(names)}", hl)
        )
    for nm1 in names:
        if nm1.get(1) not in _NM1_ENTITY.get(level, set()):
            problems.append(
                _problem("nm101", f"NM101 {nm1.get(1)!r} is not allowed at HL level {level}", nm1)
            )
        if nm1.get(2) not in {"1", "2"}:
            problems.append(_problem("nm102", "NM102 is 1 (person) or 2 (organization)", nm1))
        if level in {"20", "21"} and (not nm1.get(8) or not nm1.get(9)):
            problems.append(
                _problem("nm108", "the payer and provider carry an identifier (NM108/NM109)", nm1)
            )
        if level == "21" and nm1.get(8) == "XX" and not (len(nm1.get(9)) == 10 and nm1.get(9).isdigit()):
            problems.append(_problem("npi", "an NPI (XX) is 10 digits", nm1))
        if level == "22" and (nm1.get(8) != "MI" or not nm1.get(9)):
            problems.append(_problem("member_id", "the subscriber carries a member ID (NM108 MI)", nm1))
        if level == "23" and (nm1.get(8) or nm1.get(9)):
            problems.append(
                _problem(
                    "dependent_id", "a dependent has no member ID: one with an ID is sent as subscriber", nm1
                )
            )
    trns = [s for s in body if s.id == "TRN"]
    eqs = [s for s in body if s.id == "EQ"]
    dtps = [s for s in body if s.id == "DTP"]
    if level in {"22", "23"}:
        if is_patient and len(trns) != 1:
            problems.append(_problem("trn", "the patient's level carries one TRN trace number", hl))
        for trn in trns:
            if trn.get(1) != "1" or not trn.get(2) or len(trn.get(3)) != 10:
                problems.append(_problem("trn_values", "TRN*1*trace*10-character originator", trn))
        if is_patient and not eqs:
            problems.append(_problem("eq_missing", "the patient's level asks at least one EQ", hl))
        if not is_patient and (eqs or trns):
            problems.append(
                _problem("eq_misplaced", "EQ and TRN go in the patient's (dependent's) level", hl)
            )
        for eq in eqs:
            for code in eq.repetitions(1):
                if code not in SERVICE_TYPES:
                    problems.append(_problem("eq01", f"{code!r} is not a service type code", eq))
        for dtp in dtps:
            if dtp.get(1) != "291":
                problems.append(_problem("dtp01", "DTP01 is 291 (plan) in a 270", dtp))
            value = dtp.get(3)
            dates = value.split("-") if dtp.get(2) == "RD8" else [value]
            if dtp.get(2) not in {"D8", "RD8"} or not all(_valid_date(d) for d in dates):
                problems.append(_problem("dtp03", "DTP is D8 CCYYMMDD or RD8 CCYYMMDD-CCYYMMDD", dtp))
        for dmg in (s for s in body if s.id == "DMG"):
            if dmg.get(1) != "D8" or not _valid_date(dmg.get(2)):
                problems.append(_problem("dmg", "DMG*D8*CCYYMMDD", dmg))
            if dmg.get(3) not in {"", "M", "F", "U"}:
                problems.append(_problem("dmg03", "DMG03 is M, F or U", dmg))
    elif eqs or trns or dtps:
        problems.append(_problem("misplaced", f"TRN, DTP and EQ do not belong to HL level {level}", hl))
    return problems
