"""ERA exceptions in a real browser (issue 12, R17, R13): a biller uploads an 835 (progress
shown) with one CLP whose CLP01 matches no claim and one whose recoded line matches no billed
line; the ERA is "posted with exceptions"; in the exceptions queue the biller matches the first to
our claim by hand and the second line by line; both resolve and the claims show as paid on the
claim page and the patient's account. The pages fit a phone (390 px) and pass axe-core.

Set PARITY_SCREENSHOTS=<folder> to keep a screenshot of each page at each width."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from remittance.models import EraClaim, PostingException
from tests.e2e.helpers import login_with_mfa
from tests.remittance.world import NOV1, World, era

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

AXE = Axe()

# (a) CLP01 TYPO700 is no claim of ours (it should be PCN700); (b) PCN500's first line came back
# as 90834 without REF*6R and matches no billed line; (c) PCN600 matches by REF*6R and posts.
ERA_835 = era(
    "460.00",
    "EFTE2E1",
    "CLP*TYPO700*1*100.00*100.00*0*12*CCNA*11*1",
    "NM1*QC*1*RIVERA*SAM****MI*MEMBER01",
    "SVC*HC:90791*100.00*100.00**1",
    "DTM*472*20261101",
    "CLP*PCN500*1*300.00*210.00*0*12*CCNB*11*1",
    "NM1*QC*1*RIVERA*SAM****MI*MEMBER01",
    "SVC*HC:90834*200.00*150.00**1",
    "DTM*472*20261101",
    "CAS*CO*45*50.00",
    "SVC*HC:90785*100.00*60.00**1",
    "DTM*472*20261101",
    "CAS*CO*45*40.00",
    "REF*6R*L51",
    "CLP*PCN600*1*200.00*150.00*0*12*CCNC*11*1",
    "NM1*QC*1*RIVERA*SAM****MI*MEMBER01",
    "SVC*HC:90837*200.00*150.00**1",
    "DTM*472*20261101",
    "CAS*CO*45*50.00",
    "REF*6R*L60",
)

# Records the upload page's status line across the navigation that follows (sessionStorage).
WATCH_STATUS = """() => {
  const status = document.getElementById("era-upload-status");
  new MutationObserver(() => {
    const seen = JSON.parse(sessionStorage.getItem("era-status") || "[]");
    seen.push(status.textContent);
    sessionStorage.setItem("era-status", JSON.stringify(seen));
  }).observe(status, {childList: true, characterData: true, subtree: true});
}"""


def _blocking(page: Page) -> list[str]:
    return [
        f"{v['id']} ({v['impact']}): {v['help']}"
        for v in AXE.run(page).response["violations"]
        if v.get("impact") in {"serious", "critical"}
    ]


def _check_widths(page: Page, base: str, paths: dict[str, str]) -> list[str]:
    problems: list[str] = []
    folder = os.environ.get("PARITY_SCREENSHOTS")
    for width, height in ((1440, 900), (390, 844)):
        page.set_viewport_size({"width": width, "height": height})
        for name, path in paths.items():
            response = page.goto(f"{base}{path}")
            assert response is not None
            assert response.status == 200, path
            scroll_width = page.evaluate("document.scrollingElement.scrollWidth")
            if scroll_width > width:
                problems.append(f"{path} at {width}px: sideways scroll ({scroll_width}px wide)")
            problems += [f"{path} at {width}px: axe {v}" for v in _blocking(page)]
            if folder:
                page.screenshot(path=str(Path(folder) / f"era-{name}-{width}.png"), full_page=True)
    page.set_viewport_size({"width": 1440, "height": 900})
    return problems


def test_upload_an_era_then_match_its_exceptions_by_claim_and_line_by_line(
    live_server: Any, page: Page, make_member: Any, practice: Any, tmp_path: Path
) -> None:
    world = World(practice)
    world.claim("PCN500", ("L50", "90837", (), NOV1, 20000), ("L51", "90785", (), NOV1, 10000))
    world.claim("PCN600", ("L60", "90837", (), NOV1, 20000))
    world.claim("PCN700", ("L70", "90791", (), NOV1, 10000))
    biller = make_member("biller", practice)
    login_with_mfa(page, live_server.url, biller)

    # Upload: the progress line runs, then the ERA page says what happened.
    page.goto(f"{live_server.url}/remittance/eras/upload/")
    page.evaluate(WATCH_STATUS)
    file = tmp_path / "synthetic.835"
    file.write_bytes(ERA_835)
    page.set_input_files("input[name=file]", str(file))
    page.get_by_role("button", name="Upload and post").click()
    expect(page).to_have_url(re.compile(r"/remittance/eras/\d+/$"))
    seen = json.loads(page.evaluate("sessionStorage.getItem('era-status') || '[]'"))
    assert any(s.startswith(("Uploading", "Posting")) for s in seen), seen
    assert seen[-1] == "ERA posted with exceptions: 1 of 3 claims posted, 2 in the exceptions queue."
    expect(page.locator(".messages")).to_contain_text("ERA posted with exceptions")
    expect(page.locator("#era-status")).to_have_text("Posted with exceptions")
    era_path = page.url.removeprefix(live_server.url)

    unmatched = PostingException.objects.get(era_claim__patient_control_number="TYPO700")
    line = PostingException.objects.get(era_claim__patient_control_number="PCN500")
    assert (unmatched.kind, line.kind) == ("unmatched_claim", "unmatched_line")
    problems = _check_widths(
        page,
        live_server.url,
        {
            "detail": era_path,
            "exceptions": "/remittance/exceptions/",
            "match": f"/remittance/exceptions/{unmatched.pk}/match/?q=PCN7",
            "lines": f"/remittance/exceptions/{line.pk}/match-lines/",
        },
    )
    assert not problems, "\n".join(problems)

    # (a) claim level: the payer's CLP01 is a typo; find our claim and match it.
    page.goto(f"{live_server.url}{era_path}")
    page.locator("#era-open-exceptions a").click()
    row = page.locator(f"#exception-{unmatched.pk}")
    expect(row).to_contain_text("TYPO700")
    row.get_by_role("link", name="Match").click()
    page.fill("#q", "PCN7")
    page.get_by_role("button", name="Find").click()
    page.select_option("select[name=claim_id]", label="PCN700")
    page.fill("input[name=note]", "typo in CLP01")
    page.get_by_role("button", name="Match and post").click()
    expect(page.locator(".messages")).to_contain_text("Matched and posted.")
    expect(page.locator(f"#exception-{unmatched.pk}")).to_have_count(0)

    # (b) line by line: the recoded line is pre-selected on the billed line of its date and charge.
    page.locator(f"#exception-{line.pk}").get_by_role("link", name="Match lines").click()
    expect(page.locator("#line-match-claim")).to_have_text("PCN500")
    selects = page.locator("#line-match-table select")
    expect(selects).to_have_count(2)
    expect(selects.nth(0)).to_have_value(str(world.lines["L50"].pk))
    expect(selects.nth(1)).to_have_value(str(world.lines["L51"].pk))
    expect(page.locator("#era-line-1")).to_contain_text("90834")
    page.fill("input[name=note]", "payer recoded 90837")
    page.get_by_role("button", name="Match lines and post").click()
    expect(page.locator(".messages")).to_contain_text("Matched line by line and posted to claim PCN500.")
    expect(page.locator("#no-exceptions")).to_be_visible()

    # Both ERA claims posted; the ERA says so, and the claims show as paid.
    page.goto(f"{live_server.url}{era_path}")
    expect(page.locator("#era-status")).to_have_text("Posted")
    expect(page.locator("#era-facts")).not_to_contain_text("exceptions")
    expect(
        page.get_by_text(f"matched by hand by {biller.get_username()}: payer recoded 90837")
    ).to_have_count(2)
    assert set(EraClaim.objects.values_list("state", flat=True)) == {"posted"}
    claim = world.claims["PCN500"]
    page.goto(f"{live_server.url}/claims/{claim.pk}/")
    expect(page.get_by_role("heading", name="What the payer paid (ERA)")).to_be_visible()
    expect(page.locator("main")).to_contain_text("$210.00")
    page.goto(f"{live_server.url}/billing/patients/{world.patient.pk}/")
    expect(page.locator(f"#claim-{claim.pk}")).to_contain_text("$210.00")
    expect(page.locator(f"#claim-{world.claims['PCN700'].pk}")).to_contain_text("$100.00")
