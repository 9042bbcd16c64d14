"""Small 999 and 277CA writers for the claims tests (synthetic files shaped like the guides')."""

from __future__ import annotations

from collections.abc import Sequence

ISA = "ISA*00*          *00*          *ZZ*SBXCH          *ZZ*PARITY         *260312*1000*^*00501*{icn:09d}*0*T*:~\n"


def _envelope(functional_id: str, version: str, set_id: str, body: Sequence[str], icn: int) -> str:
    lines = [f"ST*{set_id}*0001*{version}~", *body]
    return (
        ISA.format(icn=icn)
        + f"GS*{functional_id}*SBXCH*PARITY*20260312*1000*{icn}*X*{version}~\n"
        + "\n".join(lines)
        + f"\nSE*{len(lines) + 1}*0001~\nGE*1*{icn}~\nIEA*1*{icn:09d}~\n"
    )


def ack_999(group: int, sets: dict[str, str], *, group_status: str = "", icn: int = 901) -> str:
    """A 999 for 837 group `group`: `sets` maps ST02 -> "A" or "R" (an R names a CLM05 error)."""
    body = [f"AK1*HC*{group}*005010X222A1~"]
    for control, status in sets.items():
        body.append(f"AK2*837*{control}*005010X222A1~")
        if status == "R":
            body += ["IK3*CLM*7*2300*8~", "IK4*5:1*1331*7*99~"]
            body.append("IK5*R*5~")
        else:
            body.append("IK5*A~")
    accepted = sum(1 for s in sets.values() if s == "A")
    status = group_status or ("A" if accepted == len(sets) else "R" if accepted == 0 else "P")
    body.append(f"AK9*{status}*{max(len(sets), 1)}*{max(len(sets), 1)}*{accepted}~")
    return _envelope("FA", "005010X231A1", "999", body, icn)


def ack_277ca(sender: str, claims: Sequence[tuple[str, str, str]], *, icn: int = 902) -> str:
    """A 277CA from `sender` ("AY" clearinghouse, "PR" payer): (CLM01, STC01, payer claim no)."""
    body = [
        "BHT*0085*08*CA0001*20260312*1000*TH~",
        "HL*1**20*1~",
        f"NM1*{sender}*2*{'SANDBOX CLEARINGHOUSE' if sender == 'AY' else 'ACME HEALTH'}*****46*SBX~",
        "TRN*1*B000001~",
        "DTP*050*D8*20260312~",
        "DTP*009*D8*20260312~",
        "HL*2*1*21*1~",
        "NM1*41*2*PRACTICE*****46*PARITY~",
        "TRN*2*B000001~",
        "STC*A1:19:PR*20260312*WQ*150~",
        "HL*3*2*19*1~",
        "NM1*85*2*PRACTICE*****XX*1234567893~",
    ]
    for index, (claim_id, stc, payer_number) in enumerate(claims):
        body += [
            f"HL*{4 + index}*3*PT~",
            "NM1*QC*1*DOE*JANE****MI*MBR1~",
            f"TRN*2*{claim_id}~",
            f"STC*{stc}*20260312*{'U' if stc[:2] in {'A3', 'A4', 'A6', 'A7', 'A8'} else 'WQ'}*150~",
        ]
        if payer_number:
            body.append(f"REF*1K*{payer_number}~")
        body.append("DTP*472*D8*20260302~")
    return _envelope("HN", "005010X214", "277", body, icn)
