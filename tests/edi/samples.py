"""Synthetic requests and real-shaped 271s written from the 005010X279A1 implementation guide.

All names, member IDs and NPIs are synthetic. The 271s follow the guide's loop layout
(2000A/2100A payer, 2000B/2100B receiver, 2000C/2100C subscriber, 2000D/2100D dependent,
2110C/D benefits with DTP, MSG and the 2120 LS/LE loop) with behavioral-health benefits.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime

from edi.x270 import EligibilityRequest, Envelope, Payer, Person, Provider

NPI = "1234567893"  # passes the Luhn check with the 80840 prefix

SUBSCRIBER = Person(
    last_name="Rivera", first_name="Ana", member_id="SBX1001", birth_date=date(1985, 4, 2), gender="F"
)
CHILD = Person(last_name="Rivera", first_name="Leo", birth_date=date(2014, 9, 30), gender="M")


def request(**changes: object) -> EligibilityRequest:
    base = EligibilityRequest(
        payer=Payer(name="Sandbox Health", payer_id="SBXPAYER"),
        provider=Provider(name="Calm Waters Counseling", npi=NPI),
        subscriber=SUBSCRIBER,
        service_date=date(2026, 3, 10),
        trace_number="ELG-000001",
        service_types=("MH",),
    )
    return replace(base, **changes)  # type: ignore[arg-type]


def envelope(**changes: object) -> Envelope:
    base = Envelope(
        sender_id="PARITY",
        receiver_id="SBXCH",
        interchange_control_number=17,
        group_control_number=23,
        created=datetime(2026, 3, 1, 9, 30),  # noqa: DTZ001 (X12 carries local time)
    )
    return replace(base, **changes)  # type: ignore[arg-type]


ISA_271 = "ISA*00*          *00*          *ZZ*SBXPAYER       *ZZ*PARITY         *260301*0931*^*00501*000000017*0*T*:~"


def wrap(body: list[str], *, isa: str = ISA_271, control: str = "0001") -> str:
    """A 271 interchange around `body` (the segments between ST and SE), counts computed."""
    segments = [
        isa,
        "GS*HB*SBXPAYER*PARITY*20260301*0931*23*X*005010X279A1~",
        f"ST*271*{control}*005010X279A1~",
        *body,
        f"SE*{len(body) + 2}*{control}~",
        "GE*1*23~",
        "IEA*1*000000017~",
    ]
    return "\n".join(segments) + "\n"


HEAD = [
    "BHT*0022*11*ELG-000001*20260301*0931~",
    "HL*1**20*1~",
    "NM1*PR*2*SANDBOX HEALTH*****PI*SBXPAYER~",
    "HL*2*1*21*1~",
    "NM1*1P*2*CALM WATERS COUNSELING*****XX*1234567893~",
]

# A subscriber with mental-health benefits: several EB blocks per service type, in and out of
# network, deductible with "remaining", visit limits, auth required, MSG, DTP ranges, a 2120 loop.
SUBSCRIBER_MH = wrap(
    [
        *HEAD,
        "HL*3*2*22*0~",
        "TRN*2*ELG-000001*9PARITYEHR~",
        "TRN*1*PAYER-778899*9SBXPAYER1~",
        "NM1*IL*1*RIVERA*ANA*M***MI*SBX1001~",
        "REF*6P*GRP-4410*SANDBOX PPO GROUP~",
        "N3*12 HARBOR ROAD~",
        "N4*PORTLAND*ME*04101~",
        "DMG*D8*19850402*F~",
        "INS*Y*18*001*25~",
        "DTP*291*RD8*20260101-20261231~",
        "DTP*356*D8*20250601~",
        "EB*1*IND*30**SANDBOX PPO~",
        "EB*1*IND*MH^A6^AI~",
        "EB*B*IND*MH^A6***27*20*****Y~",
        "EB*B*IND*MH^A6***27*55.5*****N~",
        "EB*A*IND*MH***27**.20****Y~",
        "EB*A*IND*MH***27**0.40****N~",
        "EB*C*IND*MH***23*1500*****Y~",
        "EB*C*IND*MH***29*612.34*****Y~",
        "DTP*348*D8*20260101~",
        "EB*G*FAM*MH***23*6000*****Y~",
        "EB*F*IND*A6***23***VS*30**Y~",
        "EB*F*IND*A6***29***VS*4**Y~",
        "MSG*4 OF 30 VISITS REMAIN FOR THE CALENDAR YEAR~",
        "EB*1*IND*AI********Y*Y~",
        "MSG*PRIOR AUTHORIZATION REQUIRED~",
        "MSG*CALL 800-555-0100 FOR AUTHORIZATION~",
        "EB*D*IND*ZZ9~",
        "EB*U*IND*MH~",
        "LS*2120~",
        "NM1*VN*2*SANDBOX AUTH DESK*****PI*SBXAUTH~",
        "LE*2120~",
    ]
)

# The patient is a dependent (2000D), with the dependent's own plan dates and an AAA at the
# dependent level kept beside the benefits.
DEPENDENT = wrap(
    [
        *HEAD,
        "HL*3*2*22*1~",
        "NM1*IL*1*RIVERA*ANA****MI*SBX1001~",
        "DTP*291*RD8*20260101-20261231~",
        "HL*4*3*23*0~",
        "TRN*2*ELG-000001*9PARITYEHR~",
        "NM1*03*1*RIVERA*LEO~",
        "DMG*D8*20140930*M~",
        "INS*N*19~",
        "DTP*346*D8*20260201~",
        "EB*1*IND*MH~",
        "EB*B*IND*MH***27*15.00*****W~",
    ]
)

# Rejections at every level, all kept: source (2000A), receiver (2100B), subscriber (2100C).
REJECTIONS = wrap(
    [
        "BHT*0022*11*ELG-000001*20260301*0931~",
        "HL*1**20*1~",
        "AAA*Y**42*R~",
        "NM1*PR*2*SANDBOX HEALTH*****PI*SBXPAYER~",
        "AAA*N**79*C~",
        "HL*2*1*21*1~",
        "NM1*1P*2*CALM WATERS COUNSELING*****XX*1234567893~",
        "AAA*N**41*N~",
        "HL*3*2*22*0~",
        "TRN*2*ELG-000001*9PARITYEHR~",
        "NM1*IL*1*RIVERA*ANA****MI*SBX1001~",
        "AAA*N**72*C~",
        "AAA*N**58*C~",
    ]
)

# The payer rejects before any subscriber level: no TRN, the BHT03 reference echoes the 270's.
SOURCE_ONLY = wrap(
    [
        "BHT*0022*11*ELG-000001*20260301*0931~",
        "HL*1**20*0~",
        "NM1*PR*2*SANDBOX HEALTH*****PI*SBXPAYER~",
        "AAA*Y**42*P~",
    ]
)
