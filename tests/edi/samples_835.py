"""Synthetic 835 files written from the 005010X221A1 guide (no real payer data)."""

from __future__ import annotations

ISA = "ISA*00*          *00*          *ZZ*PAYERSENDER    *ZZ*PARITYRCV      *261201*1200*^*00501*000000101*0*T*:~"


def envelope(*bodies: list[str]) -> str:
    """ISA/GS around one ST/SE per body (a list of segments without ST/SE), counts right."""
    out = [ISA, "GS*HP*PAYERSENDER*PARITYRCV*20261201*1200*7*X*005010X221A1~"]
    for number, body in enumerate(bodies, start=1):
        control = f"{number:04d}"
        out.append(f"ST*835*{control}*005010X221A1~")
        out.extend(segment + "~" for segment in body)
        out.append(f"SE*{len(body) + 2}*{control}~")
    out.append(f"GE*{len(bodies)}*7~")
    out.append("IEA*1*000000101~")
    return "\n".join(out) + "\n"


def header(amount: str, trace: str) -> list[str]:
    return [
        f"BPR*I*{amount}*C*ACH*CCP*01*999999999*DA*123456*1512345678**01*999988880*DA*98765*20261201",
        f"TRN*1*{trace}*1512345678",
        "DTM*405*20261130",
        "N1*PR*SYNTHETIC HEALTH PLAN",
        "N3*1 PAYER WAY",
        "N4*ANYTOWN*PA*19000",
        "REF*2U*SYNPAYER1",
        "N1*PE*CALM MINDS THERAPY*XX*1234567893",
        "REF*TJ*123456789",
    ]


# A paid claim with two lines (REF*6R), CO-45 and PR-2, and a second claim whose SVC06 shows
# the payer changed 90837 to 90834, a claim without REF*6R, and a PLB (interest + recoupment).
PAID = [
    *header("213.66", "EFT1001"),
    "LX*1",
    "CLP*PCN100*1*300.00*160.00*40.00*12*PAYERCCN1*11*1",
    "NM1*QC*1*DOE*JANE****MI*MEM123",
    "NM1*74*1*DOE*JANE****C*MEMNEW9",
    "NM1*82*1*SMITH*ALEX****XX*1234567893",
    "MOA***MA01",
    "DTM*232*20261101",
    "SVC*HC:90837:95*200.00*120.00**1",
    "DTM*472*20261101",
    "CAS*CO*45*50.00",
    "CAS*PR*2*30.00",
    "REF*6R*L1",
    "AMT*B6*150.00",
    "SVC*HC:90785*100.00*40.00**1",
    "DTM*472*20261101",
    "CAS*CO*45*50.00*1",
    "CAS*PR*2*10.00",
    "REF*6R*L2",
    "CLP*PCN200*1*150.00*90.00*0*12*PAYERCCN2*11*1",
    "SVC*HC:90834*150.00*90.00**1*HC:90837",
    "DTM*472*20261102",
    "CAS*CO*45*60.00",
    "CLP*PCN300*1*120.00*0*120.00*12*PAYERCCN3*11*1",
    "SVC*HC:90791*120.00*0**1",
    "DTM*472*20261103",
    "CAS*PR*1*120.00",
    "PLB*1234567893*20261231*L6*-3.66*WO:PCN999 20261001*40.00",
]

# A reversal of an earlier payment and its correction in the same transaction (R2).
REVERSAL = [
    *header("10.00", "EFT2002"),
    "LX*1",
    "CLP*PCN100*22*-150.00*-50.00*-25.00*12*PAYERCCN1*11*1",
    "CAS*CO*45*-75.00",
    "CAS*PR*1*-25.00",
    "CLP*PCN100*1*150.00*60.00*15.00*12*PAYERCCN1B*11*1",
    "CAS*CO*45*75.00",
    "CAS*PR*1*15.00",
]

# A denial (CLP02 4, CO-197) with a remark, and a claim matching nothing.
DENIED = [
    *header("100.00", "CHK3003"),
    "LX*1",
    "CLP*PCN400*4*200.00*0*0*12*PAYERCCN4*11*1",
    "SVC*HC:90837*200.00*0**1",
    "DTM*472*20261104",
    "CAS*CO*197*200.00",
    "REF*6R*L9",
    "LQ*HE*M62",
    "CLP*NOSUCH*1*100.00*100.00*0*12*PAYERCCN5*11*1",
]
